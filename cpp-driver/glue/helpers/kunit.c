// SPDX-License-Identifier: GPL-2.0-only
/*
 * C++ glue helpers: KUnit expectations. A C++ case reports a failed
 * expectation through these, with its own file and line, as KUnit's
 * KUNIT_FAIL() does for C; never an abort (see kernel/kunit.hpp).
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <kunit/assert.h>
#include <kunit/test.h>

#include "refgpu_glue_internal.h"

void refgpu_cpp_kunit_fail(struct kunit *test, const char *file, int line, const char *what)
{
	const struct kunit_loc loc = { .line = line, .file = file };
	const struct kunit_fail_assert assert = {};

	__kunit_do_failed_assertion(test, &loc, KUNIT_EXPECTATION, &assert.assert,
				    kunit_fail_assert_format, "%s", what);
}

void refgpu_cpp_kunit_fail_eq(struct kunit *test, const char *file, int line, const char *what,
			      long long left, long long right)
{
	const struct kunit_loc loc = { .line = line, .file = file };
	const struct kunit_fail_assert assert = {};

	__kunit_do_failed_assertion(test, &loc, KUNIT_EXPECTATION, &assert.assert,
				    kunit_fail_assert_format,
				    "%s: %lld (0x%llx) != %lld (0x%llx)", what, left, left, right,
				    right);
}
