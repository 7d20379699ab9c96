// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Allocation: every allocation names its GFP flags and may fail. There is
// no throwing operator new: `new T` without flags does not link.
#pragma once

#include "error.hpp"
#include "../glue/refgpu_glue.h"

namespace std {
// The compiler's own name for the alignment argument of aligned new/delete.
enum class align_val_t : kernel::usize;
} // namespace std

namespace kernel {

// Closed: only these values exist, and the glue refuses any other number.
enum class Gfp {
	Kernel = REFGPU_CPP_GFP_KERNEL,
	Atomic = REFGPU_CPP_GFP_ATOMIC,
	KernelZero = REFGPU_CPP_GFP_KERNEL_ZERO, // GFP_KERNEL | __GFP_ZERO
};

constexpr refgpu_cpp_gfp to_raw(Gfp gfp)
{
	return static_cast<refgpu_cpp_gfp>(gfp);
}

} // namespace kernel

void *operator new(kernel::usize size, kernel::Gfp gfp) noexcept;
void *operator new[](kernel::usize size, kernel::Gfp gfp) noexcept;
void operator delete(void *p) noexcept;
void operator delete(void *p, kernel::usize) noexcept;
void operator delete[](void *p) noexcept;
void operator delete[](void *p, kernel::usize) noexcept;
void operator delete(void *p, std::align_val_t) noexcept;
void operator delete(void *p, kernel::usize, std::align_val_t) noexcept;
void operator delete[](void *p, std::align_val_t) noexcept;
void operator delete[](void *p, kernel::usize, std::align_val_t) noexcept;
// Called only if a constructor of a `new (gfp) T` throws, which cannot happen.
void operator delete(void *p, kernel::Gfp) noexcept;
void operator delete[](void *p, kernel::Gfp) noexcept;

namespace kernel {

// Sole owner of a heap object (like Box in Rust or unique_ptr).
template <class T> class Box {
public:
	Box() = default;
	explicit Box(T *p) : p_(p) {}
	Box(Box &&o) : p_(exchange(o.p_, nullptr)) {}
	Box &operator=(Box &&o)
	{
		reset(exchange(o.p_, nullptr));
		return *this;
	}
	Box(const Box &) = delete;
	Box &operator=(const Box &) = delete;
	~Box() { reset(); }

	T *get() const { return p_; }
	T *operator->() const { return p_; }
	T &operator*() const { return *p_; }
	explicit operator bool() const { return p_; }
	T *release() { return exchange(p_, nullptr); }
	void reset(T *p = nullptr)
	{
		T *old = exchange(p_, p);
		delete old;
	}

private:
	T *p_ = nullptr;
};

template <class T, class... Args> Result<Box<T>> make_box(Gfp gfp, Args &&...args)
{
	T *p = new (gfp) T(forward<Args>(args)...);
	if (!p)
		return Error::nomem();
	return Box<T>(p);
}

// Sole owner of a kvmalloc_array() of @n trivially constructed T (PODs
// such as UAPI structs): kvmalloc, so a large array may come from vmalloc.
template <class T> class KvArray {
public:
	KvArray() = default;
	KvArray(KvArray &&o) : p_(exchange(o.p_, nullptr)), n_(o.n_) {}
	KvArray &operator=(KvArray &&o)
	{
		refgpu_cpp_kvfree(exchange(p_, exchange(o.p_, nullptr)));
		n_ = o.n_;
		return *this;
	}
	KvArray(const KvArray &) = delete;
	KvArray &operator=(const KvArray &) = delete;
	~KvArray() { refgpu_cpp_kvfree(p_); }

	static Result<KvArray> alloc(usize n, Gfp gfp)
	{
		void *p = refgpu_cpp_kvmalloc_array(n, sizeof(T), to_raw(gfp));
		if (!p)
			return Error::nomem();
		return KvArray(static_cast<T *>(p), n);
	}

	T &operator[](usize i) { return p_[i]; }
	usize size() const { return n_; }

private:
	KvArray(T *p, usize n) : p_(p), n_(n) {}
	T *p_ = nullptr;
	usize n_ = 0;
};

} // namespace kernel
