// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "faultbind.h"

#include "discovery.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <system_error>
#include <unistd.h>

namespace refgpu::equiv {

// --- the real bus ---------------------------------------------------------

namespace {

namespace fs = std::filesystem;

class SysfsPlatformBus final : public PlatformBus {
public:
	SysfsPlatformBus(std::string sysfs_root, std::string dev_root)
		: sysfs_(std::move(sysfs_root)), dev_(std::move(dev_root))
	{
	}

	int prepare(const BindTarget &t) override
	{
		if (fds_.count(t.driver))
			return 0;
		Attrs a;
		for (auto [attr, fd] : {std::pair{"/bind", &a.bind}, {"/unbind", &a.unbind}}) {
			std::string p = sysfs_ + "/bus/platform/drivers/" + t.driver + attr;
			int f = ::open(p.c_str(), O_WRONLY | O_CLOEXEC);
			if (f < 0)
				return -errno;
			*fd = Fd(f);
		}
		fds_.emplace(t.driver, std::move(a));
		return 0;
	}
	int write_bind(const BindTarget &t) override { return write_attr(t, true); }
	int write_unbind(const BindTarget &t) override { return write_attr(t, false); }

	std::string bound_driver(const BindTarget &t) override
	{
		std::error_code ec;
		fs::path l = fs::read_symlink(device_dir(t) / "driver", ec);
		return ec ? std::string() : l.filename().string();
	}

	std::vector<std::string> drm_minors(const BindTarget &t) override
	{
		std::vector<std::string> m;
		std::error_code ec;
		for (fs::directory_iterator it(device_dir(t) / "drm", ec), end; !ec && it != end;
		     it.increment(ec))
			m.push_back(it->path().filename().string());
		std::sort(m.begin(), m.end());
		return m;
	}

	std::string check_works(const BindTarget &t) override
	{
		std::string node;
		for (const std::string &m : drm_minors(t))
			if (m.rfind("renderD", 0) == 0)
				node = m;
		if (node.empty())
			return "no render node in sysfs";
		int err = 0;
		NodeDevice dev = NodeDevice::open(dev_ + "/dri/" + node, &err);
		if (err)
			return "the render node does not open: " + ret_name(-err);
		DrmVersion v;
		int r = drm_version(dev, &v);
		if (r)
			return "DRM_IOCTL_VERSION failed: " + ret_name(r);
		if (v.name != kDrmName)
			return "DRM_IOCTL_VERSION names \"" + v.name + "\"";
		std::uint32_t bo = 0;
		return create_close_bo(dev, &bo);
	}

private:
	fs::path device_dir(const BindTarget &t) const
	{
		return fs::path(sysfs_) / "bus/platform/devices" / t.device;
	}
	// Called between arming and reading back fail-nth: no allocation (a
	// heap page faulting in would be a fault point of ours), so a lookup
	// by the existing string and one pwrite(2).
	int write_attr(const BindTarget &t, bool bind)
	{
		auto it = fds_.find(t.driver);
		if (it == fds_.end())
			return -EBADF;
		const Fd &fd = bind ? it->second.bind : it->second.unbind;
		ssize_t w = ::pwrite(fd.get(), t.device.data(), t.device.size(), 0);
		if (w < 0)
			return -errno;
		return static_cast<std::size_t>(w) == t.device.size() ? 0 : -EIO;
	}

	std::string sysfs_, dev_;
	struct Attrs {
		Fd bind, unbind;
	};
	std::map<std::string, Attrs> fds_; // by driver
};

} // namespace

std::unique_ptr<PlatformBus> sysfs_platform_bus(const std::string &sysfs_root,
						const std::string &dev_root)
{
	return std::make_unique<SysfsPlatformBus>(sysfs_root, dev_root);
}

std::string platform_device_of(const std::string &sysfs_root, const std::string &node)
{
	std::error_code ec;
	fs::path l = fs::read_symlink(fs::path(sysfs_root) / "class/drm" / node / "device", ec);
	return ec ? std::string() : l.filename().string();
}

// --- the sweep --------------------------------------------------------------

const std::vector<BindOp> &bind_ops()
{
	static const std::vector<BindOp> ops = {
		{"probe", "write the device to /sys/bus/platform/drivers/<drv>/bind (probe)", true},
		{"remove", "write the device to /sys/bus/platform/drivers/<drv>/unbind (remove)", false},
	};
	return ops;
}

namespace {

// Why t is not bound to its driver and working ("" when it is).
std::string not_working(PlatformBus &bus, const BindTarget &t)
{
	std::string drv = bus.bound_driver(t);
	if (drv != t.driver)
		return drv.empty() ? "the device is not bound" : "the device is bound to " + drv;
	std::string w = bus.check_works(t);
	return w.empty() ? "" : "the device does not work: " + w;
}

// Unarmed: bring t to bound (want_bound) or unbound; "" or why it failed.
std::string settle(PlatformBus &bus, const BindTarget &t, bool want_bound)
{
	bool bound = !bus.bound_driver(t).empty();
	if (bound == want_bound)
		return want_bound ? not_working(bus, t) : "";
	if (want_bound) {
		int r = bus.write_bind(t);
		if (r)
			return "bind without a fault failed: " + ret_name(r);
		return not_working(bus, t);
	}
	int r = bus.write_unbind(t);
	if (r)
		return "unbind without a fault failed: " + ret_name(r);
	if (!bus.bound_driver(t).empty())
		return "still bound after an unbind without a fault";
	std::vector<std::string> m = bus.drm_minors(t);
	if (!m.empty())
		return "DRM minor " + m.front() + " left after an unbind without a fault";
	return "";
}

std::string join(const std::vector<std::string> &v)
{
	std::string j;
	for (const std::string &s : v)
		j += (j.empty() ? "" : ", ") + s;
	return j;
}

FaultSequence run_bind_sequence(const BindOp &op, PlatformBus &bus, const BindTarget &t,
				FailNth &fail_nth, unsigned max_n, std::string *fatal)
{
	FaultSequence seq;
	auto violation = [&](unsigned n, FaultCheck c, std::string what) {
		seq.violations.push_back({op.name, t.label, n, c, std::move(what)});
	};
	int pr = bus.prepare(t);
	if (pr) {
		violation(0, FaultCheck::setup,
			  "cannot open the bind/unbind attributes of " + t.driver + ": " + ret_name(pr));
		return seq;
	}
	// The baseline: unbind, bind, both without a fault; it also brings
	// in every page of code and data the write uses.
	for (bool b : {false, true}) {
		std::string why = settle(bus, t, b);
		if (!why.empty()) {
			violation(0, FaultCheck::setup, why);
			return seq;
		}
	}
	const char *step = op.bind ? "bind" : "unbind";
	for (unsigned n = 1; n <= max_n; n++) {
		// A probe starts from an unbound device, a remove from a bound one.
		std::string why = settle(bus, t, !op.bind);
		if (!why.empty()) {
			violation(n, FaultCheck::not_rebindable, "before the run: " + why);
			return seq;
		}
		int w = fail_nth.write(n);
		int r = op.bind ? bus.write_bind(t) : bus.write_unbind(t);
		unsigned left = 0;
		int rr = fail_nth.read(&left);
		int dis = fail_nth.write(0);
		if (w || rr || dis) {
			*fatal = "cannot " + std::string(w ? "arm" : rr ? "read back" : "disarm") +
				 " fail-nth: " + ret_name(w ? w : rr ? rr : dis);
			return seq;
		}
		FaultEntry e;
		e.n = n;
		e.left = left;
		e.injected = left == 0;
		if (r) {
			e.step = step;
			e.ret = r;
		}
		std::vector<std::pair<FaultCheck, std::string>> found;
		std::string drv = bus.bound_driver(t);
		std::vector<std::string> minors = bus.drm_minors(t);
		std::string what = std::string(step) + (r ? " failed with " + ret_name(r) : " succeeded") +
				   (e.injected ? " (fault injected)" : " (no fault injected)");
		if (r && !e.injected)
			found.emplace_back(FaultCheck::failed_without_fault,
					   what + ": it failed although no fault was injected (fail-nth read back " +
						   std::to_string(left) + ")");
		else if (r && !fault_error_documented(e))
			found.emplace_back(FaultCheck::undocumented_error,
					   what + "; documented: " + fault_documented_list(step));
		bool bound_after = op.bind ? r == 0 : r != 0;
		if (bound_after) {
			if (drv != t.driver)
				found.emplace_back(op.bind ? FaultCheck::wrong_success : FaultCheck::state_wrong,
						   what + " but the device is " +
							   (drv.empty() ? "not bound" : "bound to " + drv));
			std::string works = drv == t.driver ? bus.check_works(t) : "";
			e.state = works.empty() ? "bound, works" : "bound, " + works;
			// A swallowed fault may degrade the device (a devtmpfs node
			// not made, say): an outcome, compared between the drivers.
			// Without any fault it must work.
			if (!works.empty() && !e.injected)
				found.emplace_back(FaultCheck::driver_broken,
						   what + " but the device does not work: " + works);
		} else {
			e.state = "unbound";
			if (!drv.empty())
				found.emplace_back(FaultCheck::state_wrong,
						   what + " but the device is still bound to " + drv);
			else if (!minors.empty())
				found.emplace_back(FaultCheck::state_wrong,
						   what + " but DRM minor(s) " + join(minors) +
							   " outlived it");
		}
		seq.entries.push_back(e);
		bool clean = e.completed() && !e.injected;
		if (found.empty() && (!clean || !op.bind)) {
			// Rebindable: from whatever state the run left, an unarmed
			// unbind (if bound) and an unarmed bind must give a working
			// device. After the clean remove, this binds it back.
			std::string rb = bound_after ? settle(bus, t, false) : "";
			if (rb.empty())
				rb = settle(bus, t, true);
			if (!rb.empty())
				found.emplace_back(FaultCheck::not_rebindable, what + "; afterwards: " + rb);
		}
		if (!found.empty()) {
			for (auto &[c, text] : found)
				violation(n, c, std::move(text));
			settle(bus, t, true); // try to leave it bound
			return seq;
		}
		if (clean) {
			seq.clean_end = true;
			return seq;
		}
	}
	violation(max_n, FaultCheck::cap,
		  "cap reached: the fault was still injected at --fault-max " + std::to_string(max_n) +
			  ", no run without a fault; raise --fault-max");
	settle(bus, t, true);
	return seq;
}

} // namespace

FaultReport run_fault_bind(PlatformBus &bus, const BindTarget &c, const BindTarget &cpp,
			   FailNth &fail_nth, unsigned max_n)
{
	FaultReport rep;
	if (!fault_start(fail_nth, rep))
		return rep;
	for (const BindOp &op : bind_ops()) {
		// Which swallowed faults a probe absorbs depends on allocator
		// state, as in the ioctl sweep: sets that differ are swept again
		// and their unions compared.
		auto sweep = [&](bool is_cpp, std::string *fatal) {
			return run_bind_sequence(op, bus, is_cpp ? cpp : c, fail_nth, max_n, fatal);
		};
		if (!fault_run_op(rep, op.name, op.what, c.label, cpp.label, sweep, kFaultSweeps))
			return rep;
	}
	return rep;
}

std::string format_fault_bind_report(const FaultReport &r)
{
	return format_fault_verdict(r, "fault-bind",
				    "injected failures in probe and remove, every failed probe left "
				    "its device unbound and rebindable, the same outcomes on both "
				    "drivers");
}

} // namespace refgpu::equiv
