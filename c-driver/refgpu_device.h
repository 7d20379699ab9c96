/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
#ifndef __REFGPU_DEVICE_H__
#define __REFGPU_DEVICE_H__

#include <linux/completion.h>
#include <linux/io.h>
#include <linux/types.h>

#include <drm/drm_device.h>

#include "refgpu_drm.h"
#include "refgpu_mmu.h"

/* Largest BO, page aligned; reported as drm_refgpu_gpu_info.max_bo_size. */
#define REFGPU_MAX_BO_SIZE	(256ULL << 20)

/* Architecture major this driver knows (GPU_ID.ARCH_MAJOR). */
#define REFGPU_ARCH_MAJOR	1

/* Value the probe-time doorbell self-test rings doorbell 0 with. */
#define REFGPU_PING_VALUE	0x0c0ffeeU

/**
 * struct refgpu_device - A refgpu GPU driven by the C driver
 * @base: The DRM device; first member, so the refgpu_device is the DRM
 *	device allocation.
 * @iomem: Register window.
 * @irq: Interrupt line.
 * @info: What DEV_QUERY returns; read from the hardware at probe.
 * @doorbell_done: Completed by the interrupt handler on a DOORBELL interrupt.
 * @doorbell_last: DOORBELL_LAST as read by the interrupt handler.
 * @mmu: The GPU MMU's address spaces.
 */
struct refgpu_device {
	struct drm_device base;
	void __iomem *iomem;
	int irq;
	struct drm_refgpu_gpu_info info;
	struct completion doorbell_done;
	u32 doorbell_last;
	struct refgpu_mmu mmu;
};

static inline struct refgpu_device *to_refgpu_device(struct drm_device *drm)
{
	return container_of(drm, struct refgpu_device, base);
}

static inline u32 gpu_read(struct refgpu_device *rdev, u32 reg)
{
	return readl(rdev->iomem + reg);
}

static inline void gpu_write(struct refgpu_device *rdev, u32 reg, u32 val)
{
	writel(val, rdev->iomem + reg);
}

int refgpu_device_init(struct refgpu_device *rdev);
void refgpu_device_fini(struct refgpu_device *rdev);

#endif /* __REFGPU_DEVICE_H__ */
