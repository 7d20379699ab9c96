// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The refgpu authors */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "refgpu_common.h"

IGT_TEST_DESCRIPTION("refgpu DRM fdinfo (/proc/PID/fdinfo of a DRM file, drm_show_fdinfo): "
		     "drm-driver, drm-client-id, one id per DRM file, and the id the "
		     "refgpu_as debugfs file names a VM's owner by");

static int fd = -1;

/*
 * drm-driver is the DRM driver name, which both implementations share
 * ("refgpu", the name DRM_IOCTL_VERSION gives): which one runs shows only
 * in the device's sysfs driver link. A platform device has no drm-pdev.
 */
static void fdinfo_driver(void)
{
	char drm[64] = "", sysfs[64], value[64];
	struct drm_version v = { .name = drm, .name_len = sizeof(drm) - 1 };

	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	refgpu_fd_driver(fd, sysfs, sizeof(sysfs));
	igt_assert_f(refgpu_fdinfo(fd, "drm-driver", value, sizeof(value)),
		     "no drm-driver in the fdinfo\n");
	igt_info("drm-driver: %s (DRM name %s, sysfs driver %s)\n", value, drm, sysfs);
	igt_assert_f(!strcmp(value, drm), "drm-driver \"%s\", DRM name \"%s\"\n", value, drm);
	igt_assert_f(!strcmp(value, "refgpu"), "drm-driver \"%s\"\n", value);
	igt_assert_f(!strcmp(sysfs, "refgpu_c") || !strcmp(sysfs, "refgpu_cpp"),
		     "sysfs driver \"%s\"\n", sysfs);
	igt_assert_f(!refgpu_fdinfo(fd, "drm-pdev", value, sizeof(value)),
		     "a platform device's fdinfo has drm-pdev %s\n", value);
}

/* A number, the same on every read, and the same through a dup() of the fd. */
static void fdinfo_client_id(void)
{
	uint64_t id = refgpu_client_id(fd);
	int dup_fd = dup(fd);

	igt_info("drm-client-id: %llu\n", (unsigned long long)id);
	igt_assert_neq_u64(id, 0);
	igt_assert_eq_u64(refgpu_client_id(fd), id);
	igt_assert_fd(dup_fd);
	igt_assert_eq_u64(refgpu_client_id(dup_fd), id);
	close(dup_fd);
}

/* Each open is a DRM file of its own with its own id, on either device. */
static void fdinfo_client_ids_differ(void)
{
	enum { N = 8 };
	uint64_t ids[N + 1];
	int fds[N + 1], i, j;
	char other[64];

	for (i = 0; i < N; i++) {
		fds[i] = refgpu_reopen(fd);
		ids[i] = refgpu_client_id(fds[i]);
	}
	/* The other driver's device draws from the same id space (DRM core's). */
	fds[N] = refgpu_open_other_driver(fd, other, sizeof(other));
	igt_assert_f(fds[N] >= 0, "no refgpu device with another driver\n");
	ids[N] = refgpu_client_id(fds[N]);
	igt_info("ids %llu .. %llu, %s's %llu\n", (unsigned long long)ids[0],
		 (unsigned long long)ids[N - 1], other, (unsigned long long)ids[N]);

	for (i = 0; i <= N; i++) {
		igt_assert_neq_u64(ids[i], refgpu_client_id(fd));
		for (j = 0; j < i; j++)
			igt_assert_f(ids[i] != ids[j], "fds %d and %d both have client id %llu\n",
				     i, j, (unsigned long long)ids[i]);
	}
	for (i = 0; i <= N; i++)
		close(fds[i]);
}

/*
 * A VM with an address space shows in refgpu_as under its file's
 * drm-client-id, and another file's VM under that file's id.
 */
static void fdinfo_as_client(void)
{
	int a = refgpu_reopen(fd), b = refgpu_reopen(fd), as_a, as_b;
	uint64_t ca = refgpu_client_id(a), cb = refgpu_client_id(b);
	uint32_t va, vb;

	igt_assert_eq(refgpu_as_count(fd, ca), 0);
	va = refgpu_vm_create(a);
	vb = refgpu_vm_create(b);
	as_a = refgpu_as_of(fd, ca, va);
	as_b = refgpu_as_of(fd, cb, vb);
	igt_info("client %llu VM %u: AS %d; client %llu VM %u: AS %d\n", (unsigned long long)ca,
		 va, as_a, (unsigned long long)cb, vb, as_b);
	igt_assert_f(as_a > 0, "refgpu_as has no AS for client %llu VM %u\n",
		     (unsigned long long)ca, va);
	igt_assert_f(as_b > 0, "refgpu_as has no AS for client %llu VM %u\n",
		     (unsigned long long)cb, vb);
	igt_assert_neq(as_a, as_b);
	igt_assert_eq(refgpu_as_count(fd, ca), 1);
	igt_assert_eq(refgpu_as_count(fd, cb), 1);

	refgpu_vm_destroy(a, va);
	igt_assert_eq(refgpu_as_count(fd, ca), 0);
	igt_assert_eq(refgpu_as_of(fd, cb, vb), as_b);
	close(b);
	igt_assert_eq(refgpu_as_count(fd, cb), 0);
	close(a);
}

igt_main
{
	igt_fixture
		fd = refgpu_open();

	igt_describe("drm-driver is the DRM driver name, refgpu; no drm-pdev");
	igt_subtest("fdinfo-driver")
		fdinfo_driver();
	igt_describe("drm-client-id is a number, stable, shared by a dup() of the fd");
	igt_subtest("fdinfo-client-id")
		fdinfo_client_id();
	igt_describe("every open file has its own drm-client-id, on both devices");
	igt_subtest("fdinfo-client-ids-differ")
		fdinfo_client_ids_differ();
	igt_describe("refgpu_as names a VM's owner by its file's drm-client-id");
	igt_subtest("fdinfo-as-client")
		fdinfo_as_client();

	igt_fixture
		close(fd);
}
