// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --bench-kernel: the operations of the in-kernel handler benchmark. Each
// window is one REFGPU_KBENCH_IOCTL_RUN on the refgpu_kbench module's
// debugfs file (ci/bench-module/): the module calls drm_ioctl() on the
// side's own DRM file iters times and returns the ns it took, so the figure
// leaves out the system call entry and UML's ptrace round trip. The method
// (rounds, ABBA order, A/A controls, statistics) is run_bench's.
#pragma once

#include <functional>
#include <vector>

#include "bench.h"
#include "refgpu_kbench.h"

namespace refgpu::equiv {

// Issues one window; 0 or -errno. The real one is an ioctl on the module's
// file; unit tests plug in a model.
using KbenchRun = std::function<int(refgpu_kbench_window &)>;

// The in-kernel operations, in report order (driver operations, then the
// DRM-core-only floor). Each window runs through run on the side's
// raw_fd(); a side without one fails with -EBADF.
std::vector<BenchOp> kernel_bench_ops(const KbenchRun &run);

// The clock description run_bench prints for these operations.
inline constexpr const char *kKbenchClock =
	"ktime_get_ns() in the kernel around each window of drm_ioctl() calls (refgpu_kbench)";

} // namespace refgpu::equiv
