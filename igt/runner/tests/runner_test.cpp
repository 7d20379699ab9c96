// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "expectations.hpp"
#include "results.hpp"
#include "results_json.hpp"

using namespace refgpu::igt;

namespace {

SubtestRun run_of(const std::string &sub, int exit_code, const std::string &out,
		  const std::string &err = "")
{
	SubtestRun r;
	r.test = "refgpu_gem";
	r.subtest = sub;
	r.exit_code = exit_code;
	r.out = out;
	r.err = err;
	return r;
}

DriverRun driver_run(const std::string &driver,
		     const std::vector<std::pair<std::string, std::string>> &results,
		     const Expectations &e = {})
{
	DriverRun d;
	d.driver = driver;
	for (const auto &[sub, res] : results) {
		SubtestRun r;
		r.test = "refgpu_gem";
		r.subtest = sub;
		d.runs.push_back(r);
		d.results.push_back(res);
		d.judged.push_back(judge(r.test, sub, res, e));
	}
	return d;
}

} // namespace

// ---- expectation lists ----

TEST(Expectations, FailsListParses)
{
	Expectations e;
	std::vector<std::string> errors;
	parse_fails("# comment\n\nrefgpu_gem@create-basic,Fail\n refgpu_prime@self-import , Crash \n"
		    "refgpu_sync@timeline,Timeout\n",
		    "f", e, errors);
	EXPECT_TRUE(errors.empty());
	ASSERT_EQ(e.fails.size(), 3u);
	EXPECT_EQ(e.fails.at("refgpu_gem@create-basic"), Status::fail);
	EXPECT_EQ(e.fails.at("refgpu_prime@self-import"), Status::crash);
	EXPECT_EQ(e.fails.at("refgpu_sync@timeline"), Status::timeout);
}

TEST(Expectations, MalformedFailsLinesAreErrorsWithTheirLine)
{
	Expectations e;
	std::vector<std::string> errors;
	parse_fails("refgpu_gem@a,Fail\nno-comma-here\nrefgpu_gem@b,Broken\nrefgpu_gem@c,Pass\n"
		    "nosubtest,Fail\nrefgpu_gem@a,Crash\n",
		    "x-fails.txt", e, errors);
	ASSERT_EQ(errors.size(), 5u);
	EXPECT_NE(errors[0].find("x-fails.txt:2:"), std::string::npos);
	EXPECT_NE(errors[1].find("x-fails.txt:3:"), std::string::npos);
	EXPECT_NE(errors[2].find("x-fails.txt:4:"), std::string::npos); // Pass is no failure
	EXPECT_NE(errors[3].find("x-fails.txt:5:"), std::string::npos);
	EXPECT_NE(errors[4].find("listed twice"), std::string::npos);
}

TEST(Expectations, PatternsMatchWholeNames)
{
	Expectations e;
	std::vector<std::string> errors;
	parse_patterns("# skip the prime tests\nrefgpu_prime@.*\n", "s", e.skips, errors);
	parse_patterns("refgpu_sync@time.*\n", "f", e.flakes, errors);
	EXPECT_TRUE(errors.empty());
	ASSERT_NE(e.skipped("refgpu_prime@self-import"), nullptr);
	EXPECT_EQ(e.skipped("refgpu_prime@self-import")->text, "refgpu_prime@.*");
	EXPECT_EQ(e.skipped("xrefgpu_prime@self-import"), nullptr); // whole-name match
	EXPECT_TRUE(e.flaky("refgpu_sync@timeline"));
	EXPECT_FALSE(e.flaky("refgpu_sync@create-destroy"));
}

TEST(Expectations, BadRegexIsAnError)
{
	std::vector<Pattern> p;
	std::vector<std::string> errors;
	parse_patterns("refgpu_(gem\n", "s.txt", p, errors);
	ASSERT_EQ(errors.size(), 1u);
	EXPECT_NE(errors[0].find("s.txt:1:"), std::string::npos);
}

TEST(Expectations, LoadsThePerDriverFiles)
{
	const auto dir = std::filesystem::temp_directory_path() / "refgpu-igt-exp-test";
	std::filesystem::create_directories(dir);
	std::ofstream(dir / "drv-fails.txt") << "refgpu_gem@create-basic,Fail\n";
	std::ofstream(dir / "drv-skips.txt") << "refgpu_prime@.*\n";
	std::vector<std::string> errors;
	const Expectations e = load_expectations(dir, "drv", errors);
	EXPECT_TRUE(errors.empty());
	EXPECT_EQ(e.fails.size(), 1u);
	EXPECT_EQ(e.skips.size(), 1u);
	EXPECT_TRUE(e.flakes.empty()); // missing file: empty list
	const Expectations none = load_expectations(dir, "other", errors);
	EXPECT_TRUE(none.fails.empty());
	std::filesystem::remove_all(dir);
}

// ---- classification of one run ----

TEST(Classify, ResultLineAndExitStatus)
{
	EXPECT_EQ(classify(run_of("a", 0, "Starting subtest: a\nSubtest a: SUCCESS (0.01s)\n")), "pass");
	EXPECT_EQ(classify(run_of("a", 98, "Subtest a: FAIL (0.01s)\n")), "fail");
	EXPECT_EQ(classify(run_of("a", 77, "Subtest a: SKIP (0.00s)\n")), "skip");
	// No result line: the exit status decides.
	EXPECT_EQ(classify(run_of("a", 98, "")), "fail");
	EXPECT_EQ(classify(run_of("a", 77, "")), "skip");
	EXPECT_EQ(classify(run_of("a", 79, "")), "notrun");
	EXPECT_EQ(classify(run_of("a", 112, "")), "abort");
	EXPECT_EQ(classify(run_of("a", 3, "")), "crash");
	// Another subtest's line is not this one's.
	EXPECT_EQ(classify(run_of("a", 98, "Subtest ab: SUCCESS (0.01s)\n")), "fail");
	// An unknown word is incomplete.
	EXPECT_EQ(classify(run_of("a", 0, "Subtest a: WHAT (0.01s)\n")), "incomplete");
	// A passing line with a failing exit status is not a pass.
	EXPECT_EQ(classify(run_of("a", 98, "Subtest a: SUCCESS (0.01s)\n")), "fail");
}

TEST(Classify, SignalAndTimeoutOverrideOutput)
{
	SubtestRun r = run_of("a", 0, "Subtest a: SUCCESS (0.01s)\n");
	r.signaled = true;
	r.signal = 11;
	EXPECT_EQ(classify(r), "crash");
	r.signaled = false;
	r.timed_out = true;
	EXPECT_EQ(classify(r), "timeout");
}

TEST(Classify, StderrOutputMakesAPassAWarn)
{
	EXPECT_EQ(classify(run_of("a", 0, "Subtest a: SUCCESS (0.01s)\n",
				  "Starting subtest: a\nSubtest a: SUCCESS (0.01s)\n")),
		  "pass");
	EXPECT_EQ(classify(run_of("a", 0, "Subtest a: SUCCESS (0.01s)\n",
				  "(refgpu_gem:42) drmtest-WARNING: No card matches the filter!\n")),
		  "warn");
}

TEST(Classify, KernelWarningsInTheSliceAreDmesgResults)
{
	KmsgRecord warn{0, 4, 1, 2, "refgpu refgpu.0: something odd"};
	KmsgRecord info{0, 6, 2, 3, "refgpu: fine"};
	KmsgRecord igt{1, 3, 3, 4, "[IGT] refgpu_gem: an IGT line at err level"};
	SubtestRun pass = run_of("a", 0, "Subtest a: SUCCESS (0.01s)\n");
	pass.dmesg = {info, igt};
	EXPECT_EQ(classify(pass), "pass"); // user-space records do not count
	pass.dmesg.push_back(warn);
	EXPECT_EQ(classify(pass), "dmesg-warn");
	SubtestRun fail = run_of("a", 98, "Subtest a: FAIL (0.01s)\n");
	fail.dmesg = {warn};
	EXPECT_EQ(classify(fail), "dmesg-fail");
}

TEST(Classify, SkippedByTheListIsNotRun)
{
	SubtestRun r = run_of("a", 0, "");
	r.skipped_by = "refgpu_gem@.*";
	EXPECT_EQ(classify(r), "notrun");
}

TEST(WrongDevice, TheLineMustNameTheDriver)
{
	const std::string out = "IGT-Version: 1.27.1\ndevice under test: /dev/dri/renderD128, driver refgpu_c\n";
	EXPECT_EQ(wrong_device(out, "refgpu_c"), "");
	EXPECT_EQ(wrong_device(out, "refgpu_cpp"),
		  "ran on /dev/dri/renderD128, driver refgpu_c, not on refgpu_cpp");
	EXPECT_EQ(wrong_device("Subtest a: SKIP\n", "refgpu_cpp"), ""); // skipped before opening
	EXPECT_NE(wrong_device("device under test: /dev/dri/renderD128\n", "refgpu_c"), "");
}

TEST(Kmsg, ParsesRecords)
{
	const auto r = parse_kmsg_record("14,1234,5678901,-;[IGT] refgpu_gem: starting subtest a\n");
	ASSERT_TRUE(r);
	EXPECT_EQ(r->facility, 1);
	EXPECT_EQ(r->level, 6);
	EXPECT_EQ(r->seq, 1234u);
	EXPECT_EQ(r->text, "[IGT] refgpu_gem: starting subtest a");
	EXPECT_EQ(format_kmsg(*r), "<6> [5.678901] [IGT] refgpu_gem: starting subtest a");
	const auto k = parse_kmsg_record("4,7,100,c;WARNING: at foo\n SUBSYSTEM=platform\n");
	ASSERT_TRUE(k);
	EXPECT_EQ(k->text, "WARNING: at foo");
	EXPECT_TRUE(kmsg_is_warning(*k));
	EXPECT_FALSE(parse_kmsg_record("garbage"));
	EXPECT_FALSE(parse_kmsg_record("x,y;z"));
}

// ---- judging against the lists ----

TEST(Judge, EachVerdict)
{
	Expectations e;
	e.fails["refgpu_gem@listed"] = Status::fail;
	e.fails["refgpu_gem@crashes"] = Status::crash;
	std::vector<std::string> errors;
	parse_patterns("refgpu_gem@flaky\n", "f", e.flakes, errors);

	EXPECT_EQ(judge("refgpu_gem", "ok", "pass", e).verdict, Verdict::pass);
	EXPECT_EQ(judge("refgpu_gem", "ok", "fail", e).verdict, Verdict::unexpected_fail);
	EXPECT_EQ(judge("refgpu_gem", "ok", "warn", e).verdict, Verdict::unexpected_fail);
	EXPECT_EQ(judge("refgpu_gem", "ok", "dmesg-warn", e).verdict, Verdict::unexpected_fail);
	EXPECT_EQ(judge("refgpu_gem", "ok", "timeout", e).verdict, Verdict::unexpected_fail);
	EXPECT_EQ(judge("refgpu_gem", "listed", "fail", e).verdict, Verdict::expected_fail);
	EXPECT_EQ(judge("refgpu_gem", "listed", "pass", e).verdict, Verdict::unexpected_pass);
	// Listed as Crash but failed: another status is unexpected too.
	EXPECT_EQ(judge("refgpu_gem", "crashes", "fail", e).verdict, Verdict::unexpected_fail);
	EXPECT_EQ(judge("refgpu_gem", "flaky", "fail", e).verdict, Verdict::flake);
	EXPECT_EQ(judge("refgpu_gem", "flaky", "pass", e).verdict, Verdict::flake);
	EXPECT_EQ(judge("refgpu_gem", "ok", "skip", e).verdict, Verdict::skip);
	EXPECT_EQ(judge("refgpu_gem", "ok", "notrun", e).verdict, Verdict::skip);
	EXPECT_EQ(judge("refgpu_gem", "ok", "pass", e).name, "igt@refgpu_gem@ok");
}

// ---- C vs C++ ----

TEST(Differences, SameResultsNone)
{
	const std::vector<DriverRun> runs{driver_run("refgpu_c", {{"a", "pass"}, {"b", "fail"}}),
					  driver_run("refgpu_cpp", {{"a", "pass"}, {"b", "fail"}})};
	EXPECT_TRUE(differences(runs, {}).empty());
}

TEST(Differences, ADifferingResultIsReportedByName)
{
	const std::vector<DriverRun> runs{
		driver_run("refgpu_c", {{"a", "pass"}, {"create-zero-size", "pass"}}),
		driver_run("refgpu_cpp", {{"a", "pass"}, {"create-zero-size", "fail"}})};
	const auto d = differences(runs, {});
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(describe(d[0]),
		  "C/C++ DIFFERENCE: igt@refgpu_gem@create-zero-size: refgpu_c pass, refgpu_cpp fail");
}

TEST(Differences, MissingOnOneSideAndFlakes)
{
	std::map<std::string, Expectations> e;
	std::vector<std::string> errors;
	parse_patterns("refgpu_gem@flaky\n", "f", e["refgpu_cpp"].flakes, errors);
	const std::vector<DriverRun> runs{
		driver_run("refgpu_c", {{"only-c", "pass"}, {"flaky", "pass"}}),
		driver_run("refgpu_cpp", {{"flaky", "fail"}})};
	const auto d = differences(runs, e);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].name, "igt@refgpu_gem@only-c");
	EXPECT_EQ(d[0].results.at("refgpu_cpp"), "missing");
}

TEST(Report, CountsAndVerdict)
{
	const std::vector<DriverRun> good{driver_run("refgpu_c", {{"a", "pass"}}),
					  driver_run("refgpu_cpp", {{"a", "pass"}})};
	Report r = make_report(good, differences(good, {}));
	EXPECT_TRUE(r.ok());
	EXPECT_EQ(r.lines.front(), "refgpu_c: 1 subtests: 1 pass, 0 unexpected");
	EXPECT_EQ(r.lines.back(), "verdict: PASS (0 unexpected results, 0 C/C++ differences)");

	const std::vector<DriverRun> bad{driver_run("refgpu_c", {{"a", "pass"}}),
					 driver_run("refgpu_cpp", {{"a", "fail"}})};
	r = make_report(bad, differences(bad, {}));
	EXPECT_FALSE(r.ok());
	EXPECT_EQ(r.unexpected, 1);
	EXPECT_EQ(r.differences, 1);
	bool regression = false;
	for (const auto &l : r.lines)
		regression = regression ||
			     l == "REGRESSION refgpu_cpp: igt@refgpu_gem@a: fail (expected pass)";
	EXPECT_TRUE(regression);
}

// ---- the self-test's own check ----

TEST(CheckPlanted, PassesOnlyOnThePlantedShape)
{
	const std::string planted = "igt@refgpu_gem@create-zero-size";
	auto check = [&](const std::vector<DriverRun> &runs) {
		const auto d = differences(runs, {});
		return check_planted(runs, d, make_report(runs, d), "refgpu_cpp", planted);
	};
	// The shape it must have: fail on the planted driver only.
	EXPECT_TRUE(check({driver_run("refgpu_c", {{"a", "pass"}, {"create-zero-size", "pass"}}),
			   driver_run("refgpu_cpp", {{"a", "pass"}, {"create-zero-size", "fail"}})})
			    .empty());
	// The bug went unnoticed.
	EXPECT_FALSE(check({driver_run("refgpu_c", {{"create-zero-size", "pass"}}),
			    driver_run("refgpu_cpp", {{"create-zero-size", "pass"}})})
			     .empty());
	// It broke both drivers (no difference, a regression on the wrong one).
	EXPECT_FALSE(check({driver_run("refgpu_c", {{"create-zero-size", "fail"}}),
			    driver_run("refgpu_cpp", {{"create-zero-size", "fail"}})})
			     .empty());
	// It broke another subtest as well.
	EXPECT_FALSE(check({driver_run("refgpu_c", {{"a", "pass"}, {"create-zero-size", "pass"}}),
			    driver_run("refgpu_cpp", {{"a", "fail"}, {"create-zero-size", "fail"}})})
			     .empty());
	// Another subtest failed instead of the planted one.
	EXPECT_FALSE(check({driver_run("refgpu_c", {{"a", "pass"}, {"create-zero-size", "pass"}}),
			    driver_run("refgpu_cpp", {{"a", "fail"}, {"create-zero-size", "pass"}})})
			     .empty());
	// The planted subtest did not run at all.
	EXPECT_FALSE(check({driver_run("refgpu_c", {{"a", "pass"}}),
			    driver_run("refgpu_cpp", {{"a", "pass"}})})
			     .empty());
}

// ---- results.json ----

TEST(ResultsJson, ShapedLikeIgtRunner)
{
	DriverRun d = driver_run("refgpu_c", {{"a", "pass"}, {"b", "fail"}});
	d.runs[0].out = "Subtest a: SUCCESS (0.01s)\nIGT-Version: 1.27.1-NO-GIT (x86_64)\n";
	d.runs[0].seconds = 0.25;
	d.runs[1].seconds = 0.5;
	d.runs[1].dmesg = {{0, 4, 9, 1500000, "WARNING: odd"}, {1, 6, 10, 1600000, "[IGT] x"}};
	const auto j = results_json(d, {"refgpu_c", "Linux 6.12 um", 10.0, 20.0});
	EXPECT_EQ(j["__type__"], "TestrunResult");
	EXPECT_EQ(j["results_version"], 10);
	EXPECT_EQ(j["name"], "refgpu_c");
	EXPECT_EQ(j["time_elapsed"]["end"], 20.0);
	const auto &a = j["tests"]["igt@refgpu_gem@a"];
	EXPECT_EQ(a["result"], "pass");
	EXPECT_EQ(a["time"]["__type__"], "TimeAttribute");
	EXPECT_EQ(a["time"]["end"], 0.25);
	EXPECT_EQ(a["igt-version"], "IGT-Version: 1.27.1-NO-GIT (x86_64)");
	EXPECT_TRUE(a.contains("out") && a.contains("err") && a.contains("dmesg"));
	const auto &b = j["tests"]["igt@refgpu_gem@b"];
	EXPECT_EQ(b["dmesg"], "<4> [1.500000] WARNING: odd\n<6> [1.600000] [IGT] x\n");
	EXPECT_EQ(b["dmesg-warnings"], "<4> [1.500000] WARNING: odd\n");
	EXPECT_EQ(j["totals"][""]["pass"], 1);
	EXPECT_EQ(j["totals"]["root"]["fail"], 1);
	EXPECT_EQ(j["totals"]["igt@refgpu_gem"]["pass"], 1);
	EXPECT_EQ(j["totals"]["igt@refgpu_gem"]["crash"], 0);
	EXPECT_EQ(j["runtimes"]["igt@refgpu_gem"]["time"]["end"], 0.75);
}

TEST(ResultsJson, AnyBytesSerialise)
{
	DriverRun d = driver_run("refgpu_c", {{"a", "pass"}});
	d.runs[0].out = std::string("quote\" backslash\\ ctrl\x01 bad\xff\xfe utf8 \xc3\xa9\n");
	const std::string s = dump_json(results_json(d, {}));
	const auto back = nlohmann::json::parse(s);
	const std::string out = back["tests"]["igt@refgpu_gem@a"]["out"];
	EXPECT_NE(out.find("quote\" backslash\\ ctrl\x01"), std::string::npos);
	EXPECT_NE(out.find("\xef\xbf\xbd"), std::string::npos); // U+FFFD for the bad bytes
	EXPECT_NE(out.find("\xc3\xa9"), std::string::npos);	   // valid UTF-8 kept
}

TEST(FailuresCsv, UnexpectedOnly)
{
	Expectations e;
	e.fails["refgpu_gem@old"] = Status::fail;
	const DriverRun d = driver_run("refgpu_cpp",
				       {{"a", "pass"}, {"b", "fail"}, {"c", "timeout"}, {"old", "pass"}}, e);
	EXPECT_EQ(failures_csv(d), "refgpu_gem@b,Fail\nrefgpu_gem@c,Timeout\nrefgpu_gem@old,UnexpectedPass\n");
}
