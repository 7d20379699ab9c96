/* SPDX-License-Identifier: MIT */
/* Copyright (C) 2026 The refgpu authors */
#ifndef REFGPU_COMMON_H
#define REFGPU_COMMON_H

/*
 * Helpers shared by refgpu's IGT tests: opening the device under test and
 * the other refgpu device, and thin ioctl wrappers that return 0 or -errno
 * (so a subtest can assert the exact errno the UAPI header documents).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <unistd.h>

#include "refgpu_igt.h"
#include "refgpu_drm.h"

/* Render node of the device selected by --device / IGT_DEVICE; skips if not refgpu. */
int refgpu_open(void);

/* Another client (a new open file) of the same device as @fd. */
int refgpu_reopen(int fd);

/*
 * Render node of a refgpu device bound to a different driver than @fd's
 * (found through /sys/bus/platform/devices/refgpu.* and their driver
 * links), or -1 if there is none. @driver receives its driver's name.
 */
int refgpu_open_other_driver(int fd, char *driver, size_t len);

/* Name of the driver bound to @fd's device ("refgpu_c", "refgpu_cpp"). */
void refgpu_fd_driver(int fd, char *driver, size_t len);

/* ioctl() retried on EINTR/EAGAIN; 0 or -errno. */
int refgpu_ioctl(int fd, unsigned long request, void *arg);

int __refgpu_bo_create(int fd, uint64_t *size, uint32_t flags, uint32_t *handle);
uint32_t refgpu_bo_create(int fd, uint64_t size, uint32_t flags);
int __refgpu_gem_close(int fd, uint32_t handle);
void refgpu_gem_close(int fd, uint32_t handle);
int __refgpu_mmap_offset(int fd, uint32_t handle, uint64_t *offset);
/* mmap() of the whole BO through @fd, read/write; asserts. */
void *refgpu_bo_map(int fd, uint32_t handle, size_t size);
int __refgpu_prime_export(int fd, uint32_t handle, uint32_t flags, int *dmabuf);
int refgpu_prime_export(int fd, uint32_t handle);
int __refgpu_prime_import(int fd, int dmabuf, uint32_t *handle);
uint32_t refgpu_prime_import(int fd, int dmabuf);
void refgpu_gpu_info(int fd, struct drm_refgpu_gpu_info *info);
void refgpu_vm_info(int fd, struct drm_refgpu_vm_info *info);

int __refgpu_vm_create(int fd, uint32_t flags, uint32_t *id);
uint32_t refgpu_vm_create(int fd);
int __refgpu_vm_destroy(int fd, uint32_t id);
void refgpu_vm_destroy(int fd, uint32_t id);
/* VM_BIND of @count ops of sizeof(struct drm_refgpu_vm_bind_op) each; 0 or -errno. */
int __refgpu_vm_bind(int fd, uint32_t vm_id, const struct drm_refgpu_vm_bind_op *ops,
		     uint32_t count);

/*
 * The value of @key in /proc/self/fdinfo/@fd (DRM's "drm-driver",
 * "drm-client-id", ...) into @out; false if the key is not there.
 */
bool refgpu_fdinfo(int fd, const char *key, char *out, size_t len);
/* drm-client-id of @fd's DRM file; asserts it is there and a number. */
uint64_t refgpu_client_id(int fd);

/*
 * The refgpu_as debugfs file of @fd's device, found through @fd's minor
 * (/sys/kernel/debug/dri/<minor>/refgpu_as, "as=A client=C vm=V" lines):
 * the AS it shows for VM @vm_id of client @client_id, or -1 if none ...
 */
int refgpu_as_of(int fd, uint64_t client_id, uint32_t vm_id);
/* ... and how many ASes it shows for client @client_id. */
int refgpu_as_count(int fd, uint64_t client_id);

size_t refgpu_page_size(void);

/* Shmem: from /proc/meminfo, in bytes (what shmem-backed BOs' pages use). */
uint64_t refgpu_shmem_bytes(void);

#endif /* REFGPU_COMMON_H */
