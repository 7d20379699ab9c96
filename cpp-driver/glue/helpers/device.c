// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: driver core and platform devices. Copyright (C) 2026 The refgpu authors */

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/platform_device.h>
#include <linux/printk.h>

#include "refgpu_core.h"
#include "refgpu_glue.h"

const char *refgpu_cpp_dev_name(struct device *dev)
{
	return dev_name(dev);
}

void refgpu_cpp_dev_vprintk(struct device *dev, int level, const char *fmt, va_list args)
{
	struct va_format vaf;
	va_list aq;

	/* A va_list parameter may be a pointer (x86_64): %pV needs a va_list *. */
	va_copy(aq, args);
	vaf.fmt = fmt;
	vaf.va = &aq;
	switch (level) {
	case 3:
		dev_err(dev, "%pV", &vaf);
		break;
	case 4:
		dev_warn(dev, "%pV", &vaf);
		break;
	case 6:
		dev_info(dev, "%pV", &vaf);
		break;
	default:
		dev_dbg(dev, "%pV", &vaf);
		break;
	}
	va_end(aq);
}

struct device *refgpu_cpp_platform_dev(struct platform_device *pdev)
{
	return &pdev->dev;
}

int refgpu_cpp_platform_get_irq(struct platform_device *pdev, unsigned int index)
{
	return platform_get_irq(pdev, index);
}

int refgpu_cpp_platform_ioremap(struct platform_device *pdev, unsigned int index, void **iomem)
{
	void __iomem *p = devm_platform_ioremap_resource(pdev, index);

	if (IS_ERR(p))
		return PTR_ERR(p);
	*iomem = (void __force *)p;
	return 0;
}

int refgpu_cpp_impl_selected(struct device *dev)
{
	return refgpu_impl_selected(dev, REFGPU_IMPL_CPP);
}

void refgpu_cpp_set_drvdata(struct device *dev, void *data)
{
	dev_set_drvdata(dev, data);
}

void *refgpu_cpp_get_drvdata(struct device *dev)
{
	return dev_get_drvdata(dev);
}

/*
 * dev_warn_ratelimited() keeps one state per call site; this helper serves
 * the C++ driver's only one (the MMU fault report), so one state here
 * behaves the same.
 */
void refgpu_cpp_dev_vwarn_ratelimited(struct device *dev, const char *fmt, va_list args)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	struct va_format vaf;
	va_list aq;

	if (!__ratelimit(&rs))
		return;
	va_copy(aq, args);
	vaf.fmt = fmt;
	vaf.va = &aq;
	dev_warn(dev, "%pV", &vaf);
	va_end(aq);
}

int refgpu_cpp_dma_set_mask_and_coherent(struct device *dev, unsigned int bits)
{
	return dma_set_mask_and_coherent(dev, DMA_BIT_MASK(bits));
}
