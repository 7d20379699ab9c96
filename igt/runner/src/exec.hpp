// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#pragma once

// The runner's contact with the system: running a test binary under a
// timeout, reading the kernel log, finding the refgpu devices.

#include <filesystem>
#include <string>
#include <vector>

#include "results.hpp"

namespace refgpu::igt {

struct Process {
	std::string out, err;
	int exit_code = 0;
	int signal = 0;
	bool signaled = false;
	bool timed_out = false;
	double seconds = 0;
	std::string error; // fork/exec failed
};

// Runs ARGV (argv[0] a path) with stdin from /dev/null, in its own process
// group; after TIMEOUT seconds the group gets SIGTERM, 2 s later SIGKILL.
Process run_process(const std::vector<std::string> &argv, double timeout);

// /dev/kmsg, opened once; mark() skips what is there, take() returns what
// came since.
class Kmsg {
public:
	Kmsg();
	~Kmsg();
	Kmsg(const Kmsg &) = delete;
	Kmsg &operator=(const Kmsg &) = delete;
	bool ok() const { return fd_ >= 0; }
	void mark();
	std::vector<KmsgRecord> take(bool *lost);

private:
	int fd_ = -1;
};

struct Device {
	std::string platform;	// refgpu.0
	std::string driver;	// refgpu_c
	std::string syspath;	// /sys/devices/platform/refgpu.0
	std::string render;	// /dev/dri/renderD128
};
// Every refgpu platform device with a driver bound, from the sysfs links.
std::vector<Device> find_devices(const std::filesystem::path &sysfs = "/sys");

// The refgpu_* executables of DIR, sorted.
std::vector<std::filesystem::path> find_tests(const std::filesystem::path &dir);

// BINARY --list-subtests.
std::vector<std::string> list_subtests(const std::filesystem::path &binary, std::string &error);

std::string uname_string();

} // namespace refgpu::igt
