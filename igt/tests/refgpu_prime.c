// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The refgpu authors */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "refgpu_common.h"

IGT_TEST_DESCRIPTION("PRIME (dma-buf) sharing of refgpu buffer objects: within a "
		     "device, between clients, and between the C and the C++ driver");

static int fd = -1;

static void fill(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 13);
}

static void check(const uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		igt_assert_f(p[i] == (uint8_t)(seed + i * 13), "byte %zu is %#x, expected %#x\n",
			     i, p[i], (uint8_t)(seed + i * 13));
}

/* Writes through each mapping must show in the other. */
static void assert_shared(int fd_a, uint32_t a, int fd_b, uint32_t b, size_t size, uint8_t seed)
{
	uint8_t *p = refgpu_bo_map(fd_a, a, size), *q = refgpu_bo_map(fd_b, b, size);

	fill(p, size, seed);
	check(q, size, seed);
	fill(q, size, seed + 1);
	check(p, size, seed + 1);
	munmap(p, size);
	munmap(q, size);
}

/* The device with the other driver; skips the subtest if there is none. */
static int open_other(char *driver, size_t len)
{
	int other = refgpu_open_other_driver(fd, driver, len);

	igt_require_f(other >= 0, "no refgpu device with another driver than this one's\n");
	igt_info("other device: %s\n", driver);
	return other;
}

/* Importing a dma-buf into the file that exported it gives back the same handle. */
static void self_import(void)
{
	uint32_t handle = refgpu_bo_create(fd, refgpu_page_size(), 0);
	int dmabuf = refgpu_prime_export(fd, handle);

	igt_assert_eq_u32(refgpu_prime_import(fd, dmabuf), handle);
	/* Exporting again gives a dma-buf of the same object. */
	close(dmabuf);
	dmabuf = refgpu_prime_export(fd, handle);
	igt_assert_eq_u32(refgpu_prime_import(fd, dmabuf), handle);
	close(dmabuf);
	refgpu_gem_close(fd, handle);
}

/* Another client of the same device gets its own handle to the same pages. */
static void same_device_other_client(void)
{
	size_t size = 4 * refgpu_page_size();
	uint32_t handle = refgpu_bo_create(fd, size, 0), imported;
	int fd2 = refgpu_reopen(fd);
	int dmabuf = refgpu_prime_export(fd, handle);
	uint8_t *q;

	imported = refgpu_prime_import(fd2, dmabuf);
	assert_shared(fd, handle, fd2, imported, size, 76);

	/* The object outlives the exporter's handle and file. */
	refgpu_gem_close(fd, handle);
	close(dmabuf);
	q = refgpu_bo_map(fd2, imported, size);
	check(q, size, 77);
	munmap(q, size);
	refgpu_gem_close(fd2, imported);
	close(fd2);
}

static void dmabuf_mmap(void)
{
	size_t size = 2 * refgpu_page_size();
	uint32_t handle = refgpu_bo_create(fd, size, 0);
	int dmabuf = refgpu_prime_export(fd, handle);
	uint8_t *p, *q;

	p = refgpu_bo_map(fd, handle, size);
	fill(p, size, 9);
	q = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert_f(q != MAP_FAILED, "mmap of the dma-buf: %s\n", strerror(errno));
	check(q, size, 9);
	fill(q, size, 200);
	check(p, size, 200);
	munmap(p, size);
	munmap(q, size);
	close(dmabuf);
	refgpu_gem_close(fd, handle);
}

/* The UAPI header: mmap() of the dma-buf of a NO_MMAP BO fails with -EPERM. */
static void dmabuf_mmap_no_mmap(void)
{
	size_t size = refgpu_page_size();
	uint32_t handle = refgpu_bo_create(fd, size, DRM_REFGPU_BO_NO_MMAP);
	int dmabuf = refgpu_prime_export(fd, handle);
	void *p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	igt_assert_f(p == MAP_FAILED, "mmap of a NO_MMAP BO's dma-buf succeeded\n");
	igt_assert_eq(errno, EPERM);
	/* Imported back into its own device it is the same BO: still NO_MMAP. */
	igt_assert_eq_u32(refgpu_prime_import(fd, dmabuf), handle);
	close(dmabuf);
	refgpu_gem_close(fd, handle);
}

static void export_invalid(void)
{
	uint32_t handle = refgpu_bo_create(fd, refgpu_page_size(), 0);
	int dmabuf = -1;

	igt_assert_eq(__refgpu_prime_export(fd, 0, DRM_CLOEXEC, &dmabuf), -ENOENT);
	igt_assert_eq(__refgpu_prime_export(fd, handle + 1, DRM_CLOEXEC, &dmabuf), -ENOENT);
	/* Only DRM_CLOEXEC and DRM_RDWR are flags of PRIME_HANDLE_TO_FD. */
	igt_assert_eq(__refgpu_prime_export(fd, handle, 1u << 4, &dmabuf), -EINVAL);
	refgpu_gem_close(fd, handle);
	igt_assert_eq(__refgpu_prime_export(fd, handle, DRM_CLOEXEC, &dmabuf), -ENOENT);
}

static void import_invalid(void)
{
	uint32_t handle = 0;
	int pipefd[2], dead;

	/* A closed descriptor, and one that is not a dma-buf. */
	dead = dup(fd);
	igt_assert_fd(dead);
	close(dead);
	igt_assert_eq(__refgpu_prime_import(fd, dead, &handle), -EBADF);
	igt_assert_eq(__refgpu_prime_import(fd, -1, &handle), -EBADF);
	igt_assert_eq(pipe(pipefd), 0);
	igt_assert_eq(__refgpu_prime_import(fd, pipefd[0], &handle), -EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
	igt_assert_eq_u32(handle, 0);
}

/*
 * From this device to the one driven by the other driver and back: the
 * importer gets its own handle and an mmap offset; the data is shared;
 * re-exported from the importer and imported here, it is our own BO again.
 */
static void cross_driver(bool from_other)
{
	size_t size = 4 * refgpu_page_size();
	char driver[64];
	int other = open_other(driver, sizeof(driver));
	int exp_fd = from_other ? other : fd, imp_fd = from_other ? fd : other;
	uint32_t handle = refgpu_bo_create(exp_fd, size, 0), imported;
	int dmabuf = refgpu_prime_export(exp_fd, handle), back;
	uint8_t *q;

	imported = refgpu_prime_import(imp_fd, dmabuf);
	assert_shared(exp_fd, handle, imp_fd, imported, size, 4);

	/* Importing the same dma-buf twice gives the same handle. */
	igt_assert_eq_u32(refgpu_prime_import(imp_fd, dmabuf), imported);

	back = refgpu_prime_export(imp_fd, imported);
	igt_assert_eq_u32(refgpu_prime_import(exp_fd, back), handle);
	close(back);

	/* The importer keeps the object alive after the exporter let go. */
	close(dmabuf);
	refgpu_gem_close(exp_fd, handle);
	q = refgpu_bo_map(imp_fd, imported, size);
	check(q, size, 5);
	munmap(q, size);
	refgpu_gem_close(imp_fd, imported);
	close(other);
}

/*
 * A NO_MMAP BO imported into the other device gets an offset (that is the
 * exporter's decision, taken at mmap() time), and mmap() fails with -EPERM.
 */
static void cross_driver_no_mmap(void)
{
	size_t size = refgpu_page_size();
	char driver[64];
	int other = open_other(driver, sizeof(driver));
	uint32_t handle = refgpu_bo_create(fd, size, DRM_REFGPU_BO_NO_MMAP), imported;
	int dmabuf = refgpu_prime_export(fd, handle);
	uint64_t off = 0;
	void *p;

	imported = refgpu_prime_import(other, dmabuf);
	igt_assert_eq(__refgpu_mmap_offset(other, imported, &off), 0);
	igt_assert_neq_u64(off, 0);
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, other, (off_t)off);
	igt_assert_f(p == MAP_FAILED, "mmap of an imported NO_MMAP BO succeeded\n");
	igt_assert_eq(errno, EPERM);
	close(dmabuf);
	refgpu_gem_close(other, imported);
	refgpu_gem_close(fd, handle);
	close(other);
}

igt_main
{
	igt_fixture
		fd = refgpu_open();

	igt_describe("a BO exported and imported into the same file is the same handle");
	igt_subtest("self-import")
		self_import();
	igt_describe("another client of the device imports the BO and shares its pages");
	igt_subtest("same-device-other-client")
		same_device_other_client();
	igt_describe("the dma-buf maps the BO's pages");
	igt_subtest("dmabuf-mmap")
		dmabuf_mmap();
	igt_describe("the dma-buf of a NO_MMAP BO cannot be mapped (-EPERM)");
	igt_subtest("dmabuf-mmap-no-mmap")
		dmabuf_mmap_no_mmap();
	igt_describe("PRIME_HANDLE_TO_FD of an unknown handle: -ENOENT; unknown flag: -EINVAL");
	igt_subtest("export-invalid")
		export_invalid();
	igt_describe("PRIME_FD_TO_HANDLE of a closed fd: -EBADF; of a pipe: -EINVAL");
	igt_subtest("import-invalid")
		import_invalid();
	igt_describe("a BO of this device shared with the device of the other driver");
	igt_subtest("to-other-driver")
		cross_driver(false);
	igt_describe("a BO of the other driver's device shared with this device");
	igt_subtest("from-other-driver")
		cross_driver(true);
	igt_describe("a NO_MMAP BO imported by the other driver gets an offset, mmap fails -EPERM");
	igt_subtest("to-other-driver-no-mmap")
		cross_driver_no_mmap();

	igt_fixture
		close(fd);
}
