// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
#pragma once

#include "kernel/drm.hpp"
#include "kernel/io.hpp"
#include "kernel/irq.hpp"
#include "kernel/sync.hpp"
#include "refgpu_drm.h"
#include "refgpu_mmu.hpp"

namespace refgpu {

using kernel::u32;
using kernel::u64;

// Largest BO, page aligned; reported as drm_refgpu_gpu_info.max_bo_size.
inline constexpr u64 max_bo_size = 256ULL << 20;

// Architecture major this driver knows (GPU_ID.ARCH_MAJOR).
inline constexpr u32 arch_major = 1;

// Value the probe-time doorbell self-test rings doorbell 0 with.
inline constexpr u32 ping_value = 0x0c0ffee;

// Who holds an AS (refgpu_as debugfs): a copy, so no VM is dereferenced.
struct AsSlot {
	bool used = false;
	u32 vm_id = 0;
	u64 client_id = 0;
};

struct AsSlots {
	AsSlot slot[as_count];
};

// A refgpu GPU driven by the C++ driver: the twin of struct refgpu_device.
struct Device : kernel::Pinned {
	explicit Device(kernel::drm::Device<Device> drm) : base(drm), mmio(drm.raw()) {}

	kernel::drm::Device<Device> base;
	kernel::IoMem iomem;
	// The same MMIO, for the VM/MMU code: only inside drm_dev_enter(), so
	// a file closed after unplug frees its VMs without touching registers.
	kernel::drm::Revocable<kernel::IoMem> mmio;
	kernel::Mutex<AsSlots, kernel::LockClass<"refgpu::Device::as_slots">> as_slots;
	int irq = 0;
	drm_refgpu_gpu_info info = {};
	// Embedded, as in C; initialised with the Device (its own lock class).
	kernel::Completion<kernel::LockClass<"refgpu::Device::doorbell_done">> doorbell_done;
	u32 doorbell_last = 0;

	kernel::IrqReturn irq_handler();
};

inline Device &to_refgpu_device(::drm_device *drm)
{
	return kernel::drm::Device<Device>::from_raw(drm);
}

kernel::Status device_init(Device &rdev, const kernel::PlatformDevice &pdev);
void device_fini(Device &rdev);

} // namespace refgpu
