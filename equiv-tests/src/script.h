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

#include "fnv1a.h"
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
	std::string gpu_access(std::uint32_t vm_id, std::uint64_t va, char access) override
	{
		return dev_.gpu_access(vm_id, va, access);
	}
	unsigned count() const { return count_; }

private:
	DeviceIo &dev_;
	unsigned count_ = 0;
};

// State shared by the steps of one run on one device.
struct ScriptState {
	drm_refgpu_gpu_info info{}; // dev_query.full
	Fd dmabuf_map;      // PRIME export of bo_map
	Fd dmabuf_no_mmap;  // PRIME export of bo_no_mmap
	std::uint32_t peer_map = 0, peer_no_mmap = 0; // their imports on the peer
	std::uint64_t peer_map_offset = 0, peer_no_mmap_offset = 0;
	Mapping held; // bo_map, mapped across its GEM_CLOSE
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
	// GPU virtual memory (the vm.* and vm_*.* steps)
	drm_refgpu_vm_info vm_info{};
	std::uint32_t vm_a = 0, vm_b = 0; // vm_create.first, .second
	std::uint32_t vm_bo_a = 0, vm_bo_b = 0; // 4 and 2 pages, patterned
	std::vector<std::uint32_t> vms_extra; // vm_create.until_full
};

// The device under test and its peer: a fresh fd of the other driver's
// node, for PRIME between the two devices.
struct StepContext {
	DeviceIo &dev;
	DeviceIo &peer;
	ScriptState &st;
};

// The absolute oracle: what the UAPI header (refgpu_drm.h; for DRM core
// ioctls, drm.h and the DRM core) documents for a step, whatever the other
// driver does: the return, and the value of every field it fixes. Fields
// not listed are compared between the drivers only.
struct Expect {
	int ret = 0;
	std::vector<Field> fields;
};

struct Step {
	std::string name;
	std::string ioctl;
	Expect expect;
	std::function<void(StepContext &, Result &)> run;
};

// The script, in order. Names are unique.
const std::vector<Step> &script_steps();

struct ScriptRun {
	std::vector<Result> results;
	unsigned ioctls = 0; // ioctls issued on the device
};

// Runs every step on dev (which should be a fresh fd); peer is a fresh fd
// of the other device (the C++ one for the C run and vice versa). ioctls
// counts those issued on both.
ScriptRun run_script(DeviceIo &dev, DeviceIo &peer);

// A documented outcome a run did not meet: step, field (kRowReturn-like
// "(return)" for the return code, "(step)" for a step that did not run),
// what was recorded and what is documented.
struct OracleMiss {
	std::string step, field, got, documented;
	bool operator==(const OracleMiss &) const = default;
};
// Checks a run against every step's Expect.
std::vector<OracleMiss> check_documented(const std::vector<Result> &results);

using refgpu::fnv1a64; // fnv1a.h
// Fills buf with an xorshift64 stream seeded from seed.
void fill_pattern(std::uint8_t *buf, std::size_t len, std::uint64_t seed);

} // namespace refgpu::equiv
