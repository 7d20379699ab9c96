// SPDX-License-Identifier: MIT
// pack<Struct>() refuses a field of a register.
#include "sample_regs.hpp"

using namespace sample::regs;

#ifdef REGGEN_CONTROL
static_assert(pack<Desc>(Desc::Valid::of(1)) != 0);
#else
static_assert(pack<Desc>(Ctrl::Enable::of(1)) != 0);
#endif
