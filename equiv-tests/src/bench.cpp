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

bool op_mmap_offset_setup(DeviceIo &dev, BenchState &st, BenchFailure &f)
{
	return bo_create(dev, kBoSmall, &st.bo, f);
}

bool op_mmap_offset(DeviceIo &dev, BenchState &st, BenchFailure &f)
{
	std::uint64_t offset = 0;
	return bo_mmap_offset(dev, st.bo, &offset, f);
}

bool op_mmap_offset_teardown(DeviceIo &dev, BenchState &st, BenchFailure &f)
{
	bool ok = gem_close(dev, st.bo, f);
	st.bo = 0;
	return ok;
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

bool op_syncobj(DeviceIo &dev, BenchState &, BenchFailure &f)
{
	drm_syncobj_create c{};
	if (!check(dev.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &c), "DRM_IOCTL_SYNCOBJ_CREATE", f))
		return false;
	drm_syncobj_destroy d{};
	d.handle = c.handle;
	return check(dev.ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &d), "DRM_IOCTL_SYNCOBJ_DESTROY", f);
}

} // namespace

// Default iteration counts aim at 50-200 ms per round on a slow emulated
// kernel, assuming User-Mode Linux costs of roughly 25-50 us per ioctl,
// 50-100 us per shmem BO creation and 20-40 us per page fault (estimates,
// not measurements); --bench-iters scales them all.
const std::vector<BenchOp> &bench_ops()
{
	static const std::vector<BenchOp> ops = {
		{"dev_query.gpu_info", "DEV_QUERY GPU_INFO, full drm_refgpu_gpu_info", 2000,
		 nullptr, op_dev_query, nullptr},
		{"bo_create_4k+close", "BO_CREATE 4 KiB + GEM_CLOSE", 1000, nullptr,
		 op_bo_create_close, nullptr},
		{"bo_mmap_offset", "BO_MMAP_OFFSET of one existing 4 KiB BO", 2000,
		 op_mmap_offset_setup, op_mmap_offset, op_mmap_offset_teardown},
		{"bo_1m_map_touch",
		 "BO_CREATE 1 MiB + BO_MMAP_OFFSET + mmap + one byte written per 4 KiB page "
		 "+ munmap + GEM_CLOSE",
		 12, nullptr, op_bo_map_touch, nullptr},
		{"syncobj_create+destroy", "SYNCOBJ_CREATE + SYNCOBJ_DESTROY", 1000, nullptr,
		 op_syncobj, nullptr},
	};
	return ops;
}

BenchReport run_bench(DeviceIo &c, DeviceIo &cpp, const BenchConfig &cfg)
{
	return run_bench(c, cpp, bench_ops(), cfg);
}

BenchReport run_bench(DeviceIo &c, DeviceIo &cpp, const std::vector<BenchOp> &ops,
		      const BenchConfig &cfg)
{
	BenchReport rep;
	rep.rounds = cfg.rounds;
	rep.iters_scale = cfg.iters_scale;
	if (cfg.rounds == 0 || !cfg.now) {
		rep.error = "bench: needs at least one round and a clock";
		return rep;
	}

	struct Side {
		DeviceIo &dev;
		const std::string &label;
		BenchState st;
	};
	Side sides[2] = {{c, cfg.label_c, {}}, {cpp, cfg.label_cpp, {}}};

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
		res.iters = scaled_iters(op.default_iters, cfg.iters_scale);

		for (Side &s : sides) {
			s.st = {};
			if (op.setup && !op.setup(s.dev, s.st, f))
				return fail(s, "setup");
		}
		unsigned warm = std::max(1u, res.iters / 10);
		for (Side &s : sides)
			for (unsigned i = 0; i < warm; i++)
				if (!op.iteration(s.dev, s.st, f))
					return fail(s, "warm-up");

		for (unsigned r = 0; r < cfg.rounds; r++) {
			bool c_first = r % 2 == 0;
			res.c_first.push_back(c_first);
			double ns[2] = {0, 0};
			for (int k = 0; k < 2; k++) {
				int idx = c_first ? k : 1 - k;
				Side &s = sides[idx];
				std::uint64_t t0 = cfg.now();
				for (unsigned i = 0; i < res.iters; i++)
					if (!op.iteration(s.dev, s.st, f))
						return fail(s, "round " + std::to_string(r + 1));
				std::uint64_t t1 = cfg.now();
				ns[idx] = static_cast<double>(t1 - t0) / res.iters;
			}
			res.c_ns.push_back(ns[0]);
			res.cpp_ns.push_back(ns[1]);
		}

		for (Side &s : sides)
			if (op.teardown && !op.teardown(s.dev, s.st, f))
				return fail(s, "teardown");

		res.c_median = median(res.c_ns);
		res.cpp_median = median(res.cpp_ns);
		res.c_range = min_max(res.c_ns);
		res.cpp_range = min_max(res.cpp_ns);
		res.ratio = ratio(res.cpp_median, res.c_median);
		std::vector<double> rr;
		for (std::size_t r = 0; r < res.c_ns.size(); r++)
			rr.push_back(ratio(res.cpp_ns[r], res.c_ns[r]));
		res.round_ratio = min_max(rr);
		rep.ops.push_back(std::move(res));
	}

	std::vector<double> ratios;
	for (const OpResult &o : rep.ops)
		ratios.push_back(o.ratio);
	rep.geomean_ratio = geometric_mean(ratios);
	rep.ok = true;
	return rep;
}

std::string format_bench(const BenchReport &r)
{
	const std::vector<std::string> head = {"op",      "iters",   "C ns/op",   "C min",
					       "C max",   "C++ ns/op", "C++ min", "C++ max",
					       "C++/C",   "round C++/C"};
	std::vector<std::vector<std::string>> rows;
	for (const OpResult &o : r.ops) {
		std::string rr = format_ratio(o.round_ratio.min) + ".." + format_ratio(o.round_ratio.max);
		rows.push_back({o.name, std::to_string(o.iters), format_ns(o.c_median),
				format_ns(o.c_range.min), format_ns(o.c_range.max), format_ns(o.cpp_median),
				format_ns(o.cpp_range.min), format_ns(o.cpp_range.max), format_ratio(o.ratio),
				rr});
	}
	std::vector<std::size_t> w(head.size());
	for (std::size_t k = 0; k < head.size(); k++) {
		w[k] = head[k].size();
		for (const auto &row : rows)
			w[k] = std::max(w[k], row[k].size());
	}
	auto cell = [&](const std::string &s, std::size_t k) {
		std::string fill(w[k] - s.size(), ' ');
		return k == 0 ? s + fill : fill + s; // op left-aligned, figures right-aligned
	};
	auto line = [&](const std::vector<std::string> &row) {
		std::string l;
		for (std::size_t k = 0; k < row.size(); k++)
			l += (k ? " | " : "") + cell(row[k], k);
		while (!l.empty() && l.back() == ' ')
			l.pop_back();
		return l + "\n";
	};

	std::ostringstream o;
	char scale[32];
	std::snprintf(scale, sizeof(scale), "%g", r.iters_scale);
	o << "bench: " << r.rounds << " round(s) per op after a warm-up, C and C++ alternating first; "
	  << "iters per round x" << scale << "; CLOCK_MONOTONIC; median ns/op, lower is faster\n";
	o << line(head);
	std::string sep;
	for (std::size_t k = 0; k < w.size(); k++)
		sep += (k ? "-+-" : "") + std::string(w[k], '-');
	o << sep << "\n";
	for (const auto &row : rows)
		o << line(row);
	o << "geometric mean C++/C over " << r.ops.size() << " op(s): " << format_ratio(r.geomean_ratio)
	  << "\n";
	o << "(C++/C > 1: the C++ driver is slower; figures only, no thresholds)\n";
	for (const OpResult &op : r.ops)
		o << "  " << op.name << ": " << op.what << "\n";
	return o.str();
}

} // namespace refgpu::equiv
