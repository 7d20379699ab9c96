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

struct drm_gem_object;

namespace fake {

struct State {
	// Failure injection.
	bool fail_kmalloc = false;
	int drm_add_release_ret = 0;
	int gem_handle_ret = 0;
	int copy_to_user_ret = 0;
	bool unplugged = false;	   // drm_dev_enter() fails
	int dev_entered = 0;	   // drm_dev_enter() without exit
	int dma_map_ret = 0;	   // refgpu_cpp_dma_page_alloc's mapping fails
	int live_pages = 0;	   // DMA pages allocated, not freed
	std::vector<unsigned long long> dma_synced;

	// Accounting.
	int live_allocs = 0;
	int live_locks = 0; // held now
	// Every lock/completion init: its name and class key, in order.
	std::vector<std::pair<std::string, const void *>> lock_inits;
	std::vector<std::string> calls;
	std::map<unsigned int, std::vector<unsigned int>> reads; // offset -> values to return
	std::map<unsigned int, unsigned int> writes;             // offset -> last value
	int sleep_us = 0;
	int sleep_min_us = 0;
	long long now_ns = 1000000;
	std::vector<std::string> printk; // "<level>:<message>" per dev printk

	// GEM objects, counted like the kernel counts them: the last put
	// frees the object through gem_free (the driver's free hook; unset:
	// straight to the shmem helpers), so a put after that is a real
	// use-after-free that AddressSanitizer reports.
	int gem_refs = 0;         // references over all objects
	int live_gem_objects = 0; // allocated, not yet freed
	int gem_freed_referenced = 0; // freed while references remained
	unsigned long gem_size = 4096; // size of the next object allocated
	void (*gem_free)(struct drm_gem_object *obj) = nullptr;
	std::map<unsigned int, struct drm_gem_object *> handles; // the file's handles
	unsigned int next_handle = 7;
};

State &state();
void reset();

// Drop every handle's reference, as closing the DRM file does.
void close_file();

// Kernel WARNINGs, over the whole process (reset() keeps them): a WARN_ONCE
// on the C++ side must show up here once per process, however many tests ran.
std::vector<std::string> &warnings();

} // namespace fake
