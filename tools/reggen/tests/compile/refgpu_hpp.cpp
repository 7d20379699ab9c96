// SPDX-License-Identifier: MIT
// The generated C++ header on its own, as the kernel C++ driver sees it:
// compiled with -ffreestanding -nostdinc -fno-exceptions -fno-rtti.
#include "refgpu_regs.hpp"
#include "refgpu_regs.hpp" // #pragma once

static_assert(refgpu::regs::register_count > 0);
