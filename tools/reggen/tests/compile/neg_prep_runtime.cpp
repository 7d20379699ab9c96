// SPDX-License-Identifier: MIT
// prep() is compile-time only; a run-time value needs encode().
#include "sample_regs.hpp"

using namespace sample::regs;

u32 f(u32 div)
{
#ifdef REGGEN_CONTROL
	return Ctrl::Div::encode(div);
#else
	return Ctrl::Div::prep(div);
#endif
}
