// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// KUnit suite refgpu_cpp_vm, VM_BIND check cases: the twin of
// refgpu_vm_test_check_op in c-driver/tests/refgpu_vm_test.c (expected
// errnos from refgpu_drm.h). Included at the end of refgpu_vm.cpp.

#include "kernel/kunit.hpp"
#include "tests/refgpu_kunit_cases.h"

namespace refgpu::test {

// validate_op() of @op, which needs no file (no BO lookup).
static kernel::Status check(const drm_refgpu_vm_bind_op &op)
{
	BindOp b{};

	b.u = op;
	return validate_op(b, nullptr);
}

} // namespace refgpu::test

extern "C" void refgpu_cpp_vm_test_check_op(::kunit *k)
{
	using refgpu::test::check;
	kernel::kunit::Test t(k);
	constexpr int einval = -22;
	const drm_refgpu_vm_bind_op unmap = {
		.op = DRM_REFGPU_VM_BIND_OP_UNMAP, .va = 1ULL << 21, .size = 1ULL << 12,
	};
	drm_refgpu_vm_bind_op op;

	t.expect_errno(check(unmap), 0, "a valid unmap");

	op = unmap;
	op.op = DRM_REFGPU_VM_BIND_OP_UNMAP + 1;
	t.expect_errno(check(op), einval, "unknown op");
	op = unmap;
	op.op = DRM_REFGPU_VM_BIND_OP_MAP;
	op.flags = DRM_REFGPU_VM_BIND_NO_EXEC << 1;
	t.expect_errno(check(op), einval, "unknown map flag, before the BO lookup");
	op = unmap;
	op.flags = DRM_REFGPU_VM_BIND_READ_ONLY;
	t.expect_errno(check(op), einval, "unmap with a flag");
	op = unmap;
	op.bo_handle = 1;
	t.expect_errno(check(op), einval, "unmap with a BO");
	op = unmap;
	op.bo_offset = 1ULL << 12;
	t.expect_errno(check(op), einval, "unmap with a BO offset");
	op = unmap;
	op.pad = 1;
	t.expect_errno(check(op), einval, "non-zero pad");
	op = unmap;
	op.va += 1;
	t.expect_errno(check(op), einval, "unaligned VA");
	op = unmap;
	op.size = 0;
	t.expect_errno(check(op), einval, "zero size");
	op = unmap;
	op.va = 0ULL - (1ULL << 12);
	op.size = 2ULL << 12;
	t.expect_errno(check(op), einval, "VA + size overflows");
	op = unmap;
	op.va = (1ULL << 47) - (1ULL << 12);
	t.expect_errno(check(op), 0, "the last user page");
	op.va = 1ULL << 47;
	t.expect_errno(check(op), einval, "past the user range");
}
