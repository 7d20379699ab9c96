// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// The refgpu core module (core/refgpu_core.c) as seen from C++.
#pragma once

#include "device.hpp"

namespace kernel::refgpu_core {

// May the C++ implementation drive @dev (driver_override or refgpu.impl=)?
inline bool impl_selected(const Device &dev)
{
	return refgpu_cpp_impl_selected(dev.raw());
}

} // namespace kernel::refgpu_core
