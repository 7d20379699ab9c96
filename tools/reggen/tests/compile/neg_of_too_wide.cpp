// SPDX-License-Identifier: MIT
// pack() refuses a field value that does not fit, through Field::of().
#include "sample_regs.hpp"

using namespace sample::regs;

#ifdef REGGEN_CONTROL
static_assert(pack<Ctrl>(Ctrl::Enable::of(1), Ctrl::Div::of(0xff)) != 0);
#else
static_assert(pack<Ctrl>(Ctrl::Enable::of(1), Ctrl::Div::of(0x100)) != 0);
#endif
