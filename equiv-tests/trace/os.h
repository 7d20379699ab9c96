// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The system calls the recorder wraps and the replayer makes, as one seam:
// the real ones (libc's, or the next ones after an LD_PRELOAD library) or
// an in-process model in the unit tests. libc's conventions: -1 (or
// MAP_FAILED) with errno set on failure.
#pragma once

#include <sys/types.h>

#include <string>

namespace refgpu::trace {

class Os {
public:
	virtual ~Os() = default;
	virtual int ioctl(int fd, unsigned long request, void *arg) = 0;
	virtual void *mmap(void *addr, std::size_t len, int prot, int flags, int fd, off_t off) = 0;
	virtual int munmap(void *addr, std::size_t len) = 0;
	virtual int close(int fd) = 0;
	virtual int dup(int fd) = 0;
	// Recorder: is fd a DRM device file? Then its node, the driver of its
	// device (the sysfs driver link's basename, "" if unknown) and the
	// device (its sysfs path: a card and a render node share it).
	virtual bool drm_fd(int fd, std::string *node, std::string *driver, std::string *device) = 0;
	// Replayer: open a fresh file of the device node.
	virtual int open_node(const std::string &node) = 0;
};

// The real system calls (dlsym(RTLD_NEXT) ones when fns_from_next is set:
// inside the LD_PRELOAD library, whose own ioctl() etc. are the hooks).
class RealOs final : public Os {
public:
	explicit RealOs(bool fns_from_next = false);
	int ioctl(int fd, unsigned long request, void *arg) override;
	void *mmap(void *addr, std::size_t len, int prot, int flags, int fd, off_t off) override;
	int munmap(void *addr, std::size_t len) override;
	int close(int fd) override;
	int dup(int fd) override;
	bool drm_fd(int fd, std::string *node, std::string *driver, std::string *device) override;
	int open_node(const std::string &node) override;

	using IoctlFn = int (*)(int, unsigned long, ...);
	using MmapFn = void *(*)(void *, std::size_t, int, int, int, off_t);
	using MunmapFn = int (*)(void *, std::size_t);
	using CloseFn = int (*)(int);
	using DupFn = int (*)(int);
	IoctlFn ioctl_fn;
	MmapFn mmap_fn;
	MunmapFn munmap_fn;
	CloseFn close_fn;
	DupFn dup_fn;
};

} // namespace refgpu::trace
