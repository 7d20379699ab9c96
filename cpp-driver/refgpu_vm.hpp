// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// GPU virtual memory: VMs on drm_gpuvm, their ids per DRM file, VM_CREATE,
// VM_DESTROY and VM_BIND. The twin of c-driver/refgpu_vm.h.
#pragma once

#include "kernel/drm.hpp"
#include "kernel/gpuvm.hpp"
#include "kernel/sync.hpp"
#include "kernel/xarray.hpp"
#include "refgpu_mmu.hpp"

namespace refgpu {

inline constexpr u32 max_vms = 64;
inline constexpr u32 max_bind_ops = 64;
inline constexpr u32 bind_op_size = DRM_REFGPU_VM_BIND_OP_MIN_SIZE;
static_assert(sizeof(drm_refgpu_vm_bind_op) == DRM_REFGPU_VM_BIND_OP_MIN_SIZE);

// One mapping: the twin of struct refgpu_vma, embedding its drm_gpuva.
struct Vma : kernel::gpuvm::GpuVa<Vma> {
	u32 flags = 0;		   // DRM_REFGPU_VM_BIND_* it was mapped with
	Vma *next = nullptr;	   // in a bind's pool or returned list
	::drm_gpuvm_bo *retained = nullptr; // the vm_bo ref kept after unlink
};

// What the VM's lock protects.
struct VmState {
	kernel::Box<PageTable> root; // level 0; every table until destroy
	int as = -1;
	bool destroyed = false;
};

// A VM: the twin of struct refgpu_vm, embedding its drm_gpuvm (whose
// refcount it is: the last put frees it).
struct Vm : kernel::gpuvm::GpuVm<Vm> {
	Vm(Device &r, u64 client) : rdev(r), client_id(client) {}

	Device &rdev;
	u32 id = 0;
	u64 client_id;
	kernel::Mutex<VmState, kernel::LockClass<"refgpu::Vm::lock">> state;
};

using VmRef = kernel::gpuvm::Ref<Vm>;

// Per DRM file: the twin of struct refgpu_file.
struct File {
	kernel::XArray<Vm> vms;
};

// DEV_QUERY VM_INFO.
drm_refgpu_vm_info vm_info();

} // namespace refgpu
