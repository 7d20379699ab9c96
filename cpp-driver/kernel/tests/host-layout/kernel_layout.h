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

#endif
