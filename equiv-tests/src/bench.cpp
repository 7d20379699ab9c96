// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "bench.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>
#include <sstream>

namespace refgpu::equiv {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kPage = 4096;
constexpr std::uint64_t kBoSmall = 4 * 1024;
constexpr std::uint64_t kBoLarge = 1024 * 1024;

} // namespace

double median(std::vector<double> v)
{
	if (v.empty())
		return kNaN;
	std::sort(v.begin(), v.end());
	std::size_t n = v.size();
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

MinMax min_max(const std::vector<double> &v)
{
	if (v.empty())
		return {kNaN, kNaN};
	auto [lo, hi] = std::minmax_element(v.begin(), v.end());
	return {*lo, *hi};
}

double geometric_mean(const std::vector<double> &v)
{
	if (v.empty())
		return kNaN;
	double sum = 0;
	for (double x : v) {
		if (!std::isfinite(x) || x <= 0)
			return kNaN;
		sum += std::log(x);
	}
	return std::exp(sum / static_cast<double>(v.size()));
}

double ratio(double num, double den)
{
	if (!std::isfinite(num) || !std::isfinite(den) || num < 0 || den <= 0)
		return kNaN;
	return num / den;
}

double mean(const std::vector<double> &v)
{
	if (v.empty())
		return kNaN;
	double sum = 0;
	for (double x : v)
		sum += x;
	return sum / static_cast<double>(v.size());
}

double sample_sd(const std::vector<double> &v)
{
	if (v.size() < 2)
		return kNaN;
	double m = mean(v), ss = 0;
	for (double x : v)
		ss += (x - m) * (x - m);
	return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

// With x = sqrt(df) tan(theta), the density of t integrates to
// K * cos(theta)^(df - 1) dtheta, K = Gamma((df+1)/2) / (Gamma(df/2) sqrt(pi)),
// so P(0 <= T <= t) = K * integral from 0 to atan(t / sqrt(df)): a smooth,
// bounded integrand on a finite interval for df >= 1, integrated here with
// Simpson's rule.
double student_t_cdf(double t, double df)
{
	if (std::isnan(t) || !(df >= 1) || !std::isfinite(df))
		return kNaN;
	if (std::isinf(t))
		return t > 0 ? 1 : 0;
	const double k =
		std::exp(std::lgamma((df + 1) / 2) - std::lgamma(df / 2)) / std::sqrt(M_PI);
	const double end = std::atan(std::fabs(t) / std::sqrt(df));
	const int n = 2048; // even
	const double h = end / n;
	auto f = [df](double theta) { return std::pow(std::cos(theta), df - 1); };
	double sum = f(0) + f(end);
	for (int i = 1; i < n; i++)
		sum += (i % 2 ? 4 : 2) * f(i * h);
	double half = k * sum * h / 3; // P(0 <= T <= |t|)
	return t >= 0 ? 0.5 + half : 0.5 - half;
}

double student_t_quantile(double p, double df)
{
	if (!(p > 0 && p < 1) || !(df >= 1) || !std::isfinite(df))
		return kNaN;
	if (p < 0.5)
		return -student_t_quantile(1 - p, df);
	double lo = 0, hi = 1;
	while (student_t_cdf(hi, df) < p && hi < 1e12)
		hi *= 2;
	for (int i = 0; i < 80 && hi - lo > 1e-12 * hi; i++) {
		double mid = (lo + hi) / 2;
		(student_t_cdf(mid, df) < p ? lo : hi) = mid;
	}
	return (lo + hi) / 2;
}

std::vector<double> log_ratios(const std::vector<double> &a, const std::vector<double> &b)
{
	std::vector<double> out;
	if (a.size() != b.size())
		return out;
	for (std::size_t i = 0; i < a.size(); i++) {
		double r = ratio(b[i], a[i]);
		out.push_back(r > 0 ? std::log(r) : kNaN);
	}
	return out;
}

RatioCi ratio_ci(const std::vector<double> &x, double level)
{
	RatioCi ci;
	ci.n = static_cast<unsigned>(x.size());
	ci.ratio = ci.lo = ci.hi = ci.sd_log = kNaN;
	bool finite = std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
	if (x.size() < 2 || !finite || !(level > 0 && level < 1))
		return ci;
	double m = mean(x), sd = sample_sd(x);
	double t = student_t_quantile(1 - (1 - level) / 2, static_cast<double>(x.size() - 1));
	double half = t * sd / std::sqrt(static_cast<double>(x.size()));
	ci.ratio = std::exp(m);
	ci.lo = std::exp(m - half);
	ci.hi = std::exp(m + half);
	ci.sd_log = sd;
	return ci;
}

bool a_runs_first(unsigned round)
{
	unsigned k = round % 4;
	return k == 0 || k == 3;
}

namespace {

std::string format_fixed(double v, int decimals)
{
	if (!std::isfinite(v) || v < 0)
		return "n/a";
	char buf[64];
	std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return buf;
}

} // namespace

std::string format_ratio(double r)
{
	return format_fixed(r, 3);
}

std::string format_ratio_ci(const RatioCi &ci)
{
	if (!std::isfinite(ci.ratio) || !std::isfinite(ci.lo) || !std::isfinite(ci.hi) ||
	    ci.lo < 0)
		return "n/a";
	return format_ratio(ci.ratio) + " [" + format_ratio(ci.lo) + ", " + format_ratio(ci.hi) + "]";
}

std::string format_ns(double ns)
{
	return format_fixed(ns, 1);
}

unsigned scaled_iters(unsigned default_iters, double scale)
{
	double n = std::round(static_cast<double>(default_iters) * scale);
	if (!(n >= 1))
		return 1;
	if (n >= static_cast<double>(std::numeric_limits<unsigned>::max()))
		return std::numeric_limits<unsigned>::max();
	return static_cast<unsigned>(n);
}

std::uint64_t monotonic_ns()
{
	timespec ts{};
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull +
	       static_cast<std::uint64_t>(ts.tv_nsec);
}

namespace {

bool check(int ret, const char *call, BenchFailure &f)
{
	if (ret == 0)
		return true;
	f.call = call;
	f.ret = ret;
	return false;
}

bool bo_create(DeviceIo &dev, std::uint64_t size, std::uint32_t *handle, BenchFailure &f)
{
	drm_refgpu_bo_create a{};
	a.size = size;
	if (!check(dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &a), "DRM_IOCTL_REFGPU_BO_CREATE", f))
		return false;
	*handle = a.handle;
	return true;
}

bool gem_close(DeviceIo &dev, std::uint32_t handle, BenchFailure &f)
{
	drm_gem_close c{};
	c.handle = handle;
	return check(dev.ioctl(DRM_IOCTL_GEM_CLOSE, &c), "DRM_IOCTL_GEM_CLOSE", f);
}

bool bo_mmap_offset(DeviceIo &dev, std::uint32_t handle, std::uint64_t *offset, BenchFailure &f)
{
	drm_refgpu_bo_mmap_offset a{};
	a.handle = handle;
	if (!check(dev.ioctl(DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &a),
		   "DRM_IOCTL_REFGPU_BO_MMAP_OFFSET", f))
		return false;
	*offset = a.offset;
	return true;
}

bool op_dev_query(DeviceIo &dev, BenchState &, BenchFailure &f)
{
	drm_refgpu_gpu_info info;
	return check(query_gpu_info(dev, &info), "DRM_IOCTL_REFGPU_DEV_QUERY", f);
}

bool op_bo_create_close(DeviceIo &dev, BenchState &, BenchFailure &f)
{
	std::uint32_t h = 0;
	return bo_create(dev, kBoSmall, &h, f) && gem_close(dev, h, f);
}


bool op_mmap_offset(DeviceIo &dev, BenchState &st, BenchFailure &f)
{
	std::uint64_t offset = 0;
	return bo_mmap_offset(dev, st.bo, &offset, f);
}


bool op_bo_map_touch(DeviceIo &dev, BenchState &, BenchFailure &f)
{
	std::uint32_t h = 0;
	if (!bo_create(dev, kBoLarge, &h, f))
		return false;
	std::uint64_t offset = 0;
	if (!bo_mmap_offset(dev, h, &offset, f))
		return false;
	int ret = 0;
	Mapping m = dev.mmap(kBoLarge, offset, &ret);
	if (!m.valid())
		return check(ret ? ret : -EINVAL, "mmap", f);
	volatile std::uint8_t *p = m.bytes();
	for (std::uint64_t off = 0; off < kBoLarge; off += kPage)
		p[off] = static_cast<std::uint8_t>((off / kPage) | 1);
	m.reset(); // munmap
	return gem_close(dev, h, f);
}

// One page of st.bo mapped and unmapped again (two VM_BINDs): page-table
// writes and the TLB flush each time, the tables themselves made once.
bool vm_bind_one(DeviceIo &dev, const BenchState &st, std::uint32_t op, BenchFailure &f)
{
	constexpr std::uint64_t va = 1ull << 32;
	const drm_refgpu_vm_bind_op o =
		op == DRM_REFGPU_VM_BIND_OP_MAP ? vm_map_op(st.bo, 0, va, kPage) : vm_unmap_op(va, kPage);
	drm_refgpu_vm_bind b = vm_bind_arg(st.vm, &o, 1);
	return check(dev.ioctl(DRM_IOCTL_REFGPU_VM_BIND, &b), "DRM_IOCTL_REFGPU_VM_BIND", f);
}

bool op_vm_bind(DeviceIo &dev, BenchState &st, BenchFailure &f)
{
	return vm_bind_one(dev, st, DRM_REFGPU_VM_BIND_OP_MAP, f) &&
	       vm_bind_one(dev, st, DRM_REFGPU_VM_BIND_OP_UNMAP, f);
}

bool vm_setup(DeviceIo &dev, BenchState &st, BenchFailure &f)
{
	if (!bench_bo_setup(dev, st, f))
		return false;
	drm_refgpu_vm_create c{};
	if (!check(dev.ioctl(DRM_IOCTL_REFGPU_VM_CREATE, &c), "DRM_IOCTL_REFGPU_VM_CREATE", f))
		return false;
	st.vm = c.id;
	return true;
}

bool vm_teardown(DeviceIo &dev, BenchState &st, BenchFailure &f)
{
	drm_refgpu_vm_destroy d{};
	d.id = st.vm;
	st.vm = 0;
	bool ok = check(dev.ioctl(DRM_IOCTL_REFGPU_VM_DESTROY, &d), "DRM_IOCTL_REFGPU_VM_DESTROY", f);
	return bench_bo_teardown(dev, st, f) && ok;
}

bool op_syncobj(DeviceIo &dev, BenchState &, BenchFailure &f)
{
	drm_syncobj_create c{};
	if (!check(dev.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &c), "DRM_IOCTL_SYNCOBJ_CREATE", f))
		return false;
	drm_syncobj_destroy d{};
	d.handle = c.handle;
	return check(dev.ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &d), "DRM_IOCTL_SYNCOBJ_DESTROY", f);
}

bool op_version(DeviceIo &dev, BenchState &, BenchFailure &f)
{
	drm_version_t v{}; // no buffers: only the lengths come back
	return check(dev.ioctl(DRM_IOCTL_VERSION, &v), "DRM_IOCTL_VERSION", f);
}

bool op_get_cap(DeviceIo &dev, BenchState &, BenchFailure &f)
{
	drm_get_cap c{};
	c.capability = DRM_CAP_SYNCOBJ;
	return check(dev.ioctl(DRM_IOCTL_GET_CAP, &c), "DRM_IOCTL_GET_CAP", f);
}

} // namespace

bool bench_bo_setup(DeviceIo &dev, BenchState &st, BenchFailure &f)
{
	return bo_create(dev, kBoSmall, &st.bo, f);
}

bool bench_bo_teardown(DeviceIo &dev, BenchState &st, BenchFailure &f)
{
	bool ok = gem_close(dev, st.bo, f);
	st.bo = 0;
	return ok;
}

// Default iteration counts: in the ci/ guest (User-Mode Linux, KASAN,
// lockdep, kmemleak, on a shared 2-core machine) one window measured
// 20-110 ms for the single-ioctl operations and about 270 ms for
// bo_1m_map_touch (3 x 91 ms); one boot's --bench took about 2 minutes.
// --bench-iters scales them all.
const std::vector<BenchOp> &bench_ops()
{
	static const std::vector<BenchOp> ops = {
		{"dev_query.gpu_info", "DEV_QUERY GPU_INFO, full drm_refgpu_gpu_info", 400, false,
		 nullptr, op_dev_query, nullptr},
		{"bo_create_4k+close", "BO_CREATE 4 KiB + GEM_CLOSE", 200, false, nullptr,
		 op_bo_create_close, nullptr},
		{"bo_mmap_offset", "BO_MMAP_OFFSET of one existing 4 KiB BO", 400, false,
		 bench_bo_setup, op_mmap_offset, bench_bo_teardown},
		{"bo_1m_map_touch",
		 "BO_CREATE 1 MiB + BO_MMAP_OFFSET + mmap + one byte written per 4 KiB page "
		 "+ munmap + GEM_CLOSE",
		 3, false, nullptr, op_bo_map_touch, nullptr},
		{"vm_bind_map+unmap",
		 "VM_BIND mapping one page of a 4 KiB BO + VM_BIND unmapping it (one VM)", 100, false,
		 vm_setup, op_vm_bind, vm_teardown},
		{"version", "DRM_IOCTL_VERSION without buffers (DRM core: drm_version)", 400, true,
		 nullptr, op_version, nullptr},
		{"get_cap.syncobj", "DRM_IOCTL_GET_CAP DRM_CAP_SYNCOBJ (DRM core: drm_getcap)", 400,
		 true, nullptr, op_get_cap, nullptr},
		{"syncobj_create+destroy", "SYNCOBJ_CREATE + SYNCOBJ_DESTROY (DRM core: drm_syncobj)",
		 200, true, nullptr, op_syncobj, nullptr},
	};
	return ops;
}

RatioCi combined_ci(const std::vector<const PairedRounds *> &ops, double level)
{
	std::vector<double> per_round;
	if (!ops.empty()) {
		std::size_t n = ops[0]->log_ratio.size();
		for (const PairedRounds *p : ops)
			if (p->log_ratio.size() != n)
				return ratio_ci({}, level);
		for (std::size_t r = 0; r < n; r++) {
			double sum = 0;
			for (const PairedRounds *p : ops)
				sum += p->log_ratio[r];
			per_round.push_back(sum / static_cast<double>(ops.size()));
		}
	}
	return ratio_ci(per_round, level);
}

BenchReport run_bench(const BenchDevices &devs, const BenchConfig &cfg)
{
	return run_bench(devs, bench_ops(), cfg);
}

BenchReport run_bench(const BenchDevices &devs, const std::vector<BenchOp> &ops,
		      const BenchConfig &cfg)
{
	BenchReport rep;
	rep.rounds = cfg.rounds;
	rep.iters_scale = cfg.iters_scale;
	rep.label_c = cfg.label_c;
	rep.label_cpp = cfg.label_cpp;
	rep.clock = cfg.clock;
	if (cfg.rounds < kMinBenchRounds || !cfg.now) {
		rep.error = "bench: needs at least " + std::to_string(kMinBenchRounds) +
			    " rounds and a clock";
		return rep;
	}

	struct Side {
		DeviceIo &dev;
		std::string label;
		BenchState st;
	};
	enum { kC, kCAa, kCpp, kCppAa };
	Side sides[4] = {{devs.c, cfg.label_c, {}},
			 {devs.c_aa, cfg.label_c + " A/A fd", {}},
			 {devs.cpp, cfg.label_cpp, {}},
			 {devs.cpp_aa, cfg.label_cpp + " A/A fd", {}}};
	struct Pair {
		int a, b;
		PairedRounds OpResult::*res;
	};
	const Pair pairs[3] = {{kC, kCAa, &OpResult::aa_c},
			       {kC, kCpp, &OpResult::cpp_c},
			       {kCpp, kCppAa, &OpResult::aa_cpp}};

	for (const BenchOp &op : ops) {
		BenchFailure f;
		auto fail = [&](const Side &s, const std::string &phase) {
			rep.error = "bench: " + op.name + " on " + s.label + " (" + phase + "): " + f.call +
				    " failed: " + ret_name(f.ret) + " (errno " + std::to_string(-f.ret) +
				    ": " + std::strerror(-f.ret) + ")";
			rep.ops.clear();
			return rep;
		};
		OpResult res;
		res.name = op.name;
		res.what = op.what;
		res.core_only = op.core_only;
		res.iters = scaled_iters(op.default_iters, cfg.iters_scale);

		for (Side &s : sides) {
			s.st = {};
			if (op.setup && !op.setup(s.dev, s.st, f))
				return fail(s, "setup");
		}
		// One window of n iterations on s: ns per iteration, or false.
		auto window = [&](Side &s, unsigned n, double *ns) {
			if (op.window)
				return op.window(s.dev, s.st, n, ns, f);
			std::uint64_t t0 = cfg.now();
			for (unsigned i = 0; i < n; i++)
				if (!op.iteration(s.dev, s.st, f))
					return false;
			std::uint64_t t1 = cfg.now();
			*ns = static_cast<double>(t1 - t0) / n;
			return true;
		};
		// The warm-up is untimed (no clock reads) unless the op times itself.
		unsigned warm = std::max(1u, res.iters / 10);
		for (Side &s : sides) {
			double ns = 0;
			bool ok = true;
			if (op.window)
				ok = op.window(s.dev, s.st, warm, &ns, f);
			for (unsigned i = 0; ok && !op.window && i < warm; i++)
				ok = op.iteration(s.dev, s.st, f);
			if (!ok)
				return fail(s, "warm-up");
		}

		for (unsigned r = 0; r < cfg.rounds; r++) {
			for (const Pair &p : pairs) {
				bool a_first = a_runs_first(r);
				int order[2] = {a_first ? p.a : p.b, a_first ? p.b : p.a};
				double ns[4] = {};
				for (int idx : order)
					if (!window(sides[idx], res.iters, &ns[idx]))
						return fail(sides[idx], "round " + std::to_string(r + 1));
				PairedRounds &pr = res.*p.res;
				pr.a_ns.push_back(ns[p.a]);
				pr.b_ns.push_back(ns[p.b]);
			}
		}

		for (Side &s : sides)
			if (op.teardown && !op.teardown(s.dev, s.st, f))
				return fail(s, "teardown");

		for (const Pair &p : pairs) {
			PairedRounds &pr = res.*p.res;
			pr.log_ratio = log_ratios(pr.a_ns, pr.b_ns);
			pr.a_median = median(pr.a_ns);
			pr.b_median = median(pr.b_ns);
			pr.ci = ratio_ci(pr.log_ratio);
		}
		rep.ops.push_back(std::move(res));
	}
	rep.ok = true;
	return rep;
}

std::string format_bench(const BenchReport &r)
{
	const std::vector<std::string> head = {"op",          "iters",
					       "C ns/op",     "C++ ns/op",
					       "C++/C [95% CI]", "A/A C [95% CI]",
					       "A/A C++ [95% CI]"};
	using Row = std::vector<std::string>;
	auto op_row = [](const OpResult &o) {
		return Row{o.name,
			   std::to_string(o.iters),
			   format_ns(o.cpp_c.a_median),
			   format_ns(o.cpp_c.b_median),
			   format_ratio_ci(o.cpp_c.ci),
			   format_ratio_ci(o.aa_c.ci),
			   format_ratio_ci(o.aa_cpp.ci)};
	};
	auto mean_row = [&](bool core_only, std::size_t *count) {
		std::vector<const PairedRounds *> ab, aac, aacpp;
		for (const OpResult &o : r.ops)
			if (o.core_only == core_only) {
				ab.push_back(&o.cpp_c);
				aac.push_back(&o.aa_c);
				aacpp.push_back(&o.aa_cpp);
			}
		*count = ab.size();
		return Row{"geometric mean (" + std::to_string(ab.size()) + ")",
			   "",
			   "",
			   "",
			   format_ratio_ci(combined_ci(ab)),
			   format_ratio_ci(combined_ci(aac)),
			   format_ratio_ci(combined_ci(aacpp))};
	};
	std::vector<Row> driver_rows, core_rows;
	for (const OpResult &o : r.ops)
		(o.core_only ? core_rows : driver_rows).push_back(op_row(o));
	std::size_t n_driver = 0, n_core = 0;
	Row driver_mean = mean_row(false, &n_driver), core_mean = mean_row(true, &n_core);

	std::vector<std::size_t> w(head.size());
	for (std::size_t k = 0; k < head.size(); k++) {
		w[k] = head[k].size();
		for (const auto *rows : {&driver_rows, &core_rows})
			for (const auto &row : *rows)
				w[k] = std::max(w[k], row[k].size());
		for (const Row *row : {&driver_mean, &core_mean})
			w[k] = std::max(w[k], (*row)[k].size());
	}
	auto line = [&](const Row &row) {
		std::string l;
		for (std::size_t k = 0; k < row.size(); k++) {
			std::string fill(w[k] - row[k].size(), ' ');
			// op left-aligned, figures right-aligned
			l += (k ? " | " : "") + (k == 0 ? row[k] + fill : fill + row[k]);
		}
		while (!l.empty() && l.back() == ' ')
			l.pop_back();
		return l + "\n";
	};
	std::string sep;
	for (std::size_t k = 0; k < w.size(); k++)
		sep += (k ? "-+-" : "") + std::string(w[k], '-');

	std::ostringstream o;
	char scale[32];
	std::snprintf(scale, sizeof(scale), "%g", r.iters_scale);
	o << "bench: " << r.rounds << " paired rounds per op after a warm-up, ABBA order; iters per "
	  << "round x" << scale << "; " << r.clock << "\n";
	o << "  C++/C: " << r.label_cpp << " against " << r.label_c << "\n";
	o << "  A/A C, A/A C++: the same driver against a second fd on its own node (the noise floor)\n";
	o << "  ratio: exp(mean of the per-round ln(B/A)); [95% CI]: Student t, " << r.rounds - 1
	  << " df; ns/op: median over the rounds\n";
	auto table = [&](const std::string &title, const std::vector<Row> &rows, const Row &mean,
			 std::size_t count) {
		o << title << "\n" << line(head) << sep << "\n";
		for (const Row &row : rows)
			o << line(row);
		if (count)
			o << line(mean);
	};
	table("driver operations (refgpu driver code runs):", driver_rows, driver_mean, n_driver);
	table("DRM core only (no refgpu driver code runs: the floor):", core_rows, core_mean, n_core);
	o << "(C++/C > 1: the C++ driver is slower. A C++/C interval shows a difference only where it "
	     "excludes 1.000 by more than the A/A intervals stray from it; figures only, no "
	     "thresholds)\n";
	o << "per-round ln(C++/C), rounds 1.." << r.rounds
	  << " (C first in rounds 1, 4, 5, 8, 9, ...):\n";
	for (const OpResult &op : r.ops) {
		o << "  " << op.name << ":";
		for (double x : op.cpp_c.log_ratio) {
			char buf[32];
			std::snprintf(buf, sizeof(buf), " %+.3f", x);
			o << buf;
		}
		o << "\n";
	}
	for (const OpResult &op : r.ops)
		o << "  " << op.name << ": " << op.what << "\n";
	return o.str();
}

} // namespace refgpu::equiv
