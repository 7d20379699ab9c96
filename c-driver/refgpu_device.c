// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu C driver: bring-up of the hardware (reset, identification,
 * interrupts) and teardown.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/platform_device.h>

#include <drm/drm_print.h>

#include "refgpu_device.h"
#include "refgpu_regs.h"

#define REFGPU_RESET_TIMEOUT_US		10000
#define REFGPU_PING_TIMEOUT_MS		1000
#define REFGPU_IRQ_USED			(REFGPU_IRQ_MASK_DOORBELL | REFGPU_IRQ_MASK_FAULT)

static irqreturn_t refgpu_irq_handler(int irq, void *data)
{
	struct refgpu_device *rdev = data;
	u32 status = gpu_read(rdev, REFGPU_IRQ_STATUS);
	u32 mmu_status = gpu_read(rdev, REFGPU_MMU_IRQ_STATUS);

	if (!status && !mmu_status)
		return IRQ_NONE;

	if (mmu_status)
		refgpu_mmu_irq(rdev, mmu_status);
	if (!status)
		return IRQ_HANDLED;

	gpu_write(rdev, REFGPU_IRQ_RAWSTAT, status);

	if (status & REFGPU_IRQ_STATUS_DOORBELL) {
		rdev->doorbell_last = gpu_read(rdev, REFGPU_DOORBELL_LAST);
		complete(&rdev->doorbell_done);
	}
	if (status & REFGPU_IRQ_STATUS_FAULT)
		drm_err_ratelimited(&rdev->base, "GPU fault\n");

	return IRQ_HANDLED;
}

static int refgpu_reset(struct refgpu_device *rdev)
{
	u32 raw;
	int ret;

	gpu_write(rdev, REFGPU_SOFT_RESET, REFGPU_SOFT_RESET_RESET);
	ret = readl_poll_timeout(rdev->iomem + REFGPU_IRQ_RAWSTAT, raw,
				 raw & REFGPU_IRQ_RAWSTAT_RESET_DONE, 10, REFGPU_RESET_TIMEOUT_US);
	if (ret) {
		drm_err(&rdev->base, "soft reset timed out\n");
		return ret;
	}
	gpu_write(rdev, REFGPU_IRQ_RAWSTAT, REFGPU_IRQ_RAWSTAT_RESET_DONE);

	if (FIELD_GET(REFGPU_STATUS_STATE, gpu_read(rdev, REFGPU_STATUS)) !=
	    REFGPU_STATUS_STATE_READY) {
		drm_err(&rdev->base, "GPU not ready after reset\n");
		return -EIO;
	}
	return 0;
}

static int refgpu_read_info(struct refgpu_device *rdev)
{
	struct drm_refgpu_gpu_info *info = &rdev->info;
	u32 features, config;

	info->gpu_id = gpu_read(rdev, REFGPU_GPU_ID);
	if (FIELD_GET(REFGPU_GPU_ID_ARCH_MAJOR, info->gpu_id) != REFGPU_ARCH_MAJOR) {
		drm_err(&rdev->base, "unsupported GPU_ID %#x\n", info->gpu_id);
		return -ENODEV;
	}
	info->fw_version = gpu_read(rdev, REFGPU_FW_VERSION);

	features = gpu_read(rdev, REFGPU_FEATURES);
	if (features & REFGPU_FEATURES_MMU)
		info->features |= DRM_REFGPU_FEATURE_MMU;
	if (features & REFGPU_FEATURES_DOORBELL)
		info->features |= DRM_REFGPU_FEATURE_DOORBELL;
	if (features & REFGPU_FEATURES_TIMESTAMP)
		info->features |= DRM_REFGPU_FEATURE_TIMESTAMP;

	config = gpu_read(rdev, REFGPU_CONFIG);
	info->va_bits = FIELD_GET(REFGPU_CONFIG_VA_BITS, config);
	info->pa_bits = FIELD_GET(REFGPU_CONFIG_PA_BITS, config);
	info->doorbell_count = FIELD_GET(REFGPU_CONFIG_DOORBELL_COUNT, config);
	info->max_bo_size = REFGPU_MAX_BO_SIZE;
	return 0;
}

/* Ring doorbell 0 and wait for its interrupt: proves MMIO and IRQ work. */
static int refgpu_ping(struct refgpu_device *rdev)
{
	reinit_completion(&rdev->doorbell_done);
	gpu_write(rdev, REFGPU_DOORBELL(0), REFGPU_PING_VALUE);

	if (!wait_for_completion_timeout(&rdev->doorbell_done,
					 msecs_to_jiffies(REFGPU_PING_TIMEOUT_MS))) {
		drm_err(&rdev->base, "no doorbell interrupt\n");
		return -ETIMEDOUT;
	}
	if (rdev->doorbell_last != (FIELD_PREP(REFGPU_DOORBELL_LAST_INDEX, 0) |
				    FIELD_PREP(REFGPU_DOORBELL_LAST_VALUE, REFGPU_PING_VALUE))) {
		drm_err(&rdev->base, "doorbell echo %#x is wrong\n", rdev->doorbell_last);
		return -EIO;
	}
	return 0;
}

/**
 * refgpu_device_init() - Bring the hardware up
 * @rdev: The device, with its DRM device allocated but not registered.
 *
 * Sets the DMA mask, maps the registers, resets the GPU, reads its
 * identification, installs the interrupt handler, checks the interrupt path
 * with a doorbell and sets the MMU up. Everything is device-managed: on
 * failure nothing is left to undo.
 *
 * Return: 0 on success, a negative errno otherwise.
 */
int refgpu_device_init(struct refgpu_device *rdev)
{
	struct platform_device *pdev = to_platform_device(rdev->base.dev);
	int ret;

	init_completion(&rdev->doorbell_done);

	/* Page tables and BO pages: the MMU takes 48-bit physical addresses. */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(48));
	if (ret)
		return ret;

	rdev->iomem = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(rdev->iomem))
		return PTR_ERR(rdev->iomem);

	ret = refgpu_reset(rdev);
	if (ret)
		return ret;

	ret = refgpu_read_info(rdev);
	if (ret)
		return ret;

	rdev->irq = platform_get_irq(pdev, 0);
	if (rdev->irq < 0)
		return rdev->irq;
	ret = devm_request_irq(&pdev->dev, rdev->irq, refgpu_irq_handler, 0,
			       dev_name(&pdev->dev), rdev);
	if (ret)
		return ret;

	gpu_write(rdev, REFGPU_IRQ_MASK, REFGPU_IRQ_USED);
	ret = refgpu_ping(rdev);
	if (!ret)
		ret = refgpu_mmu_init(rdev);
	if (ret)
		gpu_write(rdev, REFGPU_IRQ_MASK, 0);
	return ret;
}

/**
 * refgpu_device_fini() - Quiesce the hardware
 * @rdev: The device.
 *
 * Masks every interrupt and disables the address spaces; the
 * device-managed resources go afterwards.
 */
void refgpu_device_fini(struct refgpu_device *rdev)
{
	gpu_write(rdev, REFGPU_IRQ_MASK, 0);
	refgpu_mmu_fini(rdev);
}
