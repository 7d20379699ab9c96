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

// A DRM file's driver data (drm_file.driver_priv) and fdinfo client id.
inline void set_file_priv(File *file, void *priv)
{
	refgpu_cpp_drm_file_set_priv(file, priv);
}
template <class T> T *file_priv(File *file)
{
	return static_cast<T *>(refgpu_cpp_drm_file_priv(file));
}
inline u64 client_id(File *file)
{
	return refgpu_cpp_drm_file_client_id(file);
}

// A debugfs file's seq_file, for the show function of debugfs_add_file.
class SeqFile {
public:
	explicit SeqFile(::seq_file *raw) : raw_(raw) {}
	__attribute__((format(printf, 2, 3))) void printf(const char *fmt, ...) const
	{
		__builtin_va_list args;
		__builtin_va_start(args, fmt);
		refgpu_cpp_seq_vprintf(raw_, fmt, args);
		__builtin_va_end(args);
	}

private:
	::seq_file *raw_;
};

// A resource that goes away when the DRM device is unplugged while files
// stay open (MMIO): like Rust's Devres/Revocable, the only way to it is a
// guard that holds drm_dev_enter(); after unplug access() gives an empty
// guard and the caller skips the access.
template <class T> class [[nodiscard]] RevocableGuard {
public:
	RevocableGuard(::drm_device *drm, const T *res) : res_(res)
	{
		if (refgpu_cpp_drm_dev_enter(drm, &idx_))
			res_ = nullptr;
	}
	~RevocableGuard()
	{
		if (res_)
			refgpu_cpp_drm_dev_exit(idx_);
	}
	RevocableGuard(const RevocableGuard &) = delete;
	RevocableGuard &operator=(const RevocableGuard &) = delete;

	explicit operator bool() const { return res_; }
	const T *operator->() const { return res_; }

private:
	const T *res_;
	int idx_ = 0;
};

template <class T> class Revocable {
public:
	explicit Revocable(::drm_device *drm) : drm_(drm) {}
	// Set once at probe, before anything can call access().
	void init(T res) { res_ = move(res); }
	RevocableGuard<T> access() const { return RevocableGuard<T>(drm_, &res_); }

private:
	::drm_device *drm_;
	T res_{};
};

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

	// A debugfs file in the device's debugfs root, printed by
	// @show(drm, seq); before register_().
	void debugfs_add_file(const char *name, refgpu_cpp_debugfs_show_t show) const
	{
		refgpu_cpp_drm_debugfs_add_file(raw_, name, show);
	}

	Status register_() const { return to_status(refgpu_cpp_drm_dev_register(raw_)); }
	void unplug() const { refgpu_cpp_drm_dev_unplug(raw_); }

private:
	static void release(::drm_device *, void *obj) { static_cast<T *>(obj)->~T(); }
	::drm_device *raw_;
};

} // namespace kernel::drm
