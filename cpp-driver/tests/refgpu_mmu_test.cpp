// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// KUnit suite refgpu_cpp_vm, page-table cases: the twins of the cases in
// c-driver/tests/refgpu_vm_test.c, with the same expected values (from
// docs/hardware.md, not from the code under test). Included at the end of
// refgpu_mmu.cpp, so it reaches its static functions.

#include "kernel/kunit.hpp"
#include "tests/refgpu_kunit_cases.h"

namespace refgpu::test {

using kernel::kunit::Test;

constexpr u64 sz_l3 = 1ULL << 12; // what one level-3 entry maps
constexpr u64 sz_l2 = 1ULL << 21;
constexpr u64 sz_l1 = 1ULL << 30;
constexpr u64 sz_l0 = 1ULL << 39;

// A table without a page: counting only looks at the children.
static PageTable *table(u32 level)
{
	auto *t = new (kernel::Gfp::Kernel) PageTable(kernel::DmaPage());

	if (t && level < PageTable::levels - 1) {
		auto children = kernel::make_box<PageTable::Children>(kernel::Gfp::Kernel);

		if (!children.ok()) {
			delete t;
			return nullptr;
		}
		t->children = children.take();
	}
	return t;
}

struct Counts {
	u64 n[PageTable::levels] = {};
};

static Counts count(PageTable &root, u64 va, u64 size)
{
	Counts c;

	pt_count_missing(root, va, size, c.n);
	return c;
}

} // namespace refgpu::test

using namespace refgpu;
using namespace refgpu::test;

extern "C" void refgpu_cpp_vm_test_pt_index(::kunit *k)
{
	Test t(k);
	const u64 va = 3 * sz_l0 + 5 * sz_l1 + 7 * sz_l2 + 9 * sz_l3 + 0x123;

	t.expect_eq(index_at(0, va), 3, "level 0 index");
	t.expect_eq(index_at(1, va), 5, "level 1 index");
	t.expect_eq(index_at(2, va), 7, "level 2 index");
	t.expect_eq(index_at(3, va), 9, "level 3 index");
	for (u32 l = 0; l < PageTable::levels; l++)
		t.expect_eq(index_at(l, (1ULL << 48) - 1), 511, "last page, last entry");
	t.expect_eq(index_at(0, (1ULL << 48) | va), 3, "bits 48 and up index nothing");
}

extern "C" void refgpu_cpp_vm_test_pte_encode(::kunit *k)
{
	Test t(k);
	const u64 dma = 0x123456789000ULL;

	t.expect_eq(pte_of(dma, 0), dma | 0xf, "read, write, exec");
	t.expect_eq(pte_of(dma, DRM_REFGPU_VM_BIND_READ_ONLY), dma | 0xb, "read-only");
	t.expect_eq(pte_of(dma, DRM_REFGPU_VM_BIND_NO_EXEC), dma | 0x7, "no-exec");
	t.expect_eq(pte_of(dma, DRM_REFGPU_VM_BIND_READ_ONLY | DRM_REFGPU_VM_BIND_NO_EXEC),
		    dma | 0x3, "read only");
	t.expect_eq(pte_of(~0ULL, 0), 0x0000fffffffff00fULL, "reserved bits stay clear");
}

extern "C" void refgpu_cpp_vm_test_count_missing(::kunit *k)
{
	Test t(k);
	kernel::Box<PageTable> root(table(0));

	if (!t.expect(root.get() != nullptr, "root table allocated"))
		return;

	Counts c = count(*root, 0, sz_l3);
	t.expect_eq(c.n[1], 1, "one page: level 1");
	t.expect_eq(c.n[2], 1, "one page: level 2");
	t.expect_eq(c.n[3], 1, "one page: level 3");

	c = count(*root, sz_l2 - sz_l3, 2 * sz_l3);
	t.expect_eq(c.n[1], 1, "across a level-2 entry: level 1");
	t.expect_eq(c.n[2], 1, "across a level-2 entry: level 2");
	t.expect_eq(c.n[3], 2, "across a level-2 entry: level 3");

	c = count(*root, sz_l0 - sz_l3, 2 * sz_l3);
	t.expect_eq(c.n[1], 2, "across a level-0 entry: level 1");
	t.expect_eq(c.n[2], 2, "across a level-0 entry: level 2");
	t.expect_eq(c.n[3], 2, "across a level-0 entry: level 3");

	c = count(*root, 0, user_va_end);
	t.expect_eq(c.n[1], 256, "whole user range: level 1");
	t.expect_eq(c.n[2], 256 * 512, "whole user range: level 2");
	t.expect_eq(c.n[3], 256 * 512 * 512, "whole user range: level 3");

	// The tables of [0, 2 MiB) present (freed with the root).
	PageTable *l1 = table(1), *l2 = table(2), *l3 = table(3);
	root->children->table[0] = l1;
	if (l1)
		l1->children->table[0] = l2;
	if (l2)
		l2->children->table[0] = l3;
	if (!t.expect(l1 && l2 && l3, "tables allocated"))
		return;
	c = count(*root, 0, 2 * sz_l2);
	t.expect_eq(c.n[1], 0, "[0, 4 MiB) over [0, 2 MiB): level 1");
	t.expect_eq(c.n[2], 0, "[0, 4 MiB) over [0, 2 MiB): level 2");
	t.expect_eq(c.n[3], 1, "[0, 4 MiB) over [0, 2 MiB): level 3");
	c = count(*root, 0, sz_l2);
	t.expect_eq(c.n[3], 0, "[0, 2 MiB) present: level 3");
}
