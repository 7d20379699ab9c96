// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
#pragma once

#include "kernel/gem.hpp"
#include "kernel/sync.hpp"

namespace refgpu {

// A refgpu buffer object: the twin of struct refgpu_gem_object. The shmem
// GEM object it extends lives in the same allocation (kernel::gem::Object).
struct GemObject {
	kernel::u32 flags = 0;
	// Protects the object's gpuva list (drm_gem_gpuva_set_lock), as
	// panthor's gpuva_list_lock: the object's own resv could not be taken
	// under a VM's resv without a ww acquire context.
	kernel::Mutex<kernel::Unit, kernel::LockClass<"refgpu::GemObject::gpuva_lock">> gpuva_lock;

	// gem::Object<T>::alloc, right after construction.
	void created(::drm_gem_object *raw);
};

using BoRef = kernel::gem::ObjectRef<GemObject>;

} // namespace refgpu
