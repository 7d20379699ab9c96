// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors

#include "kbench.h"

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "uapi.h"

namespace refgpu::equiv {

namespace {

std::uint64_t uptr(const void *p)
{
	return reinterpret_cast<std::uintptr_t>(p);
}

const char *ioctl_name(std::uint32_t cmd)
{
	switch (cmd) {
	case DRM_IOCTL_REFGPU_DEV_QUERY: return "DRM_IOCTL_REFGPU_DEV_QUERY";
	case DRM_IOCTL_REFGPU_BO_CREATE: return "DRM_IOCTL_REFGPU_BO_CREATE";
	case DRM_IOCTL_REFGPU_BO_MMAP_OFFSET: return "DRM_IOCTL_REFGPU_BO_MMAP_OFFSET";
	case DRM_IOCTL_GEM_CLOSE: return "DRM_IOCTL_GEM_CLOSE";
	case DRM_IOCTL_VERSION: return "DRM_IOCTL_VERSION";
	case DRM_IOCTL_GET_CAP: return "DRM_IOCTL_GET_CAP";
	case DRM_IOCTL_SYNCOBJ_CREATE: return "DRM_IOCTL_SYNCOBJ_CREATE";
	case DRM_IOCTL_SYNCOBJ_DESTROY: return "DRM_IOCTL_SYNCOBJ_DESTROY";
	default: return "refgpu_kbench window";
	}
}

// One window of w (fd and iters filled in here) on dev.
bool window(const KbenchRun &run, DeviceIo &dev, refgpu_kbench_window w, unsigned iters,
	    double *ns_per_op, BenchFailure &f)
{
	w.fd = dev.raw_fd();
	w.iters = iters;
	int ret = w.fd < 0 ? -EBADF : run(w);
	if (ret) {
		f.call = std::string(ioctl_name(w.failed_cmd ? w.failed_cmd : w.cmd)) +
			 (w.failed_cmd ? " (in-kernel iteration " + std::to_string(w.failed_iter) + ")"
				       : " (REFGPU_KBENCH_IOCTL_RUN)");
		f.ret = ret;
		return false;
	}
	*ns_per_op = static_cast<double>(w.ns) / iters;
	return true;
}

// A window of one ioctl whose argument is built by make (kept alive here).
template <class Arg, class Make>
BenchOp::Window single(const KbenchRun &run, std::uint32_t cmd, Make make)
{
	return [run, cmd, make](DeviceIo &dev, BenchState &st, unsigned iters, double *ns,
				BenchFailure &f) {
		Arg arg{};
		make(arg, st);
		refgpu_kbench_window w{};
		w.cmd = cmd;
		w.arg = uptr(&arg);
		return window(run, dev, w, iters, ns, f);
	};
}

// A window of two ioctls: cmd creates a handle at handle_off of Arg, cmd2
// consumes it at handle_off2 of Arg2.
template <class Arg, class Arg2, class Make>
BenchOp::Window pair(const KbenchRun &run, std::uint32_t cmd, std::uint32_t handle_off,
		     std::uint32_t cmd2, std::uint32_t handle_off2, Make make)
{
	return [=](DeviceIo &dev, BenchState &, unsigned iters, double *ns, BenchFailure &f) {
		Arg arg{};
		Arg2 arg2{};
		make(arg);
		refgpu_kbench_window w{};
		w.cmd = cmd;
		w.arg = uptr(&arg);
		w.cmd2 = cmd2;
		w.arg2 = uptr(&arg2);
		w.handle_off = handle_off;
		w.handle_off2 = handle_off2;
		return window(run, dev, w, iters, ns, f);
	};
}

} // namespace

// Default iteration counts: sized so that one window takes a few ms to a
// few tens of ms on the benchmark kernel (no sanitizers); the test
// kernel's smoke run scales them down with --bench-iters.
std::vector<BenchOp> kernel_bench_ops(const KbenchRun &run)
{
	// The query's destination lives as long as the window (one per call).
	struct Query {
		drm_refgpu_dev_query q;
		drm_refgpu_gpu_info info;
	};
	auto dev_query = [run](DeviceIo &dev, BenchState &, unsigned iters, double *ns,
			       BenchFailure &f) {
		Query arg{};
		arg.q.type = DRM_REFGPU_DEV_QUERY_GPU_INFO;
		arg.q.size = sizeof(arg.info);
		arg.q.pointer = uptr(&arg.info);
		refgpu_kbench_window w{};
		w.cmd = DRM_IOCTL_REFGPU_DEV_QUERY;
		w.arg = uptr(&arg.q);
		return window(run, dev, w, iters, ns, f);
	};
	return {
		{"dev_query.gpu_info", "DEV_QUERY GPU_INFO, full drm_refgpu_gpu_info", 4000, false,
		 nullptr, nullptr, nullptr, dev_query},
		{"bo_create_4k+close", "BO_CREATE 4 KiB + GEM_CLOSE", 2000, false, nullptr, nullptr,
		 nullptr,
		 pair<drm_refgpu_bo_create, drm_gem_close>(
			 run, DRM_IOCTL_REFGPU_BO_CREATE, offsetof(drm_refgpu_bo_create, handle),
			 DRM_IOCTL_GEM_CLOSE, offsetof(drm_gem_close, handle),
			 [](drm_refgpu_bo_create &a) { a.size = 4096; })},
		{"bo_mmap_offset", "BO_MMAP_OFFSET of one existing 4 KiB BO", 4000, false,
		 bench_bo_setup, nullptr, bench_bo_teardown,
		 single<drm_refgpu_bo_mmap_offset>(
			 run, DRM_IOCTL_REFGPU_BO_MMAP_OFFSET,
			 [](drm_refgpu_bo_mmap_offset &a, BenchState &st) { a.handle = st.bo; })},
		{"version", "DRM_IOCTL_VERSION without buffers (DRM core: drm_version)", 4000, true,
		 nullptr, nullptr, nullptr,
		 single<drm_version_t>(run, DRM_IOCTL_VERSION, [](drm_version_t &, BenchState &) {})},
		{"get_cap.syncobj", "DRM_IOCTL_GET_CAP DRM_CAP_SYNCOBJ (DRM core: drm_getcap)", 4000,
		 true, nullptr, nullptr, nullptr,
		 single<drm_get_cap>(run, DRM_IOCTL_GET_CAP,
				     [](drm_get_cap &c, BenchState &) { c.capability = DRM_CAP_SYNCOBJ; })},
		{"syncobj_create+destroy", "SYNCOBJ_CREATE + SYNCOBJ_DESTROY (DRM core: drm_syncobj)",
		 2000, true, nullptr, nullptr, nullptr,
		 pair<drm_syncobj_create, drm_syncobj_destroy>(
			 run, DRM_IOCTL_SYNCOBJ_CREATE, offsetof(drm_syncobj_create, handle),
			 DRM_IOCTL_SYNCOBJ_DESTROY, offsetof(drm_syncobj_destroy, handle),
			 [](drm_syncobj_create &) {})},
	};
}

} // namespace refgpu::equiv
