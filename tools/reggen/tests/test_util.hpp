// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// Helpers shared by the reggen tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace reggen::test {

// The whole file at @path (empty if it cannot be read).
inline std::string read_file(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

} // namespace reggen::test
