/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
/*
 * Every C++ KUnit case, once. C++ defines each case function; the glue
 * (glue/refgpu_kunit_glue.c) builds KUnit's static suites from these lists,
 * as it builds the other driver structures. A case listed but not defined
 * fails to link; one defined but not listed has no prior declaration
 * (-Werror=missing-declarations). Included by C and C++: no includes.
 *
 * A case (suite, name) is the function refgpu_cpp_<suite>_test_<name> and
 * is reported as refgpu_<suite>_test_<name>, the name of the C driver's
 * twin case, so the two suites' case lists can be compared.
 */
#ifndef __REFGPU_KUNIT_CASES_H__
#define __REFGPU_KUNIT_CASES_H__

/* Suite refgpu_cpp_vm: the twin of c-driver/tests/refgpu_vm_test.c. */
#define REFGPU_CPP_KUNIT_VM(CASE)		\
	CASE(vm, pt_index)			\
	CASE(vm, pte_encode)			\
	CASE(vm, count_missing)			\
	CASE(vm, check_op)

/* Suite refgpu_selftest_cpp: the binding's self-test; fails on purpose. */
#define REFGPU_CPP_KUNIT_SELFTEST(CASE)		\
	CASE(selftest, expect_pass)		\
	CASE(selftest, planted_failure)

#ifdef __cplusplus
#define REFGPU_CPP_KUNIT_DECLARE(suite, name) \
	extern "C" void refgpu_cpp_##suite##_test_##name(struct kunit *test);
#else
#define REFGPU_CPP_KUNIT_DECLARE(suite, name) \
	void refgpu_cpp_##suite##_test_##name(struct kunit *test);
#endif

struct kunit;
REFGPU_CPP_KUNIT_VM(REFGPU_CPP_KUNIT_DECLARE)
REFGPU_CPP_KUNIT_SELFTEST(REFGPU_CPP_KUNIT_DECLARE)

#endif /* __REFGPU_KUNIT_CASES_H__ */
