// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#pragma once

// results.json as igt_runner writes it (results_version 10): "tests"
// keyed "igt@binary@subtest" with out/err/dmesg/result/time, "totals"
// per "" / "root" / "igt@binary", and "runtimes" per binary.

#include <string>

#include <nlohmann/json.hpp>

#include "results.hpp"

namespace refgpu::igt {

struct RunInfo {
	std::string name;  // the results' name: the driver
	std::string uname; // uname -srvm of the guest
	double start = 0, end = 0; // seconds since the epoch
};

nlohmann::json results_json(const DriverRun &run, const RunInfo &info);

// Serialised, with bytes that are not valid UTF-8 replaced (test output
// and kernel logs may hold anything).
std::string dump_json(const nlohmann::json &j);

// drm-ci's failures.csv: "test@subtest,Status" for each unexpected result
// (what update-xfails.py reads).
std::string failures_csv(const DriverRun &run);

} // namespace refgpu::igt
