// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Driver-model views: Device (struct device) and PlatformDevice (struct
// platform_device). They borrow; the driver core owns the objects.
#pragma once

#include "error.hpp"
#include "../glue/refgpu_glue.h"

namespace kernel {

class Device {
public:
	explicit Device(device *raw) : raw_(raw) {}
	device *raw() const { return raw_; }
	const char *name() const { return refgpu_cpp_dev_name(raw_); }

	// dev_err/dev_info. C varargs, not a template, so that the compiler
	// checks the format against the arguments (format(printf), like
	// __printf in the kernel); "this" is argument 1.
	__attribute__((format(printf, 2, 3))) void err(const char *fmt, ...) const
	{
		__builtin_va_list args;
		__builtin_va_start(args, fmt);
		refgpu_cpp_dev_vprintk(raw_, 3, fmt, args);
		__builtin_va_end(args);
	}
	__attribute__((format(printf, 2, 3))) void info(const char *fmt, ...) const
	{
		__builtin_va_list args;
		__builtin_va_start(args, fmt);
		refgpu_cpp_dev_vprintk(raw_, 6, fmt, args);
		__builtin_va_end(args);
	}

	// dev_warn_ratelimited() (one rate limit state: use at one call site).
	__attribute__((format(printf, 2, 3))) void warn_ratelimited(const char *fmt, ...) const
	{
		__builtin_va_list args;
		__builtin_va_start(args, fmt);
		refgpu_cpp_dev_vwarn_ratelimited(raw_, fmt, args);
		__builtin_va_end(args);
	}

	Status dma_set_mask_and_coherent(unsigned int bits) const
	{
		return to_status(refgpu_cpp_dma_set_mask_and_coherent(raw_, bits));
	}

	template <class T> void set_drvdata(T *data) const { refgpu_cpp_set_drvdata(raw_, data); }
	template <class T> T *drvdata() const
	{
		return static_cast<T *>(refgpu_cpp_get_drvdata(raw_));
	}

private:
	device *raw_;
};

class PlatformDevice {
public:
	explicit PlatformDevice(platform_device *raw) : raw_(raw) {}
	platform_device *raw() const { return raw_; }
	Device dev() const { return Device(refgpu_cpp_platform_dev(raw_)); }

	Result<int> irq(unsigned int index) const
	{
		int irq = refgpu_cpp_platform_get_irq(raw_, index);
		if (irq < 0)
			return Error::from_errno(irq);
		return move(irq);
	}

private:
	platform_device *raw_;
};

} // namespace kernel
