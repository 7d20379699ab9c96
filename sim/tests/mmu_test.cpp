// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// The model's MMU (sim/refgpu_mmu.c) on the host: walks, faults, TLB. The
// page tables are written the way a driver writes them, with the C++ types
// of the register description (refgpu_regs.hpp), into a fake system memory;
// the walker reads them through the C macros of the same description. The
// Spec tests pin the formats to the numbers of docs/hardware.md, so a
// description both sides agree on but the spec does not is caught too.

extern "C" {
#include "kernel_shim.h"
#include "refgpu_mmu.h"
}
#include "refgpu_regs.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <random>

namespace regs = refgpu::regs;

namespace {

constexpr std::uint64_t kPage = 0x1000;
constexpr u32 kNone = REFGPU_AS_FAULTSTATUS_TYPE_NONE;
constexpr u32 kTranslation = REFGPU_AS_FAULTSTATUS_TYPE_TRANSLATION;
constexpr u32 kPermission = REFGPU_AS_FAULTSTATUS_TYPE_PERMISSION;
constexpr u32 kReserved = REFGPU_AS_FAULTSTATUS_TYPE_RESERVED;
constexpr u32 kAddress = REFGPU_AS_FAULTSTATUS_TYPE_ADDRESS;
constexpr u32 kDisabled = REFGPU_AS_FAULTSTATUS_TYPE_DISABLED;
constexpr u32 kBus = REFGPU_AS_FAULTSTATUS_TYPE_BUS;
constexpr u32 kAccesses[] = { REFGPU_MMU_READ, REFGPU_MMU_WRITE, REFGPU_MMU_EXEC };

// System memory: whole 4 KiB pages; any other physical address is not memory.
class Memory {
public:
	std::uint64_t alloc_page()
	{
		std::uint64_t pa = next_;
		next_ += kPage;
		pages_[pa].fill(0);
		return pa;
	}

	void write(std::uint64_t pa, std::uint64_t v)
	{
		pages_.at(pa & ~(kPage - 1))[(pa % kPage) / 8] = v;
	}

	std::uint64_t read(std::uint64_t pa) const
	{
		return pages_.at(pa & ~(kPage - 1))[(pa % kPage) / 8];
	}

	refgpu_mmu_mem ops()
	{
		return { read64, this };
	}

	unsigned reads = 0; // by the MMU

private:
	static bool read64(void *ctx, u64 pa, u64 *val)
	{
		auto *m = static_cast<Memory *>(ctx);
		m->reads++;
		EXPECT_EQ(pa % 8, 0u) << std::hex << pa;
		auto it = m->pages_.find(pa & ~(kPage - 1));
		if (it == m->pages_.end())
			return false;
		*val = it->second[(pa % kPage) / 8];
		return true;
	}

	std::map<std::uint64_t, std::array<std::uint64_t, 512>> pages_;
	std::uint64_t next_ = 0x40000000; // anywhere: the MMU takes what it is given
};

unsigned va_index(std::uint64_t va, unsigned level)
{
	switch (level) {
	case 0:
		return static_cast<unsigned>(regs::Va::L0::get(va));
	case 1:
		return static_cast<unsigned>(regs::Va::L1::get(va));
	case 2:
		return static_cast<unsigned>(regs::Va::L2::get(va));
	default:
		return static_cast<unsigned>(regs::Va::L3::get(va));
	}
}

std::uint64_t pde(std::uint64_t table)
{
	return regs::Pde::Addr::encode(table >> 12) | regs::Pde::Valid::encode(1);
}

std::uint64_t pte(std::uint64_t pa, bool r, bool w, bool x)
{
	return regs::Pte::Addr::encode(pa >> 12) | regs::Pte::Read::encode(r) |
	       regs::Pte::Write::encode(w) | regs::Pte::Exec::encode(x) |
	       regs::Pte::Valid::encode(1);
}

// A driver's page tables for one address space.
class Tables {
public:
	explicit Tables(Memory &mem)
		: mem_(mem)
		, root_(mem.alloc_page())
	{
	}

	std::uint64_t root() const
	{
		return root_;
	}

	// Physical address of the entry for @va at @level, making the tables above.
	std::uint64_t entry(std::uint64_t va, unsigned level)
	{
		std::uint64_t table = root_;
		for (unsigned l = 0; l < level; l++) {
			std::uint64_t at = table + va_index(va, l) * 8;
			std::uint64_t e = mem_.read(at);
			if (!regs::Pde::Valid::get(e)) {
				e = pde(mem_.alloc_page());
				mem_.write(at, e);
			}
			table = regs::Pde::Addr::get(e) << 12;
		}
		return table + va_index(va, level) * 8;
	}

	void map(std::uint64_t va, std::uint64_t pa, bool r = true, bool w = true, bool x = false)
	{
		mem_.write(entry(va, 3), pte(pa, r, w, x));
	}

private:
	Memory &mem_;
	std::uint64_t root_;
};

struct Result {
	u32 type;
	std::uint64_t pa;
	refgpu_mmu_fault fault;
};

// The outputs the call must not touch keep these values.
constexpr std::uint64_t kUntouchedPa = 0x5a5a5a5a5a5a5a5a;
constexpr u32 kUntouched32 = 0xa5a5a5a5;

Result translate(refgpu_mmu_as &as, Memory &mem, std::uint64_t va, u32 access)
{
	refgpu_mmu_mem ops = mem.ops();
	u64 pa = kUntouchedPa;
	Result r;
	r.fault = { kUntouched32, kUntouched32, kUntouched32, kUntouchedPa };
	r.type = refgpu_mmu_translate(&as, &ops, va, access, &pa, &r.fault);
	r.pa = pa;
	if (r.type == kNone) {
		EXPECT_EQ(r.fault.type, kUntouched32) << "a translation wrote the fault";
	} else {
		EXPECT_EQ(r.pa, kUntouchedPa) << "a fault wrote the physical address";
		EXPECT_EQ(r.fault.type, r.type);
		EXPECT_EQ(r.fault.va, va);
		EXPECT_EQ(r.fault.access, access);
	}
	return r;
}

class Mmu : public ::testing::Test {
protected:
	void SetUp() override
	{
		refgpu_mmu_as_reset(&as);
		refgpu_mmu_as_update(&as, tables.root(), true);
	}

	Result access(std::uint64_t va, u32 acc = REFGPU_MMU_READ)
	{
		return translate(as, mem, va, acc);
	}

	// The page at @va translates (for a read) to @pa.
	void expect_pa(std::uint64_t va, std::uint64_t pa)
	{
		Result r = access(va);
		EXPECT_EQ(r.type, kNone) << std::hex << "va " << va;
		EXPECT_EQ(r.pa, pa) << std::hex << "va " << va;
	}

	void expect_fault(std::uint64_t va, u32 acc, u32 type, u32 level)
	{
		Result r = access(va, acc);
		EXPECT_EQ(r.type, type) << std::hex << "va " << va << " access " << acc;
		EXPECT_EQ(r.fault.level, level) << std::hex << "va " << va;
	}

	Memory mem;
	Tables tables{ mem };
	refgpu_mmu_as as{};
};

// The formats of docs/hardware.md, in numbers, not through the description.
TEST(Spec, VirtualAddressIsNineBitsPerLevel)
{
	static_assert(regs::Va::width == 64 && regs::Va::res0 == 0xffff000000000000);
	static_assert(regs::Va::L0::hi == 47 && regs::Va::L0::lo == 39);
	static_assert(regs::Va::L1::hi == 38 && regs::Va::L1::lo == 30);
	static_assert(regs::Va::L2::hi == 29 && regs::Va::L2::lo == 21);
	static_assert(regs::Va::L3::hi == 20 && regs::Va::L3::lo == 12);
	static_assert(regs::Va::Offset::mask == 0xfff);
	EXPECT_EQ(REFGPU_VA_L0, 0x0000ff8000000000ull);
	EXPECT_EQ(REFGPU_VA_OFFSET, 0xfffull);
	EXPECT_EQ(REFGPU_MMU_LEVELS, 4);
}

TEST(Spec, EntryFormats)
{
	static_assert(regs::Pde::res0 == 0xffff000000000ffe && regs::Pde::res1 == 0);
	static_assert(regs::Pde::Addr::mask == 0x0000fffffffff000 && regs::Pde::Valid::mask == 1);
	static_assert(regs::Pte::res0 == 0xffff000000000ff0 && regs::Pte::res1 == 0);
	static_assert(regs::Pte::Addr::mask == 0x0000fffffffff000);
	static_assert(regs::Pte::Valid::mask == 1 && regs::Pte::Read::mask == 2);
	static_assert(regs::Pte::Write::mask == 4 && regs::Pte::Exec::mask == 8);
	EXPECT_EQ(REFGPU_PTE_RES0, 0xffff000000000ff0ull);
	EXPECT_EQ(REFGPU_PDE_ADDR, 0x0000fffffffff000ull);
	EXPECT_EQ(REFGPU_MMU_AS_COUNT, 8);
	EXPECT_EQ(REFGPU_MMU_TLB_SIZE, 16);
}

// One walk written out by hand: VA 0x123456789abc has the indices 36, 209,
// 179 and 393, each table entry is the next table's address | VALID.
TEST_F(Mmu, HandWrittenWalk)
{
	const std::uint64_t l1 = mem.alloc_page(), l2 = mem.alloc_page(), l3 = mem.alloc_page();
	mem.write(tables.root() + 36 * 8, l1 | 1);
	mem.write(l1 + 209 * 8, l2 | 1);
	mem.write(l2 + 179 * 8, l3 | 1);
	mem.write(l3 + 393 * 8, 0x0000abcdef012000 | 0x3); // READ | VALID
	expect_pa(0x123456789abc, 0x0000abcdef012abc);
	EXPECT_EQ(mem.reads, 4u);
	expect_fault(0x123456789abc, REFGPU_MMU_WRITE, kPermission, 3);
}

TEST_F(Mmu, WalksFourLevels)
{
	const std::uint64_t top = (std::uint64_t{ 1 } << 48) - kPage;
	tables.map(0, 0x7000);
	tables.map(kPage, 0x0000fffffffff000);
	tables.map(top, 0x123000);
	expect_pa(0, 0x7000);
	expect_pa(kPage + 0x18, 0x0000fffffffff018);
	expect_pa(top + 0xfff, 0x123fff);
	EXPECT_EQ(mem.reads, 12u) << "four entries per walk";
	EXPECT_EQ(as.walks, 3u);
	EXPECT_EQ(as.hits, 0u);

	// Random pages, more than the TLB holds, each at its own physical page.
	std::mt19937_64 rng(6);
	std::map<std::uint64_t, std::uint64_t> pages;
	while (pages.size() < 200)
		pages[rng() % (top + kPage) & ~(kPage - 1)] = rng() & regs::Pte::Addr::mask;
	for (const auto &[va, pa] : pages)
		tables.map(va, pa);
	for (const auto &[va, pa] : pages) {
		std::uint64_t offset = rng() % kPage;
		expect_pa(va + offset, pa + offset);
	}
}

TEST_F(Mmu, EachLevelMissing)
{
	const std::uint64_t va = 0x0000123456789000;
	for (unsigned level = 0; level < REFGPU_MMU_LEVELS; level++) {
		SCOPED_TRACE(level);
		tables.map(va, 0x42000);
		refgpu_mmu_as_flush(&as);
		expect_pa(va, 0x42000);
		refgpu_mmu_as_flush(&as);
		const std::uint64_t at = tables.entry(va, level);
		const std::uint64_t saved = mem.read(at);
		// VALID clear: every other bit is ignored, even reserved ones.
		for (std::uint64_t e : { std::uint64_t{ 0 }, saved & ~std::uint64_t{ 1 },
					 ~std::uint64_t{ 1 } }) {
			mem.write(at, e);
			expect_fault(va + 0x10, REFGPU_MMU_WRITE, kTranslation, level);
		}
		mem.write(at, saved);
		expect_pa(va, 0x42000);
	}
	// A neighbour in the same tables is not affected by another's fault.
	tables.map(va + kPage, 0x43000);
	expect_pa(va + kPage, 0x43000);
}

TEST_F(Mmu, ReservedBitsFault)
{
	const std::uint64_t va = 0x00007f0000200000;
	tables.map(va, 0x9000);
	for (unsigned level = 0; level < REFGPU_MMU_LEVELS; level++) {
		const std::uint64_t res0 = level < 3 ? regs::Pde::res0 : regs::Pte::res0;
		const std::uint64_t at = tables.entry(va, level);
		const std::uint64_t good = mem.read(at);
		unsigned bits = 0;
		for (unsigned bit = 0; bit < 64; bit++) {
			if (!(res0 >> bit & 1))
				continue;
			SCOPED_TRACE("level " + std::to_string(level) + " bit " +
				     std::to_string(bit));
			mem.write(at, good | std::uint64_t{ 1 } << bit);
			refgpu_mmu_as_flush(&as);
			expect_fault(va, REFGPU_MMU_READ, kReserved, level);
			bits++;
		}
		EXPECT_EQ(bits, level < 3 ? 27u : 24u);
		mem.write(at, good);
	}
	refgpu_mmu_as_flush(&as);
	expect_pa(va, 0x9000);
}

TEST_F(Mmu, PermissionsPerAccess)
{
	for (unsigned perm = 0; perm < 8; perm++) {
		const bool r = perm & 1, w = perm & 2, x = perm & 4;
		const std::uint64_t va = 0x10000000 + perm * kPage;
		tables.map(va, 0x80000 + perm * kPage, r, w, x);
		const bool allowed[] = { r, w, x };
		for (unsigned i = 0; i < 3; i++) {
			SCOPED_TRACE("rwx " + std::to_string(perm) + " access " +
				     std::to_string(kAccesses[i]));
			Result res = access(va + 8, kAccesses[i]);
			if (allowed[i]) {
				EXPECT_EQ(res.type, kNone);
				EXPECT_EQ(res.pa, 0x80000 + perm * kPage + 8);
			} else {
				EXPECT_EQ(res.type, kPermission);
				EXPECT_EQ(res.fault.level, 3u);
			}
		}
	}
	// A write does not need READ, nor an execute.
	EXPECT_EQ(access(0x10000000 + 2 * kPage, REFGPU_MMU_WRITE).type, kNone);
	EXPECT_EQ(access(0x10000000 + 4 * kPage, REFGPU_MMU_EXEC).type, kNone);
	// An access type that does not exist is allowed nowhere.
	EXPECT_EQ(access(0x10000000 + 7 * kPage, 3).type, kPermission);
}

TEST_F(Mmu, AddressBeyond48Bits)
{
	tables.map(0, 0x1000);
	for (unsigned bit = 48; bit < 64; bit++) {
		SCOPED_TRACE(bit);
		expect_fault(std::uint64_t{ 1 } << bit, REFGPU_MMU_READ, kAddress, 0);
	}
	EXPECT_EQ(mem.reads, 0u);
	EXPECT_EQ(as.walks, 0u);
	expect_pa(0, 0x1000);
}

TEST_F(Mmu, DisabledFaultsEverything)
{
	tables.map(0x2000, 0x3000);
	expect_pa(0x2000, 0x3000);
	refgpu_mmu_as_update(&as, tables.root(), false);
	for (u32 acc : kAccesses)
		expect_fault(0x2000, acc, kDisabled, 0);
	const unsigned reads = mem.reads;
	refgpu_mmu_as_reset(&as);
	expect_fault(0x2000, REFGPU_MMU_READ, kDisabled, 0);
	EXPECT_EQ(mem.reads, reads);
	EXPECT_EQ(as.base, 0u);
	EXPECT_EQ(as.walks, 0u);
	refgpu_mmu_as_update(&as, tables.root(), true);
	expect_pa(0x2000, 0x3000);
}

TEST_F(Mmu, BusFaultOnATableOutsideMemory)
{
	const std::uint64_t va = 0x0000400000000000;
	tables.map(va, 0x5000);
	// A level-2 entry pointing at a table that is not memory.
	mem.write(tables.entry(va, 2), pde(0x0000800000000000));
	expect_fault(va, REFGPU_MMU_READ, kBus, 3);
	// The level-0 table itself.
	refgpu_mmu_as_update(&as, 0x0000900000000000, true);
	expect_fault(va, REFGPU_MMU_READ, kBus, 0);
}

TEST_F(Mmu, AddressSpacesAreIndependent)
{
	Tables other(mem);
	refgpu_mmu_as as2{};
	refgpu_mmu_as_reset(&as2);
	refgpu_mmu_as_update(&as2, other.root(), true);
	tables.map(0x1000, 0xa000);
	other.map(0x1000, 0xb000);
	expect_pa(0x1000, 0xa000);
	EXPECT_EQ(translate(as2, mem, 0x1000, REFGPU_MMU_READ).pa, 0xb000u);
	// Each TLB is its own: flushing one leaves the other stale.
	tables.map(0x1000, 0xc000);
	other.map(0x1000, 0xd000);
	refgpu_mmu_as_flush(&as);
	expect_pa(0x1000, 0xc000);
	EXPECT_EQ(translate(as2, mem, 0x1000, REFGPU_MMU_READ).pa, 0xb000u);
}

TEST_F(Mmu, TlbHitReturnsTheStaleTranslationUntilFlushed)
{
	tables.map(0x3000, 0x10000);
	expect_pa(0x3000, 0x10000);
	const unsigned reads = mem.reads;
	tables.map(0x3000, 0x20000);
	expect_pa(0x3123, 0x10123);
	EXPECT_EQ(mem.reads, reads) << "a hit reads no memory";
	EXPECT_EQ(as.hits, 1u);
	refgpu_mmu_as_flush(&as);
	expect_pa(0x3123, 0x20123);
	EXPECT_EQ(as.walks, 2u);
}

TEST_F(Mmu, TlbKeepsAnUnmappedPageUntilFlushed)
{
	tables.map(0x4000, 0x11000);
	expect_pa(0x4000, 0x11000);
	mem.write(tables.entry(0x4000, 3), 0);
	expect_pa(0x4000, 0x11000);
	refgpu_mmu_as_flush(&as);
	expect_fault(0x4000, REFGPU_MMU_READ, kTranslation, 3);
}

TEST_F(Mmu, TlbKeepsStalePermissions)
{
	tables.map(0x5000, 0x12000, true, false, false);
	expect_pa(0x5000, 0x12000);
	expect_fault(0x5000, REFGPU_MMU_WRITE, kPermission, 3);
	// Made writable without a flush: the cached read-only entry still rules.
	tables.map(0x5000, 0x12000, true, true, false);
	expect_fault(0x5000, REFGPU_MMU_WRITE, kPermission, 3);
	EXPECT_EQ(as.walks, 1u);
	refgpu_mmu_as_flush(&as);
	EXPECT_EQ(access(0x5000, REFGPU_MMU_WRITE).type, kNone);
	// A denied first access caches the entry too.
	tables.map(0x6000, 0x13000, false, false, true);
	expect_fault(0x6000, REFGPU_MMU_READ, kPermission, 3);
	tables.map(0x6000, 0x13000, true, false, true);
	expect_fault(0x6000, REFGPU_MMU_READ, kPermission, 3);
	EXPECT_EQ(as.walks, 3u);
}

TEST_F(Mmu, FaultsAreNotCached)
{
	expect_fault(0x7000, REFGPU_MMU_READ, kTranslation, 0);
	tables.map(0x7000, 0x14000);
	expect_pa(0x7000, 0x14000);
	const std::uint64_t at = tables.entry(0x8000, 3);
	mem.write(at, pte(0x15000, true, true, false) | std::uint64_t{ 1 } << 4);
	expect_fault(0x8000, REFGPU_MMU_READ, kReserved, 3);
	mem.write(at, pte(0x15000, true, true, false));
	expect_pa(0x8000, 0x15000);
}

// Only page entries are cached: a changed table entry shows for the pages
// the TLB does not hold, and not for those it does.
TEST_F(Mmu, TableChangesShowOnlyForUncachedPages)
{
	const std::uint64_t a = 0x40000000, b = a + kPage; // one level-3 table
	tables.map(a, 0x16000);
	tables.map(b, 0x17000);
	expect_pa(a, 0x16000);
	const std::uint64_t l3 = mem.alloc_page();
	mem.write(l3 + va_index(a, 3) * 8, pte(0x26000, true, false, false));
	mem.write(l3 + va_index(b, 3) * 8, pte(0x27000, true, false, false));
	mem.write(tables.entry(a, 2), pde(l3));
	expect_pa(a, 0x16000);
	expect_pa(b, 0x27000);
}

TEST_F(Mmu, TlbEvictsRoundRobin)
{
	constexpr unsigned n = REFGPU_MMU_TLB_SIZE;
	auto va = [](unsigned i) { return 0x100000 + i * kPage; };
	for (unsigned i = 0; i <= n + 1; i++)
		tables.map(va(i), 0x200000 + i * kPage);
	// Exactly n pages fit: all stay cached, however their entries change.
	for (unsigned i = 0; i < n; i++)
		expect_pa(va(i), 0x200000 + i * kPage);
	for (unsigned i = 0; i <= n + 1; i++)
		tables.map(va(i), 0x300000 + i * kPage);
	for (unsigned i = 0; i < n; i++)
		expect_pa(va(i), 0x200000 + i * kPage);
	EXPECT_EQ(as.walks, n);
	// Page n replaces the oldest fill (page 0), page n + 1 the next (page 1).
	expect_pa(va(n), 0x300000 + n * kPage);
	expect_pa(va(2), 0x200000 + 2 * kPage);
	expect_pa(va(0), 0x300000);
	expect_pa(va(n), 0x300000 + n * kPage);
	expect_pa(va(3), 0x200000 + 3 * kPage);
	expect_pa(va(1), 0x300000 + kPage);
	EXPECT_EQ(as.walks, n + 3);
	// A flush restarts the order at entry 0.
	refgpu_mmu_as_flush(&as);
	for (unsigned i = 0; i < n; i++)
		expect_pa(va(i), 0x300000 + i * kPage);
	EXPECT_EQ(as.victim, 0u);
}

TEST_F(Mmu, UpdateEmptiesTheTlb)
{
	tables.map(0x9000, 0x18000);
	expect_pa(0x9000, 0x18000);
	tables.map(0x9000, 0x19000);
	refgpu_mmu_as_update(&as, tables.root(), true);
	expect_pa(0x9000, 0x19000);
	// A new base: nothing of the old tables is used.
	Tables other(mem);
	other.map(0x9000, 0x1a000);
	refgpu_mmu_as_update(&as, other.root(), true);
	expect_pa(0x9000, 0x1a000);
	expect_fault(0x0000008000000000, REFGPU_MMU_READ, kTranslation, 0);
}

} // namespace
