// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: memory allocation. Copyright (C) 2026 The refgpu authors */

#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "refgpu_glue.h"

void *refgpu_cpp_kmalloc(unsigned long size, enum refgpu_cpp_gfp gfp)
{
	switch (gfp) {
	case REFGPU_CPP_GFP_KERNEL:
		return kmalloc(size, GFP_KERNEL);
	case REFGPU_CPP_GFP_ATOMIC:
		return kmalloc(size, GFP_ATOMIC);
	}
	/* A value C++'s closed Gfp cannot make: refuse, never guess. */
	WARN_ONCE(1, "refgpu_cpp: unknown allocation flags %d\n", gfp);
	return NULL;
}

void refgpu_cpp_kfree(const void *ptr)
{
	kfree(ptr);
}

void refgpu_cpp_bug(const char *why)
{
	pr_crit("refgpu_cpp: %s\n", why);
	BUG();
}

void refgpu_cpp_warn(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	WARN(1, "%pV", &vaf);
	va_end(args);
}
