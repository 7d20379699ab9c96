// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// drm_gpuvm (drivers/gpu/drm/drm_gpuvm.c) for C++: the driver's VM derives
// from GpuVm<VM> and its mapping from GpuVa<Mapping>, each embedding the
// kernel structure (storage sized by the generated kernel_layout.h, as in
// C; no separate allocation), reached back from the kernel's pointer by
// from_raw(). drm_gpuvm_bo stays the kernel's allocation (VmBo borrows it).
// The glue's static const drm_gpuvm_ops send every callback to the
// driver's refgpu_cpp_vm_* entry points.
#pragma once

#include "alloc.hpp"
#include "layout.hpp"

namespace kernel::gpuvm {

// A counted reference to a GpuVm-derived T (drm_gpuvm_get/put).
template <class T> class Ref {
public:
	// Adopt a reference the caller already holds.
	static Ref adopt(T *p) { return Ref(p); }
	Ref(Ref &&o) : p_(exchange(o.p_, nullptr)) {}
	Ref(const Ref &) = delete;
	Ref &operator=(const Ref &) = delete;
	~Ref()
	{
		if (p_)
			p_->put();
	}
	T *operator->() const { return p_; }
	T &operator*() const { return *p_; }
	T *release() { return exchange(p_, nullptr); }

private:
	explicit Ref(T *p) : p_(p) {}
	T *p_;
};

// Not a Pinned: a second empty Pinned base next to Opaque's would move
// raw_ off offset 0 (two subobjects of one type cannot share an address).
template <class T> class GpuVm {
public:
	GpuVm(const GpuVm &) = delete;
	GpuVm &operator=(const GpuVm &) = delete;

	::drm_gpuvm *raw() { return raw_.raw(); }
	static T &from_raw(::drm_gpuvm *p)
	{
		static_assert(__builtin_offsetof(GpuVm, raw_) == 0, "a drm_gpuvm * is a GpuVm *");
		return static_cast<T &>(*reinterpret_cast<GpuVm *>(p));
	}

	// drm_gpuvm_init() over [@start, @start + @range) with
	// [@kstart, @kstart + @krange) reserved for the kernel, and its own
	// resv object. Afterwards the object is refcounted: the last put()
	// calls the vm_free entry point, which deletes T.
	Status init(::drm_device *drm, const char *name, u64 start, u64 range, u64 kstart,
		    u64 krange)
	{
		::drm_gem_object *r_obj = refgpu_cpp_gpuvm_resv_object_alloc(drm);
		if (!r_obj)
			return Error::nomem();
		refgpu_cpp_gpuvm_init(raw(), name, drm, r_obj, start, range, kstart, krange);
		refgpu_cpp_gem_put(r_obj); // the gpuvm holds its own
		return {};
	}

	Ref<T> get()
	{
		refgpu_cpp_gpuvm_get(raw());
		return Ref<T>::adopt(static_cast<T *>(this));
	}
	void put() { refgpu_cpp_gpuvm_put(raw()); }

	// The gpuvm's common dma_resv, held for the guard's scope.
	class [[nodiscard]] ResvGuard {
	public:
		explicit ResvGuard(GpuVm &vm) : vm_(vm) { refgpu_cpp_gpuvm_resv_lock(vm.raw()); }
		~ResvGuard() { refgpu_cpp_gpuvm_resv_unlock(vm_.raw()); }
		ResvGuard(const ResvGuard &) = delete;
		ResvGuard &operator=(const ResvGuard &) = delete;

	private:
		GpuVm &vm_;
	};
	ResvGuard lock_resv() { return ResvGuard(*this); }

	// drm_gpuvm_sm_map/unmap: the steps arrive at the entry points with @priv.
	Status sm_map(void *priv, u64 addr, u64 range, ::drm_gem_object *obj, u64 offset)
	{
		return to_status(refgpu_cpp_gpuvm_sm_map(raw(), priv, addr, range, obj, offset));
	}
	Status sm_unmap(void *priv, u64 addr, u64 range)
	{
		return to_status(refgpu_cpp_gpuvm_sm_unmap(raw(), priv, addr, range));
	}

protected:
	GpuVm() = default;
	~GpuVm() = default;

private:
	// First and only member: a drm_gpuvm * is a GpuVm *.
	Opaque<layout::gpuvm, drm_gpuvm> raw_;
};

// A drm_gpuvm_bo: one GEM object in one VM; the kernel counts it.
class VmBo {
public:
	explicit VmBo(::drm_gpuvm_bo *raw) : raw_(raw) {}
	::drm_gpuvm_bo *raw() const { return raw_; }
	::drm_gem_object *obj() const { return refgpu_cpp_gpuvm_bo_obj(raw_); }

	// drm_gpuvm_bo_create(): not yet on the object's list; -ENOMEM.
	template <class V> static Result<VmBo> create(GpuVm<V> &vm, ::drm_gem_object *obj)
	{
		::drm_gpuvm_bo *raw = refgpu_cpp_gpuvm_bo_create(vm.raw(), obj);
		if (!raw)
			return Error::nomem();
		return VmBo(raw);
	}

	// The next three: under the GEM object's gpuva lock.
	// drm_gpuvm_bo_obtain_prealloc(): the VM's existing vm_bo for the
	// object (this one put), or this one, now on the object's list.
	VmBo obtain_prealloc() const { return VmBo(refgpu_cpp_gpuvm_bo_obtain_prealloc(raw_)); }
	void get() const { refgpu_cpp_gpuvm_bo_get(raw_); }
	// The last put frees it and drops its references to the VM and object.
	void put() const { refgpu_cpp_gpuvm_bo_put(raw_); }

private:
	::drm_gpuvm_bo *raw_;
};

// One step of a split/merge, as the glue hands it to an entry point.
using Op = ::drm_gpuva_op;
using OpRange = refgpu_cpp_gpuva_range;

template <class T> class GpuVa {
public:
	GpuVa(const GpuVa &) = delete;
	GpuVa &operator=(const GpuVa &) = delete;

	::drm_gpuva *raw() { return raw_.raw(); }
	static T &from_raw(::drm_gpuva *p)
	{
		static_assert(__builtin_offsetof(GpuVa, raw_) == 0, "a drm_gpuva * is a GpuVa *");
		return static_cast<T &>(*reinterpret_cast<GpuVa *>(p));
	}

	u64 addr() const { return raw_.template field<u64, layout::gpuva_field::addr>(); }
	u64 range() const { return raw_.template field<u64, layout::gpuva_field::range>(); }
	u64 gem_offset() const
	{
		return raw_.template field<u64, layout::gpuva_field::gem_offset>();
	}
	::drm_gem_object *obj() const
	{
		return raw_.template field<::drm_gem_object *, layout::gpuva_field::gem_obj>();
	}
	VmBo vm_bo() const
	{
		return VmBo(raw_.template field<::drm_gpuvm_bo *, layout::gpuva_field::vm_bo>());
	}

	// drm_gpuva_map/remap/unmap: insert/replace/remove in the VM's tree
	// as the step says.
	template <class V> void map(GpuVm<V> &vm, Op *op) { refgpu_cpp_gpuva_map(vm.raw(), raw(), op); }
	static void remap(GpuVa *prev, GpuVa *next, Op *op)
	{
		refgpu_cpp_gpuva_remap(prev ? prev->raw() : nullptr, next ? next->raw() : nullptr, op);
	}
	static void unmap(Op *op) { refgpu_cpp_gpuva_unmap(op); }

	// Under the GEM object's gpuva lock. link() takes a vm_bo reference,
	// unlink() drops it (the last one frees the vm_bo).
	void link(const VmBo &vm_bo) { refgpu_cpp_gpuva_link(raw(), vm_bo.raw()); }
	void unlink() { refgpu_cpp_gpuva_unlink(raw()); }

protected:
	GpuVa() = default;
	~GpuVa() = default;

private:
	// First and only member, zeroed (drm_gpuva_map initialises the rest).
	Opaque<layout::gpuva, drm_gpuva> raw_;
};

} // namespace kernel::gpuvm
