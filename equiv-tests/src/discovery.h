// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// Finds the two refgpu render nodes: one bound to the C driver, one to the
// C++ driver. The sysfs and /dev roots and the DRM_IOCTL_VERSION name read
// are injectable so the logic runs against a fake tree in unit tests.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace refgpu::equiv {

inline constexpr const char *kDrmName = "refgpu";

// Result of reading the DRM driver name of a device node.
struct NameRead {
	bool ok = false;
	std::string name;  // when ok
	std::string error; // when !ok
};
using NameReader = std::function<NameRead(const std::filesystem::path &dev_node)>;

// Opens the node and issues DRM_IOCTL_VERSION.
NameRead read_drm_name_ioctl(const std::filesystem::path &dev_node);

struct DiscoveryConfig {
	std::filesystem::path sysfs_root = "/sys";
	std::filesystem::path dev_root = "/dev";
	std::string c_driver = "refgpu_c";
	std::string cpp_driver = "refgpu_cpp";
	NameReader read_name = read_drm_name_ioctl;
};

// One render node as seen by discovery.
struct RenderNode {
	std::string node;             // "renderD128"
	std::filesystem::path dev;    // <dev_root>/dri/renderD128
	std::string drm_name;         // DRM_IOCTL_VERSION name ("" if unreadable)
	std::string name_error;       // why the name could not be read
	std::string driver;           // basename of device/driver ("" if unbound)
};

struct NodePair {
	RenderNode c;
	RenderNode cpp;
};

struct DiscoveryResult {
	bool ok = false;
	NodePair nodes;                // when ok
	std::string error;             // when !ok: a readable, multi-line message
	std::vector<RenderNode> scanned; // every renderD* node, sorted by minor
};

DiscoveryResult discover_nodes(const DiscoveryConfig &cfg);

} // namespace refgpu::equiv
