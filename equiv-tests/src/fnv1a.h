// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// 64-bit FNV-1a: the content hash of refgpu-equiv's steps and of the
// trace format (equiv-tests/trace), one definition for both.
#pragma once

#include <cstddef>
#include <cstdint>

namespace refgpu {

inline constexpr std::uint64_t kFnv1aOffset = 0xcbf29ce484222325ull;

inline std::uint64_t fnv1a64(const void *data, std::size_t len, std::uint64_t h = kFnv1aOffset)
{
	const auto *p = static_cast<const std::uint8_t *>(data);
	for (std::size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

} // namespace refgpu
