// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// raw_ioctl()'s retry policy, on a replaced system call.
#include <gtest/gtest.h>

#include <cerrno>

#include "uapi.h"

using namespace refgpu::equiv;

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
