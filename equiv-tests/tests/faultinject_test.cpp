// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --fault-inject on in-process fakes whose fault points follow a fail-nth
// kept in a temporary file: the sequences the model must give, the
// per-driver invariants that catch a driver that fails badly, and the
// report (the two drivers' counts may differ: that is not a failure).
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

#include "expected_reports.h"
#include "fake_device.h"
#include "faultinject.h"

using namespace refgpu::equiv;
using refgpu::equiv::test::FakeNode;
using refgpu::equiv::test::FakeRefgpu;

namespace {

// A temporary file standing in for /proc/thread-self/fail-nth ("0\n").
class TempFailNth {
public:
	TempFailNth()
	{
		char tmpl[] = "/tmp/refgpu-equiv-fail-nth-XXXXXX";
		int fd = mkstemp(tmpl);
		EXPECT_GE(fd, 0);
		EXPECT_EQ(::write(fd, "0\n", 2), 2);
		close(fd);
		path = tmpl;
	}
	~TempFailNth() { unlink(path.c_str()); }
	std::string content() const
	{
		std::ifstream f(path);
		std::stringstream ss;
		ss << f.rdbuf();
		return ss.str();
	}
	void set(const std::string &s) const { std::ofstream(path, std::ios::trunc) << s; }

	std::string path;
};

using Setup = std::function<void(FakeRefgpu &)>;

// One fake driver: a long-lived file plus the node it is opened from, both
// set up alike and following the fail-nth at path.
struct FakeDriver {
	FakeDriver(const std::string &path, const std::string &label, Setup extra = nullptr)
		: setup([path, extra](FakeRefgpu &d) {
			  d.faults.fail_nth_path = path;
			  if (extra)
				  extra(d);
		  }),
		  node(setup), drv{dev, node, label}
	{
		setup(dev);
	}
	Setup setup;
	FakeRefgpu dev;
	FakeNode node;
	FaultDriver drv;
};

struct Pair {
	explicit Pair(Setup c_extra = nullptr, Setup cpp_extra = nullptr)
		: c(tmp.path, "C (c)", std::move(c_extra)), cpp(tmp.path, "C++ (cpp)", std::move(cpp_extra))
	{
		int e = -1;
		fail_nth = FailNth::open(tmp.path, &e);
		EXPECT_EQ(e, 0);
	}
	FaultReport run(const FaultConfig &cfg = {})
	{
		return run_fault_inject(c.drv, cpp.drv, fail_nth, cfg);
	}

	TempFailNth tmp;
	FakeDriver c, cpp;
	FailNth fail_nth;
};

FaultEntry entry(unsigned n, const std::string &step, int ret, bool injected, unsigned left,
		 int sig = 0, const std::string &cleanup = "")
{
	FaultEntry e;
	e.cleanup = cleanup;
	e.n = n;
	e.step = step;
	e.ret = ret;
	e.sig = sig;
	e.injected = injected;
	e.left = left;
	return e;
}

FaultEntry injected(unsigned n, const std::string &step, int ret = -ENOMEM,
		    const std::string &cleanup = "")
{
	return entry(n, step, ret, true, 0, 0, cleanup);
}

FaultEntry clean(unsigned n, const std::string &cleanup = "")
{
	return entry(n, kFaultOk, 0, false, 1, 0, cleanup);
}

const FaultOpReport &op(const FaultReport &r, const std::string &name)
{
	for (const FaultOpReport &o : r.ops)
		if (o.name == name)
			return o;
	ADD_FAILURE() << "no op " << name;
	static FaultOpReport none;
	return none;
}

FaultConfig only(const std::string &name, unsigned max_n = kDefaultFaultMax)
{
	FaultConfig cfg;
	cfg.max_n = max_n;
	cfg.ops.clear();
	for (const FaultOp &o : fault_ops())
		if (o.name == name)
			cfg.ops.push_back(o);
	EXPECT_EQ(cfg.ops.size(), 1u) << name;
	return cfg;
}

std::vector<std::string> texts(const std::vector<FaultViolation> &v)
{
	std::vector<std::string> t;
	for (const FaultViolation &x : v)
		t.push_back(x.text());
	return t;
}

// The sequences of the default model: BO_CREATE 3 fault points,
// BO_MMAP_OFFSET 1, mmap 2, SYNCOBJ_CREATE 2, DEV_QUERY 0, open 2, close 1.
// A completed run leaves its BO (syncobj) to the cleanup; a failing
// BO_MMAP_OFFSET or mmap leaves the BO.
const std::vector<FaultEntry> kBoCreate = {injected(1, "BO_CREATE"), injected(2, "BO_CREATE"),
					   injected(3, "BO_CREATE"), clean(4, "GEM_CLOSE")};
const std::vector<FaultEntry> kBoMapTouch = {
	injected(1, "BO_CREATE"), injected(2, "BO_CREATE"), injected(3, "BO_CREATE"),
	injected(4, "BO_MMAP_OFFSET", -ENOMEM, "GEM_CLOSE"), injected(5, "mmap", -ENOMEM, "GEM_CLOSE"),
	injected(6, "mmap", -ENOMEM, "GEM_CLOSE"), clean(7)};
const std::vector<FaultEntry> kSyncobj = {injected(1, "SYNCOBJ_CREATE"),
					  injected(2, "SYNCOBJ_CREATE"), clean(3, "SYNCOBJ_DESTROY")};
const std::vector<FaultEntry> kDevQuery = {clean(1)};
const std::vector<FaultEntry> kOpenNode = {injected(1, "open"), injected(2, "open"),
					   entry(3, kFaultOk, 0, true, 0), clean(4)};


} // namespace

TEST(FailNthFile, WritesANumberAndANewlineAndReadsTheFirstLine)
{
	TempFailNth t;
	int e = -1;
	FailNth f = FailNth::open(t.path, &e);
	ASSERT_TRUE(f.valid());
	EXPECT_EQ(e, 0);
	unsigned v = 99;
	EXPECT_EQ(f.write(12), 0);
	EXPECT_EQ(t.content(), "12\n");
	EXPECT_EQ(f.read(&v), 0);
	EXPECT_EQ(v, 12u);
	EXPECT_EQ(f.write(0), 0);
	EXPECT_EQ(t.content(), "0\n\n"); // pwrite at 0: the stale tail is past the newline
	EXPECT_EQ(f.read(&v), 0);
	EXPECT_EQ(v, 0u);
	EXPECT_EQ(f.write(4294967295u), 0);
	EXPECT_EQ(f.read(&v), 0);
	EXPECT_EQ(v, 4294967295u);
	EXPECT_EQ(f.read(&v), 0); // pread: the offset does not move
	EXPECT_EQ(v, 4294967295u);

	t.set("abc\n");
	EXPECT_EQ(f.read(&v), -EBADMSG);
	t.set("");
	EXPECT_EQ(f.read(&v), -EBADMSG);
	t.set("4294967296\n");
	EXPECT_EQ(f.read(&v), -EBADMSG);
	t.set("7");
	EXPECT_EQ(f.read(&v), 0);
	EXPECT_EQ(v, 7u);

	FailNth missing = FailNth::open("/nonexistent-refgpu/fail-nth", &e);
	EXPECT_FALSE(missing.valid());
	EXPECT_EQ(e, ENOENT);
}

TEST(FailNthFile, ModelDecrementsAndFailsTheNthPoint)
{
	TempFailNth t;
	unsigned reached = 0;
	EXPECT_FALSE(test::fail_nth_point(t.path, &reached)); // 0: disarmed
	EXPECT_EQ(reached, 0u);
	t.set("3\n");
	EXPECT_FALSE(test::fail_nth_point(t.path, &reached));
	EXPECT_EQ(t.content(), "2\n");
	EXPECT_FALSE(test::fail_nth_point(t.path, &reached));
	EXPECT_TRUE(test::fail_nth_point(t.path, &reached));
	EXPECT_EQ(t.content(), "0\n");
	EXPECT_FALSE(test::fail_nth_point(t.path, &reached)); // only once
	EXPECT_EQ(reached, 3u);
	EXPECT_FALSE(test::fail_nth_point("", &reached));
}

TEST(FaultInject, OperationsAreTheBriefsAndTheVmOnes)
{
	std::vector<std::string> names;
	for (const FaultOp &o : fault_ops()) {
		names.push_back(o.name);
		EXPECT_NE(std::string(o.what), "");
		EXPECT_NE(o.run, nullptr);
		EXPECT_NE(o.verify, nullptr);
	}
	EXPECT_EQ(names, (std::vector<std::string>{"bo_create_4k", "bo_1m_map_touch", "syncobj_create",
						   "dev_query.gpu_info", "open_node", "vm_create",
						   "vm_bind_map"}));
}

TEST(FaultInject, DocumentedErrorsAreOneTable)
{
	std::vector<std::pair<std::string, std::vector<int>>> got;
	for (const FaultStepErrors &d : fault_documented_errors()) {
		got.emplace_back(d.step, d.errnos);
		EXPECT_NE(std::string(d.call), "") << d.step;
	}
	EXPECT_EQ(got, (std::vector<std::pair<std::string, std::vector<int>>>{
			       {"BO_CREATE", {ENOMEM, ENOSPC}},
			       {"BO_MMAP_OFFSET", {ENOMEM}},
			       {"mmap", {ENOMEM, EAGAIN}},
			       {"SYNCOBJ_CREATE", {ENOMEM}},
			       {"DEV_QUERY", {ENOMEM, EFAULT}},
			       {"open", {ENOMEM, ENFILE, EMFILE}},
			       {"VERSION", {ENOMEM, EFAULT}},
			       {"VM_CREATE", {ENOMEM}},
			       {"VM_BIND", {ENOMEM}},
			       {"bind", {ENOMEM, EBUSY}},
			       {"unbind", {ENOMEM}},
		       }));
	EXPECT_EQ(std::string(fault_step_errors("VERSION")->call), "DRM_IOCTL_VERSION");
	EXPECT_EQ(fault_step_errors("touch"), nullptr);
	EXPECT_EQ(fault_documented_list("BO_CREATE"), "-ENOMEM, -ENOSPC");
	EXPECT_EQ(fault_documented_list("open"), "-ENOMEM, -ENFILE, -EMFILE");
	EXPECT_EQ(fault_documented_list("munmap"), "none");

	EXPECT_TRUE(fault_error_documented(injected(1, "BO_CREATE", -ENOSPC)));
	EXPECT_TRUE(fault_error_documented(injected(1, "mmap", -EAGAIN)));
	EXPECT_TRUE(fault_error_documented(injected(1, "open", -EMFILE)));
	EXPECT_FALSE(fault_error_documented(injected(1, "BO_CREATE", -EIO)));
	EXPECT_FALSE(fault_error_documented(injected(1, "SYNCOBJ_CREATE", -ENOSPC)));
	EXPECT_FALSE(fault_error_documented(injected(1, "munmap", -ENOMEM)));
	EXPECT_FALSE(fault_error_documented(entry(1, "touch", -EFAULT, true, 0, SIGBUS)));
	EXPECT_FALSE(fault_error_documented(clean(1)));
}

TEST(FaultInject, ViolationTextNamesOpDriverAndRun)
{
	FaultViolation v{"bo_create_4k", "C++ (x)", 7, FaultCheck::handle_leaked, "it leaked"};
	EXPECT_EQ(v.text(), "bo_create_4k on C++ (x): n=7: it leaked");
	v.n = 0;
	EXPECT_EQ(v.text(), "bo_create_4k on C++ (x): baseline run (no fault armed): it leaked");
	v.check = FaultCheck::setup;
	EXPECT_EQ(v.text(), "bo_create_4k on C++ (x): before the first run: it leaked");
	EXPECT_EQ(std::string(fault_check_name(FaultCheck::undocumented_error)), "undocumented error");
}

TEST(FaultInject, CollectsTheSequencesAndStopsAtTheFirstCleanRun)
{
	Pair p;
	FaultReport r = p.run();
	ASSERT_TRUE(r.fatal.empty()) << r.fatal;
	EXPECT_TRUE(r.violations.empty()) << ::testing::PrintToString(texts(r.violations));
	ASSERT_EQ(r.ops.size(), 7u);
	for (const FaultOpReport &o : r.ops) {
		EXPECT_TRUE(o.c.clean_end) << o.name;
		EXPECT_TRUE(o.cpp.clean_end) << o.name;
		EXPECT_EQ(o.c.entries, o.cpp.entries) << o.name; // identical fakes
		EXPECT_TRUE(o.ok()) << o.name;
	}
	EXPECT_EQ(op(r, "bo_create_4k").c.entries, kBoCreate);
	EXPECT_EQ(op(r, "bo_1m_map_touch").c.entries, kBoMapTouch);
	EXPECT_EQ(op(r, "syncobj_create").c.entries, kSyncobj);
	EXPECT_EQ(op(r, "dev_query.gpu_info").c.entries, kDevQuery);
	EXPECT_EQ(op(r, "open_node").c.entries, kOpenNode);
	EXPECT_EQ(op(r, "open_node").c.swallowed(), 1u);
	EXPECT_EQ(op(r, "bo_1m_map_touch").c.injection_points(), 6u);
	EXPECT_TRUE(r.ok());
	EXPECT_EQ(r.injected_c(), 16u);
	EXPECT_EQ(r.injected_cpp(), 16u);

	// Disarmed at the end; everything released on both fakes.
	EXPECT_EQ(p.tmp.content().substr(0, 2), "0\n");
	for (FakeDriver *d : {&p.c, &p.cpp}) {
		EXPECT_EQ(d->dev.live_bos(), 0u);
		EXPECT_EQ(d->dev.live_syncobjs(), 0u);
		EXPECT_EQ(d->node.open_files(), 0u);
		// open_node: the baseline, then n = 3 (close fault swallowed) and n = 4.
		EXPECT_EQ(d->node.opens, 3u);
		EXPECT_EQ(d->node.closes, 3u);
		// Fault points reached on the long-lived file while armed: run n
		// reaches min(n, points of the op): bo_create_4k (3) 1+2+3+3,
		// bo_1m_map_touch (6) 1+2+3+4+5+6+6, syncobj_create (2) 1+2+2;
		// vm_create and vm_bind_map (1 each) 1+1; open_node's files
		// are the node's, dev_query has none.
		EXPECT_EQ(d->dev.faults.reached, 9u + 27u + 5u + 2u + 2u);
	}
}

TEST(FaultInject, HappyReportShowsBothSidesAndTheVerdict)
{
	Pair p;
	FaultReport r = p.run();
	EXPECT_EQ(format_fault_report(r),
		  refgpu::equiv::test::kFaultInjectHappyTable + refgpu::equiv::test::kFaultInjectHappyOutcomes +
			  "fault-inject: 16 (C) / 16 (C++) injected failures, every error documented, "
			  "nothing leaked, the same outcomes on both drivers: OK\n");
}

TEST(FaultInject, OutcomeKeysAndSets)
{
	EXPECT_EQ(fault_outcome_key(clean(4)), "ok");
	EXPECT_EQ(fault_outcome_key(entry(3, kFaultOk, 0, true, 0)), "ok"); // swallowed: still ok
	EXPECT_EQ(fault_outcome_key(injected(1, "mmap", -EAGAIN, "GEM_CLOSE")),
		  "mmap -EAGAIN (cleanup: GEM_CLOSE)");
	EXPECT_EQ(fault_outcome_key(entry(5, "touch", -EFAULT, true, 0, SIGBUS, "munmap, GEM_CLOSE")),
		  "touch SIGBUS (cleanup: munmap, GEM_CLOSE)");
	FaultSequence s;
	s.entries = kBoMapTouch;
	EXPECT_EQ(s.outcomes(), (std::vector<std::string>{"BO_CREATE -ENOMEM",
							  "BO_MMAP_OFFSET -ENOMEM (cleanup: GEM_CLOSE)",
							  "mmap -ENOMEM (cleanup: GEM_CLOSE)", "ok"}));
	FaultViolation v{"bo_create_4k", "C and C++", 0, FaultCheck::divergence, "they differ"};
	EXPECT_EQ(v.text(), "bo_create_4k: they differ");
}

TEST(FaultInject, DifferentCountsWithTheSameOutcomesAreNotAFailure)
{
	// The C++ model hits one more point in BO_CREATE, one fewer in
	// SYNCOBJ_CREATE: the same outcomes, other counts. Printed, not failed.
	Pair p(nullptr, [](FakeRefgpu &d) {
		d.faults.points[DRM_IOCTL_REFGPU_BO_CREATE] = 4;
		d.faults.points[DRM_IOCTL_SYNCOBJ_CREATE] = 1;
	});
	FaultReport r = p.run();
	EXPECT_TRUE(r.violations.empty()) << ::testing::PrintToString(texts(r.violations));
	EXPECT_TRUE(r.ok());
	const FaultOpReport &o = op(r, "bo_create_4k");
	EXPECT_EQ(o.c.entries, kBoCreate);
	EXPECT_EQ(o.cpp.entries,
		  (std::vector<FaultEntry>{injected(1, "BO_CREATE"), injected(2, "BO_CREATE"),
					   injected(3, "BO_CREATE"), injected(4, "BO_CREATE"),
					   clean(5, "GEM_CLOSE")}));
	EXPECT_TRUE(o.ok());
	EXPECT_TRUE(o.same_outcomes());
	EXPECT_FALSE(o.same_counts());
	EXPECT_TRUE(op(r, "dev_query.gpu_info").same_counts());
	EXPECT_EQ(op(r, "syncobj_create").cpp.entries,
		  (std::vector<FaultEntry>{injected(1, "SYNCOBJ_CREATE"), clean(2, "SYNCOBJ_DESTROY")}));
	EXPECT_EQ(r.injected_c(), 16u);
	EXPECT_EQ(r.injected_cpp(), 4u + 7u + 1u + 0u + 3u + 1u + 1u);
	EXPECT_EQ(format_fault_report(r),
		  "op                 | runs and outcomes (sweep 1)   | C | C++\n"
		  "-------------------+-------------------------------+---+----\n"
		  "bo_create_4k       | runs                          | 4 |   5\n"
		  "                   | injection points              | 3 |   4\n"
		  "                   | BO_CREATE -ENOMEM             | 3 |   4\n"
		  "                   | ok despite the injected fault | 0 |   0\n"
		  "bo_1m_map_touch    | runs                          | 7 |   8\n"
		  "                   | injection points              | 6 |   7\n"
		  "                   | BO_CREATE -ENOMEM             | 3 |   4\n"
		  "                   | BO_MMAP_OFFSET -ENOMEM        | 1 |   1\n"
		  "                   | mmap -ENOMEM                  | 2 |   2\n"
		  "                   | ok despite the injected fault | 0 |   0\n"
		  "syncobj_create     | runs                          | 3 |   2\n"
		  "                   | injection points              | 2 |   1\n"
		  "                   | SYNCOBJ_CREATE -ENOMEM        | 2 |   1\n"
		  "                   | ok despite the injected fault | 0 |   0\n"
		  "dev_query.gpu_info | runs                          | 1 |   1\n"
		  "                   | injection points              | 0 |   0\n"
		  "                   | ok despite the injected fault | 0 |   0\n"
		  "open_node          | runs                          | 4 |   4\n"
		  "                   | injection points              | 3 |   3\n"
		  "                   | open -ENOMEM                  | 2 |   2\n"
		  "                   | ok despite the injected fault | 1 |   1\n"
		  "vm_create          | runs                          | 2 |   2\n"
		  "                   | injection points              | 1 |   1\n"
		  "                   | VM_CREATE -ENOMEM             | 1 |   1\n"
		  "                   | ok despite the injected fault | 0 |   0\n"
		  "vm_bind_map        | runs                          | 2 |   2\n"
		  "                   | injection points              | 1 |   1\n"
		  "                   | VM_BIND -ENOMEM               | 1 |   1\n"
		  "                   | ok despite the injected fault | 0 |   0\n"
		  "outcome sets, C vs C++ (failing step and errno, or ok; what the cleanup released):\n"
		  "  bo_create_4k: same {BO_CREATE -ENOMEM; ok (cleanup: GEM_CLOSE)}\n"
		  "    fault points differ: C 3 in 4 runs, C++ 4 in 5 runs (information, not a "
		  "failure)\n"
		  "  bo_1m_map_touch: same {BO_CREATE -ENOMEM; BO_MMAP_OFFSET -ENOMEM (cleanup: "
		  "GEM_CLOSE); mmap -ENOMEM (cleanup: GEM_CLOSE); ok}\n"
		  "    fault points differ: C 6 in 7 runs, C++ 7 in 8 runs (information, not a "
		  "failure)\n"
		  "  syncobj_create: same {SYNCOBJ_CREATE -ENOMEM; ok (cleanup: SYNCOBJ_DESTROY)}\n"
		  "    fault points differ: C 2 in 3 runs, C++ 1 in 2 runs (information, not a "
		  "failure)\n"
		  "  dev_query.gpu_info: same {ok}\n"
		  "  open_node: same {ok; open -ENOMEM}\n"
		  "  vm_create: same {VM_CREATE -ENOMEM; ok (cleanup: VM_DESTROY)}\n"
		  "  vm_bind_map: same {VM_BIND -ENOMEM (cleanup: GEM_CLOSE, VM_DESTROY); ok (cleanup: "
		  "GEM_CLOSE, VM_DESTROY)}\n"
		  "fault-inject: 16 (C) / 17 (C++) injected failures, every error documented, "
		  "nothing leaked, the same outcomes on both drivers: OK\n");
}

TEST(FaultInject, DocumentedButDifferentErrnosAreADivergence)
{
	// Planted: the C++ BO_CREATE fails with -ENOSPC under the fault, C with
	// -ENOMEM. Both documented, so each driver passes on its own; the
	// comparison fails after three sweeps each, naming the op and both
	// unions.
	Pair p(nullptr, [](FakeRefgpu &d) { d.faults.errnos[DRM_IOCTL_REFGPU_BO_CREATE] = ENOSPC; });
	FaultReport r = p.run();
	EXPECT_FALSE(r.ok());
	EXPECT_TRUE(op(r, "bo_create_4k").compared());
	EXPECT_FALSE(op(r, "bo_create_4k").same_outcomes());
	EXPECT_TRUE(op(r, "bo_create_4k").same_counts());
	EXPECT_EQ(op(r, "bo_create_4k").sweeps(), 3u);
	EXPECT_TRUE(op(r, "syncobj_create").ok());
	EXPECT_EQ(op(r, "syncobj_create").sweeps(), 1u); // same at once: not swept again
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{
			  "bo_create_4k: outcome sets differ after 3 sweeps each (unions over all "
			  "sweeps): C {BO_CREATE -ENOMEM; ok (cleanup: GEM_CLOSE)}, C++ {BO_CREATE "
			  "-ENOSPC; ok (cleanup: GEM_CLOSE)}; only on C: {BO_CREATE -ENOMEM}; only on "
			  "C++: {BO_CREATE -ENOSPC}",
			  "bo_1m_map_touch: outcome sets differ after 3 sweeps each (unions over all "
			  "sweeps): C {BO_CREATE -ENOMEM; BO_MMAP_OFFSET -ENOMEM (cleanup: GEM_CLOSE); "
			  "mmap -ENOMEM (cleanup: GEM_CLOSE); ok}, C++ {BO_CREATE -ENOSPC; BO_MMAP_OFFSET "
			  "-ENOMEM (cleanup: GEM_CLOSE); mmap -ENOMEM (cleanup: GEM_CLOSE); ok}; only on "
			  "C: {BO_CREATE -ENOMEM}; only on C++: {BO_CREATE -ENOSPC}"}));
	EXPECT_EQ(r.violations[0].check, FaultCheck::divergence);
	std::string text = format_fault_report(r);
	EXPECT_NE(text.find("  bo_create_4k: DIFFERENT: C {BO_CREATE -ENOMEM; ok (cleanup: GEM_CLOSE)}, "
			    "C++ {BO_CREATE -ENOSPC; ok (cleanup: GEM_CLOSE)} (unions of 3 sweeps "
			    "each)\n"),
		  std::string::npos)
		<< text;
	EXPECT_NE(text.find("fault-inject: FAILED, 2 violation(s):\n"), std::string::npos) << text;
}

TEST(FaultInject, ADifferentFailingStepIsADivergence)
{
	// Planted: the C++ BO_CREATE has no fault point, its BO_MMAP_OFFSET four:
	// six points on both drivers, but C++ never fails BO_CREATE.
	Pair p(nullptr, [](FakeRefgpu &d) {
		d.faults.points[DRM_IOCTL_REFGPU_BO_CREATE] = 0;
		d.faults.points[DRM_IOCTL_REFGPU_BO_MMAP_OFFSET] = 4;
	});
	FaultReport r = p.run(only("bo_1m_map_touch"));
	ASSERT_EQ(r.violations.size(), 1u) << ::testing::PrintToString(texts(r.violations));
	EXPECT_EQ(r.violations[0].check, FaultCheck::divergence);
	EXPECT_TRUE(op(r, "bo_1m_map_touch").same_counts()); // 6 points on both
	EXPECT_EQ(r.violations[0].text(),
		  "bo_1m_map_touch: outcome sets differ after 3 sweeps each (unions over all sweeps): "
		  "C {BO_CREATE -ENOMEM; BO_MMAP_OFFSET -ENOMEM (cleanup: GEM_CLOSE); mmap -ENOMEM "
		  "(cleanup: GEM_CLOSE); ok}, C++ {BO_MMAP_OFFSET -ENOMEM (cleanup: GEM_CLOSE); mmap "
		  "-ENOMEM (cleanup: GEM_CLOSE); ok}; only on C: {BO_CREATE -ENOMEM}");
	// With re-sweeps off, the first sweep's sets are the verdict.
	FaultConfig once = only("bo_1m_map_touch");
	once.max_sweeps = 1;
	Pair q(nullptr, [](FakeRefgpu &d) {
		d.faults.points[DRM_IOCTL_REFGPU_BO_CREATE] = 0;
		d.faults.points[DRM_IOCTL_REFGPU_BO_MMAP_OFFSET] = 4;
	});
	FaultReport r1 = q.run(once);
	ASSERT_EQ(r1.violations.size(), 1u);
	EXPECT_EQ(op(r1, "bo_1m_map_touch").sweeps(), 1u);
	EXPECT_EQ(r1.violations[0].text(),
		  "bo_1m_map_touch: outcome sets differ: C {BO_CREATE -ENOMEM; BO_MMAP_OFFSET -ENOMEM "
		  "(cleanup: GEM_CLOSE); mmap -ENOMEM (cleanup: GEM_CLOSE); ok}, C++ {BO_MMAP_OFFSET "
		  "-ENOMEM (cleanup: GEM_CLOSE); mmap -ENOMEM (cleanup: GEM_CLOSE); ok}");
}

namespace {

// Which driver's sweep of bo_create_4k (3 BO_CREATE fault points: faults
// 3k-2 .. 3k of a file are its sweep k) each injected fault belongs to.
unsigned sweep_of(unsigned injected)
{
	return (injected + 2) / 3;
}

// A fake whose BO_CREATE answers -ENOSPC to the 2nd fault of the given
// sweeps (allocator state: shmem's inode allocation failing instead of the
// object's), and logs label at the first fault of each sweep.
Setup enospc_in_sweeps(std::set<unsigned> sweeps, std::vector<std::string> *log,
		       std::string label)
{
	return [sweeps, log, label](FakeRefgpu &d) {
		d.faults.errno_hook = [sweeps, log, label](unsigned long req, unsigned k) {
			if (req != DRM_IOCTL_REFGPU_BO_CREATE)
				return 0;
			if (k % 3 == 1)
				log->push_back(label);
			return k % 3 == 2 && sweeps.count(sweep_of(k)) ? ENOSPC : 0;
		};
	};
}

} // namespace

TEST(FaultInject, AnOutcomeOnOneSideInTheFirstSweepOnlyIsSweptAgainAndPasses)
{
	// -ENOSPC on C++ in sweep 1, on C in sweep 2: the first sweep's sets
	// differ, the unions after two sweeps agree. Not a failure; said so.
	std::vector<std::string> log;
	Pair p(enospc_in_sweeps({2}, &log, "C"), enospc_in_sweeps({1}, &log, "C++"));
	FaultReport r = p.run(only("bo_create_4k"));
	EXPECT_TRUE(r.violations.empty()) << ::testing::PrintToString(texts(r.violations));
	EXPECT_TRUE(r.ok());
	const FaultOpReport &o = op(r, "bo_create_4k");
	EXPECT_FALSE(o.first_sweep_same());
	EXPECT_TRUE(o.same_outcomes());
	EXPECT_EQ(o.sweeps(), 2u);
	EXPECT_EQ(o.c_more.size(), 1u);
	EXPECT_EQ(o.cpp_more.size(), 1u);
	EXPECT_EQ(o.c.outcomes(),
		  (std::vector<std::string>{"BO_CREATE -ENOMEM", "ok (cleanup: GEM_CLOSE)"}));
	EXPECT_EQ(o.c_outcomes(), (std::vector<std::string>{"BO_CREATE -ENOMEM", "BO_CREATE -ENOSPC",
							    "ok (cleanup: GEM_CLOSE)"}));
	EXPECT_EQ(o.cpp_outcomes(), o.c_outcomes());
	EXPECT_EQ(log, (std::vector<std::string>{"C", "C++", "C++", "C"}));
	EXPECT_EQ(o.order, (std::vector<std::string>{"C (c)", "C++ (cpp)", "C++ (cpp)", "C (c)"}));
	EXPECT_EQ(r.injected_c(), 6u); // both sweeps
	EXPECT_EQ(r.injected_cpp(), 6u);
	std::string text = format_fault_report(r);
	EXPECT_NE(text.find("  bo_create_4k: same {BO_CREATE -ENOMEM; BO_CREATE -ENOSPC; ok (cleanup: "
			    "GEM_CLOSE)} (unions of 2 sweeps each)\n"
			    "    the first sweep differed: C {BO_CREATE -ENOMEM; ok (cleanup: GEM_CLOSE)}, "
			    "C++ {BO_CREATE -ENOMEM; BO_CREATE -ENOSPC; ok (cleanup: GEM_CLOSE)}; the "
			    "unions agree after 2 sweeps (information, not a failure)\n"),
		  std::string::npos)
		<< text;
	// The table is the first sweep's.
	EXPECT_NE(text.find("op           | runs and outcomes (sweep 1)   | C | C++\n"),
		  std::string::npos)
		<< text;
	EXPECT_NE(text.find("             | BO_CREATE -ENOMEM             | 3 |   2\n"
			    "             | BO_CREATE -ENOSPC             | 0 |   1\n"),
		  std::string::npos)
		<< text;
	EXPECT_NE(text.find("fault-inject: 6 (C) / 6 (C++) injected failures, every error documented, "
			    "nothing leaked, the same outcomes on both drivers: OK\n"),
		  std::string::npos)
		<< text;
	for (FakeDriver *d : {&p.c, &p.cpp})
		EXPECT_EQ(d->dev.live_bos(), 0u);
}

TEST(FaultInject, AnOutcomeOnlyOneSideEverGivesFailsAfterThreeSweeps)
{
	// Planted: C++ answers -ENOSPC in every sweep, C never. Three sweeps
	// each, alternating who goes first, then a divergence of the unions.
	std::vector<std::string> log;
	Pair p(enospc_in_sweeps({}, &log, "C"), enospc_in_sweeps({1, 2, 3, 4}, &log, "C++"));
	FaultReport r = p.run(only("bo_create_4k"));
	EXPECT_FALSE(r.ok());
	const FaultOpReport &o = op(r, "bo_create_4k");
	EXPECT_TRUE(o.compared());
	EXPECT_EQ(o.sweeps(), 3u);
	EXPECT_EQ(log, (std::vector<std::string>{"C", "C++", "C++", "C", "C", "C++"}));
	EXPECT_EQ(o.order, (std::vector<std::string>{"C (c)", "C++ (cpp)", "C++ (cpp)", "C (c)",
						     "C (c)", "C++ (cpp)"}));
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{
			  "bo_create_4k: outcome sets differ after 3 sweeps each (unions over all "
			  "sweeps): C {BO_CREATE -ENOMEM; ok (cleanup: GEM_CLOSE)}, C++ {BO_CREATE "
			  "-ENOMEM; BO_CREATE -ENOSPC; ok (cleanup: GEM_CLOSE)}; only on C++: {BO_CREATE "
			  "-ENOSPC}"}));
	EXPECT_EQ(r.violations[0].check, FaultCheck::divergence);
	EXPECT_EQ(r.injected_c(), 9u);
	EXPECT_EQ(r.injected_cpp(), 9u);
	EXPECT_NE(format_fault_report(r).find("fault-inject: FAILED, 1 violation(s):\n"),
		  std::string::npos);
}

TEST(FaultInject, EveryReSweepIsJudgedAsStrictlyAsTheFirst)
{
	// Sweep 1 differs (C++ -ENOSPC); in sweep 2, which C++ runs first, its
	// BO_CREATE fails with an undocumented -EIO: a violation naming the
	// sweep, and the sets are no longer compared.
	std::vector<std::string> log;
	Pair p(nullptr, [](FakeRefgpu &d) {
		d.faults.errno_hook = [](unsigned long req, unsigned k) {
			if (req != DRM_IOCTL_REFGPU_BO_CREATE)
				return 0;
			return k == 2 ? ENOSPC : k == 4 ? EIO : 0;
		};
	});
	FaultReport r = p.run(only("bo_create_4k"));
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{"bo_create_4k on C++ (cpp): sweep 2, n=1: BO_CREATE failed "
					    "with -EIO under the injected fault; documented: -ENOMEM, "
					    "-ENOSPC"}));
	EXPECT_EQ(r.violations[0].sweep, 2u);
	EXPECT_EQ(r.violations[0].check, FaultCheck::undocumented_error);
	const FaultOpReport &o = op(r, "bo_create_4k");
	EXPECT_FALSE(o.compared());
	EXPECT_FALSE(r.ok());
	EXPECT_EQ(o.sweeps(), 2u); // stopped there
	EXPECT_EQ(o.order, (std::vector<std::string>{"C (c)", "C++ (cpp)", "C++ (cpp)", "C (c)"}));
	EXPECT_NE(format_fault_outcomes(r).find("  bo_create_4k: not compared: a violation stopped a "
						"sequence (below)\n"),
		  std::string::npos)
		<< format_fault_outcomes(r);
	EXPECT_EQ(p.cpp.dev.live_bos(), 0u);
}

TEST(FaultInject, OutcomesAreNotComparedAfterAViolation)
{
	Pair p(nullptr, [](FakeRefgpu &d) { d.faults.errnos[DRM_IOCTL_SYNCOBJ_CREATE] = EIO; });
	FaultReport r = p.run(only("syncobj_create"));
	ASSERT_EQ(r.violations.size(), 1u) << ::testing::PrintToString(texts(r.violations));
	EXPECT_EQ(r.violations[0].check, FaultCheck::undocumented_error);
	EXPECT_FALSE(op(r, "syncobj_create").compared());
	EXPECT_NE(format_fault_outcomes(r).find("  syncobj_create: not compared: a violation stopped a "
						"sequence (below)\n"),
		  std::string::npos)
		<< format_fault_outcomes(r);
}

TEST(FaultInject, AnUndocumentedErrnoIsAViolationNamingDriverOpAndN)
{
	Pair p(nullptr, [](FakeRefgpu &d) { d.faults.errnos[DRM_IOCTL_REFGPU_BO_CREATE] = EIO; });
	FaultReport r = p.run();
	EXPECT_FALSE(r.ok());
	ASSERT_EQ(r.violations.size(), 2u) << ::testing::PrintToString(texts(r.violations));
	const FaultViolation &v = r.violations[0];
	EXPECT_EQ(v.op, "bo_create_4k");
	EXPECT_EQ(v.driver, "C++ (cpp)");
	EXPECT_EQ(v.n, 1u);
	EXPECT_EQ(v.check, FaultCheck::undocumented_error);
	EXPECT_EQ(v.text(), "bo_create_4k on C++ (cpp): n=1: BO_CREATE failed with -EIO under the "
			    "injected fault; documented: -ENOMEM, -ENOSPC");
	EXPECT_EQ(r.violations[1].text(), "bo_1m_map_touch on C++ (cpp): n=1: BO_CREATE failed with "
					  "-EIO under the injected fault; documented: -ENOMEM, -ENOSPC");
	// The C++ sequence stops at the violation; C is unaffected.
	const FaultOpReport &o = op(r, "bo_create_4k");
	EXPECT_EQ(o.cpp.entries, (std::vector<FaultEntry>{injected(1, "BO_CREATE", -EIO)}));
	EXPECT_FALSE(o.cpp.clean_end);
	EXPECT_EQ(o.c.entries, kBoCreate);
	EXPECT_TRUE(o.c.violations.empty());
	EXPECT_FALSE(o.ok());
	EXPECT_TRUE(op(r, "syncobj_create").ok());
	EXPECT_EQ(p.cpp.dev.live_bos(), 0u); // the probe still ran: nothing leaked

	std::string text = format_fault_report(r);
	EXPECT_NE(text.find("bo_create_4k       | runs                          | 4 | 1 (violation)\n"),
		  std::string::npos)
		<< text;
	EXPECT_NE(text.find("                   | BO_CREATE -EIO                | 0 |             1\n"),
		  std::string::npos)
		<< text;
	const std::string tail =
		"fault-inject: FAILED, 2 violation(s):\n"
		"  bo_create_4k on C++ (cpp): n=1: BO_CREATE failed with -EIO under the injected "
		"fault; documented: -ENOMEM, -ENOSPC\n"
		"  bo_1m_map_touch on C++ (cpp): n=1: BO_CREATE failed with -EIO under the injected "
		"fault; documented: -ENOMEM, -ENOSPC\n";
	ASSERT_GE(text.size(), tail.size());
	EXPECT_EQ(text.substr(text.size() - tail.size()), tail) << text;
}

TEST(FaultInject, AHandleLeakedByAFailedOpIsAViolation)
{
	Pair p(nullptr, [](FakeRefgpu &d) { d.faults.leak_bo_on_fault = true; });
	FaultReport r = p.run();
	EXPECT_FALSE(r.ok());
	ASSERT_EQ(r.violations.size(), 2u) << ::testing::PrintToString(texts(r.violations));
	EXPECT_EQ(r.violations[0].check, FaultCheck::handle_leaked);
	EXPECT_EQ(r.violations[0].text(),
		  "bo_create_4k on C++ (cpp): n=1: after the run (BO_CREATE -ENOMEM, fault injected) a "
		  "new BO gets handle 2, 1 before it: a BO handle leaked");
	// Handle 1 stays leaked: the next op starts from 2.
	EXPECT_EQ(r.violations[1].text(),
		  "bo_1m_map_touch on C++ (cpp): n=1: after the run (BO_CREATE -ENOMEM, fault "
		  "injected) a new BO gets handle 3, 2 before it: a BO handle leaked");
	const FaultOpReport &o = op(r, "bo_create_4k");
	EXPECT_EQ(o.cpp.entries, (std::vector<FaultEntry>{injected(1, "BO_CREATE")}));
	EXPECT_FALSE(o.cpp.clean_end);
	EXPECT_EQ(o.c.entries, kBoCreate);
	EXPECT_FALSE(o.ok());
	EXPECT_TRUE(op(r, "syncobj_create").ok());
}

TEST(FaultInject, ASyncobjHandleLeakIsAViolation)
{
	Pair p([](FakeRefgpu &d) { d.faults.leak_syncobj_on_fault = true; });
	FaultReport r = p.run(only("syncobj_create"));
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{"syncobj_create on C (c): n=1: after the run (SYNCOBJ_CREATE "
					    "-ENOMEM, fault injected) a new syncobj gets handle 2, 1 "
					    "before it: a syncobj handle leaked"}));
	EXPECT_EQ(r.violations[0].check, FaultCheck::handle_leaked);
	EXPECT_TRUE(op(r, "syncobj_create").cpp.clean_end);
	EXPECT_FALSE(r.ok());
}

TEST(FaultInject, ASuccessWhoseCleanupFailsIsAViolation)
{
	// BO_CREATE "succeeds" under the fault with a handle that does not exist.
	Pair p(nullptr, [](FakeRefgpu &d) { d.faults.bogus_bo_on_fault = true; });
	FaultReport r = p.run(only("bo_create_4k"));
	ASSERT_EQ(r.violations.size(), 1u) << ::testing::PrintToString(texts(r.violations));
	EXPECT_EQ(r.violations[0].check, FaultCheck::cleanup_failed);
	EXPECT_EQ(r.violations[0].text(),
		  "bo_create_4k on C++ (cpp): n=1: cleanup after the run (completed, fault injected): "
		  "GEM_CLOSE of handle 77 failed: -EINVAL");
	EXPECT_EQ(op(r, "bo_create_4k").cpp.entries,
		  (std::vector<FaultEntry>{entry(1, kFaultOk, 0, true, 0, 0, "GEM_CLOSE")}));
}

TEST(FaultInject, AWrongSuccessIsAViolation)
{
	// BO_CREATE "succeeds" under the fault with handle 0.
	Pair p(nullptr, [](FakeRefgpu &d) {
		d.faults.bogus_bo_on_fault = true;
		d.faults.bogus_bo_handle = 0;
	});
	FaultReport r = p.run(only("bo_create_4k"));
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{"bo_create_4k on C++ (cpp): n=1: the operation succeeded "
					    "(completed, fault injected) but BO_CREATE returned handle 0"}));
	EXPECT_EQ(r.violations[0].check, FaultCheck::wrong_success);
	EXPECT_FALSE(r.ok());
}

TEST(FaultInject, AFailureWithoutAnInjectedFaultIsAViolation)
{
	// DEV_QUERY: the setup query and the baseline pass, then it fails with
	// an errno it documents, but nothing was injected.
	Pair p(nullptr, [](FakeRefgpu &d) {
		d.quirks.fail_request = DRM_IOCTL_REFGPU_DEV_QUERY;
		d.quirks.fail_after = 2;
		d.quirks.fail_errno = ENOMEM;
	});
	FaultReport r = p.run(only("dev_query.gpu_info"));
	ASSERT_EQ(r.violations.size(), 1u) << ::testing::PrintToString(texts(r.violations));
	EXPECT_EQ(r.violations[0].check, FaultCheck::failed_without_fault);
	EXPECT_EQ(r.violations[0].text(), "dev_query.gpu_info on C++ (cpp): n=1: DEV_QUERY failed with "
					  "-ENOMEM although no fault was injected (fail-nth read back 1)");
	EXPECT_EQ(op(r, "dev_query.gpu_info").cpp.entries,
		  (std::vector<FaultEntry>{entry(1, "DEV_QUERY", -ENOMEM, false, 1)}));
	EXPECT_FALSE(r.ok());
}

TEST(FaultInject, AFailingBaselineIsAViolation)
{
	// The setup query passes, the baseline run (nothing armed) fails.
	Pair p([](FakeRefgpu &d) {
		d.quirks.fail_request = DRM_IOCTL_REFGPU_DEV_QUERY;
		d.quirks.fail_after = 1;
		d.quirks.fail_errno = EPERM;
	});
	FaultReport r = p.run(only("dev_query.gpu_info"));
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{"dev_query.gpu_info on C (c): baseline run (no fault armed): "
					    "DEV_QUERY failed with -EPERM although no fault was "
					    "injected (fail-nth read back 0)"}));
	EXPECT_EQ(r.violations[0].n, 0u);
	EXPECT_EQ(r.violations[0].check, FaultCheck::failed_without_fault);
	EXPECT_TRUE(op(r, "dev_query.gpu_info").c.entries.empty());
	EXPECT_TRUE(op(r, "dev_query.gpu_info").cpp.clean_end);
	EXPECT_FALSE(r.ok());
}

TEST(FaultInject, TheCapIsAViolation)
{
	auto many = [](FakeRefgpu &d) { d.faults.points[DRM_IOCTL_REFGPU_BO_CREATE] = 10; };
	Pair p(many, many);
	FaultReport r = p.run(only("bo_create_4k", 5));
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{
			  "bo_create_4k on C (c): n=5: cap reached: the fault was still injected at "
			  "--fault-max 5, no run without a fault; raise --fault-max",
			  "bo_create_4k on C++ (cpp): n=5: cap reached: the fault was still injected at "
			  "--fault-max 5, no run without a fault; raise --fault-max"}));
	EXPECT_EQ(r.violations[0].check, FaultCheck::cap);
	const FaultOpReport &o = op(r, "bo_create_4k");
	EXPECT_EQ(o.c.entries.size(), 5u);
	EXPECT_EQ(o.c.entries.back(), injected(5, "BO_CREATE"));
	EXPECT_FALSE(o.c.clean_end);
	EXPECT_FALSE(r.ok());
	EXPECT_NE(format_fault_report(r).find(
			  "bo_create_4k | runs                          | 5 (cap) | 5 (cap)\n"),
		  std::string::npos)
		<< format_fault_report(r);
	EXPECT_EQ(p.tmp.content().substr(0, 2), "0\n");
	EXPECT_EQ(p.c.dev.live_bos(), 0u);
	EXPECT_EQ(kDefaultFaultMax, 1000u);
}

TEST(FaultInject, ASigbusWhileTouchingIsRecordedAsAnUndocumentedFailure)
{
	auto sigbus = [](FakeRefgpu &d) { d.faults.mmap_fault_sigbus = true; };
	Pair p(nullptr, sigbus);
	FaultReport r = p.run(only("bo_1m_map_touch"));
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{"bo_1m_map_touch on C++ (cpp): n=5: touch failed with SIGBUS "
					    "under the injected fault; documented: none"}));
	EXPECT_EQ(r.violations[0].check, FaultCheck::undocumented_error);
	const FaultOpReport &o = op(r, "bo_1m_map_touch");
	std::vector<FaultEntry> want(kBoMapTouch.begin(), kBoMapTouch.begin() + 5);
	want[4] = entry(5, "touch", -EFAULT, true, 0, SIGBUS, "munmap, GEM_CLOSE");
	EXPECT_EQ(o.cpp.entries, want);
	EXPECT_EQ(o.c.entries, kBoMapTouch);
	EXPECT_NE(format_fault_table(r).find(
			  "                | touch SIGBUS                  | 0 |             1\n"),
		  std::string::npos)
		<< format_fault_table(r);
	EXPECT_EQ(p.cpp.dev.live_bos(), 0u);
	// The handlers are ours only while the op runs.
	struct sigaction sa {};
	sigaction(SIGBUS, nullptr, &sa);
	EXPECT_EQ(sa.sa_handler, SIG_DFL);
}

TEST(FaultInject, AGemReferenceLeakedByAFailedMmapIsAViolation)
{
	// Planted: the C++ mmap fails under the fault but keeps a reference on
	// the BO. Its handle is closed by the cleanup all right (the handle
	// probe sees nothing); the object and its mmap offset stay, so the
	// probe's BO gets another offset.
	Pair p(nullptr, [](FakeRefgpu &d) { d.faults.leak_gem_ref_on_mmap_fault = true; });
	FaultReport r = p.run(only("bo_1m_map_touch"));
	ASSERT_EQ(texts(r.violations),
		  (std::vector<std::string>{
			  "bo_1m_map_touch on C++ (cpp): n=5: after the run (mmap -ENOMEM, fault "
			  "injected) a new BO gets mmap offset 0x100100000, 0x100000000 before it: a GEM "
			  "object outlived its handles (a reference leaked)"}));
	EXPECT_EQ(r.violations[0].check, FaultCheck::gem_leaked);
	EXPECT_EQ(std::string(fault_check_name(FaultCheck::gem_leaked)), "GEM object leaked");
	EXPECT_EQ(p.cpp.dev.live_bos(), 0u); // no handle left: only the offset tells
	EXPECT_EQ(p.cpp.dev.leaked_objects(), 1u);
	EXPECT_EQ(p.c.dev.leaked_objects(), 0u);
	EXPECT_TRUE(op(r, "bo_1m_map_touch").c.clean_end);
	EXPECT_FALSE(r.ok());
}
