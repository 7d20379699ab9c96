/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
#ifndef __REFGPU_MMU_H__
#define __REFGPU_MMU_H__

#include <linux/mutex.h>
#include <linux/types.h>

struct refgpu_device;

/* Address spaces the driver knows; AS 0 is the firmware's, never a VM's. */
#define REFGPU_MMU_MAX_AS	8
#define REFGPU_MMU_FIRST_VM_AS	1

/* refgpu_as_assign() found no free address space. */
#define REFGPU_MMU_NO_AS	(-1)

/**
 * struct refgpu_mmu_as_slot - Who holds an address space
 * @used: The slot is assigned to a VM.
 * @client_id: &drm_file.client_id of the VM's file.
 * @vm_id: The VM's id in that file.
 */
struct refgpu_mmu_as_slot {
	bool used;
	u64 client_id;
	u32 vm_id;
};

/**
 * struct refgpu_mmu - The device's GPU MMU
 * @lock: Protects @slots and serialises the programming of address spaces.
 * @as_count: Address spaces the hardware has (CONFIG.AS_COUNT), at most
 *	%REFGPU_MMU_MAX_AS.
 * @slots: Owner of each address space.
 */
struct refgpu_mmu {
	struct mutex lock; /* see above */
	unsigned int as_count;
	struct refgpu_mmu_as_slot slots[REFGPU_MMU_MAX_AS];
};

int refgpu_mmu_init(struct refgpu_device *rdev);
void refgpu_mmu_fini(struct refgpu_device *rdev);
void refgpu_mmu_irq(struct refgpu_device *rdev, u32 status);

int refgpu_as_assign(struct refgpu_device *rdev, u64 client_id, u32 vm_id,
		     dma_addr_t transtab);
void refgpu_as_release(struct refgpu_device *rdev, int as);
void refgpu_as_flush(struct refgpu_device *rdev, int as);

#endif /* __REFGPU_MMU_H__ */
