/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
#ifndef __REFGPU_CORE_H__
#define __REFGPU_CORE_H__

#include <linux/types.h>

struct device;

/* Implementation names, as given to refgpu.impl= */
#define REFGPU_IMPL_C	"c"
#define REFGPU_IMPL_CPP	"cpp"

/* Platform device name both implementations match. */
#define REFGPU_PLATFORM_NAME	"refgpu"

/*
 * What userspace sees of a refgpu DRM driver, shared by both
 * implementations so they cannot drift apart: features (GEM_GPUVA: GEM
 * objects keep the drm_gpuvm_bo list VM_BIND needs), name, version,
 * and each ioctl table entry with its flags (each implementation gives its
 * own handler).
 */
#define REFGPU_DRM_DRIVER_IDENTITY					\
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA | DRIVER_RENDER |	\
			   DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,		\
	.name = "refgpu",						\
	.desc = "refgpu reference GPU",					\
	.major = 1,							\
	.minor = 0

/*
 * The file operations, the same in both: the GEM ones plus fdinfo, whose
 * drm-client-id is the client= of the refgpu_as debugfs file.
 */
#define REFGPU_DRM_FOPS							\
	.owner = THIS_MODULE,						\
	DRM_GEM_FOPS,							\
	.show_fdinfo = drm_show_fdinfo

#define REFGPU_IOCTL_DEV_QUERY(handler) \
	DRM_IOCTL_DEF_DRV(REFGPU_DEV_QUERY, handler, DRM_RENDER_ALLOW)
#define REFGPU_IOCTL_BO_CREATE(handler) \
	DRM_IOCTL_DEF_DRV(REFGPU_BO_CREATE, handler, DRM_RENDER_ALLOW)
#define REFGPU_IOCTL_BO_MMAP_OFFSET(handler) \
	DRM_IOCTL_DEF_DRV(REFGPU_BO_MMAP_OFFSET, handler, DRM_RENDER_ALLOW)
#define REFGPU_IOCTL_VM_CREATE(handler) \
	DRM_IOCTL_DEF_DRV(REFGPU_VM_CREATE, handler, DRM_RENDER_ALLOW)
#define REFGPU_IOCTL_VM_DESTROY(handler) \
	DRM_IOCTL_DEF_DRV(REFGPU_VM_DESTROY, handler, DRM_RENDER_ALLOW)
#define REFGPU_IOCTL_VM_BIND(handler) \
	DRM_IOCTL_DEF_DRV(REFGPU_VM_BIND, handler, DRM_RENDER_ALLOW)

/*
 * The shmem-helper part of a refgpu GEM object's funcs (pinning, sg table,
 * vmap, page faults), the same in both implementations; each adds its own
 * .free and .mmap.
 */
#define REFGPU_GEM_SHMEM_FUNCS						\
	.print_info = drm_gem_shmem_object_print_info,			\
	.pin = drm_gem_shmem_object_pin,				\
	.unpin = drm_gem_shmem_object_unpin,				\
	.get_sg_table = drm_gem_shmem_object_get_sg_table,		\
	.vmap = drm_gem_shmem_object_vmap,				\
	.vunmap = drm_gem_shmem_object_vunmap,				\
	.vm_ops = &drm_gem_shmem_vm_ops

/* Number of ioctls: a table missing one fails a static_assert. */
#define REFGPU_NUM_IOCTLS	(DRM_REFGPU_VM_BIND + 1)

bool refgpu_impl_selected(struct device *dev, const char *impl);

#endif /* __REFGPU_CORE_H__ */
