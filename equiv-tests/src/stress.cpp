// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "stress.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <thread>

namespace refgpu::equiv {

namespace {

using Clock = std::chrono::steady_clock;

// What the threads share; counters are summed at the end.
struct Shared {
	DeviceIo &dev;
	const StressConfig &cfg;
	Clock::time_point deadline;
	std::atomic<bool> stop{false};
	std::atomic<bool> timed_out{false};
	std::atomic<std::uint32_t> max_handle{0};
	std::mutex mu; // violations
	StressSide &side;

	void violation(const std::string &what)
	{
		std::lock_guard<std::mutex> lock(mu);
		if (side.violations.size() < kStressListedViolations)
			side.violations.push_back(what);
		side.violations_total++;
	}
};

struct Counts {
	std::uint64_t iterations = 0, creates = 0, offsets_ok = 0, offsets_gone = 0,
		      closes_ok = 0, closes_gone = 0;
};

// GEM_CLOSE of a handle that may already be closed: the DRM core answers
// -EINVAL for a handle that is not (or no longer) there; -ENOENT is
// accepted as well.
bool close_result_documented(int ret)
{
	return ret == 0 || ret == -EINVAL || ret == -ENOENT;
}

void worker(Shared &sh, unsigned t, Counts &n)
{
	std::uint64_t x = 0x9e3779b97f4a7c15ull * (t + 1);
	auto rnd = [&x]() {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		return x;
	};
	const std::uint32_t window = 2 * sh.cfg.threads;
	const std::string who = "thread " + std::to_string(t) + ": ";
	for (unsigned i = 0; i < sh.cfg.iters && !sh.stop.load(std::memory_order_relaxed); i++) {
		if (i % 32 == 0 && Clock::now() >= sh.deadline) {
			sh.timed_out = true;
			sh.stop = true;
			break;
		}
		drm_refgpu_bo_create a{};
		a.size = 4096;
		int ret = sh.dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &a);
		if (ret) {
			sh.violation(who + "BO_CREATE 4096 failed with " + ret_name(ret));
			continue;
		}
		n.creates++;
		if (!a.handle || a.size != 4096)
			sh.violation(who + "BO_CREATE returned handle " + std::to_string(a.handle) +
				     ", size " + std::to_string(a.size));
		std::uint32_t seen = sh.max_handle.load();
		while (a.handle > seen && !sh.max_handle.compare_exchange_weak(seen, a.handle)) {
		}
		// A handle some thread has just been given, or is about to be.
		std::uint32_t victim = 1 + static_cast<std::uint32_t>(rnd() % window);
		drm_refgpu_bo_mmap_offset o{};
		o.handle = victim;
		ret = sh.dev.ioctl(DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &o);
		if (ret == 0)
			n.offsets_ok++;
		else if (ret == -ENOENT)
			n.offsets_gone++;
		else
			sh.violation(who + "BO_MMAP_OFFSET of handle " + std::to_string(victim) +
				     " returned " + ret_name(ret) + "; documented: 0, -ENOENT");
		for (std::uint32_t h : {victim, a.handle}) {
			drm_gem_close c{};
			c.handle = h;
			ret = sh.dev.ioctl(DRM_IOCTL_GEM_CLOSE, &c);
			if (ret == 0)
				n.closes_ok++;
			else if (close_result_documented(ret))
				n.closes_gone++;
			else
				sh.violation(who + "GEM_CLOSE of handle " + std::to_string(h) +
					     " returned " + ret_name(ret) +
					     "; documented: 0, -EINVAL (or -ENOENT) once closed");
		}
		n.iterations++;
	}
}

} // namespace

StressSide run_stress(DeviceIo &dev, const std::string &label, const StressConfig &cfg)
{
	StressSide side;
	side.label = label;
	side.threads = cfg.threads;
	const auto t0 = Clock::now();
	Shared sh{dev, cfg,
		  t0 + std::chrono::duration_cast<Clock::duration>(
			       std::chrono::duration<double>(cfg.seconds)),
		  {}, {}, {}, {}, side};
	std::vector<Counts> counts(cfg.threads);
	{
		std::vector<std::thread> threads;
		for (unsigned t = 0; t < cfg.threads; t++)
			threads.emplace_back(worker, std::ref(sh), t, std::ref(counts[t]));
		for (std::thread &th : threads)
			th.join();
	}
	for (const Counts &n : counts) {
		side.iterations += n.iterations;
		side.creates += n.creates;
		side.offsets_ok += n.offsets_ok;
		side.offsets_gone += n.offsets_gone;
		side.closes_ok += n.closes_ok;
		side.closes_gone += n.closes_gone;
	}
	side.max_handle = sh.max_handle;
	side.stopped_by_time = sh.timed_out;

	// Sweep: whatever is left is closed; then nothing may be left.
	for (std::uint32_t h = 1; h <= side.max_handle; h++) {
		drm_gem_close c{};
		c.handle = h;
		int ret = dev.ioctl(DRM_IOCTL_GEM_CLOSE, &c);
		if (ret == 0)
			side.left_at_end++;
		else if (!close_result_documented(ret))
			sh.violation("sweep: GEM_CLOSE of handle " + std::to_string(h) + " returned " +
				     ret_name(ret));
	}
	drm_refgpu_bo_create a{};
	a.size = 4096;
	int ret = dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &a);
	if (ret) {
		sh.violation("after the sweep: BO_CREATE failed with " + ret_name(ret));
	} else {
		if (a.handle != 1)
			sh.violation("after the sweep: a new BO got handle " + std::to_string(a.handle) +
				     ", not 1: handles leaked (still open after GEM_CLOSE of every "
				     "handle up to " +
				     std::to_string(side.max_handle) + ")");
		drm_gem_close c{};
		c.handle = a.handle;
		ret = dev.ioctl(DRM_IOCTL_GEM_CLOSE, &c);
		if (ret)
			sh.violation("after the sweep: GEM_CLOSE of the new BO returned " +
				     ret_name(ret));
	}
	side.elapsed_s = std::chrono::duration<double>(Clock::now() - t0).count();
	return side;
}

std::string format_stress(const StressConfig &cfg, const StressSide &c, const StressSide &cpp)
{
	std::ostringstream o;
	o << "stress: " << cfg.threads << " threads per driver on one fd, up to " << cfg.iters
	  << " iterations each (BO_CREATE, BO_MMAP_OFFSET and GEM_CLOSE of a handle in 1.."
	  << 2 * cfg.threads << ", GEM_CLOSE of its own), at most " << cfg.seconds
	  << " s per driver\n";
	struct Line {
		const char *what;
		std::string vc, vcpp;
	};
	auto num = [](std::uint64_t v) { return std::to_string(v); };
	auto secs = [](double v) {
		char b[32];
		std::snprintf(b, sizeof(b), "%.2f", v);
		return std::string(b);
	};
	const Line lines[] = {
		{"iterations", num(c.iterations), num(cpp.iterations)},
		{"BO_CREATE ok", num(c.creates), num(cpp.creates)},
		{"BO_MMAP_OFFSET ok", num(c.offsets_ok), num(cpp.offsets_ok)},
		{"BO_MMAP_OFFSET -ENOENT", num(c.offsets_gone), num(cpp.offsets_gone)},
		{"GEM_CLOSE ok", num(c.closes_ok), num(cpp.closes_ok)},
		{"GEM_CLOSE already closed", num(c.closes_gone), num(cpp.closes_gone)},
		{"highest handle", num(c.max_handle), num(cpp.max_handle)},
		{"left open, closed by the sweep", num(c.left_at_end), num(cpp.left_at_end)},
		{"stopped by the time bound", c.stopped_by_time ? "yes" : "no",
		 cpp.stopped_by_time ? "yes" : "no"},
		{"seconds", secs(c.elapsed_s), secs(cpp.elapsed_s)},
		{"violations", num(c.violations_total), num(cpp.violations_total)},
	};
	std::size_t w = 0, wc = 1;
	for (const Line &l : lines) {
		w = std::max(w, std::string(l.what).size());
		wc = std::max(wc, l.vc.size());
	}
	auto pad = [](const std::string &s, std::size_t n) {
		return s + std::string(n > s.size() ? n - s.size() : 0, ' ');
	};
	o << pad("", w) << " | " << pad("C", wc) << " | C++\n";
	o << std::string(w, '-') << "-+-" << std::string(wc, '-') << "-+----\n";
	for (const Line &l : lines)
		o << pad(l.what, w) << " | " << pad(l.vc, wc) << " | " << l.vcpp << '\n';
	for (const StressSide *s : {&c, &cpp})
		for (const std::string &v : s->violations)
			o << "  " << s->label << ": " << v << '\n';
	const std::uint64_t total = c.violations_total + cpp.violations_total;
	if (total)
		o << "stress: FAILED, " << total << " violation(s)"
		  << (total > c.violations.size() + cpp.violations.size() ? " (first ones listed)" : "")
		  << '\n';
	else
		o << "stress: " << c.creates << " (C) / " << cpp.creates
		  << " (C++) BOs created and raced against GEM_CLOSE, every result documented, "
		     "no handle left: OK\n";
	return o.str();
}

} // namespace refgpu::equiv
