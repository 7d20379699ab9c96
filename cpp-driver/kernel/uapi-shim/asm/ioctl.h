/* SPDX-License-Identifier: GPL-2.0-only */
/* The C++ side's <asm/ioctl.h>: the generic ioctl number encoding (UAPI). */
#include <asm-generic/ioctl.h>
