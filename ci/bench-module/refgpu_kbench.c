// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu_kbench: times refgpu ioctls inside the kernel, without the system
 * call entry (and UML's ptrace round trip per system call) that dominate a
 * userspace measurement. Userspace (refgpu-equiv --bench-kernel) passes one
 * of its own DRM fds and an ioctl; this module calls drm_ioctl() on that
 * file in a loop, in the caller's context, so the whole DRM ioctl path runs
 * as for any client (render-node permission check, the driver's ioctl
 * table, copy_from_user/copy_to_user) and only the syscall is left out.
 * Test-only: loaded by ci/bench and by ci/test's smoke stage, never part
 * of refgpu.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>

#include "refgpu_kbench.h"

static struct dentry *refgpu_kbench_dir;

/* Only refgpu DRM files: the loop must never run another driver's ioctls. */
static bool refgpu_kbench_is_refgpu(struct file *file)
{
	struct drm_file *priv;

	if (file->f_op->unlocked_ioctl != drm_ioctl)
		return false;
	priv = file->private_data;
	return priv && priv->minor && priv->minor->dev->driver->name &&
	       !strcmp(priv->minor->dev->driver->name, "refgpu");
}

/* Moves the handle @cmd returned into @cmd2's argument; resets it in @arg. */
static int refgpu_kbench_pass_handle(const struct refgpu_kbench_window *w)
{
	u32 __user *from = u64_to_user_ptr(w->arg + w->handle_off);
	u32 __user *to = u64_to_user_ptr(w->arg2 + w->handle_off2);
	u32 handle;

	if (get_user(handle, from) || put_user(0, from) || put_user(handle, to))
		return -EFAULT;
	return 0;
}

static long refgpu_kbench_run(struct refgpu_kbench_window *w)
{
	struct file *file;
	u64 t0, t1;
	long ret = 0;
	u32 i;

	if (!w->iters || w->iters > REFGPU_KBENCH_MAX_ITERS)
		return -EINVAL;
	if (w->cmd2 && ((u64)w->handle_off + sizeof(u32) > _IOC_SIZE(w->cmd) ||
			(u64)w->handle_off2 + sizeof(u32) > _IOC_SIZE(w->cmd2)))
		return -EINVAL;

	file = fget(w->fd);
	if (!file)
		return -EBADF;
	if (!refgpu_kbench_is_refgpu(file)) {
		fput(file);
		return -EBADF;
	}

	t0 = ktime_get_ns();
	for (i = 0; i < w->iters; i++) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ret = drm_ioctl(file, w->cmd, w->arg);
		if (ret) {
			w->failed_cmd = w->cmd;
			break;
		}
		if (!w->cmd2)
			continue;
		ret = refgpu_kbench_pass_handle(w);
		if (!ret)
			ret = drm_ioctl(file, w->cmd2, w->arg2);
		if (ret) {
			w->failed_cmd = w->cmd2;
			break;
		}
	}
	t1 = ktime_get_ns();
	fput(file);

	w->ns = t1 - t0;
	w->failed_iter = ret ? i : 0;
	return ret;
}

static long refgpu_kbench_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct refgpu_kbench_window w;
	long ret;

	if (cmd != REFGPU_KBENCH_IOCTL_RUN)
		return -ENOTTY;
	if (copy_from_user(&w, (void __user *)arg, sizeof(w)))
		return -EFAULT;
	w.ns = 0;
	w.failed_cmd = 0;
	w.failed_iter = 0;
	ret = refgpu_kbench_run(&w);
	/* The outputs matter on failure too: which call failed, and where. */
	if (copy_to_user((void __user *)arg, &w, sizeof(w)))
		return -EFAULT;
	return ret;
}

static const struct file_operations refgpu_kbench_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = refgpu_kbench_ioctl,
	.llseek = noop_llseek,
};

static int __init refgpu_kbench_init(void)
{
	refgpu_kbench_dir = debugfs_create_dir("refgpu_kbench", NULL);
	debugfs_create_file("run", 0600, refgpu_kbench_dir, NULL, &refgpu_kbench_fops);
	return 0;
}
module_init(refgpu_kbench_init);

static void __exit refgpu_kbench_exit(void)
{
	debugfs_remove_recursive(refgpu_kbench_dir);
}
module_exit(refgpu_kbench_exit);

MODULE_DESCRIPTION("refgpu in-kernel ioctl benchmark (test only)");
MODULE_LICENSE("GPL");
