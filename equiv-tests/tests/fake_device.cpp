// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "fake_device.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace refgpu::equiv::test {

namespace {

constexpr std::uint64_t kPage = 4096;

// Copies n bytes through a pipe, so an inaccessible source or destination
// gives -EFAULT instead of a crash. Like the kernel's copy_to_user(), a
// destination that becomes unwritable part-way gets the bytes before the
// first unwritable one (a pipe read stops there) and nothing after.
int copy_through_pipe(void *dst, const void *src, std::size_t n)
{
	if (!n)
		return 0;
	int p[2];
	if (pipe(p))
		return -errno;
	int ret = 0;
	ssize_t w = write(p[1], src, n);
	if (w != static_cast<ssize_t>(n)) {
		ret = w < 0 && errno == EFAULT ? -EFAULT : -EIO;
	} else {
		ssize_t r = read(p[0], dst, n);
		if (r != static_cast<ssize_t>(n))
			ret = (r >= 0 || errno == EFAULT) ? -EFAULT : -EIO;
	}
	close(p[0]);
	close(p[1]);
	return ret;
}

int copy_to_user(std::uint64_t dst, const void *src, std::size_t n)
{
	return copy_through_pipe(reinterpret_cast<void *>(dst), src, n);
}

// Identity of an open file, to recognise a dma-buf of one's own BO.
bool same_file(int a, int b)
{
	struct stat sa {}, sb {};
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

template <typename Map> std::uint32_t lowest_free(const Map &m)
{
	std::uint32_t h = 1;
	while (m.count(h))
		h++;
	return h;
}

void copy_field(char *buf, std::size_t *len, const std::string &v)
{
	std::size_t n = std::min(*len, v.size());
	if (buf && n)
		std::memcpy(buf, v.data(), n);
	*len = v.size();
}

constexpr std::uint32_t kMaxVms = 64, kMaxBindOps = 64;
constexpr std::uint64_t kUserVaEnd = 1ull << 47;

// copy_from_user of n bytes at user address src: 0 or -EFAULT.
int copy_from_user(void *dst, std::uint64_t src, std::size_t n)
{
	return copy_through_pipe(dst, reinterpret_cast<const void *>(src), n) ? -EFAULT : 0;
}

} // namespace

bool fail_nth_point(const std::string &path, unsigned *reached)
{
	if (path.empty())
		return false;
	int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	char buf[32] = {};
	ssize_t r = pread(fd, buf, sizeof(buf) - 1, 0);
	unsigned long n = r > 0 ? std::strtoul(buf, nullptr, 10) : 0; // up to the newline
	bool fail = false;
	if (n) {
		if (reached)
			++*reached;
		n--;
		std::string v = std::to_string(n) + "\n";
		if (pwrite(fd, v.data(), v.size(), 0) != static_cast<ssize_t>(v.size()))
			n = 1; // cannot happen on a temporary file; never fail then
		fail = n == 0;
	}
	close(fd);
	return fail;
}

FakeRefgpu::FakeRefgpu()
{
	info.gpu_id = (1u << 24) | (2u << 16) | 0x0003;
	info.fw_version = (1u << 24) | (0u << 16) | 7;
	info.features = DRM_REFGPU_FEATURE_MMU | DRM_REFGPU_FEATURE_DOORBELL;
	info.va_bits = 48;
	info.pa_bits = 40;
	info.doorbell_count = 8;
	info.max_bo_size = 64ull << 20;
}

FakeRefgpu::~FakeRefgpu()
{
	for (auto &[h, bo] : bos_)
		close(bo.memfd);
}

// Like drm_ioctl(): the argument is copied in (for _IOC_WRITE), the handler
// runs on the kernel copy, and the copy goes back (for _IOC_READ) whatever
// the handler returned; a failing copy-back turns the result into -EFAULT
// but does not undo the handler's work.
int FakeRefgpu::ioctl(unsigned long request, void *arg)
{
	std::lock_guard<std::mutex> lock(mu_);
	ioctl_calls++;
	unsigned n = calls[request]++;
	if (quirks.fail_request && request == quirks.fail_request && n >= quirks.fail_after)
		return -quirks.fail_errno;
	const std::size_t size = _IOC_SIZE(request);
	const std::size_t in = (_IOC_DIR(request) & _IOC_WRITE) ? size : 0;
	const std::size_t out = (_IOC_DIR(request) & _IOC_READ) ? size : 0;
	std::vector<std::uint64_t> kdata((size + 7) / 8 + 1, 0); // 8-byte aligned
	if (in && copy_through_pipe(kdata.data(), arg, in))
		return -EFAULT;
	int ret = 0;
	if (!inject(request, kdata.data(), &ret))
		ret = dispatch(request, kdata.data());
	if (out && copy_through_pipe(arg, kdata.data(), out)) {
		if (ret == 0 && request == DRM_IOCTL_REFGPU_BO_CREATE && quirks.efault_undoes_create) {
			auto *a = reinterpret_cast<drm_refgpu_bo_create *>(kdata.data());
			close(bos_[a->handle].memfd);
			bos_.erase(a->handle);
		}
		ret = -EFAULT;
	}
	return ret;
}

int FakeRefgpu::dispatch(unsigned long request, void *arg)
{
	switch (request) {
	case DRM_IOCTL_VERSION:
		return version(static_cast<drm_version_t *>(arg));
	case DRM_IOCTL_GET_CAP:
		return get_cap(static_cast<drm_get_cap *>(arg));
	case DRM_IOCTL_REFGPU_DEV_QUERY:
		return dev_query(static_cast<drm_refgpu_dev_query *>(arg));
	case DRM_IOCTL_REFGPU_BO_CREATE:
		return bo_create(static_cast<drm_refgpu_bo_create *>(arg));
	case DRM_IOCTL_REFGPU_BO_MMAP_OFFSET:
		return bo_mmap_offset(static_cast<drm_refgpu_bo_mmap_offset *>(arg));
	case DRM_IOCTL_GEM_CLOSE:
		return gem_close(static_cast<drm_gem_close *>(arg));
	case DRM_IOCTL_SYNCOBJ_CREATE:
		return syncobj_create(static_cast<drm_syncobj_create *>(arg));
	case DRM_IOCTL_SYNCOBJ_DESTROY:
		return syncobj_destroy(static_cast<drm_syncobj_destroy *>(arg));
	case DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL:
		return syncobj_signal(static_cast<drm_syncobj_timeline_array *>(arg));
	case DRM_IOCTL_SYNCOBJ_QUERY:
		return syncobj_query(static_cast<drm_syncobj_timeline_array *>(arg));
	case DRM_IOCTL_PRIME_HANDLE_TO_FD:
		return prime_handle_to_fd(static_cast<drm_prime_handle *>(arg));
	case DRM_IOCTL_PRIME_FD_TO_HANDLE:
		return prime_fd_to_handle(static_cast<drm_prime_handle *>(arg));
	case DRM_IOCTL_REFGPU_VM_CREATE:
		return vm_create(static_cast<drm_refgpu_vm_create *>(arg));
	case DRM_IOCTL_REFGPU_VM_DESTROY:
		return vm_destroy(static_cast<drm_refgpu_vm_destroy *>(arg));
	case DRM_IOCTL_REFGPU_VM_BIND:
		return vm_bind(static_cast<drm_refgpu_vm_bind *>(arg));
	default:
		return -EINVAL; // drm_ioctl(): driver ioctl number out of range
	}
}

bool FakeRefgpu::inject(unsigned long request, void *arg, int *ret)
{
	auto p = faults.points.find(request);
	if (faults.fail_nth_path.empty() || p == faults.points.end())
		return false;
	for (unsigned i = 0; i < p->second; i++) {
		if (!fail_nth_point(faults.fail_nth_path, &faults.reached))
			continue;
		faults.injected++;
		if (request == DRM_IOCTL_REFGPU_BO_CREATE && faults.bogus_bo_on_fault) {
			auto *a = static_cast<drm_refgpu_bo_create *>(arg);
			a->size = (a->size + kPage - 1) / kPage * kPage;
			a->handle = faults.bogus_bo_handle;
			*ret = 0;
			return true;
		}
		if (request == DRM_IOCTL_REFGPU_BO_CREATE && faults.leak_bo_on_fault) {
			int fd = memfd_create("fake-leaked-bo", MFD_CLOEXEC);
			bos_[lowest_free(bos_)] = {kPage, 0, fd, 0};
		}
		if (request == DRM_IOCTL_SYNCOBJ_CREATE && faults.leak_syncobj_on_fault)
			syncobjs_[lowest_free(syncobjs_)] = {0};
		int hooked = faults.errno_hook ? faults.errno_hook(request, faults.injected) : 0;
		auto e = faults.errnos.find(request);
		*ret = -(hooked ? hooked : e == faults.errnos.end() ? ENOMEM : e->second);
		return true;
	}
	return false;
}

int FakeRefgpu::version(drm_version_t *v)
{
	v->version_major = 1;
	v->version_minor = 0;
	v->version_patchlevel = 0;
	std::size_t name_len = v->name_len, date_len = v->date_len, desc_len = v->desc_len;
	copy_field(v->name, &v->name_len, name);
	copy_field(v->date, &v->date_len, "20260101");
	copy_field(v->desc, &v->desc_len, desc);
	if (quirks.version_len_unchanged) {
		v->name_len = name_len;
		v->date_len = date_len;
		v->desc_len = desc_len;
	}
	return 0;
}

int FakeRefgpu::get_cap(drm_get_cap *c)
{
	switch (c->capability) {
	case DRM_CAP_SYNCOBJ:
	case DRM_CAP_SYNCOBJ_TIMELINE:
		c->value = 1;
		return 0;
	case DRM_CAP_PRIME:
		c->value = DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT;
		return 0;
	default:
		return -EINVAL;
	}
}

int FakeRefgpu::dev_query(drm_refgpu_dev_query *q)
{
	drm_refgpu_vm_info vm_info{0, 1ull << 47, kPage, kMaxVms, kMaxBindOps, 0};
	const void *obj = &info;
	std::size_t obj_size = sizeof(info), min_size = 40;
	if (q->type == DRM_REFGPU_DEV_QUERY_VM_INFO) {
		obj = &vm_info;
		obj_size = min_size = sizeof(vm_info);
	} else if (q->type != DRM_REFGPU_DEV_QUERY_GPU_INFO) {
		return -EINVAL;
	}
	if (q->pad && !quirks.ignore_query_pad)
		return -EINVAL;
	if (!q->pointer) {
		q->size = static_cast<std::uint32_t>(obj_size);
		return 0;
	}
	if (q->size < min_size)
		return -EINVAL;
	if (q->size > DRM_REFGPU_DEV_QUERY_MAX_SIZE)
		return -quirks.query_oversize_errno;
	std::vector<std::uint8_t> out(q->size, 0);
	std::size_t n = std::min<std::size_t>(q->size, obj_size);
	std::memcpy(out.data(), obj, n);
	if (quirks.no_tail_zeroing)
		out.resize(n);
	return copy_to_user(q->pointer, out.data(), out.size());
}

int FakeRefgpu::bo_create(drm_refgpu_bo_create *a)
{
	if (!a->size || (a->flags & ~static_cast<std::uint32_t>(DRM_REFGPU_BO_NO_MMAP)) || a->handle)
		return -EINVAL;
	if (a->size > info.max_bo_size)
		return -E2BIG;
	std::uint64_t size = (a->size + kPage - 1) / kPage * kPage;
	if (size > info.max_bo_size)
		return -E2BIG;
	int fd = memfd_create("fake-bo", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -ENOMEM;
	if (ftruncate(fd, static_cast<off_t>(size))) {
		close(fd);
		return -ENOMEM;
	}
	// The GEM .mmap hook refusing NO_MMAP, for every way in (the fake
	// offset of an importer, the dma-buf): a write seal makes a shared
	// writable mmap(2) of the memfd fail with EPERM.
	if ((a->flags & DRM_REFGPU_BO_NO_MMAP) && !quirks.dmabuf_mmap_ignores_no_mmap &&
	    fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK)) {
		close(fd);
		return -ENOMEM;
	}
	std::uint32_t h = lowest_free(bos_);
	bos_[h] = {size, a->flags, fd, 0};
	a->size = size;
	a->handle = h;
	return 0;
}

int FakeRefgpu::bo_mmap_offset(drm_refgpu_bo_mmap_offset *a)
{
	if (a->pad)
		return -EINVAL;
	auto it = bos_.find(a->handle);
	if (it == bos_.end())
		return -ENOENT;
	if (it->second.flags & DRM_REFGPU_BO_NO_MMAP)
		return -EPERM;
	if (!it->second.offset)
		it->second.offset = free_offset(it->second.size);
	a->offset = it->second.offset;
	return 0;
}

std::uint64_t FakeRefgpu::free_offset(std::uint64_t size) const
{
	std::map<std::uint64_t, std::uint64_t> used = leaked_ranges_;
	for (const auto &[h, bo] : bos_)
		if (bo.offset)
			used[bo.offset] = bo.size;
	std::uint64_t at = 1ull << 32;
	for (const auto &[off, len] : used) {
		if (at + size <= off)
			break;
		at = std::max(at, off + len);
	}
	return at;
}

int FakeRefgpu::gem_close(drm_gem_close *a)
{
	auto it = bos_.find(a->handle);
	if (it == bos_.end())
		return -quirks.close_unknown_errno;
	if (quirks.close_leaks_bo)
		return 0;
	if (it->second.leaked_ref && it->second.offset)
		leaked_ranges_[it->second.offset] = it->second.size;
	if (quirks.close_zaps_bo)
		fallocate(it->second.memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			  static_cast<off_t>(it->second.size));
	close(it->second.memfd);
	bos_.erase(it);
	return 0;
}

int FakeRefgpu::prime_handle_to_fd(drm_prime_handle *a)
{
	if (a->flags & ~static_cast<std::uint32_t>(DRM_CLOEXEC | DRM_RDWR))
		return -EINVAL;
	auto it = bos_.find(a->handle);
	if (it == bos_.end())
		return -ENOENT;
	int fd = fcntl(it->second.memfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -EMFILE;
	a->fd = fd;
	return 0;
}

int FakeRefgpu::prime_fd_to_handle(drm_prime_handle *a)
{
	struct stat st {};
	if (a->fd < 0 || fstat(a->fd, &st))
		return -EBADF;
	// A dma-buf of a BO this file has a handle for (its own export, or an
	// import done before) gives that handle: the same object.
	for (auto &[h, bo] : bos_) {
		if (same_file(bo.memfd, a->fd)) {
			a->handle = h;
			return 0;
		}
	}
	// Another device's BO: a new handle on an imported object, which
	// knows nothing of the exporter's flags; the memfd (sealed if the
	// exporter's BO is NO_MMAP) decides whether it can be mapped.
	int fd = fcntl(a->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -EMFILE;
	std::uint32_t h = lowest_free(bos_);
	bos_[h] = {static_cast<std::uint64_t>(st.st_size), 0, fd, 0};
	a->handle = h;
	return 0;
}

refgpu::equiv::Mapping FakeRefgpu::mmap(std::size_t len, std::uint64_t offset, int *ret)
{
	std::lock_guard<std::mutex> lock(mu_);
	mmap_calls++;
	if (quirks.fail_mmap_errno) {
		*ret = -quirks.fail_mmap_errno;
		return {};
	}
	for (unsigned i = 0; i < faults.mmap_points; i++) {
		if (!fail_nth_point(faults.fail_nth_path, &faults.reached))
			continue;
		if (faults.leak_gem_ref_on_mmap_fault)
			for (auto &[h, bo] : bos_)
				if (bo.offset && bo.offset == offset)
					bo.leaked_ref = true;
		if (!faults.mmap_fault_sigbus) {
			*ret = -faults.mmap_errno;
			return {};
		}
		// A mapping past the end of an empty file: every touch is a SIGBUS.
		int fd = memfd_create("fake-sigbus", MFD_CLOEXEC);
		refgpu::equiv::Mapping m =
			refgpu::equiv::Mapping::map_fd(fd, len, 0, PROT_READ | PROT_WRITE, ret);
		close(fd);
		return m;
	}
	for (auto &[h, bo] : bos_) {
		if (bo.offset && bo.offset == offset) {
			std::uint64_t pages = (len + kPage - 1) / kPage;
			if (!len || pages * kPage > bo.size)
				break;
			return refgpu::equiv::Mapping::map_fd(bo.memfd, len, 0, PROT_READ | PROT_WRITE,
							      ret);
		}
	}
	*ret = -EINVAL;
	return {};
}

int FakeRefgpu::syncobj_create(drm_syncobj_create *a)
{
	if (a->flags & ~static_cast<std::uint32_t>(DRM_SYNCOBJ_CREATE_SIGNALED))
		return -EINVAL;
	std::uint32_t h = lowest_free(syncobjs_);
	syncobjs_[h] = {0};
	a->handle = h;
	return 0;
}

int FakeRefgpu::syncobj_destroy(drm_syncobj_destroy *a)
{
	if (a->pad || !syncobjs_.erase(a->handle))
		return -EINVAL;
	return 0;
}

int FakeRefgpu::syncobj_signal(drm_syncobj_timeline_array *a)
{
	if (a->flags || !a->count_handles)
		return -EINVAL;
	const auto *handles = reinterpret_cast<const std::uint32_t *>(a->handles);
	const auto *points = reinterpret_cast<const std::uint64_t *>(a->points);
	for (std::uint32_t i = 0; i < a->count_handles; i++)
		if (!syncobjs_.count(handles[i]))
			return -ENOENT;
	for (std::uint32_t i = 0; i < a->count_handles; i++)
		syncobjs_[handles[i]].point = points[i];
	return 0;
}

int FakeRefgpu::syncobj_query(drm_syncobj_timeline_array *a)
{
	if (a->flags || !a->count_handles)
		return -EINVAL;
	const auto *handles = reinterpret_cast<const std::uint32_t *>(a->handles);
	auto *points = reinterpret_cast<std::uint64_t *>(a->points);
	for (std::uint32_t i = 0; i < a->count_handles; i++) {
		auto it = syncobjs_.find(handles[i]);
		if (it == syncobjs_.end())
			return -ENOENT;
		points[i] = it->second.point;
	}
	return 0;
}

int FakeNode::open_node()
{
	auto dev = std::make_unique<FakeRefgpu>();
	if (setup_)
		setup_(*dev);
	for (unsigned i = 0; i < dev->faults.open_points; i++)
		if (fail_nth_point(dev->faults.fail_nth_path, &dev->faults.reached))
			return -ENOMEM;
	int fd = 1000; // lowest free, as the kernel hands out fds
	while (files_.count(fd))
		fd++;
	files_[fd] = std::move(dev);
	opens++;
	return fd;
}

int FakeNode::ioctl(int fd, unsigned long request, void *arg)
{
	auto it = files_.find(fd);
	if (it == files_.end())
		return -EBADF;
	return it->second->ioctl(request, arg);
}

int FakeNode::close_node(int fd)
{
	auto it = files_.find(fd);
	if (it == files_.end())
		return -EBADF;
	// The release path cannot report a failure: its faults are swallowed.
	for (unsigned i = 0; i < it->second->faults.close_points; i++)
		fail_nth_point(it->second->faults.fail_nth_path, &it->second->faults.reached);
	files_.erase(it);
	closes++;
	return 0;
}

int FakeRefgpu::vm_create(drm_refgpu_vm_create *a)
{
	if (a->flags || a->id)
		return -EINVAL;
	std::uint32_t id = lowest_free(vms_);
	if (id > kMaxVms)
		return -ENOSPC;
	Vm &vm = vms_[id];
	for (int as = 1; as < 8; as++)
		if (!as_used_[as]) {
			as_used_[as] = true;
			vm.as = as;
			break;
		}
	a->id = id;
	return 0;
}

int FakeRefgpu::vm_destroy(drm_refgpu_vm_destroy *a)
{
	if (a->pad)
		return -EINVAL;
	auto it = vms_.find(a->id);
	if (it == vms_.end())
		return -ENOENT;
	if (it->second.as > 0)
		as_used_[it->second.as] = false;
	vms_.erase(it);
	return 0;
}

// The checks of one op, in the header's order; bo_out: the BO of a map.
namespace {
int check_op(const drm_refgpu_vm_bind_op &o)
{
	const std::uint32_t known = DRM_REFGPU_VM_BIND_READ_ONLY | DRM_REFGPU_VM_BIND_NO_EXEC;
	if (o.op > DRM_REFGPU_VM_BIND_OP_UNMAP || o.pad)
		return -EINVAL;
	if (o.op == DRM_REFGPU_VM_BIND_OP_MAP && (o.flags & ~known))
		return -EINVAL;
	if (o.op == DRM_REFGPU_VM_BIND_OP_UNMAP && (o.flags || o.bo_handle || o.bo_offset))
		return -EINVAL;
	if ((o.va | o.size | o.bo_offset) % kPage || !o.size || o.va + o.size < o.va ||
	    o.va + o.size > kUserVaEnd)
		return -EINVAL;
	return 0;
}
} // namespace

void FakeRefgpu::vm_apply(Vm &vm, const drm_refgpu_vm_bind_op &o, const Bo *bo)
{
	const std::uint64_t start = o.va, end = o.va + o.size;
	// Unmap [start, end), keeping the outer parts of straddling mappings.
	std::vector<VmMap> keep;
	for (auto it = vm.maps.begin(); it != vm.maps.end();) {
		VmMap &m = it->second;
		if (m.va + m.size <= start || m.va >= end) {
			++it;
			continue;
		}
		if (m.va < start)
			keep.push_back({m.va, start - m.va, m.bo_offset, m.flags, m.memfd});
		if (m.va + m.size > end)
			keep.push_back({end, m.va + m.size - end, m.bo_offset + (end - m.va), m.flags,
					m.memfd});
		it = vm.maps.erase(it);
	}
	for (VmMap &k : keep)
		vm.maps[k.va] = k;
	if (o.op != DRM_REFGPU_VM_BIND_OP_MAP)
		return;
	auto fd = std::make_shared<Fd>(dup(bo->memfd));
	vm.maps[start] = {start, o.size, o.bo_offset, o.flags, fd};
	for (std::uint64_t va = start; va < end; va += 1ull << 21) {
		vm.tables[0].insert(va >> 39);
		vm.tables[1].insert(va >> 30);
		vm.tables[2].insert(va >> 21);
	}
	vm.tables[2].insert((end - 1) >> 21);
	vm.tables[1].insert((end - 1) >> 30);
	vm.tables[0].insert((end - 1) >> 39);
}

int FakeRefgpu::vm_bind(drm_refgpu_vm_bind *a)
{
	if (a->flags)
		return -EINVAL;
	auto vit = vms_.find(a->vm_id);
	if (vit == vms_.end())
		return -ENOENT;
	if (a->ops.count > kMaxBindOps)
		return -E2BIG;
	if (!a->ops.count)
		return 0;
	if (a->ops.stride < DRM_REFGPU_VM_BIND_OP_MIN_SIZE ||
	    a->ops.stride > DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE)
		return -EINVAL;
	std::vector<drm_refgpu_vm_bind_op> ops(a->ops.count);
	std::vector<const Bo *> bo(a->ops.count, nullptr);
	std::vector<std::uint8_t> elem(a->ops.stride);
	int ret = 0;
	std::size_t good = 0;
	for (std::size_t i = 0; i < ops.size() && !ret; i++) {
		if (copy_from_user(elem.data(), a->ops.array + i * a->ops.stride, elem.size())) {
			ret = -EFAULT;
			break;
		}
		for (std::size_t b = sizeof(ops[i]); b < elem.size(); b++)
			if (elem[b])
				ret = -E2BIG;
		if (ret)
			break;
		std::memcpy(&ops[i], elem.data(), sizeof(ops[i]));
		const auto &o = ops[i];
		if ((ret = check_op(o)))
			break;
		if (o.op == DRM_REFGPU_VM_BIND_OP_MAP) {
			auto b = bos_.find(o.bo_handle);
			if (b == bos_.end()) {
				ret = -ENOENT;
				break;
			}
			if (o.bo_offset + o.size < o.bo_offset || o.bo_offset + o.size > b->second.size) {
				ret = -EINVAL;
				break;
			}
			bo[i] = &b->second;
		}
		good = i + 1;
	}
	if (ret && !quirks.vm_bind_partial)
		return ret;
	Vm &vm = vit->second;
	// A missed flush: every mapped page a bind changes keeps reading what
	// it read before.
	if (quirks.vm_bind_no_flush)
		for (std::size_t i = 0; i < good; i++)
			for (const auto &[mva, m] : vm.maps) {
				std::uint64_t lo = std::max<std::uint64_t>(mva, ops[i].va);
				std::uint64_t hi = std::min<std::uint64_t>(mva + m.size, ops[i].va + ops[i].size);
				for (std::uint64_t va = lo; va < hi; va += kPage)
					if (!vm.stale.count(va))
						vm.stale[va] = vm_walk(vm, va, 'r');
			}
	for (std::size_t i = 0; i < good; i++)
		vm_apply(vm, ops[i], bo[i]);
	return ret;
}

std::string FakeRefgpu::vm_walk(const Vm &vm, std::uint64_t va, char access) const
{
	if (va >> 48)
		return "fault=address level=0";
	if (!vm.tables[0].count(va >> 39))
		return "fault=translation level=0";
	if (!vm.tables[1].count(va >> 30))
		return "fault=translation level=1";
	if (!vm.tables[2].count(va >> 21))
		return "fault=translation level=2";
	auto it = vm.maps.upper_bound(va);
	if (it == vm.maps.begin())
		return "fault=translation level=3";
	const VmMap &m = std::prev(it)->second;
	if (va >= m.va + m.size)
		return "fault=translation level=3";
	if ((access == 'w' && (m.flags & DRM_REFGPU_VM_BIND_READ_ONLY)) ||
	    (access == 'x' && (m.flags & DRM_REFGPU_VM_BIND_NO_EXEC)))
		return "fault=permission level=3";
	if (access != 'r')
		return "ok";
	std::uint64_t word = 0;
	if (pread(m.memfd->get(), &word, 8, static_cast<off_t>(m.bo_offset + ((va - m.va) & ~7ull))) != 8)
		return "error=pread";
	return gpu_data(word);
}

std::string FakeRefgpu::gpu_access(std::uint32_t vm_id, std::uint64_t va, char access)
{
	std::lock_guard<std::mutex> lock(mu_);
	auto it = vms_.find(vm_id);
	if (it == vms_.end() || it->second.as < 0)
		return "no-as";
	auto stale = it->second.stale.find(va & ~(kPage - 1));
	if (stale != it->second.stale.end() && access == 'r')
		return stale->second;
	return vm_walk(it->second, va, access);
}

} // namespace refgpu::equiv::test
