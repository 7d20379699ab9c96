// SPDX-License-Identifier: GPL-2.0-only
/*
 * C++ glue helpers: drm_gpuvm. The drm_gpuvm and drm_gpuva structures are
 * embedded in C++ objects (storage sized by generated/kernel_layout.h,
 * checked here); the static const drm_gpuvm_ops decode each split/merge
 * step into plain values and hand it to the C++ entry points.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/dma-resv.h>

#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>

#include "refgpu_glue_internal.h"
#include "kernel_layout.h"

static_assert(sizeof(struct drm_gpuvm) == REFGPU_KL_GPUVM_SIZE);
static_assert(__alignof__(struct drm_gpuvm) == REFGPU_KL_GPUVM_ALIGN);
static_assert(sizeof(struct drm_gpuva) == REFGPU_KL_GPUVA_SIZE);
static_assert(__alignof__(struct drm_gpuva) == REFGPU_KL_GPUVA_ALIGN);
static_assert(offsetof(struct drm_gpuva, vm_bo) == REFGPU_KL_GPUVA_VM_BO_OFFSET);
static_assert(offsetof(struct drm_gpuva, va.addr) == REFGPU_KL_GPUVA_ADDR_OFFSET);
static_assert(offsetof(struct drm_gpuva, va.range) == REFGPU_KL_GPUVA_RANGE_OFFSET);
static_assert(offsetof(struct drm_gpuva, gem.offset) == REFGPU_KL_GPUVA_GEM_OFFSET_OFFSET);
static_assert(offsetof(struct drm_gpuva, gem.obj) == REFGPU_KL_GPUVA_GEM_OBJ_OFFSET);

static void refgpu_cpp_gpuva_range_of(struct refgpu_cpp_gpuva_range *r,
				      const struct drm_gpuva_op_map *map)
{
	r->addr = map->va.addr;
	r->range = map->va.range;
	r->offset = map->gem.offset;
	r->obj = map->gem.obj;
}

static int refgpu_cpp_gpuvm_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct refgpu_cpp_gpuva_range map;

	refgpu_cpp_gpuva_range_of(&map, &op->map);
	return refgpu_cpp_vm_step_map(priv, op, &map);
}

static int refgpu_cpp_gpuvm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct refgpu_cpp_gpuva_range prev, next;
	u64 start, range;

	if (op->remap.prev)
		refgpu_cpp_gpuva_range_of(&prev, op->remap.prev);
	if (op->remap.next)
		refgpu_cpp_gpuva_range_of(&next, op->remap.next);
	drm_gpuva_op_remap_to_unmap_range(&op->remap, &start, &range);
	return refgpu_cpp_vm_step_remap(priv, op, op->remap.unmap->va,
					op->remap.prev ? &prev : NULL,
					op->remap.next ? &next : NULL, start, range);
}

static int refgpu_cpp_gpuvm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	return refgpu_cpp_vm_step_unmap(priv, op, op->unmap.va);
}

static const struct drm_gpuvm_ops refgpu_cpp_gpuvm_ops = {
	.vm_free = refgpu_cpp_vm_free,
	.sm_step_map = refgpu_cpp_gpuvm_step_map,
	.sm_step_remap = refgpu_cpp_gpuvm_step_remap,
	.sm_step_unmap = refgpu_cpp_gpuvm_step_unmap,
};

struct drm_gem_object *refgpu_cpp_gpuvm_resv_object_alloc(struct drm_device *drm)
{
	return drm_gpuvm_resv_object_alloc(drm);
}

void refgpu_cpp_gpuvm_init(struct drm_gpuvm *gpuvm, const char *name, struct drm_device *drm,
			   struct drm_gem_object *r_obj, unsigned long long start,
			   unsigned long long range, unsigned long long reserve_start,
			   unsigned long long reserve_range)
{
	drm_gpuvm_init(gpuvm, name, 0, drm, r_obj, start, range, reserve_start, reserve_range,
		       &refgpu_cpp_gpuvm_ops);
}

void refgpu_cpp_gpuvm_get(struct drm_gpuvm *gpuvm)
{
	drm_gpuvm_get(gpuvm);
}

void refgpu_cpp_gpuvm_put(struct drm_gpuvm *gpuvm)
{
	drm_gpuvm_put(gpuvm);
}

void refgpu_cpp_gpuvm_resv_lock(struct drm_gpuvm *gpuvm)
{
	dma_resv_lock(drm_gpuvm_resv(gpuvm), NULL);
}

void refgpu_cpp_gpuvm_resv_unlock(struct drm_gpuvm *gpuvm)
{
	dma_resv_unlock(drm_gpuvm_resv(gpuvm));
}

int refgpu_cpp_gpuvm_sm_map(struct drm_gpuvm *gpuvm, void *priv, unsigned long long addr,
			    unsigned long long range, struct drm_gem_object *obj,
			    unsigned long long offset)
{
	return drm_gpuvm_sm_map(gpuvm, priv, addr, range, obj, offset);
}

int refgpu_cpp_gpuvm_sm_unmap(struct drm_gpuvm *gpuvm, void *priv, unsigned long long addr,
			      unsigned long long range)
{
	return drm_gpuvm_sm_unmap(gpuvm, priv, addr, range);
}

struct drm_gpuvm_bo *refgpu_cpp_gpuvm_bo_create(struct drm_gpuvm *gpuvm,
						struct drm_gem_object *obj)
{
	return drm_gpuvm_bo_create(gpuvm, obj);
}

struct drm_gpuvm_bo *refgpu_cpp_gpuvm_bo_obtain_prealloc(struct drm_gpuvm_bo *vm_bo)
{
	return drm_gpuvm_bo_obtain_prealloc(vm_bo);
}

void refgpu_cpp_gpuvm_bo_get(struct drm_gpuvm_bo *vm_bo)
{
	drm_gpuvm_bo_get(vm_bo);
}

void refgpu_cpp_gpuvm_bo_put(struct drm_gpuvm_bo *vm_bo)
{
	drm_gpuvm_bo_put(vm_bo);
}

struct drm_gem_object *refgpu_cpp_gpuvm_bo_obj(struct drm_gpuvm_bo *vm_bo)
{
	return vm_bo->obj;
}

void refgpu_cpp_gpuva_link(struct drm_gpuva *va, struct drm_gpuvm_bo *vm_bo)
{
	drm_gpuva_link(va, vm_bo);
}

void refgpu_cpp_gpuva_unlink(struct drm_gpuva *va)
{
	drm_gpuva_unlink(va);
}

void refgpu_cpp_gpuva_map(struct drm_gpuvm *gpuvm, struct drm_gpuva *va, struct drm_gpuva_op *op)
{
	drm_gpuva_map(gpuvm, va, &op->map);
}

void refgpu_cpp_gpuva_remap(struct drm_gpuva *prev, struct drm_gpuva *next,
			    struct drm_gpuva_op *op)
{
	drm_gpuva_remap(prev, next, &op->remap);
}

void refgpu_cpp_gpuva_unmap(struct drm_gpuva_op *op)
{
	drm_gpuva_unmap(&op->unmap);
}
