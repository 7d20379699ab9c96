// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// Comparator and reports: compares the C and C++ result lists step by step
// and renders either the compact success listing or a side-by-side table of
// the divergence.
#pragma once

#include <string>
#include <vector>

#include "script.h"

namespace refgpu::equiv {

// Pseudo-field names used in rows for things that are not outputs.
inline constexpr const char *kRowStep = "(step)";
inline constexpr const char *kRowIoctl = "(ioctl)";
inline constexpr const char *kRowReturn = "(return)";
inline constexpr const char *kMissing = "<missing>";
inline constexpr const char *kAbsent = "<absent>";

struct DiffRow {
	std::string step;
	std::string field;
	std::string c;
	std::string cpp;
	bool differs = false;
};

struct Comparison {
	bool equivalent = true;
	std::vector<DiffRow> rows;                // every row of every step
	std::vector<std::string> diverging_steps; // in order, no duplicates
	std::size_t steps_c = 0, steps_cpp = 0;
};

Comparison compare_results(const std::vector<Result> &c, const std::vector<Result> &cpp);

// Side-by-side table (step | field | C | C++). Differing rows start with
// ">>". Only steps with a difference are shown unless full is set.
std::string format_diff(const Comparison &cmp, bool full = false);

// One compact line for a step: "ok  <step>  <ioctl>  ret=0  f=v ...".
std::string format_result_line(const Result &r);
// All steps, one line each, then "compared N ioctls: equivalent".
std::string format_success(const std::vector<Result> &results, unsigned ioctls);

// The absolute oracle's report: every documented outcome that either run
// did not meet, one row per step and field, side by side (a side that met
// it shows "ok"), then one summary line starting "UAPI VIOLATION:".
// Empty when both lists are empty.
std::string format_oracle(const std::vector<OracleMiss> &c, const std::vector<OracleMiss> &cpp);

// Perturbs exactly one recorded value so that a comparison against the
// unperturbed list fails: preferred_field of preferred_step if recorded,
// else the first field of preferred_step, else the first field of any step,
// else the first return code.
struct Perturbation {
	bool done = false;
	std::string step, field, before, after;
	std::string describe() const;
};
Perturbation plant_divergence(std::vector<Result> &results,
			      const std::string &preferred_step = "dev_query.full",
			      const std::string &preferred_field = "gpu_id");

} // namespace refgpu::equiv
