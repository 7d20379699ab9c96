// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The refgpu authors */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "refgpu_common.h"

IGT_TEST_DESCRIPTION("refgpu buffer objects: DRM_IOCTL_REFGPU_BO_CREATE, "
		     "DRM_IOCTL_REFGPU_BO_MMAP_OFFSET and DRM_IOCTL_GEM_CLOSE, "
		     "their results and their documented errors");

static int fd = -1;

static void create_basic(void)
{
	uint64_t size = 4 * refgpu_page_size();
	uint32_t handle = 0;

	igt_assert_eq(__refgpu_bo_create(fd, &size, 0, &handle), 0);
	igt_assert_neq_u32(handle, 0);
	igt_assert_eq_u64(size, 4 * refgpu_page_size());
	refgpu_gem_close(fd, handle);
}

static void create_rounds_up(void)
{
	uint64_t size = 1;
	uint32_t handle = 0;

	igt_assert_eq(__refgpu_bo_create(fd, &size, 0, &handle), 0);
	igt_assert_eq_u64(size, refgpu_page_size());
	refgpu_gem_close(fd, handle);

	size = refgpu_page_size() + 1;
	igt_assert_eq(__refgpu_bo_create(fd, &size, 0, &handle), 0);
	igt_assert_eq_u64(size, 2 * refgpu_page_size());
	refgpu_gem_close(fd, handle);
}

/*
 * A failed BO_CREATE leaves size and handle as they were, and no handle
 * behind: the next BO gets the handle it would have got without it.
 */
static void assert_create_fails(uint64_t size, uint32_t flags, uint32_t handle_in, int err)
{
	struct drm_refgpu_bo_create c = { .size = size, .flags = flags, .handle = handle_in };
	uint32_t next = refgpu_bo_create(fd, refgpu_page_size(), 0);
	int ret;

	refgpu_gem_close(fd, next);
	ret = refgpu_ioctl(fd, DRM_IOCTL_REFGPU_BO_CREATE, &c);
	igt_assert_f(ret == err, "BO_CREATE(size %#llx, flags %#x, handle %u) returned %d (%s), not %d\n",
		     (unsigned long long)size, flags, handle_in, ret, ret ? strerror(-ret) : "success",
		     err);
	igt_assert_eq_u64(c.size, size);
	igt_assert_eq_u32(c.handle, handle_in);
	igt_assert_eq_u32(refgpu_bo_create(fd, refgpu_page_size(), 0), next);
	refgpu_gem_close(fd, next);
}

static void create_zero_size(void)
{
	assert_create_fails(0, 0, 0, -EINVAL);
}

static void create_invalid_flags(void)
{
	assert_create_fails(refgpu_page_size(), ~(uint32_t)DRM_REFGPU_BO_NO_MMAP, 0, -EINVAL);
	assert_create_fails(refgpu_page_size(), 1u << 31, 0, -EINVAL);
}

static void create_handle_not_zero(void)
{
	assert_create_fails(refgpu_page_size(), 0, 1, -EINVAL);
}

static void create_too_big(void)
{
	struct drm_refgpu_gpu_info info;
	uint64_t size;
	uint32_t handle;

	refgpu_gpu_info(fd, &info);
	igt_assert_neq_u64(info.max_bo_size, 0);
	assert_create_fails(info.max_bo_size + 1, 0, 0, -E2BIG);
	assert_create_fails(~0ull, 0, 0, -E2BIG);

	/* The largest size itself is accepted (shmem pages come on first use). */
	size = info.max_bo_size;
	igt_assert_eq(__refgpu_bo_create(fd, &size, 0, &handle), 0);
	igt_assert_eq_u64(size, info.max_bo_size);
	refgpu_gem_close(fd, handle);
}

/* The UAPI header: the new handle is the lowest free one in the file. */
static void create_lowest_free_handle(void)
{
	uint32_t h[4];
	int i;

	for (i = 0; i < 4; i++)
		h[i] = refgpu_bo_create(fd, refgpu_page_size(), 0);
	for (i = 1; i < 4; i++)
		igt_assert_eq_u32(h[i], h[i - 1] + 1);
	refgpu_gem_close(fd, h[1]);
	igt_assert_eq_u32(refgpu_bo_create(fd, refgpu_page_size(), 0), h[1]);
	for (i = 0; i < 4; i++)
		refgpu_gem_close(fd, h[i]);
}

static void close_invalid(void)
{
	uint32_t handle;

	igt_assert_eq(__refgpu_gem_close(fd, 0), -EINVAL);
	igt_assert_eq(__refgpu_gem_close(fd, 0x7fffffff), -EINVAL);

	handle = refgpu_bo_create(fd, refgpu_page_size(), 0);
	refgpu_gem_close(fd, handle);
	/* Closed: a second close finds nothing. */
	igt_assert_eq(__refgpu_gem_close(fd, handle), -EINVAL);
}

static void mmap_zeroed_and_coherent(void)
{
	size_t size = 8 * refgpu_page_size(), i;
	uint32_t handle = refgpu_bo_create(fd, size, 0);
	uint64_t off1 = 0, off2 = 0;
	uint8_t *p, *q;

	igt_assert_eq(__refgpu_mmap_offset(fd, handle, &off1), 0);
	igt_assert_neq_u64(off1, 0);
	igt_assert_eq_u64(off1 % refgpu_page_size(), 0);
	/* The offset stays the same for as long as the BO lives. */
	igt_assert_eq(__refgpu_mmap_offset(fd, handle, &off2), 0);
	igt_assert_eq_u64(off1, off2);

	p = refgpu_bo_map(fd, handle, size);
	for (i = 0; i < size; i++)
		igt_assert_f(p[i] == 0, "byte %zu of a new BO is %#x\n", i, p[i]);
	for (i = 0; i < size; i++)
		p[i] = (uint8_t)(i * 7 + 1);
	igt_assert_eq(munmap(p, size), 0);

	/* A second mapping sees what the first wrote. */
	q = refgpu_bo_map(fd, handle, size);
	for (i = 0; i < size; i++)
		igt_assert_f(q[i] == (uint8_t)(i * 7 + 1), "byte %zu: %#x\n", i, q[i]);
	igt_assert_eq(munmap(q, size), 0);
	refgpu_gem_close(fd, handle);
}

static void mmap_offset_invalid(void)
{
	struct drm_refgpu_bo_mmap_offset m = { 0 };
	uint32_t handle = refgpu_bo_create(fd, refgpu_page_size(), 0);
	uint64_t off;

	igt_assert_eq(__refgpu_mmap_offset(fd, 0, &off), -ENOENT);
	igt_assert_eq(__refgpu_mmap_offset(fd, handle + 1, &off), -ENOENT);

	m.handle = handle;
	m.pad = 1;
	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &m), -EINVAL);

	refgpu_gem_close(fd, handle);
	igt_assert_eq(__refgpu_mmap_offset(fd, handle, &off), -ENOENT);
}

static void mmap_no_mmap_flag(void)
{
	uint32_t handle = refgpu_bo_create(fd, refgpu_page_size(), DRM_REFGPU_BO_NO_MMAP);
	uint64_t off = 0;

	igt_assert_eq(__refgpu_mmap_offset(fd, handle, &off), -EPERM);
	igt_assert_eq_u64(off, 0);
	refgpu_gem_close(fd, handle);
}

/* An offset that belongs to no BO cannot be mapped. */
static void mmap_bad_offset(void)
{
	size_t size = refgpu_page_size();
	uint32_t handle = refgpu_bo_create(fd, size, 0);
	uint64_t off = 0;
	void *p;

	igt_assert_eq(__refgpu_mmap_offset(fd, handle, &off), 0);
	refgpu_gem_close(fd, handle);
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, (off_t)off);
	igt_assert_f(p == MAP_FAILED, "mmap of a closed BO's offset succeeded\n");
	igt_assert_eq(errno, EINVAL);

	/* A mapping larger than the BO is refused as well. */
	handle = refgpu_bo_create(fd, size, 0);
	igt_assert_eq(__refgpu_mmap_offset(fd, handle, &off), 0);
	p = mmap(NULL, 2 * size, PROT_READ, MAP_SHARED, fd, (off_t)off);
	igt_assert_f(p == MAP_FAILED, "mmap of twice the BO's size succeeded\n");
	igt_assert_eq(errno, EINVAL);
	refgpu_gem_close(fd, handle);
}

igt_main
{
	igt_fixture
		fd = refgpu_open();

	igt_describe("BO_CREATE returns a handle and the size it was asked for");
	igt_subtest("create-basic")
		create_basic();
	igt_describe("BO_CREATE rounds the size up to the CPU page size");
	igt_subtest("create-rounds-up")
		create_rounds_up();
	igt_describe("BO_CREATE of size 0 fails with -EINVAL and leaves nothing behind");
	igt_subtest("create-zero-size")
		create_zero_size();
	igt_describe("BO_CREATE with an unknown flag fails with -EINVAL");
	igt_subtest("create-invalid-flags")
		create_invalid_flags();
	igt_describe("BO_CREATE with a non-zero handle on input fails with -EINVAL");
	igt_subtest("create-handle-not-zero")
		create_handle_not_zero();
	igt_describe("BO_CREATE above max_bo_size fails with -E2BIG; max_bo_size itself works");
	igt_subtest("create-too-big")
		create_too_big();
	igt_describe("BO_CREATE returns the lowest free handle of the file");
	igt_subtest("create-lowest-free-handle")
		create_lowest_free_handle();
	igt_describe("GEM_CLOSE of an unknown handle, or with pad set, fails with -EINVAL");
	igt_subtest("close-invalid")
		close_invalid();
	igt_describe("a new BO maps zero-filled; a second mapping sees the first one's writes");
	igt_subtest("mmap-zeroed-coherent")
		mmap_zeroed_and_coherent();
	igt_describe("BO_MMAP_OFFSET of an unknown handle: -ENOENT; pad set: -EINVAL");
	igt_subtest("mmap-offset-invalid")
		mmap_offset_invalid();
	igt_describe("BO_MMAP_OFFSET of a BO created with NO_MMAP fails with -EPERM");
	igt_subtest("mmap-offset-no-mmap")
		mmap_no_mmap_flag();
	igt_describe("mmap of a closed BO's offset, or past a BO's end, fails");
	igt_subtest("mmap-bad-offset")
		mmap_bad_offset();

	igt_fixture
		close(fd);
}
