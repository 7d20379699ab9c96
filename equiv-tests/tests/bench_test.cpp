// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --bench: the statistics helpers with known inputs and known intervals,
// and the bench loop on four in-process fake devices with a clock driven
// by their calls, so every figure is known exactly.
#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <map>
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

TEST(BenchStats, MeanAndSampleSd)
{
	EXPECT_DOUBLE_EQ(mean({2, 4, 4, 4, 5, 5, 7, 9}), 5);
	EXPECT_NEAR(sample_sd({2, 4, 4, 4, 5, 5, 7, 9}), 2.138089935299395, 1e-12); // sqrt(32/7)
	EXPECT_DOUBLE_EQ(sample_sd({3, 3, 3}), 0);
	EXPECT_NEAR(sample_sd({1, 2}), std::sqrt(0.5), 1e-12);
	EXPECT_TRUE(std::isnan(mean({})));
	EXPECT_TRUE(std::isnan(sample_sd({1})));
}

TEST(BenchStats, StudentTCdfHasTheClosedForms)
{
	// df 1 is Cauchy: 1/2 + atan(t)/pi; df 2: 1/2 + t / (2 sqrt(2 + t^2)).
	EXPECT_NEAR(student_t_cdf(1, 1), 0.75, 1e-10);
	EXPECT_NEAR(student_t_cdf(-3, 1), 0.5 + std::atan(-3.0) / M_PI, 1e-10);
	EXPECT_NEAR(student_t_cdf(2, 2), 0.9082482904638631, 1e-10);
	EXPECT_NEAR(student_t_cdf(-0.5, 2), 0.5 - 0.5 / (2 * std::sqrt(2.25)), 1e-10);
	EXPECT_DOUBLE_EQ(student_t_cdf(0, 7), 0.5);
	EXPECT_NEAR(student_t_cdf(1.3, 9) + student_t_cdf(-1.3, 9), 1, 1e-12);
	EXPECT_NEAR(student_t_cdf(1.959963985, 1e7), 0.975, 1e-6); // tends to the normal
	EXPECT_DOUBLE_EQ(student_t_cdf(INFINITY, 3), 1);
	EXPECT_DOUBLE_EQ(student_t_cdf(-INFINITY, 3), 0);
	EXPECT_TRUE(std::isnan(student_t_cdf(NAN, 3)));
	EXPECT_TRUE(std::isnan(student_t_cdf(1, 0)));
	EXPECT_TRUE(std::isnan(student_t_cdf(1, 0.5))); // df < 1 is not supported
}

TEST(BenchStats, StudentTQuantileMatchesTheTables)
{
	// Two-sided 95 % critical values, from the published t tables.
	const std::pair<double, double> table[] = {
		{1, 12.7062047}, {2, 4.30265273}, {3, 3.18244631}, {4, 2.77644511},
		{5, 2.57058184}, {10, 2.22813885}, {29, 2.04522964}, {30, 2.04227246},
		{31, 2.03951345}, {100, 1.98397152},
	};
	for (auto [df, t] : table) {
		EXPECT_NEAR(student_t_quantile(0.975, df), t, 2e-7) << "df " << df;
		EXPECT_NEAR(student_t_quantile(0.025, df), -t, 2e-7) << "df " << df;
	}
	EXPECT_NEAR(student_t_quantile(0.995, 9), 3.24983554, 2e-7);
	EXPECT_NEAR(student_t_quantile(0.5, 4), 0, 1e-9);
	EXPECT_TRUE(std::isnan(student_t_quantile(0, 4)));
	EXPECT_TRUE(std::isnan(student_t_quantile(1, 4)));
	EXPECT_TRUE(std::isnan(student_t_quantile(0.975, 0)));
}

TEST(BenchStats, LogRatios)
{
	std::vector<double> x = log_ratios({100, 200, 50}, {110, 200, 100});
	ASSERT_EQ(x.size(), 3u);
	EXPECT_NEAR(x[0], std::log(1.1), 1e-15);
	EXPECT_DOUBLE_EQ(x[1], 0);
	EXPECT_NEAR(x[2], std::log(2.0), 1e-15);
	x = log_ratios({0, 1, 1}, {1, 0, NAN});
	ASSERT_EQ(x.size(), 3u);
	for (double v : x)
		EXPECT_TRUE(std::isnan(v));
	EXPECT_TRUE(log_ratios({1, 2}, {1}).empty());
}

TEST(BenchStats, RatioCiFromKnownLogRatios)
{
	// mean 0.2, sd sqrt(0.025), t(0.975, 4) = 2.7764451: exp(0.2 -/+ 0.196324).
	RatioCi ci = ratio_ci({0, 0.1, 0.2, 0.3, 0.4});
	EXPECT_EQ(ci.n, 5u);
	EXPECT_NEAR(ci.ratio, 1.2214027581601699, 1e-9);
	EXPECT_NEAR(ci.lo, 1.0036824474625603, 1e-7);
	EXPECT_NEAR(ci.hi, 1.4863512871155586, 1e-7);
	EXPECT_NEAR(ci.sd_log, 0.15811388300841897, 1e-12);
	// Order does not matter; a 99 % interval is wider.
	RatioCi same = ratio_ci({0.4, 0.1, 0.3, 0, 0.2});
	EXPECT_NEAR(same.lo, ci.lo, 1e-12);
	EXPECT_NEAR(same.hi, ci.hi, 1e-12);
	RatioCi wide = ratio_ci({0, 0.1, 0.2, 0.3, 0.4}, 0.99);
	EXPECT_LT(wide.lo, ci.lo);
	EXPECT_GT(wide.hi, ci.hi);
	// No spread: a zero-width interval at the ratio.
	RatioCi flat = ratio_ci({std::log(1.1), std::log(1.1), std::log(1.1)});
	EXPECT_NEAR(flat.ratio, 1.1, 1e-12);
	EXPECT_NEAR(flat.lo, 1.1, 1e-12);
	EXPECT_NEAR(flat.hi, 1.1, 1e-12);
	// Too few or unusable values: NaN, with n kept.
	RatioCi one = ratio_ci({0.1});
	EXPECT_EQ(one.n, 1u);
	EXPECT_TRUE(std::isnan(one.ratio));
	EXPECT_TRUE(std::isnan(one.lo));
	EXPECT_TRUE(std::isnan(ratio_ci({}).hi));
	EXPECT_TRUE(std::isnan(ratio_ci({0.1, NAN, 0.2}).ratio));
	EXPECT_TRUE(std::isnan(ratio_ci({0.1, 0.2}, 1).ratio));
}

TEST(BenchStats, AbbaOrderIsBalanced)
{
	std::vector<bool> first;
	for (unsigned r = 0; r < 8; r++)
		first.push_back(a_runs_first(r));
	EXPECT_EQ(first, (std::vector<bool>{true, false, false, true, true, false, false, true}));
	// Each side first in half the rounds, and the mean round index of the
	// A-first rounds equals that of the B-first ones (a drift cancels).
	unsigned a = 0, sum_a = 0, sum_b = 0;
	for (unsigned r = 0; r < 32; r++) {
		a += a_runs_first(r);
		(a_runs_first(r) ? sum_a : sum_b) += r;
	}
	EXPECT_EQ(a, 16u);
	EXPECT_EQ(sum_a, sum_b);
}

TEST(BenchStats, FormatRatioCi)
{
	RatioCi ci;
	ci.ratio = 1.01234;
	ci.lo = 0.9981;
	ci.hi = 1.0274;
	EXPECT_EQ(format_ratio_ci(ci), "1.012 [0.998, 1.027]");
	ci.lo = NAN;
	EXPECT_EQ(format_ratio_ci(ci), "n/a");
	EXPECT_EQ(format_ratio_ci(ratio_ci({0.1})), "n/a");
}

TEST(BenchStats, CombinedCiAveragesTheOperationsPerRound)
{
	PairedRounds p, q;
	p.log_ratio = {0, 0.2, 0.4, 0.6, 0.8};
	q.log_ratio = {0, 0, 0, 0, 0};
	// Per round (p + q) / 2 = 0, 0.1, 0.2, 0.3, 0.4: the known interval above.
	RatioCi ci = combined_ci({&p, &q});
	EXPECT_NEAR(ci.ratio, 1.2214027581601699, 1e-9);
	EXPECT_NEAR(ci.lo, 1.0036824474625603, 1e-7);
	EXPECT_NEAR(ci.hi, 1.4863512871155586, 1e-7);
	q.log_ratio.pop_back();
	EXPECT_TRUE(std::isnan(combined_ci({&p, &q}).ratio)); // unequal rounds
	EXPECT_TRUE(std::isnan(combined_ci({}).ratio));
}

TEST(BenchOps, DriverOperationsThenTheDrmCoreFloor)
{
	std::vector<std::string> names;
	std::vector<bool> core;
	for (const BenchOp &op : bench_ops()) {
		names.push_back(op.name);
		core.push_back(op.core_only);
		EXPECT_FALSE(op.what.empty());
		EXPECT_TRUE(op.iteration) << op.name;
		EXPECT_GE(op.default_iters, 1u);
	}
	EXPECT_EQ(names, (std::vector<std::string>{"dev_query.gpu_info", "bo_create_4k+close",
						   "bo_mmap_offset", "bo_1m_map_touch",
						   "vm_bind_map+unmap", "version", "get_cap.syncobj",
						   "syncobj_create+destroy"}));
	EXPECT_EQ(core, (std::vector<bool>{false, false, false, false, false, true, true, true}));
}

namespace {

// A clock driven by the devices' calls: every call on a device advances
// time by cost(tag, k), k the number of timed windows that device has
// completed, so a window of n calls on one device lasts n * cost exactly.
struct CallClock {
	std::uint64_t t = 1000;
	bool in_window = false;
	std::string last; // device of the last call
	std::map<std::string, unsigned> windows;
	std::vector<std::string> window_device; // per window, the device of its last call
	std::function<std::uint64_t(const std::string &, unsigned)> cost;

	std::uint64_t now()
	{
		if (in_window) {
			window_device.push_back(last);
			windows[last]++;
		}
		in_window = !in_window;
		return t;
	}
	void call(const std::string &tag)
	{
		last = tag;
		t += cost ? cost(tag, windows[tag]) : 1;
	}
};

class TaggedDevice final : public DeviceIo {
public:
	TaggedDevice(DeviceIo &dev, std::string tag, CallClock *clock)
		: dev_(dev), tag_(std::move(tag)), clock_(clock)
	{
	}
	int ioctl(unsigned long request, void *arg) override
	{
		clock_->call(tag_);
		return dev_.ioctl(request, arg);
	}
	Mapping mmap(std::size_t len, std::uint64_t offset, int *ret) override
	{
		clock_->call(tag_);
		return dev_.mmap(len, offset, ret);
	}

private:
	DeviceIo &dev_;
	std::string tag_;
	CallClock *clock_;
};

struct Rig {
	FakeRefgpu fake_c, fake_c_aa, fake_cpp, fake_cpp_aa;
	CallClock clock;
	TaggedDevice c{fake_c, "C", &clock}, c_aa{fake_c_aa, "C'", &clock};
	TaggedDevice cpp{fake_cpp, "C++", &clock}, cpp_aa{fake_cpp_aa, "C++'", &clock};
	BenchDevices devs{c, c_aa, cpp, cpp_aa};

	BenchConfig config(unsigned rounds, double scale = 1)
	{
		BenchConfig cfg;
		cfg.rounds = rounds;
		cfg.iters_scale = scale;
		cfg.now = [this] { return clock.now(); };
		cfg.label_c = "C (renderD128)";
		cfg.label_cpp = "C++ (renderD129)";
		return cfg;
	}
};

// One GET_CAP per iteration: the cost of a window is iters * cost.
bool one_call(DeviceIo &dev, BenchState &, BenchFailure &f)
{
	drm_get_cap c{};
	c.capability = DRM_CAP_SYNCOBJ;
	int ret = dev.ioctl(DRM_IOCTL_GET_CAP, &c);
	f.call = "DRM_IOCTL_GET_CAP";
	f.ret = ret;
	return ret == 0;
}

const std::vector<BenchOp> kOneCallOps = {
	{"drv", "one call, counted as driver code", 10, false, nullptr, one_call, nullptr},
	{"core", "one call, counted as DRM core", 5, true, nullptr, one_call, nullptr},
};

// In round r, C's windows are 2r (A/A C) and 2r+1 (C++/C), C++'s are 2r
// (C++/C) and 2r+1 (A/A C++), the A/A fds' are r. C and C' cost 1000 ns;
// C++ 1100 in even rounds and 1210 in odd ones against C, 2000 in its A/A;
// C++' 2000 in even rounds, 2200 in odd ones.
std::uint64_t known_cost(const std::string &tag, unsigned k)
{
	if (tag == "C" || tag == "C'")
		return 1000;
	if (tag == "C++")
		return k % 2 ? 2000 : (k / 2) % 2 ? 1210 : 1100;
	return k % 2 ? 2200 : 2000; // C++'
}

} // namespace

TEST(BenchLoop, KnownCostsGiveKnownRatiosAndIntervals)
{
	Rig rig;
	rig.clock.cost = known_cost;
	BenchReport rep = run_bench(rig.devs, {kOneCallOps[0]}, rig.config(4));
	ASSERT_TRUE(rep.ok) << rep.error;
	ASSERT_EQ(rep.ops.size(), 1u);
	EXPECT_EQ(rig.clock.window_device.size(), 4u * 3 * 2); // 2 reads per window, no more
	const OpResult &o = rep.ops[0];
	EXPECT_EQ(o.iters, 10u);
	EXPECT_FALSE(o.core_only);

	EXPECT_EQ(o.cpp_c.a_ns, (std::vector<double>{1000, 1000, 1000, 1000}));
	EXPECT_EQ(o.cpp_c.b_ns, (std::vector<double>{1100, 1210, 1100, 1210}));
	const double a = std::log(1.1);
	ASSERT_EQ(o.cpp_c.log_ratio.size(), 4u);
	for (unsigned r = 0; r < 4; r++)
		EXPECT_NEAR(o.cpp_c.log_ratio[r], r % 2 ? 2 * a : a, 1e-12) << r;
	EXPECT_DOUBLE_EQ(o.cpp_c.a_median, 1000);
	EXPECT_DOUBLE_EQ(o.cpp_c.b_median, 1155);
	// ln ratios a, 2a, a, 2a: mean 1.5a, sd a/sqrt(3), t(0.975, 3) = 3.1824463.
	EXPECT_EQ(o.cpp_c.ci.n, 4u);
	EXPECT_NEAR(o.cpp_c.ci.ratio, 1.153689732987167, 1e-9);
	EXPECT_NEAR(o.cpp_c.ci.lo, 1.0569680334139109, 1e-7);
	EXPECT_NEAR(o.cpp_c.ci.hi, 1.2592623030433483, 1e-7);

	// A/A C: identical costs, a zero-width interval at 1.
	EXPECT_EQ(o.aa_c.a_ns, (std::vector<double>{1000, 1000, 1000, 1000}));
	EXPECT_EQ(o.aa_c.b_ns, (std::vector<double>{1000, 1000, 1000, 1000}));
	EXPECT_DOUBLE_EQ(o.aa_c.ci.ratio, 1);
	EXPECT_DOUBLE_EQ(o.aa_c.ci.lo, 1);
	EXPECT_DOUBLE_EQ(o.aa_c.ci.hi, 1);
	// A/A C++: ln ratios 0, a, 0, a.
	EXPECT_EQ(o.aa_cpp.a_ns, (std::vector<double>{2000, 2000, 2000, 2000}));
	EXPECT_EQ(o.aa_cpp.b_ns, (std::vector<double>{2000, 2200, 2000, 2200}));
	EXPECT_NEAR(o.aa_cpp.ci.ratio, 1.0488088481701516, 1e-9);
	EXPECT_NEAR(o.aa_cpp.ci.lo, 0.9608800303762826, 1e-7);
	EXPECT_NEAR(o.aa_cpp.ci.hi, 1.1447839118575893, 1e-7);
}

TEST(BenchLoop, PairsRunInAbbaOrder)
{
	Rig rig;
	BenchReport rep = run_bench(rig.devs, {kOneCallOps[0]}, rig.config(8));
	ASSERT_TRUE(rep.ok) << rep.error;
	const auto &w = rig.clock.window_device;
	ASSERT_EQ(w.size(), 8u * 6);
	// Per round: A/A C, C++/C, A/A C++; A side first in rounds 0, 3, 4, 7.
	for (unsigned r = 0; r < 8; r++) {
		bool af = r % 4 == 0 || r % 4 == 3;
		std::vector<std::string> expect =
			af ? std::vector<std::string>{"C", "C'", "C", "C++", "C++", "C++'"}
			   : std::vector<std::string>{"C'", "C", "C++", "C", "C++'", "C++"};
		EXPECT_EQ(std::vector<std::string>(w.begin() + r * 6, w.begin() + r * 6 + 6), expect)
			<< "round " << r;
	}
}

TEST(BenchLoop, AbbaCancelsALinearDrift)
{
	// Every window costs 1 % more than the one before, whatever the device:
	// a side that always ran second would look about 1 % slower.
	Rig rig;
	rig.clock.cost = [&](const std::string &, unsigned) {
		double w = static_cast<double>(rig.clock.window_device.size());
		return static_cast<std::uint64_t>(std::llround(100000 * std::pow(1.01, w)));
	};
	BenchReport rep = run_bench(rig.devs, {kOneCallOps[0]}, rig.config(32));
	ASSERT_TRUE(rep.ok) << rep.error;
	const OpResult &o = rep.ops[0];
	// Each round's ratio is about 1 % off, alternately up and down.
	for (double x : o.aa_c.log_ratio)
		EXPECT_GT(std::fabs(x), 0.009);
	// Balanced over the rounds: the estimate stays at 1, inside its interval.
	for (const PairedRounds *p : {&o.aa_c, &o.cpp_c, &o.aa_cpp}) {
		EXPECT_NEAR(p->ci.ratio, 1, 2e-4);
		EXPECT_LT(p->ci.lo, 1);
		EXPECT_GT(p->ci.hi, 1);
	}
}

TEST(BenchLoop, IssuesExactlyTheDocumentedCallsAndCleansUp)
{
	Rig rig;
	BenchReport rep = run_bench(rig.devs, rig.config(2, 0.01));
	ASSERT_TRUE(rep.ok) << rep.error;
	ASSERT_EQ(rep.ops.size(), 8u);
	// iters 4, 2, 4, 1, 1, 4, 4, 2; a warm-up of 1 each; 2 rounds. C and C++
	// take part in two pairs (2 windows per round), the A/A fds in one.
	auto n = [](unsigned windows, unsigned iters) { return 1 + 2 * windows * iters; };
	for (auto [f, k] : {std::pair<FakeRefgpu *, unsigned>{&rig.fake_c, 2}, {&rig.fake_cpp, 2},
			    {&rig.fake_c_aa, 1}, {&rig.fake_cpp_aa, 1}}) {
		SCOPED_TRACE(k);
		EXPECT_EQ(f->calls[DRM_IOCTL_REFGPU_DEV_QUERY], n(k, 4));
		// bo_create_4k+close, the bo_mmap_offset target, bo_1m_map_touch,
		// the BO vm_bind_map+unmap maps.
		EXPECT_EQ(f->calls[DRM_IOCTL_REFGPU_BO_CREATE], n(k, 2) + 1 + n(k, 1) + 1);
		EXPECT_EQ(f->calls[DRM_IOCTL_GEM_CLOSE], n(k, 2) + 1 + n(k, 1) + 1);
		// vm_bind_map+unmap: one VM, two binds per iteration.
		EXPECT_EQ(f->calls[DRM_IOCTL_REFGPU_VM_CREATE], 1u);
		EXPECT_EQ(f->calls[DRM_IOCTL_REFGPU_VM_DESTROY], 1u);
		EXPECT_EQ(f->calls[DRM_IOCTL_REFGPU_VM_BIND], 2 * n(k, 1));
		EXPECT_EQ(f->calls[DRM_IOCTL_REFGPU_BO_MMAP_OFFSET], n(k, 4) + n(k, 1));
		EXPECT_EQ(f->mmap_calls, n(k, 1));
		EXPECT_EQ(f->calls[DRM_IOCTL_VERSION], n(k, 4));
		EXPECT_EQ(f->calls[DRM_IOCTL_GET_CAP], n(k, 4));
		EXPECT_EQ(f->calls[DRM_IOCTL_SYNCOBJ_CREATE], n(k, 2));
		EXPECT_EQ(f->calls[DRM_IOCTL_SYNCOBJ_DESTROY], n(k, 2));
		EXPECT_EQ(f->live_bos(), 0u);
		EXPECT_EQ(f->live_syncobjs(), 0u);
	}
}

TEST(BenchLoop, TablesFloorLogRatiosAndLegend)
{
	Rig rig;
	rig.clock.cost = known_cost;
	BenchReport rep = run_bench(rig.devs, kOneCallOps, rig.config(4));
	ASSERT_TRUE(rep.ok) << rep.error;
	std::string t = format_bench(rep);
	std::istringstream in(t);
	std::vector<std::string> lines;
	for (std::string l; std::getline(in, l);)
		lines.push_back(l);
	ASSERT_GE(lines.size(), 19u) << t;
	EXPECT_EQ(lines[0], "bench: 4 paired rounds per op after a warm-up, ABBA order; iters per round "
			    "x1; CLOCK_MONOTONIC around each window, in userspace");
	EXPECT_EQ(lines[1], "  C++/C: C++ (renderD129) against C (renderD128)");
	EXPECT_NE(lines[3].find("Student t, 3 df"), std::string::npos) << lines[3];
	EXPECT_EQ(lines[4], "driver operations (refgpu driver code runs):");
	EXPECT_EQ(lines[5], "op                 | iters | C ns/op | C++ ns/op |       C++/C [95% CI] "
			    "|       A/A C [95% CI] |     A/A C++ [95% CI]");
	EXPECT_EQ(lines[7], "drv                |    10 |  1000.0 |    1155.0 | 1.154 [1.057, 1.259] "
			    "| 1.000 [1.000, 1.000] | 1.049 [0.961, 1.145]");
	// One operation: the geometric mean is its own figure.
	EXPECT_EQ(lines[8], "geometric mean (1) |       |         |           | 1.154 [1.057, 1.259] "
			    "| 1.000 [1.000, 1.000] | 1.049 [0.961, 1.145]");
	EXPECT_EQ(lines[9], "DRM core only (no refgpu driver code runs: the floor):");
	// The core op's window costs are the next ones of each device: C++ in
	// windows 8.. again 1100/1210/..., C++' 2000/2200/...
	EXPECT_EQ(lines[12], "core               |     5 |  1000.0 |    1155.0 | 1.154 [1.057, 1.259] "
			     "| 1.000 [1.000, 1.000] | 1.049 [0.961, 1.145]");
	EXPECT_EQ(lines[13].rfind("geometric mean (1)", 0), 0u) << lines[13];
	EXPECT_NE(lines[14].find("figures only, no thresholds"), std::string::npos) << lines[14];
	EXPECT_EQ(lines[15], "per-round ln(C++/C), rounds 1..4 (C first in rounds 1, 4, 5, 8, 9, ...):");
	EXPECT_EQ(lines[16], "  drv: +0.095 +0.191 +0.095 +0.191");
	EXPECT_EQ(lines[18], "  drv: one call, counted as driver code");
	for (std::size_t k : {5, 6, 7, 8, 10, 11, 12, 13})
		EXPECT_EQ(lines[k].size(), lines[5].size()) << lines[k];
}

TEST(BenchLoop, FailureOnTheCppSideAbortsWithTheErrno)
{
	Rig rig;
	// bo_create_4k+close on C++ at x0.01: 2 iterations per window, a warm-up
	// of 1, then 4 creates per round: the 6th is in round 2.
	rig.fake_cpp.quirks.fail_request = DRM_IOCTL_REFGPU_BO_CREATE;
	rig.fake_cpp.quirks.fail_after = 5;
	rig.fake_cpp.quirks.fail_errno = ENOMEM;
	BenchReport rep = run_bench(rig.devs, rig.config(3, 0.01));
	EXPECT_FALSE(rep.ok);
	EXPECT_TRUE(rep.ops.empty());
	EXPECT_EQ(rep.error, "bench: bo_create_4k+close on C++ (renderD129) (round 2): "
			     "DRM_IOCTL_REFGPU_BO_CREATE failed: -ENOMEM (errno 12: Cannot allocate memory)");
	// Nothing ran after the failure.
	for (FakeRefgpu *f : {&rig.fake_c, &rig.fake_c_aa, &rig.fake_cpp, &rig.fake_cpp_aa})
		EXPECT_EQ(f->calls[DRM_IOCTL_SYNCOBJ_CREATE], 0u);
}

TEST(BenchLoop, FailingSetupMmapAaFdOrDeadDeviceAbort)
{
	{
		Rig rig;
		rig.fake_c_aa.quirks.fail_mmap_errno = ENODEV;
		BenchReport rep = run_bench(rig.devs, rig.config(2, 0.01));
		EXPECT_FALSE(rep.ok);
		EXPECT_EQ(rep.error, "bench: bo_1m_map_touch on C (renderD128) A/A fd (warm-up): mmap "
				     "failed: -ENODEV (errno 19: No such device)");
	}
	{
		Rig rig;
		// bo_create_4k+close: 1 + 2 rounds x 2 windows x 2 = 9 creates on C,
		// then the 10th, the setup of bo_mmap_offset, fails.
		rig.fake_c.quirks.fail_request = DRM_IOCTL_REFGPU_BO_CREATE;
		rig.fake_c.quirks.fail_after = 9;
		rig.fake_c.quirks.fail_errno = ENOSPC;
		BenchReport rep = run_bench(rig.devs, rig.config(2, 0.01));
		EXPECT_FALSE(rep.ok);
		EXPECT_NE(rep.error.find("bo_mmap_offset on C (renderD128) (setup): "
					 "DRM_IOCTL_REFGPU_BO_CREATE failed: -ENOSPC (errno 28"),
			  std::string::npos)
			<< rep.error;
	}
	{
		test::DeadDevice dead, dead2;
		FakeRefgpu ok, ok2;
		BenchConfig cfg;
		cfg.iters_scale = 0.01;
		cfg.rounds = 2;
		BenchReport rep = run_bench({ok, ok2, dead, dead2}, cfg);
		EXPECT_FALSE(rep.ok);
		EXPECT_EQ(rep.error, "bench: dev_query.gpu_info on C++ (warm-up): DRM_IOCTL_REFGPU_DEV_QUERY "
				     "failed: -ENOTTY (errno 25: Inappropriate ioctl for device)");
	}
	{
		Rig rig;
		BenchReport rep = run_bench(rig.devs, rig.config(1));
		EXPECT_FALSE(rep.ok);
		EXPECT_EQ(rep.error, "bench: needs at least 2 rounds and a clock");
		EXPECT_EQ(rig.fake_c.ioctl_calls, 0u);
	}
}

TEST(BenchLoop, RealClockGivesPositiveFigures)
{
	FakeRefgpu c, c2, cpp, cpp2;
	BenchConfig cfg;
	cfg.rounds = 3;
	cfg.iters_scale = 0.01;
	BenchReport rep = run_bench({c, c2, cpp, cpp2}, cfg);
	ASSERT_TRUE(rep.ok) << rep.error;
	for (const OpResult &r : rep.ops)
		for (const PairedRounds *p : {&r.cpp_c, &r.aa_c, &r.aa_cpp}) {
			EXPECT_GT(p->a_median, 0) << r.name;
			EXPECT_GT(p->b_median, 0) << r.name;
			EXPECT_EQ(p->ci.n, 3u);
			EXPECT_GT(p->ci.ratio, 0);
			EXPECT_LE(p->ci.lo, p->ci.ratio);
			EXPECT_GE(p->ci.hi, p->ci.ratio);
		}
}
