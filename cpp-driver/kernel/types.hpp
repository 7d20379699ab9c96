// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Base types and the few standard-library pieces freestanding kernel C++
// needs. No system header is reachable (-nostdinc), so they live here.
#pragma once

#include "../glue/refgpu_glue.h"
#include "uapi-shim/linux/types.h" // UAPI base types only, never a kernel header

namespace kernel {

using u8 = __u8;
using u16 = __u16;
using u32 = __u32;
using u64 = __u64;
using s32 = __s32;
using s64 = __s64;
using usize = decltype(sizeof(0));

static_assert(sizeof(u32) == 4 && sizeof(u64) == 8 && sizeof(usize) == 8,
	      "refgpu's C++ side assumes a 64-bit kernel");

inline constexpr usize page_size = REFGPU_CPP_PAGE_SIZE;

template <class T> struct remove_reference { using type = T; };
template <class T> struct remove_reference<T &> { using type = T; };
template <class T> struct remove_reference<T &&> { using type = T; };

template <class T> constexpr typename remove_reference<T>::type &&move(T &&v) noexcept
{
	return static_cast<typename remove_reference<T>::type &&>(v);
}

template <class T> constexpr T &&forward(typename remove_reference<T>::type &v) noexcept
{
	return static_cast<T &&>(v);
}

template <class T, class U = T> constexpr T exchange(T &obj, U &&v)
{
	T old = move(obj);
	obj = forward<U>(v);
	return old;
}

template <class T> constexpr const T &min(const T &a, const T &b)
{
	return b < a ? b : a;
}

// A value as the little-endian word a device reads (cpu_to_le64).
constexpr u64 cpu_to_le64(u64 v)
{
	if constexpr (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
		return __builtin_bswap64(v);
	return v;
}

template <class T> constexpr const T &max(const T &a, const T &b)
{
	return a < b ? b : a;
}

// Non-copyable, non-movable base for objects with identity (devices, locks).
class Pinned {
protected:
	constexpr Pinned() = default;
	~Pinned() = default;

public:
	Pinned(const Pinned &) = delete;
	Pinned &operator=(const Pinned &) = delete;
};

// Runs a cleanup at scope exit unless dismissed: RAII for error paths.
template <class F> class [[nodiscard]] ScopeGuard {
public:
	explicit ScopeGuard(F f) : f_(move(f)) {}
	~ScopeGuard()
	{
		if (armed_)
			f_();
	}
	ScopeGuard(const ScopeGuard &) = delete;
	ScopeGuard &operator=(const ScopeGuard &) = delete;
	void dismiss() { armed_ = false; }

private:
	F f_;
	bool armed_ = true;
};

} // namespace kernel

#if __STDC_HOSTED__
#include <new> // host unit tests: the C++ library declares placement new
#else
// Placement new: the one the compiler needs to construct in given storage.
inline void *operator new(kernel::usize, void *p) noexcept
{
	return p;
}
#endif
