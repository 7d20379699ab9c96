// SPDX-License-Identifier: MIT
// Field::prep() refuses a value wider than the field (8 bits here).
#include "sample_regs.hpp"

using namespace sample::regs;

u32 f()
{
#ifdef REGGEN_CONTROL
	return Ctrl::Div::prep(0xff);
#else
	return Ctrl::Div::prep(0x100);
#endif
}
