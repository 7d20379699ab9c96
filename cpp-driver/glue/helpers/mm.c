// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: pages mapped for DMA. Copyright (C) 2026 The refgpu authors */

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "refgpu_glue_internal.h"

int refgpu_cpp_dma_page_alloc(struct device *dev, enum refgpu_cpp_gfp gfp, struct page **page,
			      unsigned long long *dma, void **cpu)
{
	dma_addr_t addr;
	gfp_t flags;
	struct page *p;

	if (!refgpu_cpp_gfp_flags(gfp, &flags))
		return -ENOMEM;
	p = alloc_page(flags);
	if (!p)
		return -ENOMEM;
	addr = dma_map_page(dev, p, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, addr)) {
		__free_page(p);
		return -ENOMEM;
	}
	*page = p;
	*dma = addr;
	*cpu = page_address(p);
	return 0;
}

void refgpu_cpp_dma_page_free(struct device *dev, struct page *page, unsigned long long dma)
{
	dma_unmap_page(dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	__free_page(page);
}

void refgpu_cpp_dma_sync_for_device(struct device *dev, unsigned long long dma,
				    unsigned long size)
{
	dma_sync_single_for_device(dev, dma, size, DMA_BIDIRECTIONAL);
}
