// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// The GPU MMU: address-space slots, the MMU fault interrupt, the refgpu_as
// debugfs file and the page tables. The twin of c-driver/refgpu_mmu.h.
#pragma once

#include "kernel/alloc.hpp"
#include "kernel/dma.hpp"
#include "kernel/gem.hpp"
#include "refgpu_drm.h"
#include "refgpu_regs.hpp"

namespace refgpu {

using kernel::u32;
using kernel::u64;

struct Device;
struct Vm;

// The VA layout (drm_refgpu_vm_info): userspace maps below user_va_end, the
// kernel keeps [user_va_end, va_end).
inline constexpr u64 va_end = 1ULL << 48;
inline constexpr u64 user_va_end = 1ULL << 47;
inline constexpr u32 gpu_page_size = 4096;
static_assert(gpu_page_size == kernel::page_size, "GPU pages are CPU pages");
static_assert(gpu_page_size == 1u << regs::Va::L3::shift, "a page entry maps a GPU page");

// Address spaces: AS 0 is the firmware's, VMs get 1..as_count - 1.
inline constexpr u32 as_count = regs::AsCommand::count;
inline constexpr u32 as_first_user = 1;

// One page table: a DMA page of 512 entries and, for levels 0..2, the CPU's
// shadow of the child tables (so a PA is never turned back into a page).
struct PageTable {
	static constexpr u32 entries = regs::Va::L3::max + 1;
	static constexpr u32 levels = 4;

	struct Children {
		PageTable *table[entries] = {};
		~Children();
	};

	explicit PageTable(kernel::DmaPage p) : page(kernel::move(p)) {}

	// A zeroed table of @level, mapped for the device.
	static kernel::Result<kernel::Box<PageTable>> alloc(Device &rdev, u32 level);

	kernel::DmaPage page;
	kernel::Box<Children> children; // levels 0..2 only
	PageTable *next_free = nullptr; // in a PtPool
};

// Tables allocated before an apply phase that must not fail, per level.
class PtPool {
public:
	PtPool() = default;
	PtPool(const PtPool &) = delete;
	PtPool &operator=(const PtPool &) = delete;
	~PtPool();

	kernel::Status reserve(Device &rdev, u32 level, u64 n);
	// nullptr only if reserve() was given too few: a bug.
	PageTable *take(u32 level);

private:
	PageTable *free_[PageTable::levels] = {};
};

// Count the level 1..3 tables [va, va + size) needs that @root lacks.
void pt_count_missing(PageTable &root, u64 va, u64 size, u64 counts[PageTable::levels]);
// Write the page entries of [va, va + size) for the DMA pages of @sgt from
// @offset, with the permissions of DRM_REFGPU_VM_BIND_* @flags; tables come
// from @pool. False only if the pool ran dry (a bug: reported).
bool pt_map(Device &rdev, PageTable &root, PtPool &pool, u64 va, u64 size,
	    const kernel::gem::SgTable &sgt, u64 offset, u32 flags);
// Clear the page entries of [va, va + size); true if any was valid.
bool pt_unmap(PageTable &root, u64 va, u64 size);

// AS slots: the lowest free user AS for @vm (programmed with @root), or -1.
int mmu_as_assign(Device &rdev, const Vm &vm, const PageTable &root);
// Disable @as (its TLB emptied) and free the slot; before the tables go.
void mmu_as_release(Device &rdev, int as);
void mmu_as_flush(Device &rdev, int as);

// Probe: unmask the user ASes' fault interrupts, add the debugfs file.
void mmu_init(Device &rdev);
// Remove (also after unplug): mask them.
void mmu_fini(Device &rdev);
// From the device's interrupt handler: true if an MMU interrupt was handled.
bool mmu_irq(Device &rdev);

} // namespace refgpu
