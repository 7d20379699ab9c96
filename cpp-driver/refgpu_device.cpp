// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// refgpu C++ driver: bring-up of the hardware (reset, identification,
// interrupts) and teardown. The twin of c-driver/refgpu_device.c.

#include "refgpu_device.hpp"

namespace refgpu {

using kernel::Error;
using kernel::Status;

constexpr unsigned long reset_timeout_us = 10000;
constexpr unsigned int ping_timeout_ms = 1000;
// The GPU's physical address width: page-table entries hold 48-bit addresses.
constexpr unsigned int dma_bits = 48;
constexpr u32 irq_used = regs::IrqMask::Doorbell::mask | regs::IrqMask::Fault::mask;

kernel::IrqReturn Device::irq_handler()
{
	bool mmu = mmu_irq(*this);
	u32 status = iomem.read<regs::IrqStatus>();

	if (!status)
		return mmu ? kernel::IrqReturn::Handled : kernel::IrqReturn::None;

	iomem.write<regs::IrqRawstat>(status);

	if (status & regs::IrqStatus::Doorbell::mask) {
		doorbell_last = iomem.read<regs::DoorbellLast>();
		doorbell_done.complete();
	}
	if (status & regs::IrqStatus::Fault::mask)
		base.err_ratelimited("GPU fault\n");

	return kernel::IrqReturn::Handled;
}

static Status reset(Device &rdev)
{
	rdev.iomem.write<regs::SoftReset>(regs::SoftReset::Reset::mask);
	auto done = rdev.iomem.poll_timeout<regs::IrqRawstat>(
		[](u32 raw) { return (raw & regs::IrqRawstat::ResetDone::mask) != 0; }, 10,
		reset_timeout_us);
	if (!done.ok()) {
		rdev.base.err("soft reset timed out\n");
		return done.error();
	}
	rdev.iomem.write<regs::IrqRawstat>(regs::IrqRawstat::ResetDone::mask);

	if (regs::Status::StateField::get(rdev.iomem.read<regs::Status>()) !=
	    regs::Status::State::Ready) {
		rdev.base.err("GPU not ready after reset\n");
		return Error::io();
	}
	return {};
}

static Status read_info(Device &rdev)
{
	drm_refgpu_gpu_info &info = rdev.info;

	info.gpu_id = rdev.iomem.read<regs::GpuId>();
	if (regs::GpuId::ArchMajor::get(info.gpu_id) != arch_major) {
		rdev.base.err("unsupported GPU_ID %#x\n", info.gpu_id);
		return Error::nodev();
	}
	info.fw_version = rdev.iomem.read<regs::FwVersion>();

	u32 features = rdev.iomem.read<regs::Features>();
	if (features & regs::Features::Mmu::mask)
		info.features |= DRM_REFGPU_FEATURE_MMU;
	if (features & regs::Features::Doorbell::mask)
		info.features |= DRM_REFGPU_FEATURE_DOORBELL;
	if (features & regs::Features::Timestamp::mask)
		info.features |= DRM_REFGPU_FEATURE_TIMESTAMP;

	u32 config = rdev.iomem.read<regs::Config>();
	info.va_bits = regs::Config::VaBits::get(config);
	info.pa_bits = regs::Config::PaBits::get(config);
	info.doorbell_count = regs::Config::DoorbellCount::get(config);
	info.max_bo_size = max_bo_size;
	return {};
}

// Ring doorbell 0 and wait for its interrupt: proves MMIO and IRQ work.
static Status ping(Device &rdev)
{
	constexpr u32 expected = regs::DoorbellLast::Index::prep(0) |
				 regs::DoorbellLast::Value::prep(ping_value);

	rdev.doorbell_done.reinit();
	rdev.iomem.write_at<regs::Doorbell>(0, ping_value);

	if (!rdev.doorbell_done.wait_timeout_ms(ping_timeout_ms)) {
		rdev.base.err("no doorbell interrupt\n");
		return Error::timedout();
	}
	if (rdev.doorbell_last != expected) {
		rdev.base.err("doorbell echo %#x is wrong\n", rdev.doorbell_last);
		return Error::io();
	}
	return {};
}

// Bring the hardware up. Everything is device-managed or owned by @rdev:
// on failure nothing is left to undo.
Status device_init(Device &rdev, const kernel::PlatformDevice &pdev)
{
	rdev.iomem = TRY(kernel::IoMem::map(pdev, 0));
	rdev.mmio.init(rdev.iomem);
	TRY(pdev.dev().dma_set_mask_and_coherent(dma_bits));

	TRY(reset(rdev));
	TRY(read_info(rdev));

	rdev.irq = TRY(pdev.irq(0));
	TRY(kernel::request_irq(pdev.dev(), rdev.irq, &rdev));

	rdev.iomem.write<regs::IrqMask>(irq_used);
	kernel::ScopeGuard mask_irqs([&rdev] { rdev.iomem.write<regs::IrqMask>(0); });
	TRY(ping(rdev));
	mask_irqs.dismiss();
	mmu_init(rdev);
	return {};
}

// Quiesce the hardware; the device-managed resources go afterwards.
void device_fini(Device &rdev)
{
	mmu_fini(rdev);
	rdev.iomem.write<regs::IrqMask>(0);
}

} // namespace refgpu
