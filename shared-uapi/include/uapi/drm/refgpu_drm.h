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
};

/**
 * enum drm_refgpu_dev_query_type - Query type for DRM_IOCTL_REFGPU_DEV_QUERY
 */
enum drm_refgpu_dev_query_type {
	/** @DRM_REFGPU_DEV_QUERY_GPU_INFO: Query &struct drm_refgpu_gpu_info. */
	DRM_REFGPU_DEV_QUERY_GPU_INFO = 0,
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
 *   &drm_refgpu_gpu_info.max_bo_size).
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
	 * case=DRM_REFGPU_DEV_QUERY_GPU_INFO:drm_refgpu_gpu_info]
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

#if defined(__cplusplus)
}
#endif

#endif /* _REFGPU_DRM_H_ */
