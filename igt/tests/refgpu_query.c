// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The refgpu authors */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "refgpu_common.h"

IGT_TEST_DESCRIPTION("refgpu DRM_IOCTL_REFGPU_DEV_QUERY: size negotiation, "
		     "the GPU information and the documented errors");

/* The first version of struct drm_refgpu_gpu_info, up to max_bo_size. */
#define GPU_INFO_V1_SIZE 40

static int fd = -1;

static int query(uint32_t type, uint32_t *size, void *ptr, uint64_t pad)
{
	struct drm_refgpu_dev_query q = {
		.type = type, .size = *size, .pointer = (uintptr_t)ptr, .pad = pad,
	};
	int ret = refgpu_ioctl(fd, DRM_IOCTL_REFGPU_DEV_QUERY, &q);

	*size = q.size;
	return ret;
}

static void size_query(void)
{
	uint32_t size = 0;

	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, NULL, 0), 0);
	igt_assert_eq_u32(size, sizeof(struct drm_refgpu_gpu_info));

	/* With no pointer the size given is ignored and overwritten. */
	size = 12345;
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, NULL, 0), 0);
	igt_assert_eq_u32(size, sizeof(struct drm_refgpu_gpu_info));
}

static void gpu_info(void)
{
	struct drm_refgpu_gpu_info info;

	refgpu_gpu_info(fd, &info);
	igt_info("gpu_id %#x fw_version %#x features %#llx va_bits %u pa_bits %u doorbells %u max_bo_size %#llx\n",
		 info.gpu_id, info.fw_version, (unsigned long long)info.features, info.va_bits,
		 info.pa_bits, info.doorbell_count, (unsigned long long)info.max_bo_size);
	igt_assert_neq_u32(info.gpu_id, 0);
	igt_assert_neq_u32(info.fw_version, 0);
	igt_assert_eq_u32(info.pad, 0);
	igt_assert(info.va_bits >= 32 && info.va_bits <= 64);
	igt_assert(info.pa_bits >= 32 && info.pa_bits <= 64);
	igt_assert_neq_u64(info.max_bo_size, 0);
	igt_assert_eq_u64(info.max_bo_size % refgpu_page_size(), 0);
	/* Only documented feature bits. */
	igt_assert_eq_u64(info.features & ~(uint64_t)(DRM_REFGPU_FEATURE_MMU |
						      DRM_REFGPU_FEATURE_DOORBELL |
						      DRM_REFGPU_FEATURE_TIMESTAMP), 0);
	igt_assert((info.doorbell_count != 0) ==
		   !!(info.features & DRM_REFGPU_FEATURE_DOORBELL));
}

/*
 * Larger than the kernel's object: the object, then zeroes up to @size;
 * the prefix the kernel knows is what a query of its own size returns.
 */
static void size_negotiation(void)
{
	struct drm_refgpu_gpu_info ref;
	uint8_t buf[256];
	uint32_t size;
	size_t i;

	refgpu_gpu_info(fd, &ref);

	memset(buf, 0xa5, sizeof(buf));
	size = sizeof(buf);
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, buf, 0), 0);
	igt_assert_eq_u32(size, sizeof(buf));
	igt_assert(!memcmp(buf, &ref, sizeof(ref)));
	for (i = sizeof(ref); i < sizeof(buf); i++)
		igt_assert_f(buf[i] == 0, "byte %zu past the object is %#x\n", i, buf[i]);

	/* The first version's size: that prefix, nothing written past it. */
	memset(buf, 0xa5, sizeof(buf));
	size = GPU_INFO_V1_SIZE;
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, buf, 0), 0);
	igt_assert_eq_u32(size, GPU_INFO_V1_SIZE);
	igt_assert(!memcmp(buf, &ref, GPU_INFO_V1_SIZE));
	for (i = GPU_INFO_V1_SIZE; i < sizeof(buf); i++)
		igt_assert_f(buf[i] == 0xa5, "byte %zu past size was written\n", i);
}

static void assert_untouched(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		igt_assert_f(buf[i] == 0xa5, "byte %zu written by a failing query\n", i);
}

static void invalid_type(void)
{
	uint8_t buf[64];
	uint32_t size = sizeof(buf);

	memset(buf, 0xa5, sizeof(buf));
	/* The first type past the last one the header defines. */
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_VM_INFO + 1, &size, buf, 0), -EINVAL);
	igt_assert_eq(query(0xffffffff, &size, buf, 0), -EINVAL);
	size = 0;
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_VM_INFO + 1, &size, NULL, 0), -EINVAL);
	assert_untouched(buf, sizeof(buf));
}

static void invalid_pad(void)
{
	uint8_t buf[64];
	uint32_t size = sizeof(buf);

	memset(buf, 0xa5, sizeof(buf));
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, buf, 1), -EINVAL);
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, buf, 1ull << 63), -EINVAL);
	assert_untouched(buf, sizeof(buf));
}

static void too_small(void)
{
	uint8_t buf[64];
	uint32_t size;

	memset(buf, 0xa5, sizeof(buf));
	for (size = 1; size < GPU_INFO_V1_SIZE; size += 13) {
		uint32_t s = size;

		igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &s, buf, 0), -EINVAL);
		igt_assert_eq_u32(s, size);
	}
	size = GPU_INFO_V1_SIZE - 1;
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, buf, 0), -EINVAL);
	assert_untouched(buf, sizeof(buf));
}

static void too_big(void)
{
	size_t len = 2 * DRM_REFGPU_DEV_QUERY_MAX_SIZE;
	uint8_t *buf = malloc(len);
	uint32_t size;

	igt_assert(buf);
	memset(buf, 0xa5, len);
	size = DRM_REFGPU_DEV_QUERY_MAX_SIZE + 1;
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, buf, 0), -E2BIG);
	size = 0xffffffff;
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, buf, 0), -E2BIG);
	assert_untouched(buf, len);

	/* The maximum itself is accepted. */
	size = DRM_REFGPU_DEV_QUERY_MAX_SIZE;
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, buf, 0), 0);
	free(buf);
}

static void bad_pointer(void)
{
	size_t page = refgpu_page_size();
	struct drm_refgpu_gpu_info ref;
	uint32_t size = sizeof(ref);
	uint8_t *p;
	size_t i;

	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, (void *)8, 0), -EFAULT);

	/* Read-only memory cannot be written either. */
	p = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, p, 0), -EFAULT);
	igt_assert_eq(munmap(p, page), 0);

	/*
	 * A buffer that ends in an unmapped page: -EFAULT, and what was
	 * written before the hole (if anything) are the object's own bytes.
	 */
	refgpu_gpu_info(fd, &ref);
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	igt_assert_eq(munmap(p + page, page), 0);
	memset(p, 0, page);
	size = sizeof(ref);
	igt_assert_eq(query(DRM_REFGPU_DEV_QUERY_GPU_INFO, &size, p + page - 16, 0), -EFAULT);
	for (i = 0; i < 16; i++)
		igt_assert_f(p[page - 16 + i] == 0 || p[page - 16 + i] == ((uint8_t *)&ref)[i],
			     "byte %zu before the hole holds %#x\n", i, p[page - 16 + i]);
	igt_assert_eq(munmap(p, page), 0);
}

igt_main
{
	igt_fixture
		fd = refgpu_open();

	igt_describe("with no pointer, DEV_QUERY returns the size of the object it knows");
	igt_subtest("size-query")
		size_query();
	igt_describe("GPU_INFO holds plausible values and only documented feature bits");
	igt_subtest("gpu-info")
		gpu_info();
	igt_describe("a larger buffer gets the object then zeroes; the v1 size gets a prefix");
	igt_subtest("size-negotiation")
		size_negotiation();
	igt_describe("an unknown query type fails with -EINVAL and writes nothing");
	igt_subtest("invalid-type")
		invalid_type();
	igt_describe("a non-zero pad fails with -EINVAL and writes nothing");
	igt_subtest("invalid-pad")
		invalid_pad();
	igt_describe("a buffer smaller than the first version fails with -EINVAL");
	igt_subtest("too-small")
		too_small();
	igt_describe("a buffer above DRM_REFGPU_DEV_QUERY_MAX_SIZE fails with -E2BIG");
	igt_subtest("too-big")
		too_big();
	igt_describe("an unwritable pointer fails with -EFAULT");
	igt_subtest("bad-pointer")
		bad_pointer();

	igt_fixture
		close(fd);
}
