// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The recorder: wraps the system calls of a program on DRM files and writes
// them as trace records (docs/trace-format.md). It knows an ioctl only from
// the schemas; an ioctl they do not describe is recorded as the opaque bytes
// of its argument. librefgpu-record.so (preload.cpp) is this class behind
// LD_PRELOAD hooks; the unit tests drive it over a model of the device.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "os.h"
#include "trace.h"

namespace refgpu::trace {

class Recorder {
public:
	using Sink = std::function<void(const std::string &line)>;
	// Writes the header record to sink.
	Recorder(Schemas schemas, Os &os, Sink sink, const std::string &program);

	// Each makes the call through os and records it when it concerns a
	// DRM file (or a file an ioctl created, a dma-buf); libc conventions.
	int ioctl(int fd, unsigned long request, void *arg);
	void *mmap(void *addr, std::size_t len, int prot, int flags, int fd, off_t off);
	int munmap(void *addr, std::size_t len);
	int close(int fd);
	// After a successful dup/dup2/dup3/F_DUPFD of oldfd into newfd.
	void dup_done(int oldfd, int newfd);

	std::uint64_t ops() const { return op_; }

private:
	struct File {
		std::uint64_t id;
	};
	struct Map {
		std::uint64_t id;
		std::uint64_t addr, len;
		std::vector<std::uint8_t> shadow; // content at the last event
	};

	bool track(int fd);
	void sync_writes();
	void emit(json &ev);

	std::mutex mu_;
	Schemas schemas_;
	Os &os_;
	Sink sink_;
	std::uint64_t op_ = 0, next_file_ = 0, next_map_ = 0;
	std::map<int, File> fds_;
	std::map<std::uint64_t, Map> maps_; // by address
	std::map<std::string, unsigned> devs_; // device -> dev index
};

} // namespace refgpu::trace
