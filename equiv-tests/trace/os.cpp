// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "os.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace refgpu::trace {

namespace {

// DRM_MAJOR: every DRM minor (card, render) is a char device of major 226.
constexpr unsigned kDrmMajor = 226;

template <typename T> T next(const char *name, T fallback)
{
	void *p = dlsym(RTLD_NEXT, name);
	return p ? reinterpret_cast<T>(p) : fallback;
}

} // namespace

RealOs::RealOs(bool fns_from_next)
	: ioctl_fn(::ioctl), mmap_fn(::mmap), munmap_fn(::munmap), close_fn(::close), dup_fn(::dup)
{
	if (fns_from_next) {
		ioctl_fn = next<IoctlFn>("ioctl", nullptr);
		mmap_fn = next<MmapFn>("mmap", nullptr);
		munmap_fn = next<MunmapFn>("munmap", nullptr);
		close_fn = next<CloseFn>("close", nullptr);
		dup_fn = next<DupFn>("dup", nullptr);
	}
}

int RealOs::ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl_fn(fd, request, arg);
}

void *RealOs::mmap(void *addr, std::size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap_fn(addr, len, prot, flags, fd, off);
}

int RealOs::munmap(void *addr, std::size_t len)
{
	return munmap_fn(addr, len);
}

int RealOs::close(int fd)
{
	return close_fn(fd);
}

int RealOs::dup(int fd)
{
	return dup_fn(fd);
}

bool RealOs::drm_fd(int fd, std::string *node, std::string *driver, std::string *device)
{
	struct stat st;
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode) || major(st.st_rdev) != kDrmMajor)
		return false;
	std::error_code ec;
	*node = std::filesystem::read_symlink("/proc/self/fd/" + std::to_string(fd), ec).string();
	const std::string dev = "/sys/dev/char/" + std::to_string(major(st.st_rdev)) + ":" +
				std::to_string(minor(st.st_rdev)) + "/device";
	auto drv = std::filesystem::read_symlink(dev + "/driver", ec);
	*driver = ec ? "" : drv.filename().string();
	auto canon = std::filesystem::canonical(dev, ec);
	*device = ec ? *node : canon.string();
	return true;
}

int RealOs::open_node(const std::string &node)
{
	return ::open(node.c_str(), O_RDWR | O_CLOEXEC);
}

} // namespace refgpu::trace
