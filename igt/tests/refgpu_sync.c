// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The refgpu authors */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "refgpu_common.h"

IGT_TEST_DESCRIPTION("DRM sync objects on refgpu (DRIVER_SYNCOBJ, DRIVER_SYNCOBJ_TIMELINE): "
		     "binary and timeline syncobjs, sharing between clients and drivers, "
		     "sync_file import and export (with sw_sync)");

/* sw_sync's ioctls (drivers/dma-buf/sw_sync.c; not in the exported UAPI). */
struct refgpu_sw_sync_create_fence {
	uint32_t value;
	char name[32];
	int32_t fence;
};
#define REFGPU_SW_SYNC_CREATE_FENCE _IOWR('W', 0, struct refgpu_sw_sync_create_fence)
#define REFGPU_SW_SYNC_INC _IOW('W', 1, uint32_t)
#define REFGPU_SW_SYNC_PATH "/sys/kernel/debug/sync/sw_sync"

static int fd = -1;

static int __syncobj_create(int f, uint32_t flags, uint32_t *handle)
{
	struct drm_syncobj_create c = { .flags = flags };
	int ret = refgpu_ioctl(f, DRM_IOCTL_SYNCOBJ_CREATE, &c);

	*handle = c.handle;
	return ret;
}

static uint32_t syncobj_create(int f, uint32_t flags)
{
	uint32_t h = 0;

	igt_assert_eq(__syncobj_create(f, flags, &h), 0);
	igt_assert_neq_u32(h, 0);
	return h;
}

static int __syncobj_destroy(int f, uint32_t handle)
{
	struct drm_syncobj_destroy d = { .handle = handle };

	return refgpu_ioctl(f, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

static uint64_t deadline_ns(uint64_t from_now)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec + from_now;
}

/* SYNCOBJ_WAIT on one handle, @timeout ns from now. */
static int syncobj_wait(int f, uint32_t handle, uint32_t flags, uint64_t timeout)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&handle, .count_handles = 1, .flags = flags,
		.timeout_nsec = (int64_t)deadline_ns(timeout),
	};

	return refgpu_ioctl(f, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static int syncobj_array(int f, unsigned long req, uint32_t handle)
{
	struct drm_syncobj_array a = { .handles = (uintptr_t)&handle, .count_handles = 1 };

	return refgpu_ioctl(f, req, &a);
}

static int syncobj_export(int f, uint32_t handle, uint32_t flags)
{
	struct drm_syncobj_handle h = { .handle = handle, .flags = flags, .fd = -1 };

	igt_assert_eq(refgpu_ioctl(f, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h), 0);
	igt_assert_fd(h.fd);
	return h.fd;
}

static int __syncobj_import(int f, int sfd, uint32_t flags, uint32_t *handle)
{
	struct drm_syncobj_handle h = { .fd = sfd, .flags = flags, .handle = *handle };
	int ret = refgpu_ioctl(f, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h);

	*handle = h.handle;
	return ret;
}

static const uint64_t short_wait = 20 * 1000 * 1000;	/* 20 ms */

static void create_destroy(void)
{
	uint32_t h = syncobj_create(fd, 0), h2 = 0;

	igt_assert_eq(__syncobj_destroy(fd, h), 0);
	igt_assert_eq(__syncobj_destroy(fd, h), -EINVAL);
	igt_assert_eq(__syncobj_destroy(fd, 0), -EINVAL);
	igt_assert_eq(__syncobj_create(fd, 1u << 5, &h2), -EINVAL);

	h = syncobj_create(fd, 0);
	{
		struct drm_syncobj_destroy d = { .handle = h, .pad = 1 };

		igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d), -EINVAL);
	}
	igt_assert_eq(__syncobj_destroy(fd, h), 0);
}

static void wait_unsubmitted(void)
{
	uint32_t h = syncobj_create(fd, 0);

	/* No fence and no WAIT_FOR_SUBMIT: nothing to wait for. */
	igt_assert_eq(syncobj_wait(fd, h, 0, short_wait), -EINVAL);
	igt_assert_eq(syncobj_wait(fd, h, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, short_wait),
		      -ETIME);
	igt_assert_eq(__syncobj_destroy(fd, h), 0);
}

static void signal_reset_wait(void)
{
	uint32_t h = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);

	igt_assert_eq(syncobj_wait(fd, h, 0, short_wait), 0);
	igt_assert_eq(syncobj_array(fd, DRM_IOCTL_SYNCOBJ_RESET, h), 0);
	igt_assert_eq(syncobj_wait(fd, h, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, short_wait),
		      -ETIME);
	igt_assert_eq(syncobj_array(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, h), 0);
	igt_assert_eq(syncobj_wait(fd, h, 0, short_wait), 0);
	igt_assert_eq(syncobj_array(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, h + 100), -ENOENT);
	igt_assert_eq(__syncobj_destroy(fd, h), 0);
}

/* Shared through an fd, the syncobj is one object: B sees A's signal. */
static void share(int other)
{
	uint32_t a = syncobj_create(fd, 0), b = 0;
	int sfd = syncobj_export(fd, a, 0);

	igt_assert_eq(__syncobj_import(other, sfd, 0, &b), 0);
	igt_assert_neq_u32(b, 0);
	close(sfd);
	igt_assert_eq(syncobj_wait(other, b, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, short_wait),
		      -ETIME);
	igt_assert_eq(syncobj_array(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, a), 0);
	igt_assert_eq(syncobj_wait(other, b, 0, short_wait), 0);
	/* A's handle means nothing in B's file (unless B has one as well). */
	igt_assert_eq(__syncobj_destroy(other, b), 0);
	igt_assert_eq(__syncobj_destroy(other, b), -EINVAL);
	igt_assert_eq(__syncobj_destroy(fd, a), 0);
}

static void share_other_client(void)
{
	int other = refgpu_reopen(fd);

	share(other);
	close(other);
}

static void share_other_driver(void)
{
	char driver[64];
	int other = refgpu_open_other_driver(fd, driver, sizeof(driver));

	igt_require_f(other >= 0, "no refgpu device with another driver than this one's\n");
	igt_info("other device: %s\n", driver);
	share(other);
	close(other);
}

static void import_invalid(void)
{
	uint32_t h = 0;
	int pipefd[2];

	igt_assert_eq(pipe(pipefd), 0);
	igt_assert_eq(__syncobj_import(fd, pipefd[0], 0, &h), -EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
	igt_assert_eq(__syncobj_import(fd, -1, 0, &h), -EINVAL);
}

/* A sync_file from sw_sync, imported into a syncobj, then signalled. */
static void sync_file_sw_sync(void)
{
	struct refgpu_sw_sync_create_fence c = { .value = 1, .name = "refgpu-igt" };
	int timeline = open(REFGPU_SW_SYNC_PATH, O_RDWR | O_CLOEXEC), sf;
	uint32_t h = syncobj_create(fd, 0), one = 1;
	struct pollfd pfd;

	igt_require_f(timeline >= 0, "%s: %s (CONFIG_SW_SYNC)\n", REFGPU_SW_SYNC_PATH,
		      strerror(errno));
	igt_assert_eq(ioctl(timeline, REFGPU_SW_SYNC_CREATE_FENCE, &c), 0);
	igt_assert_fd(c.fence);

	igt_assert_eq(__syncobj_import(fd, c.fence, DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
				       &h), 0);
	igt_assert_eq(syncobj_wait(fd, h, 0, short_wait), -ETIME);

	/* Exported back as a sync_file: not readable until the fence signals. */
	sf = syncobj_export(fd, h, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	pfd = (struct pollfd){ .fd = sf, .events = POLLIN };
	igt_assert_eq(poll(&pfd, 1, 0), 0);

	igt_assert_eq(ioctl(timeline, REFGPU_SW_SYNC_INC, &one), 0);
	igt_assert_eq(syncobj_wait(fd, h, 0, short_wait), 0);
	igt_assert_eq(poll(&pfd, 1, 1000), 1);

	close(sf);
	close(c.fence);
	close(timeline);
	igt_assert_eq(__syncobj_destroy(fd, h), 0);
}

static void timeline(void)
{
	uint32_t h = syncobj_create(fd, 0);
	uint64_t point = 5, queried = 0;
	struct drm_syncobj_timeline_array sig = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
	};
	struct drm_syncobj_timeline_array q = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&queried, .count_handles = 1,
	};
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	};

	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &q), 0);
	igt_assert_eq_u64(queried, 0);
	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &sig), 0);
	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &q), 0);
	igt_assert_eq_u64(queried, 5);

	point = 3;
	w.timeout_nsec = (int64_t)deadline_ns(short_wait);
	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), 0);
	point = 7;
	w.timeout_nsec = (int64_t)deadline_ns(short_wait);
	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), -ETIME);

	igt_assert_eq(__syncobj_destroy(fd, h), 0);
}

igt_main
{
	igt_fixture
		fd = refgpu_open();

	igt_describe("SYNCOBJ_CREATE/DESTROY; unknown handle, flag or pad: -EINVAL");
	igt_subtest("create-destroy")
		create_destroy();
	igt_describe("waiting on a syncobj with no fence: -EINVAL, or -ETIME with WAIT_FOR_SUBMIT");
	igt_subtest("wait-unsubmitted")
		wait_unsubmitted();
	igt_describe("created signalled, reset, signalled: waits follow");
	igt_subtest("signal-reset-wait")
		signal_reset_wait();
	igt_describe("a syncobj shared with another client through an fd is one object");
	igt_subtest("share-other-client")
		share_other_client();
	igt_describe("a syncobj shared with the other driver's device is one object");
	igt_subtest("share-other-driver")
		share_other_driver();
	igt_describe("SYNCOBJ_FD_TO_HANDLE of a non-syncobj fd: -EINVAL");
	igt_subtest("import-invalid")
		import_invalid();
	igt_describe("a sw_sync fence imported as a sync_file; exported back; signalled");
	igt_subtest("sync-file-sw-sync")
		sync_file_sw_sync();
	igt_describe("timeline points: signal, query, wait before and after the last point");
	igt_subtest("timeline")
		timeline();

	igt_fixture
		close(fd);
}
