// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// refgpu C++ driver: probe/remove and the DEV_QUERY ioctl. The twin of
// c-driver/refgpu_drv.c; the static driver structures it fills are in
// glue/refgpu_drv_glue.c, since the driver model wants them const in C.

#include "kernel/core.hpp"
#include "kernel/uaccess.hpp"
#include "refgpu_device.hpp"
#include "refgpu_vm.hpp"

namespace refgpu {

using kernel::Error;
using kernel::Status;

// Size of the first version of struct drm_refgpu_gpu_info.
constexpr u32 gpu_info_min_size =
	__builtin_offsetof(drm_refgpu_gpu_info, max_bo_size) + sizeof(u64);
// Size of the first version of struct drm_refgpu_vm_info.
constexpr u32 vm_info_min_size = __builtin_offsetof(drm_refgpu_vm_info, pad) + sizeof(u32);
static_assert(vm_info_min_size == 32);

// Copy @kobj (@ksize bytes) to the user buffer described by @args, following
// the size negotiation documented for struct drm_refgpu_dev_query.
static Status copy_query(drm_refgpu_dev_query &args, const void *kobj, u32 ksize, u32 min_size)
{
	kernel::UserPtr ptr(args.pointer);

	if (ptr.is_null()) {
		args.size = ksize;
		return {};
	}
	if (args.size < min_size)
		return Error::inval();
	if (args.size > DRM_REFGPU_DEV_QUERY_MAX_SIZE)
		return Error::too_big();

	u32 copy = kernel::min(args.size, ksize);
	TRY(ptr.write(kobj, copy));
	if (args.size > copy)
		TRY(ptr.offset(copy).clear(args.size - copy));
	return {};
}

static Status ioctl_dev_query(Device &rdev, drm_refgpu_dev_query &args)
{
	if (args.pad)
		return Error::inval();

	switch (args.type) {
	case DRM_REFGPU_DEV_QUERY_GPU_INFO:
		return copy_query(args, &rdev.info, sizeof(rdev.info), gpu_info_min_size);
	case DRM_REFGPU_DEV_QUERY_VM_INFO: {
		const drm_refgpu_vm_info info = vm_info();
		return copy_query(args, &info, sizeof(info), vm_info_min_size);
	}
	default:
		return Error::inval();
	}
}

static Status probe(const kernel::PlatformDevice &pdev)
{
	kernel::Device dev = pdev.dev();

	if (!kernel::refgpu_core::impl_selected(dev))
		return Error::nodev();

	Device *rdev = TRY(kernel::drm::Device<Device>::create(dev));
	dev.set_drvdata(rdev);

	TRY(device_init(*rdev, pdev));

	kernel::ScopeGuard fini([rdev] { device_fini(*rdev); });
	TRY(rdev->base.register_());
	fini.dismiss();

	dev.info("GPU_ID %#x, FW_VERSION %#x: bound\n", rdev->info.gpu_id, rdev->info.fw_version);
	return {};
}

static void remove(const kernel::PlatformDevice &pdev)
{
	Device *rdev = pdev.dev().drvdata<Device>();

	rdev->base.unplug();
	device_fini(*rdev);
}

} // namespace refgpu

// Entry points named by the glue's static driver structures.

extern "C" int refgpu_cpp_probe(::platform_device *pdev)
{
	return refgpu::probe(kernel::PlatformDevice(pdev)).to_errno();
}

extern "C" void refgpu_cpp_remove(::platform_device *pdev)
{
	refgpu::remove(kernel::PlatformDevice(pdev));
}

extern "C" int refgpu_cpp_ioctl_dev_query(::drm_device *drm, void *data, ::drm_file *)
{
	return refgpu::ioctl_dev_query(refgpu::to_refgpu_device(drm),
				       *static_cast<drm_refgpu_dev_query *>(data))
		.to_errno();
}
