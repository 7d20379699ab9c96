// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu_splat: a test module that makes the kernel report a bug on
 * purpose, so the test suite can prove that ci/guest-run fails a run on
 * each kind of report. Never built into a kernel; loaded only by ci/test.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/bug.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *kind = "warn";
module_param(kind, charp, 0444);
MODULE_PARM_DESC(kind, "Report to provoke: warn, bug, kasan, ubsan, leak or lockdep");

static int index = 8;
module_param(index, int, 0444);
MODULE_PARM_DESC(index, "Out-of-bounds index for kind=ubsan");

static void *leaked;
static DEFINE_MUTEX(refgpu_splat_a);
static DEFINE_MUTEX(refgpu_splat_b);

/* A then B, later B then A: lockdep reports the possible deadlock. */
static noinline void refgpu_splat_lockdep(void)
{
	mutex_lock(&refgpu_splat_a);
	mutex_lock(&refgpu_splat_b);
	mutex_unlock(&refgpu_splat_b);
	mutex_unlock(&refgpu_splat_a);

	mutex_lock(&refgpu_splat_b);
	mutex_lock(&refgpu_splat_a);
	mutex_unlock(&refgpu_splat_a);
	mutex_unlock(&refgpu_splat_b);
}

static noinline void refgpu_splat_kasan(void)
{
	char *p = kmalloc(16, GFP_KERNEL);

	if (!p)
		return;
	/* One byte past the end: KASAN slab-out-of-bounds. */
	OPTIMIZER_HIDE_VAR(p);
	p[16] = 1;
	kfree(p);
}

static noinline int refgpu_splat_ubsan(void)
{
	int a[8] = { 0 };

	/* index is a module parameter: the compiler cannot see it is 8. */
	return a[index];
}

static int __init refgpu_splat_init(void)
{
	if (sysfs_streq(kind, "warn")) {
		WARN(1, "refgpu_splat: deliberate warning\n");
	} else if (sysfs_streq(kind, "bug")) {
		BUG();
	} else if (sysfs_streq(kind, "lockdep")) {
		refgpu_splat_lockdep();
	} else if (sysfs_streq(kind, "kasan")) {
		refgpu_splat_kasan();
	} else if (sysfs_streq(kind, "ubsan")) {
		pr_info("refgpu_splat: read %d\n", refgpu_splat_ubsan());
	} else if (sysfs_streq(kind, "leak")) {
		/* Lose the only reference: kmemleak must find it. */
		leaked = kmalloc(128, GFP_KERNEL);
		leaked = NULL;
	} else {
		return -EINVAL;
	}
	return 0;
}
module_init(refgpu_splat_init);

MODULE_DESCRIPTION("Provokes kernel reports to test the refgpu guest runner");
MODULE_LICENSE("GPL");
