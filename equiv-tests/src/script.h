// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The scripted sequence of steps run identically on both drivers. Each step
// records one Result; the runner counts the ioctls it issues.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "uapi.h"

namespace refgpu::equiv {

struct Field {
	std::string name;
	std::string value;
	bool operator==(const Field &) const = default;
};

struct Result {
	std::string step;  // unique, stable step name ("bo_create.size_0")
	std::string ioctl; // what was issued ("REFGPU_BO_CREATE", "mmap")
	int ret = 0;       // 0 or -errno
	std::vector<Field> fields; // ordered outputs

	void add(std::string name, std::string value);
	void add(std::string name, std::uint64_t value);
	void add_hex(std::string name, std::uint64_t value);
	void add_bool(std::string name, bool value);
	bool operator==(const Result &) const = default;
};

// Counts every ioctl issued by the script; mmap(2) is not an ioctl.
class CountingDevice final : public DeviceIo {
public:
	explicit CountingDevice(DeviceIo &dev) : dev_(dev) {}
	int ioctl(unsigned long request, void *arg) override
	{
		++count_;
		return dev_.ioctl(request, arg);
	}
	Mapping mmap(std::size_t len, std::uint64_t offset, int *ret) override
	{
		return dev_.mmap(len, offset, ret);
	}
	unsigned count() const { return count_; }

private:
	DeviceIo &dev_;
	unsigned count_ = 0;
};

// State shared by the steps of one run on one device.
struct ScriptState {
	std::uint64_t max_bo_size = 0;
	std::uint32_t bo_small = 0;   // size 1
	std::uint32_t bo_map = 0;     // 3*4096+5, the one mapped
	std::uint64_t bo_map_size = 0;
	std::uint64_t bo_map_offset = 0;
	std::uint32_t bo_max = 0;
	std::uint32_t bo_no_mmap = 0;
	std::uint64_t pattern_fnv = 0;
	std::uint32_t syncobj = 0;
	std::uint32_t syncobj_signaled = 0;
};

struct StepContext {
	DeviceIo &dev;
	ScriptState &st;
};

struct Step {
	std::string name;
	std::string ioctl;
	std::function<void(StepContext &, Result &)> run;
};

// The script, in order. Names are unique.
const std::vector<Step> &script_steps();

struct ScriptRun {
	std::vector<Result> results;
	unsigned ioctls = 0; // ioctls issued on the device
};

// Runs every step on dev (which should be a fresh fd).
ScriptRun run_script(DeviceIo &dev);

// 64-bit FNV-1a.
std::uint64_t fnv1a64(const void *data, std::size_t len,
		      std::uint64_t h = 0xcbf29ce484222325ull);
// Fills buf with an xorshift64 stream seeded from seed.
void fill_pattern(std::uint8_t *buf, std::size_t len, std::uint64_t seed);

} // namespace refgpu::equiv
