// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu device model: the GPU MMU's page-table walker and TLB.
 *
 * Four levels of tables; levels 0-2 hold table entries (PDE), level 3 page
 * entries (PTE), all as described in shared-uapi/regs/refgpu.regs. The TLB
 * caches page entries only, faults never, and forgets nothing until it is
 * flushed: a driver that changes a mapping without FLUSH_TLB keeps getting
 * the old one. docs/hardware.md ("GPU MMU") is the reference.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include "refgpu_mmu.h"

/**
 * refgpu_mmu_as_flush() - Empty the TLB of an address space
 * @as: The address space.
 */
void refgpu_mmu_as_flush(struct refgpu_mmu_as *as)
{
	unsigned int i;

	for (i = 0; i < REFGPU_MMU_TLB_SIZE; i++)
		as->tlb[i].valid = false;
	as->victim = 0;
}

/**
 * refgpu_mmu_as_update() - Take a new table base, as AS_COMMAND UPDATE does
 * @as: The address space.
 * @base: Physical address of the level-0 table.
 * @enable: Whether the address space translates (or faults every access).
 *
 * Also empties the TLB: nothing cached from the old tables survives.
 */
void refgpu_mmu_as_update(struct refgpu_mmu_as *as, u64 base, bool enable)
{
	as->base = base;
	as->enabled = enable;
	refgpu_mmu_as_flush(as);
}

/**
 * refgpu_mmu_as_reset() - Return an address space to its reset state
 * @as: The address space.
 *
 * Disabled, base 0, TLB empty, counters zero.
 */
void refgpu_mmu_as_reset(struct refgpu_mmu_as *as)
{
	refgpu_mmu_as_update(as, 0, false);
	as->hits = 0;
	as->walks = 0;
}

static u32 refgpu_mmu_fault(struct refgpu_mmu_fault *fault, u32 type, u32 level,
			    u32 access, u64 va)
{
	fault->type = type;
	fault->level = level;
	fault->access = access;
	fault->va = va;
	return type;
}

/* Bits 47:12 of @va at @level: the index of its entry in that level's table. */
static u64 refgpu_mmu_index(u64 va, unsigned int level)
{
	switch (level) {
	case 0:
		return FIELD_GET(REFGPU_VA_L0, va);
	case 1:
		return FIELD_GET(REFGPU_VA_L1, va);
	case 2:
		return FIELD_GET(REFGPU_VA_L2, va);
	default:
		return FIELD_GET(REFGPU_VA_L3, va);
	}
}

/* A valid entry stores its Res0 bits as 0 and its Res1 bits as 1. */
static bool refgpu_mmu_well_formed(u64 entry, u64 res0, u64 res1)
{
	return !(entry & res0) && (entry & res1) == res1;
}

/* Whether the page entry @pte allows @access: each access has its own bit. */
static bool refgpu_mmu_allows(u64 pte, u32 access)
{
	switch (access) {
	case REFGPU_MMU_READ:
		return pte & REFGPU_PTE_READ;
	case REFGPU_MMU_WRITE:
		return pte & REFGPU_PTE_WRITE;
	case REFGPU_MMU_EXEC:
		return pte & REFGPU_PTE_EXEC;
	}
	return false;
}

/* The cached page entry of @page, or NULL. */
static const struct refgpu_mmu_tlb_entry *
refgpu_mmu_tlb_find(const struct refgpu_mmu_as *as, u64 page)
{
	unsigned int i;

	for (i = 0; i < REFGPU_MMU_TLB_SIZE; i++)
		if (as->tlb[i].valid && as->tlb[i].page == page)
			return &as->tlb[i];
	return NULL;
}

/*
 * Walk the four levels for @va. Returns the fault type (NONE with the page
 * entry in *@pte); on a fault, *@level is the level whose entry faulted.
 */
static u32 refgpu_mmu_walk(const struct refgpu_mmu_as *as, const struct refgpu_mmu_mem *mem,
			   u64 va, u64 *pte, u32 *level)
{
	u64 table = as->base, entry = 0;
	unsigned int l;

	for (l = 0; l < REFGPU_MMU_LEVELS; l++) {
		*level = l;
		if (!mem->read64(mem->ctx, table + refgpu_mmu_index(va, l) * sizeof(u64), &entry))
			return REFGPU_AS_FAULTSTATUS_TYPE_BUS;
		/* An invalid entry's other bits are the driver's: ignored. */
		if (!(entry & (l < REFGPU_MMU_LEVELS - 1 ? REFGPU_PDE_VALID : REFGPU_PTE_VALID)))
			return REFGPU_AS_FAULTSTATUS_TYPE_TRANSLATION;
		if (l == REFGPU_MMU_LEVELS - 1)
			break;
		if (!refgpu_mmu_well_formed(entry, REFGPU_PDE_RES0, REFGPU_PDE_RES1))
			return REFGPU_AS_FAULTSTATUS_TYPE_RESERVED;
		table = entry & REFGPU_PDE_ADDR;
	}
	if (!refgpu_mmu_well_formed(entry, REFGPU_PTE_RES0, REFGPU_PTE_RES1))
		return REFGPU_AS_FAULTSTATUS_TYPE_RESERVED;
	*pte = entry;
	return REFGPU_AS_FAULTSTATUS_TYPE_NONE;
}

/**
 * refgpu_mmu_translate() - Translate one access through an address space
 * @as: The address space.
 * @mem: How to read the page tables.
 * @va: GPU virtual address.
 * @access: REFGPU_MMU_READ, _WRITE or _EXEC.
 * @pa: The physical address, on success.
 * @fault: What went wrong, on a fault.
 *
 * A TLB hit reads no memory and uses the cached entry, however the tables
 * changed since. A miss walks the tables and caches the page entry it finds
 * (valid and well formed, whether or not it allows @access), replacing the
 * entries round robin.
 *
 * Return: REFGPU_AS_FAULTSTATUS_TYPE_NONE (0), or the fault type.
 */
u32 refgpu_mmu_translate(struct refgpu_mmu_as *as, const struct refgpu_mmu_mem *mem,
			 u64 va, u32 access, u64 *pa, struct refgpu_mmu_fault *fault)
{
	const struct refgpu_mmu_tlb_entry *hit;
	u64 page = va & ~REFGPU_VA_OFFSET;
	u64 pte = 0;
	u32 type, level = 0;

	if (!as->enabled)
		return refgpu_mmu_fault(fault, REFGPU_AS_FAULTSTATUS_TYPE_DISABLED, 0, access, va);
	if (!refgpu_mmu_well_formed(va, REFGPU_VA_RES0, REFGPU_VA_RES1))
		return refgpu_mmu_fault(fault, REFGPU_AS_FAULTSTATUS_TYPE_ADDRESS, 0, access, va);

	hit = refgpu_mmu_tlb_find(as, page);
	if (hit) {
		as->hits++;
		pte = hit->pte;
	} else {
		as->walks++;
		type = refgpu_mmu_walk(as, mem, va, &pte, &level);
		if (type != REFGPU_AS_FAULTSTATUS_TYPE_NONE)
			return refgpu_mmu_fault(fault, type, level, access, va);
		as->tlb[as->victim].page = page;
		as->tlb[as->victim].pte = pte;
		as->tlb[as->victim].valid = true;
		as->victim = (as->victim + 1) % REFGPU_MMU_TLB_SIZE;
	}

	if (!refgpu_mmu_allows(pte, access))
		return refgpu_mmu_fault(fault, REFGPU_AS_FAULTSTATUS_TYPE_PERMISSION,
					REFGPU_MMU_LEVELS - 1, access, va);
	*pa = (pte & REFGPU_PTE_ADDR) | (va & REFGPU_VA_OFFSET);
	return REFGPU_AS_FAULTSTATUS_TYPE_NONE;
}
