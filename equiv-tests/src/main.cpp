// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// refgpu-equiv: checks that the C and C++ refgpu drivers are
// indistinguishable from userspace. See ../README.md.
#include <cstdio>
#include <string>
#include <vector>

#include "cli.h"

int main(int argc, char **argv)
{
	using namespace refgpu::equiv;
	std::vector<std::string> args(argv + 1, argv + argc);
	ParsedArgs p = parse_args(args);
	if (!p.ok) {
		std::fprintf(stderr, "refgpu-equiv: %s\n(try --help)\n", p.error.c_str());
		return kExitSetupError;
	}
	if (p.opts.help) {
		std::fputs(usage().c_str(), stdout);
		return 0;
	}
	std::string out, err;
	int rc = run_main(p.opts, out, err);
	std::fputs(out.c_str(), stdout);
	std::fflush(stdout);
	std::fputs(err.c_str(), stderr);
	return rc;
}
