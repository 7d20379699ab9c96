// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The refgpu authors */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "refgpu_common.h"

IGT_TEST_DESCRIPTION("refgpu clients are isolated: handles are per file, another "
		     "client cannot reach them, and closing a file frees what it held");

static int fd = -1;

/* Handles are names in one file: each new file starts again at 1. */
static void handles_per_file(void)
{
	size_t size = refgpu_page_size();
	int a = refgpu_reopen(fd), b = refgpu_reopen(fd);
	uint32_t ha = refgpu_bo_create(a, size, 0), hb = refgpu_bo_create(b, size, 0);
	uint8_t *pa, *pb;

	igt_assert_eq_u32(ha, 1);
	igt_assert_eq_u32(hb, 1);
	/* The same number names two different objects. */
	pa = refgpu_bo_map(a, ha, size);
	pb = refgpu_bo_map(b, hb, size);
	memset(pa, 0x5a, size);
	igt_assert_eq(pb[0], 0);
	igt_assert_eq(pb[size - 1], 0);
	munmap(pa, size);
	munmap(pb, size);
	close(a);
	close(b);
}

/* Client B can neither close, map nor export client A's handle. */
static void foreign_handle(void)
{
	size_t size = refgpu_page_size();
	int a = refgpu_reopen(fd), b = refgpu_reopen(fd), dmabuf = -1;
	uint32_t h = refgpu_bo_create(a, size, 0);
	uint64_t off = 0;
	uint8_t *p;

	igt_assert_eq(__refgpu_mmap_offset(b, h, &off), -ENOENT);
	igt_assert_eq(__refgpu_prime_export(b, h, DRM_CLOEXEC, &dmabuf), -ENOENT);
	igt_assert_eq(__refgpu_gem_close(b, h), -EINVAL);

	/* A's handle is untouched by all that. */
	p = refgpu_bo_map(a, h, size);
	p[0] = 1;
	munmap(p, size);
	refgpu_gem_close(a, h);
	close(a);
	close(b);
}

/*
 * Another client's mmap offset is of no use: offsets are checked against
 * the file that maps them (drm_vma_node_allow), so B's mmap() is refused.
 */
static void foreign_mmap_offset(void)
{
	size_t size = refgpu_page_size();
	int a = refgpu_reopen(fd), b = refgpu_reopen(fd);
	uint32_t h = refgpu_bo_create(a, size, 0);
	uint64_t off = 0;
	void *p;

	igt_assert_eq(__refgpu_mmap_offset(a, h, &off), 0);
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, b, (off_t)off);
	igt_assert_f(p == MAP_FAILED, "client B mapped client A's BO\n");
	igt_assert_eq(errno, EACCES);
	close(a);
	close(b);
}

/* Render nodes have no global names: GEM_FLINK and GEM_OPEN are refused. */
static void no_flink_on_render(void)
{
	struct drm_gem_flink flink = { 0 };
	struct drm_gem_open open_arg = { .name = 1 };

	flink.handle = refgpu_bo_create(fd, refgpu_page_size(), 0);
	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_GEM_FLINK, &flink), -EACCES);
	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_GEM_OPEN, &open_arg), -EACCES);
	refgpu_gem_close(fd, flink.handle);
}

/*
 * Closing a file without GEM_CLOSE frees every BO it held. Observed two
 * ways: (1) the pages: shmem usage grows by what the BOs' pages take and
 * falls back when the file is closed; (2) the device's mmap offset space:
 * with every object freed, a new BO gets the offset the first BO of the
 * closed file had (a leaked object would still hold it).
 */
static void close_frees_everything(void)
{
	const int count = 16;
	size_t size = 64 * refgpu_page_size();
	uint64_t before, during, after, first_off = 0, off = 0;
	int c = refgpu_reopen(fd), i, d;
	uint32_t h;

	before = refgpu_shmem_bytes();
	for (i = 0; i < count; i++) {
		uint8_t *p;

		h = refgpu_bo_create(c, size, 0);
		igt_assert_eq(__refgpu_mmap_offset(c, h, &off), 0);
		if (i == 0)
			first_off = off;
		p = refgpu_bo_map(c, h, size);
		memset(p, 0xc3, size);
		munmap(p, size);
	}
	during = refgpu_shmem_bytes();
	igt_info("shmem: %llu KiB before, %llu KiB with %d BOs of %zu KiB\n",
		 (unsigned long long)before / 1024, (unsigned long long)during / 1024, count,
		 size / 1024);
	igt_assert_f(during >= before + count * size * 3 / 4,
		     "the BOs' pages do not show in Shmem\n");

	close(c);
	after = refgpu_shmem_bytes();
	igt_info("shmem: %llu KiB after close\n", (unsigned long long)after / 1024);
	igt_assert_f(after + count * size * 3 / 4 <= during,
		     "closing the file did not give the BOs' pages back\n");

	d = refgpu_reopen(fd);
	h = refgpu_bo_create(d, size, 0);
	igt_assert_eq(__refgpu_mmap_offset(d, h, &off), 0);
	igt_assert_f(off == first_off,
		     "new BO got offset %#llx, not %#llx: an object of the closed file holds it\n",
		     (unsigned long long)off, (unsigned long long)first_off);
	close(d);
}

/*
 * A dma-buf keeps its BO alive after the file closes, and frees it when
 * it is closed itself.
 */
static void dmabuf_outlives_file(void)
{
	size_t size = 256 * refgpu_page_size();
	int c = refgpu_reopen(fd), dmabuf;
	uint64_t during, held, after;
	uint32_t h = refgpu_bo_create(c, size, 0);
	uint8_t *p = refgpu_bo_map(c, h, size);

	memset(p, 0x3c, size);
	munmap(p, size);
	dmabuf = refgpu_prime_export(c, h);
	during = refgpu_shmem_bytes();
	close(c);

	held = refgpu_shmem_bytes();
	igt_assert_f(held + size / 4 > during, "the dma-buf's pages were freed with the file\n");
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf, 0);
	igt_assert(p != MAP_FAILED);
	igt_assert_eq(p[0], 0x3c);
	igt_assert_eq(p[size - 1], 0x3c);
	munmap(p, size);

	close(dmabuf);
	after = refgpu_shmem_bytes();
	igt_info("shmem: %llu KiB with the BO, %llu KiB after the file, %llu KiB after the dma-buf\n",
		 (unsigned long long)during / 1024, (unsigned long long)held / 1024,
		 (unsigned long long)after / 1024);
	igt_assert_f(after + size * 3 / 4 <= held, "closing the dma-buf did not free the BO\n");
}

igt_main
{
	igt_fixture
		fd = refgpu_open();

	igt_describe("each file numbers its handles from 1; equal numbers are different BOs");
	igt_subtest("handles-per-file")
		handles_per_file();
	igt_describe("another client's handle: MMAP_OFFSET/PRIME -ENOENT, GEM_CLOSE -EINVAL");
	igt_subtest("foreign-handle")
		foreign_handle();
	igt_describe("another client's mmap offset cannot be mapped (-EACCES)");
	igt_subtest("foreign-mmap-offset")
		foreign_mmap_offset();
	igt_describe("render nodes refuse GEM_FLINK and GEM_OPEN (-EACCES)");
	igt_subtest("no-flink-on-render")
		no_flink_on_render();
	igt_describe("closing a file frees its BOs: their pages and their mmap offsets");
	igt_subtest("close-frees-everything")
		close_frees_everything();
	igt_describe("a dma-buf keeps its BO after the file closes, and frees it when closed");
	igt_subtest("dmabuf-outlives-file")
		dmabuf_outlives_file();

	igt_fixture
		close(fd);
}
