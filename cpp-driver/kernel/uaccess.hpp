// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// A user pointer as it arrives in an ioctl argument (a __u64), with the
// only operations the kernel allows on it.
#pragma once

#include "error.hpp"
#include "../glue/refgpu_glue.h"

namespace kernel {

class UserPtr {
public:
	explicit UserPtr(u64 addr) : addr_(addr) {}
	bool is_null() const { return addr_ == 0; }
	UserPtr offset(usize n) const { return UserPtr(addr_ + n); }

	Status write(const void *src, usize size) const
	{
		return to_status(refgpu_cpp_copy_to_user(addr_, src, size));
	}
	// copy_struct_from_user(): @ksize bytes into @dst from an element of
	// @usize bytes; -E2BIG if the bytes past @ksize are not zero, -EFAULT.
	Status read_struct(void *dst, usize ksize, usize usize) const
	{
		return to_status(refgpu_cpp_copy_struct_from_user(dst, ksize, addr_, usize));
	}
	Status clear(usize size) const { return to_status(refgpu_cpp_clear_user(addr_, size)); }

private:
	u64 addr_;
};

} // namespace kernel
