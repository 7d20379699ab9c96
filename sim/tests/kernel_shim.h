/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What sim/refgpu_mmu.[ch] and the generated refgpu_regs.h take from the
 * kernel, for the host build of the MMU tests (forced into refgpu_mmu.c,
 * included by the test). Same meanings as <linux/types.h>, <linux/bits.h>
 * and <linux/bitfield.h>; FIELD_GET's shift is the mask's lowest set bit,
 * as the kernel's __bf_shf() computes it.
 */
#ifndef REFGPU_SIM_TESTS_KERNEL_SHIM_H
#define REFGPU_SIM_TESTS_KERNEL_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t u32;
typedef uint64_t u64;

#define GENMASK(h, l) (((~0u) << (l)) & (~0u >> (31 - (h))))
#define GENMASK_ULL(h, l) (((~0ull) << (l)) & (~0ull >> (63 - (h))))
#define FIELD_GET(mask, v) (((v) & (mask)) >> __builtin_ctzll(mask))

#endif
