// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: MMIO. Copyright (C) 2026 The refgpu authors */

#include <linux/delay.h>
#include <linux/io.h>

#include "refgpu_glue.h"

unsigned int refgpu_cpp_readl(const void *iomem, unsigned int offset)
{
	return readl((const void __iomem __force *)iomem + offset);
}

void refgpu_cpp_writel(void *iomem, unsigned int offset, unsigned int val)
{
	writel(val, (void __iomem __force *)iomem + offset);
}

/* Sleeps (process context only), as readl_poll_timeout() does between reads. */
void refgpu_cpp_fsleep(unsigned long us)
{
	fsleep(us);
}
