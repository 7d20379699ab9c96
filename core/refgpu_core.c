// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu core: what every refgpu implementation shares. Today that is the
 * choice of the implementation that drives a device which has no
 * driver_override: the Kconfig default, overridden by refgpu.impl=.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/device.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "refgpu_core.h"

#ifdef CONFIG_DRM_REFGPU_DEFAULT_CPP
#define REFGPU_IMPL_DEFAULT	REFGPU_IMPL_CPP
#else
#define REFGPU_IMPL_DEFAULT	REFGPU_IMPL_C
#endif

static char *impl = REFGPU_IMPL_DEFAULT;
module_param(impl, charp, 0444);
MODULE_PARM_DESC(impl, "Implementation binding refgpu devices without driver_override: c or cpp (default: "
		 REFGPU_IMPL_DEFAULT ")");

/**
 * refgpu_impl_selected() - May the implementation @name drive @dev?
 * @dev: The refgpu device being probed.
 * @name: The implementation asking, %REFGPU_IMPL_C or %REFGPU_IMPL_CPP.
 *
 * A device with a driver_override was matched to its driver by name by the
 * bus, so any implementation it reaches may drive it. Any other device goes
 * to the implementation named by refgpu.impl=.
 *
 * Return: true if @name should drive @dev, false if its probe should
 * return -ENODEV so the other implementation gets the device.
 */
bool refgpu_impl_selected(struct device *dev, const char *name)
{
	if (device_has_driver_override(dev))
		return true;

	return sysfs_streq(impl, name);
}
EXPORT_SYMBOL_GPL(refgpu_impl_selected);

static int __init refgpu_core_init(void)
{
	if (!sysfs_streq(impl, REFGPU_IMPL_C) && !sysfs_streq(impl, REFGPU_IMPL_CPP)) {
		pr_err("refgpu: impl=%s is neither '" REFGPU_IMPL_C "' nor '" REFGPU_IMPL_CPP "'\n",
		       impl);
		return -EINVAL;
	}
	return 0;
}
module_init(refgpu_core_init);

MODULE_DESCRIPTION("refgpu core: implementation choice shared by the C and C++ drivers");
MODULE_LICENSE("GPL");
