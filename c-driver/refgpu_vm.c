// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu C driver: GPU virtual memory. A VM is a &drm_gpuvm (which tracks
 * the mappings and splits them) over the driver's own 4-level page tables.
 * VM_BIND is all or nothing: it checks every operation, preallocates all
 * that applying them can need, then applies them, which cannot fail.
 *
 * Locking, outermost first: &refgpu_vm.lock (serialises everything done to
 * one VM, page tables included), the VM's dma_resv (drm_gpuvm's), a BO's
 * &refgpu_gem_object.gpuva_lock (its list of mappings). A BO's own dma_resv
 * is only ever taken with none of the last two held: the last reference on
 * an unmapped BO is dropped after the VM's dma_resv is unlocked.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/cleanup.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_print.h>

#include "refgpu_device.h"
#include "refgpu_gem.h"
#include "refgpu_mmu.h"
#include "refgpu_regs.h"
#include "refgpu_vm.h"

/* Page-table geometry, from the register description's VA layout. */
#define REFGPU_PT_LEVELS	4
#define REFGPU_PT_LAST		(REFGPU_PT_LEVELS - 1)
#define REFGPU_PT_ENTRIES	(PAGE_SIZE / sizeof(__le64))

static_assert(REFGPU_VM_PAGE_SIZE == PAGE_SIZE);
static_assert(HWEIGHT64(REFGPU_VA_OFFSET) == PAGE_SHIFT);
static_assert(BIT(HWEIGHT64(REFGPU_VA_L3)) == REFGPU_PT_ENTRIES);
static_assert(REFGPU_VM_VA_END - 1 == (REFGPU_VA_L0 | REFGPU_VA_L1 | REFGPU_VA_L2 |
				       REFGPU_VA_L3 | REFGPU_VA_OFFSET));
static_assert(sizeof(struct drm_refgpu_vm_bind_op) == DRM_REFGPU_VM_BIND_OP_MIN_SIZE);
/* A range only has to be checked against the end of the user VA range. */
static_assert(REFGPU_VM_USER_VA_START == 0);

#define REFGPU_VM_BIND_MAP_FLAGS	(DRM_REFGPU_VM_BIND_READ_ONLY | DRM_REFGPU_VM_BIND_NO_EXEC)

/* Mappings a map operation can need (the new one, prev and next of a split). */
#define REFGPU_VM_MAP_VMAS	3
/* Mappings an unmap operation can need (prev and next of a split). */
#define REFGPU_VM_UNMAP_VMAS	2

/* What DEV_QUERY DRM_REFGPU_DEV_QUERY_VM_INFO returns. */
const struct drm_refgpu_vm_info refgpu_vm_info = {
	.user_va_start = REFGPU_VM_USER_VA_START,
	.user_va_end = REFGPU_VM_USER_VA_END,
	.page_size = REFGPU_VM_PAGE_SIZE,
	.max_vms = REFGPU_VM_MAX_VMS,
	.max_bind_ops = REFGPU_VM_MAX_BIND_OPS,
};

/**
 * struct refgpu_pt - One page table
 * @page: The table: %REFGPU_PT_ENTRIES little-endian entries.
 * @dma: Its DMA address, mapped for the table's whole life.
 * @child: Levels 0 to 2: the table each entry points at (the CPU's view of
 *	the entries, so no physical address is ever turned back into a page);
 *	NULL at level 3.
 * @node: In a bind's pool until used.
 */
struct refgpu_pt {
	struct page *page;
	dma_addr_t dma;
	struct refgpu_pt **child;
	struct list_head node;
};

/**
 * struct refgpu_vm - A GPU virtual address space
 * @base: The drm_gpuvm; its refcount is the VM's. References: the file's
 *	xarray (until VM_DESTROY or close), each ioctl using it, each
 *	&drm_gpuvm_bo.
 * @rdev: The device.
 * @lock: Serialises binds and destruction; protects the page tables, @as and
 *	@destroyed.
 * @root: Level-0 table.
 * @as: Address space, or %REFGPU_MMU_NO_AS.
 * @id: Id in its file.
 * @destroyed: Removed from its file and emptied: no bind may touch it.
 */
struct refgpu_vm {
	struct drm_gpuvm base;
	struct refgpu_device *rdev;
	struct mutex lock; /* see above */
	struct refgpu_pt *root;
	int as;
	u32 id;
	bool destroyed;
};

/**
 * struct refgpu_vma - A mapping
 * @base: The drm_gpuva.
 * @node: In a bind's pool before use, or on its list of removed mappings.
 */
struct refgpu_vma {
	struct drm_gpuva base;
	struct list_head node;
};

/**
 * struct refgpu_bind_op - One VM_BIND operation and what it holds
 * @uop: The operation as userspace gave it.
 * @obj: Map: the BO (a lookup reference).
 * @sgt: Map: the BO's pages (owned by the BO).
 * @vm_bo: Map: preallocated, then the VM/BO pair's &drm_gpuvm_bo (a
 *	reference).
 */
struct refgpu_bind_op {
	struct drm_refgpu_vm_bind_op uop;
	struct drm_gem_object *obj;
	struct sg_table *sgt;
	struct drm_gpuvm_bo *vm_bo;
};

/**
 * struct refgpu_bind - One VM_BIND call (or the emptying of a VM)
 * @vm: The VM.
 * @ops: The operations.
 * @count: Number of @ops.
 * @cur: The operation being applied.
 * @vmas: Preallocated mappings not used yet.
 * @removed: Mappings taken out, each still holding a &drm_gpuvm_bo reference.
 * @pts: Preallocated tables by level (1 to 3) not used yet.
 * @changed: An entry of the page tables changed.
 */
struct refgpu_bind {
	struct refgpu_vm *vm;
	struct refgpu_bind_op *ops;
	u32 count;
	struct refgpu_bind_op *cur;
	struct list_head vmas;
	struct list_head removed;
	struct list_head pts[REFGPU_PT_LEVELS];
	bool changed;
};

static struct refgpu_vm *to_refgpu_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct refgpu_vm, base);
}

static void refgpu_vm_put(struct refgpu_vm *vm)
{
	if (vm)
		drm_gpuvm_put(&vm->base);
}

DEFINE_FREE(refgpu_vm_put, struct refgpu_vm *, refgpu_vm_put(_T))

/* The VA bits that index each level's table. */
static const u64 refgpu_pt_va_field[REFGPU_PT_LEVELS] = {
	REFGPU_VA_L0, REFGPU_VA_L1, REFGPU_VA_L2, REFGPU_VA_L3,
};

/* log2 of the VA span one entry of a level-@level table covers. */
static unsigned int refgpu_pt_entry_shift(unsigned int level)
{
	return __ffs64(refgpu_pt_va_field[level]);
}

/* Index of @va's entry in its level-@level table. */
static unsigned int refgpu_pt_index(u64 va, unsigned int level)
{
	return (va & refgpu_pt_va_field[level]) >> refgpu_pt_entry_shift(level);
}

static __le64 *refgpu_pt_entries(struct refgpu_pt *pt)
{
	return page_address(pt->page);
}

/* Make entries [first, first + count) of @pt visible to the GPU. */
static void refgpu_pt_sync(struct refgpu_vm *vm, struct refgpu_pt *pt, unsigned int first,
			   unsigned int count)
{
	dma_sync_single_range_for_device(vm->rdev->base.dev, pt->dma, first * sizeof(__le64),
					 count * sizeof(__le64), DMA_TO_DEVICE);
}

/* Free @pt and every table below it. */
static void refgpu_pt_free(struct refgpu_device *rdev, struct refgpu_pt *pt)
{
	unsigned int i;

	if (pt->child) {
		for (i = 0; i < REFGPU_PT_ENTRIES; i++)
			if (pt->child[i])
				refgpu_pt_free(rdev, pt->child[i]);
		kfree(pt->child);
	}
	dma_unmap_page(rdev->base.dev, pt->dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	__free_page(pt->page);
	kfree(pt);
}

/* An empty (all entries invalid) level-@level table, mapped for the GPU. */
static struct refgpu_pt *refgpu_pt_alloc(struct refgpu_device *rdev, unsigned int level)
{
	struct device *dev = rdev->base.dev;
	struct refgpu_pt *pt;

	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return NULL;

	if (level < REFGPU_PT_LAST) {
		pt->child = kcalloc(REFGPU_PT_ENTRIES, sizeof(*pt->child), GFP_KERNEL);
		if (!pt->child)
			goto err_free_pt;
	}

	pt->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!pt->page)
		goto err_free_child;

	pt->dma = dma_map_page(dev, pt->page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, pt->dma))
		goto err_free_page;
	return pt;

err_free_page:
	__free_page(pt->page);
err_free_child:
	kfree(pt->child);
err_free_pt:
	kfree(pt);
	return NULL;
}

/*
 * Add to @missing[l] the number of level-l tables that [@first, @last] needs
 * and that do not exist below @pt, a level-@level table covering the range.
 */
static void refgpu_pt_count_missing(const struct refgpu_pt *pt, unsigned int level,
				    u64 first, u64 last, unsigned long *missing)
{
	u64 span_mask = BIT_ULL(refgpu_pt_entry_shift(level)) - 1;
	u64 a = first;

	while (a <= last) {
		u64 entry_last = min(last, a | span_mask);
		const struct refgpu_pt *child = pt->child[refgpu_pt_index(a, level)];
		unsigned int l;

		if (child) {
			if (level + 1 < REFGPU_PT_LAST)
				refgpu_pt_count_missing(child, level + 1, a, entry_last, missing);
		} else {
			/* A level-l table covers one entry of level l - 1. */
			for (l = level + 1; l < REFGPU_PT_LEVELS; l++) {
				unsigned int shift = refgpu_pt_entry_shift(l - 1);

				missing[l] += (entry_last >> shift) - (a >> shift) + 1;
			}
		}
		a = entry_last + 1;
	}
}

/*
 * The level-3 table covering @va. With @create, missing tables are taken
 * from the bind's pool (which holds enough) and linked in; without, NULL
 * when there is none.
 */
static struct refgpu_pt *refgpu_vm_walk(struct refgpu_bind *bind, u64 va, bool create)
{
	struct refgpu_vm *vm = bind->vm;
	struct refgpu_pt *pt = vm->root;
	unsigned int level;

	for (level = 0; level < REFGPU_PT_LAST; level++) {
		unsigned int idx = refgpu_pt_index(va, level);
		struct refgpu_pt *child = pt->child[idx];

		if (!child) {
			if (!create)
				return NULL;
			child = list_first_entry_or_null(&bind->pts[level + 1], struct refgpu_pt,
							 node);
			if (drm_WARN_ON(&vm->rdev->base, !child))
				return NULL;
			list_del(&child->node);
			pt->child[idx] = child;
			refgpu_pt_entries(pt)[idx] =
				cpu_to_le64((child->dma & REFGPU_PDE_ADDR) | REFGPU_PDE_VALID);
			refgpu_pt_sync(vm, pt, idx, 1);
			bind->changed = true;
		}
		pt = child;
	}
	return pt;
}

/* The page entry of the page at @dma, with the permissions of the map @flags. */
static u64 refgpu_pte(dma_addr_t dma, u32 flags)
{
	u64 pte = (dma & REFGPU_PTE_ADDR) | REFGPU_PTE_VALID | REFGPU_PTE_READ;

	if (!(flags & DRM_REFGPU_VM_BIND_READ_ONLY))
		pte |= REFGPU_PTE_WRITE;
	if (!(flags & DRM_REFGPU_VM_BIND_NO_EXEC))
		pte |= REFGPU_PTE_EXEC;
	return pte;
}

/*
 * Point the pages of [@va, @va + @size) at @sgt from @offset, with the
 * permissions of the map @flags.
 */
static void refgpu_vm_write_ptes(struct refgpu_bind *bind, u64 va, u64 size,
				 struct sg_table *sgt, u64 offset, u32 flags)
{
	struct refgpu_pt *pt = NULL;
	struct sg_dma_page_iter it;
	unsigned int first = 0, idx = 0;
	u64 end = va + size;

	for_each_sgtable_dma_page(sgt, &it, offset >> PAGE_SHIFT) {
		if (va >= end)
			break;
		idx = refgpu_pt_index(va, REFGPU_PT_LAST);
		if (!pt || !idx) {
			if (pt)
				refgpu_pt_sync(bind->vm, pt, first, REFGPU_PT_ENTRIES - first);
			pt = refgpu_vm_walk(bind, va, true);
			if (!pt)
				return;
			first = idx;
		}
		refgpu_pt_entries(pt)[idx] = cpu_to_le64(refgpu_pte(sg_page_iter_dma_address(&it),
								    flags));
		va += PAGE_SIZE;
	}
	if (pt)
		refgpu_pt_sync(bind->vm, pt, first, idx + 1 - first);
	bind->changed = true;
}

/* Invalidate the page entries of [@va, @va + @size); tables stay. */
static void refgpu_vm_clear_ptes(struct refgpu_bind *bind, u64 va, u64 size)
{
	u64 block = BIT_ULL(refgpu_pt_entry_shift(REFGPU_PT_LAST - 1));
	u64 end = va + size;

	while (va < end) {
		u64 next = min(end, round_down(va, block) + block);
		struct refgpu_pt *pt = refgpu_vm_walk(bind, va, false);

		if (pt) {
			unsigned int first = refgpu_pt_index(va, REFGPU_PT_LAST);
			unsigned int count = (next - va) >> PAGE_SHIFT;

			memset(&refgpu_pt_entries(pt)[first], 0, count * sizeof(__le64));
			refgpu_pt_sync(bind->vm, pt, first, count);
			bind->changed = true;
		}
		va = next;
	}
}

static struct refgpu_vma *refgpu_bind_take_vma(struct refgpu_bind *bind)
{
	struct refgpu_vma *vma = list_first_entry(&bind->vmas, struct refgpu_vma, node);

	list_del_init(&vma->node);
	return vma;
}

static void refgpu_vma_link(struct refgpu_vma *vma, struct drm_gpuvm_bo *vm_bo)
{
	guard(mutex)(&to_refgpu_bo(vm_bo->obj)->gpuva_lock);
	drm_gpuva_link(&vma->base, vm_bo);
}

/*
 * Unlink a mapping taken out of the VM. It keeps a reference on its
 * &drm_gpuvm_bo (which may hold the last one on the BO) until
 * refgpu_bind_fini(), when no dma_resv is held.
 */
static void refgpu_vma_unlink(struct refgpu_bind *bind, struct refgpu_vma *vma)
{
	struct drm_gpuvm_bo *vm_bo = drm_gpuvm_bo_get(vma->base.vm_bo);

	scoped_guard(mutex, &to_refgpu_bo(vm_bo->obj)->gpuva_lock)
		drm_gpuva_unlink(&vma->base);
	vma->base.vm_bo = vm_bo;
	list_add_tail(&vma->node, &bind->removed);
}

/* Drop a &drm_gpuvm_bo reference; the last one may free the BO. */
static void refgpu_vm_bo_put(struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gem_object *obj = vm_bo->obj;

	/* Keep the BO, and so its lock, alive until the lock is released. */
	drm_gem_object_get(obj);
	scoped_guard(mutex, &to_refgpu_bo(obj)->gpuva_lock)
		drm_gpuvm_bo_put(vm_bo);
	drm_gem_object_put(obj);
}

static int refgpu_vm_sm_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct refgpu_bind *bind = priv;
	struct refgpu_bind_op *bop = bind->cur;
	struct refgpu_vma *vma = refgpu_bind_take_vma(bind);

	refgpu_vm_write_ptes(bind, op->map.va.addr, op->map.va.range, bop->sgt,
			     op->map.gem.offset, bop->uop.flags);
	drm_gpuva_map(&bind->vm->base, &vma->base, &op->map);
	refgpu_vma_link(vma, bop->vm_bo);
	return 0;
}

static int refgpu_vm_sm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct refgpu_bind *bind = priv;
	struct drm_gpuva_op_remap *remap = &op->remap;
	struct refgpu_vma *old = container_of(remap->unmap->va, struct refgpu_vma, base);
	struct drm_gpuvm_bo *vm_bo = old->base.vm_bo;
	struct refgpu_vma *prev = remap->prev ? refgpu_bind_take_vma(bind) : NULL;
	struct refgpu_vma *next = remap->next ? refgpu_bind_take_vma(bind) : NULL;
	u64 start, range;

	/* The kept parts keep their page entries. */
	drm_gpuva_op_remap_to_unmap_range(remap, &start, &range);
	refgpu_vm_clear_ptes(bind, start, range);

	drm_gpuva_remap(prev ? &prev->base : NULL, next ? &next->base : NULL, remap);
	if (prev)
		refgpu_vma_link(prev, vm_bo);
	if (next)
		refgpu_vma_link(next, vm_bo);
	refgpu_vma_unlink(bind, old);
	return 0;
}

static int refgpu_vm_sm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct refgpu_bind *bind = priv;
	struct refgpu_vma *vma = container_of(op->unmap.va, struct refgpu_vma, base);

	refgpu_vm_clear_ptes(bind, vma->base.va.addr, vma->base.va.range);
	drm_gpuva_unmap(&op->unmap);
	refgpu_vma_unlink(bind, vma);
	return 0;
}

/* The last reference is gone; drm_gpuvm has finalised itself already. */
static void refgpu_vm_free(struct drm_gpuvm *gpuvm)
{
	struct refgpu_vm *vm = to_refgpu_vm(gpuvm);

	drm_WARN_ON(&vm->rdev->base, vm->as != REFGPU_MMU_NO_AS);
	refgpu_pt_free(vm->rdev, vm->root);
	mutex_destroy(&vm->lock);
	kfree(vm);
}

static const struct drm_gpuvm_ops refgpu_gpuvm_ops = {
	.vm_free = refgpu_vm_free,
	.sm_step_map = refgpu_vm_sm_step_map,
	.sm_step_remap = refgpu_vm_sm_step_remap,
	.sm_step_unmap = refgpu_vm_sm_step_unmap,
};

static void refgpu_bind_init(struct refgpu_bind *bind, struct refgpu_vm *vm)
{
	unsigned int l;

	*bind = (struct refgpu_bind) { .vm = vm };
	INIT_LIST_HEAD(&bind->vmas);
	INIT_LIST_HEAD(&bind->removed);
	for (l = 0; l < REFGPU_PT_LEVELS; l++)
		INIT_LIST_HEAD(&bind->pts[l]);
}

/* Release everything a bind holds: what it took out, its refs, its unused pool. */
static void refgpu_bind_fini(struct refgpu_bind *bind)
{
	struct refgpu_vma *vma, *vma_tmp;
	struct refgpu_pt *pt, *pt_tmp;
	unsigned int i, l;

	list_for_each_entry_safe(vma, vma_tmp, &bind->removed, node) {
		refgpu_vm_bo_put(vma->base.vm_bo);
		kfree(vma);
	}
	for (i = 0; i < bind->count; i++) {
		struct refgpu_bind_op *bop = &bind->ops[i];

		if (bop->vm_bo)
			refgpu_vm_bo_put(bop->vm_bo);
		if (bop->obj)
			drm_gem_object_put(bop->obj);
	}
	kvfree(bind->ops);

	list_for_each_entry_safe(vma, vma_tmp, &bind->vmas, node)
		kfree(vma);
	for (l = 0; l < REFGPU_PT_LEVELS; l++)
		list_for_each_entry_safe(pt, pt_tmp, &bind->pts[l], node)
			refgpu_pt_free(bind->vm->rdev, pt);
}

/* The checks of one operation, in the UAPI's order; no side effect but @bop->obj. */
static int refgpu_bind_check_op(struct drm_file *file, struct refgpu_bind_op *bop)
{
	const struct drm_refgpu_vm_bind_op *op = &bop->uop;
	u64 end;

	switch (op->op) {
	case DRM_REFGPU_VM_BIND_OP_MAP:
		if (op->flags & ~REFGPU_VM_BIND_MAP_FLAGS)
			return -EINVAL;
		break;
	case DRM_REFGPU_VM_BIND_OP_UNMAP:
		if (op->flags || op->bo_handle || op->bo_offset)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (op->pad)
		return -EINVAL;

	if (!IS_ALIGNED(op->va | op->size | op->bo_offset, REFGPU_VM_PAGE_SIZE) || !op->size ||
	    check_add_overflow(op->va, op->size, &end) || end > REFGPU_VM_USER_VA_END)
		return -EINVAL;

	if (op->op != DRM_REFGPU_VM_BIND_OP_MAP)
		return 0;

	bop->obj = drm_gem_object_lookup(file, op->bo_handle);
	if (!bop->obj)
		return -ENOENT;
	if (op->bo_offset > bop->obj->size || op->size > bop->obj->size - op->bo_offset)
		return -EINVAL;
	return 0;
}

/* Copy the operations in and check each in turn (UAPI order). */
static int refgpu_bind_copy_check(struct refgpu_bind *bind, struct drm_file *file,
				  const struct drm_refgpu_obj_array *ops)
{
	const void __user *array = u64_to_user_ptr(ops->array);
	unsigned int i;
	int ret;

	bind->ops = kvcalloc(ops->count, sizeof(*bind->ops), GFP_KERNEL);
	if (!bind->ops)
		return -ENOMEM;
	bind->count = ops->count;

	for (i = 0; i < ops->count; i++) {
		struct refgpu_bind_op *bop = &bind->ops[i];

		ret = copy_struct_from_user(&bop->uop, sizeof(bop->uop),
					    array + (size_t)i * ops->stride, ops->stride);
		if (ret)
			return ret;
		ret = refgpu_bind_check_op(file, bop);
		if (ret)
			return ret;
	}
	return 0;
}

/* Allocate everything applying the operations can need. */
static int refgpu_bind_prealloc(struct refgpu_bind *bind)
{
	struct refgpu_vm *vm = bind->vm;
	unsigned long missing[REFGPU_PT_LEVELS] = {};
	unsigned long nvmas = 0, n;
	unsigned int i, l;

	for (i = 0; i < bind->count; i++) {
		struct refgpu_bind_op *bop = &bind->ops[i];
		struct sg_table *sgt;

		if (bop->uop.op != DRM_REFGPU_VM_BIND_OP_MAP) {
			nvmas += REFGPU_VM_UNMAP_VMAS;
			continue;
		}
		nvmas += REFGPU_VM_MAP_VMAS;

		sgt = drm_gem_shmem_get_pages_sgt(to_drm_gem_shmem_obj(bop->obj));
		if (IS_ERR(sgt))
			return PTR_ERR(sgt);
		bop->sgt = sgt;

		bop->vm_bo = drm_gpuvm_bo_create(&vm->base, bop->obj);
		if (!bop->vm_bo)
			return -ENOMEM;

		refgpu_pt_count_missing(vm->root, 0, bop->uop.va,
					bop->uop.va + bop->uop.size - 1, missing);
	}

	for (n = 0; n < nvmas; n++) {
		struct refgpu_vma *vma = kzalloc(sizeof(*vma), GFP_KERNEL);

		if (!vma)
			return -ENOMEM;
		list_add(&vma->node, &bind->vmas);
	}

	for (l = 1; l < REFGPU_PT_LEVELS; l++) {
		for (n = 0; n < missing[l]; n++) {
			struct refgpu_pt *pt = refgpu_pt_alloc(vm->rdev, l);

			if (!pt)
				return -ENOMEM;
			list_add(&pt->node, &bind->pts[l]);
		}
	}
	return 0;
}

/* Apply every operation; cannot fail. The VM's lock is held. */
static void refgpu_bind_apply(struct refgpu_bind *bind)
{
	struct refgpu_vm *vm = bind->vm;
	struct dma_resv *resv = drm_gpuvm_resv(&vm->base);
	unsigned int i;
	int ret;

	dma_resv_lock(resv, NULL);
	for (i = 0; i < bind->count; i++) {
		struct refgpu_bind_op *bop = &bind->ops[i];
		const struct drm_refgpu_vm_bind_op *op = &bop->uop;

		bind->cur = bop;
		if (op->op == DRM_REFGPU_VM_BIND_OP_MAP) {
			scoped_guard(mutex, &to_refgpu_bo(bop->obj)->gpuva_lock)
				bop->vm_bo = drm_gpuvm_bo_obtain_prealloc(bop->vm_bo);
			drm_gpuvm_bo_extobj_add(bop->vm_bo);
			ret = drm_gpuvm_sm_map(&vm->base, bind, op->va, op->size, bop->obj,
					       op->bo_offset);
		} else {
			ret = drm_gpuvm_sm_unmap(&vm->base, bind, op->va, op->size);
		}
		drm_WARN_ON(&vm->rdev->base, ret);
	}
	/* Before any unmapped page can be freed: the BOs go in refgpu_bind_fini(). */
	if (bind->changed)
		refgpu_as_flush(vm->rdev, vm->as);
	dma_resv_unlock(resv);
}

/**
 * refgpu_ioctl_vm_bind() - DRM_IOCTL_REFGPU_VM_BIND handler
 * @drm: The DRM device.
 * @data: &struct drm_refgpu_vm_bind.
 * @file: The DRM file owning the VM and the BOs.
 *
 * Return: 0 on success, a negative errno as documented in refgpu_drm.h.
 */
int refgpu_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct refgpu_file *rfile = file->driver_priv;
	struct drm_refgpu_vm_bind *args = data;
	struct refgpu_vm *vm __free(refgpu_vm_put) = NULL;
	struct refgpu_bind bind;
	int ret;

	if (args->flags)
		return -EINVAL;

	xa_lock(&rfile->vms);
	vm = xa_load(&rfile->vms, args->vm_id);
	if (vm)
		drm_gpuvm_get(&vm->base);
	xa_unlock(&rfile->vms);
	if (!vm)
		return -ENOENT;

	guard(mutex)(&vm->lock);
	/* Lost a race with VM_DESTROY: as if the lookup had failed. */
	if (vm->destroyed)
		return -ENOENT;

	if (args->ops.count > REFGPU_VM_MAX_BIND_OPS)
		return -E2BIG;
	if (!args->ops.count)
		return 0;
	if (args->ops.stride < DRM_REFGPU_VM_BIND_OP_MIN_SIZE ||
	    args->ops.stride > DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE)
		return -EINVAL;

	refgpu_bind_init(&bind, vm);
	ret = refgpu_bind_copy_check(&bind, file, &args->ops);
	if (!ret)
		ret = refgpu_bind_prealloc(&bind);
	if (!ret)
		refgpu_bind_apply(&bind);
	refgpu_bind_fini(&bind);
	return ret;
}

/*
 * Empty @vm and drop its file's reference. Its AS is disabled first, so the
 * GPU stops using the tables before anything is unmapped or freed.
 */
static void refgpu_vm_destroy(struct refgpu_vm *vm)
{
	struct dma_resv *resv = drm_gpuvm_resv(&vm->base);
	struct refgpu_bind bind;

	scoped_guard(mutex, &vm->lock) {
		vm->destroyed = true;
		refgpu_as_release(vm->rdev, vm->as);
		vm->as = REFGPU_MMU_NO_AS;

		refgpu_bind_init(&bind, vm);
		dma_resv_lock(resv, NULL);
		drm_gpuvm_sm_unmap(&vm->base, &bind, REFGPU_VM_USER_VA_START,
				   REFGPU_VM_USER_VA_END - REFGPU_VM_USER_VA_START);
		dma_resv_unlock(resv);
		refgpu_bind_fini(&bind);
	}
	drm_gpuvm_put(&vm->base);
}

static struct refgpu_vm *refgpu_vm_create(struct refgpu_device *rdev, u32 id, u64 client_id)
{
	struct refgpu_vm *vm;
	struct drm_gem_object *r_obj;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);

	vm->root = refgpu_pt_alloc(rdev, 0);
	if (!vm->root)
		goto err_free_vm;

	r_obj = drm_gpuvm_resv_object_alloc(&rdev->base);
	if (!r_obj)
		goto err_free_root;

	vm->rdev = rdev;
	vm->id = id;
	mutex_init(&vm->lock);
	drm_gpuvm_init(&vm->base, "refgpu-vm", 0, &rdev->base, r_obj, 0, REFGPU_VM_VA_END,
		       REFGPU_VM_USER_VA_END, REFGPU_VM_VA_END - REFGPU_VM_USER_VA_END,
		       &refgpu_gpuvm_ops);
	/* drm_gpuvm_init() took its own reference. */
	drm_gem_object_put(r_obj);

	vm->as = refgpu_as_assign(rdev, client_id, id, vm->root->dma);
	return vm;

err_free_root:
	refgpu_pt_free(rdev, vm->root);
err_free_vm:
	kfree(vm);
	return ERR_PTR(-ENOMEM);
}

/**
 * refgpu_ioctl_vm_create() - DRM_IOCTL_REFGPU_VM_CREATE handler
 * @drm: The DRM device.
 * @data: &struct drm_refgpu_vm_create.
 * @file: The DRM file the VM is created in.
 *
 * The id is reserved first (so a full file gives -ENOSPC whatever the
 * memory) and published only once the VM is complete.
 *
 * Return: 0 on success, a negative errno as documented in refgpu_drm.h.
 */
int refgpu_ioctl_vm_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct refgpu_file *rfile = file->driver_priv;
	struct drm_refgpu_vm_create *args = data;
	struct refgpu_vm *vm;
	u32 id;
	int ret;

	if (args->flags || args->id)
		return -EINVAL;

	ret = xa_alloc(&rfile->vms, &id, NULL, XA_LIMIT(1, REFGPU_VM_MAX_VMS), GFP_KERNEL);
	if (ret)
		return ret == -EBUSY ? -ENOSPC : ret;

	vm = refgpu_vm_create(to_refgpu_device(drm), id, file->client_id);
	if (IS_ERR(vm)) {
		xa_erase(&rfile->vms, id);
		return PTR_ERR(vm);
	}

	/* Replaces the reserved entry: no allocation, cannot fail. */
	xa_store(&rfile->vms, id, vm, GFP_KERNEL);
	args->id = id;
	return 0;
}

/**
 * refgpu_ioctl_vm_destroy() - DRM_IOCTL_REFGPU_VM_DESTROY handler
 * @drm: The DRM device.
 * @data: &struct drm_refgpu_vm_destroy.
 * @file: The DRM file owning the VM.
 *
 * Removes the VM from the file first (its id is free and no other ioctl
 * finds it), then empties it; a bind holding a reference finishes first.
 *
 * Return: 0 on success, a negative errno as documented in refgpu_drm.h.
 */
int refgpu_ioctl_vm_destroy(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct refgpu_file *rfile = file->driver_priv;
	struct drm_refgpu_vm_destroy *args = data;
	struct refgpu_vm *vm;

	if (args->pad)
		return -EINVAL;

	/* Not an id being created: those are reserved (NULL) entries. */
	xa_lock(&rfile->vms);
	vm = xa_load(&rfile->vms, args->id);
	if (vm)
		__xa_erase(&rfile->vms, args->id);
	xa_unlock(&rfile->vms);
	if (!vm)
		return -ENOENT;

	refgpu_vm_destroy(vm);
	return 0;
}

/**
 * refgpu_vm_file_open() - &drm_driver.open hook
 * @drm: The DRM device.
 * @file: The new DRM file.
 *
 * Return: 0 on success, -ENOMEM.
 */
int refgpu_vm_file_open(struct drm_device *drm, struct drm_file *file)
{
	struct refgpu_file *rfile;

	rfile = kzalloc(sizeof(*rfile), GFP_KERNEL);
	if (!rfile)
		return -ENOMEM;

	xa_init_flags(&rfile->vms, XA_FLAGS_ALLOC1);
	file->driver_priv = rfile;
	return 0;
}

/**
 * refgpu_vm_file_close() - &drm_driver.postclose hook
 * @drm: The DRM device.
 * @file: The DRM file, closed: no ioctl runs on it any more.
 *
 * Destroys the file's VMs; works without touching the hardware after the
 * device is gone.
 */
void refgpu_vm_file_close(struct drm_device *drm, struct drm_file *file)
{
	struct refgpu_file *rfile = file->driver_priv;
	struct refgpu_vm *vm;
	unsigned long id;

	xa_for_each(&rfile->vms, id, vm)
		refgpu_vm_destroy(vm);
	xa_destroy(&rfile->vms);
	kfree(rfile);
}

#if IS_ENABLED(CONFIG_DRM_REFGPU_C_KUNIT_TEST)
#include "tests/refgpu_vm_test.c"
#endif
