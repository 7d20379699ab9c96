/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
/*
 * The C++ side's "drm.h", found by refgpu_drm.h's #include "drm.h": the
 * kernel's UAPI drm.h by the full path Kbuild gives, so that no kernel
 * include directory is on the C++ include path. drm.h includes drm_mode.h
 * from its own directory, and <linux/types.h>, <asm/ioctl.h> from this shim.
 */
#include REFGPU_UAPI_DRM_H
