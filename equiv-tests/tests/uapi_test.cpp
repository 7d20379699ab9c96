// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// raw_ioctl()'s retry policy, on a replaced system call; the VM_BIND
// builders, gpu_data() and create_close_bo(), on the fake device.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "fake_device.h"
#include "uapi.h"

using namespace refgpu::equiv;
using refgpu::equiv::test::FakeRefgpu;

namespace {

unsigned g_calls;
unsigned g_fail_first; // fail this many calls, then succeed
int g_errno;

int failing_syscall(int, unsigned long, void *)
{
	if (g_calls++ < g_fail_first) {
		errno = g_errno;
		return -1;
	}
	return 0;
}

void arm(unsigned fail_first, int err)
{
	g_calls = 0;
	g_fail_first = fail_first;
	g_errno = err;
}

} // namespace

TEST(RawIoctl, EagainForeverGivesUpAfterTheBound)
{
	arm(~0u, EAGAIN);
	EXPECT_EQ(raw_ioctl(3, 0, nullptr, failing_syscall), -EAGAIN);
	EXPECT_EQ(g_calls, kIoctlEagainRetries + 1);
}

TEST(RawIoctl, TransientEagainAndEintrAreRetried)
{
	arm(kIoctlEagainRetries, EAGAIN); // the last allowed retry succeeds
	EXPECT_EQ(raw_ioctl(3, 0, nullptr, failing_syscall), 0);
	EXPECT_EQ(g_calls, kIoctlEagainRetries + 1);
	arm(1000, EINTR); // EINTR has no bound
	EXPECT_EQ(raw_ioctl(3, 0, nullptr, failing_syscall), 0);
	EXPECT_EQ(g_calls, 1001u);
}

TEST(RawIoctl, OtherErrorsAreReturnedAtOnce)
{
	arm(~0u, EINVAL);
	EXPECT_EQ(raw_ioctl(3, 0, nullptr, failing_syscall), -EINVAL);
	EXPECT_EQ(g_calls, 1u);
}

TEST(VmBindBuilders, OpsAndArgumentCarryWhatTheyAreGiven)
{
	const drm_refgpu_vm_bind_op m = vm_map_op(3, 0x2000, 1ull << 32, 0x5000,
						    DRM_REFGPU_VM_BIND_NO_EXEC);
	EXPECT_EQ(m.op, DRM_REFGPU_VM_BIND_OP_MAP);
	EXPECT_EQ(m.flags, DRM_REFGPU_VM_BIND_NO_EXEC);
	EXPECT_EQ(m.bo_handle, 3u);
	EXPECT_EQ(m.pad, 0u);
	EXPECT_EQ(m.bo_offset, 0x2000u);
	EXPECT_EQ(m.va, 1ull << 32);
	EXPECT_EQ(m.size, 0x5000u);
	const drm_refgpu_vm_bind_op u = vm_unmap_op(1ull << 33, 0x1000);
	drm_refgpu_vm_bind_op want{};
	want.op = DRM_REFGPU_VM_BIND_OP_UNMAP;
	want.va = 1ull << 33;
	want.size = 0x1000;
	EXPECT_EQ(std::memcmp(&u, &want, sizeof(u)), 0);

	const drm_refgpu_vm_bind_op ops[2] = {m, u};
	const drm_refgpu_vm_bind a = vm_bind_arg(9, ops, 2, 48, 1);
	EXPECT_EQ(a.vm_id, 9u);
	EXPECT_EQ(a.flags, 1u);
	EXPECT_EQ(a.ops.stride, 48u);
	EXPECT_EQ(a.ops.count, 2u);
	EXPECT_EQ(a.ops.array, reinterpret_cast<std::uintptr_t>(ops));
	const drm_refgpu_vm_bind d = vm_bind_arg(1, nullptr, 0);
	EXPECT_EQ(d.ops.stride, sizeof(drm_refgpu_vm_bind_op));
	EXPECT_EQ(d.ops.array, 0u);
	EXPECT_EQ(d.flags, 0u);
}

// A bind built by the helpers maps what the GPU then reads, in gpu_data's form.
TEST(VmBindBuilders, ABindMapsTheBoTheGpuReads)
{
	EXPECT_EQ(gpu_data(0x1234abcd), "data=0x000000001234abcd");
	FakeRefgpu dev;
	drm_refgpu_bo_create bo{};
	bo.size = 4096;
	ASSERT_EQ(dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &bo), 0);
	drm_refgpu_bo_mmap_offset mo{};
	mo.handle = bo.handle;
	ASSERT_EQ(dev.ioctl(DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &mo), 0);
	int ret = 0;
	Mapping m = dev.mmap(4096, mo.offset, &ret);
	ASSERT_TRUE(m.valid());
	const std::uint64_t word = 0x0123456789abcdefull;
	std::memcpy(m.bytes() + 8, &word, 8);
	drm_refgpu_vm_create vm{};
	ASSERT_EQ(dev.ioctl(DRM_IOCTL_REFGPU_VM_CREATE, &vm), 0);
	const std::uint64_t va = 1ull << 32;
	const drm_refgpu_vm_bind_op op = vm_map_op(bo.handle, 0, va, 4096);
	drm_refgpu_vm_bind b = vm_bind_arg(vm.id, &op, 1);
	ASSERT_EQ(dev.ioctl(DRM_IOCTL_REFGPU_VM_BIND, &b), 0);
	EXPECT_EQ(dev.gpu_access(vm.id, va + 12, 'r'), gpu_data(word));
	EXPECT_EQ(dev.gpu_access(vm.id, va, 'r'), gpu_data(0));
	const drm_refgpu_vm_bind_op un = vm_unmap_op(va, 4096);
	b = vm_bind_arg(vm.id, &un, 1);
	ASSERT_EQ(dev.ioctl(DRM_IOCTL_REFGPU_VM_BIND, &b), 0);
	EXPECT_EQ(dev.gpu_access(vm.id, va + 8, 'r'), "fault=translation level=3");
}

TEST(CreateCloseBo, GivesTheHandleAndOffsetAndClosesTheBo)
{
	FakeRefgpu dev;
	std::uint32_t h = 0;
	std::uint64_t off = 0;
	EXPECT_EQ(create_close_bo(dev, &h, &off), "");
	EXPECT_EQ(h, 1u);
	EXPECT_NE(off, 0u);
	EXPECT_EQ(dev.live_bos(), 0u);
	EXPECT_EQ(dev.calls[DRM_IOCTL_REFGPU_BO_MMAP_OFFSET], 1u);
	// Without an offset asked for, no BO_MMAP_OFFSET.
	EXPECT_EQ(create_close_bo(dev, &h), "");
	EXPECT_EQ(dev.calls[DRM_IOCTL_REFGPU_BO_MMAP_OFFSET], 1u);
	EXPECT_EQ(dev.calls[DRM_IOCTL_GEM_CLOSE], 2u);
}

TEST(CreateCloseBo, SaysWhatFailed)
{
	struct Case {
		unsigned long request;
		const char *why;
	} cases[] = {
		{DRM_IOCTL_REFGPU_BO_CREATE, "BO_CREATE 4 KiB failed: -ENOMEM"},
		{DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, "BO_MMAP_OFFSET of the new BO 1 failed: -ENOMEM"},
		{DRM_IOCTL_GEM_CLOSE, "GEM_CLOSE of the new BO 1 failed: -ENOMEM"},
	};
	for (const Case &k : cases) {
		FakeRefgpu dev;
		dev.quirks.fail_request = k.request;
		std::uint32_t h = 0;
		std::uint64_t off = 0;
		EXPECT_EQ(create_close_bo(dev, &h, &off), k.why);
		EXPECT_EQ(off, 0u) << k.why;
	}
}
