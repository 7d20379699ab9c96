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
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "faultinject.h"
#include "uapi.h"

namespace refgpu::equiv::test {

struct FakeQuirks {
	bool ignore_query_pad = false;    // DEV_QUERY accepts pad != 0
	bool no_tail_zeroing = false;     // DEV_QUERY leaves bytes past the object
	int close_unknown_errno = EINVAL;  // GEM_CLOSE of an unknown handle (DRM core: EINVAL)
	// Bugs for the documented-outcome oracle and the stress mode:
	int query_oversize_errno = E2BIG; // DEV_QUERY with size > DRM_REFGPU_DEV_QUERY_MAX_SIZE
	bool efault_undoes_create = false; // BO_CREATE drops the BO when the copy-back fails
	bool close_zaps_bo = false;       // GEM_CLOSE zeroes the BO under a live mapping
	bool dmabuf_mmap_ignores_no_mmap = false; // a NO_MMAP BO's dma-buf can be mapped
	bool version_len_unchanged = false; // DRM_IOCTL_VERSION leaves the *_len fields alone
	bool vm_bind_no_flush = false;    // VM_BIND leaves the old translations readable (a missed TLB flush)
	bool vm_bind_partial = false;     // a failing VM_BIND keeps the ops before the bad one
	bool close_leaks_bo = false;      // GEM_CLOSE returns 0 but keeps the handle
	// Injected failures: every call of ioctl fail_request (0: none) after
	// its first fail_after calls returns -fail_errno; mmap returns
	// -fail_mmap_errno when that is non-zero.
	unsigned long fail_request = 0;
	unsigned fail_after = 0;
	int fail_errno = ENOMEM;
	int fail_mmap_errno = 0;
};

// The kernel's per-task fail-nth, modelled on a file (the harness's
// --fail-nth-file): each fault point reads the number on its first line; a
// non-zero value is decremented and written back as "<n>\n", and the point
// that brings it to 0 fails. Returns whether this point fails; *reached
// counts the points evaluated while armed.
bool fail_nth_point(const std::string &path, unsigned *reached = nullptr);

// Fault points of the model (only with a fail_nth_path): how many each
// ioctl, mmap, open and close of the node hits, deterministically, and how
// an injected fault shows. All of them are evaluated before the call
// changes anything, so a correct fake fails cleanly.
struct FakeFaults {
	std::string fail_nth_path; // empty: no fault points
	std::map<unsigned long, unsigned> points = {
		{DRM_IOCTL_REFGPU_BO_CREATE, 3},
		{DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, 1},
		{DRM_IOCTL_SYNCOBJ_CREATE, 2},
		{DRM_IOCTL_REFGPU_VM_CREATE, 1},
		{DRM_IOCTL_REFGPU_VM_BIND, 1},
	};
	std::map<unsigned long, int> errnos; // per ioctl; ENOMEM when absent
	// When set, the errno of the injected fault of an ioctl, given the
	// request and how many faults this file has had injected so far, this
	// one included (1, 2, ...); 0: as errnos says. Models allocator state
	// that makes a sweep's outcomes differ from the next one's.
	std::function<int(unsigned long request, unsigned injected)> errno_hook;
	unsigned injected = 0; // faults injected in this file's ioctls
	unsigned mmap_points = 2;
	int mmap_errno = ENOMEM;
	unsigned open_points = 2;  // FakeNode::open_node
	unsigned close_points = 1; // FakeNode::close_node: a release path, faults swallowed
	// Broken drivers:
	bool leak_bo_on_fault = false;  // BO_CREATE fails but keeps a handle
	bool leak_syncobj_on_fault = false; // SYNCOBJ_CREATE fails but keeps a handle
	bool bogus_bo_on_fault = false; // BO_CREATE "succeeds" with a handle it never made:
	std::uint32_t bogus_bo_handle = 77; // this one
	bool mmap_fault_sigbus = false; // mmap succeeds, but touching the mapping SIGBUSes
	// mmap fails under the fault but keeps a reference on the BO: after its
	// handle is closed, the object (and its mmap offset) stays.
	bool leak_gem_ref_on_mmap_fault = false;
	unsigned reached = 0;           // fault points evaluated while armed
};

class FakeRefgpu final : public refgpu::equiv::DeviceIo {
public:
	FakeRefgpu();
	~FakeRefgpu() override;

	int ioctl(unsigned long request, void *arg) override;
	refgpu::equiv::Mapping mmap(std::size_t len, std::uint64_t offset, int *ret) override;
	// The GPU's view of a VM, modelled on the hardware description: a
	// 4-level walk over the tables the binds made (never freed before the
	// VM goes), R/W/X per page, one AS per VM while 7 last.
	std::string gpu_access(std::uint32_t vm_id, std::uint64_t va, char access) override;

	drm_refgpu_gpu_info info{};
	std::string name = "refgpu";
	std::string desc = "refgpu reference GPU";
	FakeQuirks quirks;
	FakeFaults faults;
	unsigned ioctl_calls = 0;
	std::map<unsigned long, unsigned> calls; // per ioctl request, failed ones included
	unsigned mmap_calls = 0;

	std::size_t live_bos() const
	{
		std::lock_guard<std::mutex> lock(mu_);
		return bos_.size();
	}
	std::size_t live_syncobjs() const { return syncobjs_.size(); }
	std::size_t leaked_objects() const { return leaked_ranges_.size(); }

private:
	struct Bo {
		std::uint64_t size;
		std::uint32_t flags;
		int memfd; // also what PRIME exports (a dup of it): the "dma-buf"
		std::uint64_t offset; // 0 until BO_MMAP_OFFSET
		bool leaked_ref = false; // outlives its handle (leak_gem_ref_on_mmap_fault)
	};
	struct Syncobj {
		std::uint64_t point;
	};
	struct VmMap {
		std::uint64_t va, size, bo_offset;
		std::uint32_t flags;
		std::shared_ptr<Fd> memfd; // the mapping's reference on the BO
	};
	struct Vm {
		std::map<std::uint64_t, VmMap> maps; // by va
		std::set<std::uint64_t> tables[3];   // va >> 39, >> 30, >> 21 of the tables below L0
		int as = -1;
		std::map<std::uint64_t, std::string> stale; // vm_bind_no_flush: va page -> old outcome
	};
	int vm_create(drm_refgpu_vm_create *a);
	int vm_destroy(drm_refgpu_vm_destroy *a);
	int vm_bind(drm_refgpu_vm_bind *a);
	static void vm_apply(Vm &vm, const drm_refgpu_vm_bind_op &op, const Bo *bo);
	std::string vm_walk(const Vm &vm, std::uint64_t va, char access) const;

	// Evaluates request's fault points; true when the ioctl returns *ret now.
	bool inject(unsigned long request, void *arg, int *ret);
	int dispatch(unsigned long request, void *arg);
	int prime_handle_to_fd(drm_prime_handle *a);
	int prime_fd_to_handle(drm_prime_handle *a);
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
	std::map<std::uint32_t, Vm> vms_;
	bool as_used_[8] = {true}; // AS 0: the firmware's
	// Lowest free range of the fake offset space (from 4 GiB) not used by
	// a live BO or by an object that outlived its handle.
	std::uint64_t free_offset(std::uint64_t size) const;
	std::map<std::uint64_t, std::uint64_t> leaked_ranges_; // offset -> size
	mutable std::mutex mu_; // the stress mode calls from several threads
};

// The render node as NodeOpener: each open is a new FakeRefgpu (set up by
// setup, which also gives the fault points of open and close).
class FakeNode final : public refgpu::equiv::NodeOpener {
public:
	using Setup = std::function<void(FakeRefgpu &)>;
	explicit FakeNode(Setup setup = nullptr) : setup_(std::move(setup)) {}
	int open_node() override;
	int ioctl(int fd, unsigned long request, void *arg) override;
	int close_node(int fd) override;

	unsigned opens = 0, closes = 0; // successful ones
	std::size_t open_files() const { return files_.size(); }

private:
	Setup setup_;
	std::map<int, std::unique_ptr<FakeRefgpu>> files_;
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
