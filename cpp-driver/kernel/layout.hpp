// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Storage for kernel objects embedded in C++ objects. C++ cannot include the
// kernel's headers, so it knows a kernel structure only by the size and
// alignment this kernel build gives it: generated/kernel_layout.h, made by
// Kbuild from glue/kernel_layout.c for the configuration being built (the
// way asm-offsets.h is), and checked against the real type by the glue.
#pragma once

#include "kernel_layout.h" // generated from this kernel build: #defines only
#include "types.hpp"

namespace kernel {

// Size and alignment of one kernel structure in this build.
struct Layout {
	usize size, align;
};

namespace layout {
inline constexpr Layout spinlock{REFGPU_KL_SPINLOCK_SIZE, REFGPU_KL_SPINLOCK_ALIGN};
inline constexpr Layout completion{REFGPU_KL_COMPLETION_SIZE, REFGPU_KL_COMPLETION_ALIGN};
// Empty without lockdep (size 0).
inline constexpr Layout lock_class_key{REFGPU_KL_LOCK_CLASS_KEY_SIZE,
				       REFGPU_KL_LOCK_CLASS_KEY_ALIGN};
inline constexpr Layout mutex{REFGPU_KL_MUTEX_SIZE, REFGPU_KL_MUTEX_ALIGN};
inline constexpr Layout xarray{REFGPU_KL_XARRAY_SIZE, REFGPU_KL_XARRAY_ALIGN};
inline constexpr Layout gpuvm{REFGPU_KL_GPUVM_SIZE, REFGPU_KL_GPUVM_ALIGN};
inline constexpr Layout gpuva{REFGPU_KL_GPUVA_SIZE, REFGPU_KL_GPUVA_ALIGN};
// Offsets of the struct drm_gpuva fields C++ reads.
namespace gpuva_field {
inline constexpr usize vm_bo = REFGPU_KL_GPUVA_VM_BO_OFFSET;
inline constexpr usize addr = REFGPU_KL_GPUVA_ADDR_OFFSET;
inline constexpr usize range = REFGPU_KL_GPUVA_RANGE_OFFSET;
inline constexpr usize gem_offset = REFGPU_KL_GPUVA_GEM_OFFSET_OFFSET;
inline constexpr usize gem_obj = REFGPU_KL_GPUVA_GEM_OBJ_OFFSET;
} // namespace gpuva_field
} // namespace layout

// Suitably aligned bytes for a kernel object of layout L, reached by the
// glue as the opaque C type Raw. Never copied or moved: the kernel object
// may be linked into lists by address. A structure that is empty in this
// configuration (GNU C gives it size 0; a C++ object cannot be smaller than
// 1) gets one unused byte.
template <Layout L, class Raw> class Opaque : Pinned {
public:
	constexpr Opaque() = default;
	Raw *raw() { return reinterpret_cast<Raw *>(bytes_); }

	// A field of the kernel object at a generated offset (layout::*_field).
	template <class F, usize Offset> F field() const
	{
		static_assert(Offset + sizeof(F) <= L.size, "field outside the object");
		F v;
		__builtin_memcpy(&v, bytes_ + Offset, sizeof(F));
		return v;
	}

private:
	// Zeroed, so a static one (a lock class key) is constant-initialised.
	alignas(L.align) unsigned char bytes_[L.size ? L.size : 1] = {};
};

} // namespace kernel
