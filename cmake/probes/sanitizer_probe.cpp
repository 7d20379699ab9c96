// SPDX-License-Identifier: GPL-2.0
// Copyright (C) 2026 The refgpu authors
//
// The planted failures of the sanitized host test build: built with the same
// flags as every unit test (cmake/Sanitizers.cmake), it commits the bug named
// by its argument. CTest expects "use-after-free" and "signed-overflow" to
// abort with the sanitizer's report, and "none" (the same program, no bug)
// to exit 0.
#include <climits>
#include <cstring>

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "none";
	int *volatile p = new int[4];
	p[0] = argc;
	int *volatile q = p;
	delete[] p;
	if (!std::strcmp(what, "use-after-free"))
		return q[0];
	if (!std::strcmp(what, "signed-overflow")) {
		volatile int big = INT_MAX;
		int sum = big + argc;
		return sum & 1;
	}
	return 0;
}
