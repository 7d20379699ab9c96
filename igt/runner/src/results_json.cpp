// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "results_json.hpp"

#include <array>

namespace refgpu::igt {

namespace {

using nlohmann::json;

json time_attribute(double start, double end)
{
	return {{"__type__", "TimeAttribute"}, {"start", start}, {"end", end}};
}

constexpr std::array<const char *, 11> result_kinds{"pass",	  "fail",    "skip",	  "crash",
						    "timeout",	  "warn",    "dmesg-warn", "dmesg-fail",
						    "incomplete", "notrun", "abort"};

json empty_totals()
{
	json t = json::object();
	for (const char *k : result_kinds)
		t[k] = 0;
	return t;
}

} // namespace

json results_json(const DriverRun &run, const RunInfo &info)
{
	json tests = json::object(), totals = json::object(), runtimes = json::object();
	totals[""] = empty_totals();
	totals["root"] = empty_totals();

	for (std::size_t i = 0; i < run.runs.size(); i++) {
		const SubtestRun &r = run.runs[i];
		const std::string &result = run.results[i];
		json t = {
			{"out", r.out},
			{"err", r.err},
			{"result", result},
			{"time", time_attribute(0.0, r.seconds)},
		};
		std::string dmesg, warnings;
		for (const auto &k : r.dmesg) {
			dmesg += format_kmsg(k) + "\n";
			if (kmsg_is_warning(k))
				warnings += format_kmsg(k) + "\n";
		}
		if (r.dmesg_lost)
			dmesg += "(kernel log records were lost: the ring buffer overran)\n";
		t["dmesg"] = dmesg;
		if (!warnings.empty())
			t["dmesg-warnings"] = warnings;
		if (const auto v = igt_version_line(r.out); !v.empty())
			t["igt-version"] = v;
		if (!r.skipped_by.empty())
			t["out"] = "not run: matches \"" + r.skipped_by + "\" in the skips list\n";
		tests[igt_name(r.test, r.subtest)] = t;

		const std::string binary = "igt@" + r.test;
		if (!totals.contains(binary))
			totals[binary] = empty_totals();
		for (const char *key : {"", "root"})
			totals[key][result] = totals[key].value(result, 0) + 1;
		totals[binary][result] = totals[binary].value(result, 0) + 1;

		json &rt = runtimes[binary];
		const double sofar = rt.is_null() ? 0.0 : rt["time"]["end"].get<double>();
		rt["time"] = time_attribute(0.0, sofar + r.seconds);
	}

	return {
		{"__type__", "TestrunResult"},
		{"results_version", 10},
		{"name", info.name},
		{"uname", info.uname},
		{"time_elapsed", time_attribute(info.start, info.end)},
		{"tests", tests},
		{"totals", totals},
		{"runtimes", runtimes},
	};
}

std::string dump_json(const nlohmann::json &j)
{
	return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string failures_csv(const DriverRun &run)
{
	std::string s;
	for (std::size_t i = 0; i < run.judged.size(); i++) {
		const Judged &j = run.judged[i];
		if (!verdict_is_failure(j.verdict))
			continue;
		const SubtestRun &r = run.runs[i];
		s += drm_ci_name(r.test, r.subtest) + "," +
		     (j.verdict == Verdict::unexpected_pass ? "UnexpectedPass"
							    : status_name(to_status(j.result))) +
		     "\n";
	}
	return s;
}

} // namespace refgpu::igt
