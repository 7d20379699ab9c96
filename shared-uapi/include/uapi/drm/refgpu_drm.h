/* SPDX-License-Identifier: MIT */
/* Copyright (C) 2026 The refgpu authors */
#ifndef _REFGPU_DRM_H_
#define _REFGPU_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Introduction
 *
 * The refgpu UAPI. Both refgpu kernel drivers (the C one and the C++ one)
 * implement this file and nothing else; userspace cannot tell them apart
 * except through the device's sysfs ``driver`` link.
 *
 * Rules every structure here follows, so the UAPI can grow without breaking
 * old userspace:
 *
 * - Structures are 64-bit aligned, and every field is naturally aligned with
 *   explicit ``pad`` fields where needed. The driver rejects a non-zero pad
 *   with -EINVAL.
 * - Flags can be added, never removed or re-purposed. Unknown flags are
 *   rejected with -EINVAL.
 * - New fields go at the end of a structure or replace padding; a zero value
 *   in a new field keeps the old behaviour.
 * - Objects that the kernel fills for userspace (see
 *   &struct drm_refgpu_dev_query) carry their size, so old userspace gets the
 *   prefix it knows and new userspace on an old kernel gets zeroes past the
 *   end of what the kernel knows.
 * - No unions. Ioctls are never removed; new ones go at the end of
 *   &enum drm_refgpu_ioctl_id.
 *
 * What the C types cannot say about a member is annotated at the end of its
 * description, in brackets after ``refgpu:``: its direction (in, out,
 * inout), that it is padding (pad) or must be zero on input (mbz), that it
 * is a handle the ioctl uses or creates (handle=gem:create), that its value
 * is chosen by the implementation (impl=mmap-offset), which enum its flags
 * or value come from (flags=, enum=), and what a user pointer points to
 * (ptr=array with elem=, count=, stride=; ptr=buffer with size=, select=,
 * case=; data=, nullable). The equivalence harness takes everything it knows
 * about an ioctl from this file and these annotations (refgpu-harness
 * schema); docs/testing.md defines the keys. The layout is guarded by
 * refgpu-harness abi-check against shared-uapi/abi/refgpu_drm.abi.
 *
 * Every ioctl lists its errors. Besides those, any ioctl may fail with
 * -EFAULT when a user pointer cannot be read or written, and with -ENOMEM
 * when the kernel is out of memory. A failing ioctl leaves nothing behind:
 * no handle, no object, no partially written output, with exactly two
 * exceptions, both -EFAULT:
 *
 * - The argument structure itself cannot be written back. The DRM core
 *   copies it back to userspace after the handler has run, whatever the
 *   handler returned, and turns a failed copy into -EFAULT; so when the
 *   handler had succeeded, its effect stands: DRM_IOCTL_REFGPU_BO_CREATE has
 *   created the BO and its handle (the lowest free one in the file), which
 *   stays valid until it is closed or the file is closed.
 * - A buffer that an ioctl fills through a user pointer (see
 *   &struct drm_refgpu_dev_query) is written from its first byte onwards;
 *   when it cannot be written to the end, the bytes before the first one
 *   that cannot be written may already hold their final values. Nothing
 *   past that byte is written, and no other state changes.
 */

/**
 * enum drm_refgpu_ioctl_id - refgpu ioctl numbers, relative to
 * %DRM_COMMAND_BASE
 */
enum drm_refgpu_ioctl_id {
	/** @DRM_REFGPU_DEV_QUERY: Query device information. */
	DRM_REFGPU_DEV_QUERY = 0,

	/** @DRM_REFGPU_BO_CREATE: Create a buffer object. */
	DRM_REFGPU_BO_CREATE,

	/** @DRM_REFGPU_BO_MMAP_OFFSET: Get the fake offset to mmap a BO. */
	DRM_REFGPU_BO_MMAP_OFFSET,

	/** @DRM_REFGPU_VM_CREATE: Create a GPU virtual address space. */
	DRM_REFGPU_VM_CREATE,

	/** @DRM_REFGPU_VM_DESTROY: Destroy a GPU virtual address space. */
	DRM_REFGPU_VM_DESTROY,

	/** @DRM_REFGPU_VM_BIND: Map and unmap BOs in a GPU virtual address space. */
	DRM_REFGPU_VM_BIND,
};

/**
 * enum drm_refgpu_dev_query_type - Query type for DRM_IOCTL_REFGPU_DEV_QUERY
 */
enum drm_refgpu_dev_query_type {
	/** @DRM_REFGPU_DEV_QUERY_GPU_INFO: Query &struct drm_refgpu_gpu_info. */
	DRM_REFGPU_DEV_QUERY_GPU_INFO = 0,

	/** @DRM_REFGPU_DEV_QUERY_VM_INFO: Query &struct drm_refgpu_vm_info. */
	DRM_REFGPU_DEV_QUERY_VM_INFO,
};

/**
 * enum drm_refgpu_gpu_features - Bits of &drm_refgpu_gpu_info.features
 */
enum drm_refgpu_gpu_features {
	/** @DRM_REFGPU_FEATURE_MMU: The GPU translates through its own page tables. */
	DRM_REFGPU_FEATURE_MMU = 1 << 0,

	/** @DRM_REFGPU_FEATURE_DOORBELL: The GPU has doorbell registers. */
	DRM_REFGPU_FEATURE_DOORBELL = 1 << 1,

	/** @DRM_REFGPU_FEATURE_TIMESTAMP: The GPU has a timestamp counter. */
	DRM_REFGPU_FEATURE_TIMESTAMP = 1 << 2,
};

/**
 * struct drm_refgpu_gpu_info - GPU information
 *
 * Returned by DRM_IOCTL_REFGPU_DEV_QUERY with
 * %DRM_REFGPU_DEV_QUERY_GPU_INFO. Fields are only ever appended.
 */
struct drm_refgpu_gpu_info {
	/**
	 * @gpu_id: The GPU_ID register: architecture major in bits 31:24,
	 * architecture minor in bits 23:16, product in bits 15:0.
	 */
	__u32 gpu_id;

	/**
	 * @fw_version: The FW_VERSION register: major in bits 31:24, minor in
	 * bits 23:16, patch in bits 15:0.
	 */
	__u32 fw_version;

	/**
	 * @features: Combination of &enum drm_refgpu_gpu_features bits.
	 * [refgpu: flags=drm_refgpu_gpu_features]
	 */
	__u64 features;

	/** @va_bits: Width of a GPU virtual address, in bits. */
	__u32 va_bits;

	/** @pa_bits: Width of a physical address the GPU can reach, in bits. */
	__u32 pa_bits;

	/** @doorbell_count: Number of doorbell registers. */
	__u32 doorbell_count;

	/** @pad: MBZ. [refgpu: pad] */
	__u32 pad;

	/**
	 * @max_bo_size: Largest size DRM_IOCTL_REFGPU_BO_CREATE accepts, in
	 * bytes.
	 */
	__u64 max_bo_size;
};

/**
 * struct drm_refgpu_vm_info - What a GPU virtual address space offers
 *
 * Returned by DRM_IOCTL_REFGPU_DEV_QUERY with %DRM_REFGPU_DEV_QUERY_VM_INFO.
 * Fields are only ever appended.
 */
struct drm_refgpu_vm_info {
	/**
	 * @user_va_start: First GPU virtual address userspace may map with
	 * DRM_IOCTL_REFGPU_VM_BIND.
	 */
	__u64 user_va_start;

	/**
	 * @user_va_end: End (exclusive) of the range userspace may map. The
	 * rest of the address space is the kernel's.
	 */
	__u64 user_va_end;

	/**
	 * @page_size: GPU page size in bytes: the alignment of every address,
	 * offset and size given to DRM_IOCTL_REFGPU_VM_BIND.
	 */
	__u32 page_size;

	/** @max_vms: Most VMs one DRM file can hold at a time. */
	__u32 max_vms;

	/**
	 * @max_bind_ops: Largest &drm_refgpu_obj_array.count
	 * DRM_IOCTL_REFGPU_VM_BIND accepts.
	 */
	__u32 max_bind_ops;

	/** @pad: MBZ. [refgpu: pad] */
	__u32 pad;
};

/**
 * DRM_REFGPU_DEV_QUERY_MAX_SIZE - Largest &drm_refgpu_dev_query.size accepted
 *
 * No version of any query object will be larger than this; a larger buffer
 * is refused with -E2BIG before anything is written.
 */
#define DRM_REFGPU_DEV_QUERY_MAX_SIZE	4096

/**
 * struct drm_refgpu_dev_query - Arguments passed to
 * DRM_IOCTL_REFGPU_DEV_QUERY
 *
 * Size negotiation: with @pointer zero, the driver writes the size of the
 * object it knows for @type into @size and returns 0. With @pointer non-zero,
 * the driver writes min(@size, known size) bytes of the object to @pointer,
 * zeroes the bytes from there up to @size, and leaves @size unchanged.
 *
 * Errors:
 *
 * - -EINVAL: @type is unknown, @pad is not zero, or @pointer is non-zero and
 *   @size is smaller than the first version of the object (for
 *   %DRM_REFGPU_DEV_QUERY_GPU_INFO: 40 bytes, up to and including
 *   &drm_refgpu_gpu_info.max_bo_size; for %DRM_REFGPU_DEV_QUERY_VM_INFO:
 *   32 bytes, up to and including &drm_refgpu_vm_info.pad).
 * - -E2BIG: @pointer is non-zero and @size is larger than
 *   %DRM_REFGPU_DEV_QUERY_MAX_SIZE. Nothing is written.
 * - -EFAULT: @pointer cannot be written (see the introduction for what may
 *   have been written).
 */
struct drm_refgpu_dev_query {
	/**
	 * @type: One of &enum drm_refgpu_dev_query_type.
	 * [refgpu: in, enum=drm_refgpu_dev_query_type]
	 */
	__u32 type;

	/**
	 * @size: Size of the buffer at @pointer, or the size the driver knows.
	 * [refgpu: inout]
	 */
	__u32 size;

	/**
	 * @pointer: User pointer to the object to fill, or zero.
	 * [refgpu: in, ptr=buffer, size=size, data=out, nullable, select=type,
	 * case=DRM_REFGPU_DEV_QUERY_GPU_INFO:drm_refgpu_gpu_info,
	 * case=DRM_REFGPU_DEV_QUERY_VM_INFO:drm_refgpu_vm_info]
	 */
	__u64 pointer;

	/** @pad: MBZ. [refgpu: pad] */
	__u64 pad;
};

/**
 * enum drm_refgpu_bo_flags - Flags for &drm_refgpu_bo_create.flags
 */
enum drm_refgpu_bo_flags {
	/**
	 * @DRM_REFGPU_BO_NO_MMAP: The BO is never mapped to the CPU:
	 * DRM_IOCTL_REFGPU_BO_MMAP_OFFSET refuses it.
	 */
	DRM_REFGPU_BO_NO_MMAP = 1 << 0,
};

/**
 * struct drm_refgpu_bo_create - Arguments passed to DRM_IOCTL_REFGPU_BO_CREATE
 *
 * Creates a zero-filled, shmem-backed buffer object and returns a handle
 * to it in the calling DRM file.
 *
 * Errors:
 *
 * - -EINVAL: @size is zero, @flags has an unknown bit, or @handle is not
 *   zero on input.
 * - -E2BIG: @size, rounded up to the page size, is larger than
 *   &drm_refgpu_gpu_info.max_bo_size.
 * - -ENOMEM: no memory for the object.
 * - -ENOSPC: no memory for the object's shmem backing file (shmem reports
 *   a failed inode allocation this way).
 */
struct drm_refgpu_bo_create {
	/**
	 * @size: In: requested size in bytes. Out: actual size, rounded up
	 * to the CPU page size. Unchanged on error. [refgpu: inout]
	 */
	__u64 size;

	/**
	 * @flags: Combination of &enum drm_refgpu_bo_flags.
	 * [refgpu: in, flags=drm_refgpu_bo_flags]
	 */
	__u32 flags;

	/**
	 * @handle: Out: the new GEM handle. Must be zero on input.
	 * [refgpu: out, mbz, handle=gem:create]
	 */
	__u32 handle;
};

/**
 * struct drm_refgpu_bo_mmap_offset - Arguments passed to
 * DRM_IOCTL_REFGPU_BO_MMAP_OFFSET
 *
 * Returns the fake offset to pass to mmap() on the DRM file to map the
 * whole BO. The offset stays valid for as long as the BO lives.
 *
 * A BO imported through PRIME from a BO of the same device is that BO, so
 * its %DRM_REFGPU_BO_NO_MMAP flag applies here. A BO imported from another
 * device (another refgpu device included) gets an offset: whether it can
 * be mapped is the exporter's decision, taken at mmap() time, and mmap()
 * of a refgpu BO created with %DRM_REFGPU_BO_NO_MMAP fails with -EPERM
 * there, as does mmap() of its dma-buf.
 *
 * Errors:
 *
 * - -EINVAL: @pad is not zero.
 * - -ENOENT: @handle is not a BO handle of this DRM file.
 * - -EPERM: the BO was created with %DRM_REFGPU_BO_NO_MMAP.
 */
struct drm_refgpu_bo_mmap_offset {
	/** @handle: Handle of the BO. [refgpu: in, handle=gem] */
	__u32 handle;

	/** @pad: MBZ. [refgpu: pad] */
	__u32 pad;

	/**
	 * @offset: Out: the fake offset to pass to mmap().
	 * [refgpu: out, impl=mmap-offset]
	 */
	__u64 offset;
};

/**
 * DOC: GPU virtual memory
 *
 * A VM is a GPU virtual address space owned by one DRM file, named by an
 * id in that file (the lowest free one, starting at 1). BOs are mapped into
 * it with DRM_IOCTL_REFGPU_VM_BIND, in pages of
 * &drm_refgpu_vm_info.page_size, anywhere in
 * [&drm_refgpu_vm_info.user_va_start, &drm_refgpu_vm_info.user_va_end).
 * A mapping holds a reference on its BO: closing the BO's handle does not
 * unmap it; unmapping, destroying the VM or closing the file does. A BO can
 * be mapped any number of times, in any VMs of any file of the device,
 * PRIME imports included. When the file is closed, its VMs are destroyed.
 *
 * DRM_IOCTL_REFGPU_VM_BIND is synchronous: when it returns 0 every
 * operation has taken effect, on the GPU too (no stale translation is
 * left in the GPU's TLBs). When it fails nothing has changed.
 *
 * VM ids are handles of their own kind. [refgpu: handle-kinds=vm]
 */

/**
 * struct drm_refgpu_obj_array - An array of objects in user memory
 *
 * Element i is at @array + i * @stride. An element is read as the version
 * of its structure the kernel knows: a @stride smaller than the first
 * version is refused, and the bytes of a larger @stride past the end of
 * the version the kernel knows must be zero (they are fields of a newer
 * version, whose zero means the old behaviour).
 */
struct drm_refgpu_obj_array {
	/** @stride: Distance between two elements, in bytes. [refgpu: in] */
	__u32 stride;

	/** @count: Number of elements. [refgpu: in] */
	__u32 count;

	/**
	 * @array: User pointer to the first element.
	 * [refgpu: in, ptr=array, elem=drm_refgpu_vm_bind_op, count=count,
	 * stride=stride, nullable]
	 */
	__u64 array;
};

/**
 * struct drm_refgpu_vm_create - Arguments passed to DRM_IOCTL_REFGPU_VM_CREATE
 *
 * Creates an empty VM in the calling DRM file.
 *
 * Errors:
 *
 * - -EINVAL: @flags is not zero (no flag is defined yet), or @id is not
 *   zero on input.
 * - -ENOSPC: the file already holds &drm_refgpu_vm_info.max_vms VMs.
 * - -ENOMEM: no memory for the VM or its page tables.
 */
struct drm_refgpu_vm_create {
	/** @flags: MBZ: no flag is defined yet. [refgpu: in, mbz] */
	__u32 flags;

	/**
	 * @id: Out: the VM's id in this file. Must be zero on input.
	 * [refgpu: out, mbz, handle=vm:create]
	 */
	__u32 id;
};

/**
 * struct drm_refgpu_vm_destroy - Arguments passed to
 * DRM_IOCTL_REFGPU_VM_DESTROY
 *
 * Unmaps everything mapped in the VM (dropping its references on BOs) and
 * frees it; its id becomes free.
 *
 * Errors:
 *
 * - -EINVAL: @pad is not zero.
 * - -ENOENT: @id is not a VM of this file.
 */
struct drm_refgpu_vm_destroy {
	/** @id: The VM. [refgpu: in, handle=vm:destroy] */
	__u32 id;

	/** @pad: MBZ. [refgpu: pad] */
	__u32 pad;
};

/**
 * enum drm_refgpu_vm_bind_op_type - Value of &drm_refgpu_vm_bind_op.op
 */
enum drm_refgpu_vm_bind_op_type {
	/**
	 * @DRM_REFGPU_VM_BIND_OP_MAP: Map @size bytes of the BO from
	 * @bo_offset at @va. Whatever was mapped in [@va, @va + @size) is
	 * unmapped first; mappings that straddle an end keep their part
	 * outside the range.
	 */
	DRM_REFGPU_VM_BIND_OP_MAP = 0,

	/**
	 * @DRM_REFGPU_VM_BIND_OP_UNMAP: Unmap whatever is mapped in
	 * [@va, @va + @size), keeping the parts of straddling mappings outside
	 * the range. Unmapping a range where nothing is mapped succeeds.
	 */
	DRM_REFGPU_VM_BIND_OP_UNMAP = 1,
};

/**
 * enum drm_refgpu_vm_bind_op_flags - Bits of &drm_refgpu_vm_bind_op.flags
 *
 * Without flags a mapping can be read, written and executed by the GPU.
 */
enum drm_refgpu_vm_bind_op_flags {
	/** @DRM_REFGPU_VM_BIND_READ_ONLY: The GPU cannot write the mapping. */
	DRM_REFGPU_VM_BIND_READ_ONLY = 1 << 0,

	/** @DRM_REFGPU_VM_BIND_NO_EXEC: The GPU cannot execute from the mapping. */
	DRM_REFGPU_VM_BIND_NO_EXEC = 1 << 1,
};

/**
 * struct drm_refgpu_vm_bind_op - One operation of DRM_IOCTL_REFGPU_VM_BIND
 *
 * @va, @size and @bo_offset are multiples of &drm_refgpu_vm_info.page_size.
 */
struct drm_refgpu_vm_bind_op {
	/**
	 * @op: One of &enum drm_refgpu_vm_bind_op_type.
	 * [refgpu: in, enum=drm_refgpu_vm_bind_op_type]
	 */
	__u32 op;

	/**
	 * @flags: %DRM_REFGPU_VM_BIND_OP_MAP: a combination of
	 * &enum drm_refgpu_vm_bind_op_flags. %DRM_REFGPU_VM_BIND_OP_UNMAP: MBZ.
	 * [refgpu: in, flags=drm_refgpu_vm_bind_op_flags]
	 */
	__u32 flags;

	/**
	 * @bo_handle: %DRM_REFGPU_VM_BIND_OP_MAP: the BO to map.
	 * %DRM_REFGPU_VM_BIND_OP_UNMAP: MBZ. [refgpu: in, handle=gem]
	 */
	__u32 bo_handle;

	/** @pad: MBZ. [refgpu: pad] */
	__u32 pad;

	/**
	 * @bo_offset: %DRM_REFGPU_VM_BIND_OP_MAP: offset in the BO of the
	 * first byte mapped. %DRM_REFGPU_VM_BIND_OP_UNMAP: MBZ. [refgpu: in]
	 */
	__u64 bo_offset;

	/** @va: GPU virtual address of the range. [refgpu: in] */
	__u64 va;

	/** @size: Size of the range in bytes, not zero. [refgpu: in] */
	__u64 size;
};

/**
 * DRM_REFGPU_VM_BIND_OP_MIN_SIZE - Size of the first version of
 * &struct drm_refgpu_vm_bind_op: the smallest
 * &drm_refgpu_obj_array.stride DRM_IOCTL_REFGPU_VM_BIND accepts
 */
#define DRM_REFGPU_VM_BIND_OP_MIN_SIZE	40

/**
 * DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE - Largest &drm_refgpu_obj_array.stride
 * accepted
 */
#define DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE	4096

/**
 * struct drm_refgpu_vm_bind - Arguments passed to DRM_IOCTL_REFGPU_VM_BIND
 *
 * Applies @ops in array order, each seeing the result of the ones before
 * it, all or nothing: every operation is checked before any is applied,
 * and the first failing check (in array order, and for one operation in
 * the order of the list below) gives the error. A @ops.count of zero
 * succeeds and does nothing.
 *
 * Errors:
 *
 * - -EINVAL: @flags is not zero (no flag is defined yet).
 * - -ENOENT: @vm_id is not a VM of this file.
 * - -E2BIG: @ops.count is larger than &drm_refgpu_vm_info.max_bind_ops.
 * - -EINVAL: @ops.count is not zero and @ops.stride is smaller than
 *   %DRM_REFGPU_VM_BIND_OP_MIN_SIZE or larger than
 *   %DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE.
 * - Then, for each operation in turn:
 *
 *   - -E2BIG: bytes of the element past the &struct drm_refgpu_vm_bind_op
 *     the kernel knows are not zero.
 *   - -EINVAL: &drm_refgpu_vm_bind_op.op is unknown,
 *     &drm_refgpu_vm_bind_op.pad is not zero, or
 *     &drm_refgpu_vm_bind_op.flags has an unknown bit (any bit for an
 *     unmap); for an unmap, &drm_refgpu_vm_bind_op.bo_handle or
 *     &drm_refgpu_vm_bind_op.bo_offset is not zero.
 *   - -EINVAL: &drm_refgpu_vm_bind_op.va, &drm_refgpu_vm_bind_op.size or
 *     &drm_refgpu_vm_bind_op.bo_offset is not a multiple of the page
 *     size, the size is zero, or the range is not inside
 *     [&drm_refgpu_vm_info.user_va_start, &drm_refgpu_vm_info.user_va_end).
 *   - -ENOENT: for a map, &drm_refgpu_vm_bind_op.bo_handle is not a BO
 *     handle of this file.
 *   - -EINVAL: for a map, the range [bo_offset, bo_offset + size) is not
 *     inside the BO.
 *
 * - -ENOMEM: no memory for the mappings or the page tables.
 */
struct drm_refgpu_vm_bind {
	/** @vm_id: The VM. [refgpu: in, handle=vm] */
	__u32 vm_id;

	/** @flags: MBZ: no flag is defined yet. [refgpu: in, mbz] */
	__u32 flags;

	/**
	 * @ops: The operations: &struct drm_refgpu_vm_bind_op elements.
	 * [refgpu: in]
	 */
	struct drm_refgpu_obj_array ops;
};

/**
 * DRM_IOCTL_REFGPU() - Build a refgpu ioctl number
 * @__access: Access type. Must be R, W or RW.
 * @__id: One of the DRM_REFGPU_xxx id.
 * @__type: Suffix of the type being passed to the IOCTL.
 *
 * Don't use this macro directly, use the DRM_IOCTL_REFGPU_xxx
 * values instead.
 *
 * Return: An IOCTL number to be passed to ioctl() from userspace.
 */
#define DRM_IOCTL_REFGPU(__access, __id, __type) \
	DRM_IO ## __access(DRM_COMMAND_BASE + DRM_REFGPU_ ## __id, \
			   struct drm_refgpu_ ## __type)

#define DRM_IOCTL_REFGPU_DEV_QUERY \
	DRM_IOCTL_REFGPU(WR, DEV_QUERY, dev_query)
#define DRM_IOCTL_REFGPU_BO_CREATE \
	DRM_IOCTL_REFGPU(WR, BO_CREATE, bo_create)
#define DRM_IOCTL_REFGPU_BO_MMAP_OFFSET \
	DRM_IOCTL_REFGPU(WR, BO_MMAP_OFFSET, bo_mmap_offset)
#define DRM_IOCTL_REFGPU_VM_CREATE \
	DRM_IOCTL_REFGPU(WR, VM_CREATE, vm_create)
#define DRM_IOCTL_REFGPU_VM_DESTROY \
	DRM_IOCTL_REFGPU(WR, VM_DESTROY, vm_destroy)
#define DRM_IOCTL_REFGPU_VM_BIND \
	DRM_IOCTL_REFGPU(WR, VM_BIND, vm_bind)

#if defined(__cplusplus)
}
#endif

#endif /* _REFGPU_DRM_H_ */
