// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// refgpu C++ driver: the GPU MMU (docs/hardware.md "GPU MMU"): AS slots,
// the fault interrupt, the refgpu_as debugfs file and the 4-level page
// tables, every entry built from the generated PTE/PDE/VA field types. The
// twin of c-driver/refgpu_mmu.c.

#include "refgpu_device.hpp"
#include "refgpu_vm.hpp"

namespace refgpu {

using kernel::Error;
using kernel::Status;
using regs::Pde;
using regs::Pte;
using regs::Va;

// The user ASes' bits in MMU_IRQ_* (1..7).
constexpr u32 mmu_irq_user = regs::MmuIrqMask::As::mask & ~(1u << 0);

// Bits of VA an entry of each level covers (its index starts there).
constexpr u32 level_shift[PageTable::levels] = {Va::L0::shift, Va::L1::shift, Va::L2::shift,
						Va::L3::shift};

static u32 index_at(u32 level, u64 va)
{
	return (va >> level_shift[level]) & (PageTable::entries - 1);
}

// End of the entry of @level that holds @va (overflow-free below 1 << 63).
static u64 entry_end(u32 level, u64 va)
{
	return ((va >> level_shift[level]) + 1) << level_shift[level];
}

PageTable::Children::~Children()
{
	for (PageTable *t : table)
		delete t;
}

kernel::Result<kernel::Box<PageTable>> PageTable::alloc(Device &rdev, u32 level)
{
	kernel::DmaPage page = TRY(kernel::DmaPage::alloc(rdev.base.parent(), kernel::Gfp::KernelZero));
	kernel::Box<PageTable> t = TRY(kernel::make_box<PageTable>(kernel::Gfp::Kernel, kernel::move(page)));
	if (level < PageTable::levels - 1)
		t->children = TRY(kernel::make_box<Children>(kernel::Gfp::Kernel));
	return kernel::move(t);
}

PtPool::~PtPool()
{
	for (PageTable *&head : free_) {
		while (head)
			delete kernel::exchange(head, head->next_free);
	}
}

Status PtPool::reserve(Device &rdev, u32 level, u64 n)
{
	for (u64 i = 0; i < n; i++) {
		PageTable *t = TRY(PageTable::alloc(rdev, level)).release();
		t->next_free = free_[level];
		free_[level] = t;
	}
	return {};
}

PageTable *PtPool::take(u32 level)
{
	PageTable *t = free_[level];
	if (!t) {
		refgpu_cpp_warn("refgpu_cpp: page-table pool of level %u is empty\n", level);
		return nullptr;
	}
	free_[level] = t->next_free;
	t->next_free = nullptr;
	return t;
}

// Tables of levels @level..3 a range needs where none exists yet.
static void count_fresh(u32 level, u64 start, u64 end, u64 counts[PageTable::levels])
{
	for (u32 l = level; l < PageTable::levels; l++)
		counts[l] += ((end - 1) >> level_shift[l - 1]) - (start >> level_shift[l - 1]) + 1;
}

static void count_missing(const PageTable &t, u32 level, u64 start, u64 end,
			  u64 counts[PageTable::levels])
{
	for (u64 s = start; s < end;) {
		u64 e = kernel::min(entry_end(level, s), end);
		const PageTable *child = t.children->table[index_at(level, s)];

		if (!child)
			count_fresh(level + 1, s, e, counts);
		else if (level + 1 < PageTable::levels - 1)
			count_missing(*child, level + 1, s, e, counts);
		s = e;
	}
}

void pt_count_missing(PageTable &root, u64 va, u64 size, u64 counts[PageTable::levels])
{
	count_missing(root, 0, va, va + size, counts);
}

static u64 *entries_of(const PageTable &t)
{
	return static_cast<u64 *>(t.page.cpu());
}

static void write_entry(const PageTable &t, u32 index, u64 value)
{
	__atomic_store_n(&entries_of(t)[index], kernel::cpu_to_le64(value), __ATOMIC_RELAXED);
}

// The level-3 table of @va, made (from @pool, linked by a PDE) if missing.
static PageTable *leaf_for(PageTable &root, PtPool &pool, u64 va)
{
	PageTable *t = &root;

	for (u32 level = 0; level < PageTable::levels - 1; level++) {
		PageTable *&child = t->children->table[index_at(level, va)];

		if (!child) {
			child = pool.take(level + 1);
			if (!child)
				return nullptr;
			write_entry(*t, index_at(level, va),
				    Pde::Addr::encode(child->page.dma() >> Pde::Addr::shift) |
					    Pde::Valid::mask);
			t->page.sync_for_device();
		}
		t = child;
	}
	return t;
}

static u64 pte_of(u64 dma, u32 flags)
{
	u64 pte = Pte::Addr::encode(dma >> Pte::Addr::shift) | Pte::Valid::mask | Pte::Read::mask;

	if (!(flags & DRM_REFGPU_VM_BIND_READ_ONLY))
		pte |= Pte::Write::mask;
	if (!(flags & DRM_REFGPU_VM_BIND_NO_EXEC))
		pte |= Pte::Exec::mask;
	return pte;
}

bool pt_map(Device &, PageTable &root, PtPool &pool, u64 va, u64 size,
	    const kernel::gem::SgTable &sgt, u64 offset, u32 flags)
{
	const u64 end = va + size;
	PageTable *leaf = nullptr;
	u64 leaf_end = 0;

	for (kernel::gem::SgTable::Segment seg : sgt) {
		if (va == end)
			break;
		if (offset >= seg.len) {
			offset -= seg.len;
			continue;
		}
		for (u64 at = offset; at < seg.len && va < end; at += gpu_page_size) {
			if (va >= leaf_end) {
				if (leaf)
					leaf->page.sync_for_device();
				leaf = leaf_for(root, pool, va);
				if (!leaf)
					return false;
				leaf_end = entry_end(PageTable::levels - 2, va);
			}
			write_entry(*leaf, index_at(PageTable::levels - 1, va), pte_of(seg.dma + at, flags));
			va += gpu_page_size;
		}
		offset = 0;
	}
	if (leaf)
		leaf->page.sync_for_device();
	if (va != end)
		refgpu_cpp_warn("refgpu_cpp: BO pages end before the mapping\n");
	return va == end;
}

static bool unmap_level(PageTable &t, u32 level, u64 start, u64 end)
{
	bool changed = false;

	for (u64 s = start; s < end;) {
		u64 e = kernel::min(entry_end(level, s), end);
		u32 i = index_at(level, s);

		if (level == PageTable::levels - 1) {
			if (entries_of(t)[i] & kernel::cpu_to_le64(Pte::Valid::mask)) {
				write_entry(t, i, 0);
				changed = true;
			}
		} else if (PageTable *child = t.children->table[i]) {
			bool c = unmap_level(*child, level + 1, s, e);

			if (c && level + 1 == PageTable::levels - 1)
				child->page.sync_for_device();
			changed |= c;
		}
		s = e;
	}
	return changed;
}

bool pt_unmap(PageTable &root, u64 va, u64 size)
{
	return unmap_level(root, 0, va, va + size);
}

static void as_program(Device &rdev, u32 as, u32 transtab_lo, u32 transtab_hi)
{
	if (auto io = rdev.mmio.access()) {
		io->write_at<regs::AsTranstabLo>(as, transtab_lo);
		io->write_at<regs::AsTranstabHi>(as, transtab_hi);
		io->write_at<regs::AsCommand>(
			as, regs::AsCommand::CmdField::encode(regs::AsCommand::Cmd::Update));
	}
}

int mmu_as_assign(Device &rdev, const Vm &vm, const PageTable &root)
{
	auto slots = rdev.as_slots.lock();

	for (u32 as = as_first_user; as < as_count; as++) {
		AsSlot &s = slots->slot[as];

		if (s.used)
			continue;
		s = AsSlot{true, vm.id, vm.client_id};
		const u64 base = root.page.dma();
		as_program(rdev, as,
			   regs::AsTranstabLo::Addr::encode(u32(base) >> regs::AsTranstabLo::Addr::shift) |
				   regs::AsTranstabLo::Enable::mask,
			   regs::AsTranstabHi::Addr::encode(u32(base >> 32)));
		return int(as);
	}
	return -1;
}

void mmu_as_release(Device &rdev, int as)
{
	if (as < 0)
		return;
	auto slots = rdev.as_slots.lock();
	as_program(rdev, u32(as), 0, 0);
	slots->slot[as] = AsSlot{};
}

void mmu_as_flush(Device &rdev, int as)
{
	if (as < 0)
		return;
	if (auto io = rdev.mmio.access())
		io->write_at<regs::AsCommand>(
			u32(as), regs::AsCommand::CmdField::encode(regs::AsCommand::Cmd::FlushTlb));
}

bool mmu_irq(Device &rdev)
{
	auto io = rdev.mmio.access();
	if (!io)
		return false;

	u32 status = io->read<regs::MmuIrqStatus>();
	if (!status)
		return false;

	for (u32 as = 0; as < as_count; as++) {
		if (!(status & (1u << as)))
			continue;
		u32 fs = io->read_at<regs::AsFaultstatus>(as);
		u64 va = u64(io->read_at<regs::AsFaultaddressHi>(as)) << 32 |
			 io->read_at<regs::AsFaultaddressLo>(as);

		rdev.base.parent().warn_ratelimited(
			"AS %u: MMU fault type %u level %u access %u at VA %#llx%s\n", as,
			u32(regs::AsFaultstatus::TypeField::get(fs)), regs::AsFaultstatus::Level::get(fs),
			u32(regs::AsFaultstatus::AccessTypeField::get(fs)), (unsigned long long)va,
			regs::AsFaultstatus::Multiple::get(fs) ? " (more)" : "");
		io->write<regs::MmuIrqRawstat>(1u << as);
	}
	return true;
}

// /sys/kernel/debug/dri/<dev>/refgpu_as: one line per assigned AS.
static int debugfs_as_show(::drm_device *drm, ::seq_file *m)
{
	Device &rdev = to_refgpu_device(drm);
	kernel::drm::SeqFile seq(m);
	auto slots = rdev.as_slots.lock();

	for (u32 as = 0; as < as_count; as++) {
		const AsSlot &s = slots->slot[as];

		if (s.used)
			seq.printf("as=%u client=%llu vm=%u\n", as, (unsigned long long)s.client_id,
				   s.vm_id);
	}
	return 0;
}

void mmu_init(Device &rdev)
{
	if (auto io = rdev.mmio.access())
		io->write<regs::MmuIrqMask>(mmu_irq_user);
	rdev.base.debugfs_add_file("refgpu_as", debugfs_as_show);
}

void mmu_fini(Device &rdev)
{
	// At remove the device is already unplugged: straight to the MMIO,
	// as for the GPU interrupt mask.
	rdev.iomem.write<regs::MmuIrqMask>(0);
}

} // namespace refgpu

#ifdef REFGPU_KUNIT_TEST
#include "tests/refgpu_mmu_test.cpp"
#endif
