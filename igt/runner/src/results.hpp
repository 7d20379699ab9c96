// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#pragma once

// What one subtest run produced, how igt_runner would call it, and how a
// driver's results compare with its expectations and with the other
// driver's results. No I/O here: everything is unit-tested.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "expectations.hpp"

namespace refgpu::igt {

// One kernel log record from /dev/kmsg: "PRI,SEQ,USEC,FLAGS;TEXT".
struct KmsgRecord {
	int facility = 0; // 0: the kernel; 1: user space (IGT's "[IGT]" lines)
	int level = 0;	  // 0 (emerg) .. 7 (debug)
	unsigned long long seq = 0;
	unsigned long long usec = 0;
	std::string text;
};
std::optional<KmsgRecord> parse_kmsg_record(const std::string &raw);
// "<level> [sec.usec] text", as igt_runner's dmesg field shows it.
std::string format_kmsg(const KmsgRecord &r);
// A kernel (not user space) record at warning level or worse.
bool kmsg_is_warning(const KmsgRecord &r);

// One `BINARY --run-subtest NAME` execution.
struct SubtestRun {
	std::string test, subtest;
	std::string out, err;
	std::vector<KmsgRecord> dmesg;
	bool dmesg_lost = false; // records were overwritten before being read
	int exit_code = 0;	 // valid when !signaled && !timed_out
	int signal = 0;
	bool signaled = false;
	bool timed_out = false;
	double seconds = 0;
	std::string skipped_by; // the skips pattern that kept it from running
};

std::string igt_name(const std::string &test, const std::string &subtest); // igt@test@subtest
std::string drm_ci_name(const std::string &test, const std::string &subtest); // test@subtest

// IGT's "Subtest NAME: RESULT (T s)" line for SUBTEST in OUT, as an
// igt_runner result ("pass", "fail", "skip", "crash", "timeout",
// "incomplete" for an unknown word), or nullopt if there is none.
std::optional<std::string> subtest_line_result(const std::string &out, const std::string &subtest);
// The "IGT-Version: ..." line, if any.
std::string igt_version_line(const std::string &out);

// The igt_runner result of a run: the subtest's own result line if it
// printed one, else its exit status (0 pass, 77 skip, 78 timeout,
// 79 notrun, 98 fail, 112 abort, anything else crash); a signal is a
// crash and our timeout a timeout whatever was printed. Then, as
// igt_runner does: a pass with other stderr output than IGT's subtest
// lines is "warn"; kernel warnings in the run's dmesg slice turn
// pass/warn into "dmesg-warn" and fail into "dmesg-fail".
std::string classify(const SubtestRun &r);

// The tests print "device under test: NODE, driver NAME". A run whose line
// names another driver than DRIVER ran on the wrong device (IGT 1.27.1
// drops an invalid --device filter with a warning and opens the first
// device): the reason, or "" if it is right or printed no such line (a
// skip before opening, say).
std::string wrong_device(const std::string &out, const std::string &driver);

Status to_status(const std::string &igt_result);

// One subtest on one driver, judged against that driver's expectations.
enum class Verdict {
	pass,		 // passed, not listed
	expected_fail,	 // failed as the fails list says
	flake,		 // listed as a flake: any result is accepted
	skip,		 // IGT skipped it (a requirement not met), or the skips list did
	unexpected_fail, // a regression: failed, not listed (or listed with another status)
	unexpected_pass, // listed in fails but passed: the list is stale
};
const char *verdict_name(Verdict v);
bool verdict_is_failure(Verdict v);

struct Judged {
	std::string name; // igt@test@subtest
	std::string result;
	std::optional<Status> expected; // from the fails list
	Verdict verdict;
};
Judged judge(const std::string &test, const std::string &subtest, const std::string &result,
	     const Expectations &e);

// The result of one driver's whole run.
struct DriverRun {
	std::string driver;
	std::vector<SubtestRun> runs;
	std::vector<std::string> results; // classify() of each run
	std::vector<Judged> judged;
};

struct Difference {
	std::string name;
	std::map<std::string, std::string> results; // driver -> result
};
// Subtests whose results differ between the drivers (a flake in either
// driver's list excepted; a subtest missing on one side is a difference).
std::vector<Difference> differences(const std::vector<DriverRun> &runs,
				    const std::map<std::string, Expectations> &expectations);
std::string describe(const Difference &d); // "C/C++ DIFFERENCE: name: refgpu_c pass, refgpu_cpp fail"

struct Report {
	std::vector<std::string> lines; // what to print
	int unexpected = 0;
	int differences = 0;
	bool ok() const { return unexpected == 0 && differences == 0; }
};
Report make_report(const std::vector<DriverRun> &runs, const std::vector<Difference> &diffs);

// The self-test's own verdict: with the bug planted in PLANTED_DRIVER,
// the run must fail, with exactly PLANTED_TEST (igt@...) as the one
// regression, on that driver only, and as the one C/C++ difference.
// Returns the reasons it did not (empty: the self-test passed).
std::vector<std::string> check_planted(const std::vector<DriverRun> &runs,
				       const std::vector<Difference> &diffs, const Report &report,
				       const std::string &planted_driver,
				       const std::string &planted_test);

} // namespace refgpu::igt
