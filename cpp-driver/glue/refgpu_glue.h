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
struct refgpu_cpp_completion;
struct refgpu_cpp_spinlock;

/* The kernel's PAGE_SIZE (checked by the glue at build time). */
#define REFGPU_CPP_PAGE_SIZE	4096UL

/* Alignment of the C++ object that trails each glue container. */
#define REFGPU_CPP_PRIV_ALIGN	16

/* Allocation flags the C++ side may ask for. */
enum refgpu_cpp_gfp {
	REFGPU_CPP_GFP_KERNEL,
	REFGPU_CPP_GFP_ATOMIC,
};

/* helpers/alloc.c */
void *refgpu_cpp_kmalloc(unsigned long size, enum refgpu_cpp_gfp gfp);
void refgpu_cpp_kfree(const void *ptr);
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

/* helpers/uaccess.c */
int refgpu_cpp_copy_to_user(unsigned long long uptr, const void *src, unsigned long size);
int refgpu_cpp_clear_user(unsigned long long uptr, unsigned long size);

/* helpers/drm.c */
int refgpu_cpp_drm_dev_alloc(struct device *parent, unsigned long priv_size,
			     struct drm_device **drm, void **priv);
void *refgpu_cpp_drm_priv(struct drm_device *drm);
int refgpu_cpp_drm_add_release(struct drm_device *drm,
			       void (*release)(struct drm_device *drm, void *priv), void *priv);
int refgpu_cpp_drm_dev_register(struct drm_device *drm);
void refgpu_cpp_drm_dev_unplug(struct drm_device *drm);
struct device *refgpu_cpp_drm_parent(struct drm_device *drm);
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

#ifdef __cplusplus
}
#endif

#endif /* __REFGPU_GLUE_H__ */
