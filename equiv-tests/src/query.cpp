// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "query.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace refgpu::equiv {

GpuInfoQuery run_gpu_info_query(DeviceIo &dev)
{
	GpuInfoQuery q;
	q.ret = query_gpu_info(dev, &q.info);
	return q;
}

namespace {

std::string hex(std::uint64_t v, int width)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "0x%0*llx", width, static_cast<unsigned long long>(v));
	return buf;
}

} // namespace

std::string gpu_arch(std::uint32_t gpu_id)
{
	return std::to_string(gpu_id >> 24) + "." + std::to_string((gpu_id >> 16) & 0xff);
}

std::string gpu_product(std::uint32_t gpu_id)
{
	return hex(gpu_id & 0xffff, 4);
}

std::string fw_version_string(std::uint32_t fw)
{
	return std::to_string(fw >> 24) + "." + std::to_string((fw >> 16) & 0xff) + "." +
	       std::to_string(fw & 0xffff);
}

std::string feature_names(std::uint64_t features)
{
	static const std::pair<std::uint64_t, const char *> known[] = {
		{DRM_REFGPU_FEATURE_MMU, "MMU"},
		{DRM_REFGPU_FEATURE_DOORBELL, "DOORBELL"},
		{DRM_REFGPU_FEATURE_TIMESTAMP, "TIMESTAMP"},
	};
	std::string s;
	std::uint64_t rest = features;
	for (const auto &[bit, name] : known) {
		if (features & bit) {
			s += s.empty() ? "" : "|";
			s += name;
			rest &= ~bit;
		}
	}
	if (rest) {
		s += s.empty() ? "" : "|";
		s += "unknown(" + hex(rest, 1) + ")";
	}
	return s.empty() ? "none" : s;
}

std::string byte_size(std::uint64_t bytes)
{
	std::string s = std::to_string(bytes);
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	std::uint64_t v = bytes;
	const char *unit = nullptr;
	for (const char *u : units) {
		if (v < 1024 || v % 1024)
			break;
		v /= 1024;
		unit = u;
	}
	if (unit)
		s += " (" + std::to_string(v) + " " + unit + ")";
	return s;
}

std::vector<std::pair<std::string, std::string>> decode_gpu_info(const GpuInfoQuery &q)
{
	const drm_refgpu_gpu_info &i = q.info;
	bool ok = q.ret == 0;
	auto v = [ok](std::string s) { return ok ? s : std::string("-"); };
	return {
		{"DEV_QUERY return", ret_name(q.ret)},
		{"gpu_id", v(hex(i.gpu_id, 8))},
		{"  arch", v(gpu_arch(i.gpu_id))},
		{"  product", v(gpu_product(i.gpu_id))},
		{"fw_version", v(hex(i.fw_version, 8))},
		{"  version", v(fw_version_string(i.fw_version))},
		{"features", v(hex(i.features, 1))},
		{"  names", v(feature_names(i.features))},
		{"va_bits", v(std::to_string(i.va_bits))},
		{"pa_bits", v(std::to_string(i.pa_bits))},
		{"doorbell_count", v(std::to_string(i.doorbell_count))},
		{"pad", v(std::to_string(i.pad))},
		{"max_bo_size", v(byte_size(i.max_bo_size))},
	};
}

bool gpu_info_equal(const GpuInfoQuery &a, const GpuInfoQuery &b)
{
	return decode_gpu_info(a) == decode_gpu_info(b);
}

std::string format_query(const std::string &label_c, const GpuInfoQuery &c,
			 const std::string &label_cpp, const GpuInfoQuery &cpp)
{
	auto rc = decode_gpu_info(c), rcpp = decode_gpu_info(cpp);
	std::size_t wl = 5, wc = label_c.size();
	for (std::size_t k = 0; k < rc.size(); k++) {
		wl = std::max(wl, rc[k].first.size());
		wc = std::max(wc, rc[k].second.size());
	}
	auto pad = [](const std::string &s, std::size_t w) {
		return s + std::string(w > s.size() ? w - s.size() : 0, ' ');
	};
	std::ostringstream o;
	o << "   " << pad("field", wl) << " | " << pad(label_c, wc) << " | " << label_cpp << '\n';
	o << "   " << std::string(wl, '-') << "-+-" << std::string(wc, '-') << "-+-"
	  << std::string(std::max<std::size_t>(label_cpp.size(), 8), '-') << '\n';
	for (std::size_t k = 0; k < rc.size(); k++) {
		bool d = rc[k].second != rcpp[k].second;
		o << (d ? ">> " : "   ") << pad(rc[k].first, wl) << " | " << pad(rc[k].second, wc)
		  << " | " << rcpp[k].second << '\n';
	}
	bool eq = gpu_info_equal(c, cpp);
	o << "GPU info: " << (eq ? "equal" : "DIFFERENT") << '\n';
	return o.str();
}

} // namespace refgpu::equiv
