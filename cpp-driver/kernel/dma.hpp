// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// A page the device reads by DMA (page tables): allocated and mapped
// (dma_map_page, bidirectional) together, unmapped and freed together by
// its destructor, so no path can leak either half.
#pragma once

#include "alloc.hpp"
#include "device.hpp"

namespace kernel {

class DmaPage {
public:
	// No page, as after a move: what a page table built without a device
	// (a KUnit case counting tables) holds.
	DmaPage() = default;
	DmaPage(DmaPage &&o)
		: dev_(o.dev_), page_(exchange(o.page_, nullptr)), dma_(o.dma_), cpu_(o.cpu_)
	{
	}
	DmaPage(const DmaPage &) = delete;
	DmaPage &operator=(const DmaPage &) = delete;
	~DmaPage()
	{
		if (page_)
			refgpu_cpp_dma_page_free(dev_, page_, dma_);
	}

	// -ENOMEM if the page or its mapping cannot be had.
	static Result<DmaPage> alloc(const Device &dev, Gfp gfp)
	{
		::page *page = nullptr;
		unsigned long long dma = 0;
		void *cpu = nullptr;
		int ret = refgpu_cpp_dma_page_alloc(dev.raw(), to_raw(gfp), &page, &dma, &cpu);
		if (ret)
			return Error::from_errno(ret);
		return DmaPage(dev.raw(), page, dma, cpu);
	}

	u64 dma() const { return dma_; }
	void *cpu() const { return cpu_; }
	// Hand what the CPU wrote to the device (dma_sync_single_for_device).
	void sync_for_device() const { refgpu_cpp_dma_sync_for_device(dev_, dma_, page_size); }

private:
	DmaPage(::device *dev, ::page *page, u64 dma, void *cpu)
		: dev_(dev), page_(page), dma_(dma), cpu_(cpu)
	{
	}
	::device *dev_ = nullptr;
	::page *page_ = nullptr;
	u64 dma_ = 0;
	void *cpu_ = nullptr;
};

} // namespace kernel
