// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "script.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace refgpu::equiv {

void Result::add(std::string name, std::string value)
{
	fields.push_back({std::move(name), std::move(value)});
}

void Result::add(std::string name, std::uint64_t value)
{
	add(std::move(name), std::to_string(value));
}

void Result::add_hex(std::string name, std::uint64_t value)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(value));
	add(std::move(name), std::string(buf));
}

void Result::add_bool(std::string name, bool value)
{
	add(std::move(name), std::string(value ? "1" : "0"));
}

void fill_pattern(std::uint8_t *buf, std::size_t len, std::uint64_t seed)
{
	std::uint64_t x = seed ? seed : 0x9e3779b97f4a7c15ull;
	for (std::size_t i = 0; i < len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		for (std::size_t b = 0; b < 8 && i + b < len; b++)
			buf[i + b] = static_cast<std::uint8_t>(x >> (8 * b));
	}
}

namespace {

constexpr std::uint32_t kUnknownHandle = 9999;
const char *const kVersion = "DRM_IOCTL_VERSION";
const char *const kGetCap = "DRM_IOCTL_GET_CAP";
const char *const kDevQuery = "DRM_IOCTL_REFGPU_DEV_QUERY";
const char *const kBoCreate = "DRM_IOCTL_REFGPU_BO_CREATE";
const char *const kBoMmapOffset = "DRM_IOCTL_REFGPU_BO_MMAP_OFFSET";
const char *const kGemClose = "DRM_IOCTL_GEM_CLOSE";
const char *const kMmap = "mmap";
const char *const kSyncobjCreate = "DRM_IOCTL_SYNCOBJ_CREATE";
const char *const kSyncobjDestroy = "DRM_IOCTL_SYNCOBJ_DESTROY";
const char *const kSyncobjSignal = "DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL";
const char *const kSyncobjQuery = "DRM_IOCTL_SYNCOBJ_QUERY";
const char *const kPrimeToFd = "DRM_IOCTL_PRIME_HANDLE_TO_FD";
const char *const kPrimeToHandle = "DRM_IOCTL_PRIME_FD_TO_HANDLE";
const char *const kMunmap = "munmap";
const char *const kUnknown = "DRM_IOWR(DRM_COMMAND_BASE+0x30, 16 bytes)";

std::uint64_t page_size()
{
	long p = sysconf(_SC_PAGESIZE);
	return p > 0 ? static_cast<std::uint64_t>(p) : 4096;
}

std::uint64_t ptr(const void *p)
{
	return reinterpret_cast<std::uintptr_t>(p);
}

void add_gpu_info(Result &r, const drm_refgpu_gpu_info &i)
{
	r.add_hex("gpu_id", i.gpu_id);
	r.add_hex("fw_version", i.fw_version);
	r.add_hex("features", i.features);
	r.add("va_bits", i.va_bits);
	r.add("pa_bits", i.pa_bits);
	r.add("doorbell_count", i.doorbell_count);
	r.add("pad", i.pad);
	r.add("max_bo_size", i.max_bo_size);
}

// DEV_QUERY with the given arguments; records ret and the size field after.
int dev_query(StepContext &c, Result &r, std::uint32_t type, std::uint32_t size,
	      std::uint64_t pointer, std::uint64_t pad)
{
	drm_refgpu_dev_query q{};
	q.type = type;
	q.size = size;
	q.pointer = pointer;
	q.pad = pad;
	r.ret = c.dev.ioctl(DRM_IOCTL_REFGPU_DEV_QUERY, &q);
	r.add("size", q.size);
	return r.ret;
}

// BO_CREATE; records ret, and size/handle as returned (also on error,
// where the UAPI says they are unchanged).
std::uint32_t bo_create(StepContext &c, Result &r, std::uint64_t size, std::uint32_t flags,
			std::uint32_t handle_in = 0, std::uint64_t *size_out = nullptr)
{
	drm_refgpu_bo_create a{};
	a.size = size;
	a.flags = flags;
	a.handle = handle_in;
	r.ret = c.dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &a);
	r.add("size", a.size);
	r.add("handle", a.handle);
	if (size_out)
		*size_out = r.ret == 0 ? a.size : 0;
	return r.ret == 0 ? a.handle : 0;
}

void gem_close(StepContext &c, Result &r, std::uint32_t handle)
{
	drm_gem_close a{};
	a.handle = handle;
	r.ret = c.dev.ioctl(DRM_IOCTL_GEM_CLOSE, &a);
}

void get_cap(StepContext &c, Result &r, std::uint64_t cap)
{
	drm_get_cap a{};
	a.capability = cap;
	r.ret = c.dev.ioctl(DRM_IOCTL_GET_CAP, &a);
	r.add("value", a.value);
}

std::uint32_t syncobj_create(StepContext &c, Result &r, std::uint32_t flags)
{
	drm_syncobj_create a{};
	a.flags = flags;
	r.ret = c.dev.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &a);
	r.add("handle", a.handle);
	return r.ret == 0 ? a.handle : 0;
}

void syncobj_destroy(StepContext &c, Result &r, std::uint32_t handle)
{
	drm_syncobj_destroy a{};
	a.handle = handle;
	r.ret = c.dev.ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &a);
}

// Seed of the pattern written by a step: derived from the step name so it
// is the same on both drivers.
std::uint64_t seed_for(const std::string &step)
{
	return fnv1a64(step.data(), step.size());
}

// Byte pattern that output structures and buffers are filled with before
// a call, so that a partial or unexpected write shows (zeroes would hide
// one that writes zeroes).
constexpr std::uint8_t kFill = 0xa5;
constexpr std::uint32_t kFill32 = 0xa5a5a5a5u;
constexpr std::uint64_t kFill64 = 0xa5a5a5a5a5a5a5a5ull;
const std::string kFill32Dec = std::to_string(kFill32);
const std::string kFill64Hex = "0xa5a5a5a5a5a5a5a5";

bool all_fill(const std::uint8_t *p, std::size_t n)
{
	for (std::size_t i = 0; i < n; i++)
		if (p[i] != kFill)
			return false;
	return true;
}

bool all_zero(const std::uint8_t *p, std::size_t n)
{
	for (std::size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

// DEV_QUERY GPU_INFO of the given size into a kFill buffer of buf_len
// bytes; records ret, size, and whether the result is what the header
// promises for that ret: on success the object (equal to dev_query.full),
// zeroes up to size and nothing past it; on error nothing written.
void query_into_buffer(StepContext &c, Result &r, std::uint32_t type, std::uint32_t size,
		       std::uint64_t pad, std::size_t buf_len)
{
	std::vector<std::uint8_t> buf(buf_len, kFill);
	dev_query(c, r, type, size, ptr(buf.data()), pad);
	if (r.ret) {
		r.add_bool("buffer_untouched", all_fill(buf.data(), buf.size()));
		return;
	}
	std::size_t n = std::min<std::size_t>(size, buf_len);
	std::size_t obj = std::min(n, sizeof(drm_refgpu_gpu_info));
	r.add_bool("object_matches_full", std::memcmp(buf.data(), &c.st.info, obj) == 0);
	r.add_bool("tail_zero", all_zero(buf.data() + obj, n - obj));
	r.add_bool("past_size_untouched", all_fill(buf.data() + n, buf_len - n));
}

std::uint32_t prime_export(StepContext &c, Result &r, std::uint32_t handle, std::uint32_t flags,
			   Fd *keep = nullptr)
{
	drm_prime_handle a{};
	a.handle = handle;
	a.flags = flags;
	a.fd = static_cast<std::int32_t>(kFill32);
	r.ret = c.dev.ioctl(DRM_IOCTL_PRIME_HANDLE_TO_FD, &a);
	if (r.ret == 0) {
		r.add_bool("fd_valid", a.fd >= 0);
		if (keep && a.fd >= 0)
			keep->reset(a.fd);
		else if (a.fd >= 0)
			::close(a.fd);
	} else {
		r.add_bool("fd_unchanged", static_cast<std::uint32_t>(a.fd) == kFill32);
	}
	return r.ret;
}

// PRIME_FD_TO_HANDLE on dev; the handle, or 0 on error.
std::uint32_t prime_import(DeviceIo &dev, Result &r, int fd)
{
	drm_prime_handle a{};
	a.fd = fd;
	a.handle = kFill32;
	r.ret = dev.ioctl(DRM_IOCTL_PRIME_FD_TO_HANDLE, &a);
	if (r.ret)
		r.add_bool("handle_unchanged", a.handle == kFill32);
	return r.ret == 0 ? a.handle : 0;
}

// BO_MMAP_OFFSET on dev with the offset pre-filled: on success whether it
// is usable (never the raw value), on error whether it is unchanged.
std::uint64_t mmap_offset_on(DeviceIo &dev, Result &r, std::uint32_t handle, std::uint32_t pad = 0)
{
	drm_refgpu_bo_mmap_offset a{};
	a.handle = handle;
	a.pad = pad;
	a.offset = kFill64;
	r.ret = dev.ioctl(DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &a);
	if (r.ret == 0) {
		r.add_bool("offset_nonzero", a.offset != 0);
		r.add_bool("offset_page_aligned", a.offset % page_size() == 0);
	} else {
		r.add_hex("offset", a.offset);
	}
	return r.ret == 0 ? a.offset : 0;
}

std::uint64_t map_hash(const Mapping &m)
{
	return fnv1a64(m.data(), m.size());
}

// Field list helpers for the expectation table.
Expect ok(std::vector<Field> f = {})
{
	return {0, std::move(f)};
}
Expect err(int e, std::vector<Field> f = {})
{
	return {-e, std::move(f)};
}

// --- GPU virtual memory helpers -------------------------------------------

using AddStep = std::function<void(std::string, const char *, Expect,
				   std::function<void(StepContext &, Result &)>)>;

const char *const kVmCreate = "DRM_IOCTL_REFGPU_VM_CREATE";
const char *const kVmDestroy = "DRM_IOCTL_REFGPU_VM_DESTROY";
const char *const kVmBind = "DRM_IOCTL_REFGPU_VM_BIND";
const char *const kGpuAccess = "gpu_access";

// Where the VM steps map: 4 GiB, in the user range, so that the pages
// around it sit in tables of their own (an L1 entry of their own).
constexpr std::uint64_t kVa = 4ull << 30;
constexpr std::uint64_t kPg = 4096;
constexpr std::uint64_t kBoAPages = 4, kBoBPages = 2;
const char *const kFillA = "vm.bo_a_fill";
const char *const kFillB = "vm.bo_b_fill";

// The 64-bit word at off (rounded down to 8) of a BO of len bytes
// patterned by fill_pattern(seed_for(fill_step)), as gpu_access gives it.
std::string bo_word(const char *fill_step, std::uint64_t len, std::uint64_t off)
{
	std::vector<std::uint8_t> buf(len);
	fill_pattern(buf.data(), buf.size(), seed_for(fill_step));
	std::uint64_t w = 0;
	std::memcpy(&w, buf.data() + (off & ~7ull), 8);
	return gpu_data(w);
}
std::string word_a(std::uint64_t off)
{
	return bo_word(kFillA, kBoAPages * kPg, off);
}
std::string word_b(std::uint64_t off)
{
	return bo_word(kFillB, kBoBPages * kPg, off);
}

// One GPU access: field label is the outcome ("data=...", "ok",
// "fault=<type>", "no-as"), label.level the table level of a fault (the
// drivers' page-table layout: compared between them, not documented).
void probe(StepContext &c, Result &r, const std::string &label, std::uint32_t vm,
	   std::uint64_t va, char access)
{
	std::string out = c.dev.gpu_access(vm, va, access);
	// A step that cannot look has not run, whatever its ioctl said.
	if (out.compare(0, 6, "error=") == 0 && r.ret == 0)
		r.ret = -EIO;
	auto sp = out.find(" level=");
	r.add(label, sp == std::string::npos ? out : out.substr(0, sp));
	if (sp != std::string::npos)
		r.add(label + ".level", out.substr(sp + 7));
}

struct Probe {
	std::string label;
	std::uint64_t va;
	char access;
	std::string want;
};

// Runs the probes after a step's ioctl (also when it failed: a failed
// bind must have changed nothing) and returns their documented outcomes.
void run_probes(StepContext &c, Result &r, std::uint32_t vm, const std::vector<Probe> &probes)
{
	for (const Probe &p : probes)
		probe(c, r, p.label, vm, p.va, p.access);
}
std::vector<Field> probe_fields(const std::vector<Probe> &probes, std::vector<Field> f = {})
{
	for (const Probe &p : probes)
		f.push_back({p.label, p.want});
	return f;
}

std::uint32_t vm_create(StepContext &c, Result &r, std::uint32_t flags, std::uint32_t id_in = 0)
{
	drm_refgpu_vm_create a{};
	a.flags = flags;
	a.id = id_in;
	r.ret = c.dev.ioctl(DRM_IOCTL_REFGPU_VM_CREATE, &a);
	r.add("id", a.id);
	return r.ret == 0 ? a.id : 0;
}

int vm_destroy(DeviceIo &dev, std::uint32_t id, std::uint32_t pad = 0)
{
	drm_refgpu_vm_destroy a{};
	a.id = id;
	a.pad = pad;
	return dev.ioctl(DRM_IOCTL_REFGPU_VM_DESTROY, &a);
}

using Ops = std::vector<drm_refgpu_vm_bind_op>;

// How a VM_BIND lays its ops out: stride bytes apart (the bytes past an op
// zero, or tail_fill in the last op's first tail byte when non-zero), with
// these call flags.
struct BindLayout {
	std::uint32_t stride = sizeof(drm_refgpu_vm_bind_op);
	std::uint32_t flags = 0;
	std::uint8_t tail_fill = 0;
};

// VM_BIND of ops on vm; the argument struct is recorded back (vm_id, flags
// and the array are inputs only).
int vm_bind(StepContext &c, Result &r, std::uint32_t vm, const Ops &ops, const BindLayout &l = {})
{
	const std::uint32_t stride = l.stride;
	std::vector<std::uint8_t> buf(std::max<std::size_t>(1, ops.size()) *
				      std::max<std::uint32_t>(stride, sizeof(drm_refgpu_vm_bind_op)));
	for (std::size_t i = 0; i < ops.size(); i++)
		std::memcpy(buf.data() + i * stride, &ops[i], sizeof(ops[i]));
	if (l.tail_fill && !ops.empty() && stride > sizeof(drm_refgpu_vm_bind_op))
		buf[(ops.size() - 1) * stride + sizeof(drm_refgpu_vm_bind_op)] = l.tail_fill;
	drm_refgpu_vm_bind a = vm_bind_arg(vm, ops.empty() ? nullptr : buf.data(),
					   static_cast<std::uint32_t>(ops.size()), stride, l.flags);
	r.ret = c.dev.ioctl(DRM_IOCTL_REFGPU_VM_BIND, &a);
	r.add_bool("args_unchanged", a.vm_id == vm && a.flags == l.flags && a.ops.stride == stride &&
					     a.ops.count == ops.size());
	return r.ret;
}

// VM_BIND of ops on VM A, then the probes (also after a failed bind: it
// must have changed nothing).
void bind_and_probe(StepContext &c, Result &r, const Ops &ops, const std::vector<Probe> &probes,
		    const BindLayout &l = {})
{
	vm_bind(c, r, c.st.vm_a, ops, l);
	run_probes(c, r, c.st.vm_a, probes);
}

// A step's ops, made when it runs: the BOs' handles are known only then.
using OpsOf = std::function<Ops(const ScriptState &)>;

void add_vm_steps(const AddStep &add)
{
	const std::string info_size = std::to_string(sizeof(drm_refgpu_vm_info));
	// --- DEV_QUERY VM_INFO --------------------------------------------
	add("dev_query.vm_info_size_probe", kDevQuery, ok({{"size", info_size}}),
	    [](StepContext &c, Result &r) { dev_query(c, r, DRM_REFGPU_DEV_QUERY_VM_INFO, 0, 0, 0); });
	add("dev_query.vm_info", kDevQuery,
	    ok({{"size", info_size},
		{"user_va_start", "0"},
		{"user_va_end", std::to_string(1ull << 47)},
		{"page_size", "4096"},
		{"max_vms", "64"},
		{"max_bind_ops", "64"},
		{"pad", "0"}}),
	    [](StepContext &c, Result &r) {
		    drm_refgpu_vm_info i{};
		    std::memset(&i, kFill, sizeof(i));
		    if (dev_query(c, r, DRM_REFGPU_DEV_QUERY_VM_INFO, sizeof(i), ptr(&i), 0))
			    return;
		    r.add("user_va_start", i.user_va_start);
		    r.add("user_va_end", i.user_va_end);
		    r.add("page_size", i.page_size);
		    r.add("max_vms", i.max_vms);
		    r.add("max_bind_ops", i.max_bind_ops);
		    r.add("pad", i.pad);
		    c.st.vm_info = i;
	    });
	add("dev_query.vm_info_undersize", kDevQuery,
	    err(EINVAL, {{"size", "24"}, {"buffer_untouched", "1"}}), [](StepContext &c, Result &r) {
		    std::vector<std::uint8_t> buf(sizeof(drm_refgpu_vm_info), kFill);
		    dev_query(c, r, DRM_REFGPU_DEV_QUERY_VM_INFO, 24, ptr(buf.data()), 0);
		    r.add_bool("buffer_untouched", all_fill(buf.data(), buf.size()));
	    });

	// --- VM_CREATE / VM_DESTROY -----------------------------------------
	add("vm_create.flags_nonzero", kVmCreate, err(EINVAL, {{"id", "0"}}),
	    [](StepContext &c, Result &r) { vm_create(c, r, 1); });
	add("vm_create.id_nonzero", kVmCreate, err(EINVAL, {{"id", "5"}}),
	    [](StepContext &c, Result &r) { vm_create(c, r, 0, 5); });
	add("vm_create.first", kVmCreate, ok({{"id", "1"}}),
	    [](StepContext &c, Result &r) { c.st.vm_a = vm_create(c, r, 0); });
	add("vm_create.second", kVmCreate, ok({{"id", "2"}}),
	    [](StepContext &c, Result &r) { c.st.vm_b = vm_create(c, r, 0); });
	add("vm_destroy.pad_nonzero", kVmDestroy, err(EINVAL),
	    [](StepContext &c, Result &r) { r.ret = vm_destroy(c.dev, c.st.vm_b, 1); });
	add("vm_destroy.unknown_id", kVmDestroy, err(ENOENT),
	    [](StepContext &c, Result &r) { r.ret = vm_destroy(c.dev, kUnknownHandle); });
	add("vm_destroy.id_0", kVmDestroy, err(ENOENT),
	    [](StepContext &c, Result &r) { r.ret = vm_destroy(c.dev, 0); });

	// --- the BOs the binds map ------------------------------------------
	auto patterned_bo = [](StepContext &c, Result &r, std::uint64_t pages, const char *fill,
			       std::uint32_t *handle) {
		*handle = bo_create(c, r, pages * kPg, 0);
		if (r.ret)
			return;
		drm_refgpu_bo_mmap_offset o{};
		o.handle = *handle;
		int ret = c.dev.ioctl(DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &o);
		Mapping m = ret ? Mapping() : c.dev.mmap(pages * kPg, o.offset, &ret);
		if (!m.valid()) {
			r.ret = ret ? ret : -EFAULT;
			r.add("fill", "failed");
			return;
		}
		fill_pattern(m.bytes(), m.size(), seed_for(fill));
	};
	add("vm.bo_a_fill", kBoCreate, ok({{"size", std::to_string(kBoAPages * kPg)}}),
	    [patterned_bo](StepContext &c, Result &r) {
		    patterned_bo(c, r, kBoAPages, kFillA, &c.st.vm_bo_a);
	    });
	add("vm.bo_b_fill", kBoCreate, ok({{"size", std::to_string(kBoBPages * kPg)}}),
	    [patterned_bo](StepContext &c, Result &r) {
		    patterned_bo(c, r, kBoBPages, kFillB, &c.st.vm_bo_b);
	    });

	// --- VM_BIND: what the GPU sees ---------------------------------------
	// A VM_BIND step on VM A: documented as e and the probes' outcomes.
	auto bind_step = [&add](const std::string &name, Expect e, std::vector<Probe> probes, OpsOf ops,
				BindLayout l = {}) {
		e.fields = probe_fields(probes, std::move(e.fields));
		add("vm_bind." + name, kVmBind, std::move(e),
		    [probes, ops, l](StepContext &c, Result &r) {
			    bind_and_probe(c, r, ops(c.st), probes, l);
		    });
	};
	const std::vector<Probe> empty = {{"r@va", kVa, 'r', "fault=translation"}};
	add("vm.empty_faults", kGpuAccess, ok(probe_fields(empty)), [empty](StepContext &c, Result &r) {
		run_probes(c, r, c.st.vm_a, empty);
	});
	// 4 pages of A at kVa. Every page the later steps change is read here
	// first, so that a driver that forgets a TLB flush gets the old
	// translation back there.
	const std::vector<Probe> mapped = {
		{"r@va", kVa, 'r', word_a(0)},
		{"r@va+0x1000", kVa + 0x1000, 'r', word_a(0x1000)},
		{"r@va+0x2ff8", kVa + 0x2ff8, 'r', word_a(0x2ff8)},
		{"r@va+0x3000", kVa + 0x3000, 'r', word_a(0x3000)},
		{"r@va+0x3ff8", kVa + 0x3ff8, 'r', word_a(0x3ff8)},
		{"r@va+0x4000", kVa + 0x4000, 'r', "fault=translation"},
		{"r@va-0x1000", kVa - 0x1000, 'r', "fault=translation"},
		{"w@va", kVa, 'w', "ok"},
		{"x@va", kVa, 'x', "ok"},
	};
	bind_step("map", ok({{"args_unchanged", "1"}}), mapped,
		  [](const ScriptState &s) { return Ops{vm_map_op(s.vm_bo_a, 0, kVa, kBoAPages * kPg)}; });
	// Unmapping the middle two pages splits the mapping in two.
	bind_step("unmap_middle", ok(),
		  {{"r@va", kVa, 'r', word_a(0)},
		   {"r@va+0x1000", kVa + 0x1000, 'r', "fault=translation"},
		   {"r@va+0x2ff8", kVa + 0x2ff8, 'r', "fault=translation"},
		   {"r@va+0x3000", kVa + 0x3000, 'r', word_a(0x3000)}},
		  [](const ScriptState &) { return Ops{vm_unmap_op(kVa + 0x1000, 0x2000)}; });
	// B over [va+0x2000, va+0x4000): the hole's second page and A's last.
	bind_step("map_over", ok(),
		  {{"r@va", kVa, 'r', word_a(0)},
		   {"r@va+0x1000", kVa + 0x1000, 'r', "fault=translation"},
		   {"r@va+0x2000", kVa + 0x2000, 'r', word_b(0)},
		   {"r@va+0x3000", kVa + 0x3000, 'r', word_b(0x1000)}},
		  [](const ScriptState &s) { return Ops{vm_map_op(s.vm_bo_b, 0, kVa + 0x2000, 2 * kPg)}; });
	constexpr std::uint64_t ro = kVa + 0x10000, nx = kVa + 0x20000;
	// One page of A mapped with a flag: the access it denies faults, the
	// others work.
	struct Restricted {
		const char *name, *at; // "r@<at>"
		std::uint64_t va, bo_offset;
		std::uint32_t flag;
		char denied;
	};
	const Restricted restricted[] = {
		{"map_read_only", "ro", ro, 0x1000, DRM_REFGPU_VM_BIND_READ_ONLY, 'w'},
		{"map_no_exec", "nx", nx, 0x2000, DRM_REFGPU_VM_BIND_NO_EXEC, 'x'},
	};
	for (const Restricted &k : restricted) {
		std::vector<Probe> probes = {{std::string("r@") + k.at, k.va, 'r', word_a(k.bo_offset)}};
		for (char access : {'w', 'x'})
			probes.push_back({std::string(1, access) + "@" + k.at, k.va, access,
					  access == k.denied ? "fault=permission" : "ok"});
		bind_step(k.name, ok(), probes, [k](const ScriptState &s) {
			return Ops{vm_map_op(s.vm_bo_a, k.bo_offset, k.va, kPg, k.flag)};
		});
	}
	// Mapping again without flags lifts the restrictions (the TLB held
	// the denying entries).
	bind_step("remap_permissions", ok(),
		  {{"w@ro", ro, 'w', "ok"}, {"x@nx", nx, 'x', "ok"}, {"r@ro", ro, 'r', word_a(0)}},
		  [](const ScriptState &s) {
			  return Ops{vm_map_op(s.vm_bo_a, 0, ro, kPg), vm_map_op(s.vm_bo_a, 0x2000, nx, kPg)};
		  });
	// Three ops in one call, each seeing the ones before it.
	constexpr std::uint64_t y = kVa + 0x100000;
	bind_step("three_ops", ok(),
		  {{"r@y", y, 'r', word_a(0)},
		   {"r@y+0x1000", y + 0x1000, 'r', "fault=translation"},
		   {"r@y+0x2000", y + 0x2000, 'r', "fault=translation"},
		   {"r@y+0x3000", y + 0x3000, 'r', word_b(0x1000)}},
		  [](const ScriptState &s) {
			  return Ops{vm_map_op(s.vm_bo_a, 0, y, 2 * kPg),
				     vm_map_op(s.vm_bo_b, 0, y + 0x2000, 2 * kPg),
				     vm_unmap_op(y + 0x1000, 2 * kPg)};
		  });
	// A larger stride (a newer op layout) whose extra bytes are zero.
	constexpr std::uint64_t z = kVa + 0x200000;
	bind_step("stride_48_zero_tail", ok(), {{"r@z", z, 'r', word_b(0)}},
		  [](const ScriptState &s) { return Ops{vm_map_op(s.vm_bo_b, 0, z, kPg)}; }, {48});
	bind_step("unmap_nothing_mapped", ok(), {},
		  [](const ScriptState &) { return Ops{vm_unmap_op(kVa + (1ull << 30), kPg)}; });
	bind_step("count_0", ok(), {}, [](const ScriptState &) { return Ops{}; });

	// --- VM_BIND: refusals. Each maps at w first (a valid op) and then
	// fails; w must stay unmapped: all or nothing.
	constexpr std::uint64_t w = kVa + 0x300000;
	const std::vector<Probe> untouched = {{"r@w", w, 'r', "fault=translation"}};
	// The refused op, made from BO A's handle when the step runs.
	using OpOf = std::function<drm_refgpu_vm_bind_op(std::uint32_t bo_a)>;
	auto refuse = [&bind_step, untouched](const std::string &name, int e, OpOf bad, BindLayout l = {}) {
		bind_step(name, err(e, {{"args_unchanged", "1"}}), untouched,
			  [bad](const ScriptState &s) {
				  return Ops{vm_map_op(s.vm_bo_a, 0, w, kPg), bad(s.vm_bo_a)};
			  },
			  l);
	};
	auto with = [](OpOf base, auto f) -> OpOf {
		return [base, f](std::uint32_t bo_a) {
			drm_refgpu_vm_bind_op o = base(bo_a);
			f(o);
			return o;
		};
	};
	const OpOf good = [](std::uint32_t bo_a) { return vm_map_op(bo_a, 0, kVa + 0x400000, kPg); };
	const OpOf unmap = [](std::uint32_t) { return vm_unmap_op(kVa, kPg); };
	refuse("op_tail_nonzero", E2BIG, good, {48, 0, 0x01});
	refuse("op_unknown", EINVAL, with(good, [](auto &o) { o.op = 2; }));
	refuse("op_pad_nonzero", EINVAL, with(good, [](auto &o) { o.pad = 1; }));
	refuse("map_unknown_flag", EINVAL, with(good, [](auto &o) { o.flags = 1u << 2; }));
	refuse("unmap_with_flag", EINVAL,
	       with(unmap, [](auto &o) { o.flags = DRM_REFGPU_VM_BIND_READ_ONLY; }));
	refuse("unmap_with_bo_handle", EINVAL, [unmap](std::uint32_t bo_a) {
		drm_refgpu_vm_bind_op o = unmap(bo_a);
		o.bo_handle = bo_a; // an existing BO: still refused
		return o;
	});
	refuse("unmap_with_bo_offset", EINVAL, with(unmap, [](auto &o) { o.bo_offset = kPg; }));
	refuse("va_unaligned", EINVAL, with(good, [](auto &o) { o.va += 0x800; }));
	refuse("size_unaligned", EINVAL, with(good, [](auto &o) { o.size = 0x1800; }));
	refuse("bo_offset_unaligned", EINVAL, with(good, [](auto &o) { o.bo_offset = 8; }));
	refuse("size_0", EINVAL, with(good, [](auto &o) { o.size = 0; }));
	refuse("past_user_va_end", EINVAL,
	       with(good, [](auto &o) { o.va = (1ull << 47) - kPg, o.size = 2 * kPg; }));
	refuse("kernel_va", EINVAL, with(good, [](auto &o) { o.va = 1ull << 47; }));
	refuse("va_wraps", EINVAL, with(good, [](auto &o) { o.va = ~0ull - kPg + 1, o.size = 2 * kPg; }));
	refuse("unmap_past_user_va_end", EINVAL,
	       [](std::uint32_t) { return vm_unmap_op((1ull << 47) - kPg, 2 * kPg); });
	refuse("map_unknown_bo", ENOENT, with(good, [](auto &o) { o.bo_handle = kUnknownHandle; }));
	refuse("map_past_bo_end", EINVAL, with(good, [](auto &o) { o.bo_offset = 0x3000, o.size = 0x2000; }));
	refuse("bo_offset_wraps", EINVAL,
	       with(good, [](auto &o) { o.bo_offset = ~0ull - kPg + 1, o.size = 2 * kPg; }));
	// Check order inside one op: alignment before the handle.
	refuse("unaligned_and_unknown_bo", EINVAL,
	       with(good, [](auto &o) { o.va += 8, o.bo_handle = kUnknownHandle; }));
	// And between ops: the first failing op decides.
	bind_step("first_failing_op_decides", err(ENOENT), untouched, [good](const ScriptState &s) {
		drm_refgpu_vm_bind_op unaligned = good(s.vm_bo_a);
		unaligned.va += 8;
		return Ops{vm_map_op(s.vm_bo_a, 0, w, kPg), good(kUnknownHandle), unaligned};
	});
	// Checks of the call itself.
	const OpsOf map_w = [](const ScriptState &s) { return Ops{vm_map_op(s.vm_bo_a, 0, w, kPg)}; };
	bind_step("flags_nonzero", err(EINVAL), {}, map_w, {40, 1});
	add("vm_bind.unknown_vm", kVmBind, err(ENOENT), [map_w](StepContext &c, Result &r) {
		vm_bind(c, r, kUnknownHandle, map_w(c.st));
	});
	bind_step("count_65", err(E2BIG), {},
		  [](const ScriptState &s) { return Ops(65, vm_map_op(s.vm_bo_a, 0, w, kPg)); });
	add("vm_bind.count_huge", kVmBind, err(E2BIG), [](StepContext &c, Result &r) {
		drm_refgpu_vm_bind a = vm_bind_arg(c.st.vm_a, nullptr, 0xffffffffu);
		a.ops.array = ptr(&a); // never read: the count is refused first
		r.ret = c.dev.ioctl(DRM_IOCTL_REFGPU_VM_BIND, &a);
	});
	bind_step("stride_39", err(EINVAL), {}, map_w, {39});
	bind_step("stride_4097", err(EINVAL), {}, map_w, {4097});
	add("vm_bind.array_unmapped", kVmBind, err(EFAULT, probe_fields(untouched)),
	    [untouched](StepContext &c, Result &r) {
		    int mret = 0;
		    Mapping none = Mapping::map_anon(page_size(), PROT_NONE, &mret);
		    drm_refgpu_vm_bind a = vm_bind_arg(c.st.vm_a, none.data(), 1);
		    if (!none.valid())
			    a.ops.array = ~0ull - 4095;
		    r.ret = c.dev.ioctl(DRM_IOCTL_REFGPU_VM_BIND, &a);
		    run_probes(c, r, c.st.vm_a, untouched);
	    });
	// The second op's array element straddles into a PROT_NONE page: the
	// first op was valid, nothing is applied.
	add("vm_bind.array_second_op_unreadable", kVmBind, err(EFAULT, probe_fields(untouched)),
	    [untouched](StepContext &c, Result &r) {
		    int mret = 0;
		    const std::size_t pg = page_size();
		    Mapping m = Mapping::map_anon(2 * pg, PROT_READ | PROT_WRITE, &mret);
		    if (!m.valid() || ::mprotect(m.bytes() + pg, pg, PROT_NONE)) {
			    r.ret = mret ? mret : -errno;
			    r.add("setup", "failed");
			    return;
		    }
		    auto *first = m.bytes() + pg - sizeof(drm_refgpu_vm_bind_op) - 8;
		    drm_refgpu_vm_bind_op op = vm_map_op(c.st.vm_bo_a, 0, w, kPg);
		    std::memcpy(first, &op, sizeof(op));
		    drm_refgpu_vm_bind a = vm_bind_arg(c.st.vm_a, first, 2);
		    r.ret = c.dev.ioctl(DRM_IOCTL_REFGPU_VM_BIND, &a);
		    run_probes(c, r, c.st.vm_a, untouched);
	    });

	// --- lifetimes -------------------------------------------------------
	// A mapping holds its BO: closing the handle leaves it readable.
	const std::vector<Probe> held = {{"r@va", kVa, 'r', word_a(0)},
					 {"r@va+0x2000", kVa + 0x2000, 'r', word_b(0)}};
	add("vm.gem_close_mapped_bos", kGemClose, ok(probe_fields(held, {{"close_b", "0"}})),
	    [held](StepContext &c, Result &r) {
		    gem_close(c, r, c.st.vm_bo_a);
		    Result rb;
		    gem_close(c, rb, c.st.vm_bo_b);
		    r.add("close_b", ret_name(rb.ret));
		    run_probes(c, r, c.st.vm_a, held);
	    });
	bind_step("map_closed_bo", err(ENOENT), {}, map_w);
	// The second VM is independent of the first.
	const std::vector<Probe> other = {{"r@va", kVa, 'r', "fault=translation"}};
	add("vm.second_vm_empty", kGpuAccess, ok(probe_fields(other)),
	    [other](StepContext &c, Result &r) { run_probes(c, r, c.st.vm_b, other); });
	bind_step("unmap_whole_user_range", ok(),
		  {{"r@va", kVa, 'r', "fault=translation"},
		   {"r@y+0x3000", y + 0x3000, 'r', "fault=translation"}},
		  [](const ScriptState &) { return Ops{vm_unmap_op(0, 1ull << 47)}; });
	// Destroying a VM with mappings (maps again first: B's last ref).
	add("vm_destroy.with_mappings", kVmDestroy, ok({{"bind", "0"}, {"r@va", "no-as"}}),
	    [](StepContext &c, Result &r) {
		    Result setup;
		    drm_refgpu_bo_create bo{};
		    bo.size = kPg;
		    int bret = c.dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &bo);
		    if (!bret) {
			    vm_bind(c, setup, c.st.vm_a, {vm_map_op(bo.handle, 0, kVa, kPg)});
			    gem_close(c, setup, bo.handle);
		    }
		    r.add("bind", bret ? ret_name(bret) : ret_name(setup.ret));
		    r.ret = vm_destroy(c.dev, c.st.vm_a);
		    probe(c, r, "r@va", c.st.vm_a, kVa, 'r');
	    });
	bind_step("destroyed_vm", err(ENOENT), {},
		  [](const ScriptState &) { return Ops{vm_unmap_op(kVa, kPg)}; });
	add("vm_destroy.twice", kVmDestroy, err(ENOENT),
	    [](StepContext &c, Result &r) { r.ret = vm_destroy(c.dev, c.st.vm_a); });
	add("vm_create.lowest_free_id", kVmCreate, ok({{"id", "1"}}),
	    [](StepContext &c, Result &r) { c.st.vm_a = vm_create(c, r, 0); });
	// Up to max_vms per file, then -ENOSPC with id untouched.
	add("vm_create.until_full", kVmCreate,
	    err(ENOSPC, {{"created", "62"}, {"last_id", "64"}, {"id", "0"}}),
	    [](StepContext &c, Result &r) {
		    std::uint32_t last = 0;
		    for (int i = 0; i < 64; i++) {
			    drm_refgpu_vm_create a{};
			    int ret = c.dev.ioctl(DRM_IOCTL_REFGPU_VM_CREATE, &a);
			    if (ret) {
				    r.ret = ret;
				    r.add("created", c.st.vms_extra.size());
				    r.add("last_id", last);
				    r.add("id", a.id);
				    break;
			    }
			    c.st.vms_extra.push_back(last = a.id);
		    }
		    // Beyond the GPU's address spaces a VM has none (until a
		    // queue needs one: not yet); compared, not documented.
		    probe(c, r, "r@vm64", 64, kVa, 'r');
	    });
	add("vm_destroy.all", kVmDestroy, ok({{"destroyed", "64"}}), [](StepContext &c, Result &r) {
		unsigned n = 0;
		std::vector<std::uint32_t> ids = c.st.vms_extra;
		ids.push_back(c.st.vm_a);
		ids.push_back(c.st.vm_b);
		for (std::uint32_t id : ids) {
			int ret = vm_destroy(c.dev, id);
			n += ret == 0;
			if (ret && !r.ret)
				r.ret = ret;
		}
		r.add("destroyed", n);
		c.st.vms_extra.clear();
	});
}

std::vector<Step> build_script()
{
	std::vector<Step> s;
	auto add = [&s](std::string name, const char *ioctl, Expect expect,
			std::function<void(StepContext &, Result &)> fn) {
		s.push_back({std::move(name), ioctl, std::move(expect), std::move(fn)});
	};
	const std::string page = std::to_string(page_size());

	// Each step: name, what it issues, what is documented (the return
	// and the fields the header fixes; see Expect), and how it runs.

	// --- DRM core ---------------------------------------------------------
	// drm_copy_field(): min(len, strlen) bytes copied, len set to strlen.
	add("version", kVersion,
	    ok({{"name", "refgpu"}, {"name_len", "6"}, {"desc_len_consistent", "1"},
		{"date_len_consistent", "1"}}),
	    [](StepContext &c, Result &r) {
		    constexpr std::size_t kLen = 256;
		    std::vector<char> name(kLen, char(kFill)), date(kLen, char(kFill)),
			    desc(kLen, char(kFill));
		    drm_version_t v{};
		    v.version_major = v.version_minor = v.version_patchlevel = int(kFill32);
		    v.name_len = v.date_len = v.desc_len = kLen;
		    v.name = name.data();
		    v.date = date.data();
		    v.desc = desc.data();
		    r.ret = c.dev.ioctl(DRM_IOCTL_VERSION, &v);
		    // The string is the returned length's worth of bytes, none of
		    // them NUL, and the buffer is untouched after it.
		    auto consistent = [&](const std::vector<char> &b, std::size_t len) {
			    if (len >= kLen)
				    return false;
			    for (std::size_t i = 0; i < len; i++)
				    if (!b[i])
					    return false;
			    return all_fill(reinterpret_cast<const std::uint8_t *>(b.data()) + len,
					    kLen - len);
		    };
		    r.add("name", std::string(name.data(), std::min(v.name_len, kLen)));
		    r.add("name_len", v.name_len);
		    r.add("version_major", static_cast<std::uint64_t>(v.version_major));
		    r.add("version_minor", static_cast<std::uint64_t>(v.version_minor));
		    r.add("version_patchlevel", static_cast<std::uint64_t>(v.version_patchlevel));
		    r.add("desc", std::string(desc.data(), std::min(v.desc_len, kLen)));
		    r.add("desc_len", v.desc_len);
		    r.add_bool("desc_len_consistent", consistent(desc, v.desc_len));
		    r.add_bool("date_len_consistent", consistent(date, v.date_len));
	    });
	add("version.short_buffers", kVersion,
	    ok({{"name_len", "6"}, {"name_prefix", "ref"}, {"name_rest_untouched", "1"},
		{"desc_rest_untouched", "1"}}),
	    [](StepContext &c, Result &r) {
		    constexpr std::size_t kLen = 16;
		    std::vector<char> name(kLen, char(kFill)), desc(kLen, char(kFill));
		    drm_version_t v{};
		    v.name_len = 3;
		    v.name = name.data();
		    v.date_len = 0; // and no date buffer
		    v.desc_len = 1;
		    v.desc = desc.data();
		    r.ret = c.dev.ioctl(DRM_IOCTL_VERSION, &v);
		    r.add("name_len", v.name_len);
		    r.add("name_prefix", std::string(name.data(), 3));
		    r.add_bool("name_rest_untouched",
			       all_fill(reinterpret_cast<std::uint8_t *>(name.data()) + 3, kLen - 3));
		    r.add("desc_len", v.desc_len);
		    r.add_bool("desc_rest_untouched",
			       all_fill(reinterpret_cast<std::uint8_t *>(desc.data()) + 1, kLen - 1));
		    r.add("date_len", v.date_len);
	    });
	add("get_cap.syncobj", kGetCap, ok({{"value", "1"}}),
	    [](StepContext &c, Result &r) { get_cap(c, r, DRM_CAP_SYNCOBJ); });
	add("get_cap.syncobj_timeline", kGetCap, ok({{"value", "1"}}),
	    [](StepContext &c, Result &r) { get_cap(c, r, DRM_CAP_SYNCOBJ_TIMELINE); });
	add("get_cap.prime", kGetCap,
	    ok({{"value", std::to_string(DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT)}}),
	    [](StepContext &c, Result &r) { get_cap(c, r, DRM_CAP_PRIME); });

	// --- DEV_QUERY --------------------------------------------------------
	const std::string info_size = std::to_string(sizeof(drm_refgpu_gpu_info));
	const std::string max_size = std::to_string(DRM_REFGPU_DEV_QUERY_MAX_SIZE);
	add("dev_query.size_probe", kDevQuery, ok({{"size", info_size}}),
	    [](StepContext &c, Result &r) {
		    dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, 0, 0, 0);
	    });
	add("dev_query.full", kDevQuery, ok({{"size", info_size}, {"pad", "0"}}),
	    [](StepContext &c, Result &r) {
		    drm_refgpu_gpu_info info{};
		    if (dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, sizeof(info), ptr(&info), 0) ==
			0) {
			    add_gpu_info(r, info);
			    c.st.info = info;
			    c.st.max_bo_size = info.max_bo_size;
		    }
	    });
	add("dev_query.oversize", kDevQuery,
	    ok({{"size", std::to_string(sizeof(drm_refgpu_gpu_info) + 16)},
		{"pad", "0"},
		{"tail_zero", "1"}}),
	    [](StepContext &c, Result &r) {
		    constexpr std::size_t kExtra = 16;
		    std::vector<std::uint8_t> buf(sizeof(drm_refgpu_gpu_info) + kExtra, kFill);
		    if (dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO,
				  static_cast<std::uint32_t>(buf.size()), ptr(buf.data()), 0) == 0) {
			    drm_refgpu_gpu_info info;
			    std::memcpy(&info, buf.data(), sizeof(info));
			    add_gpu_info(r, info);
			    r.add_bool("tail_zero", all_zero(buf.data() + sizeof(info), kExtra));
		    }
	    });
	// The largest size accepted, and the two just past it (-E2BIG, nothing
	// written): DRM_REFGPU_DEV_QUERY_MAX_SIZE + 1 and ~0u, which once made
	// a driver write 4 GiB of kernel memory.
	add("dev_query.size_max", kDevQuery,
	    ok({{"size", max_size},
		{"object_matches_full", "1"},
		{"tail_zero", "1"},
		{"past_size_untouched", "1"}}),
	    [](StepContext &c, Result &r) {
		    query_into_buffer(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO,
				      DRM_REFGPU_DEV_QUERY_MAX_SIZE, 0,
				      2 * DRM_REFGPU_DEV_QUERY_MAX_SIZE);
	    });
	add("dev_query.size_max_plus_1", kDevQuery,
	    err(E2BIG,
		{{"size", std::to_string(DRM_REFGPU_DEV_QUERY_MAX_SIZE + 1)},
		 {"buffer_untouched", "1"}}),
	    [](StepContext &c, Result &r) {
		    query_into_buffer(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO,
				      DRM_REFGPU_DEV_QUERY_MAX_SIZE + 1, 0,
				      2 * DRM_REFGPU_DEV_QUERY_MAX_SIZE);
	    });
	add("dev_query.size_u32_max", kDevQuery,
	    err(E2BIG, {{"size", "4294967295"}, {"buffer_untouched", "1"}}),
	    [](StepContext &c, Result &r) {
		    query_into_buffer(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, 0xffffffffu, 0,
				      2 * DRM_REFGPU_DEV_QUERY_MAX_SIZE);
	    });
	add("dev_query.undersize", kDevQuery, err(EINVAL, {{"size", "8"}, {"buffer_untouched", "1"}}),
	    [](StepContext &c, Result &r) {
		    query_into_buffer(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, 8, 0,
				      sizeof(drm_refgpu_gpu_info));
	    });
	add("dev_query.unknown_type", kDevQuery,
	    err(EINVAL, {{"size", info_size}, {"buffer_untouched", "1"}}),
	    [](StepContext &c, Result &r) {
		    query_into_buffer(c, r, 0xffff, sizeof(drm_refgpu_gpu_info), 0,
				      sizeof(drm_refgpu_gpu_info));
	    });
	add("dev_query.pad_nonzero", kDevQuery,
	    err(EINVAL, {{"size", info_size}, {"buffer_untouched", "1"}}),
	    [](StepContext &c, Result &r) {
		    query_into_buffer(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO,
				      sizeof(drm_refgpu_gpu_info), 1, sizeof(drm_refgpu_gpu_info));
	    });
	add("dev_query.unmapped_pointer", kDevQuery, err(EFAULT, {{"size", info_size}}),
	    [](StepContext &c, Result &r) {
		    int mret = 0;
		    Mapping none = Mapping::map_anon(page_size(), PROT_NONE, &mret);
		    // If even an anonymous mapping fails, a null pointer still
		    // means "size probe", so use a kernel-space-looking address.
		    std::uint64_t p = none.valid() ? ptr(none.data()) : ~0ull - 4095;
		    dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, sizeof(drm_refgpu_gpu_info), p,
			      0);
	    });
	// The second -EFAULT exception of the header: a buffer whose first 8
	// bytes end a writable page and whose rest is on a PROT_NONE page.
	// The 8 bytes may hold their final values (the object's first bytes)
	// or be untouched, nothing else; nothing before the buffer, nor on the
	// writable page after the hole, is written.
	add("dev_query.straddles_prot_none", kDevQuery,
	    err(EFAULT,
		{{"size", info_size},
		 {"before_untouched", "1"},
		 {"prefix_final_or_untouched", "1"},
		 {"after_hole_untouched", "1"}}),
	    [](StepContext &c, Result &r) {
		    constexpr std::size_t kPrefix = 8;
		    const std::size_t pg = page_size();
		    int mret = 0;
		    Mapping m = Mapping::map_anon(3 * pg, PROT_READ | PROT_WRITE, &mret);
		    if (!m.valid() || ::mprotect(m.bytes() + pg, pg, PROT_NONE)) {
			    r.ret = mret ? mret : -errno;
			    r.add("setup", "failed");
			    return;
		    }
		    std::memset(m.bytes(), kFill, pg);
		    std::memset(m.bytes() + 2 * pg, kFill, pg);
		    std::uint8_t *buf = m.bytes() + pg - kPrefix;
		    dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, sizeof(drm_refgpu_gpu_info),
			      ptr(buf), 0);
		    const auto *want = reinterpret_cast<const std::uint8_t *>(&c.st.info);
		    bool valid = true, written = true;
		    for (std::size_t i = 0; i < kPrefix; i++) {
			    valid = valid && (buf[i] == want[i] || buf[i] == kFill);
			    written = written && buf[i] == want[i];
		    }
		    r.add_bool("before_untouched", all_fill(m.bytes(), pg - kPrefix));
		    r.add_bool("prefix_final_or_untouched", valid);
		    r.add_bool("prefix_written", written);
		    r.add_bool("after_hole_untouched", all_fill(m.bytes() + 2 * pg, pg));
	    });

	// --- BO_CREATE --------------------------------------------------------
	// Live handles in this file after each step: the lowest free one is
	// documented (DRM core), so the expected handles are too.
	add("bo_create.size_0", kBoCreate, err(EINVAL, {{"size", "0"}, {"handle", "0"}}),
	    [](StepContext &c, Result &r) { bo_create(c, r, 0, 0); });
	add("bo_create.size_1", kBoCreate, ok({{"size", page}, {"handle", "1"}}),
	    [](StepContext &c, Result &r) { c.st.bo_small = bo_create(c, r, 1, 0); });
	add("bo_create.size_3_pages_plus_5", kBoCreate,
	    ok({{"size", std::to_string(4 * page_size())}, {"handle", "2"}}),
	    [](StepContext &c, Result &r) {
		    c.st.bo_map = bo_create(c, r, 3 * 4096 + 5, 0, 0, &c.st.bo_map_size);
	    });
	add("bo_create.unknown_flag", kBoCreate, err(EINVAL, {{"size", "4096"}, {"handle", "0"}}),
	    [](StepContext &c, Result &r) { bo_create(c, r, 4096, 1u << 31); });
	add("bo_create.handle_nonzero", kBoCreate, err(EINVAL, {{"size", "4096"}, {"handle", "1"}}),
	    [](StepContext &c, Result &r) { bo_create(c, r, 4096, 0, 1); });
	add("bo_create.size_1tib", kBoCreate,
	    err(E2BIG, {{"size", std::to_string(1ull << 40)}, {"handle", "0"}}),
	    [](StepContext &c, Result &r) { bo_create(c, r, 1ull << 40, 0); });
	add("bo_create.size_u64_max", kBoCreate,
	    err(E2BIG, {{"size", std::to_string(~0ull)}, {"handle", "0"}}),
	    [](StepContext &c, Result &r) { bo_create(c, r, ~0ull, 0); });
	add("bo_create.size_max_bo_size", kBoCreate, ok({{"handle", "3"}}),
	    [](StepContext &c, Result &r) {
		    c.st.bo_max = bo_create(c, r, c.st.max_bo_size, 0);
	    });
	add("gem_close.max_bo", kGemClose, ok(),
	    [](StepContext &c, Result &r) { gem_close(c, r, c.st.bo_max); });
	add("bo_create.size_max_bo_size_plus_1", kBoCreate, err(E2BIG, {{"handle", "0"}}),
	    [](StepContext &c, Result &r) { bo_create(c, r, c.st.max_bo_size + 1, 0); });
	add("bo_create.no_mmap", kBoCreate, ok({{"size", "4096"}, {"handle", "3"}}),
	    [](StepContext &c, Result &r) {
		    c.st.bo_no_mmap = bo_create(c, r, 4096, DRM_REFGPU_BO_NO_MMAP);
	    });
	// The first -EFAULT exception: the argument structure on a read-only
	// page. The BO exists with the lowest free handle (4); the next
	// create gets 5, and closing 4 then 5 succeeds.
	add("bo_create.args_read_only", kBoCreate,
	    err(EFAULT,
		{{"args_unchanged", "1"},
		 {"next_handle", "5"},
		 {"close_lowest_free", "0"},
		 {"close_next", "0"}}),
	    [](StepContext &c, Result &r) {
		    int mret = 0;
		    Mapping m = Mapping::map_anon(page_size(), PROT_READ | PROT_WRITE, &mret);
		    if (!m.valid()) {
			    r.ret = mret;
			    r.add("setup", "failed");
			    return;
		    }
		    auto *a = static_cast<drm_refgpu_bo_create *>(m.data());
		    a->size = 4096;
		    if (::mprotect(m.data(), m.size(), PROT_READ)) {
			    r.ret = -errno;
			    r.add("setup", "failed");
			    return;
		    }
		    r.ret = c.dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, a);
		    r.add_bool("args_unchanged", a->size == 4096 && !a->flags && !a->handle);
		    drm_refgpu_bo_create next{};
		    next.size = 4096;
		    int nret = c.dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &next);
		    r.add("next_handle", nret ? std::string("(") + ret_name(nret) + ")"
					      : std::to_string(next.handle));
		    drm_gem_close cl{};
		    cl.handle = 4;
		    r.add("close_lowest_free", ret_name(c.dev.ioctl(DRM_IOCTL_GEM_CLOSE, &cl)));
		    cl.handle = nret ? 5 : next.handle;
		    r.add("close_next", ret_name(c.dev.ioctl(DRM_IOCTL_GEM_CLOSE, &cl)));
	    });

	// --- BO_MMAP_OFFSET ---------------------------------------------------
	add("bo_mmap_offset.valid", kBoMmapOffset,
	    ok({{"offset_nonzero", "1"}, {"offset_page_aligned", "1"}}),
	    [](StepContext &c, Result &r) {
		    c.st.bo_map_offset = mmap_offset_on(c.dev, r, c.st.bo_map);
	    });
	add("bo_mmap_offset.unknown_handle", kBoMmapOffset, err(ENOENT, {{"offset", kFill64Hex}}),
	    [](StepContext &c, Result &r) { mmap_offset_on(c.dev, r, kUnknownHandle); });
	add("bo_mmap_offset.pad_nonzero", kBoMmapOffset, err(EINVAL, {{"offset", kFill64Hex}}),
	    [](StepContext &c, Result &r) { mmap_offset_on(c.dev, r, c.st.bo_map, 1); });
	add("bo_mmap_offset.no_mmap_bo", kBoMmapOffset, err(EPERM, {{"offset", kFill64Hex}}),
	    [](StepContext &c, Result &r) { mmap_offset_on(c.dev, r, c.st.bo_no_mmap); });

	// --- mmap -------------------------------------------------------------
	add("mmap.fresh_zero", kMmap, ok({{"zero", "1"}}), [](StepContext &c, Result &r) {
		Mapping m = c.dev.mmap(c.st.bo_map_size, c.st.bo_map_offset, &r.ret);
		if (m.valid())
			r.add_bool("zero", all_zero(m.bytes(), m.size()));
	});
	add("mmap.write_pattern", kMmap, ok(), [](StepContext &c, Result &r) {
		Mapping m = c.dev.mmap(c.st.bo_map_size, c.st.bo_map_offset, &r.ret);
		if (m.valid()) {
			fill_pattern(m.bytes(), m.size(), seed_for(r.step));
			c.st.pattern_fnv = map_hash(m);
			r.add_hex("written_fnv1a64", c.st.pattern_fnv);
		}
		// m is unmapped here, before the read-back maps again.
	});
	add("mmap.readback", kMmap, ok({{"matches_written", "1"}}), [](StepContext &c, Result &r) {
		Mapping m = c.dev.mmap(c.st.bo_map_size, c.st.bo_map_offset, &r.ret);
		if (m.valid()) {
			std::uint64_t h = map_hash(m);
			r.add_hex("fnv1a64", h);
			r.add_bool("matches_written", h == c.st.pattern_fnv);
		}
	});
	// drm_gem_mmap_obj(): a mapping larger than the object is -EINVAL.
	add("mmap.length_too_large", kMmap, err(EINVAL), [](StepContext &c, Result &r) {
		Mapping m = c.dev.mmap(c.st.bo_map_size + page_size(), c.st.bo_map_offset, &r.ret);
	});

	// --- PRIME ------------------------------------------------------------
	// Within the device: the export of a BO imported back into the same
	// file is that BO (same handle, same flags); its dma-buf maps the
	// same pages, and a NO_MMAP BO's dma-buf mmap is refused by the GEM
	// .mmap hook (-EPERM), the path the fake offset never reaches.
	const std::uint32_t kPrimeFlags = DRM_CLOEXEC | DRM_RDWR;
	add("prime.export", kPrimeToFd, ok({{"fd_valid", "1"}}),
	    [kPrimeFlags](StepContext &c, Result &r) {
		    prime_export(c, r, c.st.bo_map, kPrimeFlags, &c.st.dmabuf_map);
	    });
	add("prime.import_own_export", kPrimeToHandle, ok({{"handle_is_original", "1"}}),
	    [](StepContext &c, Result &r) {
		    std::uint32_t h = prime_import(c.dev, r, c.st.dmabuf_map.get());
		    if (r.ret == 0)
			    r.add_bool("handle_is_original", h == c.st.bo_map);
	    });
	add("mmap.dmabuf", kMmap, ok({{"matches_written", "1"}}), [](StepContext &c, Result &r) {
		Mapping m = Mapping::map_fd(c.st.dmabuf_map.get(), c.st.bo_map_size, 0,
					    PROT_READ | PROT_WRITE, &r.ret);
		if (m.valid())
			r.add_bool("matches_written", map_hash(m) == c.st.pattern_fnv);
	});
	add("prime.export_no_mmap", kPrimeToFd, ok({{"fd_valid", "1"}}),
	    [kPrimeFlags](StepContext &c, Result &r) {
		    prime_export(c, r, c.st.bo_no_mmap, kPrimeFlags, &c.st.dmabuf_no_mmap);
	    });
	add("mmap.dmabuf_no_mmap", kMmap, err(EPERM), [](StepContext &c, Result &r) {
		Mapping m = Mapping::map_fd(c.st.dmabuf_no_mmap.get(), 4096, 0,
					    PROT_READ | PROT_WRITE, &r.ret);
	});
	add("prime.import_own_export_no_mmap", kPrimeToHandle, ok({{"handle_is_original", "1"}}),
	    [](StepContext &c, Result &r) {
		    std::uint32_t h = prime_import(c.dev, r, c.st.dmabuf_no_mmap.get());
		    if (r.ret == 0)
			    r.add_bool("handle_is_original", h == c.st.bo_no_mmap);
	    });
	add("bo_mmap_offset.same_device_import_no_mmap", kBoMmapOffset,
	    err(EPERM, {{"offset", kFill64Hex}}), [](StepContext &c, Result &r) {
		    drm_prime_handle a{};
		    a.fd = c.st.dmabuf_no_mmap.get();
		    std::uint32_t h = c.dev.ioctl(DRM_IOCTL_PRIME_FD_TO_HANDLE, &a) ? 0 : a.handle;
		    mmap_offset_on(c.dev, r, h);
	    });
	add("prime.export_unknown_handle", kPrimeToFd, err(ENOENT, {{"fd_unchanged", "1"}}),
	    [kPrimeFlags](StepContext &c, Result &r) {
		    prime_export(c, r, kUnknownHandle, kPrimeFlags);
	    });
	add("prime.export_unknown_flag", kPrimeToFd, err(EINVAL, {{"fd_unchanged", "1"}}),
	    [](StepContext &c, Result &r) { prime_export(c, r, c.st.bo_map, 1u << 30); });
	add("prime.import_bad_fd", kPrimeToHandle, err(EBADF, {{"handle_unchanged", "1"}}),
	    [](StepContext &c, Result &r) { prime_import(c.dev, r, -1); });
	// Between the two devices (the peer is a fresh fd of the other
	// driver's node): the import gets a new handle and an offset; what is
	// written on one side reads back on the other; the import of a
	// NO_MMAP BO gets an offset too, and mmap(2) of it is refused by the
	// exporter (-EPERM).
	add("prime.peer_import", kPrimeToHandle, ok({{"peer_handle", "1"}}),
	    [](StepContext &c, Result &r) {
		    c.st.peer_map = prime_import(c.peer, r, c.st.dmabuf_map.get());
		    if (r.ret == 0)
			    r.add("peer_handle", c.st.peer_map);
	    });
	add("bo_mmap_offset.peer_import", kBoMmapOffset,
	    ok({{"offset_nonzero", "1"}, {"offset_page_aligned", "1"}}),
	    [](StepContext &c, Result &r) {
		    c.st.peer_map_offset = mmap_offset_on(c.peer, r, c.st.peer_map);
	    });
	add("mmap.peer_import_shares_pages", kMmap,
	    ok({{"peer_reads_exporter_data", "1"}, {"exporter_reads_peer_data", "1"}}),
	    [](StepContext &c, Result &r) {
		    Mapping m = c.peer.mmap(c.st.bo_map_size, c.st.peer_map_offset, &r.ret);
		    if (!m.valid())
			    return;
		    r.add_bool("peer_reads_exporter_data", map_hash(m) == c.st.pattern_fnv);
		    fill_pattern(m.bytes(), m.size(), seed_for(r.step));
		    std::uint64_t written = map_hash(m);
		    m.reset();
		    int ret = 0;
		    Mapping own = c.dev.mmap(c.st.bo_map_size, c.st.bo_map_offset, &ret);
		    r.add_bool("exporter_reads_peer_data", own.valid() && map_hash(own) == written);
		    c.st.pattern_fnv = written;
	    });
	add("prime.peer_import_no_mmap", kPrimeToHandle, ok({{"peer_handle", "2"}}),
	    [](StepContext &c, Result &r) {
		    c.st.peer_no_mmap = prime_import(c.peer, r, c.st.dmabuf_no_mmap.get());
		    if (r.ret == 0)
			    r.add("peer_handle", c.st.peer_no_mmap);
	    });
	add("bo_mmap_offset.peer_import_no_mmap", kBoMmapOffset,
	    ok({{"offset_nonzero", "1"}, {"offset_page_aligned", "1"}}),
	    [](StepContext &c, Result &r) {
		    c.st.peer_no_mmap_offset = mmap_offset_on(c.peer, r, c.st.peer_no_mmap);
	    });
	add("mmap.peer_import_no_mmap", kMmap, err(EPERM), [](StepContext &c, Result &r) {
		Mapping m = c.peer.mmap(4096, c.st.peer_no_mmap_offset, &r.ret);
	});
	// Release every PRIME reference (the peer's imports, the dma-buf fds)
	// so that the BOs live only through their handles and mappings again.
	add("gem_close.peer_imports", kGemClose, ok({{"close_second", "0"}, {"dmabufs_closed", "1"}}),
	    [](StepContext &c, Result &r) {
		    drm_gem_close a{};
		    a.handle = c.st.peer_map;
		    r.ret = c.peer.ioctl(DRM_IOCTL_GEM_CLOSE, &a);
		    a.handle = c.st.peer_no_mmap;
		    r.add("close_second", ret_name(c.peer.ioctl(DRM_IOCTL_GEM_CLOSE, &a)));
		    bool closed = true;
		    for (Fd *fd : {&c.st.dmabuf_map, &c.st.dmabuf_no_mmap})
			    closed = closed && (!fd->valid() || ::close(fd->release()) == 0);
		    r.add_bool("dmabufs_closed", closed);
	    });

	// --- GEM_CLOSE --------------------------------------------------------
	// bo_map is closed while a mapping of it is alive: the mapping keeps
	// the pages (reads and writes still work) until it is unmapped; the
	// handle and the offset's access for this file are gone at once.
	add("mmap.keep_mapping", kMmap, ok({{"matches_written", "1"}}),
	    [](StepContext &c, Result &r) {
		    c.st.held = c.dev.mmap(c.st.bo_map_size, c.st.bo_map_offset, &r.ret);
		    if (c.st.held.valid())
			    r.add_bool("matches_written", map_hash(c.st.held) == c.st.pattern_fnv);
	    });
	add("gem_close.mapped_bo", kGemClose, ok(),
	    [](StepContext &c, Result &r) { gem_close(c, r, c.st.bo_map); });
	add("bo_mmap_offset.closed_handle", kBoMmapOffset, err(ENOENT, {{"offset", kFill64Hex}}),
	    [](StepContext &c, Result &r) { mmap_offset_on(c.dev, r, c.st.bo_map); });
	add("gem_close.unknown_handle", kGemClose, err(EINVAL),
	    [](StepContext &c, Result &r) { gem_close(c, r, kUnknownHandle); });
	add("munmap.mapping_outlived_close", kMunmap,
	    ok({{"reads_back", "1"}, {"writes_stick", "1"}}), [](StepContext &c, Result &r) {
		    if (!c.st.held.valid()) {
			    r.ret = -EBADF;
			    r.add("mapping", "none");
			    return;
		    }
		    r.add_bool("reads_back", map_hash(c.st.held) == c.st.pattern_fnv);
		    fill_pattern(c.st.held.bytes(), c.st.held.size(), seed_for(r.step));
		    std::uint64_t written = map_hash(c.st.held);
		    std::vector<std::uint8_t> copy(c.st.held.bytes(),
						   c.st.held.bytes() + c.st.held.size());
		    r.add_bool("writes_stick", fnv1a64(copy.data(), copy.size()) == written);
		    r.ret = c.st.held.unmap();
	    });
	add("mmap.after_close", kMmap, err(EINVAL), [](StepContext &c, Result &r) {
		std::uint64_t len = c.st.bo_map_size ? c.st.bo_map_size : page_size();
		Mapping m = c.dev.mmap(len, c.st.bo_map_offset, &r.ret);
	});

	// --- syncobj ----------------------------------------------------------
	add("syncobj_create.unknown_flag", kSyncobjCreate, err(EINVAL, {{"handle", kFill32Dec}}),
	    [](StepContext &c, Result &r) {
		    drm_syncobj_create a{};
		    a.flags = 1u << 31;
		    a.handle = kFill32;
		    r.ret = c.dev.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &a);
		    r.add("handle", a.handle);
	    });
	add("syncobj_create.flags_0", kSyncobjCreate, ok({{"handle", "1"}}),
	    [](StepContext &c, Result &r) { c.st.syncobj = syncobj_create(c, r, 0); });
	add("syncobj_create.signaled", kSyncobjCreate, ok({{"handle", "2"}}),
	    [](StepContext &c, Result &r) {
		    c.st.syncobj_signaled = syncobj_create(c, r, DRM_SYNCOBJ_CREATE_SIGNALED);
	    });
	add("syncobj_timeline_signal.point_5", kSyncobjSignal, ok(), [](StepContext &c, Result &r) {
		std::uint32_t handle = c.st.syncobj;
		std::uint64_t point = 5;
		drm_syncobj_timeline_array a{};
		a.handles = ptr(&handle);
		a.points = ptr(&point);
		a.count_handles = 1;
		r.ret = c.dev.ioctl(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
	});
	add("syncobj_query.points", kSyncobjQuery, ok({{"point", "5"}, {"point_signaled", "0"}}),
	    [](StepContext &c, Result &r) {
		    std::uint32_t handles[2] = {c.st.syncobj, c.st.syncobj_signaled};
		    std::uint64_t points[2] = {kFill64, kFill64};
		    drm_syncobj_timeline_array a{};
		    a.handles = ptr(handles);
		    a.points = ptr(points);
		    a.count_handles = 2;
		    r.ret = c.dev.ioctl(DRM_IOCTL_SYNCOBJ_QUERY, &a);
		    if (r.ret == 0) {
			    r.add("point", points[0]);
			    r.add("point_signaled", points[1]);
		    }
	    });
	add("syncobj_destroy.flags_0", kSyncobjDestroy, ok(),
	    [](StepContext &c, Result &r) { syncobj_destroy(c, r, c.st.syncobj); });
	add("syncobj_destroy.signaled", kSyncobjDestroy, ok(),
	    [](StepContext &c, Result &r) { syncobj_destroy(c, r, c.st.syncobj_signaled); });
	add("syncobj_destroy.unknown_handle", kSyncobjDestroy, err(EINVAL),
	    [](StepContext &c, Result &r) { syncobj_destroy(c, r, kUnknownHandle); });

	add_vm_steps(add);

	// --- not a refgpu ioctl -----------------------------------------------
	// drm_ioctl(): a driver ioctl number past the driver's table is -EINVAL.
	add("unknown_ioctl.command_0x30", kUnknown, err(EINVAL), [](StepContext &c, Result &r) {
		struct {
			std::uint64_t a, b;
		} arg{};
		static_assert(sizeof(arg) == 16);
		r.ret = c.dev.ioctl(DRM_IOWR(DRM_COMMAND_BASE + 0x30, decltype(arg)), &arg);
	});

	return s;
}

} // namespace

const std::vector<Step> &script_steps()
{
	static const std::vector<Step> steps = build_script();
	return steps;
}

ScriptRun run_script(DeviceIo &dev, DeviceIo &peer)
{
	CountingDevice counting(dev), counting_peer(peer);
	ScriptRun run;
	{
		ScriptState st;
		StepContext ctx{counting, counting_peer, st};
		for (const Step &step : script_steps()) {
			Result r;
			r.step = step.name;
			r.ioctl = step.ioctl;
			step.run(ctx, r);
			run.results.push_back(std::move(r));
		}
	}
	run.ioctls = counting.count() + counting_peer.count();
	return run;
}

std::vector<OracleMiss> check_documented(const std::vector<Result> &results)
{
	std::vector<OracleMiss> misses;
	for (const Step &step : script_steps()) {
		const Result *r = nullptr;
		for (const Result &x : results)
			if (x.step == step.name)
				r = &x;
		if (!r) {
			misses.push_back({step.name, "(step)", "<missing>", "ran"});
			continue;
		}
		if (r->ret != step.expect.ret)
			misses.push_back({step.name, "(return)", ret_name(r->ret),
					  ret_name(step.expect.ret)});
		for (const Field &want : step.expect.fields) {
			std::string got = "<absent>";
			for (const Field &f : r->fields)
				if (f.name == want.name)
					got = f.value;
			if (got != want.value)
				misses.push_back({step.name, want.name, got, want.value});
		}
	}
	return misses;
}

} // namespace refgpu::equiv
