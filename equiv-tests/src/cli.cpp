// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "cli.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "compare.h"
#include "discovery.h"
#include "kbench.h"
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
  --bench                  instead of the script, time a few operations on
                           both drivers and print figures: per operation the
                           C++/C ratio with a 95% confidence interval over
                           paired rounds in ABBA order, beside A/A controls
                           (each driver against a second fd of its own node),
                           DRM-core-only operations apart as the floor. No
                           thresholds: exits 0 when every measured call
                           succeeded, 1 (with the errno) when one failed
  --bench-rounds N         --bench: paired rounds per operation after the
                           warm-up (at least 2, default 32)
  --bench-iters F          --bench: multiply every operation's iterations
                           per round by F (a positive number, default 1,
                           about 20-300 ms windows on the ci/ UML kernel;
                           e.g. 0.1 for a quick look, 10 on real hardware)
  --bench-kernel           --bench: time the handlers inside the kernel
                           instead (module refgpu_kbench, ci/bench-module/,
                           must be loaded): each window is N drm_ioctl()
                           calls on the same fds, timed by ktime_get_ns(),
                           without the syscall entry; same method
  --kbench-file PATH       --bench-kernel: the module's file (default
                           /sys/kernel/debug/refgpu_kbench/run)
  --fault-inject           instead of the script, drive both drivers down
                           their allocation-failure paths with the kernel's
                           per-task fail-nth: for each operation (BO_CREATE
                           4 KiB; BO_CREATE 1 MiB + BO_MMAP_OFFSET + mmap +
                           touch + munmap + GEM_CLOSE; SYNCOBJ_CREATE;
                           DEV_QUERY GPU_INFO; open of the node + VERSION +
                           close) and each driver, fail its 1st, 2nd, ...
                           fault point until a run passes without one.
                           Checked per driver: every failure was injected
                           and returned an errno its step documents
                           (refgpu_drm.h, open(2), mmap(2)), every success
                           returned the right outputs, nothing leaked (the
                           next BO and syncobj handles are unchanged) and
                           the driver still works. Then, per operation,
                           the set of outcomes (failing step and errno or
                           ok, what was left to clean up) must be the same
                           on both drivers; how many fault points each hit
                           is shown side by side but not compared: it
                           depends on allocator state. Needs
                           CONFIG_FAULT_INJECTION (and FAILSLAB,
                           FAIL_PAGE_ALLOC with their debugfs knobs set)
  --fault-bind             instead of the script, bind and unbind each
                           driver's device through sysfs with fail-nth
                           armed (probe and remove run in the writer's
                           context), n = 1, 2, ... until a run passes
                           without a fault: a failed probe must leave the
                           device unbound with no DRM minor and bindable
                           again; the outcome sets must be the same on
                           both drivers; both devices end bound. Needs
                           discovery (not --nodes) and no open client
  --fault-max N            --fault-inject: give up on an operation, as a
                           violation, when the fault is still injected at
                           n = N (default 1000)
  --fail-nth-file PATH     --fault-inject: the fail-nth file (default
                           /proc/thread-self/fail-nth; for tests)
  --stress N               instead of the script, race BO_CREATE against
                           GEM_CLOSE: on one fd of each driver (C, then
                           C++), threads each run N iterations of BO_CREATE
                           4 KiB, BO_MMAP_OFFSET and GEM_CLOSE of a handle
                           another thread is likely to hold (handles are
                           the lowest free ones) and GEM_CLOSE of their
                           own. Every result must be documented (0, or
                           -ENOENT/-EINVAL for a handle already closed) and
                           no handle may be left afterwards (a new BO gets
                           handle 1). Run it under KASAN and kmemleak
  --stress-threads T       --stress: threads per driver (2-64, default 4)
  --stress-seconds S       --stress: time bound per driver, 1-3600 s
                           (default 60); the threads stop there, which is
                           reported but is not a failure
  -h, --help               show this help

Discovery keeps the render nodes whose DRM_IOCTL_VERSION name is "refgpu" and
requires exactly one bound to each driver (the basename of
<sysfs>/class/drm/renderDN/device/driver).

exit status: 0 equivalent and every documented outcome met (or --query: GPU
info equal; --bench: figures printed; --fault-inject, --stress: no
violation), 1 divergence or a documented outcome not met (--bench: a measured
call failed; --fault-inject, --stress: a violation on either driver,
--fault-max included), 2 usage error, discovery failure, a node that cannot
be opened, or (--fault-inject) no usable fail-nth file.
)";
}

namespace {

constexpr unsigned kMaxBenchRounds = 1000;
constexpr unsigned kMaxFaultMax = 100000;
constexpr double kMaxBenchIters = 1000;
constexpr unsigned kMaxStressIters = 10000000;
constexpr unsigned kMaxStressThreads = 64;
constexpr unsigned kMaxStressSeconds = 3600;

// Decimal integer in [lo, hi], nothing else.
bool parse_count(const std::string &s, unsigned lo, unsigned hi, unsigned *out)
{
	if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
		return false;
	unsigned long v = std::stoul(s);
	if (v < lo || v > hi)
		return false;
	*out = static_cast<unsigned>(v);
	return true;
}

// Finite number in (0, hi], nothing else.
bool parse_scale(const std::string &s, double hi, double *out)
{
	if (s.empty() || s.find_first_not_of("0123456789.eE+-") != std::string::npos)
		return false;
	char *end = nullptr;
	errno = 0;
	double v = std::strtod(s.c_str(), &end);
	if (errno || end != s.c_str() + s.size() || !std::isfinite(v) || v <= 0 || v > hi)
		return false;
	*out = v;
	return true;
}

} // namespace

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
		} else if (a == "--bench") {
			ok = no_value(&o.bench);
		} else if (a == "--bench-rounds") {
			std::string v;
			ok = need_value(&v);
			if (ok && !parse_count(v, kMinBenchRounds, kMaxBenchRounds, &o.bench_rounds)) {
				p.error = "--bench-rounds wants an integer from " +
					  std::to_string(kMinBenchRounds) + " to " +
					  std::to_string(kMaxBenchRounds) + ", got '" + v + "'";
				ok = false;
			}
			o.bench_tuned = true;
		} else if (a == "--bench-iters") {
			std::string v;
			ok = need_value(&v);
			if (ok && !parse_scale(v, kMaxBenchIters, &o.bench_iters)) {
				p.error = "--bench-iters wants a number > 0 and <= " +
					  std::to_string(static_cast<int>(kMaxBenchIters)) + ", got '" + v +
					  "'";
				ok = false;
			}
			o.bench_tuned = true;
		} else if (a == "--bench-kernel") {
			ok = no_value(&o.bench_kernel);
			o.bench_tuned = true;
		} else if (a == "--kbench-file") {
			ok = need_value(&o.kbench_path);
			o.bench_tuned = true;
		} else if (a == "--fault-inject") {
			ok = no_value(&o.fault_inject);
		} else if (a == "--fault-bind") {
			ok = no_value(&o.fault_bind);
		} else if (a == "--fault-max") {
			std::string v;
			ok = need_value(&v);
			if (ok && !parse_count(v, 1, kMaxFaultMax, &o.fault_max)) {
				p.error = "--fault-max wants an integer from 1 to " +
					  std::to_string(kMaxFaultMax) + ", got '" + v + "'";
				ok = false;
			}
			o.fault_tuned = true;
		} else if (a == "--fail-nth-file") {
			ok = need_value(&o.fail_nth_path);
			o.fault_tuned = true;
		} else if (a == "--stress") {
			std::string v;
			ok = need_value(&v);
			if (ok && !parse_count(v, 1, kMaxStressIters, &o.stress_iters)) {
				p.error = "--stress wants an iteration count from 1 to " +
					  std::to_string(kMaxStressIters) + ", got '" + v + "'";
				ok = false;
			}
			o.stress = true;
		} else if (a == "--stress-threads") {
			std::string v;
			ok = need_value(&v);
			if (ok && !parse_count(v, 2, kMaxStressThreads, &o.stress_threads)) {
				p.error = "--stress-threads wants an integer from 2 to " +
					  std::to_string(kMaxStressThreads) + ", got '" + v + "'";
				ok = false;
			}
			o.stress_tuned = true;
		} else if (a == "--stress-seconds") {
			std::string v;
			ok = need_value(&v);
			if (ok && !parse_count(v, 1, kMaxStressSeconds, &o.stress_seconds)) {
				p.error = "--stress-seconds wants an integer from 1 to " +
					  std::to_string(kMaxStressSeconds) + ", got '" + v + "'";
				ok = false;
			}
			o.stress_tuned = true;
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
				} else if (v.substr(0, comma) == v.substr(comma + 1)) {
					p.error = "--nodes names the same node twice ('" + v +
						  "'): the C and the C++ node must differ";
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
	if (o.bench && (o.query || o.plant_divergence || o.full_table)) {
		p.error = "--bench does not combine with --query, --plant-divergence or --full-table";
		return p;
	}
	if (o.fault_inject && (o.bench || o.query || o.plant_divergence || o.full_table)) {
		p.error = "--fault-inject does not combine with --bench, --query, --plant-divergence "
			  "or --full-table";
		return p;
	}
	if (o.fault_bind && (o.fault_inject || o.bench || o.query || o.plant_divergence ||
			     o.full_table || o.nodes_given || o.stress)) {
		p.error = "--fault-bind does not combine with --fault-inject, --bench, --query, "
			  "--plant-divergence, --full-table, --nodes or --stress";
		return p;
	}
	if (o.stress && (o.fault_inject || o.bench || o.query || o.plant_divergence || o.full_table)) {
		p.error = "--stress does not combine with --fault-inject, --bench, --query, "
			  "--plant-divergence or --full-table";
		return p;
	}
	if (o.stress_tuned && !o.stress) {
		p.error = "--stress-threads and --stress-seconds only apply to --stress";
		return p;
	}
	if (o.fault_tuned && !o.fault_inject && !o.fault_bind) {
		p.error = "--fault-max and --fail-nth-file only apply to --fault-inject and --fault-bind";
		return p;
	}
	if (o.bench_tuned && !o.bench) {
		p.error = "--bench-rounds, --bench-iters, --bench-kernel and --kbench-file only apply "
			  "to --bench";
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

using OpenDevices = std::map<std::string, std::unique_ptr<DeviceIo>>;

// keep: when set, the opened device is kept there (by path) if its name is
// kDrmName, so that it can be used again without a second open.
NameRead read_name(const DeviceOpener &open, const std::string &path, OpenDevices *keep = nullptr)
{
	std::string e;
	std::unique_ptr<DeviceIo> dev = open(path, &e);
	if (!dev)
		return {false, {}, e};
	DrmVersion v;
	int ret = drm_version(*dev, &v);
	if (ret)
		return {false, {}, "DRM_IOCTL_VERSION on " + path + " failed: " + ret_name(ret)};
	if (keep && v.name == kDrmName)
		(*keep)[path] = std::move(dev);
	return {true, v.name, {}};
}

// --fault-bind, after discovery (no node of ours is open).
int run_fault_bind_main(const Options &opts, const NodePair &nodes, FailNth &fail_nth,
			const std::function<std::unique_ptr<PlatformBus>()> &bus_factory,
			std::string &out, std::string &err)
{
	const std::string me = "refgpu-equiv: ";
	BindTarget c{"", nodes.c.driver, platform_device_of(opts.sysfs_root, nodes.c.node)};
	BindTarget cpp{"", nodes.cpp.driver, platform_device_of(opts.sysfs_root, nodes.cpp.node)};
	for (BindTarget *t : {&c, &cpp}) {
		if (t->device.empty()) {
			err += me + "error: fault-bind: no platform device behind a render node of " +
			       t->driver + "\n";
			return kExitSetupError;
		}
		t->label = std::string(t == &c ? "C" : "C++") + " (" + t->device + ", " + t->driver + ")";
	}
	out += "C device:   " + c.device + " (" + c.driver + ")\nC++ device: " + cpp.device + " (" +
	       cpp.driver + ")\n";
	std::unique_ptr<PlatformBus> bus =
		bus_factory ? bus_factory() : sysfs_platform_bus(opts.sysfs_root, opts.dev_root);
	FaultReport rep = run_fault_bind(*bus, c, cpp, fail_nth, opts.fault_max);
	out += format_fault_bind_report(rep);
	if (!rep.violations.empty())
		err += me + "error: fault-bind: " + std::to_string(rep.violations.size()) +
		       " violation(s), listed above\n";
	if (!rep.fatal.empty()) {
		err += me + "error: fault-bind: " + rep.fatal + "\n";
		return kExitSetupError;
	}
	return rep.ok() ? kExitEquivalent : kExitFaultFailed;
}

// The device kept for path by read_name, else a fresh open.
std::unique_ptr<DeviceIo> take_or_open(OpenDevices &kept, const DeviceOpener &open,
				       const std::string &path, std::string *error)
{
	auto it = kept.find(path);
	if (it == kept.end())
		return open(path, error);
	std::unique_ptr<DeviceIo> dev = std::move(it->second);
	kept.erase(it);
	return dev;
}

} // namespace

int run_main(const Options &opts, std::string &out, std::string &err, const DeviceOpener &open,
	     const std::function<std::uint64_t()> &bench_clock, const NodeOpenerFactory &node_opener,
	     const std::function<std::unique_ptr<PlatformBus>()> &bus)
{
	const std::string me = "refgpu-equiv: ";
	// --fault-inject: this thread's fail-nth, opened once, before anything else.
	FailNth fail_nth;
	if (opts.fault_inject || opts.fault_bind) {
		int e = 0;
		fail_nth = FailNth::open(opts.fail_nth_path, &e);
		if (!fail_nth.valid()) {
			if (e == ENOENT)
				err += me + "error: " + opts.fail_nth_path +
				       " does not exist: this kernel has no fault injection "
				       "(CONFIG_FAULT_INJECTION), which --fault-inject needs\n";
			else
				err += me + "error: cannot open " + opts.fail_nth_path + ": " +
				       std::strerror(e) + "\n";
			return kExitSetupError;
		}
	}
	std::string path_c, path_cpp, label_c, label_cpp;
	// --bench measures on the fds of the name check: one open per node.
	OpenDevices kept;
	OpenDevices *keep = opts.bench ? &kept : nullptr;
	if (opts.nodes_given) {
		path_c = opts.node_c;
		path_cpp = opts.node_cpp;
		label_c = "C (" + path_c + ")";
		label_cpp = "C++ (" + path_cpp + ")";
		// Two spellings of one device node (a symlink, "..") compare a
		// driver with itself: refused like "--nodes X,X".
		struct stat sc {}, scpp {};
		if (::stat(path_c.c_str(), &sc) == 0 && ::stat(path_cpp.c_str(), &scpp) == 0 &&
		    S_ISCHR(sc.st_mode) && S_ISCHR(scpp.st_mode) && sc.st_rdev == scpp.st_rdev) {
			err += me + "error: --nodes: " + path_c + " and " + path_cpp +
			       " are the same device node: the C and the C++ node must differ\n";
			return kExitSetupError;
		}
		for (const std::string &p : {path_c, path_cpp}) {
			NameRead nr = read_name(open, p, keep);
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
		cfg.read_name = [&open, keep](const std::filesystem::path &p) {
			return read_name(open, p.string(), keep);
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
		if (opts.fault_bind) {
			kept.clear();
			return run_fault_bind_main(opts, d.nodes, fail_nth, bus, out, err);
		}
	}
	out += "C node:   " + path_c + "\nC++ node: " + path_cpp + "\n";

	// A fresh fd per node for what follows (--bench: the one already open).
	std::string e;
	std::unique_ptr<DeviceIo> dev_c = take_or_open(kept, open, path_c, &e);
	std::unique_ptr<DeviceIo> dev_cpp = dev_c ? take_or_open(kept, open, path_cpp, &e) : nullptr;
	kept.clear(); // other refgpu nodes seen by discovery
	if (!dev_c || !dev_cpp) {
		err += me + "error: " + e + "\n";
		return kExitSetupError;
	}

	if (opts.bench) {
		BenchConfig cfg;
		cfg.rounds = opts.bench_rounds;
		cfg.iters_scale = opts.bench_iters;
		if (bench_clock)
			cfg.now = bench_clock;
		cfg.label_c = label_c;
		cfg.label_cpp = label_cpp;
		// The A/A controls: a second fd on each node.
		std::unique_ptr<DeviceIo> aa_c = open(path_c, &e);
		std::unique_ptr<DeviceIo> aa_cpp = aa_c ? open(path_cpp, &e) : nullptr;
		if (!aa_c || !aa_cpp) {
			err += me + "error: " + e + "\n";
			return kExitSetupError;
		}
		BenchReport rep;
		if (opts.bench_kernel) {
			Fd kb(::open(opts.kbench_path.c_str(), O_RDWR | O_CLOEXEC));
			if (!kb.valid()) {
				err += me + "error: --bench-kernel: cannot open " + opts.kbench_path +
				       ": " + std::strerror(errno) +
				       " (is the refgpu_kbench module loaded? ci/bench-module/)\n";
				return kExitSetupError;
			}
			const int kfd = kb.get();
			KbenchRun run = [kfd](refgpu_kbench_window &w) {
				return raw_ioctl(kfd, REFGPU_KBENCH_IOCTL_RUN, &w);
			};
			cfg.clock = kKbenchClock;
			rep = run_bench({*dev_c, *aa_c, *dev_cpp, *aa_cpp}, kernel_bench_ops(run), cfg);
		} else {
			rep = run_bench({*dev_c, *aa_c, *dev_cpp, *aa_cpp}, cfg);
		}
		if (!rep.ok) {
			err += me + "error: " + rep.error + "\n" + me +
			       "benchmark aborted: no figures for failing calls\n";
			return kExitBenchFailed;
		}
		out += format_bench(rep);
		return kExitEquivalent;
	}

	if (opts.fault_inject) {
		std::unique_ptr<NodeOpener> node_c = node_opener(path_c);
		std::unique_ptr<NodeOpener> node_cpp = node_opener(path_cpp);
		FaultDriver fc{*dev_c, *node_c, label_c};
		FaultDriver fcpp{*dev_cpp, *node_cpp, label_cpp};
		FaultConfig cfg;
		cfg.max_n = opts.fault_max;
		FaultReport rep = run_fault_inject(fc, fcpp, fail_nth, cfg);
		out += format_fault_report(rep);
		if (!rep.violations.empty())
			err += me + "error: fault-inject: " + std::to_string(rep.violations.size()) +
			       " violation(s), listed above\n";
		if (!rep.fatal.empty()) {
			err += me + "error: fault-inject: " + rep.fatal + "\n";
			return kExitSetupError;
		}
		return rep.ok() ? kExitEquivalent : kExitFaultFailed;
	}

	if (opts.stress) {
		StressConfig cfg;
		cfg.iters = opts.stress_iters;
		cfg.threads = opts.stress_threads;
		cfg.seconds = opts.stress_seconds;
		StressSide sc = run_stress(*dev_c, label_c, cfg);
		StressSide scpp = run_stress(*dev_cpp, label_cpp, cfg);
		out += format_stress(cfg, sc, scpp);
		if (!sc.ok() || !scpp.ok()) {
			err += me + "error: stress: " +
			       std::to_string(sc.violations_total + scpp.violations_total) +
			       " violation(s), listed above\n";
			return kExitStressFailed;
		}
		return kExitEquivalent;
	}

	if (opts.query) {
		GpuInfoQuery qc = run_gpu_info_query(*dev_c);
		GpuInfoQuery qcpp = run_gpu_info_query(*dev_cpp);
		out += format_query(label_c, qc, label_cpp, qcpp);
		bool ok = qc.ret == 0 && qcpp.ret == 0 && gpu_info_equal(qc, qcpp);
		return ok ? kExitEquivalent : kExitDivergence;
	}

	// The peers, for PRIME between the devices: a second fresh fd of each
	// node, the C++ one for the C run and the C one for the C++ run.
	std::unique_ptr<DeviceIo> peer_of_c = open(path_cpp, &e);
	std::unique_ptr<DeviceIo> peer_of_cpp = peer_of_c ? open(path_c, &e) : nullptr;
	if (!peer_of_c || !peer_of_cpp) {
		err += me + "error: " + e + "\n";
		return kExitSetupError;
	}
	ScriptRun run_c = run_script(*dev_c, *peer_of_c);
	ScriptRun run_cpp = run_script(*dev_cpp, *peer_of_cpp);
	if (opts.plant_divergence)
		out += plant_divergence(run_cpp.results).describe() + "\n";

	// Relative (C against C++) and absolute (each against the header).
	Comparison cmp = compare_results(run_c.results, run_cpp.results);
	std::vector<OracleMiss> miss_c = check_documented(run_c.results);
	std::vector<OracleMiss> miss_cpp = check_documented(run_cpp.results);
	const bool same = cmp.equivalent && run_c.ioctls == run_cpp.ioctls;
	const bool documented = miss_c.empty() && miss_cpp.empty();
	if (same && documented) {
		out += format_success(run_c.results, run_c.ioctls);
		return kExitEquivalent;
	}
	if (!same) {
		out += format_diff(cmp, opts.full_table);
		if (run_c.ioctls != run_cpp.ioctls)
			out += "ioctl count differs: C issued " + std::to_string(run_c.ioctls) +
			       ", C++ issued " + std::to_string(run_cpp.ioctls) + "\n";
	}
	out += format_oracle(miss_c, miss_cpp);
	if (same)
		out += "compared " + std::to_string(run_c.ioctls) +
		       " ioctls: the drivers agree, but not with the UAPI: NOT correct\n";
	else
		out += "compared " + std::to_string(run_c.ioctls) + " ioctls: NOT equivalent\n";
	return kExitDivergence;
}

} // namespace refgpu::equiv
