/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
/*
 * The C ABI between the C glue (glue/, C, may include kernel headers) and
 * the C++ side (kernel/ abstractions and the driver, C++, may not). This
 * header is included by both, so it includes nothing and names kernel
 * structures only as opaque types.
 *
 * Two kinds of declarations live here:
 * - helpers: C functions wrapping kernel inline functions and macros, one
 *   helpers/<subsystem>.c file each (like rust/helpers/);
 * - entry points: functions the C++ driver defines with C linkage, which the
 *   glue's static driver structures point at.
 */
#ifndef __REFGPU_GLUE_H__
#define __REFGPU_GLUE_H__

#ifdef __cplusplus
extern "C" {
#endif

struct device;
struct drm_device;
struct drm_file;
struct drm_gem_object;
struct vm_area_struct;
struct platform_device;
struct page;
struct refgpu_cpp_completion;
struct refgpu_cpp_spinlock;
struct refgpu_cpp_mutex;
struct refgpu_cpp_xarray;
struct drm_gpuvm;
struct drm_gpuva;
struct drm_gpuva_op;
struct drm_gpuvm_bo;
struct scatterlist;
struct seq_file;
struct sg_table;
struct kunit;

/* The kernel's PAGE_SIZE (checked by the glue at build time). */
#define REFGPU_CPP_PAGE_SIZE	4096UL

/* Alignment of the C++ object that trails each glue container. */
#define REFGPU_CPP_PRIV_ALIGN	16

/* Allocation flags the C++ side may ask for. */
enum refgpu_cpp_gfp {
	REFGPU_CPP_GFP_KERNEL,
	REFGPU_CPP_GFP_ATOMIC,
	REFGPU_CPP_GFP_KERNEL_ZERO,	/* GFP_KERNEL | __GFP_ZERO */
};

/* helpers/alloc.c */
void *refgpu_cpp_kmalloc(unsigned long size, enum refgpu_cpp_gfp gfp);
void refgpu_cpp_kfree(const void *ptr);
/* kvmalloc_array(); NULL on overflow of @n * @size too. */
void *refgpu_cpp_kvmalloc_array(unsigned long n, unsigned long size, enum refgpu_cpp_gfp gfp);
void refgpu_cpp_kvfree(const void *ptr);
/*
 * BUG()s, so never returns; deliberately not declared noreturn: objtool
 * only knows the noreturn functions on its own list, and a C++ caller that
 * ended in a call to an unknown one would fail its check ("unexpected end
 * of section").
 */
void refgpu_cpp_bug(const char *why);

/* Test-only planted bugs: module parameter debug_plant (docs/testing.md). */
extern unsigned int refgpu_cpp_debug_plant;
/* A kernel WARNING (message and backtrace); the run goes on. */
void refgpu_cpp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * helpers/kunit.c (test kernels only): a failed expectation of a C++ KUnit
 * case, reported at the C++ @file:@line; the case goes on and fails.
 */
void refgpu_cpp_kunit_fail(struct kunit *test, const char *file, int line, const char *what);
void refgpu_cpp_kunit_fail_eq(struct kunit *test, const char *file, int line, const char *what,
			      long long left, long long right);

/* helpers/device.c */
const char *refgpu_cpp_dev_name(struct device *dev);
/* dev_err (level 3), dev_warn (4), dev_info (6), else dev_dbg; va_list is __builtin_va_list. */
void refgpu_cpp_dev_vprintk(struct device *dev, int level, const char *fmt,
			    __builtin_va_list args) __attribute__((format(printf, 3, 0)));
struct device *refgpu_cpp_platform_dev(struct platform_device *pdev);
int refgpu_cpp_platform_get_irq(struct platform_device *pdev, unsigned int index);
int refgpu_cpp_platform_ioremap(struct platform_device *pdev, unsigned int index,
				void **iomem);
int refgpu_cpp_impl_selected(struct device *dev);
void refgpu_cpp_set_drvdata(struct device *dev, void *data);
void *refgpu_cpp_get_drvdata(struct device *dev);

/* dev_warn_ratelimited(): one rate limit state (the C++ driver's only call site). */
void refgpu_cpp_dev_vwarn_ratelimited(struct device *dev, const char *fmt,
				      __builtin_va_list args) __attribute__((format(printf, 2, 0)));
int refgpu_cpp_dma_set_mask_and_coherent(struct device *dev, unsigned int bits);

/*
 * helpers/mm.c: pages for device tables, mapped for DMA at allocation
 * (dma_map_page, DMA_BIDIRECTIONAL, the whole page); -ENOMEM if either fails.
 */
int refgpu_cpp_dma_page_alloc(struct device *dev, enum refgpu_cpp_gfp gfp, struct page **page,
			      unsigned long long *dma, void **cpu);
void refgpu_cpp_dma_page_free(struct device *dev, struct page *page, unsigned long long dma);
void refgpu_cpp_dma_sync_for_device(struct device *dev, unsigned long long dma,
				    unsigned long size);

/* helpers/io.c */
unsigned int refgpu_cpp_readl(const void *iomem, unsigned int offset);
void refgpu_cpp_writel(void *iomem, unsigned int offset, unsigned int val);
long long refgpu_cpp_ktime_get_ns(void);
void refgpu_cpp_usleep_range(unsigned long min_us, unsigned long max_us);

/* helpers/irq.c */
typedef int (*refgpu_cpp_irq_handler_t)(void *data);
int refgpu_cpp_request_irq(struct device *dev, int irq, refgpu_cpp_irq_handler_t handler,
			   void *data);

/*
 * helpers/sync.c. The objects live inside C++ objects, in storage sized by
 * generated/kernel_layout.h; each init names the lock class (lockdep) of
 * the declaration it serves: @key is that declaration's own static
 * struct lock_class_key, @name what lockdep prints for it.
 */
struct refgpu_cpp_lock_class_key;
void refgpu_cpp_completion_init(struct refgpu_cpp_completion *c, const char *name,
				struct refgpu_cpp_lock_class_key *key);
void refgpu_cpp_completion_reinit(struct refgpu_cpp_completion *c);
void refgpu_cpp_complete(struct refgpu_cpp_completion *c);
/* Returns 0 on timeout, otherwise the jiffies left. */
unsigned long refgpu_cpp_wait_for_completion_timeout_ms(struct refgpu_cpp_completion *c,
							unsigned int ms);
void refgpu_cpp_spin_lock_init(struct refgpu_cpp_spinlock *lock, const char *name,
			       struct refgpu_cpp_lock_class_key *key);
unsigned long refgpu_cpp_spin_lock_irqsave(struct refgpu_cpp_spinlock *lock);
void refgpu_cpp_spin_unlock_irqrestore(struct refgpu_cpp_spinlock *lock, unsigned long flags);
void refgpu_cpp_mutex_init(struct refgpu_cpp_mutex *lock, const char *name,
			   struct refgpu_cpp_lock_class_key *key);
void refgpu_cpp_mutex_destroy(struct refgpu_cpp_mutex *lock);
void refgpu_cpp_mutex_lock(struct refgpu_cpp_mutex *lock);
void refgpu_cpp_mutex_unlock(struct refgpu_cpp_mutex *lock);

/*
 * helpers/xarray.c: an allocating xarray (XA_FLAGS_ALLOC1) embedded in a
 * C++ object. load() only under lock()/unlock(); alloc() gives xa_alloc()'s
 * own errors (-EBUSY when [min, max] is full, -ENOMEM).
 */
void refgpu_cpp_xa_init_alloc1(struct refgpu_cpp_xarray *xa);
void refgpu_cpp_xa_destroy(struct refgpu_cpp_xarray *xa);
int refgpu_cpp_xa_alloc(struct refgpu_cpp_xarray *xa, unsigned int *id, void *entry,
			unsigned int min, unsigned int max, enum refgpu_cpp_gfp gfp);
void *refgpu_cpp_xa_erase(struct refgpu_cpp_xarray *xa, unsigned int id);
void refgpu_cpp_xa_lock(struct refgpu_cpp_xarray *xa);
void refgpu_cpp_xa_unlock(struct refgpu_cpp_xarray *xa);
void *refgpu_cpp_xa_load(struct refgpu_cpp_xarray *xa, unsigned int id);
/* The first entry at an index >= *@id, its index in *@id; NULL if none. */
void *refgpu_cpp_xa_find(struct refgpu_cpp_xarray *xa, unsigned long *id);

/* helpers/uaccess.c */
int refgpu_cpp_copy_to_user(unsigned long long uptr, const void *src, unsigned long size);
int refgpu_cpp_clear_user(unsigned long long uptr, unsigned long size);

/* copy_struct_from_user(): 0, -E2BIG (non-zero tail) or -EFAULT. */
int refgpu_cpp_copy_struct_from_user(void *dst, unsigned long ksize, unsigned long long usrc,
				     unsigned long usize);

/* helpers/drm.c */
int refgpu_cpp_drm_dev_alloc(struct device *parent, unsigned long priv_size,
			     struct drm_device **drm, void **priv);
void *refgpu_cpp_drm_priv(struct drm_device *drm);
int refgpu_cpp_drm_add_release(struct drm_device *drm,
			       void (*release)(struct drm_device *drm, void *priv), void *priv);
int refgpu_cpp_drm_dev_register(struct drm_device *drm);
void refgpu_cpp_drm_dev_unplug(struct drm_device *drm);
struct device *refgpu_cpp_drm_parent(struct drm_device *drm);
/* drm_dev_enter(): 0 and *@idx for refgpu_cpp_drm_dev_exit(), or -ENODEV after unplug. */
int refgpu_cpp_drm_dev_enter(struct drm_device *drm, int *idx);
void refgpu_cpp_drm_dev_exit(int idx);
void refgpu_cpp_drm_file_set_priv(struct drm_file *file, void *priv);
void *refgpu_cpp_drm_file_priv(struct drm_file *file);
unsigned long long refgpu_cpp_drm_file_client_id(struct drm_file *file);
/* drm_debugfs_add_file(): @show(drm, m) prints the file (before registration). */
typedef int (*refgpu_cpp_debugfs_show_t)(struct drm_device *drm, struct seq_file *m);
void refgpu_cpp_drm_debugfs_add_file(struct drm_device *drm, const char *name,
				     refgpu_cpp_debugfs_show_t show);
void refgpu_cpp_seq_vprintf(struct seq_file *m, const char *fmt, __builtin_va_list args)
	__attribute__((format(printf, 2, 0)));
void refgpu_cpp_drm_verr(struct drm_device *drm, int ratelimited, const char *fmt,
			 __builtin_va_list args) __attribute__((format(printf, 3, 0)));

/* helpers/gem.c */
struct drm_gem_object *refgpu_cpp_gem_alloc(unsigned long priv_size, void **priv);
void *refgpu_cpp_gem_priv(struct drm_gem_object *obj);
void refgpu_cpp_gem_shmem_free(struct drm_gem_object *obj);
int refgpu_cpp_gem_shmem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma);
int refgpu_cpp_gem_shmem_create(struct drm_device *drm, unsigned long size,
				struct drm_gem_object **obj);
unsigned long refgpu_cpp_gem_size(struct drm_gem_object *obj);
int refgpu_cpp_gem_handle_create(struct drm_file *file, struct drm_gem_object *obj,
				 unsigned int *handle);
struct drm_gem_object *refgpu_cpp_gem_lookup(struct drm_file *file, unsigned int handle);
void refgpu_cpp_gem_get(struct drm_gem_object *obj);
void refgpu_cpp_gem_put(struct drm_gem_object *obj);
int refgpu_cpp_gem_mmap_offset(struct drm_gem_object *obj, unsigned long long *offset);
void *refgpu_cpp_err_ptr(int err);
/* drm_gem_gpuva_set_lock(): @lock protects the object's gpuva list. */
void refgpu_cpp_gem_gpuva_set_lock(struct drm_gem_object *obj, struct refgpu_cpp_mutex *lock);
/* drm_gem_shmem_get_pages_sgt(): pinned for the object's life; ERR_PTR on failure. */
int refgpu_cpp_gem_shmem_get_pages_sgt(struct drm_gem_object *obj, struct sg_table **sgt);
/* The DMA segments of @sgt (for_each_sgtable_dma_sg). */
struct scatterlist *refgpu_cpp_sgt_dma_first(struct sg_table *sgt, unsigned int *nents);
struct scatterlist *refgpu_cpp_sg_next(struct scatterlist *sg);
unsigned long long refgpu_cpp_sg_dma_address(struct scatterlist *sg);
unsigned int refgpu_cpp_sg_dma_len(struct scatterlist *sg);

/*
 * helpers/gpuvm.c. struct drm_gpuvm and struct drm_gpuva live inside C++
 * objects (layouts in generated/kernel_layout.h); drm_gpuvm_bo is the
 * kernel's allocation. The glue's static const drm_gpuvm_ops decode each
 * step and call the refgpu_cpp_vm_* entry points below.
 */
struct drm_gem_object *refgpu_cpp_gpuvm_resv_object_alloc(struct drm_device *drm);
void refgpu_cpp_gpuvm_init(struct drm_gpuvm *gpuvm, const char *name, struct drm_device *drm,
			   struct drm_gem_object *r_obj, unsigned long long start,
			   unsigned long long range, unsigned long long reserve_start,
			   unsigned long long reserve_range);
void refgpu_cpp_gpuvm_get(struct drm_gpuvm *gpuvm);
void refgpu_cpp_gpuvm_put(struct drm_gpuvm *gpuvm);
void refgpu_cpp_gpuvm_resv_lock(struct drm_gpuvm *gpuvm);
void refgpu_cpp_gpuvm_resv_unlock(struct drm_gpuvm *gpuvm);
int refgpu_cpp_gpuvm_sm_map(struct drm_gpuvm *gpuvm, void *priv, unsigned long long addr,
			    unsigned long long range, struct drm_gem_object *obj,
			    unsigned long long offset);
int refgpu_cpp_gpuvm_sm_unmap(struct drm_gpuvm *gpuvm, void *priv, unsigned long long addr,
			      unsigned long long range);
struct drm_gpuvm_bo *refgpu_cpp_gpuvm_bo_create(struct drm_gpuvm *gpuvm,
						struct drm_gem_object *obj);
/* Under the object's gpuva lock: */
struct drm_gpuvm_bo *refgpu_cpp_gpuvm_bo_obtain_prealloc(struct drm_gpuvm_bo *vm_bo);
void refgpu_cpp_gpuvm_bo_get(struct drm_gpuvm_bo *vm_bo);
void refgpu_cpp_gpuvm_bo_put(struct drm_gpuvm_bo *vm_bo);
void refgpu_cpp_gpuva_link(struct drm_gpuva *va, struct drm_gpuvm_bo *vm_bo);
void refgpu_cpp_gpuva_unlink(struct drm_gpuva *va);
/* Anywhere: */
struct drm_gem_object *refgpu_cpp_gpuvm_bo_obj(struct drm_gpuvm_bo *vm_bo);
void refgpu_cpp_gpuva_map(struct drm_gpuvm *gpuvm, struct drm_gpuva *va, struct drm_gpuva_op *op);
void refgpu_cpp_gpuva_remap(struct drm_gpuva *prev, struct drm_gpuva *next,
			    struct drm_gpuva_op *op);
void refgpu_cpp_gpuva_unmap(struct drm_gpuva_op *op);

/* One step of drm_gpuvm_sm_map/unmap, decoded by the glue. */
struct refgpu_cpp_gpuva_range {
	unsigned long long addr, range, offset;
	struct drm_gem_object *obj;
};

/*
 * Entry points, defined by the C++ driver with C linkage (refgpu_*.cpp).
 * The glue's static const driver structures point straight at them.
 */
int refgpu_cpp_probe(struct platform_device *pdev);
void refgpu_cpp_remove(struct platform_device *pdev);
int refgpu_cpp_ioctl_dev_query(struct drm_device *drm, void *data, struct drm_file *file);
int refgpu_cpp_ioctl_bo_create(struct drm_device *drm, void *data, struct drm_file *file);
int refgpu_cpp_ioctl_bo_mmap_offset(struct drm_device *drm, void *data, struct drm_file *file);
struct drm_gem_object *refgpu_cpp_gem_create_object(struct drm_device *drm,
						    unsigned long size);
void refgpu_cpp_gem_free(struct drm_gem_object *obj);
int refgpu_cpp_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma);
int refgpu_cpp_open(struct drm_device *drm, struct drm_file *file);
void refgpu_cpp_postclose(struct drm_device *drm, struct drm_file *file);
int refgpu_cpp_ioctl_vm_create(struct drm_device *drm, void *data, struct drm_file *file);
int refgpu_cpp_ioctl_vm_destroy(struct drm_device *drm, void *data, struct drm_file *file);
int refgpu_cpp_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file);
/* drm_gpuvm_ops, through the glue's trampolines (helpers/gpuvm.c). */
void refgpu_cpp_vm_free(struct drm_gpuvm *gpuvm);
int refgpu_cpp_vm_step_map(void *priv, struct drm_gpuva_op *op,
			   const struct refgpu_cpp_gpuva_range *map);
/* @prev, @next: the kept parts (NULL if none); [@start, @start + @range) is unmapped. */
int refgpu_cpp_vm_step_remap(void *priv, struct drm_gpuva_op *op, struct drm_gpuva *va,
			     const struct refgpu_cpp_gpuva_range *prev,
			     const struct refgpu_cpp_gpuva_range *next,
			     unsigned long long start, unsigned long long range);
int refgpu_cpp_vm_step_unmap(void *priv, struct drm_gpuva_op *op, struct drm_gpuva *va);

#ifdef __cplusplus
}
#endif

#endif /* __REFGPU_GLUE_H__ */
