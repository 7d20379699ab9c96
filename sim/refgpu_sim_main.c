// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu device model for User-Mode Linux: the refgpu hardware, executable.
 *
 * Creates refgpu platform devices. Each has a 4 KiB register window served
 * through logic_iomem (so drivers use plain ioremap/readl/writel) and one
 * interrupt line from an irq_sim domain (so drivers use plain request_irq).
 * The register block, its access types and its reset values come from the
 * one register description (shared-uapi/regs/refgpu.regs), through the
 * generated refgpu_regs.h; docs/hardware.md describes the behaviour. The
 * GPU MMU's walker and TLB are in refgpu_mmu.c; this file gives them the
 * registers, system memory and the fault interrupt.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/bitfield.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/ioport.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/irq.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/irq_sim.h>
#include <linux/irqdomain.h>
#include <linux/logic_iomem.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "refgpu_core.h"

#define REFGPU_REGS_TABLE
#include "refgpu_regs.h"
#include "refgpu_mmu.h"

#define REFGPU_SIM_MAX_DEVICES	8
#define REFGPU_SIM_BASE		0x20000000UL
#define REFGPU_SIM_NREGS	(REFGPU_BLOCK_SIZE / sizeof(u32))

/* The MMU's registers, interrupt bits and state agree on the AS count. */
static_assert(GENMASK(REFGPU_MMU_AS_COUNT - 1, 0) == REFGPU_MMU_IRQ_RAWSTAT_AS);
static_assert(REFGPU_AS_TRANSTAB_HI_COUNT == REFGPU_MMU_AS_COUNT);
static_assert(REFGPU_AS_COMMAND_COUNT == REFGPU_MMU_AS_COUNT);
static_assert(REFGPU_AS_STATUS_COUNT == REFGPU_MMU_AS_COUNT);
static_assert(REFGPU_AS_FAULTSTATUS_COUNT == REFGPU_MMU_AS_COUNT);
static_assert(REFGPU_AS_FAULTADDRESS_LO_COUNT == REFGPU_MMU_AS_COUNT);
static_assert(REFGPU_AS_FAULTADDRESS_HI_COUNT == REFGPU_MMU_AS_COUNT);
/* TRANSTAB holds exactly a table entry's address bits. */
static_assert(((u64)REFGPU_AS_TRANSTAB_HI_ADDR << 32 | REFGPU_AS_TRANSTAB_LO_ADDR) ==
	      REFGPU_PDE_ADDR);

static unsigned int devices = 2;
module_param(devices, uint, 0444);
MODULE_PARM_DESC(devices, "Number of refgpu devices to create (0-8, default 2)");

static char *bind = IS_ENABLED(CONFIG_DRM_REFGPU_C) && IS_ENABLED(CONFIG_DRM_REFGPU_CPP) ?
		    "refgpu_c,refgpu_cpp" : "";
module_param(bind, charp, 0444);
MODULE_PARM_DESC(bind,
		 "Comma-separated driver_override per device; an empty entry leaves the choice to refgpu.impl");

/**
 * struct refgpu_sim_dev - One simulated refgpu
 * @index: Device number, also the platform device id.
 * @lock: Serialises register accesses and the interrupt state.
 * @regs: Register file, one u32 per 4-byte offset of the window.
 * @fwnode: Name of @domain.
 * @domain: The irq_sim domain holding this device's one interrupt line.
 * @virq: Linux interrupt number of the line.
 * @pdev: The platform device drivers bind to.
 * @debugfs: The device's directory of test hooks.
 * @as: MMU state (active table base, TLB) of each address space.
 * @mmu_result: What the last access through the mmu_access hook gave.
 */
struct refgpu_sim_dev {
	unsigned int index;
	spinlock_t lock; /* protects @regs, @as and @mmu_result */
	u32 regs[REFGPU_SIM_NREGS];
	struct fwnode_handle *fwnode;
	struct irq_domain *domain;
	unsigned int virq;
	struct platform_device *pdev;
	struct dentry *debugfs;
	struct refgpu_mmu_as as[REFGPU_MMU_AS_COUNT];
	char mmu_result[128];
};

static struct refgpu_sim_dev *sim_devs[REFGPU_SIM_MAX_DEVICES];
static struct dentry *refgpu_sim_debugfs;

static struct resource refgpu_sim_region = {
	.name = "refgpu-sim",
	.start = REFGPU_SIM_BASE,
	.end = REFGPU_SIM_BASE + REFGPU_SIM_MAX_DEVICES * REFGPU_BLOCK_SIZE - 1,
	.flags = IORESOURCE_MEM,
};

/* The description of the register at @offset, and its array index. */
static const struct refgpu_reg_info *
refgpu_sim_lookup(unsigned int offset, unsigned int *index)
{
	unsigned int i;

	for (i = 0; i < REFGPU_REG_TABLE_SIZE; i++) {
		const struct refgpu_reg_info *r = &refgpu_reg_table[i];
		unsigned int rel;

		if (offset < r->offset)
			continue;
		rel = offset - r->offset;
		if (rel % r->stride == 0 && rel / r->stride < r->count) {
			*index = rel / r->stride;
			return r;
		}
	}
	return NULL;
}

static u32 *reg(struct refgpu_sim_dev *sdev, unsigned int offset)
{
	return &sdev->regs[offset / sizeof(u32)];
}

/* Registers to their reset values; every address space disabled, TLBs empty. */
static void refgpu_sim_reset(struct refgpu_sim_dev *sdev)
{
	unsigned int i, n;

	memset(sdev->regs, 0, sizeof(sdev->regs));
	for (i = 0; i < REFGPU_REG_TABLE_SIZE; i++) {
		const struct refgpu_reg_info *r = &refgpu_reg_table[i];

		for (n = 0; n < r->count; n++)
			*reg(sdev, r->offset + n * r->stride) = r->reset;
	}
	for (i = 0; i < REFGPU_MMU_AS_COUNT; i++)
		refgpu_mmu_as_reset(&sdev->as[i]);
}

/*
 * Recompute IRQ_STATUS and MMU_IRQ_STATUS and raise the line while either
 * is non-zero.
 */
static void refgpu_sim_update_irq(struct refgpu_sim_dev *sdev)
{
	u32 status = *reg(sdev, REFGPU_IRQ_RAWSTAT) & *reg(sdev, REFGPU_IRQ_MASK);
	u32 mmu = *reg(sdev, REFGPU_MMU_IRQ_RAWSTAT) & *reg(sdev, REFGPU_MMU_IRQ_MASK);

	*reg(sdev, REFGPU_IRQ_STATUS) = status;
	*reg(sdev, REFGPU_MMU_IRQ_STATUS) = mmu;
	if (status || mmu)
		irq_set_irqchip_state(sdev->virq, IRQCHIP_STATE_PENDING, true);
}

/*
 * System memory as the GPU sees it. On UML a DMA address is the physical
 * address of kernel memory, so the page-table base and every table entry
 * the driver writes are physical addresses; pfn_valid() says which are
 * memory. The load is an ordinary one through the kernel's mapping of the
 * page, so KASAN checks it: a walk through page tables the driver has freed
 * is reported as a use-after-free.
 */
static bool refgpu_sim_read64(void *ctx, u64 pa, u64 *val)
{
	unsigned long pfn = PHYS_PFN(pa);
	void *page;

	if (!pfn_valid(pfn))
		return false;
	page = kmap_local_pfn(pfn);
	*val = le64_to_cpu(*(__le64 *)(page + offset_in_page(pa)));
	kunmap_local(page);
	return true;
}

/*
 * Latch @fault in address space @as (the first one since its MMU_IRQ_RAWSTAT
 * bit was clear; later ones only set MULTIPLE) and raise the MMU interrupt.
 */
static void refgpu_sim_mmu_fault(struct refgpu_sim_dev *sdev, unsigned int as,
				 const struct refgpu_mmu_fault *fault)
{
	u32 *status = reg(sdev, REFGPU_AS_FAULTSTATUS(as));

	lockdep_assert_held(&sdev->lock);
	if (*reg(sdev, REFGPU_MMU_IRQ_RAWSTAT) & BIT(as)) {
		*status |= REFGPU_AS_FAULTSTATUS_MULTIPLE;
	} else {
		*status = FIELD_PREP(REFGPU_AS_FAULTSTATUS_TYPE, fault->type) |
			  FIELD_PREP(REFGPU_AS_FAULTSTATUS_LEVEL, fault->level) |
			  FIELD_PREP(REFGPU_AS_FAULTSTATUS_ACCESS_TYPE, fault->access);
		*reg(sdev, REFGPU_AS_FAULTADDRESS_LO(as)) = lower_32_bits(fault->va);
		*reg(sdev, REFGPU_AS_FAULTADDRESS_HI(as)) = upper_32_bits(fault->va);
		*reg(sdev, REFGPU_MMU_IRQ_RAWSTAT) |= BIT(as);
	}
	refgpu_sim_update_irq(sdev);
}

/*
 * One GPU access at @va in address space @as, the way the engine makes
 * them: through the TLB, and a fault is latched and raised. Returns
 * REFGPU_AS_FAULTSTATUS_TYPE_NONE with the physical address in *@pa, or the
 * fault type with *@fault.
 */
static u32 refgpu_sim_mmu_access(struct refgpu_sim_dev *sdev, unsigned int as, u64 va,
				 u32 access, u64 *pa, struct refgpu_mmu_fault *fault)
{
	static const struct refgpu_mmu_mem mem = { .read64 = refgpu_sim_read64 };
	u32 type;

	lockdep_assert_held(&sdev->lock);
	type = refgpu_mmu_translate(&sdev->as[as], &mem, va, access, pa, fault);
	if (type != REFGPU_AS_FAULTSTATUS_TYPE_NONE)
		refgpu_sim_mmu_fault(sdev, as, fault);
	return type;
}

/* AS_COMMAND: UPDATE takes TRANSTAB (base and ENABLE); both empty the TLB. */
static void refgpu_sim_as_command(struct refgpu_sim_dev *sdev, unsigned int as, u32 val)
{
	u32 lo = *reg(sdev, REFGPU_AS_TRANSTAB_LO(as));
	u32 hi = *reg(sdev, REFGPU_AS_TRANSTAB_HI(as));
	u64 base = (u64)FIELD_GET(REFGPU_AS_TRANSTAB_HI_ADDR, hi) << 32 |
		   (lo & REFGPU_AS_TRANSTAB_LO_ADDR);
	bool enable = lo & REFGPU_AS_TRANSTAB_LO_ENABLE;

	switch (FIELD_GET(REFGPU_AS_COMMAND_CMD, val)) {
	case REFGPU_AS_COMMAND_CMD_UPDATE:
		refgpu_mmu_as_update(&sdev->as[as], base, enable);
		*reg(sdev, REFGPU_AS_STATUS(as)) = enable ? REFGPU_AS_STATUS_ENABLED : 0;
		break;
	case REFGPU_AS_COMMAND_CMD_FLUSH_TLB:
		refgpu_mmu_as_flush(&sdev->as[as]);
		break;
	}
}

static void refgpu_sim_side_effects(struct refgpu_sim_dev *sdev,
				    const struct refgpu_reg_info *r, unsigned int index, u32 val)
{
	switch (r->offset) {
	case REFGPU_SOFT_RESET:
		if (!(val & REFGPU_SOFT_RESET_RESET))
			return;
		refgpu_sim_reset(sdev);
		*reg(sdev, REFGPU_IRQ_RAWSTAT) |= REFGPU_IRQ_RAWSTAT_RESET_DONE;
		break;
	case REFGPU_DOORBELL(0):
		*reg(sdev, REFGPU_DOORBELL_LAST) =
			FIELD_PREP(REFGPU_DOORBELL_LAST_INDEX, index) |
			FIELD_PREP(REFGPU_DOORBELL_LAST_VALUE,
				   FIELD_GET(REFGPU_DOORBELL_VALUE, val));
		*reg(sdev, REFGPU_IRQ_RAWSTAT) |= REFGPU_IRQ_RAWSTAT_DOORBELL;
		break;
	case REFGPU_AS_COMMAND(0):
		refgpu_sim_as_command(sdev, index, val);
		break;
	}
	refgpu_sim_update_irq(sdev);
}

static unsigned long refgpu_sim_read(void *priv, unsigned int offset, int size)
{
	struct refgpu_sim_dev *sdev = priv;
	const struct refgpu_reg_info *r;
	unsigned long flags;
	unsigned int index;
	u32 val = 0;

	if (size != sizeof(u32) || offset % sizeof(u32) || offset >= REFGPU_BLOCK_SIZE) {
		dev_err_ratelimited(&sdev->pdev->dev, "sim: bad %d-byte read at %#x\n",
				    size, offset);
		return ~0UL;
	}

	spin_lock_irqsave(&sdev->lock, flags);
	r = refgpu_sim_lookup(offset, &index);
	if (r && r->access != REFGPU_ACCESS_WO)
		val = *reg(sdev, offset);
	spin_unlock_irqrestore(&sdev->lock, flags);

	return val;
}

static void refgpu_sim_write(void *priv, unsigned int offset, int size, unsigned long v)
{
	struct refgpu_sim_dev *sdev = priv;
	const struct refgpu_reg_info *r;
	unsigned long flags;
	unsigned int index;
	u32 val = v;

	if (size != sizeof(u32) || offset % sizeof(u32) || offset >= REFGPU_BLOCK_SIZE) {
		dev_err_ratelimited(&sdev->pdev->dev, "sim: bad %d-byte write at %#x\n",
				    size, offset);
		return;
	}

	/* Drivers access registers from their interrupt handlers too. */
	spin_lock_irqsave(&sdev->lock, flags);
	r = refgpu_sim_lookup(offset, &index);
	if (r) {
		switch (r->access) {
		case REFGPU_ACCESS_RW:
			*reg(sdev, offset) = (val & ~r->res0) | r->res1;
			break;
		case REFGPU_ACCESS_W1C:
			*reg(sdev, offset) &= ~val;
			break;
		default:
			/* RO: ignored. WO: not stored, only side effects. */
			break;
		}
		if (r->access != REFGPU_ACCESS_RO)
			refgpu_sim_side_effects(sdev, r, index, val);
	}
	spin_unlock_irqrestore(&sdev->lock, flags);
}

static const struct logic_iomem_ops refgpu_sim_iomem_ops = {
	.read = refgpu_sim_read,
	.write = refgpu_sim_write,
};

static long refgpu_sim_map(unsigned long offset, size_t size,
			   const struct logic_iomem_ops **ops, void **priv)
{
	unsigned int i = offset / REFGPU_BLOCK_SIZE;

	if (i >= REFGPU_SIM_MAX_DEVICES || !sim_devs[i] ||
	    offset % REFGPU_BLOCK_SIZE + size > REFGPU_BLOCK_SIZE)
		return -EINVAL;

	*ops = &refgpu_sim_iomem_ops;
	*priv = sim_devs[i];
	return offset % REFGPU_BLOCK_SIZE;
}

static const struct logic_iomem_region_ops refgpu_sim_region_ops = {
	.map = refgpu_sim_map,
};

/* The n-th comma-separated entry of @list, or NULL if empty or absent. */
static char *refgpu_sim_bind_entry(const char *list, unsigned int n)
{
	const char *start = list, *end;

	while (n--) {
		start = strchr(start, ',');
		if (!start)
			return NULL;
		start++;
	}
	end = strchrnul(start, ',');
	if (end == start)
		return NULL;
	return kstrndup(start, end - start, GFP_KERNEL);
}

/* Most faults one write to the fault hook raises. */
#define REFGPU_SIM_MAX_FAULTS		10000
#define REFGPU_SIM_FAULT_ACK_MS		100

static bool refgpu_sim_fault_pending(struct refgpu_sim_dev *sdev)
{
	guard(spinlock_irqsave)(&sdev->lock);
	return *reg(sdev, REFGPU_IRQ_RAWSTAT) & REFGPU_IRQ_RAWSTAT_FAULT;
}

/*
 * Test hook, not part of the hardware: writing N raises IRQ_RAWSTAT.FAULT N
 * times, each time waiting for the driver to acknowledge it (W1C), so a test
 * can drive both drivers' fault paths (logging, rate limits) the same way.
 * Fails with -ETIMEDOUT when a fault is not acknowledged within 100 ms (no
 * driver bound, or the interrupt masked).
 */
static ssize_t refgpu_sim_fault_write(struct file *file, const char __user *buf,
				      size_t len, loff_t *ppos)
{
	struct refgpu_sim_dev *sdev = file->private_data;
	unsigned long deadline;
	unsigned int n, i;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &n);
	if (ret)
		return ret;
	if (n > REFGPU_SIM_MAX_FAULTS)
		return -EINVAL;

	for (i = 0; i < n; i++) {
		scoped_guard(spinlock_irqsave, &sdev->lock) {
			*reg(sdev, REFGPU_IRQ_RAWSTAT) |= REFGPU_IRQ_RAWSTAT_FAULT;
			refgpu_sim_update_irq(sdev);
		}
		deadline = jiffies + msecs_to_jiffies(REFGPU_SIM_FAULT_ACK_MS);
		while (refgpu_sim_fault_pending(sdev)) {
			if (time_after(jiffies, deadline))
				return -ETIMEDOUT;
			usleep_range(50, 100);
		}
	}
	return len;
}

static const struct file_operations refgpu_sim_fault_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = refgpu_sim_fault_write,
};

static const char *const refgpu_sim_fault_types[] = {
	[REFGPU_AS_FAULTSTATUS_TYPE_NONE] = "none",
	[REFGPU_AS_FAULTSTATUS_TYPE_TRANSLATION] = "translation",
	[REFGPU_AS_FAULTSTATUS_TYPE_PERMISSION] = "permission",
	[REFGPU_AS_FAULTSTATUS_TYPE_RESERVED] = "reserved",
	[REFGPU_AS_FAULTSTATUS_TYPE_ADDRESS] = "address",
	[REFGPU_AS_FAULTSTATUS_TYPE_DISABLED] = "disabled",
	[REFGPU_AS_FAULTSTATUS_TYPE_BUS] = "bus",
};

/* The access letters of the mmu_access hook, indexed by access type. */
static const char refgpu_sim_accesses[] = {
	[REFGPU_MMU_READ] = 'r',
	[REFGPU_MMU_WRITE] = 'w',
	[REFGPU_MMU_EXEC] = 'x',
};

/*
 * Test hook, not part of the hardware, until the engine makes accesses:
 * writing "<as> <va> r|w|x" (AS in decimal, VA in hex) makes one GPU access
 * through that address space's MMU, exactly as the engine will (TLB filled
 * or hit, a fault latched in AS_FAULTSTATUS and raised as the MMU
 * interrupt); reading gives its outcome:
 *   pa=0x<physical address> tlb=hit|walk [data=0x<64-bit word>]
 *   fault type=<type> level=<n> access=r|w|x va=0x<va>
 * ("none" before the first access). Malformed input fails with -EINVAL.
 */
static ssize_t refgpu_sim_mmu_access_write(struct file *file, const char __user *ubuf,
					   size_t len, loff_t *ppos)
{
	struct refgpu_sim_dev *sdev = file->private_data;
	char buf[64], *cur = buf, *word, *words[4];
	struct refgpu_mmu_fault fault;
	unsigned int as, n = 0;
	u32 access, type;
	u64 va, pa, hits, data;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	while (n < ARRAY_SIZE(words) && (word = strsep(&cur, " \t\n")))
		if (*word)
			words[n++] = word;
	if (n != 3 || kstrtouint(words[0], 10, &as) || as >= REFGPU_MMU_AS_COUNT ||
	    kstrtou64(words[1], 16, &va) || strlen(words[2]) != 1)
		return -EINVAL;
	for (access = 0; access < ARRAY_SIZE(refgpu_sim_accesses); access++)
		if (refgpu_sim_accesses[access] == words[2][0])
			break;
	if (access == ARRAY_SIZE(refgpu_sim_accesses))
		return -EINVAL;

	guard(spinlock_irqsave)(&sdev->lock);
	hits = sdev->as[as].hits;
	type = refgpu_sim_mmu_access(sdev, as, va, access, &pa, &fault);
	if (type == REFGPU_AS_FAULTSTATUS_TYPE_NONE && access == REFGPU_MMU_READ &&
	    refgpu_sim_read64(NULL, pa & ~7ULL, &data))
		snprintf(sdev->mmu_result, sizeof(sdev->mmu_result),
			 "pa=0x%llx tlb=%s data=0x%016llx\n", pa,
			 sdev->as[as].hits != hits ? "hit" : "walk", data);
	else if (type == REFGPU_AS_FAULTSTATUS_TYPE_NONE)
		snprintf(sdev->mmu_result, sizeof(sdev->mmu_result), "pa=0x%llx tlb=%s\n", pa,
			 sdev->as[as].hits != hits ? "hit" : "walk");
	else
		snprintf(sdev->mmu_result, sizeof(sdev->mmu_result),
			 "fault type=%s level=%u access=%c va=0x%llx\n",
			 refgpu_sim_fault_types[type], fault.level,
			 refgpu_sim_accesses[fault.access], fault.va);
	return len;
}

static ssize_t refgpu_sim_mmu_access_read(struct file *file, char __user *ubuf, size_t len,
					  loff_t *ppos)
{
	struct refgpu_sim_dev *sdev = file->private_data;
	char result[sizeof(sdev->mmu_result)];

	scoped_guard(spinlock_irqsave, &sdev->lock)
		strscpy(result, sdev->mmu_result);
	return simple_read_from_buffer(ubuf, len, ppos, result, strlen(result));
}

static const struct file_operations refgpu_sim_mmu_access_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = refgpu_sim_mmu_access_read,
	.write = refgpu_sim_mmu_access_write,
};

static void refgpu_sim_destroy(struct refgpu_sim_dev *sdev)
{
	debugfs_remove_recursive(sdev->debugfs);
	if (sdev->pdev)
		platform_device_unregister(sdev->pdev);
	if (sdev->virq)
		irq_dispose_mapping(sdev->virq);
	if (sdev->domain)
		irq_domain_remove_sim(sdev->domain);
	if (sdev->fwnode)
		irq_domain_free_fwnode(sdev->fwnode);
	sim_devs[sdev->index] = NULL;
	kfree(sdev);
}

static int refgpu_sim_create(unsigned int index)
{
	struct refgpu_sim_dev *sdev;
	struct resource res[2];
	char *override;
	int ret;

	sdev = kzalloc(sizeof(*sdev), GFP_KERNEL);
	if (!sdev)
		return -ENOMEM;
	sdev->index = index;
	spin_lock_init(&sdev->lock);
	refgpu_sim_reset(sdev);
	strscpy(sdev->mmu_result, "none\n");
	sim_devs[index] = sdev;

	ret = -ENOMEM;
	sdev->fwnode = irq_domain_alloc_named_id_fwnode("refgpu-sim", index);
	if (!sdev->fwnode)
		goto err;
	sdev->domain = irq_domain_create_sim(sdev->fwnode, 1);
	if (IS_ERR(sdev->domain)) {
		ret = PTR_ERR(sdev->domain);
		sdev->domain = NULL;
		goto err;
	}
	sdev->virq = irq_create_mapping(sdev->domain, 0);
	if (!sdev->virq)
		goto err;

	sdev->pdev = platform_device_alloc(REFGPU_PLATFORM_NAME, index);
	if (!sdev->pdev)
		goto err;

	res[0] = DEFINE_RES_MEM(REFGPU_SIM_BASE + index * REFGPU_BLOCK_SIZE, REFGPU_BLOCK_SIZE);
	res[1] = DEFINE_RES_IRQ(sdev->virq);
	ret = platform_device_add_resources(sdev->pdev, res, ARRAY_SIZE(res));
	if (ret)
		goto err_put;

	override = refgpu_sim_bind_entry(bind, index);
	if (override) {
		ret = device_set_driver_override(&sdev->pdev->dev, override);
		kfree(override);
		if (ret)
			goto err_put;
	}

	ret = platform_device_add(sdev->pdev);
	if (ret)
		goto err_put;

	/* Named like the platform device; a failure only loses the test hook. */
	sdev->debugfs = debugfs_create_dir(dev_name(&sdev->pdev->dev), refgpu_sim_debugfs);
	debugfs_create_file("fault", 0200, sdev->debugfs, sdev, &refgpu_sim_fault_fops);
	debugfs_create_file("mmu_access", 0600, sdev->debugfs, sdev, &refgpu_sim_mmu_access_fops);
	return 0;

err_put:
	platform_device_put(sdev->pdev);
	sdev->pdev = NULL;
err:
	refgpu_sim_destroy(sdev);
	return ret;
}

/*
 * A late initcall when built in: the refgpu drivers are registered, so the
 * devices probe at once. There is no exit: a logic_iomem region cannot be
 * removed, so the module stays loaded.
 */
static int __init refgpu_sim_init(void)
{
	unsigned int i;
	int ret;

	/* CONFIG.AS_COUNT tells the truth (see the static_asserts above). */
	BUILD_BUG_ON(FIELD_GET(REFGPU_CONFIG_AS_COUNT, REFGPU_CONFIG_RESET_VALUE) !=
		     REFGPU_MMU_AS_COUNT);

	if (devices > REFGPU_SIM_MAX_DEVICES) {
		pr_err("refgpu-sim: devices=%u, at most %u\n", devices, REFGPU_SIM_MAX_DEVICES);
		return -EINVAL;
	}

	ret = logic_iomem_add_region(&refgpu_sim_region, &refgpu_sim_region_ops);
	if (ret)
		return ret;

	refgpu_sim_debugfs = debugfs_create_dir("refgpu-sim", NULL);
	for (i = 0; i < devices; i++) {
		ret = refgpu_sim_create(i);
		if (ret) {
			pr_err("refgpu-sim: device %u: %d\n", i, ret);
			while (i--)
				refgpu_sim_destroy(sim_devs[i]);
			debugfs_remove(refgpu_sim_debugfs);
			return ret;
		}
	}
	pr_info("refgpu-sim: %u device(s) at %#lx\n", devices, REFGPU_SIM_BASE);
	return 0;
}
late_initcall(refgpu_sim_init);

MODULE_DESCRIPTION("refgpu device model for User-Mode Linux");
MODULE_LICENSE("GPL");
