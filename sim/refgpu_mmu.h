/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * refgpu device model: the GPU MMU's page-table walker and TLB.
 *
 * Pure C, no kernel API: the model (refgpu_sim_main.c) and the host unit tests
 * (sim/tests) both build it. The entry formats, the address split and the
 * fault codes come from the register description through refgpu_regs.h;
 * docs/hardware.md ("GPU MMU") describes the behaviour. The caller
 * serialises all calls on one address space.
 *
 * Outside the kernel, the includer provides u32, u64, bool, NULL, GENMASK(),
 * GENMASK_ULL() and FIELD_GET() (sim/tests/kernel_shim.h).
 *
 * Copyright (C) 2026 The refgpu authors
 */

#ifndef REFGPU_MMU_H
#define REFGPU_MMU_H

#ifdef __KERNEL__
#include <linux/bitfield.h>
#include <linux/stddef.h>
#include <linux/types.h>
#endif

#include "refgpu_regs.h"

#define REFGPU_MMU_AS_COUNT	REFGPU_AS_TRANSTAB_LO_COUNT
#define REFGPU_MMU_LEVELS	4
#define REFGPU_MMU_TLB_SIZE	16

/* Access types: the values of AS_FAULTSTATUS.ACCESS_TYPE. */
#define REFGPU_MMU_READ		REFGPU_AS_FAULTSTATUS_ACCESS_TYPE_READ
#define REFGPU_MMU_WRITE	REFGPU_AS_FAULTSTATUS_ACCESS_TYPE_WRITE
#define REFGPU_MMU_EXEC		REFGPU_AS_FAULTSTATUS_ACCESS_TYPE_EXEC

/**
 * struct refgpu_mmu_mem - How the MMU reads system memory
 * @read64: Stores the little-endian 64-bit word at physical address @pa
 *	(8-byte aligned) in @val; returns false if @pa is not system memory.
 * @ctx: Passed to @read64.
 */
struct refgpu_mmu_mem {
	bool (*read64)(void *ctx, u64 pa, u64 *val);
	void *ctx;
};

/**
 * struct refgpu_mmu_tlb_entry - One cached translation
 * @page: GPU virtual address of the page (its offset bits zero).
 * @pte: The page entry (level 3) as the walk read it.
 * @valid: The entry holds a translation.
 */
struct refgpu_mmu_tlb_entry {
	u64 page;
	u64 pte;
	bool valid;
};

/**
 * struct refgpu_mmu_as - The MMU state of one address space
 * @base: Physical address of the level-0 table, as the last UPDATE took it.
 * @enabled: ENABLE as the last UPDATE took it.
 * @tlb: Cached page entries; only refgpu_mmu_as_update() and
 *	refgpu_mmu_as_flush() empty them.
 * @victim: Entry the next fill replaces (round robin).
 * @hits: Translations served by @tlb.
 * @walks: Translations that walked the tables (faulting ones included).
 */
struct refgpu_mmu_as {
	u64 base;
	bool enabled;
	struct refgpu_mmu_tlb_entry tlb[REFGPU_MMU_TLB_SIZE];
	unsigned int victim;
	u64 hits;
	u64 walks;
};

/**
 * struct refgpu_mmu_fault - Why a translation failed
 * @type: An AS_FAULTSTATUS.TYPE value, never NONE.
 * @level: Table level whose entry faulted (0 when no entry was read).
 * @access: The access type (REFGPU_MMU_READ, _WRITE or _EXEC).
 * @va: The GPU virtual address.
 */
struct refgpu_mmu_fault {
	u32 type;
	u32 level;
	u32 access;
	u64 va;
};

void refgpu_mmu_as_reset(struct refgpu_mmu_as *as);
void refgpu_mmu_as_update(struct refgpu_mmu_as *as, u64 base, bool enable);
void refgpu_mmu_as_flush(struct refgpu_mmu_as *as);
u32 refgpu_mmu_translate(struct refgpu_mmu_as *as, const struct refgpu_mmu_mem *mem,
			 u64 va, u32 access, u64 *pa, struct refgpu_mmu_fault *fault);

#endif /* REFGPU_MMU_H */
