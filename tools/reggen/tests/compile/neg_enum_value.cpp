// SPDX-License-Identifier: MIT
// EnumField::prep() refuses an enum value that does not fit the field.
#include "sample_regs.hpp"

using namespace sample::regs;

#ifdef REGGEN_CONTROL
static_assert(Ctrl::ModeField::prep(Ctrl::Mode::Auto) != 0);
#else
static_assert(Ctrl::ModeField::prep(static_cast<Ctrl::Mode>(4)) != 0);
#endif
