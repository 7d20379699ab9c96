// SPDX-License-Identifier: MIT
// A field of a 64-bit structure refuses a value that does not fit (ADDR: 24 bits).
#include "sample_regs.hpp"

using namespace sample::regs;

#ifdef REGGEN_CONTROL
static_assert(Desc::Addr::prep(0xffffffull) != 0);
#else
static_assert(Desc::Addr::prep(0x1000000ull) != 0);
#endif
