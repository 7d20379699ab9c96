// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// An allocating xarray of T pointers (ids from 1: XA_FLAGS_ALLOC1) embedded
// in its owner, like rust/kernel/xarray.rs. It stores pointers only; what
// an entry's lifetime is stays the owner's business: lookup runs a
// function under the xarray's lock, so the caller can take a reference
// there before the entry can be erased and dropped.
#pragma once

#include "alloc.hpp"
#include "layout.hpp"

namespace kernel {

template <class T> class XArray : Pinned {
public:
	XArray() { refgpu_cpp_xa_init_alloc1(raw_.raw()); }
	// The owner erases every entry first (xa_destroy frees only nodes).
	~XArray() { refgpu_cpp_xa_destroy(raw_.raw()); }

	// Store @entry at the lowest free id in [@min, @max]: the kernel's
	// errors (-EBUSY when the range is full, -ENOMEM).
	Result<u32> alloc(T *entry, u32 min, u32 max, Gfp gfp)
	{
		unsigned int id = 0;
		int ret = refgpu_cpp_xa_alloc(raw_.raw(), &id, entry, min, max, to_raw(gfp));
		if (ret)
			return Error::from_errno(ret);
		return move(id);
	}

	// Remove @id; the entry that was there, or nullptr.
	T *erase(u32 id) { return static_cast<T *>(refgpu_cpp_xa_erase(raw_.raw(), id)); }

	// @f(entry or nullptr) under the xarray's lock (a spinlock: @f may
	// not sleep); returns what @f returns.
	template <class F> auto with_locked(u32 id, F f)
	{
		refgpu_cpp_xa_lock(raw_.raw());
		ScopeGuard unlock([this] { refgpu_cpp_xa_unlock(raw_.raw()); });
		return f(static_cast<T *>(refgpu_cpp_xa_load(raw_.raw(), id)));
	}

	// The first entry at an id >= *@id (and its id), or nullptr.
	T *find(unsigned long *id)
	{
		return static_cast<T *>(refgpu_cpp_xa_find(raw_.raw(), id));
	}

private:
	Opaque<layout::xarray, refgpu_cpp_xarray> raw_;
};

} // namespace kernel
