// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --bench mode: times the same few ioctl sequences on the C and the C++
// driver in one boot and prints figures (ns/op per driver, the C++/C ratio
// and its geometric mean). Figures only: no thresholds, no verdict. Every
// measured call must succeed; a failing one aborts the benchmark.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "uapi.h"

namespace refgpu::equiv {

// --- statistics helpers -------------------------------------------------

// Median of v (mean of the two middle values for an even count); NaN when
// v is empty.
double median(std::vector<double> v);

struct MinMax {
	double min = 0, max = 0;
};
// Smallest and largest value; both NaN when v is empty.
MinMax min_max(const std::vector<double> &v);

// exp(mean(log(v))); NaN when v is empty or holds a value that is not
// finite and > 0.
double geometric_mean(const std::vector<double> &v);

// num / den; NaN unless both are finite, num >= 0 and den > 0.
double ratio(double num, double den);

// "1.234" (three decimals); "n/a" for NaN, infinities and negatives.
std::string format_ratio(double r);
// "12345.6" (one decimal); "n/a" for NaN, infinities and negatives.
std::string format_ns(double ns);

// max(1, round(default_iters * scale)).
unsigned scaled_iters(unsigned default_iters, double scale);

// --- the benchmark -------------------------------------------------------

// Per-device state of one operation (set up outside the timed loop).
struct BenchState {
	std::uint32_t bo = 0; // BO_MMAP_OFFSET target
};

// A call that did not succeed: what was issued and its -errno.
struct BenchFailure {
	std::string call; // "DRM_IOCTL_REFGPU_BO_CREATE", "mmap"
	int ret = 0;      // -errno
};

// One measured operation. setup and teardown run outside the timed loop
// (null when not needed); iteration is timed. Each returns false and fills
// the failure when a call fails.
struct BenchOp {
	using Fn = std::function<bool(DeviceIo &, BenchState &, BenchFailure &)>;
	std::string name;
	std::string what;      // one-line description for the legend
	unsigned default_iters; // per round, at --bench-iters 1
	Fn setup, iteration, teardown;
};

// The operations, in report order. Names are unique.
const std::vector<BenchOp> &bench_ops();

// Monotonic clock in ns.
using BenchClock = std::function<std::uint64_t()>;
// clock_gettime(CLOCK_MONOTONIC).
std::uint64_t monotonic_ns();

inline constexpr unsigned kDefaultBenchRounds = 5;

struct BenchConfig {
	unsigned rounds = kDefaultBenchRounds;
	double iters_scale = 1.0;    // --bench-iters
	BenchClock now = monotonic_ns; // injectable for tests
	std::string label_c = "C", label_cpp = "C++"; // for error messages
};

struct OpResult {
	std::string name;
	std::string what;
	unsigned iters = 0;                 // per round
	std::vector<double> c_ns, cpp_ns;   // ns/op of each round
	std::vector<bool> c_first;          // per round: C ran first
	double c_median = 0, cpp_median = 0;
	MinMax c_range, cpp_range;
	double ratio = 0;                   // cpp_median / c_median
	MinMax round_ratio;                 // range of cpp_ns[r] / c_ns[r]
};

struct BenchReport {
	bool ok = false;
	std::string error; // when !ok: operation, driver, phase, call, errno
	unsigned rounds = 0;
	double iters_scale = 1.0;
	std::vector<OpResult> ops; // when ok
	double geomean_ratio = 0;  // of the ops' median ratios
};

// For each operation: per-device setup, a warm-up of max(1, iters/10)
// iterations on C then C++, then cfg.rounds rounds of iters iterations on
// each device (C first in even rounds, C++ first in odd ones), each round
// timed as a whole, then teardown. Stops at the first failing call.
BenchReport run_bench(DeviceIo &c, DeviceIo &cpp, const BenchConfig &cfg = {});
BenchReport run_bench(DeviceIo &c, DeviceIo &cpp, const std::vector<BenchOp> &ops,
		      const BenchConfig &cfg);

// The figures table, the geometric-mean line and the legend (ok reports).
std::string format_bench(const BenchReport &r);

} // namespace refgpu::equiv
