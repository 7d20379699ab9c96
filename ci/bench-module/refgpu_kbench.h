/* SPDX-License-Identifier: MIT */
/*
 * refgpu_kbench: the interface between the in-kernel benchmark module
 * (ci/bench-module/refgpu_kbench.c) and its userspace driver
 * (refgpu-equiv --bench-kernel). Test-only; not part of refgpu's UAPI.
 *
 * Copyright (C) 2026 The refgpu authors
 */
#ifndef __REFGPU_KBENCH_H__
#define __REFGPU_KBENCH_H__

#include <linux/types.h>
#include <linux/ioctl.h>

/**
 * struct refgpu_kbench_window - One timed window, issued on
 * /sys/kernel/debug/refgpu_kbench/run with REFGPU_KBENCH_IOCTL_RUN
 * @fd: A DRM file descriptor of the calling process (a refgpu node).
 * @iters: Iterations of the window, 1 to REFGPU_KBENCH_MAX_ITERS.
 * @cmd: The DRM ioctl each iteration issues through drm_ioctl().
 * @cmd2: A second DRM ioctl each iteration issues after @cmd, or 0.
 * @arg: User pointer to @cmd's argument.
 * @arg2: User pointer to @cmd2's argument (when @cmd2 is not 0).
 * @handle_off: With @cmd2: offset in @arg of a __u32 handle @cmd returns;
 *	after each @cmd it is copied to @handle_off2 in @arg2 and reset to 0
 *	in @arg (so the next @cmd sees its input again).
 * @handle_off2: See @handle_off.
 * @ns: Out: nanoseconds the window took (ktime_get_ns() around the loop).
 * @failed_cmd: Out: on a failing iteration, the ioctl that failed.
 * @failed_iter: Out: on a failing iteration, its index.
 *
 * The ioctl returns 0, or the -errno of the first failing drm_ioctl()
 * (the window stops there), -EBADF if @fd is not a refgpu DRM file,
 * -EINVAL for a bad @iters or offset, -EFAULT for an unreadable @arg.
 */
struct refgpu_kbench_window {
	__s32 fd;
	__u32 iters;
	__u32 cmd;
	__u32 cmd2;
	__u64 arg;
	__u64 arg2;
	__u32 handle_off;
	__u32 handle_off2;
	__u64 ns;
	__u32 failed_cmd;
	__u32 failed_iter;
};

#define REFGPU_KBENCH_MAX_ITERS		1000000u
#define REFGPU_KBENCH_IOCTL_RUN		_IOWR('R', 0x42, struct refgpu_kbench_window)
#define REFGPU_KBENCH_RUN_PATH		"/sys/kernel/debug/refgpu_kbench/run"

#endif /* __REFGPU_KBENCH_H__ */
