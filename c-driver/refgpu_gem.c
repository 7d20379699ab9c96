// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu C driver: buffer objects (shmem backed GEM objects).
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/err.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "refgpu_core.h"
#include "refgpu_device.h"
#include "refgpu_gem.h"

#define REFGPU_BO_FLAGS		DRM_REFGPU_BO_NO_MMAP

static_assert(offsetof(struct refgpu_gem_object, base) == 0);

unsigned int refgpu_debug_plant;
module_param_named(debug_plant, refgpu_debug_plant, uint, 0644);
MODULE_PARM_DESC(debug_plant, "test only: planted bugs, a bit each (docs/testing.md); 0 = none");

static void refgpu_gem_free(struct drm_gem_object *obj)
{
	struct refgpu_gem_object *bo = to_refgpu_bo(obj);

	mutex_destroy(&bo->gpuva_lock);
	drm_gem_shmem_free(&bo->base);
}

static int refgpu_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (to_refgpu_bo(obj)->flags & DRM_REFGPU_BO_NO_MMAP)
		return -EPERM;

	return drm_gem_shmem_object_mmap(obj, vma);
}

static const struct drm_gem_object_funcs refgpu_gem_funcs = {
	.free = refgpu_gem_free,
	REFGPU_GEM_SHMEM_FUNCS,
	.mmap = refgpu_gem_mmap,
};

/**
 * refgpu_gem_create_object() - &drm_driver.gem_create_object hook
 * @drm: The DRM device.
 * @size: Size of the object, page aligned.
 *
 * Allocates a &struct refgpu_gem_object for the shmem helpers to initialise.
 *
 * Return: The embedded GEM object, or an ERR_PTR.
 */
struct drm_gem_object *refgpu_gem_create_object(struct drm_device *drm, size_t size)
{
	struct refgpu_gem_object *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	bo->base.base.funcs = &refgpu_gem_funcs;
	mutex_init(&bo->gpuva_lock);
	drm_gem_gpuva_set_lock(&bo->base.base, &bo->gpuva_lock);
	return &bo->base.base;
}

/**
 * refgpu_ioctl_bo_create() - DRM_IOCTL_REFGPU_BO_CREATE handler
 * @drm: The DRM device.
 * @data: &struct drm_refgpu_bo_create.
 * @file: The DRM file the handle is created in.
 *
 * Return: 0 on success, a negative errno as documented in refgpu_drm.h.
 */
int refgpu_ioctl_bo_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_refgpu_bo_create *args = data;
	struct drm_gem_shmem_object *shmem;
	u32 handle;
	int ret;

	if (!args->size && (READ_ONCE(refgpu_debug_plant) & REFGPU_DEBUG_PLANT_BO_SIZE0))
		args->size = PAGE_SIZE;
	if (!args->size || (args->flags & ~REFGPU_BO_FLAGS) || args->handle)
		return -EINVAL;
	if (args->size > REFGPU_MAX_BO_SIZE)
		return -E2BIG;

	shmem = drm_gem_shmem_create(drm, args->size);
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);
	to_refgpu_bo(&shmem->base)->flags = args->flags;

	ret = drm_gem_handle_create(file, &shmem->base, &handle);
	/*
	 * Read the object while our reference pins it: once published, the
	 * handle can be closed by another thread at any time.
	 */
	if (!ret) {
		args->size = shmem->base.size;
		args->handle = handle;
	}
	/* On success the handle holds a reference; on failure this frees. */
	drm_gem_object_put(&shmem->base);
	return ret;
}

/**
 * refgpu_ioctl_bo_mmap_offset() - DRM_IOCTL_REFGPU_BO_MMAP_OFFSET handler
 * @drm: The DRM device.
 * @data: &struct drm_refgpu_bo_mmap_offset.
 * @file: The DRM file owning the handle.
 *
 * Return: 0 on success, a negative errno as documented in refgpu_drm.h.
 */
int refgpu_ioctl_bo_mmap_offset(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_refgpu_bo_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	if (to_refgpu_bo(obj)->flags & DRM_REFGPU_BO_NO_MMAP) {
		ret = -EPERM;
		goto out;
	}

	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);
out:
	drm_gem_object_put(obj);
	return ret;
}
