// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Errors are the kernel's own negative errno values, carried in a type that
// cannot be dropped silently (like rust/kernel/error.rs). Result<T> holds a
// T or an Error; TRY() propagates the error to the caller in one line.
#pragma once

#include "types.hpp"
#include "../glue/refgpu_glue.h"

namespace kernel {

namespace detail {
// runtime.cpp: reports a value that is not an errno, once per module (a
// kernel WARNING with a backtrace through refgpu_cpp_warn(), like WARN_ONCE).
void bad_errno(int value);
} // namespace detail

class [[nodiscard]] Error {
public:
	// From a kernel return value: @neg must be a negative errno (-4095..-1).
	// Anything else is the caller's bug: it becomes -EINVAL and is reported
	// (once); in a constant expression it does not compile.
	static constexpr Error from_errno(int neg)
	{
		if (neg < 0 && neg > -max_errno - 1)
			return Error(-neg);
		detail::bad_errno(neg);
		return Error(22);
	}

	// Numbers from include/uapi/asm-generic/errno{-base,}.h (the C++ side
	// cannot include them, and hosted test builds define E* as macros).
	static constexpr Error perm() { return Error(1); }
	static constexpr Error noent() { return Error(2); }
	static constexpr Error io() { return Error(5); }
	static constexpr Error too_big() { return Error(7); }
	static constexpr Error nomem() { return Error(12); }
	static constexpr Error fault() { return Error(14); }
	static constexpr Error busy() { return Error(16); }
	static constexpr Error nodev() { return Error(19); }
	static constexpr Error inval() { return Error(22); }
	static constexpr Error nospc() { return Error(28); }
	static constexpr Error timedout() { return Error(110); }

	// The negative errno the kernel expects back.
	constexpr int to_errno() const { return -errno_; }
	constexpr bool operator==(const Error &) const = default;

private:
	static constexpr int max_errno = 4095; // MAX_ERRNO, include/linux/err.h
	constexpr explicit Error(int e) : errno_(e) {}
	int errno_;
};

template <class T> class [[nodiscard]] Result {
public:
	Result(T &&v) : ok_(true) { new (&storage_) T(move(v)); }
	constexpr Result(const Error &e) : ok_(false), err_(e) {}
	Result(Result &&o) : ok_(o.ok_), err_(o.err_)
	{
		if (ok_)
			new (&storage_) T(move(o.value()));
	}
	Result(const Result &) = delete;
	Result &operator=(const Result &) = delete;
	~Result()
	{
		if (ok_)
			value().~T();
	}

	constexpr bool ok() const { return ok_; }
	constexpr Error error() const { return err_; }
	T &value() { return *reinterpret_cast<T *>(&storage_); }
	T take() { return move(value()); }

private:
	bool ok_;
	Error err_ = Error::inval();
	alignas(T) unsigned char storage_[sizeof(T)];
};

template <> class [[nodiscard]] Result<void> {
public:
	constexpr Result() : ok_(true), err_(Error::inval()) {}
	constexpr Result(const Error &e) : ok_(false), err_(e) {}
	constexpr bool ok() const { return ok_; }
	constexpr Error error() const { return err_; }
	constexpr void take() const {}

	// Back to the kernel's int convention at a C entry point.
	constexpr int to_errno() const { return ok_ ? 0 : err_.to_errno(); }

private:
	bool ok_;
	Error err_;
};

using Status = Result<void>;

// A kernel int return (0 or -errno) as a Status.
constexpr Status to_status(int ret)
{
	if (ret < 0)
		return Error::from_errno(ret);
	return {};
}

} // namespace kernel

// Evaluate a Result; on error return it from the enclosing function, else
// yield the value. A GNU statement expression, as the kernel itself uses.
#define TRY(expr)                                                         \
	({                                                                \
		auto &&try_result_ = (expr);                                  \
		if (!try_result_.ok())                                        \
			return ::kernel::Error(try_result_.error());          \
		try_result_.take();                                           \
	})
