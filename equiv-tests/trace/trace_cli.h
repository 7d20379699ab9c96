// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// refgpu-harness record, replay and lockstep (the CLI's trace commands).
#pragma once

#include <string>
#include <vector>

#include "os.h"

namespace refgpu::trace {

bool is_trace_command(const std::string &cmd);
std::string trace_usage();

// args[0] is the command. os: the system calls replay makes (the real ones
// outside the tests). Exit status: 0 no mismatch, 1 a mismatch, 2 usage, an
// unreadable trace, devices not found.
int run_trace_command(const std::vector<std::string> &args, std::string &out, std::string &err, Os *os = nullptr);

} // namespace refgpu::trace
