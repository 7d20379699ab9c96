// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// Command line of refgpu-equiv.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench.h"
#include "refgpu_kbench.h"
#include "faultbind.h"
#include "faultinject.h"
#include "stress.h"
#include "uapi.h"

namespace refgpu::equiv {

// Exit codes.
inline constexpr int kExitEquivalent = 0;
inline constexpr int kExitDivergence = 1;
inline constexpr int kExitSetupError = 2; // usage, discovery, open
inline constexpr int kExitBenchFailed = 1; // --bench: a measured call failed
// --fault-inject: a driver broke one of the checked promises (a missing
// fail-nth file is a setup error)
inline constexpr int kExitFaultFailed = 1;
// --stress: an undocumented result or a leaked handle on either driver
inline constexpr int kExitStressFailed = 1;

struct Options {
	bool help = false;
	bool query = false;
	bool plant_divergence = false;
	bool full_table = false;
	bool bench = false;
	unsigned bench_rounds = kDefaultBenchRounds; // --bench-rounds
	double bench_iters = 1.0;      // --bench-iters: scale of the per-op counts
	bool bench_tuned = false;      // --bench-rounds or --bench-iters given
	bool bench_kernel = false;     // --bench-kernel: windows timed in the kernel
	std::string kbench_path = REFGPU_KBENCH_RUN_PATH; // --kbench-file
	bool fault_inject = false;
	bool fault_bind = false; // --fault-bind: probe/remove under fail-nth
	unsigned fault_max = kDefaultFaultMax; // --fault-max
	std::string fail_nth_path = kFailNthPath; // --fail-nth-file
	bool fault_tuned = false; // --fault-max or --fail-nth-file given
	bool stress = false;       // --stress N
	unsigned stress_iters = 0; // N: iterations per thread
	unsigned stress_threads = kDefaultStressThreads;
	unsigned stress_seconds = kDefaultStressSeconds;
	bool stress_tuned = false; // --stress-threads or --stress-seconds given
	bool nodes_given = false;
	std::string node_c, node_cpp; // with --nodes
	std::string c_driver = "refgpu_c";
	std::string cpp_driver = "refgpu_cpp";
	std::string sysfs_root = "/sys";
	std::string dev_root = "/dev";
};

struct ParsedArgs {
	bool ok = false;
	Options opts;
	std::string error;
};

// args excludes argv[0]. Accepts "--opt value" and "--opt=value".
ParsedArgs parse_args(const std::vector<std::string> &args);

std::string usage(const std::string &prog = "refgpu-equiv");

// Opens a device node with a fresh fd; nullptr and *error set on failure.
using DeviceOpener =
	std::function<std::unique_ptr<DeviceIo>(const std::string &path, std::string *error)>;
// The real one: open(2) of a DRM node.
std::unique_ptr<DeviceIo> open_render_node(const std::string &path, std::string *error);

// The whole program minus argv handling: report text is appended to out,
// errors to err; returns the exit code. Every device (for the name check of
// discovery or --nodes, for the script, for --query) is opened through
// open, so tests can run it on in-process fakes. With --bench each of the
// two nodes is opened twice: the fd of the name check is measured, a second
// fd is the other side of its A/A control.
// bench_clock replaces CLOCK_MONOTONIC for --bench (tests). node_opener
// gives --fault-inject its allocation-free opener of a node path (the
// open_node operation); tests plug in a model. bus replaces the sysfs
// platform bus of --fault-bind (tests).
int run_main(const Options &opts, std::string &out, std::string &err,
	     const DeviceOpener &open = open_render_node,
	     const std::function<std::uint64_t()> &bench_clock = nullptr,
	     const NodeOpenerFactory &node_opener = path_node_opener,
	     const std::function<std::unique_ptr<PlatformBus>()> &bus = nullptr);

} // namespace refgpu::equiv
