// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --stress: threads creating BOs and closing each other's handles on one
// DRM file of each driver, to race BO_CREATE against GEM_CLOSE of the
// handle it is about to return (handles are predictable: the lowest free
// one). The kernel's KASAN and kmemleak catch what goes wrong inside; this
// checks that every result is a documented one and that no handle is left.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "uapi.h"

namespace refgpu::equiv {

inline constexpr unsigned kDefaultStressThreads = 4;
inline constexpr unsigned kDefaultStressSeconds = 60;
// At most this many violations are listed per driver (all are counted).
inline constexpr unsigned kStressListedViolations = 10;

struct StressConfig {
	unsigned iters = 1000;                  // per thread
	unsigned threads = kDefaultStressThreads;
	double seconds = kDefaultStressSeconds; // time bound per driver
};

struct StressSide {
	std::string label;
	unsigned threads = 0;
	std::uint64_t iterations = 0; // completed, over all threads
	std::uint64_t creates = 0;
	std::uint64_t offsets_ok = 0, offsets_gone = 0; // BO_MMAP_OFFSET 0 / -ENOENT
	std::uint64_t closes_ok = 0, closes_gone = 0;   // GEM_CLOSE 0 / -EINVAL or -ENOENT
	std::uint32_t max_handle = 0;    // highest handle BO_CREATE returned
	std::uint64_t left_at_end = 0;   // handles the final sweep closed
	bool stopped_by_time = false;
	double elapsed_s = 0;
	std::uint64_t violations_total = 0;
	std::vector<std::string> violations; // the first kStressListedViolations
	bool ok() const { return violations_total == 0; }
};

// Runs the threads on dev (one DRM file, shared), then closes every handle
// up to the highest one seen and checks that a new BO gets handle 1.
StressSide run_stress(DeviceIo &dev, const std::string &label, const StressConfig &cfg);

// Both drivers' figures side by side, their violations, then the verdict
// line ("stress: ... OK" or "stress: FAILED, N violation(s)").
std::string format_stress(const StressConfig &cfg, const StressSide &c, const StressSide &cpp);

} // namespace refgpu::equiv
