// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The refgpu authors */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "refgpu_common.h"

IGT_TEST_DESCRIPTION("refgpu GPU virtual memory: DRM_IOCTL_REFGPU_VM_CREATE, "
		     "DRM_IOCTL_REFGPU_VM_DESTROY and DRM_IOCTL_REFGPU_VM_BIND, their "
		     "results, their documented errors in their documented order, "
		     "all-or-nothing binds and the VMs' lifetime");

static int fd = -1;
static struct drm_refgpu_vm_info info;

/* Size of a probe BO: large enough that its pages stand out in Shmem. */
#define PROBE_PAGES 256

/*
 * What a mapping does that userspace can see: it holds a reference on its
 * BO (the UAPI's GPU virtual memory section), so a BO whose handle is
 * closed lives on, pages and all, for as long as it is mapped. A probe is a
 * BO with its pages populated; closing its handle gives them back (seen in
 * Shmem) only if no VM maps it.
 */
struct probe {
	uint32_t handle;
	uint64_t size;
	uint64_t shmem;	/* Shmem with the probe's pages in */
};

static struct probe probe_new(int f)
{
	struct probe p = { .size = PROBE_PAGES * (uint64_t)info.page_size };
	uint8_t *map;

	p.handle = refgpu_bo_create(f, p.size, 0);
	map = refgpu_bo_map(f, p.handle, p.size);
	memset(map, 0x5a, p.size);
	munmap(map, p.size);
	p.shmem = refgpu_shmem_bytes();
	return p;
}

/*
 * The probe's pages are in now (it is known to be alive): what it gives back
 * is measured from here. Needed whenever another probe's pages came or went
 * since it was populated.
 */
static void probe_mark(struct probe *p)
{
	p->shmem = refgpu_shmem_bytes();
}

/* Shmem given back since the probe was populated or marked. */
static int64_t probe_given_back(const struct probe *p)
{
	return (int64_t)p->shmem - (int64_t)refgpu_shmem_bytes();
}

#define assert_probe_freed(p, why)							\
	do {										\
		int64_t back_ = probe_given_back(p);					\
		igt_assert_f(back_ >= (int64_t)((p)->size * 3 / 4),			\
			     "%s: the probe BO was not freed (%lld of %llu bytes back)\n", \
			     why, (long long)back_, (unsigned long long)(p)->size);	\
	} while (0)

#define assert_probe_held(p, why)							\
	do {										\
		int64_t back_ = probe_given_back(p);					\
		igt_assert_f(back_ < (int64_t)((p)->size / 4),				\
			     "%s: the probe BO was freed (%lld of %llu bytes back)\n",	\
			     why, (long long)back_, (unsigned long long)(p)->size);	\
	} while (0)

static uint64_t pg(uint64_t n)
{
	return n * info.page_size;
}

/* A VA in the user range with room for 1024 pages on either side. */
static uint64_t va_at(uint64_t page)
{
	return info.user_va_start + pg(1024 + page);
}

static struct drm_refgpu_vm_bind_op map_op(uint32_t handle, uint64_t bo_offset, uint64_t va,
					   uint64_t size, uint32_t flags)
{
	return (struct drm_refgpu_vm_bind_op) {
		.op = DRM_REFGPU_VM_BIND_OP_MAP, .flags = flags, .bo_handle = handle,
		.bo_offset = bo_offset, .va = va, .size = size,
	};
}

static struct drm_refgpu_vm_bind_op unmap_op(uint64_t va, uint64_t size)
{
	return (struct drm_refgpu_vm_bind_op) {
		.op = DRM_REFGPU_VM_BIND_OP_UNMAP, .va = va, .size = size,
	};
}

static void bind(int f, uint32_t vm, const struct drm_refgpu_vm_bind_op *ops, uint32_t count)
{
	igt_assert_eq(__refgpu_vm_bind(f, vm, ops, count), 0);
}

static int bind_args(int f, struct drm_refgpu_vm_bind *b)
{
	return refgpu_ioctl(f, DRM_IOCTL_REFGPU_VM_BIND, b);
}

/*
 * Runs VM_BIND @b, whose ops begin (at @probe_va) with a valid MAP of
 * @probe, on VM @vm: it must fail with @err, and the MAP must not have been
 * applied. The probe's handle is closed after the call; the BO then must be
 * freed (nothing maps it) and destroying the VM must change nothing.
 */
static void assert_refused(struct drm_refgpu_vm_bind *b, struct probe *probe, int err,
			   const char *what)
{
	int ret = bind_args(fd, b);

	igt_assert_f(ret == err, "%s: VM_BIND returned %d (%s), not %d (%s)\n", what, ret,
		     ret ? strerror(-ret) : "success", err, strerror(-err));
	refgpu_gem_close(fd, probe->handle);
	assert_probe_freed(probe, what);
}

/*
 * A two-op VM_BIND on a fresh VM: a valid MAP of a probe, then @bad, which
 * must make the whole call fail with @err and leave the MAP unapplied.
 */
static void refused_after_map(const struct drm_refgpu_vm_bind_op *bad, int err, const char *what)
{
	uint32_t vm = refgpu_vm_create(fd);
	struct probe p = probe_new(fd);
	struct drm_refgpu_vm_bind_op ops[2] = { map_op(p.handle, 0, va_at(0), pg(1), 0), *bad };
	struct drm_refgpu_vm_bind b = {
		.vm_id = vm,
		.ops = { .stride = sizeof(ops[0]), .count = 2, .array = (uintptr_t)ops },
	};

	assert_refused(&b, &p, err, what);
	refgpu_vm_destroy(fd, vm);
}

static void vm_info(void)
{
	struct drm_refgpu_gpu_info gpu;

	refgpu_gpu_info(fd, &gpu);
	igt_info("user VA [%#llx, %#llx), page size %u, max_vms %u, max_bind_ops %u (va_bits %u)\n",
		 (unsigned long long)info.user_va_start, (unsigned long long)info.user_va_end,
		 info.page_size, info.max_vms, info.max_bind_ops, gpu.va_bits);
	igt_assert(gpu.features & DRM_REFGPU_FEATURE_MMU);
	/* The GPU MMU's pages are 4 KiB (docs/hardware.md). */
	igt_assert_eq_u32(info.page_size, 4096);
	igt_assert_eq_u64(info.user_va_start % info.page_size, 0);
	igt_assert_eq_u64(info.user_va_end % info.page_size, 0);
	igt_assert(info.user_va_start < info.user_va_end);
	igt_assert(gpu.va_bits < 64);
	igt_assert_lte_u64(info.user_va_end, 1ull << gpu.va_bits);
	igt_assert_lte_u64(pg(4096), info.user_va_end - info.user_va_start);
	igt_assert_neq_u32(info.max_vms, 0);
	igt_assert_neq_u32(info.max_bind_ops, 0);
	igt_assert_eq_u32(info.pad, 0);
}

/* Ids are the lowest free ones from 1; a destroyed VM's id is free again. */
static void create_destroy(void)
{
	int f = refgpu_reopen(fd);
	uint32_t i;

	for (i = 1; i <= 3; i++)
		igt_assert_eq_u32(refgpu_vm_create(f), i);
	refgpu_vm_destroy(f, 2);
	igt_assert_eq_u32(refgpu_vm_create(f), 2);
	igt_assert_eq_u32(refgpu_vm_create(f), 4);
	for (i = 1; i <= 4; i++)
		refgpu_vm_destroy(f, i);
	igt_assert_eq_u32(refgpu_vm_create(f), 1);
	close(f);
}

static void assert_create_fails(int f, uint32_t flags, uint32_t id_in, uint32_t next)
{
	struct drm_refgpu_vm_create c = { .flags = flags, .id = id_in };
	int ret = refgpu_ioctl(f, DRM_IOCTL_REFGPU_VM_CREATE, &c);

	igt_assert_f(ret == -EINVAL, "VM_CREATE(flags %#x, id %u) returned %d, not -EINVAL\n",
		     flags, id_in, ret);
	igt_assert_eq_u32(c.id, id_in);
	/* Nothing left behind: the next VM gets the id it would have got. */
	igt_assert_eq_u32(refgpu_vm_create(f), next);
	refgpu_vm_destroy(f, next);
}

static void create_invalid(void)
{
	int f = refgpu_reopen(fd);

	igt_assert_eq_u32(refgpu_vm_create(f), 1);
	assert_create_fails(f, 1, 0, 2);
	assert_create_fails(f, 1u << 31, 0, 2);
	assert_create_fails(f, ~0u, 0, 2);
	assert_create_fails(f, 0, 1, 2);
	assert_create_fails(f, 0, 2, 2);
	assert_create_fails(f, 0, ~0u, 2);
	close(f);
}

static void destroy_invalid(void)
{
	struct drm_refgpu_vm_destroy d = { .pad = 1 };
	int f = refgpu_reopen(fd);
	uint32_t vm;

	igt_assert_eq(__refgpu_vm_destroy(f, 0), -ENOENT);
	igt_assert_eq(__refgpu_vm_destroy(f, 1), -ENOENT);
	vm = refgpu_vm_create(f);
	igt_assert_eq(__refgpu_vm_destroy(f, vm + 1), -ENOENT);
	igt_assert_eq(__refgpu_vm_destroy(f, ~0u), -ENOENT);

	/* pad set: refused, and the VM is still there. */
	d.id = vm;
	igt_assert_eq(refgpu_ioctl(f, DRM_IOCTL_REFGPU_VM_DESTROY, &d), -EINVAL);
	d.pad = 1u << 31;
	igt_assert_eq(refgpu_ioctl(f, DRM_IOCTL_REFGPU_VM_DESTROY, &d), -EINVAL);
	bind(f, vm, NULL, 0);

	refgpu_vm_destroy(f, vm);
	igt_assert_eq(__refgpu_vm_destroy(f, vm), -ENOENT);
	igt_assert_eq(__refgpu_vm_bind(f, vm, NULL, 0), -ENOENT);
	close(f);
}

/* max_vms per file: one more is -ENOSPC; another file is not limited by it. */
static void create_max_vms(void)
{
	int f = refgpu_reopen(fd), g;
	uint32_t i, id = 0;

	for (i = 1; i <= info.max_vms; i++)
		igt_assert_eq_u32(refgpu_vm_create(f), i);
	igt_assert_eq(__refgpu_vm_create(f, 0, &id), -ENOSPC);
	igt_assert_eq_u32(id, 0);
	igt_assert_eq(__refgpu_vm_create(f, 0, &id), -ENOSPC);

	g = refgpu_reopen(fd);
	igt_assert_eq_u32(refgpu_vm_create(g), 1);
	close(g);

	refgpu_vm_destroy(f, info.max_vms / 2 + 1);
	igt_assert_eq_u32(refgpu_vm_create(f), info.max_vms / 2 + 1);
	igt_assert_eq(__refgpu_vm_create(f, 0, &id), -ENOSPC);
	close(f);
}

/*
 * A mapping holds its BO after the handle is closed; unmapping it frees
 * the BO. The flags are accepted; an unmap where nothing is mapped and an
 * empty VM_BIND succeed.
 */
static void bind_map_unmap(void)
{
	uint32_t vm = refgpu_vm_create(fd);
	struct probe p = probe_new(fd);
	struct drm_refgpu_vm_bind_op ops[3] = {
		map_op(p.handle, 0, va_at(0), p.size, 0),
		map_op(p.handle, pg(1), va_at(PROBE_PAGES), pg(2), DRM_REFGPU_VM_BIND_READ_ONLY),
		map_op(p.handle, p.size - pg(1), va_at(PROBE_PAGES + 2), pg(1),
		       DRM_REFGPU_VM_BIND_READ_ONLY | DRM_REFGPU_VM_BIND_NO_EXEC),
	};
	struct drm_refgpu_vm_bind_op un = unmap_op(va_at(0), pg(PROBE_PAGES + 3));

	bind(fd, vm, NULL, 0);
	bind(fd, vm, ops, 3);
	refgpu_gem_close(fd, p.handle);
	assert_probe_held(&p, "mapped, handle closed");

	/* The handle is gone but the mapping is not: a map needs a handle. */
	igt_assert_eq(__refgpu_vm_bind(fd, vm, ops, 1), -ENOENT);
	assert_probe_held(&p, "after a failed map of the closed handle");

	bind(fd, vm, &un, 1);
	assert_probe_freed(&p, "unmapped");
	/* Nothing mapped there any more: still fine. */
	bind(fd, vm, &un, 1);
	un = unmap_op(info.user_va_start, info.user_va_end - info.user_va_start);
	bind(fd, vm, &un, 1);
	refgpu_vm_destroy(fd, vm);
}

/* An unmap keeps the parts of a mapping outside its range (and their BO). */
static void bind_split_unmap(void)
{
	uint32_t vm = refgpu_vm_create(fd);
	struct probe p = probe_new(fd);
	struct drm_refgpu_vm_bind_op map = map_op(p.handle, 0, va_at(0), pg(8), 0);
	struct drm_refgpu_vm_bind_op un = unmap_op(va_at(2), pg(4));

	bind(fd, vm, &map, 1);
	refgpu_gem_close(fd, p.handle);
	bind(fd, vm, &un, 1);
	assert_probe_held(&p, "the middle unmapped");
	un = unmap_op(va_at(0), pg(2));
	bind(fd, vm, &un, 1);
	assert_probe_held(&p, "the head unmapped too");
	un = unmap_op(va_at(6), pg(2));
	bind(fd, vm, &un, 1);
	assert_probe_freed(&p, "all three parts unmapped");
	refgpu_vm_destroy(fd, vm);
}

/* A map replaces what was mapped in its range: the old BO's mapping goes. */
static void bind_replace(void)
{
	uint32_t vm = refgpu_vm_create(fd);
	struct probe a = probe_new(fd), b;
	struct drm_refgpu_vm_bind_op op = map_op(a.handle, 0, va_at(0), pg(4), 0);

	bind(fd, vm, &op, 1);
	refgpu_gem_close(fd, a.handle);
	assert_probe_held(&a, "A mapped");

	b = probe_new(fd);
	probe_mark(&a);
	op = map_op(b.handle, 0, va_at(0), pg(4), 0);
	bind(fd, vm, &op, 1);
	assert_probe_freed(&a, "B mapped over all of A");
	probe_mark(&b);
	refgpu_gem_close(fd, b.handle);
	assert_probe_held(&b, "B mapped");
	refgpu_vm_destroy(fd, vm);
	assert_probe_freed(&b, "the VM destroyed");
}

/* The ops of one call apply in array order, each seeing the ones before. */
static void bind_in_order(void)
{
	uint32_t vm = refgpu_vm_create(fd);
	struct probe a = probe_new(fd), b = probe_new(fd);
	struct drm_refgpu_vm_bind_op ops[3] = {
		map_op(a.handle, 0, va_at(0), pg(1), 0),
		unmap_op(va_at(0), pg(1)),
		map_op(b.handle, 0, va_at(0), pg(1), 0),
	};

	probe_mark(&a);
	bind(fd, vm, ops, 3);
	refgpu_gem_close(fd, b.handle);
	assert_probe_held(&b, "mapped by the last op");
	refgpu_gem_close(fd, a.handle);
	assert_probe_freed(&a, "mapped, then unmapped by the next op");
	refgpu_vm_destroy(fd, vm);
}

/* The first and last pages of the user range can be mapped. */
static void bind_va_limits(void)
{
	uint32_t vm = refgpu_vm_create(fd);
	struct probe p = probe_new(fd);
	struct drm_refgpu_vm_bind_op ops[2] = {
		map_op(p.handle, 0, info.user_va_start, pg(1), 0),
		map_op(p.handle, 0, info.user_va_end - pg(2), pg(2), 0),
	};

	bind(fd, vm, ops, 2);
	refgpu_gem_close(fd, p.handle);
	ops[0] = unmap_op(info.user_va_start, pg(1));
	bind(fd, vm, ops, 1);
	assert_probe_held(&p, "the last pages still mapped");
	ops[0] = unmap_op(info.user_va_end - pg(1), pg(1));
	ops[1] = unmap_op(info.user_va_end - pg(2), pg(1));
	bind(fd, vm, ops, 2);
	assert_probe_freed(&p, "both ends unmapped");
	refgpu_vm_destroy(fd, vm);
}

/* max_bind_ops ops in one call work; one more is -E2BIG before any is read. */
static void bind_too_many_ops(void)
{
	uint32_t vm = refgpu_vm_create(fd), n = info.max_bind_ops + 1, i;
	struct drm_refgpu_vm_bind_op *ops = calloc(n, sizeof(*ops));
	struct probe p = probe_new(fd);
	struct drm_refgpu_vm_bind b = {
		.vm_id = vm,
		.ops = { .stride = sizeof(*ops), .count = n, .array = (uintptr_t)ops },
	};

	igt_assert(ops);
	for (i = 0; i < n; i++)
		ops[i] = map_op(p.handle, 0, va_at(i), pg(1), 0);
	b.ops.count = ~0u;
	igt_assert_eq(bind_args(fd, &b), -E2BIG);
	b.ops.count = n;
	assert_refused(&b, &p, -E2BIG, "max_bind_ops + 1 maps");

	p = probe_new(fd);
	for (i = 0; i < n; i++)
		ops[i] = map_op(p.handle, 0, va_at(i), pg(1), 0);
	bind(fd, vm, ops, info.max_bind_ops);
	refgpu_gem_close(fd, p.handle);
	assert_probe_held(&p, "max_bind_ops maps");
	refgpu_vm_destroy(fd, vm);
	assert_probe_freed(&p, "the VM destroyed");
	free(ops);
}

/*
 * Top-level checks on a VM_BIND whose one op is a valid MAP, on a new VM
 * (@unknown_vm: on the id after it, which no VM has).
 */
static void refused_one_map(bool unknown_vm, uint32_t flags, uint32_t stride, int err,
			    const char *what)
{
	uint32_t vm = refgpu_vm_create(fd);
	struct probe p = probe_new(fd);
	uint8_t elem[DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE + 8] = {};
	struct drm_refgpu_vm_bind_op op = map_op(p.handle, 0, va_at(0), pg(1), 0);
	struct drm_refgpu_vm_bind b = {
		.vm_id = unknown_vm ? vm + 1 : vm, .flags = flags,
		.ops = { .stride = stride, .count = 1, .array = (uintptr_t)elem },
	};

	memcpy(elem, &op, sizeof(op));
	assert_refused(&b, &p, err, what);
	refgpu_vm_destroy(fd, vm);
}

static void bind_invalid_flags(void)
{
	refused_one_map(false, 1, sizeof(struct drm_refgpu_vm_bind_op), -EINVAL, "flags 1");
	refused_one_map(false, 1u << 31, sizeof(struct drm_refgpu_vm_bind_op), -EINVAL, "flags 1<<31");
}

static void bind_unknown_vm(void)
{
	struct drm_refgpu_vm_bind_op op = unmap_op(va_at(0), pg(1));
	uint32_t vm;

	refused_one_map(true, 0, sizeof(op), -ENOENT, "the next VM id");
	igt_assert_eq(__refgpu_vm_bind(fd, 0, &op, 1), -ENOENT);
	igt_assert_eq(__refgpu_vm_bind(fd, ~0u, &op, 1), -ENOENT);
	vm = refgpu_vm_create(fd);
	bind(fd, vm, &op, 1);
	refgpu_vm_destroy(fd, vm);
	igt_assert_eq(__refgpu_vm_bind(fd, vm, &op, 1), -ENOENT);
}

static void bind_bad_stride(void)
{
	refused_one_map(false, 0, 0, -EINVAL, "stride 0");
	refused_one_map(false, 0, DRM_REFGPU_VM_BIND_OP_MIN_SIZE - 1, -EINVAL, "stride MIN_SIZE - 1");
	refused_one_map(false, 0, DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE + 1, -EINVAL, "stride MAX_STRIDE + 1");
	refused_one_map(false, 0, ~0u, -EINVAL, "stride ~0");
}

/*
 * A stride past the op the kernel knows: a zero tail is a newer version's
 * fields at their old-behaviour value (accepted), a non-zero one is -E2BIG.
 */
static void bind_stride_tail(void)
{
	static const uint32_t strides[] = {
		sizeof(struct drm_refgpu_vm_bind_op) + 8, 64, DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE,
	};
	const uint32_t opsize = sizeof(struct drm_refgpu_vm_bind_op);
	unsigned int s;

	igt_assert_eq_u32(opsize, DRM_REFGPU_VM_BIND_OP_MIN_SIZE);
	for (s = 0; s < sizeof(strides) / sizeof(strides[0]); s++) {
		uint32_t stride = strides[s], vm = refgpu_vm_create(fd);
		uint8_t *elems = calloc(2, stride);
		struct probe p = probe_new(fd);
		struct drm_refgpu_vm_bind_op ops[2] = {
			map_op(p.handle, 0, va_at(0), pg(1), 0),
			map_op(p.handle, pg(1), va_at(1), pg(1), 0),
		};
		struct drm_refgpu_vm_bind b = {
			.vm_id = vm,
			.ops = { .stride = stride, .count = 2, .array = (uintptr_t)elems },
		};

		igt_assert(elems);
		memcpy(elems, &ops[0], opsize);
		memcpy(elems + stride, &ops[1], opsize);
		/* Non-zero: the last byte of the second element's tail. */
		elems[2 * stride - 1] = 1;
		assert_refused(&b, &p, -E2BIG, "non-zero last tail byte");

		/* ... and the first byte of the first element's tail. */
		p = probe_new(fd);
		ops[0].bo_handle = ops[1].bo_handle = p.handle;
		memcpy(elems, &ops[0], opsize);
		memcpy(elems + stride, &ops[1], opsize);
		elems[2 * stride - 1] = 0;
		elems[opsize] = 0x80;
		assert_refused(&b, &p, -E2BIG, "non-zero first tail byte");

		/* Zero tails: both ops apply. */
		p = probe_new(fd);
		ops[0].bo_handle = ops[1].bo_handle = p.handle;
		memcpy(elems, &ops[0], opsize);
		memcpy(elems + stride, &ops[1], opsize);
		elems[opsize] = 0;
		igt_assert_f(bind_args(fd, &b) == 0, "stride %u with zero tails refused\n", stride);
		refgpu_gem_close(fd, p.handle);
		ops[0] = unmap_op(va_at(0), pg(1));
		bind(fd, vm, ops, 1);
		assert_probe_held(&p, "the second op's mapping left");
		ops[0] = unmap_op(va_at(1), pg(1));
		bind(fd, vm, ops, 1);
		assert_probe_freed(&p, "both unmapped");
		refgpu_vm_destroy(fd, vm);
		free(elems);
	}
}

static void bind_invalid_op(void)
{
	uint32_t bo = refgpu_bo_create(fd, pg(1), 0);
	struct drm_refgpu_vm_bind_op op;

	op = map_op(bo, 0, va_at(8), pg(1), 0);
	op.op = DRM_REFGPU_VM_BIND_OP_UNMAP + 1;
	refused_after_map(&op, -EINVAL, "unknown op");
	op.op = ~0u;
	refused_after_map(&op, -EINVAL, "op ~0");

	op = map_op(bo, 0, va_at(8), pg(1), 0);
	op.pad = 1;
	refused_after_map(&op, -EINVAL, "map with pad");
	op = unmap_op(va_at(8), pg(1));
	op.pad = 1u << 31;
	refused_after_map(&op, -EINVAL, "unmap with pad");

	op = map_op(bo, 0, va_at(8), pg(1), DRM_REFGPU_VM_BIND_NO_EXEC << 1);
	refused_after_map(&op, -EINVAL, "map with an unknown flag");
	op.flags = 1u << 31 | DRM_REFGPU_VM_BIND_READ_ONLY;
	refused_after_map(&op, -EINVAL, "map with bit 31");

	op = unmap_op(va_at(8), pg(1));
	op.flags = DRM_REFGPU_VM_BIND_READ_ONLY;
	refused_after_map(&op, -EINVAL, "unmap with READ_ONLY");
	op.flags = DRM_REFGPU_VM_BIND_NO_EXEC;
	refused_after_map(&op, -EINVAL, "unmap with NO_EXEC");
	op = unmap_op(va_at(8), pg(1));
	op.bo_handle = bo;
	refused_after_map(&op, -EINVAL, "unmap with a BO handle");
	op = unmap_op(va_at(8), pg(1));
	op.bo_offset = pg(1);
	refused_after_map(&op, -EINVAL, "unmap with a BO offset");
	refgpu_gem_close(fd, bo);
}

static void bind_unaligned(void)
{
	uint32_t bo = refgpu_bo_create(fd, pg(4), 0);
	struct drm_refgpu_vm_bind_op op;

	op = map_op(bo, 0, va_at(8) + 1, pg(1), 0);
	refused_after_map(&op, -EINVAL, "map va + 1");
	op.va = va_at(8) + info.page_size / 2;
	refused_after_map(&op, -EINVAL, "map va + page/2");
	op = map_op(bo, 0, va_at(8), pg(1) + 1, 0);
	refused_after_map(&op, -EINVAL, "map size page + 1");
	op.size = pg(1) - 1;
	refused_after_map(&op, -EINVAL, "map size page - 1");
	op = map_op(bo, 1, va_at(8), pg(1), 0);
	refused_after_map(&op, -EINVAL, "map bo_offset 1");
	op.bo_offset = pg(1) + info.page_size / 2;
	refused_after_map(&op, -EINVAL, "map bo_offset 1.5 pages");
	op = unmap_op(va_at(8) + 8, pg(1));
	refused_after_map(&op, -EINVAL, "unmap va + 8");
	op = unmap_op(va_at(8), 8);
	refused_after_map(&op, -EINVAL, "unmap size 8");
	refgpu_gem_close(fd, bo);
}

static void bind_zero_size(void)
{
	uint32_t bo = refgpu_bo_create(fd, pg(1), 0);
	struct drm_refgpu_vm_bind_op op = map_op(bo, 0, va_at(8), 0, 0);

	refused_after_map(&op, -EINVAL, "map size 0");
	op = unmap_op(va_at(8), 0);
	refused_after_map(&op, -EINVAL, "unmap size 0");
	refgpu_gem_close(fd, bo);
}

static void bind_out_of_range(void)
{
	uint64_t top = ~(uint64_t)info.page_size + 1;	/* the last page of 64 bits */
	uint32_t bo = refgpu_bo_create(fd, pg(2), 0);
	struct drm_refgpu_vm_bind_op op;

	op = map_op(bo, 0, info.user_va_end, pg(1), 0);
	refused_after_map(&op, -EINVAL, "map at user_va_end");
	op = map_op(bo, 0, info.user_va_end - pg(1), pg(2), 0);
	refused_after_map(&op, -EINVAL, "map across user_va_end");
	op = unmap_op(info.user_va_end - pg(1), pg(2));
	refused_after_map(&op, -EINVAL, "unmap across user_va_end");
	op = unmap_op(info.user_va_start, info.user_va_end - info.user_va_start + pg(1));
	refused_after_map(&op, -EINVAL, "unmap of the user range and a page");
	op = map_op(bo, 0, top, pg(1), 0);
	refused_after_map(&op, -EINVAL, "map at the last 64-bit page");
	if (info.user_va_start) {
		op = map_op(bo, 0, info.user_va_start - pg(1), pg(2), 0);
		refused_after_map(&op, -EINVAL, "map across user_va_start");
	}

	/* va + size wraps around: to page 1, to 0, and far. */
	op = map_op(bo, 0, top, pg(2), 0);
	refused_after_map(&op, -EINVAL, "map wrapping to page 1");
	op = unmap_op(top, top);
	refused_after_map(&op, -EINVAL, "unmap wrapping to 2^64 - 2 pages");
	/* ... and into the user range. */
	op = unmap_op(info.user_va_end - pg(1), top);
	refused_after_map(&op, -EINVAL, "unmap of size 2^64 - page");
	op = unmap_op(top, pg(1));
	refused_after_map(&op, -EINVAL, "unmap ending at 2^64");
	refgpu_gem_close(fd, bo);
}

static void bind_bad_handle(void)
{
	struct drm_refgpu_vm_bind_op op = map_op(0, 0, va_at(8), pg(1), 0), ops[2];
	uint32_t vm = refgpu_vm_create(fd), closed;
	struct drm_refgpu_vm_bind b = {
		.vm_id = vm,
		.ops = { .stride = sizeof(op), .count = 2, .array = (uintptr_t)ops },
	};
	struct probe p;

	refused_after_map(&op, -ENOENT, "map of handle 0");
	op.bo_handle = 0x7fffffff;
	refused_after_map(&op, -ENOENT, "map of handle 0x7fffffff");

	/* Closed after the probe was made, so the probe cannot take its number. */
	p = probe_new(fd);
	closed = refgpu_bo_create(fd, pg(1), 0);
	refgpu_gem_close(fd, closed);
	ops[0] = map_op(p.handle, 0, va_at(0), pg(1), 0);
	ops[1] = map_op(closed, 0, va_at(8), pg(1), 0);
	assert_refused(&b, &p, -ENOENT, "map of a closed handle");
	refgpu_vm_destroy(fd, vm);
}

static void bind_bo_range(void)
{
	uint32_t bo = refgpu_bo_create(fd, pg(2), 0);
	uint64_t top = ~(uint64_t)info.page_size + 1;
	struct drm_refgpu_vm_bind_op op;
	uint32_t vm;

	op = map_op(bo, 0, va_at(8), pg(3), 0);
	refused_after_map(&op, -EINVAL, "3 pages of a 2-page BO");
	op = map_op(bo, pg(2), va_at(8), pg(1), 0);
	refused_after_map(&op, -EINVAL, "a page at the BO's end");
	op = map_op(bo, pg(1), va_at(8), pg(2), 0);
	refused_after_map(&op, -EINVAL, "2 pages from the BO's second");
	op = map_op(bo, pg(3), va_at(8), pg(1), 0);
	refused_after_map(&op, -EINVAL, "a page past the BO's end");
	op = map_op(bo, top, va_at(8), pg(2), 0);
	refused_after_map(&op, -EINVAL, "bo_offset + size wrapping");

	/* The BO's last page and the whole BO are fine. */
	vm = refgpu_vm_create(fd);
	op = map_op(bo, pg(1), va_at(8), pg(1), 0);
	bind(fd, vm, &op, 1);
	op = map_op(bo, 0, va_at(16), pg(2), 0);
	bind(fd, vm, &op, 1);
	refgpu_vm_destroy(fd, vm);
	refgpu_gem_close(fd, bo);
}

/*
 * The first failing check gives the error: top-level checks in the
 * header's order, then the ops in array order, each in the header's order.
 */
static void bind_check_order(void)
{
	uint32_t vm = refgpu_vm_create(fd), bo = refgpu_bo_create(fd, pg(1), 0);
	uint8_t elems[2 * 64] = {};
	struct drm_refgpu_vm_bind_op ok = map_op(bo, 0, va_at(0), pg(1), 0), bad[2];
	struct drm_refgpu_vm_bind b = {
		.vm_id = vm, .ops = { .stride = sizeof(ok), .count = 1, .array = (uintptr_t)&ok },
	};

	/* flags, then the VM, then the count, then the stride. */
	b.flags = 1;
	b.vm_id = vm + 1;
	b.ops.count = info.max_bind_ops + 1;
	b.ops.stride = 0;
	igt_assert_eq(bind_args(fd, &b), -EINVAL);
	b.flags = 0;
	igt_assert_eq(bind_args(fd, &b), -ENOENT);
	b.vm_id = vm;
	igt_assert_eq(bind_args(fd, &b), -E2BIG);
	/* A zero count succeeds before the stride is looked at. */
	b.ops.count = 0;
	b.ops.array = 0;
	igt_assert_eq(bind_args(fd, &b), 0);
	b.ops.count = 1;
	igt_assert_eq(bind_args(fd, &b), -EINVAL);

	/* Within an op: the tail, then the op's fields, then the range, then the BO. */
	bad[0] = map_op(0, 1, va_at(0) + 1, 0, 1u << 31);
	bad[0].op = 7;
	memcpy(elems, &bad[0], sizeof(bad[0]));
	elems[sizeof(bad[0])] = 1;
	b.ops = (struct drm_refgpu_obj_array) { .stride = 64, .count = 1, .array = (uintptr_t)elems };
	igt_assert_eq(bind_args(fd, &b), -E2BIG);
	bad[0] = map_op(0, 0, va_at(0), pg(1), 0);
	igt_assert_eq(__refgpu_vm_bind(fd, vm, bad, 1), -ENOENT);
	bad[0].pad = 1;
	igt_assert_eq(__refgpu_vm_bind(fd, vm, bad, 1), -EINVAL);
	bad[0] = map_op(0, 0, va_at(0), pg(1), 1u << 31);
	igt_assert_eq(__refgpu_vm_bind(fd, vm, bad, 1), -EINVAL);
	bad[0] = map_op(0, 0, va_at(0) + 1, pg(1), 0);
	igt_assert_eq(__refgpu_vm_bind(fd, vm, bad, 1), -EINVAL);
	bad[0] = map_op(0, 0, va_at(0), 0, 0);
	igt_assert_eq(__refgpu_vm_bind(fd, vm, bad, 1), -EINVAL);
	bad[0] = map_op(0, 0, info.user_va_end, pg(1), 0);
	igt_assert_eq(__refgpu_vm_bind(fd, vm, bad, 1), -EINVAL);

	/* Array order: the first bad op's error, whatever the later ones. */
	bad[0] = map_op(0, 0, va_at(0), pg(1), 0);
	bad[1] = map_op(bo, 0, va_at(0) + 1, pg(1), 0);
	igt_assert_eq(__refgpu_vm_bind(fd, vm, bad, 2), -ENOENT);
	bad[0] = bad[1];
	bad[1] = map_op(0, 0, va_at(0), pg(1), 0);
	igt_assert_eq(__refgpu_vm_bind(fd, vm, bad, 2), -EINVAL);
	/* A bad handle in op 0 comes before a non-zero tail in op 1. */
	memset(elems, 0, sizeof(elems));
	memcpy(elems, &bad[1], sizeof(bad[1]));
	memcpy(elems + 64, &ok, sizeof(ok));
	elems[64 + 63] = 1;
	b.ops = (struct drm_refgpu_obj_array) { .stride = 64, .count = 2, .array = (uintptr_t)elems };
	igt_assert_eq(bind_args(fd, &b), -ENOENT);
	refgpu_vm_destroy(fd, vm);
	refgpu_gem_close(fd, bo);
}

/* Destroying a VM unmaps everything in it. */
static void destroy_unmaps(void)
{
	uint32_t vm = refgpu_vm_create(fd);
	struct probe p = probe_new(fd);
	struct drm_refgpu_vm_bind_op ops[2] = {
		map_op(p.handle, 0, va_at(0), p.size, 0),
		map_op(p.handle, 0, info.user_va_end - p.size, p.size, 0),
	};

	bind(fd, vm, ops, 2);
	refgpu_gem_close(fd, p.handle);
	assert_probe_held(&p, "mapped twice");
	refgpu_vm_destroy(fd, vm);
	assert_probe_freed(&p, "the VM destroyed");
}

/*
 * Closing a file destroys its VMs: their mappings let their BOs go and
 * their address spaces are released (refgpu_as shows none of the client).
 */
static void close_frees_vms(void)
{
	int f = refgpu_reopen(fd), vms = 0;
	uint64_t client = refgpu_client_id(f);
	struct probe p;
	uint32_t i, vm;

	p = probe_new(f);
	for (i = 0; i < info.max_vms; i++) {
		struct drm_refgpu_vm_bind_op op = map_op(p.handle, 0, va_at(i), pg(1), 0);

		vm = refgpu_vm_create(f);
		bind(f, vm, &op, 1);
		vms += refgpu_as_of(fd, client, vm) >= 0;
	}
	refgpu_gem_close(f, p.handle);
	assert_probe_held(&p, "mapped in the file's VMs");
	igt_info("%u VMs, %d with an AS\n", info.max_vms, vms);
	igt_assert_lte(1, vms);
	igt_assert_eq(refgpu_as_count(fd, client), vms);

	close(f);
	assert_probe_freed(&p, "the file closed");
	igt_assert_eq(refgpu_as_count(fd, client), 0);
}

/*
 * VM ids are names in one file: another file cannot destroy or bind them,
 * and has ids of its own starting at 1.
 */
static void vms_per_file(void)
{
	int a = refgpu_reopen(fd), b = refgpu_reopen(fd);
	uint32_t va = refgpu_vm_create(a);
	struct probe p = probe_new(a);
	struct drm_refgpu_vm_bind_op op = map_op(p.handle, 0, va_at(0), pg(1), 0);
	struct drm_refgpu_vm_bind_op un = unmap_op(va_at(0), pg(1));

	igt_assert_eq_u32(va, 1);
	igt_assert_eq(__refgpu_vm_destroy(b, va), -ENOENT);
	igt_assert_eq(__refgpu_vm_bind(b, va, &un, 1), -ENOENT);
	/* B's map of A's handle fails on the VM id before the handle. */
	igt_assert_eq(__refgpu_vm_bind(b, va, &op, 1), -ENOENT);

	/* B's VM 1 is another VM, and A's handle names nothing in B. */
	igt_assert_eq_u32(refgpu_vm_create(b), 1);
	igt_assert_eq(__refgpu_vm_bind(b, 1, &op, 1), -ENOENT);
	bind(b, 1, &un, 1);
	refgpu_vm_destroy(b, 1);
	igt_assert_eq(__refgpu_vm_destroy(b, 1), -ENOENT);

	/* A's VM is intact and usable. */
	bind(a, va, &op, 1);
	refgpu_gem_close(a, p.handle);
	assert_probe_held(&p, "mapped in A's VM");
	refgpu_vm_destroy(a, va);
	assert_probe_freed(&p, "A's VM destroyed");
	close(a);
	close(b);
}

igt_main
{
	igt_fixture {
		fd = refgpu_open();
		refgpu_vm_info(fd, &info);
		igt_assert_f(info.page_size, "VM_INFO gives page size 0\n");
	}

	igt_describe("VM_INFO: a page-aligned user range inside va_bits, 4 KiB pages, limits set");
	igt_subtest("vm-info")
		vm_info();
	igt_describe("VM_CREATE gives the lowest free id from 1; VM_DESTROY frees it");
	igt_subtest("create-destroy")
		create_destroy();
	igt_describe("VM_CREATE with flags or an id set fails with -EINVAL, leaving nothing");
	igt_subtest("create-invalid")
		create_invalid();
	igt_describe("VM_DESTROY of an unknown or destroyed id: -ENOENT; pad set: -EINVAL");
	igt_subtest("destroy-invalid")
		destroy_invalid();
	igt_describe("a file holds max_vms VMs; one more is -ENOSPC");
	igt_subtest("create-max-vms")
		create_max_vms();
	igt_describe("a mapping holds its BO past GEM_CLOSE; unmapping lets it go");
	igt_subtest("bind-map-unmap")
		bind_map_unmap();
	igt_describe("an unmap keeps the parts of a mapping outside its range");
	igt_subtest("bind-split-unmap")
		bind_split_unmap();
	igt_describe("a map replaces what was mapped in its range");
	igt_subtest("bind-replace")
		bind_replace();
	igt_describe("the ops of one VM_BIND apply in order, each seeing the ones before");
	igt_subtest("bind-in-order")
		bind_in_order();
	igt_describe("the first and last pages of the user range can be mapped");
	igt_subtest("bind-va-limits")
		bind_va_limits();
	igt_describe("max_bind_ops ops work; one more is -E2BIG, nothing applied");
	igt_subtest("bind-too-many-ops")
		bind_too_many_ops();
	igt_describe("VM_BIND with flags set fails with -EINVAL, nothing applied");
	igt_subtest("bind-invalid-flags")
		bind_invalid_flags();
	igt_describe("VM_BIND on an unknown VM id fails with -ENOENT, nothing applied");
	igt_subtest("bind-unknown-vm")
		bind_unknown_vm();
	igt_describe("a stride below the op's first version or above the maximum: -EINVAL");
	igt_subtest("bind-bad-stride")
		bind_bad_stride();
	igt_describe("a larger stride: zero tail accepted, non-zero tail -E2BIG, nothing applied");
	igt_subtest("bind-stride-tail")
		bind_stride_tail();
	igt_describe("unknown op, pad, unknown flags, unmap fields set: -EINVAL, nothing applied");
	igt_subtest("bind-invalid-op")
		bind_invalid_op();
	igt_describe("va, size or bo_offset not page-aligned: -EINVAL, nothing applied");
	igt_subtest("bind-unaligned")
		bind_unaligned();
	igt_describe("a zero size: -EINVAL, nothing applied");
	igt_subtest("bind-zero-size")
		bind_zero_size();
	igt_describe("a range outside the user VA or wrapping around: -EINVAL, nothing applied");
	igt_subtest("bind-out-of-range")
		bind_out_of_range();
	igt_describe("a map of an unknown BO handle: -ENOENT, nothing applied");
	igt_subtest("bind-bad-handle")
		bind_bad_handle();
	igt_describe("a map past the BO's end: -EINVAL, nothing applied");
	igt_subtest("bind-bo-range")
		bind_bo_range();
	igt_describe("the first failing check, in the header's order, gives the error");
	igt_subtest("bind-check-order")
		bind_check_order();
	igt_describe("VM_DESTROY unmaps everything the VM maps");
	igt_subtest("destroy-unmaps")
		destroy_unmaps();
	igt_describe("closing a file destroys its VMs: BOs and address spaces freed");
	igt_subtest("close-frees-vms")
		close_frees_vms();
	igt_describe("VM ids are per file: another file cannot destroy or bind them");
	igt_subtest("vms-per-file")
		vms_per_file();

	igt_fixture
		close(fd);
}
