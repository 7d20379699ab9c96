// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// DRM devices. drm::Device<T> allocates a device-managed struct drm_device
// with the driver's T constructed inside the same allocation, and destroys
// T when the last reference to the DRM device goes (drmm release action).
#pragma once

#include "alloc.hpp"
#include "device.hpp"

namespace kernel::drm {

using File = ::drm_file;

template <class T> class Device {
public:
	// Allocate the DRM device and construct T(drm, args...) in it.
	template <class... Args> static Result<T *> create(const kernel::Device &parent, Args &&...args)
	{
		static_assert(alignof(T) <= REFGPU_CPP_PRIV_ALIGN, "over-aligned driver data");
		::drm_device *drm = nullptr;
		void *priv = nullptr;
		int ret = refgpu_cpp_drm_dev_alloc(parent.raw(), sizeof(T), &drm, &priv);
		if (ret)
			return Error::from_errno(ret);
		T *obj = new (priv) T(Device(drm), forward<Args>(args)...);
		ret = refgpu_cpp_drm_add_release(drm, release, obj);
		if (ret)
			return Error::from_errno(ret); // release() already ran
		return move(obj);
	}

	// The T inside @drm: valid for any drm_device this driver created.
	static T &from_raw(::drm_device *drm) { return *static_cast<T *>(refgpu_cpp_drm_priv(drm)); }

	explicit Device(::drm_device *raw) : raw_(raw) {}
	::drm_device *raw() const { return raw_; }
	kernel::Device parent() const { return kernel::Device(refgpu_cpp_drm_parent(raw_)); }

	// drm_err() and drm_err_ratelimited(): printf-checked, as in C.
	void err(const char *fmt, ...) const __attribute__((format(printf, 2, 3)))
	{
		__builtin_va_list args;
		__builtin_va_start(args, fmt);
		refgpu_cpp_drm_verr(raw_, 0, fmt, args);
		__builtin_va_end(args);
	}
	void err_ratelimited(const char *fmt, ...) const __attribute__((format(printf, 2, 3)))
	{
		__builtin_va_list args;
		__builtin_va_start(args, fmt);
		refgpu_cpp_drm_verr(raw_, 1, fmt, args);
		__builtin_va_end(args);
	}

	Status register_() const { return to_status(refgpu_cpp_drm_dev_register(raw_)); }
	void unplug() const { refgpu_cpp_drm_dev_unplug(raw_); }

private:
	static void release(::drm_device *, void *obj) { static_cast<T *>(obj)->~T(); }
	::drm_device *raw_;
};

} // namespace kernel::drm
