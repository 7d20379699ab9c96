// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --query mode: decode drm_refgpu_gpu_info and show both drivers' side by
// side.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "uapi.h"

namespace refgpu::equiv {

struct GpuInfoQuery {
	int ret = 0; // 0 or -errno of the DEV_QUERY
	drm_refgpu_gpu_info info{};
};

GpuInfoQuery run_gpu_info_query(DeviceIo &dev);

std::string gpu_arch(std::uint32_t gpu_id);      // "major.minor"
std::string gpu_product(std::uint32_t gpu_id);   // "0x0003"
std::string fw_version_string(std::uint32_t fw); // "M.m.p"
std::string feature_names(std::uint64_t features); // "MMU|DOORBELL", "none"
std::string byte_size(std::uint64_t bytes);      // "268435456 (256 MiB)"

// Ordered (label, value) rows; info rows are "-" when the query failed.
std::vector<std::pair<std::string, std::string>> decode_gpu_info(const GpuInfoQuery &q);

bool gpu_info_equal(const GpuInfoQuery &a, const GpuInfoQuery &b);

// The side-by-side table plus a closing "GPU info: equal" / "... DIFFERENT".
std::string format_query(const std::string &label_c, const GpuInfoQuery &c,
			 const std::string &label_cpp, const GpuInfoQuery &cpp);

} // namespace refgpu::equiv
