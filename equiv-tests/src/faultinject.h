// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --fault-inject mode: systematic allocation-failure injection with the
// kernel's per-task fail-nth (Documentation/fault-injection). For each
// operation and each driver, n = 1, 2, ...: arm fail-nth with n right
// before the operation's first syscall, read it back right after the last,
// disarm, clean up, check that the driver still works and that nothing
// leaked.
//
// Judged per driver: every failure was injected and returned an errno its
// step documents, every success was a correct one, nothing leaked in the
// handle tables, the driver still works, and a run without an injected
// fault came before --fault-max. Then C against C++: per operation, the
// SET of outcomes (failing step and errno, or "ok"; what the cleanup had
// to release) must be the same on both drivers. Which injected faults a
// run absorbs, and so which outcomes one sweep shows, also depends on
// allocator state: when the first sweep's sets differ, the op is swept
// again on both drivers (C++ first on the second sweep, C first on the
// third), up to kFaultSweeps each, and the UNIONS over all sweeps are
// compared; only a difference that survives that is a divergence. Every
// sweep is judged per driver as strictly as the first. The sequences
// themselves, and how many fault points each driver hit, are NOT
// compared: that
// depends on allocator state (slab refills, stack depot, kmemleak
// metadata, page tables), so the counts differ from run to run even for
// code both drivers share. A difference in counts is printed, as
// information.
//
// Between arming and reading back, the harness must not allocate (each
// kernel allocation of this task is a fault point, so are page faults):
// the operations below use only stack buffers, raw syscalls and memory
// touched before arming.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "uapi.h"

namespace refgpu::equiv {

inline constexpr const char *kFailNthPath = "/proc/thread-self/fail-nth";
// bo_1m_map_touch hits about 290 fault points in the guest (256 of them
// the shmem pages of the 1 MiB BO).
inline constexpr unsigned kDefaultFaultMax = 1000;
// Sweeps per driver at most when the outcome sets of an op differ.
inline constexpr unsigned kFaultSweeps = 3;
// What a run that completed every step records as its step.
inline constexpr const char *kFaultOk = "ok";

// The fail-nth file of the calling thread, opened once. The thread that
// opened it must be the one that uses it: the file belongs to that task.
class FailNth {
public:
	FailNth() = default;
	// open(2) O_RDWR | O_CLOEXEC; an invalid FailNth and errno in *err on
	// failure (ENOENT: no CONFIG_FAULT_INJECTION).
	static FailNth open(const std::string &path, int *err);

	bool valid() const { return fd_.valid(); }
	// One pwrite(2) of "<n>\n" at offset 0, from a stack buffer: 0 or
	// -errno. n = 0 disarms. (The kernel takes a trailing newline; a
	// regular file standing in for it in tests keeps its first line
	// meaningful whatever it held before.)
	int write(unsigned n);
	// One pread(2) at offset 0 into a stack buffer, parsed up to the first
	// newline: 0 and *value, -errno, or -EBADMSG when that is not a
	// decimal number.
	int read(unsigned *value);

private:
	explicit FailNth(Fd fd) : fd_(std::move(fd)) {}
	Fd fd_;
};

// Opening the render node as an operation: raw open/ioctl/close on a path
// fixed beforehand, no allocation. The tests plug in a model of the node.
class NodeOpener {
public:
	virtual ~NodeOpener() = default;
	// open(2) O_RDWR | O_CLOEXEC of the node: an fd >= 0 or -errno.
	virtual int open_node() = 0;
	// ioctl on an fd from open_node(): 0 or -errno.
	virtual int ioctl(int fd, unsigned long request, void *arg) = 0;
	// close(2): 0 or -errno (the fd is gone either way).
	virtual int close_node(int fd) = 0;
};

// The real one, on a device node path.
class PathNodeOpener final : public NodeOpener {
public:
	explicit PathNodeOpener(std::string path) : path_(std::move(path)) {}
	int open_node() override;
	int ioctl(int fd, unsigned long request, void *arg) override;
	int close_node(int fd) override;

private:
	std::string path_;
};

using NodeOpenerFactory = std::function<std::unique_ptr<NodeOpener>(const std::string &path)>;
std::unique_ptr<NodeOpener> path_node_opener(const std::string &path);

// The errors a step may return when an allocation inside it fails: the
// one place that says so. From shared-uapi/include/uapi/drm/refgpu_drm.h
// (any ioctl may fail with -ENOMEM, and with -EFAULT when a user pointer
// cannot be read or written; BO_CREATE also with -ENOSPC, shmem's failed
// inode allocation), and for the syscalls, from open(2) and mmap(2).
// A step without an entry here (touch, munmap, GEM_CLOSE, close) has no
// documented failure: any failure of it is a violation.
struct FaultStepErrors {
	const char *step;        // as recorded in FaultEntry::step
	const char *call;        // what the step is ("DRM_IOCTL_REFGPU_BO_CREATE")
	std::vector<int> errnos; // positive errno values
};
const std::vector<FaultStepErrors> &fault_documented_errors();
// The entry of step, or nullptr.
const FaultStepErrors *fault_step_errors(const std::string &step);
// "-ENOMEM, -ENOSPC" for step, "none" when it has no entry.
std::string fault_documented_list(const std::string &step);

// One run of one operation at one n.
struct FaultEntry {
	unsigned n = 0;
	std::string step = kFaultOk; // the step that failed ("BO_CREATE", "mmap", ...)
	int ret = 0;                 // its -errno; 0 when the run completed
	int sig = 0;                 // signal that stopped the "touch" step (SIGBUS)
	bool injected = false;       // fail-nth read back 0
	unsigned left = 0;           // the value read back
	// What the run left for the cleanup to release, in release order
	// ("munmap, GEM_CLOSE"); "" when it left nothing.
	std::string cleanup;
	// --fault-bind: the device afterwards ("unbound", "bound, works");
	// "" for the ioctl operations.
	std::string state;
	bool completed() const { return step == kFaultOk; }
	bool operator==(const FaultEntry &) const = default;
};

// "-ENOMEM", or the signal name ("SIGBUS") when a signal stopped the run.
std::string fault_outcome(const FaultEntry &e);
// The outcome of a run as the two drivers' outcome sets hold it: "ok" or
// "<step> <outcome>", then " (cleanup: <what>)" when the run left something
// to release, then ", <state>" when there is one. Not n, not whether a completed run had its fault injected
// (a swallowed fault depends on allocator state, as the counts do).
std::string fault_outcome_key(const FaultEntry &e);
// A failed run whose failure is one its step documents (no signal, -ret in
// fault_step_errors(step)). False for a completed run.
bool fault_error_documented(const FaultEntry &e);

// Which promise a driver broke.
enum class FaultCheck {
	setup,                // before the first armed run (query, probe)
	failed_without_fault, // (2) a step failed, fail-nth says no fault was injected
	undocumented_error,   // (1) the failing step returned an errno it does not document
	wrong_success,        // (4) the run completed with wrong outputs
	cleanup_failed,       // (3) releasing what the run created failed
	driver_broken,        // (3) the probe after the run failed
	handle_leaked,        // (3) the probe got a higher BO or syncobj handle
	gem_leaked,           // (3) the probe's BO got another mmap offset
	cap,                  // (5) still injected at --fault-max
	divergence,           // (6) C and C++ have different outcome sets
	// --fault-bind:
	state_wrong,    // the device is not in the state the write's result says
	not_rebindable, // an unarmed bind after the run failed, or the device did not work
};
const char *fault_check_name(FaultCheck c);

struct FaultViolation {
	std::string op, driver;
	unsigned n = 0; // the run; 0: the baseline or before the first run
	FaultCheck check = FaultCheck::setup;
	std::string what;
	unsigned sweep = 1; // which sweep of the op (re-sweeps: 2, 3)
	// "<op> on <driver>: n=<n>: <what>" ("baseline run (no fault armed)"
	// or "before the first run" in place of n=0; "sweep <k>, " before it
	// on a re-sweep); a divergence, which is about both drivers:
	// "<op>: <what>".
	std::string text() const;
};

// One operation on one driver.
struct FaultSequence {
	std::vector<FaultEntry> entries; // n = 1, 2, ... in order
	bool clean_end = false;          // the last entry completed, not injected
	std::vector<FaultViolation> violations; // at most one run's: the sequence stops there
	unsigned injection_points() const; // runs whose fault was injected
	unsigned swallowed() const; // completed although the fault was injected
	// fault_outcome_key() of every entry, sorted, each once.
	std::vector<std::string> outcomes() const;
};

// What an operation does with the node; the runner keeps the rest.
struct FaultOpState;
struct FaultOpEnv;

struct FaultOp {
	const char *name; // "bo_create_4k"
	const char *what; // one-line description
	// The op: calls env.arm() right before its first syscall and
	// env.read_back() right after its last, stops at the first failing
	// step, leaves what it created in the state for the cleanup.
	void (*run)(FaultOpEnv &env);
	// A completed run: "" if its outputs are right, else why not.
	std::string (*verify)(const FaultOpEnv &env);
	bool touches_memory; // catch SIGBUS/SIGSEGV while touching a mapping
};

// The operations, in report order. Names are unique.
const std::vector<FaultOp> &fault_ops();

struct FaultDriver {
	DeviceIo &dev;    // long-lived fd: operations, probes
	NodeOpener &node; // for the open_node operation
	std::string label;
};

// Runs op on one driver: a baseline run without a fault, then n = 1, 2, ...
// up to max_n. Stops after the first run that completed without an
// injected fault, after the first run with a violation (recorded in the
// sequence), or at max_n (a violation). *fatal is set when fail-nth itself
// cannot be written or read (nothing after it is meaningful).
FaultSequence run_fault_sequence(const FaultOp &op, FaultDriver &d, FailNth &fail_nth,
				 unsigned max_n, std::string *fatal);

struct FaultOpReport {
	std::string name, what;
	// The first sweep (what the table shows): each judged on its own, then
	// their outcome sets compared.
	FaultSequence c, cpp;
	// Sweeps 2, 3, ...: only when the outcome sets still differed. Judged
	// like the first; the unions of all sweeps' outcomes are compared.
	std::vector<FaultSequence> c_more, cpp_more;
	// The labels of the drivers in the order their sequences ran (C, C++,
	// then C++, C, then C, C++).
	std::vector<std::string> order;
	// Sweeps per driver (1 + re-sweeps).
	unsigned sweeps() const
	{
		return 1 + static_cast<unsigned>(c_more.size() > cpp_more.size() ? c_more.size()
										 : cpp_more.size());
	}
	// A sequence of any sweep, on either driver, stopped at a violation.
	bool any_violation() const;
	// Every sweep ended cleanly on both, without a violation: only then
	// are the outcome sets compared (a violation already stopped one side
	// early).
	bool compared() const;
	// The outcomes of every sweep of one driver, sorted, each once.
	std::vector<std::string> c_outcomes() const;
	std::vector<std::string> cpp_outcomes() const;
	// The unions are equal.
	bool same_outcomes() const { return c_outcomes() == cpp_outcomes(); }
	// The first sweep's sets are equal (no re-sweep was needed).
	bool first_sweep_same() const { return c.outcomes() == cpp.outcomes(); }
	// First sweep, runs and injection points equal: printed when not, never a failure.
	bool same_counts() const
	{
		return c.entries.size() == cpp.entries.size() &&
		       c.injection_points() == cpp.injection_points();
	}
	bool ok() const { return compared() && same_outcomes(); }
};

struct FaultConfig {
	unsigned max_n = kDefaultFaultMax;
	unsigned max_sweeps = kFaultSweeps; // per driver and op; 1: never re-sweep
	std::vector<FaultOp> ops = fault_ops();
};

struct FaultReport {
	std::string fatal; // fail-nth unusable: no verdict
	std::vector<FaultOpReport> ops;
	// Op by op, sweep by sweep: C's and C++'s in the order they ran, then
	// the divergence of their outcome sets.
	std::vector<FaultViolation> violations;
	bool ok() const; // no fatal, no violation, every op ended cleanly on both
	unsigned injected_c() const;   // injection points over all ops and sweeps
	unsigned injected_cpp() const;
};

FaultReport run_fault_inject(FaultDriver &c, FaultDriver &cpp, FailNth &fail_nth,
			     const FaultConfig &cfg = {});

// The side-by-side summary of every op's first sweep: runs, injection
// points, failures per step and errno, injected faults swallowed by a
// completed run; C | C++.
std::string format_fault_table(const FaultReport &r);
// The outcome set of s, "; "-separated.
std::string join_outcomes(const FaultSequence &s);
std::string join_outcomes(const std::vector<std::string> &outcomes);
// Appends the divergence violation of o to rep when o was compared and
// its two outcome sets (the unions over all sweeps) differ.
void add_divergence(FaultReport &rep, const FaultOpReport &o);
// One sequence of an op on one side (C or C++), the same op every call:
// --fault-inject sweeps FaultDrivers, --fault-bind sysfs bind targets.
using FaultSideSweepFn = std::function<FaultSequence(bool is_cpp, std::string *fatal)>;
// Before the first op: fail-nth must be open, and nothing may be armed
// from an earlier use of this task's counter. False, with rep.fatal set,
// otherwise.
bool fault_start(FailNth &fail_nth, FaultReport &rep);
// Sweeps one op on C, then C++. When both were swept and their outcome
// sets differ, sweeps again on both, C++ first on sweep 2, C first on
// sweep 3, ..., up to max_sweeps each, until a sweep has a violation,
// fail-nth fails, or the unions agree. Every sweep's violations go to rep
// (re-sweeps' tagged with their sweep), then the divergence, then the op.
// False when fail-nth failed (rep.fatal, prefixed with the op's name):
// nothing after it is meaningful.
bool fault_run_op(FaultReport &rep, const std::string &name, const std::string &what,
		  const std::string &c_label, const std::string &cpp_label,
		  const FaultSideSweepFn &sweep, unsigned max_sweeps);

// Per op, C against C++: the common outcome set, or both sets when they
// differ (the unions, when the op was swept again; with a line saying the
// first sweep differed when the unions agree), or why they were not
// compared; and whether the first sweep's counts differ.
std::string format_fault_outcomes(const FaultReport &r);
// The table, the outcome comparison, then "<mode>: N (C) / M (C++)
// <ok_claim>: OK", or the list of violations, or why it aborted; shared
// by --fault-inject and --fault-bind.
std::string format_fault_verdict(const FaultReport &r, const std::string &mode,
				 const std::string &ok_claim);
// The table, the outcome comparison, then the verdict: "fault-inject: N
// (C) / M (C++) injected failures, every error documented, nothing leaked,
// the same outcomes on both drivers: OK", or the list of violations, or
// the reason it aborted.
std::string format_fault_report(const FaultReport &r);

} // namespace refgpu::equiv
