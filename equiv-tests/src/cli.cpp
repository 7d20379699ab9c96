// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "cli.h"

#include <cstring>

#include "compare.h"
#include "discovery.h"
#include "query.h"
#include "script.h"
#include "uapi.h"

namespace refgpu::equiv {

std::string usage(const std::string &prog)
{
	return "usage: " + prog + R"( [options]

Checks that the two refgpu DRM drivers (C and C++) are indistinguishable
from userspace: runs the same scripted ioctl sequence on a fresh fd of each
driver's render node and compares every return code and output.

options:
  --nodes C_NODE,CPP_NODE  use these device nodes (C driver first) instead of
                           discovering them through sysfs
  --c-driver NAME          sysfs driver name of the C driver (default refgpu_c)
  --cpp-driver NAME        sysfs driver name of the C++ driver
                           (default refgpu_cpp)
  --sysfs-root DIR         sysfs mount point for discovery (default /sys)
  --dev-root DIR           /dev directory for discovery (default /dev)
  --query                  only show both drivers' DEV_QUERY GPU info side
                           by side, decoded, and whether they are equal
  --plant-divergence       perturb one recorded C++ value before comparing,
                           to prove that the verdict path fails (exits 1)
  --full-table             on divergence, show every step in the table, not
                           only the differing ones
  -h, --help               show this help

Discovery keeps the render nodes whose DRM_IOCTL_VERSION name is "refgpu" and
requires exactly one bound to each driver (the basename of
<sysfs>/class/drm/renderDN/device/driver).

exit status: 0 equivalent (or --query: GPU info equal), 1 divergence,
2 usage error, discovery failure or a node that cannot be opened.
)";
}

ParsedArgs parse_args(const std::vector<std::string> &args)
{
	ParsedArgs p;
	Options &o = p.opts;
	for (std::size_t i = 0; i < args.size(); i++) {
		std::string a = args[i];
		std::string value;
		bool has_value = false;
		if (a.rfind("--", 0) == 0) {
			auto eq = a.find('=');
			if (eq != std::string::npos) {
				value = a.substr(eq + 1);
				a = a.substr(0, eq);
				has_value = true;
			}
		}
		auto need_value = [&](std::string *dst) {
			if (!has_value) {
				if (i + 1 >= args.size()) {
					p.error = "option " + a + " needs a value";
					return false;
				}
				value = args[++i];
			}
			if (value.empty()) {
				p.error = "option " + a + " needs a non-empty value";
				return false;
			}
			*dst = value;
			return true;
		};
		auto no_value = [&](bool *dst) {
			if (has_value) {
				p.error = "option " + a + " takes no value";
				return false;
			}
			*dst = true;
			return true;
		};
		bool ok;
		if (a == "-h" || a == "--help") {
			ok = no_value(&o.help);
		} else if (a == "--query") {
			ok = no_value(&o.query);
		} else if (a == "--plant-divergence") {
			ok = no_value(&o.plant_divergence);
		} else if (a == "--full-table") {
			ok = no_value(&o.full_table);
		} else if (a == "--c-driver") {
			ok = need_value(&o.c_driver);
		} else if (a == "--cpp-driver") {
			ok = need_value(&o.cpp_driver);
		} else if (a == "--sysfs-root") {
			ok = need_value(&o.sysfs_root);
		} else if (a == "--dev-root") {
			ok = need_value(&o.dev_root);
		} else if (a == "--nodes") {
			std::string v;
			ok = need_value(&v);
			if (ok) {
				auto comma = v.find(',');
				if (comma == std::string::npos || comma == 0 || comma + 1 == v.size() ||
				    v.find(',', comma + 1) != std::string::npos) {
					p.error = "--nodes wants C_NODE,CPP_NODE, got '" + v + "'";
					ok = false;
				} else {
					o.node_c = v.substr(0, comma);
					o.node_cpp = v.substr(comma + 1);
					o.nodes_given = true;
				}
			}
		} else {
			p.error = "unknown argument '" + args[i] + "'";
			ok = false;
		}
		if (!ok)
			return p;
	}
	if (o.query && o.plant_divergence) {
		p.error = "--plant-divergence does not apply to --query";
		return p;
	}
	p.ok = true;
	return p;
}

std::unique_ptr<DeviceIo> open_render_node(const std::string &path, std::string *error)
{
	int e = 0;
	auto dev = std::make_unique<NodeDevice>(NodeDevice::open(path, &e));
	if (!dev->valid()) {
		*error = "cannot open " + path + ": " + std::strerror(e);
		return nullptr;
	}
	return dev;
}

namespace {

NameRead read_name(const DeviceOpener &open, const std::string &path)
{
	std::string e;
	std::unique_ptr<DeviceIo> dev = open(path, &e);
	if (!dev)
		return {false, {}, e};
	DrmVersion v;
	int ret = drm_version(*dev, &v);
	if (ret)
		return {false, {}, "DRM_IOCTL_VERSION on " + path + " failed: " + ret_name(ret)};
	return {true, v.name, {}};
}

} // namespace

int run_main(const Options &opts, std::string &out, std::string &err, const DeviceOpener &open)
{
	const std::string me = "refgpu-equiv: ";
	std::string path_c, path_cpp, label_c, label_cpp;
	if (opts.nodes_given) {
		path_c = opts.node_c;
		path_cpp = opts.node_cpp;
		label_c = "C (" + path_c + ")";
		label_cpp = "C++ (" + path_cpp + ")";
		for (const std::string &p : {path_c, path_cpp}) {
			NameRead nr = read_name(open, p);
			if (!nr.ok) {
				err += me + "error: " + nr.error + "\n";
				return kExitSetupError;
			}
			if (nr.name != kDrmName) {
				err += me + "error: " + p + " is DRM driver \"" + nr.name +
				       "\", not \"" + kDrmName + "\"\n";
				return kExitSetupError;
			}
		}
	} else {
		DiscoveryConfig cfg;
		cfg.sysfs_root = opts.sysfs_root;
		cfg.dev_root = opts.dev_root;
		cfg.c_driver = opts.c_driver;
		cfg.cpp_driver = opts.cpp_driver;
		cfg.read_name = [&open](const std::filesystem::path &p) {
			return read_name(open, p.string());
		};
		DiscoveryResult d = discover_nodes(cfg);
		if (!d.ok) {
			err += me + "error: cannot find the two refgpu render nodes\n" + d.error + "\n";
			return kExitSetupError;
		}
		path_c = d.nodes.c.dev.string();
		path_cpp = d.nodes.cpp.dev.string();
		label_c = "C (" + d.nodes.c.node + ", " + d.nodes.c.driver + ")";
		label_cpp = "C++ (" + d.nodes.cpp.node + ", " + d.nodes.cpp.driver + ")";
	}
	out += "C node:   " + path_c + "\nC++ node: " + path_cpp + "\n";

	// A fresh fd per node for what follows.
	std::string e;
	std::unique_ptr<DeviceIo> dev_c = open(path_c, &e);
	std::unique_ptr<DeviceIo> dev_cpp = dev_c ? open(path_cpp, &e) : nullptr;
	if (!dev_c || !dev_cpp) {
		err += me + "error: " + e + "\n";
		return kExitSetupError;
	}

	if (opts.query) {
		GpuInfoQuery qc = run_gpu_info_query(*dev_c);
		GpuInfoQuery qcpp = run_gpu_info_query(*dev_cpp);
		out += format_query(label_c, qc, label_cpp, qcpp);
		bool ok = qc.ret == 0 && qcpp.ret == 0 && gpu_info_equal(qc, qcpp);
		return ok ? kExitEquivalent : kExitDivergence;
	}

	ScriptRun run_c = run_script(*dev_c);
	ScriptRun run_cpp = run_script(*dev_cpp);
	if (opts.plant_divergence)
		out += plant_divergence(run_cpp.results).describe() + "\n";

	Comparison cmp = compare_results(run_c.results, run_cpp.results);
	if (cmp.equivalent && run_c.ioctls == run_cpp.ioctls) {
		out += format_success(run_c.results, run_c.ioctls);
		return kExitEquivalent;
	}
	out += format_diff(cmp, opts.full_table);
	if (run_c.ioctls != run_cpp.ioctls)
		out += "ioctl count differs: C issued " + std::to_string(run_c.ioctls) +
		       ", C++ issued " + std::to_string(run_cpp.ioctls) + "\n";
	out += "compared " + std::to_string(run_c.ioctls) + " ioctls: NOT equivalent\n";
	return kExitDivergence;
}

} // namespace refgpu::equiv
