// SPDX-License-Identifier: MIT
// pack<Reg>() refuses a field of another register.
#include "sample_regs.hpp"

using namespace sample::regs;

#ifdef REGGEN_CONTROL
static_assert(pack<Lane>(Lane::Pending::of(1)) != 0);
#else
static_assert(pack<Ctrl>(Ctrl::Enable::of(1), Lane::Pending::of(1)) != 0);
#endif
