// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "uapi.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace refgpu::equiv {

std::string errno_name(int err)
{
	switch (err) {
#define E(x) \
	case x: \
		return #x
		E(EPERM);
		E(ENOENT);
		E(ESRCH);
		E(EINTR);
		E(EIO);
		E(ENXIO);
		E(E2BIG);
		E(EBADF);
		E(EAGAIN);
		E(ENOMEM);
		E(EACCES);
		E(EFAULT);
		E(EBUSY);
		E(EEXIST);
		E(ENODEV);
		E(ENOTDIR);
		E(EINVAL);
		E(ENFILE);
		E(EMFILE);
		E(ENOTTY);
		E(EFBIG);
		E(ENOSPC);
		E(ESPIPE);
		E(EROFS);
		E(ERANGE);
		E(ENOSYS);
		E(EOVERFLOW);
		E(EOPNOTSUPP);
		E(ETIME);
		E(ETIMEDOUT);
		E(ECANCELED);
#undef E
	default:
		// (append rather than "E" + ...: GCC 12 -O3 -Wrestrict false positive)
		std::string s = "E";
		s += std::to_string(err);
		return s;
	}
}

std::string ret_name(int ret)
{
	if (ret == 0)
		return "0";
	if (ret < 0) {
		std::string s = "-";
		s += errno_name(-ret);
		return s;
	}
	return std::to_string(ret);
}

Fd &Fd::operator=(Fd &&o) noexcept
{
	if (this != &o)
		reset(o.release());
	return *this;
}

int Fd::release()
{
	return std::exchange(fd_, -1);
}

void Fd::reset(int fd)
{
	if (fd_ >= 0)
		::close(fd_);
	fd_ = fd;
}

Fd Fd::open_rdwr(const std::filesystem::path &path, int *err)
{
	int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (err)
			*err = errno;
		return Fd();
	}
	if (err)
		*err = 0;
	return Fd(fd);
}

Mapping::Mapping(Mapping &&o) noexcept
	: addr_(std::exchange(o.addr_, nullptr)), len_(std::exchange(o.len_, 0))
{
}

Mapping &Mapping::operator=(Mapping &&o) noexcept
{
	if (this != &o) {
		reset();
		addr_ = std::exchange(o.addr_, nullptr);
		len_ = std::exchange(o.len_, 0);
	}
	return *this;
}

void Mapping::reset()
{
	if (addr_)
		::munmap(addr_, len_);
	addr_ = nullptr;
	len_ = 0;
}

int Mapping::unmap()
{
	if (addr_ && ::munmap(addr_, len_))
		return -errno;
	addr_ = nullptr;
	len_ = 0;
	return 0;
}

Mapping Mapping::map_fd(int fd, std::size_t len, std::uint64_t offset, int prot, int *ret)
{
	void *p = ::mmap(nullptr, len, prot, MAP_SHARED, fd, static_cast<off_t>(offset));
	if (p == MAP_FAILED) {
		*ret = -errno;
		return Mapping();
	}
	*ret = 0;
	return Mapping(p, len);
}

Mapping Mapping::map_anon(std::size_t len, int prot, int *ret)
{
	void *p = ::mmap(nullptr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		*ret = -errno;
		return Mapping();
	}
	*ret = 0;
	return Mapping(p, len);
}

namespace {

int sys_ioctl(int fd, unsigned long request, void *arg)
{
	return ::ioctl(fd, request, arg);
}

} // namespace

int raw_ioctl(int fd, unsigned long request, void *arg, IoctlSyscall sys)
{
	if (!sys)
		sys = sys_ioctl;
	unsigned eagain = 0;
	for (;;) {
		int r = sys(fd, request, arg);
		if (r != -1)
			return r;
		int e = errno;
		if (e == EINTR)
			continue;
		if (e == EAGAIN && eagain++ < kIoctlEagainRetries)
			continue;
		return -e;
	}
}

NodeDevice NodeDevice::open(const std::filesystem::path &path, int *err)
{
	return NodeDevice(Fd::open_rdwr(path, err));
}

int NodeDevice::ioctl(unsigned long request, void *arg)
{
	return raw_ioctl(fd_.get(), request, arg);
}

Mapping NodeDevice::mmap(std::size_t len, std::uint64_t offset, int *ret)
{
	return Mapping::map_fd(fd_.get(), len, offset, PROT_READ | PROT_WRITE, ret);
}

std::string DeviceIo::gpu_access(std::uint32_t, std::uint64_t, char)
{
	return "error=unsupported";
}

std::string gpu_data(std::uint64_t word)
{
	char out[40];
	std::snprintf(out, sizeof(out), "data=0x%016llx", static_cast<unsigned long long>(word));
	return out;
}

namespace {

// The value of "key=" among the space-separated words of line, or "".
std::string word_value(const std::string &line, const std::string &key)
{
	std::istringstream in(line);
	std::string w;
	while (in >> w)
		if (w.compare(0, key.size() + 1, key + "=") == 0)
			return w.substr(key.size() + 1);
	return {};
}

std::string read_file(const std::string &path, bool *ok)
{
	std::ifstream in(path);
	std::stringstream ss;
	ss << in.rdbuf();
	*ok = static_cast<bool>(in) || in.eof();
	return ss.str();
}

} // namespace

std::string normalise_mmu_access(const std::string &line)
{
	if (line.compare(0, 3, "pa=") == 0) {
		std::string data = word_value(line, "data");
		return data.empty() ? "ok" : "data=" + data;
	}
	if (line.compare(0, 6, "fault ") == 0)
		return "fault=" + word_value(line, "type") + " level=" + word_value(line, "level");
	return "error=hook said '" + line.substr(0, line.find('\n')) + "'";
}

int find_as(const std::string &listing, std::uint64_t client, std::uint32_t vm)
{
	std::istringstream in(listing);
	std::string line;
	while (std::getline(in, line)) {
		unsigned as = 0, v = 0;
		unsigned long long c = 0;
		if (std::sscanf(line.c_str(), "as=%u client=%llu vm=%u", &as, &c, &v) == 3 &&
		    c == client && v == vm)
			return static_cast<int>(as);
	}
	return -1;
}

std::string NodeDevice::gpu_access(std::uint32_t vm_id, std::uint64_t va, char access)
{
	struct stat st;
	if (::fstat(fd_.get(), &st) || !S_ISCHR(st.st_mode))
		return "error=not a device node";
	std::error_code ec;
	auto dev = std::filesystem::canonical("/sys/dev/char/" + std::to_string(major(st.st_rdev)) +
						      ":" + std::to_string(minor(st.st_rdev)) + "/device",
					      ec);
	if (ec)
		return "error=no sysfs device";
	const std::string name = dev.filename().string();

	bool ok = false;
	std::string fdinfo = read_file("/proc/self/fdinfo/" + std::to_string(fd_.get()), &ok);
	std::string client;
	std::istringstream lines(fdinfo);
	for (std::string l; std::getline(lines, l);)
		if (l.compare(0, 14, "drm-client-id:") == 0)
			client = l.substr(l.find_first_not_of(" \t", 14));
	if (client.empty())
		return "error=no drm-client-id";

	std::string listing = read_file("/sys/kernel/debug/dri/" + name + "/refgpu_as", &ok);
	if (!ok)
		return "error=no refgpu_as";
	int as = find_as(listing, std::stoull(client), vm_id);
	if (as < 0)
		return "no-as";

	const std::string hook = "/sys/kernel/debug/refgpu-sim/" + name + "/mmu_access";
	char req[64];
	int n = std::snprintf(req, sizeof(req), "%d %" PRIx64 " %c\n", as, va, access);
	Fd h(::open(hook.c_str(), O_WRONLY | O_CLOEXEC));
	if (!h.valid() || ::write(h.get(), req, n) != n)
		return "error=mmu_access write failed";
	h.reset();
	std::string line = read_file(hook, &ok);
	if (!ok)
		return "error=mmu_access read failed";
	return normalise_mmu_access(line);
}

int drm_version(DeviceIo &dev, DrmVersion *out)
{
	constexpr std::size_t kLen = 4096;
	std::vector<char> name(kLen), date(kLen), desc(kLen);
	drm_version_t v{};
	v.name_len = kLen;
	v.name = name.data();
	v.date_len = kLen;
	v.date = date.data();
	v.desc_len = kLen;
	v.desc = desc.data();
	int ret = dev.ioctl(DRM_IOCTL_VERSION, &v);
	if (ret)
		return ret;
	auto str = [](const std::vector<char> &buf, std::size_t len) {
		return std::string(buf.data(), std::min(len, buf.size()));
	};
	out->major = v.version_major;
	out->minor = v.version_minor;
	out->patchlevel = v.version_patchlevel;
	out->name = str(name, v.name_len);
	out->date = str(date, v.date_len);
	out->desc = str(desc, v.desc_len);
	return 0;
}

int query_gpu_info(DeviceIo &dev, drm_refgpu_gpu_info *info)
{
	*info = {};
	drm_refgpu_dev_query q{};
	q.type = DRM_REFGPU_DEV_QUERY_GPU_INFO;
	q.size = sizeof(*info);
	q.pointer = reinterpret_cast<std::uintptr_t>(info);
	return dev.ioctl(DRM_IOCTL_REFGPU_DEV_QUERY, &q);
}

std::string create_close_bo(DeviceIo &dev, std::uint32_t *handle, std::uint64_t *offset)
{
	drm_refgpu_bo_create a{};
	a.size = 4096;
	int r = dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &a);
	if (r)
		return "BO_CREATE 4 KiB failed: " + ret_name(r);
	*handle = a.handle;
	drm_refgpu_bo_mmap_offset mo{};
	mo.handle = a.handle;
	int mr = offset ? dev.ioctl(DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &mo) : 0;
	drm_gem_close c{};
	c.handle = a.handle;
	r = dev.ioctl(DRM_IOCTL_GEM_CLOSE, &c);
	if (r)
		return "GEM_CLOSE of the new BO " + std::to_string(a.handle) + " failed: " + ret_name(r);
	if (mr)
		return "BO_MMAP_OFFSET of the new BO " + std::to_string(a.handle) +
		       " failed: " + ret_name(mr);
	if (offset)
		*offset = mo.offset;
	return "";
}

namespace {

drm_refgpu_vm_bind_op bind_op(std::uint32_t op, std::uint32_t flags, std::uint32_t bo,
			      std::uint64_t bo_offset, std::uint64_t va, std::uint64_t size)
{
	return {.op = op, .flags = flags, .bo_handle = bo, .pad = 0, .bo_offset = bo_offset, .va = va,
		.size = size};
}

} // namespace

drm_refgpu_vm_bind_op vm_map_op(std::uint32_t bo, std::uint64_t bo_offset, std::uint64_t va,
				std::uint64_t size, std::uint32_t flags)
{
	return bind_op(DRM_REFGPU_VM_BIND_OP_MAP, flags, bo, bo_offset, va, size);
}

drm_refgpu_vm_bind_op vm_unmap_op(std::uint64_t va, std::uint64_t size)
{
	return bind_op(DRM_REFGPU_VM_BIND_OP_UNMAP, 0, 0, 0, va, size);
}

drm_refgpu_vm_bind vm_bind_arg(std::uint32_t vm, const void *array, std::uint32_t count,
			       std::uint32_t stride, std::uint32_t flags)
{
	return {.vm_id = vm,
		.flags = flags,
		.ops = {.stride = stride, .count = count, .array = reinterpret_cast<std::uintptr_t>(array)}};
}

} // namespace refgpu::equiv
