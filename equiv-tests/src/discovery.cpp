// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "discovery.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <system_error>

#include "uapi.h"

namespace fs = std::filesystem;

namespace refgpu::equiv {

NameRead read_drm_name_ioctl(const fs::path &dev_node)
{
	int err = 0;
	NodeDevice dev = NodeDevice::open(dev_node, &err);
	if (!dev.valid())
		return {false, {}, "cannot open " + dev_node.string() + ": " + std::strerror(err)};
	DrmVersion v;
	int ret = drm_version(dev, &v);
	if (ret)
		return {false, {}, "DRM_IOCTL_VERSION on " + dev_node.string() + " failed: " + ret_name(ret)};
	return {true, v.name, {}};
}

namespace {

// "renderD<digits>" -> minor, or -1.
long render_minor(const std::string &name)
{
	constexpr std::string_view prefix = "renderD";
	if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
		return -1;
	long v = 0;
	for (std::size_t i = prefix.size(); i < name.size(); i++) {
		if (name[i] < '0' || name[i] > '9' || v > 1000000)
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

std::string describe(const RenderNode &n)
{
	std::string s = n.node + " (";
	s += n.drm_name.empty() ? "name unreadable" : "DRM name \"" + n.drm_name + "\"";
	s += ", driver " + (n.driver.empty() ? std::string("<none>") : n.driver) + ")";
	return s;
}

} // namespace

DiscoveryResult discover_nodes(const DiscoveryConfig &cfg)
{
	DiscoveryResult res;
	const fs::path class_drm = cfg.sysfs_root / "class" / "drm";

	std::error_code ec;
	fs::directory_iterator it(class_drm, ec);
	if (ec) {
		res.error = "cannot scan " + class_drm.string() + ": " + ec.message() +
			    " (is this a Linux host with DRM? use --nodes C_NODE,CPP_NODE to bypass discovery)";
		return res;
	}
	std::vector<std::pair<long, std::string>> names;
	for (; it != fs::directory_iterator(); it.increment(ec)) {
		if (ec)
			break;
		std::string name = it->path().filename().string();
		long minor = render_minor(name);
		if (minor >= 0)
			names.emplace_back(minor, name);
	}
	std::sort(names.begin(), names.end());

	for (const auto &[minor, name] : names) {
		RenderNode n;
		n.node = name;
		n.dev = cfg.dev_root / "dri" / name;
		std::error_code lec;
		fs::path target = fs::read_symlink(class_drm / name / "device" / "driver", lec);
		if (!lec)
			n.driver = target.filename().string();
		NameRead nr = cfg.read_name ? cfg.read_name(n.dev) : NameRead{false, {}, "no name reader"};
		if (nr.ok)
			n.drm_name = nr.name;
		else
			n.name_error = nr.error;
		res.scanned.push_back(std::move(n));
	}

	std::vector<const RenderNode *> c_nodes, cpp_nodes, other_refgpu;
	for (const RenderNode &n : res.scanned) {
		if (n.drm_name != kDrmName)
			continue;
		if (n.driver == cfg.c_driver)
			c_nodes.push_back(&n);
		else if (n.driver == cfg.cpp_driver)
			cpp_nodes.push_back(&n);
		else
			other_refgpu.push_back(&n);
	}

	std::ostringstream err;
	auto check = [&](const std::vector<const RenderNode *> &v, const std::string &driver,
			 const char *what) {
		if (v.size() == 1)
			return true;
		if (v.empty()) {
			err << "no render node with DRM name \"" << kDrmName << "\" is bound to the "
			    << what << " driver '" << driver << "'\n";
		} else {
			err << v.size() << " render nodes with DRM name \"" << kDrmName
			    << "\" are bound to the " << what << " driver '" << driver
			    << "', expected exactly one:";
			for (const RenderNode *n : v)
				err << ' ' << n->node;
			err << '\n';
		}
		return false;
	};
	bool ok_c = check(c_nodes, cfg.c_driver, "C");
	bool ok_cpp = check(cpp_nodes, cfg.cpp_driver, "C++");
	if (ok_c && ok_cpp) {
		res.ok = true;
		res.nodes.c = *c_nodes.front();
		res.nodes.cpp = *cpp_nodes.front();
		return res;
	}

	if (res.scanned.empty()) {
		err << "no render node (renderD*) under " << class_drm.string() << '\n';
	} else {
		err << "render nodes scanned under " << class_drm.string() << ":\n";
		for (const RenderNode &n : res.scanned) {
			err << "  " << describe(n);
			if (!n.name_error.empty())
				err << ": " << n.name_error;
			err << '\n';
		}
	}
	if (!other_refgpu.empty())
		err << "(refgpu nodes bound to other drivers are ignored; see --c-driver/--cpp-driver)\n";
	err << "use --nodes C_NODE,CPP_NODE to name the two nodes explicitly";
	res.error = err.str();
	return res;
}

} // namespace refgpu::equiv
