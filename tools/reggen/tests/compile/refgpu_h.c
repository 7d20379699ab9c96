// SPDX-License-Identifier: MIT
// The generated C header in plain C, as userspace uses it (the includer
// provides GENMASK); compiled with and without REFGPU_REGS_TABLE.
#define GENMASK(h, l) (((~0u) << (l)) & (~0u >> (31 - (h))))
#include "refgpu_regs.h"
#include "refgpu_regs.h" /* the include guard */

_Static_assert(REFGPU_BLOCK_SIZE > 0, "block size");
_Static_assert(REFGPU_ACCESS_W1C == 3, "access values");

#ifdef REFGPU_REGS_TABLE
unsigned int refgpu_first_offset(void)
{
	return refgpu_reg_table[0].offset + REFGPU_REG_TABLE_SIZE * 0;
}
#endif
