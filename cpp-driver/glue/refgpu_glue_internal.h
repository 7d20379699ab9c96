/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (C) 2026 The refgpu authors */
/* Shared by the glue's C files only; never seen by C++. */
#ifndef __REFGPU_GLUE_INTERNAL_H__
#define __REFGPU_GLUE_INTERNAL_H__

#include <linux/mutex.h>

#include <drm/drm_device.h>
#include <drm/drm_gem_shmem_helper.h>

#include "refgpu_glue.h"

bool refgpu_cpp_gfp_flags(enum refgpu_cpp_gfp gfp, gfp_t *flags);

/**
 * struct refgpu_cpp_mutex - a mutex embedded in a C++ object
 * @lock: The lock; what it protects is the C++ side's business.
 */
struct refgpu_cpp_mutex {
	struct mutex lock; /* the lock itself */
};

extern const struct drm_driver refgpu_cpp_drm_driver;
extern const struct drm_gem_object_funcs refgpu_cpp_gem_funcs;

/**
 * struct refgpu_cpp_drm_device - DRM device with the C++ refgpu::Device
 * @base: The DRM device.
 * @priv: Storage of the C++ object, constructed and destroyed by C++.
 */
struct refgpu_cpp_drm_device {
	struct drm_device base;
	u8 priv[] __aligned(REFGPU_CPP_PRIV_ALIGN);
};

/**
 * struct refgpu_cpp_gem_object - shmem GEM object with the C++ refgpu::GemObject
 * @base: The shmem GEM object; first member, freed by drm_gem_shmem_free().
 * @priv: Storage of the C++ object, constructed and destroyed by C++.
 */
struct refgpu_cpp_gem_object {
	struct drm_gem_shmem_object base;
	u8 priv[] __aligned(REFGPU_CPP_PRIV_ALIGN);
};

#endif /* __REFGPU_GLUE_INTERNAL_H__ */
