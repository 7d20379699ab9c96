// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// refgpu-harness: see README.md.
#include <cstdio>
#include <string>
#include <vector>

#include "harness.h"

int main(int argc, char **argv)
{
	std::vector<std::string> args(argv + 1, argv + argc);
	std::string out, err;
	int rc = refgpu::schema::run_harness(args, out, err);
	std::fputs(out.c_str(), stdout);
	std::fflush(stdout);
	std::fputs(err.c_str(), stderr);
	return rc;
}
