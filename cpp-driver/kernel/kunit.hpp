// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// KUnit for C++ cases (the idea of rust/kernel/kunit.rs): a case is a C
// function the glue registers (tests/refgpu_kunit_cases.h); inside, a Test
// gives expectations that report the C++ file and line.
//
// There are no assertions that abort: KUnit aborts a case by ending its
// thread, which would skip the destructors of the case's objects. A case
// that cannot go on after a failed expectation returns instead:
//	if (!t.expect(p != nullptr, "allocated")) return;
#pragma once

#include "error.hpp"
#include "types.hpp"

namespace kernel::kunit {

// Integers and enums: what converts to a 64-bit pattern and has a
// remainder (no pointers, no floating point).
template <class T>
concept Integer = __is_enum(T) || requires(T v, unsigned long long x) {
	x = v;
	v % 2;
};

class Test {
public:
	explicit Test(::kunit *raw) : raw_(raw) {}
	Test(const Test &) = delete;
	Test &operator=(const Test &) = delete;

	// False (and the case fails) unless @ok.
	bool expect(bool ok, const char *what, const char *file = __builtin_FILE(),
		    int line = __builtin_LINE())
	{
		if (!ok)
			refgpu_cpp_kunit_fail(raw_, file, line, what);
		return ok;
	}

	// Equal as 64-bit patterns: an int -22 equals a long -22, a u32
	// 0xffffffff does not equal an int -1.
	template <Integer A, Integer B>
	bool expect_eq(A left, B right, const char *what, const char *file = __builtin_FILE(),
		       int line = __builtin_LINE())
	{
		const auto l = static_cast<unsigned long long>(left);
		const auto r = static_cast<unsigned long long>(right);

		if (l != r)
			refgpu_cpp_kunit_fail_eq(raw_, file, line, what, static_cast<long long>(l),
						 static_cast<long long>(r));
		return l == r;
	}

	// @s is the negative errno @err (0: success).
	bool expect_errno(Status s, int err, const char *what, const char *file = __builtin_FILE(),
			  int line = __builtin_LINE())
	{
		return expect_eq(s.to_errno(), err, what, file, line);
	}

private:
	::kunit *raw_;
};

} // namespace kernel::kunit
