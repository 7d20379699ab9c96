/* SPDX-License-Identifier: MIT */
/* Copyright (C) 2026 The refgpu authors */
/*
 * A made-up UAPI in the style of the VM ioctls (branch vm-base): a handle
 * kind of its own (vm), an array of structures reached through a pointer
 * in a nested structure, with a count and a stride, whose elements hold GEM
 * handles. The trace tests record and replay it on a model.
 */
#ifndef _TVM_DRM_H_
#define _TVM_DRM_H_

#include "drm.h"

/**
 * DOC: VMs
 *
 * VM ids are handles of their own kind. [refgpu: handle-kinds=vm]
 */

/**
 * struct tvm_bo_create - TVM_IOCTL_BO_CREATE
 * @size: [refgpu: inout]
 * @handle: [refgpu: out, mbz, handle=gem:create]
 * @pad: [refgpu: pad]
 */
struct tvm_bo_create {
	__u64 size;
	__u32 handle;
	__u32 pad;
};

/**
 * struct tvm_vm_create - TVM_IOCTL_VM_CREATE
 * @flags: [refgpu: in, mbz]
 * @id: [refgpu: out, mbz, handle=vm:create]
 */
struct tvm_vm_create {
	__u32 flags;
	__u32 id;
};

/**
 * struct tvm_bind_op - one element of &tvm_vm_bind.ops
 * @op: [refgpu: in]
 * @bo_handle: [refgpu: in, handle=gem]
 * @va: [refgpu: in]
 * @size: [refgpu: in]
 */
struct tvm_bind_op {
	__u32 op;
	__u32 bo_handle;
	__u64 va;
	__u64 size;
};

/**
 * struct tvm_obj_array - an array in user memory
 * @stride: [refgpu: in]
 * @count: [refgpu: in]
 * @array: [refgpu: in, ptr=array, elem=tvm_bind_op, count=count, stride=stride, data=in, nullable]
 */
struct tvm_obj_array {
	__u32 stride;
	__u32 count;
	__u64 array;
};

/**
 * struct tvm_vm_bind - TVM_IOCTL_VM_BIND
 * @vm_id: [refgpu: in, handle=vm]
 * @mapped: [refgpu: out] number of pages mapped so far in the VM
 */
struct tvm_vm_bind {
	__u32 vm_id;
	__u32 mapped;
	struct tvm_obj_array ops;
};

/**
 * struct tvm_vm_destroy - TVM_IOCTL_VM_DESTROY
 * @id: [refgpu: in, handle=vm:destroy]
 * @pad: [refgpu: pad]
 */
struct tvm_vm_destroy {
	__u32 id;
	__u32 pad;
};

#define TVM_IOCTL_BO_CREATE	DRM_IOWR(DRM_COMMAND_BASE + 0, struct tvm_bo_create)
#define TVM_IOCTL_VM_CREATE	DRM_IOWR(DRM_COMMAND_BASE + 1, struct tvm_vm_create)
#define TVM_IOCTL_VM_BIND	DRM_IOWR(DRM_COMMAND_BASE + 2, struct tvm_vm_bind)
#define TVM_IOCTL_VM_DESTROY	DRM_IOWR(DRM_COMMAND_BASE + 3, struct tvm_vm_destroy)

#endif
