// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "results.hpp"

#include <cstdio>
#include <set>
#include <sstream>

namespace refgpu::igt {

namespace {

bool starts_with(const std::string &s, const std::string &p)
{
	return s.compare(0, p.size(), p) == 0;
}

std::vector<std::string> lines_of(const std::string &text)
{
	std::vector<std::string> v;
	std::istringstream in(text);
	for (std::string l; std::getline(in, l);)
		v.push_back(l);
	return v;
}

std::string result_from_exit(int code)
{
	switch (code) {
	case 0:
		return "pass";
	case 77:
		return "skip";
	case 78:
		return "timeout";
	case 79:
		return "notrun";
	case 98:
		return "fail";
	case 112:
		return "abort";
	default:
		return "crash";
	}
}

// IGT's own lines on stderr are not warnings.
bool is_igt_subtest_line(const std::string &l)
{
	return starts_with(l, "Starting subtest: ") || starts_with(l, "Subtest ") ||
	       starts_with(l, "Starting dynamic subtest: ") || starts_with(l, "Dynamic subtest ");
}

} // namespace

std::optional<KmsgRecord> parse_kmsg_record(const std::string &raw)
{
	const auto semi = raw.find(';');
	if (semi == std::string::npos)
		return std::nullopt;
	unsigned pri = 0;
	KmsgRecord r;
	int n = 0;
	if (std::sscanf(raw.c_str(), "%u,%llu,%llu,%n", &pri, &r.seq, &r.usec, &n) != 3 || n == 0)
		return std::nullopt;
	r.facility = static_cast<int>(pri >> 3);
	r.level = static_cast<int>(pri & 7);
	// The text runs to the first newline; continuation lines (" KEY=value") follow.
	std::string text = raw.substr(semi + 1);
	const auto nl = text.find('\n');
	r.text = nl == std::string::npos ? text : text.substr(0, nl);
	// Non-printable bytes come escaped as \xNN already; keep them that way.
	return r;
}

std::string format_kmsg(const KmsgRecord &r)
{
	char head[64];
	std::snprintf(head, sizeof(head), "<%d> [%llu.%06llu] ", r.level, r.usec / 1000000,
		      r.usec % 1000000);
	return head + r.text;
}

bool kmsg_is_warning(const KmsgRecord &r)
{
	return r.facility == 0 && r.level <= 4;
}

std::string igt_name(const std::string &test, const std::string &subtest)
{
	return "igt@" + test + "@" + subtest;
}

std::string drm_ci_name(const std::string &test, const std::string &subtest)
{
	return test + "@" + subtest;
}

std::optional<std::string> subtest_line_result(const std::string &out, const std::string &subtest)
{
	const std::string prefix = "Subtest " + subtest + ": ";
	for (const auto &l : lines_of(out)) {
		if (!starts_with(l, prefix))
			continue;
		const std::string word = l.substr(prefix.size(), l.find(' ', prefix.size()) - prefix.size());
		if (word == "SUCCESS")
			return "pass";
		if (word == "SKIP")
			return "skip";
		if (word == "FAIL")
			return "fail";
		if (word == "CRASH")
			return "crash";
		if (word == "TIMEOUT")
			return "timeout";
		return "incomplete";
	}
	return std::nullopt;
}

std::string igt_version_line(const std::string &out)
{
	for (const auto &l : lines_of(out))
		if (starts_with(l, "IGT-Version: "))
			return l;
	return {};
}

std::string classify(const SubtestRun &r)
{
	if (!r.skipped_by.empty())
		return "notrun";
	std::string res;
	if (r.timed_out)
		res = "timeout";
	else if (r.signaled)
		res = "crash";
	else if (auto line = subtest_line_result(r.out, r.subtest))
		res = *line;
	else
		res = result_from_exit(r.exit_code);
	// The exit status must agree with a passing line: a pass that exits
	// with a failure status (e.g. a failing igt_fixture after it) is not one.
	if (res == "pass" && r.exit_code != 0 && !r.signaled && !r.timed_out)
		res = result_from_exit(r.exit_code);

	if (res == "pass")
		for (const auto &l : lines_of(r.err))
			if (!l.empty() && !is_igt_subtest_line(l)) {
				res = "warn";
				break;
			}
	bool dmesg_warn = false;
	for (const auto &k : r.dmesg)
		dmesg_warn = dmesg_warn || kmsg_is_warning(k);
	if (dmesg_warn) {
		if (res == "pass" || res == "warn")
			res = "dmesg-warn";
		else if (res == "fail")
			res = "dmesg-fail";
	}
	return res;
}

std::string wrong_device(const std::string &out, const std::string &driver)
{
	const std::string key = "device under test: ";
	for (const auto &l : lines_of(out)) {
		const auto at = l.find(key);
		if (at == std::string::npos)
			continue;
		const auto d = l.rfind(", driver ");
		const std::string got = d == std::string::npos ? "" : l.substr(d + 9);
		if (got != driver)
			return "ran on " + l.substr(at + key.size()) + ", not on " + driver;
	}
	return {};
}

Status to_status(const std::string &igt_result)
{
	if (igt_result == "pass")
		return Status::pass;
	if (igt_result == "skip")
		return Status::skip;
	if (igt_result == "fail")
		return Status::fail;
	if (igt_result == "timeout")
		return Status::timeout;
	if (igt_result == "warn")
		return Status::warn;
	if (igt_result == "dmesg-warn")
		return Status::dmesg_warn;
	if (igt_result == "dmesg-fail")
		return Status::dmesg_fail;
	if (igt_result == "abort")
		return Status::abort;
	if (igt_result == "notrun")
		return Status::notrun;
	return Status::crash; // crash, incomplete, anything unknown
}

const char *verdict_name(Verdict v)
{
	switch (v) {
	case Verdict::pass:
		return "pass";
	case Verdict::expected_fail:
		return "expected failure";
	case Verdict::flake:
		return "flake";
	case Verdict::skip:
		return "skip";
	case Verdict::unexpected_fail:
		return "REGRESSION";
	case Verdict::unexpected_pass:
		return "UNEXPECTED PASS";
	}
	return "?";
}

bool verdict_is_failure(Verdict v)
{
	return v == Verdict::unexpected_fail || v == Verdict::unexpected_pass;
}

Judged judge(const std::string &test, const std::string &subtest, const std::string &result,
	     const Expectations &e)
{
	const std::string name = drm_ci_name(test, subtest);
	Judged j{igt_name(test, subtest), result, std::nullopt, Verdict::pass};
	if (auto it = e.fails.find(name); it != e.fails.end())
		j.expected = it->second;
	const Status got = to_status(result);

	if (e.flaky(name))
		j.verdict = Verdict::flake;
	else if (got == Status::skip || got == Status::notrun)
		j.verdict = Verdict::skip;
	else if (got == Status::pass)
		j.verdict = j.expected ? Verdict::unexpected_pass : Verdict::pass;
	else
		j.verdict = j.expected == got ? Verdict::expected_fail : Verdict::unexpected_fail;
	return j;
}

std::vector<Difference> differences(const std::vector<DriverRun> &runs,
				    const std::map<std::string, Expectations> &expectations)
{
	std::map<std::string, Difference> by_name;
	std::set<std::string> flaky;
	for (const auto &run : runs) {
		const auto e = expectations.find(run.driver);
		for (std::size_t i = 0; i < run.runs.size(); i++) {
			const auto &r = run.runs[i];
			const std::string name = igt_name(r.test, r.subtest);
			by_name[name].name = name;
			by_name[name].results[run.driver] = run.results[i];
			if (e != expectations.end() && e->second.flaky(drm_ci_name(r.test, r.subtest)))
				flaky.insert(name);
		}
	}
	std::vector<Difference> out;
	for (auto &[name, d] : by_name) {
		if (flaky.count(name))
			continue;
		for (const auto &run : runs)
			if (!d.results.count(run.driver))
				d.results[run.driver] = "missing";
		std::set<std::string> distinct;
		for (const auto &[drv, res] : d.results)
			distinct.insert(res);
		if (distinct.size() > 1)
			out.push_back(d);
	}
	return out;
}

std::string describe(const Difference &d)
{
	std::string s = "C/C++ DIFFERENCE: " + d.name + ":";
	const char *sep = " ";
	for (const auto &[drv, res] : d.results) {
		s += sep + drv + " " + res;
		sep = ", ";
	}
	return s;
}

Report make_report(const std::vector<DriverRun> &runs, const std::vector<Difference> &diffs)
{
	Report rep;
	for (const auto &run : runs) {
		std::map<std::string, int> counts;
		for (const auto &r : run.results)
			counts[r]++;
		std::string s = run.driver + ": " + std::to_string(run.results.size()) + " subtests:";
		for (const auto &[res, n] : counts)
			s += " " + std::to_string(n) + " " + res + ",";
		int bad = 0;
		for (const auto &j : run.judged)
			bad += verdict_is_failure(j.verdict);
		s += " " + std::to_string(bad) + " unexpected";
		rep.lines.push_back(s);
	}
	for (const auto &run : runs)
		for (const auto &j : run.judged) {
			if (!verdict_is_failure(j.verdict) && j.verdict != Verdict::expected_fail &&
			    j.verdict != Verdict::flake)
				continue;
			std::string s = std::string(verdict_name(j.verdict)) + " " + run.driver + ": " +
					j.name + ": " + j.result;
			if (j.expected)
				s += std::string(" (listed as ") + status_name(*j.expected) + ")";
			else if (j.verdict == Verdict::unexpected_fail)
				s += " (expected pass)";
			rep.lines.push_back(s);
			rep.unexpected += verdict_is_failure(j.verdict);
		}
	for (const auto &d : diffs)
		rep.lines.push_back(describe(d));
	rep.differences = static_cast<int>(diffs.size());
	rep.lines.push_back(std::string("verdict: ") + (rep.ok() ? "PASS" : "FAIL") + " (" +
			    std::to_string(rep.unexpected) + " unexpected results, " +
			    std::to_string(rep.differences) + " C/C++ differences)");
	return rep;
}

std::vector<std::string> check_planted(const std::vector<DriverRun> &runs,
				       const std::vector<Difference> &diffs, const Report &report,
				       const std::string &planted_driver,
				       const std::string &planted_test)
{
	std::vector<std::string> why;
	if (report.ok())
		why.push_back("the run passed: the planted bug went unnoticed");
	bool found_driver = false;
	for (const auto &run : runs) {
		found_driver = found_driver || run.driver == planted_driver;
		for (const auto &j : run.judged) {
			if (!verdict_is_failure(j.verdict))
				continue;
			if (run.driver != planted_driver)
				why.push_back("a regression on " + run.driver +
					      ", which has no planted bug: " + j.name + " " + j.result);
			else if (j.name != planted_test)
				why.push_back("another regression than the planted one on " + run.driver +
					      ": " + j.name + " " + j.result);
		}
		bool planted_seen = false;
		for (const auto &j : run.judged)
			if (j.name == planted_test) {
				planted_seen = true;
				if (run.driver == planted_driver && j.verdict != Verdict::unexpected_fail)
					why.push_back(planted_test + " is not a regression on " + run.driver +
						      " (" + verdict_name(j.verdict) + ", " + j.result + ")");
			}
		if (!planted_seen)
			why.push_back(planted_test + " did not run on " + run.driver);
	}
	if (!found_driver)
		why.push_back("no results for " + planted_driver);
	if (diffs.size() != 1 || diffs[0].name != planted_test) {
		std::string s = "expected exactly one C/C++ difference, " + planted_test + "; got " +
				std::to_string(diffs.size()) + ":";
		for (const auto &d : diffs)
			s += " " + d.name;
		why.push_back(s);
	}
	return why;
}

} // namespace refgpu::igt
