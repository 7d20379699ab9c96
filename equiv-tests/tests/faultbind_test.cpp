// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --fault-bind on a model of the platform bus whose fault points follow a
// fail-nth kept in a temporary file (the model of tests/fake_device.h):
// the sequences, the state checks after a failed probe or remove, the
// rebind check and the C-against-C++ comparison, each proven able to fail
// by a bus that misbehaves on purpose.
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

#include "fake_device.h"
#include "faultbind.h"

using namespace refgpu::equiv;
using refgpu::equiv::test::fail_nth_point;

namespace {

// How one driver's probe and remove behave in the model.
struct FakeDriverModel {
	unsigned probe_points = 3; // each fails the probe with -probe_errno
	int probe_errno = ENOMEM;
	unsigned swallowed_points = 0; // after the probe points: faults the probe ignores
	unsigned remove_points = 1;    // all swallowed (a release path)
	// Broken drivers:
	bool leave_bound_on_fault = false; // a failed probe still binds the device
	bool leave_minor_on_fault = false; // a failed probe leaves its card minor in sysfs
	bool break_on_fault = false;       // a failed probe leaves state that makes every later bind fail
	bool degrade_on_swallowed = false; // a swallowed fault leaves a render node that does not open
};

class FakeBus final : public PlatformBus {
public:
	explicit FakeBus(std::string fail_nth) : fail_nth_(std::move(fail_nth)) {}

	std::map<std::string, FakeDriverModel> drivers; // by driver name
	unsigned write_points = 1; // the sysfs write's own buffer: fails with -ENOMEM
	unsigned binds = 0, unbinds = 0;

	struct Dev {
		std::string bound;
		std::vector<std::string> minors;
		bool works = true;
		bool broken = false;
	};
	std::map<std::string, Dev> devs; // by device name

	int prepare(const BindTarget &t) override { return drivers.count(t.driver) ? 0 : -ENOENT; }

	int write_bind(const BindTarget &t) override
	{
		if (write_fault())
			return -ENOMEM;
		Dev &d = devs.at(t.device);
		FakeDriverModel &m = drivers.at(t.driver);
		if (!d.bound.empty())
			return -EBUSY;
		if (d.broken)
			return -EEXIST; // a sysfs entry of the failed probe is in the way
		for (unsigned i = 0; i < m.probe_points; i++) {
			if (!fail_nth_point(fail_nth_))
				continue;
			if (m.leave_bound_on_fault)
				d.bound = t.driver;
			if (m.leave_minor_on_fault)
				d.minors = {"card" + t.device.substr(t.device.size() - 1)};
			if (m.break_on_fault)
				d.broken = true;
			return -m.probe_errno;
		}
		d.works = true;
		for (unsigned i = 0; i < m.swallowed_points; i++)
			if (fail_nth_point(fail_nth_) && m.degrade_on_swallowed)
				d.works = false;
		std::string k = t.device.substr(t.device.size() - 1);
		d.bound = t.driver;
		d.minors = {"card" + k, "renderD" + std::to_string(128 + std::stoi(k))};
		binds++;
		return 0;
	}

	int write_unbind(const BindTarget &t) override
	{
		if (write_fault())
			return -ENOMEM;
		Dev &d = devs.at(t.device);
		if (d.bound != t.driver)
			return -ENODEV;
		for (unsigned i = 0; i < drivers.at(t.driver).remove_points; i++)
			fail_nth_point(fail_nth_);
		d.bound.clear();
		d.minors.clear();
		unbinds++;
		return 0;
	}

	std::string bound_driver(const BindTarget &t) override { return devs.at(t.device).bound; }
	std::vector<std::string> drm_minors(const BindTarget &t) override
	{
		return devs.at(t.device).minors;
	}
	std::string check_works(const BindTarget &t) override
	{
		return devs.at(t.device).works ? "" : "the render node does not open: -ENOENT";
	}

private:
	bool write_fault()
	{
		bool f = false;
		for (unsigned i = 0; i < write_points; i++)
			f |= fail_nth_point(fail_nth_);
		return f;
	}
	std::string fail_nth_;
};

struct BindPair {
	BindPair()
	{
		char tmpl[] = "/tmp/refgpu-equiv-bind-fail-nth-XXXXXX";
		int fd = mkstemp(tmpl);
		EXPECT_GE(fd, 0);
		EXPECT_EQ(::write(fd, "0\n", 2), 2);
		close(fd);
		path = tmpl;
		bus = std::make_unique<FakeBus>(path);
		bus->drivers["refgpu_c"] = {};
		bus->drivers["refgpu_cpp"] = {};
		for (const BindTarget *t : {&c, &cpp})
			bus->devs[t->device] = {t->driver,
						{"card" + t->device.substr(7),
						 "renderD" + std::to_string(128 + std::stoi(t->device.substr(7)))}};
		int e = -1;
		fail_nth = FailNth::open(path, &e);
		EXPECT_EQ(e, 0);
	}
	~BindPair() { unlink(path.c_str()); }
	FaultReport run(unsigned max_n = kDefaultFaultMax)
	{
		return run_fault_bind(*bus, c, cpp, fail_nth, max_n);
	}
	FakeDriverModel &cm() { return bus->drivers["refgpu_c"]; }
	FakeDriverModel &cppm() { return bus->drivers["refgpu_cpp"]; }
	// Both devices bound to their drivers and working, as before the sweep.
	void expect_both_bound() const
	{
		for (const BindTarget *t : {&c, &cpp}) {
			const FakeBus::Dev &d = bus->devs.at(t->device);
			EXPECT_EQ(d.bound, t->driver) << t->label;
			EXPECT_EQ(d.minors.size(), 2u) << t->label;
		}
	}

	std::string path;
	std::unique_ptr<FakeBus> bus;
	BindTarget c{"C (refgpu.0, refgpu_c)", "refgpu_c", "refgpu.0"};
	BindTarget cpp{"C++ (refgpu.1, refgpu_cpp)", "refgpu_cpp", "refgpu.1"};
	FailNth fail_nth;
};

FaultEntry bind_entry(unsigned n, const std::string &step, int ret, bool injected,
		      const std::string &state)
{
	FaultEntry e;
	e.n = n;
	e.step = step;
	e.ret = ret;
	e.injected = injected;
	e.left = injected ? 0 : 1;
	e.state = state;
	return e;
}

std::vector<std::string> texts(const std::vector<FaultViolation> &v)
{
	std::vector<std::string> t;
	for (const FaultViolation &x : v)
		t.push_back(x.text());
	return t;
}

// The default model: the write's buffer (1 point), then 3 probe points;
// unbind: the buffer, then 1 swallowed remove point.
const std::vector<FaultEntry> kProbe = {
	bind_entry(1, "bind", -ENOMEM, true, "unbound"), bind_entry(2, "bind", -ENOMEM, true, "unbound"),
	bind_entry(3, "bind", -ENOMEM, true, "unbound"), bind_entry(4, "bind", -ENOMEM, true, "unbound"),
	bind_entry(5, kFaultOk, 0, false, "bound, works")};
const std::vector<FaultEntry> kRemove = {bind_entry(1, "unbind", -ENOMEM, true, "bound, works"),
					 bind_entry(2, kFaultOk, 0, true, "unbound"),
					 bind_entry(3, kFaultOk, 0, false, "unbound")};

} // namespace

TEST(FaultBind, OperationsAreProbeAndRemove)
{
	ASSERT_EQ(bind_ops().size(), 2u);
	EXPECT_EQ(std::string(bind_ops()[0].name), "probe");
	EXPECT_TRUE(bind_ops()[0].bind);
	EXPECT_EQ(std::string(bind_ops()[1].name), "remove");
	EXPECT_FALSE(bind_ops()[1].bind);
	EXPECT_EQ(fault_documented_list("bind"), "-ENOMEM, -EBUSY");
	EXPECT_EQ(fault_documented_list("unbind"), "-ENOMEM");
}

TEST(FaultBind, SweepsProbeAndRemoveOnBothAndLeavesBothBound)
{
	BindPair p;
	FaultReport r = p.run();
	ASSERT_TRUE(r.fatal.empty()) << r.fatal;
	EXPECT_TRUE(r.violations.empty()) << ::testing::PrintToString(texts(r.violations));
	EXPECT_TRUE(r.ok());
	ASSERT_EQ(r.ops.size(), 2u);
	EXPECT_EQ(r.ops[0].c.entries, kProbe);
	EXPECT_EQ(r.ops[0].cpp.entries, kProbe);
	EXPECT_EQ(r.ops[1].c.entries, kRemove);
	EXPECT_EQ(r.ops[1].cpp.entries, kRemove);
	p.expect_both_bound();
	EXPECT_EQ(p.path.empty(), false);
	std::ifstream f(p.path);
	std::string first;
	std::getline(f, first);
	EXPECT_EQ(first, "0"); // disarmed
	std::string text = format_fault_bind_report(r);
	EXPECT_NE(text.find("outcome sets, C vs C++ (failing step and errno, or ok; what the cleanup "
			    "released):\n"
			    "  probe: same {bind -ENOMEM, unbound; ok, bound, works}\n"
			    "  remove: same {ok, unbound; unbind -ENOMEM, bound, works}\n"
			    "fault-bind: 6 (C) / 6 (C++) injected failures in probe and remove, every "
			    "failed probe left its device unbound and rebindable, the same outcomes on "
			    "both drivers: OK\n"),
		  std::string::npos)
		<< text;
}

TEST(FaultBind, MoreProbeFaultPointsOnOneDriverArePrintedNotFailed)
{
	BindPair p;
	p.cppm().probe_points = 5; // "the C++ side allocates more at probe"
	FaultReport r = p.run();
	EXPECT_TRUE(r.ok()) << format_fault_bind_report(r);
	EXPECT_EQ(r.ops[0].cpp.entries.size(), 7u);
	EXPECT_NE(format_fault_bind_report(r).find(
			  "  probe: same {bind -ENOMEM, unbound; ok, bound, works}\n"
			  "    fault points differ: C 4 in 5 runs, C++ 6 in 7 runs (information, not a "
			  "failure)\n"),
		  std::string::npos)
		<< format_fault_bind_report(r);
	p.expect_both_bound();
}

TEST(FaultBind, AFailedProbeThatLeavesTheDeviceBoundIsAViolation)
{
	BindPair p;
	p.cppm().leave_bound_on_fault = true;
	FaultReport r = p.run();
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{"probe on C++ (refgpu.1, refgpu_cpp): n=2: bind failed with "
					    "-ENOMEM (fault injected) but the device is still bound "
					    "to refgpu_cpp"}));
	EXPECT_EQ(r.violations[0].check, FaultCheck::state_wrong);
	EXPECT_FALSE(r.ok());
	EXPECT_FALSE(r.ops[0].compared());
}

TEST(FaultBind, ADrmMinorLeftByAFailedProbeIsAViolation)
{
	BindPair p;
	p.cm().leave_minor_on_fault = true;
	FaultReport r = p.run();
	ASSERT_GE(r.violations.size(), 1u);
	EXPECT_EQ(r.violations[0].text(), "probe on C (refgpu.0, refgpu_c): n=2: bind failed with "
					  "-ENOMEM (fault injected) but DRM minor(s) card0 outlived it");
	EXPECT_EQ(r.violations[0].check, FaultCheck::state_wrong);
	EXPECT_FALSE(r.ok());
}

TEST(FaultBind, ADeviceThatCannotBeBoundAgainIsAViolation)
{
	BindPair p;
	p.cppm().break_on_fault = true;
	FaultReport r = p.run();
	ASSERT_GE(r.violations.size(), 1u);
	EXPECT_EQ(r.violations[0].text(),
		  "probe on C++ (refgpu.1, refgpu_cpp): n=2: bind failed with -ENOMEM (fault injected); "
		  "afterwards: bind without a fault failed: -EEXIST");
	EXPECT_EQ(r.violations[0].check, FaultCheck::not_rebindable);
	EXPECT_FALSE(r.ok());
}

TEST(FaultBind, AnUndocumentedProbeErrnoIsAViolation)
{
	BindPair p;
	p.cm().probe_errno = EIO;
	FaultReport r = p.run();
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{"probe on C (refgpu.0, refgpu_c): n=2: bind failed with -EIO "
					    "(fault injected); documented: -ENOMEM, -EBUSY"}));
	EXPECT_EQ(r.violations[0].check, FaultCheck::undocumented_error);
	p.expect_both_bound(); // left bound even after a violation
}

TEST(FaultBind, ADegradedDeviceOnOneDriverOnlyIsADivergence)
{
	// Both drivers swallow one fault after their probe points; on C++ it
	// leaves a render node that does not open. A swallowed fault is an
	// outcome, not a violation, so each passes alone; the sets differ.
	BindPair p;
	p.cm().swallowed_points = 1;
	p.cppm().swallowed_points = 1;
	p.cppm().degrade_on_swallowed = true;
	FaultReport r = p.run();
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{
			  "probe: outcome sets differ after 3 sweeps each (unions over all sweeps): C "
			  "{bind -ENOMEM, unbound; ok, bound, works}, C++ {bind -ENOMEM, unbound; ok, "
			  "bound, the render node does not open: -ENOENT; ok, bound, works}; only on C++: "
			  "{ok, bound, the render node does not open: -ENOENT}"}));
	// Swept again, C++ first on sweep 2 (the difference is planted, so it stays).
	EXPECT_EQ(r.ops[0].sweeps(), 3u);
	EXPECT_EQ(r.violations[0].check, FaultCheck::divergence);
	EXPECT_TRUE(r.ops[0].same_counts());
	EXPECT_TRUE(r.ops[1].ok());
	EXPECT_FALSE(r.ok());
	p.expect_both_bound();
	EXPECT_NE(format_fault_bind_report(r).find("fault-bind: FAILED, 1 violation(s):\n  probe: "
						   "outcome sets differ"),
		  std::string::npos)
		<< format_fault_bind_report(r);
}

TEST(FaultBind, TheCapIsAViolationAndLeavesTheDeviceBound)
{
	BindPair p;
	FaultReport r = p.run(3); // probe needs 5 runs, remove 3
	ASSERT_EQ(r.violations.size(), 2u) << ::testing::PrintToString(texts(r.violations));
	EXPECT_EQ(r.violations[0].text(),
		  "probe on C (refgpu.0, refgpu_c): n=3: cap reached: the fault was still injected at "
		  "--fault-max 3, no run without a fault; raise --fault-max");
	EXPECT_EQ(r.violations[0].check, FaultCheck::cap);
	EXPECT_TRUE(r.ops[1].ok());
	p.expect_both_bound();
}

TEST(FaultBind, ADriverThatIsNotThereIsASetupViolation)
{
	BindPair p;
	p.bus->drivers.erase("refgpu_cpp");
	FaultReport r = p.run();
	ASSERT_GE(r.violations.size(), 1u);
	EXPECT_EQ(r.violations[0].text(), "probe on C++ (refgpu.1, refgpu_cpp): before the first run: "
					  "cannot open the bind/unbind attributes of refgpu_cpp: -ENOENT");
	EXPECT_FALSE(r.ok());
}

TEST(FaultBind, SysfsBusReadsDriverLinksAndMinors)
{
	namespace fs = std::filesystem;
	char tmpl[] = "/tmp/refgpu-equiv-bind-sysfs-XXXXXX";
	ASSERT_NE(mkdtemp(tmpl), nullptr);
	fs::path root = tmpl;
	fs::create_directories(root / "bus/platform/drivers/refgpu_c");
	fs::create_directories(root / "devices/platform/refgpu.0/drm/card0");
	fs::create_directories(root / "devices/platform/refgpu.0/drm/renderD128");
	fs::create_directories(root / "devices/platform/refgpu.1");
	fs::create_directories(root / "bus/platform/devices");
	fs::create_directories(root / "class/drm/renderD128");
	fs::create_directory_symlink("../../../devices/platform/refgpu.0",
				     root / "bus/platform/devices/refgpu.0");
	fs::create_directory_symlink("../../../devices/platform/refgpu.1",
				     root / "bus/platform/devices/refgpu.1");
	fs::create_directory_symlink("../../../bus/platform/drivers/refgpu_c",
				     root / "devices/platform/refgpu.0/driver");
	fs::create_directory_symlink("../../../devices/platform/refgpu.0",
				     root / "class/drm/renderD128/device");
	std::ofstream(root / "bus/platform/drivers/refgpu_c/bind");
	std::ofstream(root / "bus/platform/drivers/refgpu_c/unbind");

	std::unique_ptr<PlatformBus> bus = sysfs_platform_bus(root.string(), (root / "dev").string());
	BindTarget c{"C", "refgpu_c", "refgpu.0"}, other{"X", "refgpu_c", "refgpu.1"};
	EXPECT_EQ(platform_device_of(root.string(), "renderD128"), "refgpu.0");
	EXPECT_EQ(platform_device_of(root.string(), "renderD200"), "");
	EXPECT_EQ(bus->bound_driver(c), "refgpu_c");
	EXPECT_EQ(bus->bound_driver(other), "");
	EXPECT_EQ(bus->drm_minors(c), (std::vector<std::string>{"card0", "renderD128"}));
	EXPECT_TRUE(bus->drm_minors(other).empty());
	EXPECT_EQ(bus->check_works(other), "no render node in sysfs");
	EXPECT_EQ(bus->check_works(c), "the render node does not open: -ENOENT");
	EXPECT_EQ(bus->write_bind(c), -EBADF); // not prepared
	ASSERT_EQ(bus->prepare(c), 0);
	EXPECT_EQ(bus->write_bind(c), 0);
	std::ifstream f(root / "bus/platform/drivers/refgpu_c/bind");
	std::string got;
	std::getline(f, got);
	EXPECT_EQ(got, "refgpu.0");
	EXPECT_EQ(bus->prepare(BindTarget{"Y", "nodriver", "refgpu.0"}), -ENOENT);
	fs::remove_all(root);
}
