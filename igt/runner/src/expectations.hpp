// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#pragma once

// drm-ci style expectation lists, one set per driver, as in the kernel's
// drivers/gpu/drm/ci/xfails/: <driver>-fails.txt ("test@subtest,Status"
// per line), <driver>-flakes.txt and <driver>-skips.txt (one regular
// expression per line, matched against the whole "test@subtest" name).
// '#' starts a comment line; blank lines are ignored.

#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace refgpu::igt {

// A drm-ci status: what a fails list may name, and what a run is mapped to.
enum class Status { pass, fail, skip, crash, timeout, warn, dmesg_warn, dmesg_fail, abort, notrun };

const char *status_name(Status s);		  // "Pass", "Fail", ... (drm-ci spelling)
std::optional<Status> parse_status(const std::string &name);

struct Pattern {
	std::string text;
	std::regex re;
};

struct Expectations {
	std::map<std::string, Status> fails; // "test@subtest" -> expected status
	std::vector<Pattern> flakes;
	std::vector<Pattern> skips;

	// The skips pattern matching NAME, or nullptr.
	const Pattern *skipped(const std::string &name) const;
	bool flaky(const std::string &name) const;
};

// Each parser appends "FILE:LINE: why" to ERRORS for every malformed line.
void parse_fails(const std::string &text, const std::string &file, Expectations &e,
		 std::vector<std::string> &errors);
void parse_patterns(const std::string &text, const std::string &file, std::vector<Pattern> &out,
		    std::vector<std::string> &errors);

// DIR/<driver>-{fails,flakes,skips}.txt; a missing file is an empty list.
Expectations load_expectations(const std::filesystem::path &dir, const std::string &driver,
			       std::vector<std::string> &errors);

} // namespace refgpu::igt
