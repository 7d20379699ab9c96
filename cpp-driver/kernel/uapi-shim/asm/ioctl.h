/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C++ side's <asm/ioctl.h>: the generic ioctl number encoding (UAPI),
 * by the full path Kbuild gives (no kernel include directory is on the C++
 * include path).
 */
#include REFGPU_UAPI_ASM_GENERIC_IOCTL_H
