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

	template <class Array> void write_at(u32 index, u32 val) const
	{
		static_assert(Array::access != refgpu::regs::Access::RO, "register is read-only");
		refgpu_cpp_writel(base_, Array::offset(index), val);
	}

	// Poll @Reg, sleeping @delay_us between reads, until @done(value), for
	// at most @timeout_us: readl_poll_timeout(). Process context only.
	template <class Reg, class Pred>
	Result<u32> poll_timeout(Pred done, unsigned long delay_us, unsigned long timeout_us) const
	{
		for (unsigned long waited = 0;; waited += delay_us) {
			u32 v = read<Reg>();
			if (done(v))
				return move(v);
			if (waited >= timeout_us)
				return Error::timedout();
			refgpu_cpp_fsleep(delay_us);
		}
	}

private:
	explicit IoMem(void *base) : base_(base) {}
	void *base_ = nullptr;
};

} // namespace kernel
