// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "script.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
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

std::uint64_t fnv1a64(const void *data, std::size_t len, std::uint64_t h)
{
	const auto *p = static_cast<const std::uint8_t *>(data);
	for (std::size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
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

std::uint64_t bo_mmap_offset(StepContext &c, Result &r, std::uint32_t handle,
			     std::uint32_t pad = 0)
{
	drm_refgpu_bo_mmap_offset a{};
	a.handle = handle;
	a.pad = pad;
	r.ret = c.dev.ioctl(DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &a);
	if (r.ret == 0) {
		r.add_bool("offset_nonzero", a.offset != 0);
		r.add_bool("offset_page_aligned", a.offset % page_size() == 0);
	}
	return r.ret == 0 ? a.offset : 0;
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

std::vector<Step> build_script()
{
	std::vector<Step> s;
	auto add = [&s](std::string name, const char *ioctl,
			std::function<void(StepContext &, Result &)> fn) {
		s.push_back({std::move(name), ioctl, std::move(fn)});
	};

	// --- DRM core ---------------------------------------------------------
	add("version", kVersion, [](StepContext &c, Result &r) {
		DrmVersion v;
		r.ret = drm_version(c.dev, &v);
		r.add("name", v.name);
		r.add("version_major", static_cast<std::uint64_t>(v.major));
		r.add("version_minor", static_cast<std::uint64_t>(v.minor));
		r.add("version_patchlevel", static_cast<std::uint64_t>(v.patchlevel));
		r.add("desc", v.desc);
	});
	add("get_cap.syncobj", kGetCap,
	    [](StepContext &c, Result &r) { get_cap(c, r, DRM_CAP_SYNCOBJ); });
	add("get_cap.syncobj_timeline", kGetCap,
	    [](StepContext &c, Result &r) { get_cap(c, r, DRM_CAP_SYNCOBJ_TIMELINE); });
	add("get_cap.prime", kGetCap,
	    [](StepContext &c, Result &r) { get_cap(c, r, DRM_CAP_PRIME); });

	// --- DEV_QUERY --------------------------------------------------------
	add("dev_query.size_probe", kDevQuery, [](StepContext &c, Result &r) {
		dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, 0, 0, 0);
	});
	add("dev_query.full", kDevQuery, [](StepContext &c, Result &r) {
		drm_refgpu_gpu_info info{};
		if (dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, sizeof(info), ptr(&info), 0) == 0) {
			add_gpu_info(r, info);
			c.st.max_bo_size = info.max_bo_size;
		}
	});
	add("dev_query.oversize", kDevQuery, [](StepContext &c, Result &r) {
		constexpr std::size_t kExtra = 16;
		std::vector<std::uint8_t> buf(sizeof(drm_refgpu_gpu_info) + kExtra, 0xa5);
		if (dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO,
			      static_cast<std::uint32_t>(buf.size()), ptr(buf.data()), 0) == 0) {
			drm_refgpu_gpu_info info;
			std::memcpy(&info, buf.data(), sizeof(info));
			add_gpu_info(r, info);
			bool zero = true;
			for (std::size_t i = sizeof(info); i < buf.size(); i++)
				zero = zero && buf[i] == 0;
			r.add_bool("tail_zero", zero);
		}
	});
	add("dev_query.undersize", kDevQuery, [](StepContext &c, Result &r) {
		std::vector<std::uint8_t> buf(sizeof(drm_refgpu_gpu_info), 0xa5);
		dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, 8, ptr(buf.data()), 0);
		bool untouched = true;
		for (std::uint8_t b : buf)
			untouched = untouched && b == 0xa5;
		r.add_bool("buffer_untouched", untouched);
	});
	add("dev_query.unknown_type", kDevQuery, [](StepContext &c, Result &r) {
		drm_refgpu_gpu_info info{};
		dev_query(c, r, 0xffff, sizeof(info), ptr(&info), 0);
	});
	add("dev_query.pad_nonzero", kDevQuery, [](StepContext &c, Result &r) {
		drm_refgpu_gpu_info info{};
		dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, sizeof(info), ptr(&info), 1);
	});
	add("dev_query.unmapped_pointer", kDevQuery, [](StepContext &c, Result &r) {
		int mret = 0;
		Mapping none = Mapping::map_anon(page_size(), PROT_NONE, &mret);
		// If even an anonymous mapping fails, a null pointer still
		// means "size probe", so use a kernel-space-looking address.
		std::uint64_t p = none.valid() ? ptr(none.data()) : ~0ull - 4095;
		dev_query(c, r, DRM_REFGPU_DEV_QUERY_GPU_INFO, sizeof(drm_refgpu_gpu_info), p, 0);
	});

	// --- BO_CREATE --------------------------------------------------------
	add("bo_create.size_0", kBoCreate,
	    [](StepContext &c, Result &r) { bo_create(c, r, 0, 0); });
	add("bo_create.size_1", kBoCreate,
	    [](StepContext &c, Result &r) { c.st.bo_small = bo_create(c, r, 1, 0); });
	add("bo_create.size_3_pages_plus_5", kBoCreate, [](StepContext &c, Result &r) {
		c.st.bo_map = bo_create(c, r, 3 * 4096 + 5, 0, 0, &c.st.bo_map_size);
	});
	add("bo_create.unknown_flag", kBoCreate,
	    [](StepContext &c, Result &r) { bo_create(c, r, 4096, 1u << 31); });
	add("bo_create.handle_nonzero", kBoCreate,
	    [](StepContext &c, Result &r) { bo_create(c, r, 4096, 0, 1); });
	add("bo_create.size_1tib", kBoCreate,
	    [](StepContext &c, Result &r) { bo_create(c, r, 1ull << 40, 0); });
	add("bo_create.size_u64_max", kBoCreate,
	    [](StepContext &c, Result &r) { bo_create(c, r, ~0ull, 0); });
	add("bo_create.size_max_bo_size", kBoCreate, [](StepContext &c, Result &r) {
		c.st.bo_max = bo_create(c, r, c.st.max_bo_size, 0);
	});
	add("gem_close.max_bo", kGemClose,
	    [](StepContext &c, Result &r) { gem_close(c, r, c.st.bo_max); });
	add("bo_create.size_max_bo_size_plus_1", kBoCreate, [](StepContext &c, Result &r) {
		bo_create(c, r, c.st.max_bo_size + 1, 0);
	});
	add("bo_create.no_mmap", kBoCreate, [](StepContext &c, Result &r) {
		c.st.bo_no_mmap = bo_create(c, r, 4096, DRM_REFGPU_BO_NO_MMAP);
	});

	// --- BO_MMAP_OFFSET ---------------------------------------------------
	add("bo_mmap_offset.valid", kBoMmapOffset, [](StepContext &c, Result &r) {
		c.st.bo_map_offset = bo_mmap_offset(c, r, c.st.bo_map);
	});
	add("bo_mmap_offset.unknown_handle", kBoMmapOffset,
	    [](StepContext &c, Result &r) { bo_mmap_offset(c, r, kUnknownHandle); });
	add("bo_mmap_offset.pad_nonzero", kBoMmapOffset,
	    [](StepContext &c, Result &r) { bo_mmap_offset(c, r, c.st.bo_map, 1); });
	add("bo_mmap_offset.no_mmap_bo", kBoMmapOffset,
	    [](StepContext &c, Result &r) { bo_mmap_offset(c, r, c.st.bo_no_mmap); });

	// --- mmap -------------------------------------------------------------
	add("mmap.fresh_zero", kMmap, [](StepContext &c, Result &r) {
		Mapping m = c.dev.mmap(c.st.bo_map_size, c.st.bo_map_offset, &r.ret);
		if (m.valid()) {
			bool zero = true;
			for (std::size_t i = 0; i < m.size(); i++)
				zero = zero && m.bytes()[i] == 0;
			r.add_bool("zero", zero);
		}
	});
	add("mmap.write_pattern", kMmap, [](StepContext &c, Result &r) {
		Mapping m = c.dev.mmap(c.st.bo_map_size, c.st.bo_map_offset, &r.ret);
		if (m.valid()) {
			fill_pattern(m.bytes(), m.size(), seed_for(r.step));
			c.st.pattern_fnv = fnv1a64(m.data(), m.size());
			r.add_hex("written_fnv1a64", c.st.pattern_fnv);
		}
		// m is unmapped here, before the read-back maps again.
	});
	add("mmap.readback", kMmap, [](StepContext &c, Result &r) {
		Mapping m = c.dev.mmap(c.st.bo_map_size, c.st.bo_map_offset, &r.ret);
		if (m.valid()) {
			std::uint64_t h = fnv1a64(m.data(), m.size());
			r.add_hex("fnv1a64", h);
			r.add_bool("matches_written", h == c.st.pattern_fnv);
		}
	});
	add("mmap.length_too_large", kMmap, [](StepContext &c, Result &r) {
		Mapping m = c.dev.mmap(c.st.bo_map_size + page_size(), c.st.bo_map_offset, &r.ret);
	});

	// --- GEM_CLOSE --------------------------------------------------------
	add("gem_close.mapped_bo", kGemClose,
	    [](StepContext &c, Result &r) { gem_close(c, r, c.st.bo_map); });
	add("bo_mmap_offset.closed_handle", kBoMmapOffset,
	    [](StepContext &c, Result &r) { bo_mmap_offset(c, r, c.st.bo_map); });
	add("gem_close.unknown_handle", kGemClose,
	    [](StepContext &c, Result &r) { gem_close(c, r, kUnknownHandle); });
	add("mmap.after_close", kMmap, [](StepContext &c, Result &r) {
		std::uint64_t len = c.st.bo_map_size ? c.st.bo_map_size : page_size();
		Mapping m = c.dev.mmap(len, c.st.bo_map_offset, &r.ret);
	});

	// --- syncobj ----------------------------------------------------------
	add("syncobj_create.flags_0", kSyncobjCreate,
	    [](StepContext &c, Result &r) { c.st.syncobj = syncobj_create(c, r, 0); });
	add("syncobj_create.signaled", kSyncobjCreate, [](StepContext &c, Result &r) {
		c.st.syncobj_signaled = syncobj_create(c, r, DRM_SYNCOBJ_CREATE_SIGNALED);
	});
	add("syncobj_timeline_signal.point_5", kSyncobjSignal, [](StepContext &c, Result &r) {
		std::uint32_t handle = c.st.syncobj;
		std::uint64_t point = 5;
		drm_syncobj_timeline_array a{};
		a.handles = ptr(&handle);
		a.points = ptr(&point);
		a.count_handles = 1;
		r.ret = c.dev.ioctl(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
	});
	add("syncobj_query.points", kSyncobjQuery, [](StepContext &c, Result &r) {
		std::uint32_t handles[2] = {c.st.syncobj, c.st.syncobj_signaled};
		std::uint64_t points[2] = {~0ull, ~0ull};
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
	add("syncobj_destroy.flags_0", kSyncobjDestroy,
	    [](StepContext &c, Result &r) { syncobj_destroy(c, r, c.st.syncobj); });
	add("syncobj_destroy.signaled", kSyncobjDestroy,
	    [](StepContext &c, Result &r) { syncobj_destroy(c, r, c.st.syncobj_signaled); });
	add("syncobj_destroy.unknown_handle", kSyncobjDestroy,
	    [](StepContext &c, Result &r) { syncobj_destroy(c, r, kUnknownHandle); });

	// --- not a refgpu ioctl -----------------------------------------------
	add("unknown_ioctl.command_0x30", kUnknown, [](StepContext &c, Result &r) {
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

ScriptRun run_script(DeviceIo &dev)
{
	CountingDevice counting(dev);
	ScriptState st;
	StepContext ctx{counting, st};
	ScriptRun run;
	for (const Step &step : script_steps()) {
		Result r;
		r.step = step.name;
		r.ioctl = step.ioctl;
		step.run(ctx, r);
		run.results.push_back(std::move(r));
	}
	run.ioctls = counting.count();
	return run;
}

} // namespace refgpu::equiv
