// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: interrupts. Copyright (C) 2026 The refgpu authors */

#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/slab.h>

#include "refgpu_glue.h"

struct refgpu_cpp_irq {
	refgpu_cpp_irq_handler_t handler;
	void *data;
};

static irqreturn_t refgpu_cpp_irq_trampoline(int irq, void *dev_id)
{
	struct refgpu_cpp_irq *ri = dev_id;

	return ri->handler(ri->data) ? IRQ_HANDLED : IRQ_NONE;
}

/* Device-managed: the line is freed when the driver unbinds. */
int refgpu_cpp_request_irq(struct device *dev, int irq, refgpu_cpp_irq_handler_t handler,
			   void *data)
{
	struct refgpu_cpp_irq *ri = devm_kzalloc(dev, sizeof(*ri), GFP_KERNEL);

	if (!ri)
		return -ENOMEM;
	ri->handler = handler;
	ri->data = data;
	return devm_request_irq(dev, irq, refgpu_cpp_irq_trampoline, 0, dev_name(dev), ri);
}
