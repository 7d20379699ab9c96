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

void refgpu_gpu_info(int fd, struct drm_refgpu_gpu_info *info)
{
	struct drm_refgpu_dev_query q = {
		.type = DRM_REFGPU_DEV_QUERY_GPU_INFO,
		.size = sizeof(*info),
		.pointer = (uintptr_t)info,
	};

	memset(info, 0, sizeof(*info));
	igt_assert_eq(refgpu_ioctl(fd, DRM_IOCTL_REFGPU_DEV_QUERY, &q), 0);
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
