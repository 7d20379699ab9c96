// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu C driver: platform driver, DRM driver and ioctl table.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/minmax.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>

#include "refgpu_core.h"
#include "refgpu_device.h"
#include "refgpu_gem.h"
#include "refgpu_vm.h"

/* Size of the first version of struct drm_refgpu_gpu_info. */
#define REFGPU_GPU_INFO_MIN_SIZE \
	offsetofend(struct drm_refgpu_gpu_info, max_bo_size)

/* Size of the first version of struct drm_refgpu_vm_info. */
#define REFGPU_VM_INFO_MIN_SIZE \
	offsetofend(struct drm_refgpu_vm_info, pad)

/*
 * Copy @kobj (@ksize bytes) to the user buffer described by @args, following
 * the size negotiation documented for struct drm_refgpu_dev_query.
 */
static int refgpu_copy_query(struct drm_refgpu_dev_query *args, const void *kobj,
			     u32 ksize, u32 min_size)
{
	void __user *ptr = u64_to_user_ptr(args->pointer);
	u32 copy;

	if (!args->pointer) {
		args->size = ksize;
		return 0;
	}
	if (args->size < min_size)
		return -EINVAL;
	if (args->size > DRM_REFGPU_DEV_QUERY_MAX_SIZE)
		return -E2BIG;

	copy = min(args->size, ksize);
	if (copy_to_user(ptr, kobj, copy))
		return -EFAULT;
	if (args->size > copy && clear_user(ptr + copy, args->size - copy))
		return -EFAULT;
	return 0;
}

static int refgpu_ioctl_dev_query(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct refgpu_device *rdev = to_refgpu_device(drm);
	struct drm_refgpu_dev_query *args = data;

	if (args->pad)
		return -EINVAL;

	switch (args->type) {
	case DRM_REFGPU_DEV_QUERY_GPU_INFO:
		return refgpu_copy_query(args, &rdev->info, sizeof(rdev->info),
					 REFGPU_GPU_INFO_MIN_SIZE);
	case DRM_REFGPU_DEV_QUERY_VM_INFO:
		return refgpu_copy_query(args, &refgpu_vm_info, sizeof(refgpu_vm_info),
					 REFGPU_VM_INFO_MIN_SIZE);
	default:
		return -EINVAL;
	}
}

static const struct drm_ioctl_desc refgpu_drm_ioctls[] = {
	REFGPU_IOCTL_DEV_QUERY(refgpu_ioctl_dev_query),
	REFGPU_IOCTL_BO_CREATE(refgpu_ioctl_bo_create),
	REFGPU_IOCTL_BO_MMAP_OFFSET(refgpu_ioctl_bo_mmap_offset),
	REFGPU_IOCTL_VM_CREATE(refgpu_ioctl_vm_create),
	REFGPU_IOCTL_VM_DESTROY(refgpu_ioctl_vm_destroy),
	REFGPU_IOCTL_VM_BIND(refgpu_ioctl_vm_bind),
};

static_assert(ARRAY_SIZE(refgpu_drm_ioctls) == REFGPU_NUM_IOCTLS);

static const struct file_operations refgpu_drm_fops = {
	REFGPU_DRM_FOPS,
};

static const struct drm_driver refgpu_drm_driver = {
	REFGPU_DRM_DRIVER_IDENTITY,
	.ioctls = refgpu_drm_ioctls,
	.num_ioctls = ARRAY_SIZE(refgpu_drm_ioctls),
	.fops = &refgpu_drm_fops,
	.open = refgpu_vm_file_open,
	.postclose = refgpu_vm_file_close,
	.gem_create_object = refgpu_gem_create_object,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
};

static int refgpu_probe(struct platform_device *pdev)
{
	struct refgpu_device *rdev;
	int ret;

	if (!refgpu_impl_selected(&pdev->dev, REFGPU_IMPL_C))
		return -ENODEV;

	rdev = devm_drm_dev_alloc(&pdev->dev, &refgpu_drm_driver, struct refgpu_device, base);
	if (IS_ERR(rdev))
		return PTR_ERR(rdev);
	platform_set_drvdata(pdev, rdev);

	ret = refgpu_device_init(rdev);
	if (ret)
		return ret;

	ret = drm_dev_register(&rdev->base, 0);
	if (ret) {
		refgpu_device_fini(rdev);
		return ret;
	}

	dev_info(&pdev->dev, "GPU_ID %#x, FW_VERSION %#x: bound\n", rdev->info.gpu_id,
		 rdev->info.fw_version);
	return 0;
}

static void refgpu_remove(struct platform_device *pdev)
{
	struct refgpu_device *rdev = platform_get_drvdata(pdev);

	drm_dev_unplug(&rdev->base);
	refgpu_device_fini(rdev);
}

static const struct platform_device_id refgpu_id_table[] = {
	{ .name = REFGPU_PLATFORM_NAME },
	{ }
};
MODULE_DEVICE_TABLE(platform, refgpu_id_table);

static struct platform_driver refgpu_platform_driver = {
	.probe = refgpu_probe,
	.remove = refgpu_remove,
	.id_table = refgpu_id_table,
	.driver = {
		.name = "refgpu_c",
	},
};
module_platform_driver(refgpu_platform_driver);

MODULE_DESCRIPTION("refgpu reference GPU driver (C)");
MODULE_LICENSE("GPL");
