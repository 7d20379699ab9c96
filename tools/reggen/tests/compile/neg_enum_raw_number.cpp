// SPDX-License-Identifier: MIT
// An enumerated field takes its enum, not a raw number.
#include "sample_regs.hpp"

using namespace sample::regs;

#ifdef REGGEN_CONTROL
static_assert(pack<Ctrl>(Ctrl::ModeField::of(Ctrl::Mode::On)) != 0);
#else
static_assert(pack<Ctrl>(Ctrl::ModeField::of(1)) != 0);
#endif
