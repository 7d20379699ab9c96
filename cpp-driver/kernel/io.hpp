// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// MMIO through the typed registers of the generated refgpu_regs.hpp: a
// register is named by its type, so an offset cannot be mistyped, and writes
// to read-only registers do not compile.
#pragma once

#include "device.hpp"
#include "refgpu_regs.hpp"

namespace kernel {

class IoMem {
public:
	IoMem() = default;

	// Device-managed mapping of the platform device's MEM resource @index.
	static Result<IoMem> map(const PlatformDevice &pdev, unsigned int index)
	{
		void *p = nullptr;
		int ret = refgpu_cpp_platform_ioremap(pdev.raw(), index, &p);
		if (ret)
			return Error::from_errno(ret);
		return IoMem(p);
	}

	template <class Reg> u32 read() const
	{
		static_assert(Reg::access != refgpu::regs::Access::WO, "register is write-only");
		return refgpu_cpp_readl(base_, Reg::offset);
	}

	template <class Reg> void write(u32 val) const
	{
		static_assert(Reg::access != refgpu::regs::Access::RO, "register is read-only");
		refgpu_cpp_writel(base_, Reg::offset, val);
	}

	template <class Array> u32 read_at(u32 index) const
	{
		static_assert(Array::access != refgpu::regs::Access::WO, "register is write-only");
		return refgpu_cpp_readl(base_, Array::offset(index));
	}

	template <class Array> void write_at(u32 index, u32 val) const
	{
		static_assert(Array::access != refgpu::regs::Access::RO, "register is read-only");
		refgpu_cpp_writel(base_, Array::offset(index), val);
	}

	// Poll @Reg until @done(value) or @timeout_us have passed on the clock,
	// sleeping up to @delay_us between reads: readl_poll_timeout(), in time
	// as well as in result (the same deadline, the same sleep range, one
	// last read after the deadline so a poller that was preempted past it
	// does not report a timeout for a register that is ready). Process
	// context only.
	template <class Reg, class Pred>
	Result<u32> poll_timeout(Pred done, unsigned long delay_us, unsigned long timeout_us) const
	{
		const s64 deadline = refgpu_cpp_ktime_get_ns() + s64(timeout_us) * 1000;

		for (;;) {
			u32 v = read<Reg>();
			if (done(v))
				return move(v);
			if (refgpu_cpp_ktime_get_ns() > deadline) {
				v = read<Reg>();
				if (done(v))
					return move(v);
				return Error::timedout();
			}
			refgpu_cpp_usleep_range((delay_us >> 2) + 1, delay_us);
		}
	}

private:
	explicit IoMem(void *base) : base_(base) {}
	void *base_ = nullptr;
};

} // namespace kernel
