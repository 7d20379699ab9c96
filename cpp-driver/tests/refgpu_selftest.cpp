// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// KUnit suite refgpu_selftest_cpp: proves the C++ binding can fail. One
// case passes its expectations and checks what they return; the other
// fails one on purpose, on the line below marked PLANTED, which
// ci/guest-kunit expects to see reported (file and line) as the only
// failure of the suite. Never in the suites a test run selects.

#include "kernel/kunit.hpp"
#include "tests/refgpu_kunit_cases.h"

using kernel::kunit::Test;

extern "C" void refgpu_cpp_selftest_test_expect_pass(::kunit *k)
{
	Test t(k);

	t.expect(t.expect(true, "true holds"), "a passed expectation returns true");
	t.expect(t.expect_eq(-22, -22LL, "int and long long"), "equal returns true");
	t.expect(t.expect_eq(0xffffffffu, 0xffffffffULL, "u32 and u64"), "widened equal");
	t.expect(t.expect_errno(kernel::Error::inval(), -22, "Error::inval"), "errno equal");
	t.expect(t.expect_errno(kernel::Status(), 0, "success"), "success is 0");
}

extern "C" void refgpu_cpp_selftest_test_planted_failure(::kunit *k)
{
	Test t(k);

	t.expect_eq(1 + 1, 3, "planted failure"); // PLANTED
}
