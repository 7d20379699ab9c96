// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// GEM objects backed by shmem. gem::Object<T> is the driver's per-object
// data T living in the same allocation as the drm_gem_object; ObjectRef<T>
// is a counted reference (drm_gem_object_get/put) to one.
#pragma once

#include "alloc.hpp"
#include "drm.hpp"

namespace kernel::gem {

template <class T> class ObjectRef {
public:
	// Adopt a reference the caller already holds.
	static ObjectRef adopt(::drm_gem_object *raw) { return ObjectRef(raw); }

	ObjectRef(ObjectRef &&o) : raw_(exchange(o.raw_, nullptr)) {}
	ObjectRef(const ObjectRef &o) : raw_(o.raw_) { refgpu_cpp_gem_get(raw_); }
	ObjectRef &operator=(const ObjectRef &) = delete;
	~ObjectRef()
	{
		if (raw_)
			refgpu_cpp_gem_put(raw_);
	}

	::drm_gem_object *raw() const { return raw_; }
	T &data() const { return *static_cast<T *>(refgpu_cpp_gem_priv(raw_)); }
	T *operator->() const { return &data(); }
	usize size() const { return refgpu_cpp_gem_size(raw_); }

	// A new handle for this object in @file; the handle holds its own ref.
	Result<u32> create_handle(drm::File *file) const
	{
		unsigned int handle = 0;
		int ret = refgpu_cpp_gem_handle_create(file, raw_, &handle);
		if (ret)
			return Error::from_errno(ret);
		return move(handle);
	}

	Result<u64> mmap_offset() const
	{
		unsigned long long off = 0;
		int ret = refgpu_cpp_gem_mmap_offset(raw_, &off);
		if (ret)
			return Error::from_errno(ret);
		return move(off);
	}

	// The object behind @handle in @file, or ENOENT.
	static Result<ObjectRef> lookup(drm::File *file, u32 handle)
	{
		::drm_gem_object *raw = refgpu_cpp_gem_lookup(file, handle);
		if (!raw)
			return Error::noent();
		return ObjectRef(raw);
	}

	// A new shmem object of @size bytes; its T is built by the driver's
	// gem_create_object hook (see Object<T>::alloc).
	static Result<ObjectRef> create_shmem(::drm_device *drm, usize size)
	{
		::drm_gem_object *raw = nullptr;
		int ret = refgpu_cpp_gem_shmem_create(drm, size, &raw);
		if (ret)
			return Error::from_errno(ret);
		return ObjectRef(raw);
	}

private:
	explicit ObjectRef(::drm_gem_object *raw) : raw_(raw) {}
	::drm_gem_object *raw_;
};

template <class T> struct Object {
	static_assert(alignof(T) <= REFGPU_CPP_PRIV_ALIGN, "over-aligned object data");

	// Storage for a drm_gem_object with T built in place, for the
	// gem_create_object hook: ERR_PTR(-ENOMEM) when out of memory.
	template <class... Args> static ::drm_gem_object *alloc(Args &&...args)
	{
		void *priv = nullptr;
		::drm_gem_object *raw = refgpu_cpp_gem_alloc(sizeof(T), &priv);
		if (!raw)
			return static_cast<::drm_gem_object *>(
				refgpu_cpp_err_ptr(Error::nomem().to_errno()));
		new (priv) T(forward<Args>(args)...);
		return raw;
	}

	// The shmem helpers' mmap, for the mmap hook once T allowed it.
	static Status shmem_mmap(::drm_gem_object *raw, ::vm_area_struct *vma)
	{
		return to_status(refgpu_cpp_gem_shmem_mmap(raw, vma));
	}

	static T &from_raw(::drm_gem_object *raw)
	{
		return *static_cast<T *>(refgpu_cpp_gem_priv(raw));
	}

	// For the free hook: destroy T, then let the shmem helpers free the rest.
	static void free(::drm_gem_object *raw)
	{
		from_raw(raw).~T();
		refgpu_cpp_gem_shmem_free(raw);
	}
};

} // namespace kernel::gem
