// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: memory allocation. Copyright (C) 2026 The refgpu authors */

#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/mm.h>

#include "refgpu_glue_internal.h"

/*
 * The kernel flags of each value C++'s closed Gfp can make; false for any
 * other (refused, never guessed).
 */
bool refgpu_cpp_gfp_flags(enum refgpu_cpp_gfp gfp, gfp_t *flags)
{
	switch (gfp) {
	case REFGPU_CPP_GFP_KERNEL:
		*flags = GFP_KERNEL;
		return true;
	case REFGPU_CPP_GFP_ATOMIC:
		*flags = GFP_ATOMIC;
		return true;
	case REFGPU_CPP_GFP_KERNEL_ZERO:
		*flags = GFP_KERNEL | __GFP_ZERO;
		return true;
	}
	WARN_ONCE(1, "refgpu_cpp: unknown allocation flags %d\n", gfp);
	return false;
}

void *refgpu_cpp_kmalloc(unsigned long size, enum refgpu_cpp_gfp gfp)
{
	gfp_t flags;

	return refgpu_cpp_gfp_flags(gfp, &flags) ? kmalloc(size, flags) : NULL;
}

void *refgpu_cpp_kvmalloc_array(unsigned long n, unsigned long size, enum refgpu_cpp_gfp gfp)
{
	gfp_t flags;

	return refgpu_cpp_gfp_flags(gfp, &flags) ? kvmalloc_array(n, size, flags) : NULL;
}

void refgpu_cpp_kvfree(const void *ptr)
{
	kvfree(ptr);
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
