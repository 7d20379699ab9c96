// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu C++ driver, C glue: the static, read-only driver structures the
 * kernel's driver model wants (platform driver, DRM driver, ioctl table,
 * file operations) and the module entry. Every callback points straight
 * at a C++ entry point; nothing here decides anything.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>

#include "refgpu_core.h"
#include "refgpu_drm.h"
#include "refgpu_glue.h"
#include "refgpu_glue_internal.h"

static const struct drm_ioctl_desc refgpu_drm_ioctls[] = {
	REFGPU_IOCTL_DEV_QUERY(refgpu_cpp_ioctl_dev_query),
	REFGPU_IOCTL_BO_CREATE(refgpu_cpp_ioctl_bo_create),
	REFGPU_IOCTL_BO_MMAP_OFFSET(refgpu_cpp_ioctl_bo_mmap_offset),
	REFGPU_IOCTL_VM_CREATE(refgpu_cpp_ioctl_vm_create),
	REFGPU_IOCTL_VM_DESTROY(refgpu_cpp_ioctl_vm_destroy),
	REFGPU_IOCTL_VM_BIND(refgpu_cpp_ioctl_vm_bind),
};

static_assert(ARRAY_SIZE(refgpu_drm_ioctls) == REFGPU_NUM_IOCTLS);
static_assert(PAGE_SIZE == REFGPU_CPP_PAGE_SIZE);

unsigned int refgpu_cpp_debug_plant;
module_param_named(debug_plant, refgpu_cpp_debug_plant, uint, 0644);
MODULE_PARM_DESC(debug_plant, "test only: planted bugs, a bit each (docs/testing.md); 0 = none");

static const struct file_operations refgpu_drm_fops = {
	REFGPU_DRM_FOPS,
};

/* Same identity as the C driver: userspace cannot tell them apart. */
const struct drm_driver refgpu_cpp_drm_driver = {
	REFGPU_DRM_DRIVER_IDENTITY,
	.ioctls = refgpu_drm_ioctls,
	.num_ioctls = ARRAY_SIZE(refgpu_drm_ioctls),
	.fops = &refgpu_drm_fops,
	.open = refgpu_cpp_open,
	.postclose = refgpu_cpp_postclose,
	.gem_create_object = refgpu_cpp_gem_create_object,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
};

const struct drm_gem_object_funcs refgpu_cpp_gem_funcs = {
	.free = refgpu_cpp_gem_free,
	REFGPU_GEM_SHMEM_FUNCS,
	.mmap = refgpu_cpp_gem_mmap,
};

static const struct platform_device_id refgpu_id_table[] = {
	{ .name = REFGPU_PLATFORM_NAME },
	{ }
};
MODULE_DEVICE_TABLE(platform, refgpu_id_table);

static struct platform_driver refgpu_platform_driver = {
	.probe = refgpu_cpp_probe,
	.remove = refgpu_cpp_remove,
	.id_table = refgpu_id_table,
	.driver = {
		.name = "refgpu_cpp",
	},
};
module_platform_driver(refgpu_platform_driver);

MODULE_DESCRIPTION("refgpu reference GPU driver (C++)");
MODULE_LICENSE("GPL");
