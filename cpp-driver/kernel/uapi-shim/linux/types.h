/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
/*
 * The C++ side's <linux/types.h>: just the UAPI base types, so that UAPI
 * headers (refgpu_drm.h, drm.h) can be included without any kernel-internal
 * header. The sizes match the kernel's on the 64-bit architectures refgpu
 * builds for; kernel/types.hpp checks them at compile time.
 */
#ifndef _REFGPU_CPP_SHIM_LINUX_TYPES_H
#define _REFGPU_CPP_SHIM_LINUX_TYPES_H

typedef signed char __s8;
typedef unsigned char __u8;
typedef signed short __s16;
typedef unsigned short __u16;
typedef signed int __s32;
typedef unsigned int __u32;
typedef signed long long __s64;
typedef unsigned long long __u64;
typedef __u16 __le16;
typedef __u16 __be16;
typedef __u32 __le32;
typedef __u32 __be32;
typedef __u64 __le64;
typedef __u64 __be64;
typedef unsigned long __kernel_size_t;
typedef unsigned long __kernel_ulong_t;
typedef long __kernel_long_t;
/* Sparse annotations UAPI headers use (headers_install strips them). */
#define __user

#define __aligned_u64 __u64 __attribute__((aligned(8)))

#endif
