/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host unit tests' stand-in for the generated kernel_layout.h (which
 * Kbuild makes from glue/kernel_layout.c): the layouts of the fake glue's
 * objects (fake_glue.cpp checks each).
 */
#ifndef __REFGPU_KERNEL_LAYOUT_H__
#define __REFGPU_KERNEL_LAYOUT_H__

#define REFGPU_KL_SPINLOCK_SIZE 16
#define REFGPU_KL_SPINLOCK_ALIGN 8
#define REFGPU_KL_COMPLETION_SIZE 16
#define REFGPU_KL_COMPLETION_ALIGN 8
#define REFGPU_KL_LOCK_CLASS_KEY_SIZE 16
#define REFGPU_KL_LOCK_CLASS_KEY_ALIGN 8
#define REFGPU_KL_MUTEX_SIZE 16
#define REFGPU_KL_MUTEX_ALIGN 8
#define REFGPU_KL_XARRAY_SIZE 8
#define REFGPU_KL_XARRAY_ALIGN 8
#define REFGPU_KL_GPUVM_SIZE 64
#define REFGPU_KL_GPUVM_ALIGN 8
#define REFGPU_KL_GPUVA_SIZE 48
#define REFGPU_KL_GPUVA_ALIGN 8
#define REFGPU_KL_GPUVA_VM_BO_OFFSET 8
#define REFGPU_KL_GPUVA_ADDR_OFFSET 16
#define REFGPU_KL_GPUVA_RANGE_OFFSET 24
#define REFGPU_KL_GPUVA_GEM_OFFSET_OFFSET 32
#define REFGPU_KL_GPUVA_GEM_OBJ_OFFSET 40

#endif
