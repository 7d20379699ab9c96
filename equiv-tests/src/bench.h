// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --bench mode: times the same few ioctl sequences on the C and the C++
// driver in one boot and prints figures: per operation the C++/C ratio with
// a 95 % confidence interval from paired, order-balanced rounds, beside two
// A/A controls (each driver against a second fd of itself) that show the
// noise floor. Figures only: no thresholds, no verdict. Every measured call
// must succeed; a failing one aborts the benchmark.
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

// Arithmetic mean; NaN when v is empty.
double mean(const std::vector<double> &v);
// Sample standard deviation (n - 1 in the denominator); NaN when v has
// fewer than two values.
double sample_sd(const std::vector<double> &v);

// P(T <= t) for Student's t with df > 0 degrees of freedom (NaN for
// df <= 0 or a NaN t).
double student_t_cdf(double t, double df);
// The t with P(T <= t) = p, for 0 < p < 1 and df > 0; NaN otherwise.
double student_t_quantile(double p, double df);

// ln(b[i] / a[i]) for each i (NaN where a pair is not finite and > 0);
// empty when the sizes differ.
std::vector<double> log_ratios(const std::vector<double> &a, const std::vector<double> &b);

// A ratio with its confidence interval, from per-round log-ratios x:
// ratio = exp(mean x), [lo, hi] = exp(mean x -/+ t(1 - (1 - level) / 2,
// n - 1) * sd(x) / sqrt(n)). All NaN (n kept) with fewer than two values
// or a value that is not finite.
struct RatioCi {
	unsigned n = 0;
	double ratio = 0, lo = 0, hi = 0;
	double sd_log = 0; // sample sd of the log-ratios
};
RatioCi ratio_ci(const std::vector<double> &log_ratio, double level = 0.95);

// ABBA order of paired rounds: side A runs first in rounds 0, 3, 4, 7, 8,
// ... and second in rounds 1, 2, 5, 6, ...; over every 4 rounds each side
// is first twice and a linear drift in time favours neither.
bool a_runs_first(unsigned round);

// "1.234" (three decimals); "n/a" for NaN, infinities and negatives.
std::string format_ratio(double r);
// "1.012 [0.998, 1.027]"; "n/a" when the ratio or a bound is not finite.
std::string format_ratio_ci(const RatioCi &ci);
// "12345.6" (one decimal); "n/a" for NaN, infinities and negatives.
std::string format_ns(double ns);

// max(1, round(default_iters * scale)).
unsigned scaled_iters(unsigned default_iters, double scale);

// --- the benchmark -------------------------------------------------------

// Per-device state of one operation (set up outside the timed loop).
struct BenchState {
	std::uint32_t bo = 0; // BO_MMAP_OFFSET target; the BO vm_bind_map+unmap maps
	std::uint32_t vm = 0; // the VM vm_bind_map+unmap binds in
};

// A call that did not succeed: what was issued and its -errno.
struct BenchFailure {
	std::string call; // "DRM_IOCTL_REFGPU_BO_CREATE", "mmap"
	int ret = 0;      // -errno
};

// One measured operation. setup and teardown run outside the timed loop
// (null when not needed); iteration is timed. Each returns false and fills
// the failure when a call fails. core_only: the operation runs no refgpu
// driver code (DRM core serves it entirely), so its C++/C ratio is the
// floor every driver operation is read against.
// An operation timed elsewhere (in the kernel: --bench-kernel) has a window
// instead of an iteration: it runs iters iterations and stores the ns per
// iteration its own clock measured.
struct BenchOp {
	using Fn = std::function<bool(DeviceIo &, BenchState &, BenchFailure &)>;
	using Window = std::function<bool(DeviceIo &, BenchState &, unsigned iters,
					  double *ns_per_op, BenchFailure &)>;
	std::string name;
	std::string what;      // one-line description for the legend
	unsigned default_iters; // per round, at --bench-iters 1
	bool core_only;
	Fn setup, iteration, teardown;
	Window window = nullptr; // when set, replaces timing iteration
};

// Set-up and tear-down of an operation on one existing 4 KiB BO (st.bo):
// BO_CREATE it, and GEM_CLOSE it. Shared by --bench and --bench-kernel.
bool bench_bo_setup(DeviceIo &dev, BenchState &st, BenchFailure &f);
bool bench_bo_teardown(DeviceIo &dev, BenchState &st, BenchFailure &f);

// The operations, in report order: the driver operations, then the
// DRM-core-only ones. Names are unique.
const std::vector<BenchOp> &bench_ops();

// Monotonic clock in ns.
using BenchClock = std::function<std::uint64_t()>;
// clock_gettime(CLOCK_MONOTONIC).
std::uint64_t monotonic_ns();

inline constexpr unsigned kDefaultBenchRounds = 32;
inline constexpr unsigned kMinBenchRounds = 2; // a CI needs two log-ratios

struct BenchConfig {
	unsigned rounds = kDefaultBenchRounds;
	double iters_scale = 1.0;    // --bench-iters
	BenchClock now = monotonic_ns; // injectable for tests
	// For error messages and the header; the A/A sides are "<label> A/A".
	std::string label_c = "C", label_cpp = "C++";
	// What times a window, for the header.
	std::string clock = "CLOCK_MONOTONIC around each window, in userspace";
};

// The four fds measured: one per driver, and a second fd of each driver's
// node (the other side of its A/A control). Each fd keeps its own BOs.
struct BenchDevices {
	DeviceIo &c, &c_aa, &cpp, &cpp_aa;
};

// Paired rounds of side B against side A: in round r both ran the same
// iterations back to back, A first when a_runs_first(r).
struct PairedRounds {
	std::vector<double> a_ns, b_ns; // ns/op of each round
	std::vector<double> log_ratio;  // ln(b_ns[r] / a_ns[r])
	double a_median = 0, b_median = 0;
	RatioCi ci; // B/A
};

struct OpResult {
	std::string name;
	std::string what;
	bool core_only = false;
	unsigned iters = 0; // per round and side
	PairedRounds cpp_c; // A = C, B = C++: the comparison
	PairedRounds aa_c;  // A = C, B = a second fd on the C node
	PairedRounds aa_cpp; // A = C++, B = a second fd on the C++ node
};

// Geometric mean over several operations with a CI: per round, the mean
// over the operations of their log-ratios, then ratio_ci of those.
RatioCi combined_ci(const std::vector<const PairedRounds *> &ops, double level = 0.95);

struct BenchReport {
	bool ok = false;
	std::string error; // when !ok: operation, driver, phase, call, errno
	unsigned rounds = 0;
	double iters_scale = 1.0;
	std::string label_c, label_cpp;
	std::string clock;
	std::vector<OpResult> ops; // when ok
};

// For each operation: setup on the four fds, a warm-up of max(1, iters/10)
// iterations on each, then cfg.rounds rounds; in each round the three
// pairs (A/A C, C++/C, A/A C++) in that order, each pair as two timed
// windows of iters iterations, the A side first when a_runs_first(round);
// then teardown. Stops at the first failing call.
BenchReport run_bench(const BenchDevices &devs, const BenchConfig &cfg = {});
BenchReport run_bench(const BenchDevices &devs, const std::vector<BenchOp> &ops,
		      const BenchConfig &cfg);

// The figures: a table for the driver operations and one for the
// DRM-core-only floor, each with its geometric mean; the per-round
// log-ratios of C++/C; the legend (ok reports).
std::string format_bench(const BenchReport &r);

} // namespace refgpu::equiv
