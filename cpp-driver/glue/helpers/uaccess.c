// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: user memory access. Copyright (C) 2026 The refgpu authors */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/uaccess.h>

#include "refgpu_glue.h"

int refgpu_cpp_copy_to_user(unsigned long long uptr, const void *src, unsigned long size)
{
	return copy_to_user(u64_to_user_ptr(uptr), src, size) ? -EFAULT : 0;
}

int refgpu_cpp_clear_user(unsigned long long uptr, unsigned long size)
{
	return clear_user(u64_to_user_ptr(uptr), size) ? -EFAULT : 0;
}

int refgpu_cpp_copy_struct_from_user(void *dst, unsigned long ksize, unsigned long long usrc,
				     unsigned long usize)
{
	return copy_struct_from_user(dst, ksize, u64_to_user_ptr(usrc), usize);
}
