// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite refgpu_c_vm: the C driver's page-table helpers and VM_BIND
 * checks. Included at the end of refgpu_vm.c, so it reaches its static
 * functions. cpp-driver/tests/ holds the same cases for the C++ driver
 * (suite refgpu_cpp_vm); ci/guest-kunit checks both lists are equal.
 * Expected values come from docs/hardware.md and refgpu_drm.h, not from the
 * code under test.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <kunit/test.h>

#define SZ_L3	BIT_ULL(12)	/* what one level-3 entry maps */
#define SZ_L2	BIT_ULL(21)
#define SZ_L1	BIT_ULL(30)
#define SZ_L0	BIT_ULL(39)

static void refgpu_vm_test_pt_index(struct kunit *test)
{
	u64 va = 3 * SZ_L0 + 5 * SZ_L1 + 7 * SZ_L2 + 9 * SZ_L3 + 0x123;

	KUNIT_EXPECT_EQ(test, refgpu_pt_index(va, 0), 3);
	KUNIT_EXPECT_EQ(test, refgpu_pt_index(va, 1), 5);
	KUNIT_EXPECT_EQ(test, refgpu_pt_index(va, 2), 7);
	KUNIT_EXPECT_EQ(test, refgpu_pt_index(va, 3), 9);
	/* The last page of the VA space uses the last entry of every level. */
	for (unsigned int l = 0; l < REFGPU_PT_LEVELS; l++)
		KUNIT_EXPECT_EQ(test, refgpu_pt_index(BIT_ULL(48) - 1, l), 511);
	/* Bits 48 and up index nothing. */
	KUNIT_EXPECT_EQ(test, refgpu_pt_index(BIT_ULL(48) | va, 0), 3);
}

static void refgpu_vm_test_pte_encode(struct kunit *test)
{
	const u64 dma = 0x123456789000ULL;

	KUNIT_EXPECT_EQ(test, refgpu_pte(dma, 0), dma | 0xf);
	KUNIT_EXPECT_EQ(test, refgpu_pte(dma, DRM_REFGPU_VM_BIND_READ_ONLY), dma | 0xb);
	KUNIT_EXPECT_EQ(test, refgpu_pte(dma, DRM_REFGPU_VM_BIND_NO_EXEC), dma | 0x7);
	KUNIT_EXPECT_EQ(test, refgpu_pte(dma, DRM_REFGPU_VM_BIND_READ_ONLY |
					 DRM_REFGPU_VM_BIND_NO_EXEC), dma | 0x3);
	/* Address bits outside [47:12] never reach the entry's reserved bits. */
	KUNIT_EXPECT_EQ(test, refgpu_pte(~0ULL, 0), 0x0000fffffffff00fULL);
}

/* A table with its child pointers only: counting never touches the page. */
static struct refgpu_pt *refgpu_vm_test_pt(struct kunit *test, unsigned int level)
{
	struct refgpu_pt *pt = kunit_kzalloc(test, sizeof(*pt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pt);
	if (level < REFGPU_PT_LAST) {
		pt->child = kunit_kcalloc(test, REFGPU_PT_ENTRIES, sizeof(*pt->child),
					  GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pt->child);
	}
	return pt;
}

/* Tables of levels 1..3 that [@va, @va + @size) needs below @root. */
static void refgpu_vm_test_count(struct refgpu_pt *root, u64 va, u64 size,
				 unsigned long missing[REFGPU_PT_LEVELS])
{
	memset(missing, 0, REFGPU_PT_LEVELS * sizeof(*missing));
	refgpu_pt_count_missing(root, 0, va, va + size - 1, missing);
}

static void refgpu_vm_test_count_missing(struct kunit *test)
{
	struct refgpu_pt *root = refgpu_vm_test_pt(test, 0);
	unsigned long m[REFGPU_PT_LEVELS];

	refgpu_vm_test_count(root, 0, SZ_L3, m);
	KUNIT_EXPECT_EQ(test, m[1], 1);
	KUNIT_EXPECT_EQ(test, m[2], 1);
	KUNIT_EXPECT_EQ(test, m[3], 1);

	/* Across a level-2 entry: two leaf tables. */
	refgpu_vm_test_count(root, SZ_L2 - SZ_L3, 2 * SZ_L3, m);
	KUNIT_EXPECT_EQ(test, m[1], 1);
	KUNIT_EXPECT_EQ(test, m[2], 1);
	KUNIT_EXPECT_EQ(test, m[3], 2);

	/* Across a level-0 entry: two of each. */
	refgpu_vm_test_count(root, SZ_L0 - SZ_L3, 2 * SZ_L3, m);
	KUNIT_EXPECT_EQ(test, m[1], 2);
	KUNIT_EXPECT_EQ(test, m[2], 2);
	KUNIT_EXPECT_EQ(test, m[3], 2);

	/* The whole user range: 256 level-0 entries, each fully populated. */
	refgpu_vm_test_count(root, 0, REFGPU_VM_USER_VA_END, m);
	KUNIT_EXPECT_EQ(test, m[1], 256);
	KUNIT_EXPECT_EQ(test, m[2], 256 * 512);
	KUNIT_EXPECT_EQ(test, m[3], 256 * 512 * 512);

	/* With the tables of [0, 2 MiB) present, [0, 4 MiB) lacks one leaf. */
	root->child[0] = refgpu_vm_test_pt(test, 1);
	root->child[0]->child[0] = refgpu_vm_test_pt(test, 2);
	root->child[0]->child[0]->child[0] = refgpu_vm_test_pt(test, 3);
	refgpu_vm_test_count(root, 0, 2 * SZ_L2, m);
	KUNIT_EXPECT_EQ(test, m[1], 0);
	KUNIT_EXPECT_EQ(test, m[2], 0);
	KUNIT_EXPECT_EQ(test, m[3], 1);
	refgpu_vm_test_count(root, 0, SZ_L2, m);
	KUNIT_EXPECT_EQ(test, m[3], 0);
}

/* refgpu_bind_check_op() of @op, which needs no file (no BO lookup). */
static int refgpu_vm_test_check(struct drm_refgpu_vm_bind_op op)
{
	struct refgpu_bind_op bop = { .uop = op };

	return refgpu_bind_check_op(NULL, &bop);
}

static void refgpu_vm_test_check_op(struct kunit *test)
{
	const struct drm_refgpu_vm_bind_op unmap = {
		.op = DRM_REFGPU_VM_BIND_OP_UNMAP, .va = SZ_L2, .size = SZ_L3,
	};
	struct drm_refgpu_vm_bind_op op;

	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(unmap), 0);

	op = unmap;
	op.op = DRM_REFGPU_VM_BIND_OP_UNMAP + 1;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
	/* A map's unknown flag is refused before its BO is looked up. */
	op = unmap;
	op.op = DRM_REFGPU_VM_BIND_OP_MAP;
	op.flags = DRM_REFGPU_VM_BIND_NO_EXEC << 1;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
	op = unmap;
	op.flags = DRM_REFGPU_VM_BIND_READ_ONLY;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
	op = unmap;
	op.bo_handle = 1;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
	op = unmap;
	op.bo_offset = SZ_L3;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
	op = unmap;
	op.pad = 1;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
	op = unmap;
	op.va += 1;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
	op = unmap;
	op.size = 0;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
	op = unmap;
	op.va = 0ULL - SZ_L3;
	op.size = 2 * SZ_L3;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
	/* The user range ends at 2^47: its last page may go, the next not. */
	op = unmap;
	op.va = BIT_ULL(47) - SZ_L3;
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), 0);
	op.va = BIT_ULL(47);
	KUNIT_EXPECT_EQ(test, refgpu_vm_test_check(op), -EINVAL);
}

static struct kunit_case refgpu_vm_test_cases[] = {
	KUNIT_CASE(refgpu_vm_test_pt_index),
	KUNIT_CASE(refgpu_vm_test_pte_encode),
	KUNIT_CASE(refgpu_vm_test_count_missing),
	KUNIT_CASE(refgpu_vm_test_check_op),
	{}
};

static struct kunit_suite refgpu_vm_test_suite = {
	.name = "refgpu_c_vm",
	.test_cases = refgpu_vm_test_cases,
};

kunit_test_suite(refgpu_vm_test_suite);
