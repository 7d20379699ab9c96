// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu C driver: the GPU MMU's address spaces (AS). AS 0 belongs to the
 * firmware; VMs get the lowest free one of the others at creation, or none.
 * Every register access made on behalf of a VM sits inside
 * drm_dev_enter()/drm_dev_exit(): a VM can outlive the device's binding.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/cleanup.h>
#include <linux/minmax.h>
#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_managed.h>

#include "refgpu_device.h"
#include "refgpu_mmu.h"
#include "refgpu_regs.h"

static_assert(REFGPU_MMU_MAX_AS == REFGPU_AS_TRANSTAB_LO_COUNT);

/* MMU_IRQ_MASK bits of the address spaces VMs use. */
static u32 refgpu_mmu_irq_used(struct refgpu_device *rdev)
{
	return FIELD_PREP(REFGPU_MMU_IRQ_MASK_AS,
			  GENMASK(rdev->mmu.as_count - 1, REFGPU_MMU_FIRST_VM_AS));
}

/* Load TRANSTAB (0: disabled) into @as; UPDATE also empties its TLB. */
static void refgpu_as_write(struct refgpu_device *rdev, int as, u32 lo, u32 hi)
{
	gpu_write(rdev, REFGPU_AS_TRANSTAB_LO(as), lo);
	gpu_write(rdev, REFGPU_AS_TRANSTAB_HI(as), hi);
	gpu_write(rdev, REFGPU_AS_COMMAND(as),
		  FIELD_PREP(REFGPU_AS_COMMAND_CMD, REFGPU_AS_COMMAND_CMD_UPDATE));
}

/**
 * refgpu_as_assign() - Give a VM the lowest free address space
 * @rdev: The device.
 * @client_id: &drm_file.client_id of the VM's file (for debugfs).
 * @vm_id: The VM's id in its file (for debugfs).
 * @transtab: DMA address of the VM's level-0 table.
 *
 * Takes the lowest free AS of 1..as_count-1 and points it at @transtab.
 * When the device is gone the slot is taken but nothing is programmed.
 *
 * Return: The AS, or %REFGPU_MMU_NO_AS when all are taken (not an error).
 */
int refgpu_as_assign(struct refgpu_device *rdev, u64 client_id, u32 vm_id,
		     dma_addr_t transtab)
{
	struct refgpu_mmu *mmu = &rdev->mmu;
	int as, idx;

	guard(mutex)(&mmu->lock);
	for (as = REFGPU_MMU_FIRST_VM_AS; as < mmu->as_count; as++)
		if (!mmu->slots[as].used)
			break;
	if (as >= mmu->as_count)
		return REFGPU_MMU_NO_AS;

	mmu->slots[as] = (struct refgpu_mmu_as_slot) {
		.used = true, .client_id = client_id, .vm_id = vm_id,
	};
	if (drm_dev_enter(&rdev->base, &idx)) {
		u32 lo = (lower_32_bits(transtab) & REFGPU_AS_TRANSTAB_LO_ADDR) |
			 REFGPU_AS_TRANSTAB_LO_ENABLE;
		u32 hi = FIELD_PREP(REFGPU_AS_TRANSTAB_HI_ADDR, upper_32_bits(transtab));

		refgpu_as_write(rdev, as, lo, hi);
		drm_dev_exit(idx);
	}
	return as;
}

/**
 * refgpu_as_release() - Disable an address space and free its slot
 * @rdev: The device.
 * @as: The AS from refgpu_as_assign(), or %REFGPU_MMU_NO_AS (nothing).
 *
 * Disables the AS (which also empties its TLB) before returning, so the
 * caller may free the page tables it pointed at.
 */
void refgpu_as_release(struct refgpu_device *rdev, int as)
{
	struct refgpu_mmu *mmu = &rdev->mmu;
	int idx;

	if (as == REFGPU_MMU_NO_AS)
		return;

	guard(mutex)(&mmu->lock);
	if (drm_dev_enter(&rdev->base, &idx)) {
		refgpu_as_write(rdev, as, 0, 0);
		drm_dev_exit(idx);
	}
	mmu->slots[as].used = false;
}

/**
 * refgpu_as_flush() - Empty an address space's TLB
 * @rdev: The device.
 * @as: The AS, or %REFGPU_MMU_NO_AS (nothing to do).
 *
 * The MMU has finished the flush when the register write returns. The
 * caller holds the VM's lock, so @as stays the VM's meanwhile.
 */
void refgpu_as_flush(struct refgpu_device *rdev, int as)
{
	int idx;

	if (as == REFGPU_MMU_NO_AS || !drm_dev_enter(&rdev->base, &idx))
		return;

	gpu_write(rdev, REFGPU_AS_COMMAND(as),
		  FIELD_PREP(REFGPU_AS_COMMAND_CMD, REFGPU_AS_COMMAND_CMD_FLUSH_TLB));
	drm_dev_exit(idx);
}

/**
 * refgpu_mmu_irq() - Handle MMU interrupts
 * @rdev: The device.
 * @status: MMU_IRQ_STATUS as read by the interrupt handler.
 *
 * Logs the fault each set bit's AS latched and acknowledges the bit.
 */
void refgpu_mmu_irq(struct refgpu_device *rdev, u32 status)
{
	unsigned long pending = FIELD_GET(REFGPU_MMU_IRQ_STATUS_AS, status);
	struct device *dev = rdev->base.dev;
	unsigned int as;

	for_each_set_bit(as, &pending, REFGPU_MMU_MAX_AS) {
		u32 fault = gpu_read(rdev, REFGPU_AS_FAULTSTATUS(as));
		u64 va = (u64)gpu_read(rdev, REFGPU_AS_FAULTADDRESS_HI(as)) << 32 |
			 gpu_read(rdev, REFGPU_AS_FAULTADDRESS_LO(as));

		u32 type = FIELD_GET(REFGPU_AS_FAULTSTATUS_TYPE, fault);
		u32 level = FIELD_GET(REFGPU_AS_FAULTSTATUS_LEVEL, fault);
		u32 access = FIELD_GET(REFGPU_AS_FAULTSTATUS_ACCESS_TYPE, fault);
		bool multiple = FIELD_GET(REFGPU_AS_FAULTSTATUS_MULTIPLE, fault);

		dev_warn_ratelimited(dev, "AS %u: MMU fault type %u level %u access %u at VA %#llx%s\n",
				     as, type, level, access, va, multiple ? " (more)" : "");
		gpu_write(rdev, REFGPU_MMU_IRQ_RAWSTAT,
			  FIELD_PREP(REFGPU_MMU_IRQ_RAWSTAT_AS, BIT(as)));
	}
}

/* debugfs refgpu_as: one line per assigned AS, ascending. */
static int refgpu_as_show(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct refgpu_mmu *mmu = &to_refgpu_device(entry->dev)->mmu;
	unsigned int as;

	guard(mutex)(&mmu->lock);
	for (as = REFGPU_MMU_FIRST_VM_AS; as < mmu->as_count; as++)
		if (mmu->slots[as].used)
			seq_printf(m, "as=%u client=%llu vm=%u\n", as, mmu->slots[as].client_id,
				   mmu->slots[as].vm_id);
	return 0;
}

/**
 * refgpu_mmu_init() - Set the MMU up at probe
 * @rdev: The device, reset, with its interrupt handler installed and its
 *	DRM device not registered yet.
 *
 * Reads the number of address spaces, adds the ``refgpu_as`` debugfs file
 * and unmasks the MMU interrupts of the address spaces VMs use (last: on
 * failure nothing is left to undo).
 *
 * Return: 0 on success, a negative errno otherwise.
 */
int refgpu_mmu_init(struct refgpu_device *rdev)
{
	struct refgpu_mmu *mmu = &rdev->mmu;
	int ret;

	ret = drmm_mutex_init(&rdev->base, &mmu->lock);
	if (ret)
		return ret;

	mmu->as_count = min_t(unsigned int, REFGPU_MMU_MAX_AS,
			      FIELD_GET(REFGPU_CONFIG_AS_COUNT, gpu_read(rdev, REFGPU_CONFIG)));
	if (mmu->as_count <= REFGPU_MMU_FIRST_VM_AS) {
		drm_err(&rdev->base, "%u address spaces: none for VMs\n", mmu->as_count);
		return -ENODEV;
	}

	drm_debugfs_add_file(&rdev->base, "refgpu_as", refgpu_as_show, NULL);
	gpu_write(rdev, REFGPU_MMU_IRQ_MASK, refgpu_mmu_irq_used(rdev));
	return 0;
}

/**
 * refgpu_mmu_fini() - Quiesce the MMU at remove
 * @rdev: The device, unplugged: no VM code touches registers any more.
 *
 * Masks the MMU interrupts and disables every address space still held by a
 * VM of a file that stays open, so the GPU cannot walk tables that file's
 * close will free. The slots stay taken until their VMs are destroyed.
 */
void refgpu_mmu_fini(struct refgpu_device *rdev)
{
	struct refgpu_mmu *mmu = &rdev->mmu;
	unsigned int as;

	gpu_write(rdev, REFGPU_MMU_IRQ_MASK, 0);

	guard(mutex)(&mmu->lock);
	for (as = REFGPU_MMU_FIRST_VM_AS; as < mmu->as_count; as++)
		if (mmu->slots[as].used)
			refgpu_as_write(rdev, as, 0, 0);
}
