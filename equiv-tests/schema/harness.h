// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// refgpu-harness: the equivalence harness's subcommand CLI. Today `schema`
// and `abi-check`; issue 7's record, replay, lockstep, fuzz and report go
// here too.
#pragma once

#include <string>
#include <vector>

namespace refgpu::schema {

inline constexpr int kExitOk = 0;
inline constexpr int kExitAbiFailed = 1; // a break, or a baseline out of date
inline constexpr int kExitUsage = 2;     // usage, unreadable header or baseline, annotation errors

std::string harness_usage();

// args excludes argv[0]. Report text goes to out, errors to err.
int run_harness(const std::vector<std::string> &args, std::string &out, std::string &err);

} // namespace refgpu::schema
