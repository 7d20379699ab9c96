// SPDX-License-Identifier: GPL-2.0
// Copyright (C) 2026 The refgpu authors
//
// Linked into every sanitized test executable: AddressSanitizer's built-in
// defaults, read before main. ASan leaves SIGBUS alone, as the programs under
// test (refgpu-equiv's fault injection installs, and checks it restores, its
// own SIGBUS handler) do without ASan. SIGSEGV stays with ASan.
extern "C" const char *__asan_default_options();

extern "C" const char *__asan_default_options()
{
	return "handle_sigbus=0";
}
