// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
#pragma once

#include "kernel/gem.hpp"

namespace refgpu {

// A refgpu buffer object: the twin of struct refgpu_gem_object. The shmem
// GEM object it extends lives in the same allocation (kernel::gem::Object).
struct GemObject {
	kernel::u32 flags = 0;
};

using BoRef = kernel::gem::ObjectRef<GemObject>;

} // namespace refgpu
