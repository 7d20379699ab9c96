// SPDX-License-Identifier: MIT
/* Copyright (C) 2026 The refgpu authors */
#include "refgpu_common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int refgpu_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : 0;
}

static int drm_name(int fd, char *name, size_t len)
{
	struct drm_version v = { .name = name, .name_len = len - 1 };
	int ret;

	memset(name, 0, len);
	ret = refgpu_ioctl(fd, DRM_IOCTL_VERSION, &v);
	return ret;
}

int refgpu_open(void)
{
	char name[32], drv[64], link[64], path[PATH_MAX];
	ssize_t n;
	int fd;

	/* The render node: refgpu's ioctls are all DRM_RENDER_ALLOW. */
	fd = drm_open_driver_render(DRIVER_ANY);
	igt_require_f(drm_name(fd, name, sizeof(name)) == 0 && !strcmp(name, "refgpu"),
		      "not a refgpu device (DRM name \"%s\")\n", name);
	refgpu_fd_driver(fd, drv, sizeof(drv));
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	path[n > 0 ? n : 0] = '\0';
	igt_info("device under test: %s, driver %s\n", path, drv);
	return fd;
}

int refgpu_reopen(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;
	int fd2;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	igt_assert_f(n > 0, "readlink %s: %s\n", link, strerror(errno));
	path[n] = '\0';
	fd2 = open(path, O_RDWR | O_CLOEXEC);
	igt_assert_f(fd2 >= 0, "open %s: %s\n", path, strerror(errno));
	return fd2;
}

/* Basename of the symlink at @path into @out, or "" if it is not one. */
static void link_name(const char *path, char *out, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *base;

	out[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(out, len, "%s", base ? base + 1 : target);
}

void refgpu_fd_driver(int fd, char *driver, size_t len)
{
	char path[128];
	struct stat st;

	igt_assert(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode));
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device/driver", major(st.st_rdev),
		 minor(st.st_rdev));
	link_name(path, driver, len);
	igt_assert_f(driver[0], "%s is not a driver link\n", path);
}

/* The renderD* node of platform device @dev (a directory under /sys/bus/platform/devices). */
static int open_render_of(const char *dev)
{
	char path[PATH_MAX];
	struct dirent *e;
	int fd = -1;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/drm", dev);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "renderD", 7))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		break;
	}
	closedir(d);
	return fd;
}

int refgpu_open_other_driver(int fd, char *driver, size_t len)
{
	char mine[64], theirs[64], path[PATH_MAX];
	struct dirent *e;
	int other = -1;
	DIR *d;

	refgpu_fd_driver(fd, mine, sizeof(mine));
	d = opendir("/sys/bus/platform/devices");
	if (!d)
		return -1;
	while (other < 0 && (e = readdir(d))) {
		if (strncmp(e->d_name, "refgpu.", 7))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/driver", e->d_name);
		link_name(path, theirs, sizeof(theirs));
		if (!theirs[0] || !strcmp(theirs, mine))
			continue;
		other = open_render_of(e->d_name);
		if (other >= 0)
			snprintf(driver, len, "%s", theirs);
	}
	closedir(d);
	return other;
}

int __refgpu_bo_create(int fd, uint64_t *size, uint32_t flags, uint32_t *handle)
{
	struct drm_refgpu_bo_create c = { .size = *size, .flags = flags };
	int ret = refgpu_ioctl(fd, DRM_IOCTL_REFGPU_BO_CREATE, &c);

	*size = c.size;
	*handle = c.handle;
	return ret;
}

uint32_t refgpu_bo_create(int fd, uint64_t size, uint32_t flags)
{
	uint32_t handle = 0;

	igt_assert_eq(__refgpu_bo_create(fd, &size, flags, &handle), 0);
	igt_assert_neq_u32(handle, 0);
	return handle;
}

int __refgpu_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return refgpu_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

void refgpu_gem_close(int fd, uint32_t handle)
{
	igt_assert_eq(__refgpu_gem_close(fd, handle), 0);
}

int __refgpu_mmap_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_refgpu_bo_mmap_offset m = { .handle = handle };
	int ret = refgpu_ioctl(fd, DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &m);

	*offset = m.offset;
	return ret;
}

void *refgpu_bo_map(int fd, uint32_t handle, size_t size)
{
	uint64_t offset = 0;
	void *p;

	igt_assert_eq(__refgpu_mmap_offset(fd, handle, &offset), 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
	igt_assert_f(p != MAP_FAILED, "mmap of handle %u at %#llx: %s\n", handle,
		     (unsigned long long)offset, strerror(errno));
	return p;
}

int __refgpu_prime_export(int fd, uint32_t handle, uint32_t flags, int *dmabuf)
{
	struct drm_prime_handle p = { .handle = handle, .flags = flags, .fd = -1 };
	int ret = refgpu_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	*dmabuf = p.fd;
	return ret;
}

int refgpu_prime_export(int fd, uint32_t handle)
{
	int dmabuf = -1;

	igt_assert_eq(__refgpu_prime_export(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert_fd(dmabuf);
	return dmabuf;
}

int __refgpu_prime_import(int fd, int dmabuf, uint32_t *handle)
{
	struct drm_prime_handle p = { .fd = dmabuf };
	int ret = refgpu_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);

	*handle = p.handle;
	return ret;
}

uint32_t refgpu_prime_import(int fd, int dmabuf)
{
	uint32_t handle = 0;

	igt_assert_eq(__refgpu_prime_import(fd, dmabuf, &handle), 0);
	igt_assert_neq_u32(handle, 0);
	return handle;
}

static void dev_query(int fd, uint32_t type, void *obj, uint32_t size)
{
	struct drm_refgpu_dev_query q = {
		.type = type,
		.size = size,
		.pointer = (uintptr_t)obj,
	};

	memset(obj, 0, size);
	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_REFGPU_DEV_QUERY, &q), 0);
}

void refgpu_gpu_info(int fd, struct drm_refgpu_gpu_info *info)
{
	dev_query(fd, DRM_REFGPU_DEV_QUERY_GPU_INFO, info, sizeof(*info));
}

void refgpu_vm_info(int fd, struct drm_refgpu_vm_info *info)
{
	dev_query(fd, DRM_REFGPU_DEV_QUERY_VM_INFO, info, sizeof(*info));
}

int __refgpu_vm_create(int fd, uint32_t flags, uint32_t *id)
{
	struct drm_refgpu_vm_create c = { .flags = flags };
	int ret = refgpu_ioctl(fd, DRM_IOCTL_REFGPU_VM_CREATE, &c);

	*id = c.id;
	return ret;
}

uint32_t refgpu_vm_create(int fd)
{
	uint32_t id = 0;

	igt_assert_eq(__refgpu_vm_create(fd, 0, &id), 0);
	igt_assert_neq_u32(id, 0);
	return id;
}

int __refgpu_vm_destroy(int fd, uint32_t id)
{
	struct drm_refgpu_vm_destroy d = { .id = id };

	return refgpu_ioctl(fd, DRM_IOCTL_REFGPU_VM_DESTROY, &d);
}

void refgpu_vm_destroy(int fd, uint32_t id)
{
	igt_assert_eq(__refgpu_vm_destroy(fd, id), 0);
}

int __refgpu_vm_bind(int fd, uint32_t vm_id, const struct drm_refgpu_vm_bind_op *ops,
		     uint32_t count)
{
	struct drm_refgpu_vm_bind b = {
		.vm_id = vm_id,
		.ops = { .stride = sizeof(*ops), .count = count, .array = (uintptr_t)ops },
	};

	return refgpu_ioctl(fd, DRM_IOCTL_REFGPU_VM_BIND, &b);
}

bool refgpu_fdinfo(int fd, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);
	char path[64], line[256];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	igt_assert_f(f, "open %s: %s\n", path, strerror(errno));
	while (!found && fgets(line, sizeof(line), f)) {
		const char *v = line + klen + 1;

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		v += strspn(v, " \t");
		snprintf(out, len, "%.*s", (int)strcspn(v, "\n"), v);
		found = true;
	}
	fclose(f);
	return found;
}

uint64_t refgpu_client_id(int fd)
{
	char value[64], *end;
	unsigned long long id;

	igt_assert_f(refgpu_fdinfo(fd, "drm-client-id", value, sizeof(value)),
		     "no drm-client-id in the fdinfo of fd %d\n", fd);
	errno = 0;
	id = strtoull(value, &end, 10);
	igt_assert_f(value[0] >= '0' && value[0] <= '9' && !*end && !errno,
		     "drm-client-id \"%s\" is not a number\n", value);
	return id;
}

/*
 * Reads @fd's refgpu_as: with @count, the number of lines of client
 * @client_id, else the AS of its VM @vm_id or -1. Asserts the file is there
 * and every line has the "as=A client=C vm=V" shape.
 */
static int as_lines(int fd, uint64_t client_id, uint32_t vm_id, bool count)
{
	char path[128], line[128];
	int found = count ? 0 : -1;
	struct stat st;
	FILE *f;

	igt_assert(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode));
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/refgpu_as", minor(st.st_rdev));
	f = fopen(path, "r");
	igt_assert_f(f, "open %s: %s\n", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long client;
		unsigned int as, vm;

		igt_assert_f(sscanf(line, "as=%u client=%llu vm=%u", &as, &client, &vm) == 3,
			     "%s: malformed line \"%s\"\n", path, line);
		if (client != client_id)
			continue;
		if (count)
			found++;
		else if (vm == vm_id)
			found = (int)as;
	}
	fclose(f);
	return found;
}

int refgpu_as_of(int fd, uint64_t client_id, uint32_t vm_id)
{
	return as_lines(fd, client_id, vm_id, false);
}

int refgpu_as_count(int fd, uint64_t client_id)
{
	return as_lines(fd, client_id, 0, true);
}

size_t refgpu_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

uint64_t refgpu_shmem_bytes(void)
{
	unsigned long long kb = 0;
	char line[128];
	bool found = false;
	FILE *f = fopen("/proc/meminfo", "r");

	igt_assert(f);
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "Shmem: %llu kB", &kb) == 1;
	fclose(f);
	igt_assert_f(found, "no Shmem line in /proc/meminfo\n");
	return kb * 1024;
}
