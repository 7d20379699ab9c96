// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// A userspace stand-in for the C glue (glue/refgpu_glue.h), so the C++
// abstractions in cpp-driver/kernel/ can be unit-tested on the host: it
// records calls and can be told to fail.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace fake {

struct State {
	// Failure injection.
	bool fail_kmalloc = false;
	bool fail_lock_alloc = false;
	bool fail_completion_alloc = false;
	int drm_add_release_ret = 0;
	int gem_handle_ret = 0;
	int copy_to_user_ret = 0;

	// Accounting.
	int live_allocs = 0;
	int live_locks = 0;
	int live_completions = 0;
	std::vector<std::string> calls;
	std::map<unsigned int, std::vector<unsigned int>> reads; // offset -> values to return
	std::map<unsigned int, unsigned int> writes;             // offset -> last value
	int gem_refs = 0;
	int sleep_us = 0;
	int sleep_min_us = 0;
	long long now_ns = 1000000;
};

State &state();
void reset();

} // namespace fake
