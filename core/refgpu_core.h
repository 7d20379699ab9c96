/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
#ifndef __REFGPU_CORE_H__
#define __REFGPU_CORE_H__

#include <linux/types.h>

struct device;

/* Implementation names, as given to refgpu.impl= */
#define REFGPU_IMPL_C	"c"
#define REFGPU_IMPL_CPP	"cpp"

bool refgpu_impl_selected(struct device *dev, const char *impl);

#endif /* __REFGPU_CORE_H__ */
