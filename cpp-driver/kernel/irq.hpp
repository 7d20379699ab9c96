// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Interrupt handlers: a member function of the driver's device object,
// registered device-managed (freed when the driver unbinds).
#pragma once

#include "device.hpp"

namespace kernel {

enum class IrqReturn { None = 0, Handled = 1 };

// Registers T::irq_handler() on @irq for the lifetime of the binding.
template <class T> Status request_irq(const Device &dev, int irq, T *owner)
{
	auto handler = [](void *data) -> int {
		return static_cast<int>(static_cast<T *>(data)->irq_handler());
	};
	return to_status(refgpu_cpp_request_irq(dev.raw(), irq, handler, owner));
}

} // namespace kernel
