// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// In-process model of a refgpu DRM file, written from the UAPI header and
// the DRM core behaviour the script relies on (lowest-free handle
// allocation, -EINVAL for unknown ioctls). BOs are memfds, so mappings are
// real shared memory. Quirks make it diverge on purpose.
#pragma once

#include <cerrno>
#include <cstdint>
#include <map>
#include <string>

#include "uapi.h"

namespace refgpu::equiv::test {

struct FakeQuirks {
	bool ignore_query_pad = false;    // DEV_QUERY accepts pad != 0
	bool no_tail_zeroing = false;     // DEV_QUERY leaves bytes past the object
	bool close_unknown_enoent = false; // GEM_CLOSE of unknown handle -> -ENOENT
	// Injected failures: every call of ioctl fail_request (0: none) after
	// its first fail_after calls returns -fail_errno; mmap returns
	// -fail_mmap_errno when that is non-zero.
	unsigned long fail_request = 0;
	unsigned fail_after = 0;
	int fail_errno = ENOMEM;
	int fail_mmap_errno = 0;
};

class FakeRefgpu final : public refgpu::equiv::DeviceIo {
public:
	FakeRefgpu();
	~FakeRefgpu() override;

	int ioctl(unsigned long request, void *arg) override;
	refgpu::equiv::Mapping mmap(std::size_t len, std::uint64_t offset, int *ret) override;

	drm_refgpu_gpu_info info{};
	std::string name = "refgpu";
	std::string desc = "refgpu reference GPU";
	FakeQuirks quirks;
	unsigned ioctl_calls = 0;
	std::map<unsigned long, unsigned> calls; // per ioctl request, failed ones included
	unsigned mmap_calls = 0;

	std::size_t live_bos() const { return bos_.size(); }
	std::size_t live_syncobjs() const { return syncobjs_.size(); }

private:
	struct Bo {
		std::uint64_t size;
		std::uint32_t flags;
		int memfd;
		std::uint64_t offset; // 0 until BO_MMAP_OFFSET
	};
	struct Syncobj {
		std::uint64_t point;
	};

	int version(drm_version_t *v);
	int get_cap(drm_get_cap *c);
	int dev_query(drm_refgpu_dev_query *q);
	int bo_create(drm_refgpu_bo_create *a);
	int bo_mmap_offset(drm_refgpu_bo_mmap_offset *a);
	int gem_close(drm_gem_close *a);
	int syncobj_create(drm_syncobj_create *a);
	int syncobj_destroy(drm_syncobj_destroy *a);
	int syncobj_signal(drm_syncobj_timeline_array *a);
	int syncobj_query(drm_syncobj_timeline_array *a);

	std::map<std::uint32_t, Bo> bos_;
	std::map<std::uint32_t, Syncobj> syncobjs_;
	std::uint64_t next_offset_ = 1ull << 32;
};

// A device on which every ioctl and mmap fails.
class DeadDevice final : public refgpu::equiv::DeviceIo {
public:
	int ioctl(unsigned long, void *) override { return -ENOTTY; }
	refgpu::equiv::Mapping mmap(std::size_t, std::uint64_t, int *ret) override
	{
		*ret = -ENODEV;
		return {};
	}
};

} // namespace refgpu::equiv::test
