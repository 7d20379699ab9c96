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

// A borrowed scatter/gather table; iterate its DMA segments with for (auto
// seg : sgt) (for_each_sgtable_dma_sg).
class SgTable {
public:
	struct Segment {
		u64 dma;
		u32 len;
	};
	class Iter {
	public:
		Iter(::scatterlist *sg, unsigned int left) : sg_(sg), left_(left) {}
		Segment operator*() const
		{
			return {refgpu_cpp_sg_dma_address(sg_), refgpu_cpp_sg_dma_len(sg_)};
		}
		Iter &operator++()
		{
			if (--left_)
				sg_ = refgpu_cpp_sg_next(sg_);
			return *this;
		}
		bool operator!=(const Iter &o) const { return left_ != o.left_; }

	private:
		::scatterlist *sg_;
		unsigned int left_;
	};

	explicit SgTable(::sg_table *raw) : raw_(raw) {}
	::sg_table *raw() const { return raw_; }
	Iter begin() const
	{
		unsigned int n = 0;
		::scatterlist *sg = refgpu_cpp_sgt_dma_first(raw_, &n);
		return Iter(sg, n);
	}
	Iter end() const { return Iter(nullptr, 0); }

private:
	::sg_table *raw_;
};

template <class T> class ObjectRef {
public:
	// Adopt a reference the caller already holds.
	static ObjectRef adopt(::drm_gem_object *raw) { return ObjectRef(raw); }
	// A new reference to an object the caller can reach.
	static ObjectRef get(::drm_gem_object *raw)
	{
		refgpu_cpp_gem_get(raw);
		return ObjectRef(raw);
	}
	// Give the reference up to the caller (to put with refgpu_cpp_gem_put).
	::drm_gem_object *release() { return exchange(raw_, nullptr); }

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

	// The object's pages pinned for its life and mapped for DMA
	// (drm_gem_shmem_get_pages_sgt): its DMA segments, in order.
	Result<SgTable> pages_sgt() const
	{
		::sg_table *sgt = nullptr;
		int ret = refgpu_cpp_gem_shmem_get_pages_sgt(raw_, &sgt);
		if (ret)
			return Error::from_errno(ret);
		return SgTable(sgt);
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
		T *obj = new (priv) T(forward<Args>(args)...);
		// T's own step once its storage has a GEM object (optional).
		if constexpr (requires { obj->created(raw); })
			obj->created(raw);
		return raw;
	}

	// The shmem helpers' mmap, for the mmap hook once T allowed it.
	static Status shmem_mmap(::drm_gem_object *raw, ::vm_area_struct *vma)
	{
		return to_status(refgpu_cpp_gem_shmem_mmap(raw, vma));
	}

	// The lock that protects @raw's gpuva list (drm_gem_gpuva_set_lock),
	// for the gem_create_object hook, before the object is initialised.
	template <class L> static void set_gpuva_lock(::drm_gem_object *raw, L &lock)
	{
		refgpu_cpp_gem_gpuva_set_lock(raw, lock.raw());
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
