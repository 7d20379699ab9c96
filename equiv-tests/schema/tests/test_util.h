// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// Helpers of the schema tests: temporary headers, the real headers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "abi.h"
#include "frontend.h"
#include "schema.h"

namespace refgpu::schema::test {

// A temporary directory, removed with its contents.
class TempDir {
public:
	TempDir();
	~TempDir();
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	const std::filesystem::path &path() const { return path_; }
	// Writes name (relative) with text; returns its path.
	std::string write(const std::string &name, const std::string &text) const;

private:
	std::filesystem::path path_;
};

std::string read_file(const std::string &path);

// The text of refgpu_drm.h with `from` replaced by `to` (exactly once:
// the test fails otherwise).
std::string uapi_with(const std::string &from, const std::string &to);

// Loads a header given as text (written as name in a temporary directory;
// "drm.h" resolves to libdrm's, as for the real header).
FrontendResult load_text(const std::string &text, Lang lang = Lang::C,
			 const std::string &target = "x86_64-linux-gnu",
			 const std::string &name = "test_drm.h");
// A UAPI snippet in a minimal header (drm.h included, extern "C" for C++).
std::string wrap(const std::string &body);

// Loads the real refgpu_drm.h; the test fails if it does not load.
Schema refgpu_schema(Lang lang = Lang::C, const std::string &target = "x86_64-linux-gnu");
Schema baseline();

// The changes as "SEVERITY: subject: message" lines.
std::vector<std::string> texts(const std::vector<Change> &c);
bool has(const std::vector<std::string> &v, const std::string &s);
// Some error contains s.
bool error_has(const std::vector<std::string> &errors, const std::string &s);

} // namespace refgpu::schema::test
