/* SPDX-License-Identifier: MIT */
/* Copyright (C) 2026 The refgpu authors */
/*
 * What an includer of the generated refgpu_regs.h provides outside the
 * kernel (tools/reggen/README.md): GENMASK(). refgpu-harness abi-check
 * reads it before the register header (--include).
 */
#define GENMASK(h, l) (((~0U) >> (31 - (h))) & ((~0U) << (l)))
