// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --bench: the statistics helpers, and the bench loop on two in-process
// fake devices with a scripted clock, so every figure is known exactly.
#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <set>
#include <sstream>

#include "bench.h"
#include "fake_device.h"

using namespace refgpu::equiv;
using refgpu::equiv::test::FakeRefgpu;

TEST(BenchStats, Median)
{
	EXPECT_DOUBLE_EQ(median({5}), 5);
	EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2);
	EXPECT_DOUBLE_EQ(median({500, 100, 400, 200, 300}), 300);
	EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5); // even: mean of the middle two
	EXPECT_DOUBLE_EQ(median({7, 7, 1, 100}), 7);
	EXPECT_TRUE(std::isnan(median({})));
}

TEST(BenchStats, MinMax)
{
	MinMax m = min_max({3.5, -1, 8, 2});
	EXPECT_DOUBLE_EQ(m.min, -1);
	EXPECT_DOUBLE_EQ(m.max, 8);
	m = min_max({42});
	EXPECT_DOUBLE_EQ(m.min, 42);
	EXPECT_DOUBLE_EQ(m.max, 42);
	m = min_max({});
	EXPECT_TRUE(std::isnan(m.min));
	EXPECT_TRUE(std::isnan(m.max));
}

TEST(BenchStats, GeometricMean)
{
	EXPECT_DOUBLE_EQ(geometric_mean({1, 4}), 2);
	EXPECT_NEAR(geometric_mean({2, 8, 4}), 4, 1e-12);
	EXPECT_NEAR(geometric_mean({1.1, 2.2, 0.55, 1.1, 1.1}), 1.1, 1e-12); // not the mean 1.21
	EXPECT_DOUBLE_EQ(geometric_mean({1.25}), 1.25);
	EXPECT_TRUE(std::isnan(geometric_mean({})));
	EXPECT_TRUE(std::isnan(geometric_mean({1, 0})));
	EXPECT_TRUE(std::isnan(geometric_mean({1, -2})));
	EXPECT_TRUE(std::isnan(geometric_mean({1, NAN})));
	EXPECT_TRUE(std::isnan(geometric_mean({1, INFINITY})));
}

TEST(BenchStats, Ratio)
{
	EXPECT_DOUBLE_EQ(ratio(150, 100), 1.5);
	EXPECT_DOUBLE_EQ(ratio(0, 100), 0);
	EXPECT_TRUE(std::isnan(ratio(1, 0)));
	EXPECT_TRUE(std::isnan(ratio(1, -1)));
	EXPECT_TRUE(std::isnan(ratio(-1, 1)));
	EXPECT_TRUE(std::isnan(ratio(NAN, 1)));
	EXPECT_TRUE(std::isnan(ratio(1, INFINITY)));
}

TEST(BenchStats, Formatting)
{
	EXPECT_EQ(format_ratio(1.0), "1.000");
	EXPECT_EQ(format_ratio(1.23456), "1.235");
	EXPECT_EQ(format_ratio(0.9994), "0.999");
	EXPECT_EQ(format_ratio(12.5), "12.500");
	EXPECT_EQ(format_ratio(NAN), "n/a");
	EXPECT_EQ(format_ratio(INFINITY), "n/a");
	EXPECT_EQ(format_ratio(-1), "n/a");
	EXPECT_EQ(format_ns(1234.56), "1234.6");
	EXPECT_EQ(format_ns(300), "300.0");
	EXPECT_EQ(format_ns(0), "0.0");
	EXPECT_EQ(format_ns(NAN), "n/a");
}

TEST(BenchStats, ScaledIters)
{
	EXPECT_EQ(scaled_iters(2000, 1), 2000u);
	EXPECT_EQ(scaled_iters(2000, 0.005), 10u);
	EXPECT_EQ(scaled_iters(16, 0.005), 1u); // never below one
	EXPECT_EQ(scaled_iters(16, 2.5), 40u);
	EXPECT_EQ(scaled_iters(1000, 0.0015), 2u); // rounded, not truncated
	EXPECT_EQ(scaled_iters(5, 0), 1u);
	EXPECT_EQ(scaled_iters(5, NAN), 1u);
}

TEST(BenchOps, TheFiveOperations)
{
	std::vector<std::string> names;
	for (const BenchOp &op : bench_ops()) {
		names.push_back(op.name);
		EXPECT_FALSE(op.what.empty());
		EXPECT_TRUE(op.iteration) << op.name;
		EXPECT_GE(op.default_iters, 1u);
	}
	EXPECT_EQ(names, (std::vector<std::string>{"dev_query.gpu_info", "bo_create_4k+close",
						   "bo_mmap_offset", "bo_1m_map_touch",
						   "syncobj_create+destroy"}));
}

namespace {

// Records which device issued the last call, so the clock can tell which
// device a timed window measured.
class TaggedDevice final : public DeviceIo {
public:
	TaggedDevice(DeviceIo &dev, std::string tag, std::string *last)
		: dev_(dev), tag_(std::move(tag)), last_(last)
	{
	}
	int ioctl(unsigned long request, void *arg) override
	{
		*last_ = tag_;
		return dev_.ioctl(request, arg);
	}
	Mapping mmap(std::size_t len, std::uint64_t offset, int *ret) override
	{
		*last_ = tag_;
		return dev_.mmap(len, offset, ret);
	}

private:
	DeviceIo &dev_;
	std::string tag_;
	std::string *last_;
};

// Per round, ns/op of op 0 on C and on C++; op o scales C by (o+1) and C++
// by (o+1)*kNum[o]/kDen[o]. C medians: 300*(o+1). C++: 330*(o+1)*k, so
// the median ratio of op o is 1.1*k and the per-round ratios range over
// [1.1*k, 1.3*k]; the k multiply to 1, so the geometric mean is 1.1.
constexpr std::uint64_t kCBase[5] = {100, 300, 200, 500, 400};
constexpr std::uint64_t kCppBase[5] = {120, 330, 260, 625, 460};
constexpr std::uint64_t kNum[5] = {1, 2, 1, 1, 1};
constexpr std::uint64_t kDen[5] = {1, 1, 2, 1, 1};
constexpr double kK[5] = {1, 2, 0.5, 1, 1};
constexpr double kScale = 0.005; // iters 10, 5, 10, 1, 5
constexpr std::uint64_t kGap = 1000003; // untimed time between windows

struct ScriptedClock {
	std::vector<std::uint64_t> stamps;
	std::size_t next = 0;
	std::string last_device; // written by the TaggedDevices
	std::vector<std::string> device_at; // last_device at each clock read

	std::uint64_t now()
	{
		device_at.push_back(last_device);
		if (next >= stamps.size()) {
			ADD_FAILURE() << "clock read more often than 2 x 2 x rounds x ops";
			return stamps.empty() ? 0 : stamps.back();
		}
		return stamps[next++];
	}
};

// The timestamps run_bench must see, in its documented order.
std::vector<std::uint64_t> scripted_stamps(unsigned rounds)
{
	std::vector<std::uint64_t> s;
	std::uint64_t t = 5000;
	const auto &ops = bench_ops();
	for (std::size_t o = 0; o < ops.size(); o++) {
		std::uint64_t iters = scaled_iters(ops[o].default_iters, kScale);
		for (unsigned r = 0; r < rounds; r++) {
			std::uint64_t c = kCBase[r % 5] * (o + 1) * iters;
			std::uint64_t cpp_num = kCppBase[r % 5] * (o + 1) * kNum[o] * iters;
			std::uint64_t cpp = cpp_num / kDen[o];
			EXPECT_EQ(cpp * kDen[o], cpp_num); // exact ns
			std::uint64_t first = r % 2 == 0 ? c : cpp, second = r % 2 == 0 ? cpp : c;
			for (std::uint64_t d : {first, second}) {
				s.push_back(t);
				t += d;
				s.push_back(t);
				t += kGap;
			}
		}
	}
	return s;
}

struct Rig {
	FakeRefgpu fake_c, fake_cpp;
	ScriptedClock clock;
	TaggedDevice c{fake_c, "C", &clock.last_device};
	TaggedDevice cpp{fake_cpp, "C++", &clock.last_device};

	BenchConfig config(unsigned rounds = 5)
	{
		clock.stamps = scripted_stamps(rounds);
		BenchConfig cfg;
		cfg.rounds = rounds;
		cfg.iters_scale = kScale;
		cfg.now = [this] { return clock.now(); };
		cfg.label_c = "C (renderD128)";
		cfg.label_cpp = "C++ (renderD129)";
		return cfg;
	}
};

} // namespace

TEST(BenchLoop, FiguresFromTheScriptedClock)
{
	Rig rig;
	BenchReport rep = run_bench(rig.c, rig.cpp, rig.config());
	ASSERT_TRUE(rep.ok) << rep.error;
	EXPECT_TRUE(rep.error.empty());
	EXPECT_EQ(rep.rounds, 5u);
	ASSERT_EQ(rep.ops.size(), 5u);
	EXPECT_EQ(rig.clock.next, rig.clock.stamps.size()); // 2 reads per timed window, no more

	const unsigned iters[5] = {10, 5, 10, 1, 5};
	for (std::size_t o = 0; o < 5; o++) {
		const OpResult &r = rep.ops[o];
		SCOPED_TRACE(r.name);
		EXPECT_EQ(r.name, bench_ops()[o].name);
		EXPECT_EQ(r.iters, iters[o]);
		double n = static_cast<double>(o + 1);
		ASSERT_EQ(r.c_ns.size(), 5u);
		ASSERT_EQ(r.cpp_ns.size(), 5u);
		for (unsigned k = 0; k < 5; k++) {
			// Attributed to the right driver whichever ran first.
			EXPECT_DOUBLE_EQ(r.c_ns[k], kCBase[k] * n);
			EXPECT_DOUBLE_EQ(r.cpp_ns[k], kCppBase[k] * n * kK[o]);
		}
		EXPECT_EQ(r.c_first, (std::vector<bool>{true, false, true, false, true}));
		EXPECT_DOUBLE_EQ(r.c_median, 300 * n);
		EXPECT_DOUBLE_EQ(r.cpp_median, 330 * n * kK[o]);
		EXPECT_DOUBLE_EQ(r.c_range.min, 100 * n);
		EXPECT_DOUBLE_EQ(r.c_range.max, 500 * n);
		EXPECT_DOUBLE_EQ(r.cpp_range.min, 120 * n * kK[o]);
		EXPECT_DOUBLE_EQ(r.cpp_range.max, 625 * n * kK[o]);
		EXPECT_NEAR(r.ratio, 1.1 * kK[o], 1e-12);
		EXPECT_NEAR(r.round_ratio.min, 1.1 * kK[o], 1e-12);
		EXPECT_NEAR(r.round_ratio.max, 1.3 * kK[o], 1e-12);
	}
	EXPECT_NEAR(rep.geomean_ratio, 1.1, 1e-12);
}

TEST(BenchLoop, AlternatesWhichDriverRunsFirst)
{
	Rig rig;
	BenchReport rep = run_bench(rig.c, rig.cpp, rig.config(4));
	ASSERT_TRUE(rep.ok) << rep.error;
	const auto &at = rig.clock.device_at;
	ASSERT_EQ(at.size(), 5u * 4 * 4);
	// At the end of each timed window, the last call came from the device
	// that was measured: C, C++ | C++, C | C, C++ | C++, C, for every op.
	const char *expect[4][2] = {{"C", "C++"}, {"C++", "C"}, {"C", "C++"}, {"C++", "C"}};
	for (std::size_t o = 0; o < 5; o++)
		for (std::size_t r = 0; r < 4; r++)
			for (std::size_t k = 0; k < 2; k++)
				EXPECT_EQ(at[o * 16 + r * 4 + k * 2 + 1], expect[r][k])
					<< "op " << o << " round " << r << " window " << k;
	// Even number of rounds: median of the middle two.
	EXPECT_DOUBLE_EQ(rep.ops[0].c_median, 250); // 100 300 200 500
	EXPECT_DOUBLE_EQ(rep.ops[0].cpp_median, 295); // 120 330 260 625
}

TEST(BenchLoop, IssuesExactlyTheDocumentedCallsAndCleansUp)
{
	Rig rig;
	BenchReport rep = run_bench(rig.c, rig.cpp, rig.config());
	ASSERT_TRUE(rep.ok) << rep.error;
	// iters 10, 5, 10, 1, 5; warm-up max(1, iters/10) = 1 each; 5 rounds.
	for (FakeRefgpu *f : {&rig.fake_c, &rig.fake_cpp}) {
		EXPECT_EQ(f->calls[DRM_IOCTL_REFGPU_DEV_QUERY], 1u + 5 * 10);
		// bo_create_4k+close (1+25), the bo_mmap_offset target (1),
		// bo_1m_map_touch (1+5).
		EXPECT_EQ(f->calls[DRM_IOCTL_REFGPU_BO_CREATE], 26u + 1 + 6);
		EXPECT_EQ(f->calls[DRM_IOCTL_GEM_CLOSE], 26u + 1 + 6);
		EXPECT_EQ(f->calls[DRM_IOCTL_REFGPU_BO_MMAP_OFFSET], 51u + 6);
		EXPECT_EQ(f->mmap_calls, 6u);
		EXPECT_EQ(f->calls[DRM_IOCTL_SYNCOBJ_CREATE], 26u);
		EXPECT_EQ(f->calls[DRM_IOCTL_SYNCOBJ_DESTROY], 26u);
		EXPECT_EQ(f->ioctl_calls, 51u + 33 + 33 + 57 + 26 + 26);
		EXPECT_EQ(f->live_bos(), 0u);
		EXPECT_EQ(f->live_syncobjs(), 0u);
	}
}

TEST(BenchLoop, TableHasBothColumnsAndTheFigures)
{
	Rig rig;
	BenchReport rep = run_bench(rig.c, rig.cpp, rig.config());
	ASSERT_TRUE(rep.ok) << rep.error;
	std::string t = format_bench(rep);
	std::istringstream in(t);
	std::vector<std::string> lines;
	for (std::string l; std::getline(in, l);)
		lines.push_back(l);
	ASSERT_GE(lines.size(), 1u + 2 + 5 + 2 + 5) << t;

	EXPECT_NE(lines[0].find("5 round(s)"), std::string::npos) << lines[0];
	EXPECT_NE(lines[0].find("x0.005"), std::string::npos) << lines[0];
	// Columns as wide as their widest cell (C max: "2500.0"; the last: "1.100..1.300").
	EXPECT_EQ(lines[1], "op                     | iters | C ns/op | C min |  C max | C++ ns/op | "
			    "C++ min | C++ max | C++/C |  round C++/C");
	// Every table line has ten columns and the same width.
	for (std::size_t k = 1; k <= 7; k++) {
		EXPECT_EQ(lines[k].size(), lines[1].size()) << lines[k];
		std::size_t seps = 0;
		for (std::size_t p = 0; (p = lines[k].find(k == 2 ? "-+-" : " | ", p)) != std::string::npos; p++)
			seps++;
		EXPECT_EQ(seps, 9u) << lines[k];
	}
	EXPECT_EQ(lines[3], "dev_query.gpu_info     |    10 |   300.0 | 100.0 |  500.0 |     330.0 | "
			    "  120.0 |   625.0 | 1.100 | 1.100..1.300");
	EXPECT_EQ(lines[4], "bo_create_4k+close     |     5 |   600.0 | 200.0 | 1000.0 |    1320.0 | "
			    "  480.0 |  2500.0 | 2.200 | 2.200..2.600");
	EXPECT_NE(lines[5].find("bo_mmap_offset"), std::string::npos);
	EXPECT_NE(lines[5].find("| 0.550 | 0.550..0.650"), std::string::npos) << lines[5];
	EXPECT_NE(lines[6].find("bo_1m_map_touch"), std::string::npos);
	EXPECT_NE(lines[6].find("|  1200.0 |"), std::string::npos) << lines[6];
	EXPECT_NE(lines[7].find("syncobj_create+destroy"), std::string::npos);
	EXPECT_EQ(lines[8], "geometric mean C++/C over 5 op(s): 1.100");
	EXPECT_NE(t.find("bo_1m_map_touch: BO_CREATE 1 MiB + BO_MMAP_OFFSET + mmap"), std::string::npos)
		<< t;
}

TEST(BenchLoop, FailureOnTheCppSideAbortsWithTheErrno)
{
	Rig rig;
	// The C++ driver's 19th BO_CREATE fails: bo_create_4k+close, after its
	// warm-up (1) and 3 rounds of 5, in round 4 (third iteration).
	rig.fake_cpp.quirks.fail_request = DRM_IOCTL_REFGPU_BO_CREATE;
	rig.fake_cpp.quirks.fail_after = 18;
	rig.fake_cpp.quirks.fail_errno = ENOMEM;
	BenchReport rep = run_bench(rig.c, rig.cpp, rig.config());
	EXPECT_FALSE(rep.ok);
	EXPECT_TRUE(rep.ops.empty());
	EXPECT_EQ(rep.error, "bench: bo_create_4k+close on C++ (renderD129) (round 4): "
			     "DRM_IOCTL_REFGPU_BO_CREATE failed: -ENOMEM (errno 12: Cannot allocate memory)");
	// Nothing ran after the failure.
	EXPECT_EQ(rig.fake_cpp.calls[DRM_IOCTL_SYNCOBJ_CREATE], 0u);
	EXPECT_EQ(rig.fake_c.calls[DRM_IOCTL_SYNCOBJ_CREATE], 0u);
}

TEST(BenchLoop, FailingSetupMmapOrDeadDeviceAbort)
{
	{
		Rig rig;
		rig.fake_c.quirks.fail_mmap_errno = ENODEV;
		BenchReport rep = run_bench(rig.c, rig.cpp, rig.config());
		EXPECT_FALSE(rep.ok);
		EXPECT_EQ(rep.error, "bench: bo_1m_map_touch on C (renderD128) (warm-up): mmap failed: "
				     "-ENODEV (errno 19: No such device)");
	}
	{
		Rig rig;
		// bo_create_4k+close warm-up (1) + 5 rounds x 5 = 26 creates, then
		// the 27th, the setup of bo_mmap_offset, fails.
		rig.fake_c.quirks.fail_request = DRM_IOCTL_REFGPU_BO_CREATE;
		rig.fake_c.quirks.fail_after = 26;
		rig.fake_c.quirks.fail_errno = ENOSPC;
		BenchReport rep = run_bench(rig.c, rig.cpp, rig.config());
		EXPECT_FALSE(rep.ok);
		EXPECT_NE(rep.error.find("bo_mmap_offset on C (renderD128) (setup): "
					 "DRM_IOCTL_REFGPU_BO_CREATE failed: -ENOSPC (errno 28"),
			  std::string::npos)
			<< rep.error;
	}
	{
		test::DeadDevice dead;
		FakeRefgpu ok;
		BenchConfig cfg;
		cfg.iters_scale = kScale;
		BenchReport rep = run_bench(ok, dead, cfg);
		EXPECT_FALSE(rep.ok);
		EXPECT_EQ(rep.error, "bench: dev_query.gpu_info on C++ (warm-up): DRM_IOCTL_REFGPU_DEV_QUERY "
				     "failed: -ENOTTY (errno 25: Inappropriate ioctl for device)");
	}
}

TEST(BenchLoop, RealClockGivesPositiveFigures)
{
	FakeRefgpu c, cpp;
	BenchConfig cfg;
	cfg.rounds = 3;
	cfg.iters_scale = kScale;
	BenchReport rep = run_bench(c, cpp, cfg);
	ASSERT_TRUE(rep.ok) << rep.error;
	for (const OpResult &r : rep.ops) {
		EXPECT_GT(r.c_median, 0) << r.name;
		EXPECT_GT(r.cpp_median, 0) << r.name;
		EXPECT_LE(r.c_range.min, r.c_median);
		EXPECT_GE(r.c_range.max, r.c_median);
		EXPECT_GT(r.ratio, 0);
		EXPECT_TRUE(std::isfinite(r.ratio));
	}
	EXPECT_GT(rep.geomean_ratio, 0);
}
