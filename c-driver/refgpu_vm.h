/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
#ifndef __REFGPU_VM_H__
#define __REFGPU_VM_H__

#include <linux/bits.h>
#include <linux/sizes.h>
#include <linux/xarray.h>

#include "refgpu_drm.h"

struct drm_device;
struct drm_file;

/* The GPU VA space drm_gpuvm manages, and the part of it userspace maps. */
#define REFGPU_VM_VA_BITS		48
#define REFGPU_VM_VA_END		BIT_ULL(REFGPU_VM_VA_BITS)
#define REFGPU_VM_USER_VA_START		0ULL
#define REFGPU_VM_USER_VA_END		BIT_ULL(REFGPU_VM_VA_BITS - 1)

/* GPU page size: one CPU page (checked at build time). */
#define REFGPU_VM_PAGE_SIZE		SZ_4K

/* Per-file and per-call limits (drm_refgpu_vm_info). */
#define REFGPU_VM_MAX_VMS		64
#define REFGPU_VM_MAX_BIND_OPS		64

/**
 * struct refgpu_file - Per DRM file state (&drm_file.driver_priv)
 * @vms: The file's VMs by id (1..%REFGPU_VM_MAX_VMS). An id being created
 *	is reserved (a NULL entry) until its VM is complete.
 */
struct refgpu_file {
	struct xarray vms;
};

extern const struct drm_refgpu_vm_info refgpu_vm_info;

int refgpu_vm_file_open(struct drm_device *drm, struct drm_file *file);
void refgpu_vm_file_close(struct drm_device *drm, struct drm_file *file);

int refgpu_ioctl_vm_create(struct drm_device *drm, void *data, struct drm_file *file);
int refgpu_ioctl_vm_destroy(struct drm_device *drm, void *data, struct drm_file *file);
int refgpu_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file);

#endif /* __REFGPU_VM_H__ */
