// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C++ driver's KUnit suites: static structures in C, as every driver
 * structure of the C++ driver is, built from the one case list
 * (tests/refgpu_kunit_cases.h); the cases are C++ functions.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <kunit/test.h>

#include "../tests/refgpu_kunit_cases.h"

#define REFGPU_CPP_KUNIT_ENTRY(s, c) {					\
		.run_case = refgpu_cpp_##s##_test_##c,		\
		.name = "refgpu_" #s "_test_" #c,		\
	},

static struct kunit_case refgpu_cpp_vm_cases[] = {
	REFGPU_CPP_KUNIT_VM(REFGPU_CPP_KUNIT_ENTRY)
	{}
};

static struct kunit_suite refgpu_cpp_vm_suite = {
	.name = "refgpu_cpp_vm",
	.test_cases = refgpu_cpp_vm_cases,
};

static struct kunit_case refgpu_cpp_selftest_cases[] = {
	REFGPU_CPP_KUNIT_SELFTEST(REFGPU_CPP_KUNIT_ENTRY)
	{}
};

/* Not matched by the glob refgpu_c* the test run uses: see ci/guest-kunit. */
static struct kunit_suite refgpu_cpp_selftest_suite = {
	.name = "refgpu_selftest_cpp",
	.test_cases = refgpu_cpp_selftest_cases,
};

kunit_test_suites(&refgpu_cpp_vm_suite, &refgpu_cpp_selftest_suite);
