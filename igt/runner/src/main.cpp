// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// refgpu-igt-runner: runs every refgpu IGT test x subtest on each refgpu
// driver (one `--run-subtest` process each, with a timeout), captures its
// output and its slice of the kernel log, writes igt_runner-style
// results.json per driver, judges each result against the driver's drm-ci
// expectation lists, and fails on an unexpected result or on a result that
// differs between the C and the C++ driver.
//
// --plant DRIVER: the self-test. Sets DRIVER's debug_plant knob (a bug
// planted in BO_CREATE), runs everything, and passes only if the run fails
// with the planted subtest as the one regression, on that driver only, and
// as the one C/C++ difference.

#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "exec.hpp"
#include "expectations.hpp"
#include "results.hpp"
#include "results_json.hpp"

namespace fs = std::filesystem;
using namespace refgpu::igt;

namespace {

constexpr const char *drivers[] = {"refgpu_c", "refgpu_cpp"};

// debug_plant bit 0: BO_CREATE of size 0 succeeds instead of -EINVAL.
struct Plant {
	unsigned value;
	const char *breaks;
};
constexpr Plant plant_bo_create_zero{1, "igt@refgpu_gem@create-zero-size"};

struct Options {
	fs::path tests = REFGPU_IGT_TESTS_DIR;
	fs::path expectations = REFGPU_IGT_EXPECTATIONS_DIR;
	fs::path results = REFGPU_IGT_RESULTS_DIR;
	double timeout = 60;
	std::string plant;
	fs::path modules = "/sys/module"; // where DRIVER/parameters/debug_plant is
};

int usage()
{
	std::cerr << "usage: refgpu-igt-runner [--tests DIR] [--expectations DIR] [--results DIR]\n"
		     "                         [--timeout SECONDS] [--plant refgpu_c|refgpu_cpp [--knob-dir DIR]]\n"
		     "--knob-dir: where DRIVER/parameters/debug_plant is (default /sys/module)\n";
	return 2;
}

double now()
{
	timespec ts{};
	clock_gettime(CLOCK_REALTIME, &ts);
	return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

std::string read_file(const fs::path &p)
{
	std::ifstream f(p);
	std::stringstream s;
	s << f.rdbuf();
	return s.str();
}

bool write_file(const fs::path &p, const std::string &text)
{
	std::ofstream f(p, std::ios::trunc);
	f << text;
	return static_cast<bool>(f);
}

// Sets a module parameter for as long as it lives.
class Knob {
public:
	explicit Knob(fs::path p) : path_(std::move(p)) {}
	~Knob()
	{
		if (set_)
			write_file(path_, "0\n");
	}
	Knob(const Knob &) = delete;
	Knob &operator=(const Knob &) = delete;
	bool set(unsigned v, std::string &why)
	{
		if (!fs::exists(path_)) {
			why = path_.string() + " does not exist (the kernel has no debug_plant knob)";
			return false;
		}
		set_ = write_file(path_, std::to_string(v) + "\n");
		const std::string back = read_file(path_);
		if (!set_ || std::stoul(back.empty() ? "0" : back) != v) {
			why = "cannot set " + path_.string() + " to " + std::to_string(v) + " (reads \"" +
			      back + "\")";
			return false;
		}
		return true;
	}

private:
	fs::path path_;
	bool set_ = false;
};

struct Test {
	fs::path binary;
	std::string name;
	std::vector<std::string> subtests;
};

DriverRun run_driver(const Device &dev, const std::vector<Test> &tests, const Expectations &e,
		     double timeout, Kmsg &kmsg)
{
	DriverRun run;
	run.driver = dev.driver;
	const std::string filter = "sys:" + dev.syspath;
	for (const auto &t : tests) {
		const double t0 = now();
		std::map<std::string, int> counts;
		for (const auto &sub : t.subtests) {
			SubtestRun r;
			r.test = t.name;
			r.subtest = sub;
			if (const Pattern *skip = e.skipped(drm_ci_name(t.name, sub))) {
				r.skipped_by = skip->text;
			} else {
				kmsg.mark();
				const Process p = run_process(
					{t.binary.string(), "--run-subtest", sub, "--device", filter}, timeout);
				r.out = p.out;
				r.err = p.err + p.error;
				r.exit_code = p.error.empty() ? p.exit_code : 127;
				r.signal = p.signal;
				r.signaled = p.signaled;
				r.timed_out = p.timed_out;
				r.seconds = p.seconds;
				r.dmesg = kmsg.take(&r.dmesg_lost);
			}
			std::string result = classify(r);
			if (const std::string why = wrong_device(r.out, dev.driver); !why.empty()) {
				r.err += "refgpu-igt-runner: " + why + "\n";
				result = "fail";
			}
			counts[result]++;
			run.judged.push_back(judge(t.name, sub, result, e));
			run.results.push_back(result);
			run.runs.push_back(std::move(r));
		}
		std::printf("%-10s igt@%s: %zu subtests:", dev.driver.c_str(), t.name.c_str(),
			    t.subtests.size());
		for (const auto &[res, n] : counts)
			std::printf(" %d %s", n, res.c_str());
		std::printf(" (%.1f s)\n", now() - t0);
		std::fflush(stdout);
	}
	return run;
}

} // namespace

int main(int argc, char **argv)
{
	Options o;
	for (int i = 1; i < argc; i++) {
		const std::string a = argv[i];
		auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
		if (a == "--tests")
			o.tests = next();
		else if (a == "--expectations")
			o.expectations = next();
		else if (a == "--results")
			o.results = next();
		else if (a == "--timeout")
			o.timeout = std::atof(next().c_str());
		else if (a == "--plant")
			o.plant = next();
		else if (a == "--knob-dir")
			o.modules = next();
		else
			return usage();
	}
	if (o.timeout <= 0)
		return usage();
	if (!o.plant.empty() && o.plant != drivers[0] && o.plant != drivers[1])
		return usage();

	// The devices: one per driver, found through their sysfs driver links.
	std::map<std::string, Device> devices;
	for (const auto &d : find_devices())
		devices.emplace(d.driver, d);
	for (const char *drv : drivers) {
		auto it = devices.find(drv);
		if (it == devices.end() || it->second.render.empty()) {
			std::fprintf(stderr, "no refgpu device with a render node bound to %s\n", drv);
			return 2;
		}
		std::printf("%-10s %s (%s), --device sys:%s\n", drv, it->second.platform.c_str(),
			    it->second.render.c_str(), it->second.syspath.c_str());
	}

	// The same test list for both drivers.
	std::vector<Test> tests;
	std::size_t count = 0;
	for (const auto &bin : find_tests(o.tests)) {
		std::string error;
		Test t{bin, bin.filename().string(), list_subtests(bin, error)};
		if (!error.empty()) {
			std::fprintf(stderr, "%s\n", error.c_str());
			return 2;
		}
		count += t.subtests.size();
		tests.push_back(std::move(t));
	}
	if (tests.empty()) {
		std::fprintf(stderr, "no refgpu_* test binaries in %s\n", o.tests.c_str());
		return 2;
	}
	std::printf("%zu tests, %zu subtests, on each driver; timeout %.0f s per subtest\n",
		    tests.size(), count, o.timeout);

	std::map<std::string, Expectations> expectations;
	std::vector<std::string> errors;
	for (const char *drv : drivers)
		expectations[drv] = load_expectations(o.expectations, drv, errors);
	for (const auto &e : errors)
		std::fprintf(stderr, "%s\n", e.c_str());
	if (!errors.empty())
		return 2;

	Knob knob(o.modules / o.plant / "parameters/debug_plant");
	if (!o.plant.empty()) {
		std::string why;
		if (!knob.set(plant_bo_create_zero.value, why)) {
			std::printf("self-test FAILED: %s\n", why.c_str());
			return 1;
		}
		std::printf("planted: debug_plant=%u in %s (breaks %s)\n", plant_bo_create_zero.value,
			    o.plant.c_str(), plant_bo_create_zero.breaks);
	}

	Kmsg kmsg;
	if (!kmsg.ok())
		std::fprintf(stderr, "warning: cannot read /dev/kmsg: no dmesg in the results\n");

	const fs::path out = o.results / (o.plant.empty() ? "results" : "plant-" + o.plant);
	fs::remove_all(out);
	std::vector<DriverRun> runs;
	for (const char *drv : drivers) {
		RunInfo info{drv, uname_string(), now(), 0};
		runs.push_back(run_driver(devices[drv], tests, expectations[drv], o.timeout, kmsg));
		info.end = now();
		fs::create_directories(out / drv);
		if (!write_file(out / drv / "results.json", dump_json(results_json(runs.back(), info))) ||
		    !write_file(out / drv / "failures.csv", failures_csv(runs.back()))) {
			std::fprintf(stderr, "cannot write %s\n", (out / drv).c_str());
			return 2;
		}
	}

	const auto diffs = differences(runs, expectations);
	const Report report = make_report(runs, diffs);
	for (const auto &l : report.lines)
		std::printf("%s\n", l.c_str());
	std::printf("results: %s/{%s,%s}/results.json\n", out.c_str(), drivers[0], drivers[1]);

	if (o.plant.empty())
		return report.ok() ? 0 : 1;

	const auto why = check_planted(runs, diffs, report, o.plant, plant_bo_create_zero.breaks);
	for (const auto &w : why)
		std::printf("self-test: %s\n", w.c_str());
	std::printf("self-test %s: the bug planted in %s %s\n", why.empty() ? "PASSED" : "FAILED",
		    o.plant.c_str(),
		    why.empty() ? "is a regression on that driver only and a C/C++ difference"
				: "was not reported as it must be");
	return why.empty() ? 0 : 1;
}
