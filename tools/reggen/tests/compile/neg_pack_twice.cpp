// SPDX-License-Identifier: MIT
// pack<Reg>() refuses the same field twice.
#include "sample_regs.hpp"

using namespace sample::regs;

#ifdef REGGEN_CONTROL
static_assert(pack<Ctrl>(Ctrl::Div::of(1), Ctrl::Enable::of(1)) != 0);
#else
static_assert(pack<Ctrl>(Ctrl::Div::of(1), Ctrl::Div::of(2)) != 0);
#endif
