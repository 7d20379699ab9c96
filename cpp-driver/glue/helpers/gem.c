// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: GEM objects. Copyright (C) 2026 The refgpu authors */

#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_vma_manager.h>

#include "refgpu_glue_internal.h"

static_assert(offsetof(struct refgpu_cpp_gem_object, base) == 0);

static struct refgpu_cpp_gem_object *to_cpp_gem(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct refgpu_cpp_gem_object, base);
}

/* Storage for a GEM object with @priv_size bytes for the C++ object after it. */
struct drm_gem_object *refgpu_cpp_gem_alloc(unsigned long priv_size, void **priv)
{
	struct refgpu_cpp_gem_object *go = kzalloc(sizeof(*go) + priv_size, GFP_KERNEL);

	if (!go)
		return NULL;
	go->base.base.funcs = &refgpu_cpp_gem_funcs;
	*priv = go->priv;
	return &go->base.base;
}

void *refgpu_cpp_gem_priv(struct drm_gem_object *obj)
{
	return to_cpp_gem(obj)->priv;
}

void refgpu_cpp_gem_shmem_free(struct drm_gem_object *obj)
{
	drm_gem_shmem_free(to_drm_gem_shmem_obj(obj));
}

int refgpu_cpp_gem_shmem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	return drm_gem_shmem_object_mmap(obj, vma);
}

int refgpu_cpp_gem_shmem_create(struct drm_device *drm, unsigned long size,
				struct drm_gem_object **obj)
{
	struct drm_gem_shmem_object *shmem = drm_gem_shmem_create(drm, size);

	if (IS_ERR(shmem))
		return PTR_ERR(shmem);
	*obj = &shmem->base;
	return 0;
}

unsigned long refgpu_cpp_gem_size(struct drm_gem_object *obj)
{
	return obj->size;
}

int refgpu_cpp_gem_handle_create(struct drm_file *file, struct drm_gem_object *obj,
				 unsigned int *handle)
{
	return drm_gem_handle_create(file, obj, handle);
}

struct drm_gem_object *refgpu_cpp_gem_lookup(struct drm_file *file, unsigned int handle)
{
	return drm_gem_object_lookup(file, handle);
}

void refgpu_cpp_gem_get(struct drm_gem_object *obj)
{
	drm_gem_object_get(obj);
}

void refgpu_cpp_gem_put(struct drm_gem_object *obj)
{
	drm_gem_object_put(obj);
}

int refgpu_cpp_gem_mmap_offset(struct drm_gem_object *obj, unsigned long long *offset)
{
	int ret = drm_gem_create_mmap_offset(obj);

	if (!ret)
		*offset = drm_vma_node_offset_addr(&obj->vma_node);
	return ret;
}

void *refgpu_cpp_err_ptr(int err)
{
	return ERR_PTR(err);
}

void refgpu_cpp_gem_gpuva_set_lock(struct drm_gem_object *obj, struct refgpu_cpp_mutex *lock)
{
	drm_gem_gpuva_set_lock(obj, &lock->lock);
}

int refgpu_cpp_gem_shmem_get_pages_sgt(struct drm_gem_object *obj, struct sg_table **sgt)
{
	struct sg_table *t = drm_gem_shmem_get_pages_sgt(to_drm_gem_shmem_obj(obj));

	if (IS_ERR(t))
		return PTR_ERR(t);
	*sgt = t;
	return 0;
}

struct scatterlist *refgpu_cpp_sgt_dma_first(struct sg_table *sgt, unsigned int *nents)
{
	*nents = sgt->nents;
	return sgt->sgl;
}

struct scatterlist *refgpu_cpp_sg_next(struct scatterlist *sg)
{
	return sg_next(sg);
}

unsigned long long refgpu_cpp_sg_dma_address(struct scatterlist *sg)
{
	return sg_dma_address(sg);
}

unsigned int refgpu_cpp_sg_dma_len(struct scatterlist *sg)
{
	return sg_dma_len(sg);
}
