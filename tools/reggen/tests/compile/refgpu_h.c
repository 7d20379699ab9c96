// SPDX-License-Identifier: MIT
// The generated C header in plain C, as userspace uses it (the includer
// provides GENMASK and GENMASK_ULL); compiled with and without
// REFGPU_REGS_TABLE.
#define GENMASK(h, l) (((~0u) << (l)) & (~0u >> (31 - (h))))
#define GENMASK_ULL(h, l) (((~0ull) << (l)) & (~0ull >> (63 - (h))))
#include "refgpu_regs.h"
#include "refgpu_regs.h" /* the include guard */

_Static_assert(REFGPU_BLOCK_SIZE > 0, "block size");
_Static_assert(REFGPU_ACCESS_W1C == 3, "access values");
/* The page entry: a 64-bit word whose fields and reserved bits tile it. */
_Static_assert(REFGPU_PTE_WIDTH == 64, "PTE width");
_Static_assert((REFGPU_PTE_RES0 | REFGPU_PTE_ADDR | REFGPU_PTE_EXEC | REFGPU_PTE_WRITE |
		REFGPU_PTE_READ | REFGPU_PTE_VALID) == ~0ull, "PTE bits");
_Static_assert((REFGPU_PTE_RES0 & REFGPU_PTE_ADDR) == 0, "PTE reserved bits");

#ifdef REFGPU_REGS_TABLE
unsigned int refgpu_first_offset(void)
{
	return refgpu_reg_table[0].offset + REFGPU_REG_TABLE_SIZE * 0;
}
#endif
