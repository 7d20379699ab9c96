/* SPDX-License-Identifier: MIT */
/* Copyright (C) 2026 The refgpu authors */
/*
 * A made-up UAPI that uses every annotation key, for the schema tests.
 */
#ifndef _ANNOTATED_H_
#define _ANNOTATED_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Introduction
 *
 * Handle kinds beyond the DRM core's. [refgpu: handle-kinds=vm queue]
 * An example is not an annotation: ``[refgpu: bogus]``.
 */

/**
 * enum test_op_type - Kinds of operation
 */
enum test_op_type {
	/** @TEST_OP_MAP: Map. */
	TEST_OP_MAP = 1,
	/** @TEST_OP_UNMAP: Unmap. */
	TEST_OP_UNMAP = 2,
};

/**
 * enum test_flags - Flags
 */
enum test_flags {
	/** @TEST_FLAG_A: A. */
	TEST_FLAG_A = 1 << 0,
	/** @TEST_FLAG_B: B. */
	TEST_FLAG_B = 1 << 1,
};

/**
 * struct test_op - One operation of TEST_IOCTL_SUBMIT
 * @type: The kind. [refgpu: in, enum=test_op_type]
 * @bo: The BO it is about. [refgpu: in, handle=gem]
 * @va: Where it went. [refgpu: out, impl=gpu-va]
 *
 * Members described in the header comment.
 */
struct test_op {
	__u32 type;
	__u32 bo;
	__u64 va;
};

/**
 * struct test_info - What TEST_IOCTL_QUERY fills
 */
struct test_info {
	/** @ts: When. [refgpu: impl=timestamp] */
	__u64 ts;
};

/**
 * struct test_submit - Arguments of TEST_IOCTL_SUBMIT
 */
struct test_submit {
	/** @vm: The VM. [refgpu: in, handle=vm] */
	__u32 vm;

	/** @queue: The new queue. [refgpu: out, handle=queue:create] */
	__u32 queue;

	/**
	 * @ops: User pointer to @op_count operations, @op_stride bytes
	 * apart. [refgpu: in, ptr=array, elem=test_op, count=op_count,
	 * stride=op_stride, data=inout]
	 */
	__u64 ops;

	/** @op_count: Number of operations. [refgpu: in] */
	__u32 op_count;

	/** @op_stride: Size of one operation. [refgpu: in] */
	__u32 op_stride;

	/** @info: Optional output. [refgpu: in, ptr=struct, elem=test_info, data=out, nullable] */
	__u64 info;

	/** @flags: Flags. [refgpu: in, flags=test_flags] */
	__u32 flags;

	/** @old: Destroyed. [refgpu: in, handle=syncobj:destroy] */
	__u32 old;

	/** @cookie: Anything. [refgpu: out, impl] */
	__u64 cookie;

	/** @reserved: Padding. [refgpu: pad] */
	__u8 reserved[8];
};

#define TEST_IOCTL_SUBMIT DRM_IOWR(DRM_COMMAND_BASE + 0, struct test_submit)

#if defined(__cplusplus)
}
#endif

#endif
