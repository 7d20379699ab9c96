// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The replayer: runs the records of a trace on a device (a Side: one set of
// fresh files of the devices the trace used) and checks every result against
// the recording; and lockstep: the same records on two Sides, op by op,
// compared with each other. Handles, file descriptors and implementation-
// defined values (mmap offsets, ...) are remapped as the schema's handle=
// and impl= annotations say: a value created on a side is learnt against
// the recorded one, inputs are translated with it, and outputs are compared
// in the recording's values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "os.h"
#include "trace.h"

namespace refgpu::trace {

struct Mismatch {
	std::uint64_t op = 0;
	std::string what;  // "ioctl DRM_IOCTL_REFGPU_BO_CREATE (fd 3)", "mmap (fd 3)"
	std::string field; // "ret", "errno", "arg.size", "pointer.va_bits", "hash"
	std::string expected, actual;
	std::string text(const std::string &expected_label = "recorded",
			 const std::string &actual_label = "replayed") const;
};

class Side {
public:
	// nodes[i]: the device node that stands for the trace's device i (the
	// "dev" of its open records).
	Side(const Schemas &s, Os &os, std::vector<std::string> nodes);
	~Side();
	Side(const Side &) = delete;
	Side &operator=(const Side &) = delete;

	// Runs one record; returns what this side observed, in the record's
	// shape (ret, errno, arg.out, mem[].out, hash). *error when the record
	// cannot be run at all (a malformed trace).
	json run(const json &op, std::string *error);
	// A value observed on this side, in the recording's values (through
	// what was learnt for key); the value itself when nothing was.
	std::uint64_t normalize(std::int64_t file, const std::string &key, std::uint64_t v) const;
	std::int64_t file_of(int recorded_fd) const;

private:
	struct Mapping {
		std::uint64_t addr, len;
	};
	using Key = std::pair<std::int64_t, std::string>; // (file or -1, kind)

	json run_ioctl(const json &op, std::string *error);
	void learn(std::int64_t file, const std::string &key, std::uint64_t rec, std::uint64_t got);
	void forget(std::int64_t file, const std::string &key, std::uint64_t rec);
	void forget_now(const Key &k, std::uint64_t rec);
	std::optional<std::uint64_t> forward(std::int64_t file, const std::string &key, std::uint64_t rec) const;

	const Schemas &schemas_;
	Os &os_;
	std::vector<std::string> nodes_;
	std::map<int, int> fds_;	    // recorded fd -> this side's fd
	std::map<int, std::int64_t> files_; // recorded fd -> file id
	std::int64_t next_file_ = 0;
	std::map<Key, std::map<std::uint64_t, std::uint64_t>> fwd_, inv_;
	std::map<std::uint64_t, Mapping> maps_; // recorded map id -> this side's
	std::vector<std::pair<Key, std::uint64_t>> forgotten_; // destroyed by the last op
};

// Compares what a side observed for op with what was expected: the
// recording (exp_side null) or what another side observed (lockstep).
std::optional<Mismatch> compare(const Schemas &s, const json &op, const json &expected, const Side *exp_side,
				const json &observed, const Side &obs_side);

struct RunReport {
	std::uint64_t ops = 0;			   // records run
	std::map<std::string, std::uint64_t> by_event; // "ioctl" -> n
	std::uint64_t opaque = 0;		   // ioctls the schemas do not describe
	std::optional<Mismatch> mismatch;	   // the first one
	std::string error;			   // the trace could not be run
	double seconds = 0;
};

RunReport replay(const std::vector<json> &ops, const Schemas &s, Os &os, const std::vector<std::string> &nodes);
RunReport lockstep(const std::vector<json> &ops, const Schemas &s, Os &os_a, const std::vector<std::string> &nodes_a,
		   Os &os_b, const std::vector<std::string> &nodes_b);

// How many devices the trace opened (1 + the largest "dev").
unsigned trace_devices(const std::vector<json> &ops);
// The recorded driver of each device index ("" if not recorded).
std::vector<std::string> trace_drivers(const std::vector<json> &ops);

} // namespace refgpu::trace
