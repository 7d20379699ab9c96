// SPDX-License-Identifier: GPL-2.0-only
/*
 * C++ glue helpers: xarrays embedded in C++ objects (storage sized by
 * generated/kernel_layout.h, checked here). Copyright (C) 2026 The refgpu authors
 */

#include <linux/xarray.h>

#include "refgpu_glue_internal.h"
#include "kernel_layout.h"

struct refgpu_cpp_xarray {
	struct xarray xa;
};

static_assert(sizeof(struct refgpu_cpp_xarray) == REFGPU_KL_XARRAY_SIZE);
static_assert(__alignof__(struct refgpu_cpp_xarray) == REFGPU_KL_XARRAY_ALIGN);

void refgpu_cpp_xa_init_alloc1(struct refgpu_cpp_xarray *xa)
{
	xa_init_flags(&xa->xa, XA_FLAGS_ALLOC1);
}

void refgpu_cpp_xa_destroy(struct refgpu_cpp_xarray *xa)
{
	xa_destroy(&xa->xa);
}

int refgpu_cpp_xa_alloc(struct refgpu_cpp_xarray *xa, unsigned int *id, void *entry,
			unsigned int min, unsigned int max, enum refgpu_cpp_gfp gfp)
{
	gfp_t flags;
	u32 index;
	int ret;

	if (!refgpu_cpp_gfp_flags(gfp, &flags))
		return -ENOMEM;
	ret = xa_alloc(&xa->xa, &index, entry, XA_LIMIT(min, max), flags);
	if (!ret)
		*id = index;
	return ret;
}

void *refgpu_cpp_xa_erase(struct refgpu_cpp_xarray *xa, unsigned int id)
{
	return xa_erase(&xa->xa, id);
}

void refgpu_cpp_xa_lock(struct refgpu_cpp_xarray *xa)
	__acquires(&xa->xa.xa_lock)
{
	xa_lock(&xa->xa);
}

void refgpu_cpp_xa_unlock(struct refgpu_cpp_xarray *xa)
	__releases(&xa->xa.xa_lock)
{
	xa_unlock(&xa->xa);
}

void *refgpu_cpp_xa_load(struct refgpu_cpp_xarray *xa, unsigned int id)
{
	lockdep_assert_held(&xa->xa.xa_lock);
	return xa_load(&xa->xa, id);
}

void *refgpu_cpp_xa_find(struct refgpu_cpp_xarray *xa, unsigned long *id)
{
	return xa_find(&xa->xa, id, ULONG_MAX, XA_PRESENT);
}
