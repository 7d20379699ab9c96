// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// Thin C++ layer over the refgpu UAPI: RAII file descriptor and mapping,
// the DeviceIo interface the script talks to, and the real implementation
// on a DRM render node (raw ioctl(2) and mmap(2), no libdrm library).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "refgpu_drm.h" // pulls in libdrm's drm.h

namespace refgpu::equiv {

// errno value -> symbolic name ("EINVAL"); "E<n>" when unknown.
std::string errno_name(int err);
// Return value of an ioctl/mmap step: "0" or "-EINVAL".
std::string ret_name(int ret);

// Owning file descriptor.
class Fd {
public:
	Fd() = default;
	explicit Fd(int fd) : fd_(fd) {}
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	Fd(Fd &&o) noexcept : fd_(o.release()) {}
	Fd &operator=(Fd &&o) noexcept;
	~Fd() { reset(); }

	int get() const { return fd_; }
	bool valid() const { return fd_ >= 0; }
	int release();
	void reset(int fd = -1);

	// open(2) with O_RDWR | O_CLOEXEC; on failure returns an invalid Fd
	// and stores errno in *err.
	static Fd open_rdwr(const std::filesystem::path &path, int *err);

private:
	int fd_ = -1;
};

// Owning memory mapping (munmap on destruction).
class Mapping {
public:
	Mapping() = default;
	Mapping(void *addr, std::size_t len) : addr_(addr), len_(len) {}
	Mapping(const Mapping &) = delete;
	Mapping &operator=(const Mapping &) = delete;
	Mapping(Mapping &&o) noexcept;
	Mapping &operator=(Mapping &&o) noexcept;
	~Mapping() { reset(); }

	bool valid() const { return addr_ != nullptr; }
	void *data() const { return addr_; }
	std::uint8_t *bytes() const { return static_cast<std::uint8_t *>(addr_); }
	std::size_t size() const { return len_; }
	void reset();
	// munmap(2) now: 0 (the mapping is then empty), or -errno with the
	// mapping kept (the destructor tries again).
	int unmap();

	// mmap(2) of fd; on failure returns an invalid Mapping and stores
	// -errno in *ret (0 on success).
	static Mapping map_fd(int fd, std::size_t len, std::uint64_t offset, int prot, int *ret);
	// Anonymous private mapping (e.g. PROT_NONE to get an unmapped-like pointer).
	static Mapping map_anon(std::size_t len, int prot, int *ret);

private:
	void *addr_ = nullptr;
	std::size_t len_ = 0;
};

// What the script needs from a device. The real one is NodeDevice; the
// unit tests plug in an in-process model of the UAPI.
class DeviceIo {
public:
	virtual ~DeviceIo() = default;
	// Issue one ioctl; returns 0 or -errno.
	virtual int ioctl(unsigned long request, void *arg) = 0;
	// Map len bytes at the (fake) offset, read/write shared; on failure an
	// invalid Mapping and -errno in *ret.
	virtual Mapping mmap(std::size_t len, std::uint64_t offset, int *ret) = 0;
	// The file descriptor behind it, or -1 (in-process models).
	virtual int raw_fd() const { return -1; }
	// One GPU access ('r', 'w' or 'x') at va through VM vm_id of this
	// file, made as the GPU's engine makes it (TLB, walk, permissions),
	// in a form that does not depend on the driver or on physical
	// addresses: "data=0x<16 hex digits>" (a read: the 64-bit word at va
	// rounded down to 8), "ok" (a write or an exec that would be
	// allowed), "fault=<type> level=<n>", "no-as" (the driver gave the VM
	// no address space), or "error=<why>" when it cannot be made.
	virtual std::string gpu_access(std::uint32_t vm_id, std::uint64_t va, char access);
};

// gpu_access's outcome of a read that found word: "data=0x<16 hex digits>".
std::string gpu_data(std::uint64_t word);

// How many times raw_ioctl() retries an ioctl that keeps failing with
// EAGAIN before it returns -EAGAIN.
inline constexpr unsigned kIoctlEagainRetries = 64;
// The system call raw_ioctl() makes: ::ioctl(2) unless replaced (tests).
// Returns -1 with errno set on failure, like ioctl(2).
using IoctlSyscall = int (*)(int fd, unsigned long request, void *arg);

// ioctl(2) retried on EINTR (always, as drmIoctl() does) and on EAGAIN (at
// most kIoctlEagainRetries times: a driver that keeps answering EAGAIN
// must not hang the harness); 0 or -errno. Allocation-free.
int raw_ioctl(int fd, unsigned long request, void *arg, IoctlSyscall sys = nullptr);

// A DRM render node opened with a fresh file descriptor.
class NodeDevice final : public DeviceIo {
public:
	explicit NodeDevice(Fd fd) : fd_(std::move(fd)) {}
	// Open path; on failure returns nullptr-like invalid device (check valid()).
	static NodeDevice open(const std::filesystem::path &path, int *err);

	bool valid() const { return fd_.valid(); }
	int fd() const { return fd_.get(); }
	int ioctl(unsigned long request, void *arg) override;
	Mapping mmap(std::size_t len, std::uint64_t offset, int *ret) override;
	int raw_fd() const override { return fd_.get(); }
	// Through the refgpu model's test hooks (docs/hardware.md): the AS the
	// driver gave the VM from debugfs dri/<device>/refgpu_as (this file
	// is told apart by its drm-client-id), the access by
	// refgpu-sim/<device>/mmu_access. Needs debugfs (root, in the guest).
	std::string gpu_access(std::uint32_t vm_id, std::uint64_t va, char access) override;

private:
	Fd fd_;
};

// The outcome line of the model's mmu_access hook ("pa=... tlb=...
// [data=...]" or "fault type=... level=... access=... va=...") in
// DeviceIo::gpu_access's form.
std::string normalise_mmu_access(const std::string &line);
// The AS of (client, vm) in a refgpu_as debugfs listing ("as=<n>
// client=<id> vm=<id>" lines), or -1.
int find_as(const std::string &listing, std::uint64_t client, std::uint32_t vm);

// DRM_IOCTL_VERSION strings, one ioctl with fixed 4 KiB buffers (longer
// strings are truncated, identically on both sides).
struct DrmVersion {
	int major = 0, minor = 0, patchlevel = 0;
	std::string name, date, desc;
};
int drm_version(DeviceIo &dev, DrmVersion *out);

// DEV_QUERY of the GPU info with size = sizeof(drm_refgpu_gpu_info).
int query_gpu_info(DeviceIo &dev, drm_refgpu_gpu_info *info);

// BO_CREATE of 4 KiB, BO_MMAP_OFFSET of it when offset is not null, and
// GEM_CLOSE: whether a device works and, from the handle and offset it
// got, whether anything leaked. "" or what failed, with no device-specific
// name in it ("BO_CREATE 4 KiB failed: -ENOMEM").
std::string create_close_bo(DeviceIo &dev, std::uint32_t *handle, std::uint64_t *offset = nullptr);

// VM_BIND ops: map size bytes of BO bo from bo_offset at va (flags:
// DRM_REFGPU_VM_BIND_READ_ONLY, _NO_EXEC), or unmap [va, va + size).
drm_refgpu_vm_bind_op vm_map_op(std::uint32_t bo, std::uint64_t bo_offset, std::uint64_t va,
				std::uint64_t size, std::uint32_t flags = 0);
drm_refgpu_vm_bind_op vm_unmap_op(std::uint64_t va, std::uint64_t size);
// The VM_BIND argument for count ops at array (nullptr: 0), stride bytes
// apart. Allocation-free: the fault injector builds it before arming.
drm_refgpu_vm_bind vm_bind_arg(std::uint32_t vm, const void *array, std::uint32_t count,
			       std::uint32_t stride = sizeof(drm_refgpu_vm_bind_op),
			       std::uint32_t flags = 0);

} // namespace refgpu::equiv
