// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: MMIO. Copyright (C) 2026 The refgpu authors */

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "refgpu_glue.h"

unsigned int refgpu_cpp_readl(const void *iomem, unsigned int offset)
{
	return readl((const void __iomem __force *)iomem + offset);
}

void refgpu_cpp_writel(void *iomem, unsigned int offset, unsigned int val)
{
	writel(val, (void __iomem __force *)iomem + offset);
}

/* The monotonic clock readl_poll_timeout() measures its deadline on. */
long long refgpu_cpp_ktime_get_ns(void)
{
	return ktime_get_ns();
}

/* Sleeps (process context only), as readl_poll_timeout() does between reads. */
void refgpu_cpp_usleep_range(unsigned long min_us, unsigned long max_us)
{
	usleep_range(min_us, max_us);
}
