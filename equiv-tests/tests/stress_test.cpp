// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --stress on the in-process model (serialised by a mutex, so the threads
// interleave between ioctls only): correct fakes pass, each kind of broken
// one fails, and both bounds stop the run.
#include <gtest/gtest.h>

#include <chrono>

#include "cli.h"
#include "fake_device.h"
#include "stress.h"

using namespace refgpu::equiv;
using refgpu::equiv::test::FakeRefgpu;

namespace {

bool listed(const StressSide &s, const std::string &what)
{
	for (const std::string &v : s.violations)
		if (v.find(what) != std::string::npos)
			return true;
	return false;
}

} // namespace

TEST(Stress, CorrectDeviceRunsEveryIterationAndLeavesNothing)
{
	FakeRefgpu dev;
	StressConfig cfg;
	cfg.iters = 300;
	cfg.threads = 4;
	StressSide s = run_stress(dev, "C", cfg);
	EXPECT_TRUE(s.ok()) << format_stress(cfg, s, s);
	EXPECT_EQ(s.iterations, 1200u);
	EXPECT_EQ(s.creates, 1200u);
	// Two closes per iteration, each either closing or finding it gone.
	EXPECT_EQ(s.closes_ok + s.closes_gone, 2400u);
	EXPECT_EQ(s.offsets_ok + s.offsets_gone, 1200u);
	EXPECT_FALSE(s.stopped_by_time);
	EXPECT_GE(s.max_handle, 1u);
	EXPECT_LE(s.max_handle, 8u);
	EXPECT_EQ(dev.live_bos(), 0u);
}

TEST(Stress, UndocumentedCloseErrnoIsAViolation)
{
	FakeRefgpu dev;
	dev.quirks.close_unknown_errno = EIO;
	StressConfig cfg;
	cfg.iters = 200;
	StressSide s = run_stress(dev, "C++", cfg);
	EXPECT_FALSE(s.ok());
	EXPECT_TRUE(listed(s, "returned -EIO; documented: 0, -EINVAL (or -ENOENT) once closed"))
		<< format_stress(cfg, s, s);
	EXPECT_LE(s.violations.size(), kStressListedViolations);
	EXPECT_GE(s.violations_total, s.violations.size());
}

TEST(Stress, LeakedHandleIsAViolation)
{
	FakeRefgpu dev;
	dev.quirks.close_leaks_bo = true;
	StressConfig cfg;
	cfg.iters = 20;
	StressSide s = run_stress(dev, "C", cfg);
	EXPECT_FALSE(s.ok());
	EXPECT_TRUE(listed(s, "after the sweep: a new BO got handle")) << format_stress(cfg, s, s);
}

TEST(Stress, FailingCreateIsAViolation)
{
	FakeRefgpu dev;
	dev.quirks.fail_request = DRM_IOCTL_REFGPU_BO_CREATE;
	dev.quirks.fail_after = 10;
	StressConfig cfg;
	cfg.iters = 20;
	StressSide s = run_stress(dev, "C", cfg);
	EXPECT_FALSE(s.ok());
	EXPECT_TRUE(listed(s, "BO_CREATE 4096 failed with -ENOMEM")) << format_stress(cfg, s, s);
}

TEST(Stress, TimeBoundStopsTheThreads)
{
	FakeRefgpu dev;
	StressConfig cfg;
	cfg.iters = 10000000;
	cfg.seconds = 0.3;
	auto t0 = std::chrono::steady_clock::now();
	StressSide s = run_stress(dev, "C", cfg);
	double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	EXPECT_TRUE(s.stopped_by_time);
	EXPECT_TRUE(s.ok()) << format_stress(cfg, s, s);
	EXPECT_LT(s.iterations, 4u * cfg.iters);
	EXPECT_LT(took, 10.0);
	EXPECT_EQ(dev.live_bos(), 0u);
}

TEST(Stress, ReportNamesBothDriversAndTheVerdict)
{
	FakeRefgpu a, b;
	b.quirks.close_unknown_errno = EIO;
	StressConfig cfg;
	cfg.iters = 50;
	StressSide sa = run_stress(a, "C (c)", cfg), sb = run_stress(b, "C++ (cpp)", cfg);
	std::string rep = format_stress(cfg, sa, sb);
	EXPECT_NE(rep.find("iterations                     | 200  | 200\n"), std::string::npos) << rep;
	EXPECT_NE(rep.find("  C++ (cpp): thread "), std::string::npos) << rep;
	EXPECT_NE(rep.find("stress: FAILED, "), std::string::npos) << rep;
	std::string good = format_stress(cfg, sa, sa);
	EXPECT_NE(good.find("no handle left: OK\n"), std::string::npos) << good;
}

TEST(Stress, CommandLine)
{
	ParsedArgs p = parse_args({"--stress", "500", "--stress-threads", "8", "--stress-seconds=5"});
	ASSERT_TRUE(p.ok) << p.error;
	EXPECT_TRUE(p.opts.stress);
	EXPECT_EQ(p.opts.stress_iters, 500u);
	EXPECT_EQ(p.opts.stress_threads, 8u);
	EXPECT_EQ(p.opts.stress_seconds, 5u);
	EXPECT_FALSE(parse_args({"--stress"}).ok);
	EXPECT_FALSE(parse_args({"--stress", "0"}).ok);
	EXPECT_FALSE(parse_args({"--stress", "10", "--stress-threads", "1"}).ok);
	EXPECT_FALSE(parse_args({"--stress-seconds", "5"}).ok);
	EXPECT_FALSE(parse_args({"--stress", "10", "--bench"}).ok);
	EXPECT_FALSE(parse_args({"--stress", "10", "--plant-divergence"}).ok);
	EXPECT_NE(usage().find("--stress-threads"), std::string::npos);
}

TEST(Stress, RunMainExitCodes)
{
	for (bool broken : {false, true}) {
		DeviceOpener open = [broken](const std::string &path,
					     std::string *) -> std::unique_ptr<DeviceIo> {
			auto d = std::make_unique<FakeRefgpu>();
			if (broken && path == "cpp")
				d->quirks.close_leaks_bo = true;
			return d;
		};
		Options o;
		o.nodes_given = true;
		o.node_c = "c";
		o.node_cpp = "cpp";
		o.stress = true;
		o.stress_iters = 50;
		std::string out, err;
		int rc = run_main(o, out, err, open);
		EXPECT_EQ(rc, broken ? kExitStressFailed : kExitEquivalent) << out << err;
		EXPECT_EQ(out.find("stress: FAILED") != std::string::npos, broken) << out;
	}
}
