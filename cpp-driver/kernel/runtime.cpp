// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// The freestanding C++ runtime of the refgpu C++ driver: allocation
// operators over kmalloc/kfree and the ABI hooks the compiler may emit.
// No exceptions, no RTTI, no static constructors (scripts/cxx-object-check.sh
// rejects an object that has any).

#include "alloc.hpp"

using kernel::usize;

void *operator new(usize size, kernel::Gfp gfp) noexcept
{
	return refgpu_cpp_kmalloc(size, static_cast<refgpu_cpp_gfp>(gfp));
}

void *operator new[](usize size, kernel::Gfp gfp) noexcept
{
	return refgpu_cpp_kmalloc(size, static_cast<refgpu_cpp_gfp>(gfp));
}

void operator delete(void *p) noexcept
{
	refgpu_cpp_kfree(p);
}

void operator delete(void *p, usize) noexcept
{
	refgpu_cpp_kfree(p);
}

void operator delete[](void *p) noexcept
{
	refgpu_cpp_kfree(p);
}

void operator delete[](void *p, usize) noexcept
{
	refgpu_cpp_kfree(p);
}

// kmalloc never hands out over-aligned memory, so aligned new is not
// provided; the aligned deletes exist because the compiler may name them.
void operator delete(void *p, std::align_val_t) noexcept
{
	refgpu_cpp_kfree(p);
}

void operator delete(void *p, usize, std::align_val_t) noexcept
{
	refgpu_cpp_kfree(p);
}

void operator delete[](void *p, std::align_val_t) noexcept
{
	refgpu_cpp_kfree(p);
}

void operator delete[](void *p, usize, std::align_val_t) noexcept
{
	refgpu_cpp_kfree(p);
}

void operator delete(void *p, kernel::Gfp) noexcept
{
	refgpu_cpp_kfree(p);
}

void operator delete[](void *p, kernel::Gfp) noexcept
{
	refgpu_cpp_kfree(p);
}

namespace kernel::detail {

// Like WARN_ONCE(): the first bad value is the bug to fix; reporting every
// later one would flood the log from an ioctl path. Racy like WARN_ONCE
// (at worst two reports), and zero-initialised: no static constructor.
static bool bad_errno_reported;

void bad_errno(int value)
{
	if (bad_errno_reported)
		return;
	bad_errno_reported = true;
	refgpu_cpp_warn("refgpu_cpp: %d is not a negative errno, using -EINVAL\n", value);
}

} // namespace kernel::detail

// Called through a vtable slot of a pure virtual function: a bug.
extern "C" void __cxa_pure_virtual();

void __cxa_pure_virtual()
{
	refgpu_cpp_bug("pure virtual function called");
}
