// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Must not compile with -Werror=format: kernel::Device's log functions keep
// printf format checking. With -DCONTROL (a matching argument) it compiles.
#include "device.hpp"

void log_misuse(const kernel::Device &dev)
{
#ifdef CONTROL
	dev.err("%s\n", "a string");
#else
	dev.err("%s\n", 42);
#endif
}
