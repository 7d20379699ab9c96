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

	template <class... Args> void err(const char *fmt, Args... args) const
	{
		refgpu_cpp_dev_printk(raw_, 3, fmt, args...);
	}
	template <class... Args> void info(const char *fmt, Args... args) const
	{
		refgpu_cpp_dev_printk(raw_, 6, fmt, args...);
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
