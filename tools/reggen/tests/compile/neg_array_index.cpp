// SPDX-License-Identifier: MIT
// Array::at<I>() refuses an index past the end (LANE has 8 elements).
#include "sample_regs.hpp"

using namespace sample::regs;

#ifdef REGGEN_CONTROL
static_assert(Lane::at<7>() != 0);
#else
static_assert(Lane::at<8>() != 0);
#endif
