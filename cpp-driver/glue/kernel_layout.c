// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layouts of the kernel structures the C++ side embeds in its own
 * objects: size and alignment of each (and, where C++ must reach inside,
 * field offsets), taken from this kernel build, so they follow its
 * configuration (lockdep, debug options, architecture). Kbuild compiles this
 * file to assembly only and turns the DEFINE() markers into
 * generated/kernel_layout.h, the way it makes asm-offsets.h; the C++
 * abstractions (kernel/layout.hpp) size their storage from it and the glue
 * checks each use against the real type (refgpu_glue_internal.h).
 *
 * Copyright (C) 2026 The refgpu authors
 */

#define COMPILE_OFFSETS
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

#include <drm/drm_gpuvm.h>
#include <linux/kbuild.h>
#include <linux/lockdep_types.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>

#define REFGPU_OFFSET(name, type, member) \
	DEFINE(REFGPU_KL_##name##_OFFSET, offsetof(type, member))

#define REFGPU_LAYOUT(name, type)					\
	do {								\
		DEFINE(REFGPU_KL_##name##_SIZE, sizeof(type));		\
		DEFINE(REFGPU_KL_##name##_ALIGN, __alignof__(type));	\
	} while (0)

int main(void);

int main(void)
{
	REFGPU_LAYOUT(SPINLOCK, spinlock_t);
	REFGPU_LAYOUT(COMPLETION, struct completion);
	REFGPU_LAYOUT(LOCK_CLASS_KEY, struct lock_class_key);
	REFGPU_LAYOUT(MUTEX, struct mutex);
	REFGPU_LAYOUT(XARRAY, struct xarray);
	REFGPU_LAYOUT(GPUVM, struct drm_gpuvm);
	REFGPU_LAYOUT(GPUVA, struct drm_gpuva);
	/* The fields of a drm_gpuva C++ reads. */
	REFGPU_OFFSET(GPUVA_VM_BO, struct drm_gpuva, vm_bo);
	REFGPU_OFFSET(GPUVA_ADDR, struct drm_gpuva, va.addr);
	REFGPU_OFFSET(GPUVA_RANGE, struct drm_gpuva, va.range);
	REFGPU_OFFSET(GPUVA_GEM_OFFSET, struct drm_gpuva, gem.offset);
	REFGPU_OFFSET(GPUVA_GEM_OBJ, struct drm_gpuva, gem.obj);
	return 0;
}
