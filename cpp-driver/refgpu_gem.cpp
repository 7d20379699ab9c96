// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// refgpu C++ driver: buffer objects (shmem backed GEM objects). The twin of
// c-driver/refgpu_gem.c.

#include "refgpu_device.hpp"
#include "refgpu_gem.hpp"

namespace refgpu {

using kernel::Error;
using kernel::Status;
using GemObj = kernel::gem::Object<GemObject>;

constexpr u32 bo_flags = DRM_REFGPU_BO_NO_MMAP;

// Test-only planted bugs (module parameter debug_plant), the same bits as
// the C driver's REFGPU_DEBUG_PLANT_*.
enum class Plant : u32 { bo_size0 = 1u << 0 };

static bool planted(Plant p)
{
	return __atomic_load_n(&refgpu_cpp_debug_plant, __ATOMIC_RELAXED) & static_cast<u32>(p);
}

void GemObject::created(::drm_gem_object *raw)
{
	GemObj::set_gpuva_lock(raw, gpuva_lock);
}

static Status gem_mmap(::drm_gem_object *obj, ::vm_area_struct *vma)
{
	if (GemObj::from_raw(obj).flags & DRM_REFGPU_BO_NO_MMAP)
		return Error::perm();

	return GemObj::shmem_mmap(obj, vma);
}

static Status ioctl_bo_create(::drm_device *drm, drm_refgpu_bo_create &args,
			      kernel::drm::File *file)
{
	if (!args.size && planted(Plant::bo_size0))
		args.size = kernel::page_size;
	if (!args.size || (args.flags & ~bo_flags) || args.handle)
		return Error::inval();
	if (args.size > max_bo_size)
		return Error::too_big();

	BoRef bo = TRY(BoRef::create_shmem(drm, args.size));
	bo->flags = args.flags;

	// The handle takes its own reference; ours goes with @bo.
	u32 handle = TRY(bo.create_handle(file));

	args.size = bo.size();
	args.handle = handle;
	return {};
}

static Status ioctl_bo_mmap_offset(drm_refgpu_bo_mmap_offset &args, kernel::drm::File *file)
{
	if (args.pad)
		return Error::inval();

	BoRef bo = TRY(BoRef::lookup(file, args.handle));
	if (bo->flags & DRM_REFGPU_BO_NO_MMAP)
		return Error::perm();

	args.offset = TRY(bo.mmap_offset());
	return {};
}

} // namespace refgpu

// Entry points named by the glue's static driver structures.

extern "C" ::drm_gem_object *refgpu_cpp_gem_create_object(::drm_device *, unsigned long)
{
	return refgpu::GemObj::alloc();
}

extern "C" void refgpu_cpp_gem_free(::drm_gem_object *obj)
{
	refgpu::GemObj::free(obj);
}

extern "C" int refgpu_cpp_gem_mmap(::drm_gem_object *obj, ::vm_area_struct *vma)
{
	return refgpu::gem_mmap(obj, vma).to_errno();
}

extern "C" int refgpu_cpp_ioctl_bo_create(::drm_device *drm, void *data, ::drm_file *file)
{
	return refgpu::ioctl_bo_create(drm, *static_cast<drm_refgpu_bo_create *>(data), file)
		.to_errno();
}

extern "C" int refgpu_cpp_ioctl_bo_mmap_offset(::drm_device *, void *data, ::drm_file *file)
{
	return refgpu::ioctl_bo_mmap_offset(*static_cast<drm_refgpu_bo_mmap_offset *>(data), file)
		.to_errno();
}
