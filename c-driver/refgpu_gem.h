/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
#ifndef __REFGPU_GEM_H__
#define __REFGPU_GEM_H__

#include <linux/mutex.h>

#include <drm/drm_gem_shmem_helper.h>

struct drm_device;
struct drm_file;

/**
 * struct refgpu_gem_object - A refgpu buffer object
 * @base: The shmem GEM object; first member, freed by drm_gem_shmem_free().
 * @flags: DRM_REFGPU_BO_* flags given at creation.
 * @gpuva_lock: Protects the object's list of &drm_gpuvm_bo and their
 *	mappings (drm_gem_gpuva_set_lock()), in every VM it is mapped in.
 */
struct refgpu_gem_object {
	struct drm_gem_shmem_object base;
	u32 flags;
	struct mutex gpuva_lock; /* the gpuva list: see above */
};

static inline struct refgpu_gem_object *to_refgpu_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct refgpu_gem_object, base);
}

/*
 * Test-only planted bugs (module parameter debug_plant, docs/testing.md):
 * the self-tests of the IGT runner and the harness set one on one driver
 * and expect to see that driver, and only it, differ.
 */
#define REFGPU_DEBUG_PLANT_BO_SIZE0	BIT(0)	/* BO_CREATE accepts size 0 */

extern unsigned int refgpu_debug_plant;

struct drm_gem_object *refgpu_gem_create_object(struct drm_device *drm, size_t size);

int refgpu_ioctl_bo_create(struct drm_device *drm, void *data, struct drm_file *file);
int refgpu_ioctl_bo_mmap_offset(struct drm_device *drm, void *data, struct drm_file *file);

#endif /* __REFGPU_GEM_H__ */
