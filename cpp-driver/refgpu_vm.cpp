// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// refgpu C++ driver: GPU virtual memory on drm_gpuvm. VM_BIND is all or
// nothing: every op is copied and validated, everything the apply phase
// needs is allocated, then the ops are applied under the VM's lock by the
// drm_gpuvm split/merge steps, which cannot fail. The twin of
// c-driver/refgpu_vm.c.

#include "kernel/uaccess.hpp"
#include "refgpu_device.hpp"
#include "refgpu_gem.hpp"
#include "refgpu_vm.hpp"

namespace refgpu {

using kernel::Error;
using kernel::Gfp;
using kernel::Status;
using kernel::gpuvm::Op;
using kernel::gpuvm::OpRange;
using kernel::gpuvm::VmBo;
using GemObj = kernel::gem::Object<GemObject>;

constexpr u32 map_flags = DRM_REFGPU_VM_BIND_READ_ONLY | DRM_REFGPU_VM_BIND_NO_EXEC;
// Most mappings one op needs: the new one and the two kept parts of a split.
constexpr u32 vmas_per_map = 3;
constexpr u32 vmas_per_unmap = 2;

drm_refgpu_vm_info vm_info()
{
	return {0, user_va_end, gpu_page_size, max_vms, max_bind_ops, 0};
}

// Drop a vm_bo reference: the last one unlinks it from the object's gpuva
// list (under its lock) and puts the object, so hold one of our own over it.
static void vm_bo_put(VmBo vm_bo)
{
	BoRef bo = BoRef::get(vm_bo.obj());
	auto held = bo->gpuva_lock.lock();
	vm_bo.put();
}

// One op of a VM_BIND and what it holds.
struct BindOp {
	drm_refgpu_vm_bind_op u;
	::drm_gem_object *bo;	// map: the lookup's reference
	::sg_table *sgt;	// map: the BO's pinned pages
	::drm_gpuvm_bo *vm_bo;	// map: preallocated, then the one obtained
};

// A VM_BIND (or a VM's teardown): the preallocated objects the steps take
// and what they give back, all released by the destructor.
struct BindCtx : kernel::Pinned {
	explicit BindCtx(Vm &v) : vm(v) {}
	~BindCtx();

	Status reserve_vmas(u32 n);
	Vma *take_vma();
	void retire(Vma &vma);

	Vm &vm;
	kernel::KvArray<BindOp> ops;
	u32 held = 0;		 // ops[0, held) may hold references
	PtPool tables;
	Vma *pool = nullptr;	 // unused mappings
	Vma *returned = nullptr; // unmapped mappings, vm_bo retained
	PageTable *root = nullptr;
	BindOp *cur = nullptr;
	bool changed = false;	 // a PTE or PDE changed
};

BindCtx::~BindCtx()
{
	while (Vma *v = returned) {
		returned = v->next;
		vm_bo_put(VmBo(v->retained));
		delete v;
	}
	while (Vma *v = pool) {
		pool = v->next;
		delete v;
	}
	for (u32 i = 0; i < held; i++) {
		if (ops[i].vm_bo)
			vm_bo_put(VmBo(ops[i].vm_bo));
		if (ops[i].bo)
			refgpu_cpp_gem_put(ops[i].bo);
	}
}

Status BindCtx::reserve_vmas(u32 n)
{
	for (u32 i = 0; i < n; i++) {
		Vma *v = new (Gfp::Kernel) Vma();
		if (!v)
			return Error::nomem();
		v->next = pool;
		pool = v;
	}
	return {};
}

Vma *BindCtx::take_vma()
{
	Vma *v = pool;
	if (!v) {
		refgpu_cpp_warn("refgpu_cpp: mapping pool is empty\n");
		return nullptr;
	}
	pool = v->next;
	v->next = nullptr;
	return v;
}

// Unlink @vma from its vm_bo (under the object's gpuva lock) but keep a
// vm_bo reference until the destructor, where the last put can run
// without the VM's locks held.
void BindCtx::retire(Vma &vma)
{
	VmBo vm_bo = vma.vm_bo();

	vm_bo.get();
	vma.unlink();
	vma.retained = vm_bo.raw();
	vma.next = returned;
	returned = &vma;
}

static kernel::Result<VmRef> vm_lookup(File &f, u32 id)
{
	Vm *vm = f.vms.with_locked(id, [](Vm *v) {
		if (v)
			v->get().release(); // taken before VM_DESTROY can drop it
		return v;
	});
	if (!vm)
		return Error::noent();
	return VmRef::adopt(vm);
}

// Unmap everything and free the tables, the AS released first; the VM is
// already out of its file's xarray. A VM_BIND still holding a reference
// finds it destroyed.
static void vm_destroy(VmRef vm)
{
	BindCtx ctx(*vm);
	auto st = vm->state.lock();

	st->destroyed = true;
	mmu_as_release(vm->rdev, st->as);
	st->as = -1;
	ctx.root = st->root.get();
	{
		auto resv = vm->lock_resv();
		// Only whole mappings go: no split, nothing to allocate.
		Status ret = vm->sm_unmap(&ctx, 0, user_va_end);
		if (!ret.ok())
			refgpu_cpp_warn("refgpu_cpp: VM teardown failed: %d\n", ret.to_errno());
	}
	st->root.reset();
}

static Status ioctl_vm_create(Device &rdev, File &f, drm_refgpu_vm_create &args,
			      kernel::drm::File *file)
{
	if (args.flags || args.id)
		return Error::inval();

	kernel::Box<Vm> owned = TRY(kernel::make_box<Vm>(Gfp::Kernel, rdev,
							 kernel::drm::client_id(file)));
	owned->state.lock()->root = TRY(PageTable::alloc(rdev, 0));
	TRY(owned->init(rdev.base.raw(), "refgpu", 0, va_end, user_va_end, va_end - user_va_end));
	// Refcounted from here: the last put frees it (refgpu_cpp_vm_free).
	VmRef vm = VmRef::adopt(owned.release());

	// Published and given its AS under its lock: a VM_DESTROY of the
	// guessed id waits for both.
	auto st = vm->state.lock();
	auto id = f.vms.alloc(&*vm, 1, max_vms, Gfp::Kernel);
	if (!id.ok())
		return id.error() == Error::busy() ? Error::nospc() : id.error();
	vm->id = id.value();
	st->as = mmu_as_assign(rdev, *vm, *st->root);
	args.id = vm->id;
	vm.release(); // the xarray's reference
	return {};
}

static Status ioctl_vm_destroy(File &f, drm_refgpu_vm_destroy &args)
{
	if (args.pad)
		return Error::inval();

	Vm *vm = f.vms.erase(args.id);
	if (!vm)
		return Error::noent();
	vm_destroy(VmRef::adopt(vm));
	return {};
}

// The UAPI's checks of one op, in its order; a map keeps the BO reference.
static Status validate_op(BindOp &b, kernel::drm::File *file)
{
	const drm_refgpu_vm_bind_op &u = b.u;

	switch (u.op) {
	case DRM_REFGPU_VM_BIND_OP_MAP:
		if (u.pad || (u.flags & ~map_flags))
			return Error::inval();
		break;
	case DRM_REFGPU_VM_BIND_OP_UNMAP:
		if (u.pad || u.flags || u.bo_handle || u.bo_offset)
			return Error::inval();
		break;
	default:
		return Error::inval();
	}
	if ((u.va | u.size | u.bo_offset) % gpu_page_size || !u.size || u.va + u.size < u.va ||
	    u.va + u.size > user_va_end)
		return Error::inval();
	if (u.op != DRM_REFGPU_VM_BIND_OP_MAP)
		return {};

	BoRef bo = TRY(BoRef::lookup(file, u.bo_handle));
	if (u.bo_offset > bo.size() || u.size > bo.size() - u.bo_offset)
		return Error::inval();
	b.bo = bo.release();
	return {};
}

static Status ioctl_vm_bind(Device &rdev, File &f, drm_refgpu_vm_bind &args,
			    kernel::drm::File *file)
{
	if (args.flags)
		return Error::inval();
	VmRef vm = TRY(vm_lookup(f, args.vm_id));
	const u32 count = args.ops.count, stride = args.ops.stride;
	if (count > max_bind_ops)
		return Error::too_big();
	if (!count)
		return {};
	if (stride < bind_op_size || stride > DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE)
		return Error::inval();

	// 1. Copy and validate, op by op (no side effect).
	BindCtx ctx(*vm);
	ctx.ops = TRY(kernel::KvArray<BindOp>::alloc(count, Gfp::Kernel));
	kernel::UserPtr array(args.ops.array);
	for (u32 i = 0; i < count; i++) {
		BindOp &b = ctx.ops[i];

		b = BindOp{};
		ctx.held = i + 1;
		TRY(array.offset(u64(i) * stride).read_struct(&b.u, bind_op_size, stride));
		TRY(validate_op(b, file));
	}

	// 2. Everything the apply phase takes.
	u32 vmas = 0;
	for (u32 i = 0; i < count; i++) {
		BindOp &b = ctx.ops[i];

		if (!b.bo) {
			vmas += vmas_per_unmap;
			continue;
		}
		vmas += vmas_per_map;
		kernel::gem::SgTable sgt = TRY(BoRef::get(b.bo).pages_sgt());
		b.sgt = sgt.raw();
		b.vm_bo = TRY(VmBo::create(*vm, b.bo)).raw();
	}
	TRY(ctx.reserve_vmas(vmas));

	auto st = vm->state.lock();
	if (st->destroyed)
		return Error::noent();
	u64 tables[PageTable::levels] = {};
	for (u32 i = 0; i < count; i++) {
		if (ctx.ops[i].bo)
			pt_count_missing(*st->root, ctx.ops[i].u.va, ctx.ops[i].u.size, tables);
	}
	for (u32 level = 1; level < PageTable::levels; level++)
		TRY(ctx.tables.reserve(rdev, level, tables[level]));

	// 3. Apply: nothing below can fail.
	ctx.root = st->root.get();
	{
		auto resv = vm->lock_resv();
		for (u32 i = 0; i < count; i++) {
			BindOp &b = ctx.ops[i];

			ctx.cur = &b;
			Status ret = b.bo ? vm->sm_map(&ctx, b.u.va, b.u.size, b.bo, b.u.bo_offset)
					  : vm->sm_unmap(&ctx, b.u.va, b.u.size);

			ctx.cur = nullptr;
			if (!ret.ok()) {
				refgpu_cpp_warn("refgpu_cpp: VM_BIND apply failed: %d\n", ret.to_errno());
				return ret;
			}
		}
	}
	if (ctx.changed)
		mmu_as_flush(rdev, st->as);
	return {};
}

} // namespace refgpu

using namespace refgpu;

// Entry points named by the glue (refgpu_drv_glue.c, helpers/gpuvm.c).

static File &file_of(::drm_file *file)
{
	return *kernel::drm::file_priv<File>(file);
}

extern "C" int refgpu_cpp_open(::drm_device *, ::drm_file *file)
{
	File *f = new (Gfp::Kernel) File();
	if (!f)
		return Error::nomem().to_errno();
	kernel::drm::set_file_priv(file, f);
	return 0;
}

extern "C" void refgpu_cpp_postclose(::drm_device *, ::drm_file *file)
{
	File *f = &file_of(file);
	unsigned long id = 0;

	while (Vm *vm = f->vms.find(&id)) {
		f->vms.erase(u32(id));
		vm_destroy(VmRef::adopt(vm));
	}
	delete f;
}

extern "C" int refgpu_cpp_ioctl_vm_create(::drm_device *drm, void *data, ::drm_file *file)
{
	return ioctl_vm_create(to_refgpu_device(drm), file_of(file),
			       *static_cast<drm_refgpu_vm_create *>(data), file)
		.to_errno();
}

extern "C" int refgpu_cpp_ioctl_vm_destroy(::drm_device *, void *data, ::drm_file *file)
{
	return ioctl_vm_destroy(file_of(file), *static_cast<drm_refgpu_vm_destroy *>(data))
		.to_errno();
}

extern "C" int refgpu_cpp_ioctl_vm_bind(::drm_device *drm, void *data, ::drm_file *file)
{
	return ioctl_vm_bind(to_refgpu_device(drm), file_of(file),
			     *static_cast<drm_refgpu_vm_bind *>(data), file)
		.to_errno();
}

extern "C" void refgpu_cpp_vm_free(::drm_gpuvm *gpuvm)
{
	delete &Vm::from_raw(gpuvm);
}

extern "C" int refgpu_cpp_vm_step_map(void *priv, Op *op, const OpRange *map)
{
	BindCtx &ctx = *static_cast<BindCtx *>(priv);
	BindOp &b = *ctx.cur;

	if (!pt_map(ctx.vm.rdev, *ctx.root, ctx.tables, map->addr, map->range,
		    kernel::gem::SgTable(b.sgt), map->offset, b.u.flags))
		return Error::nomem().to_errno();
	ctx.changed = true;
	Vma *vma = ctx.take_vma();
	if (!vma)
		return Error::nomem().to_errno();
	vma->flags = b.u.flags;
	vma->map(ctx.vm, op);

	auto held = GemObj::from_raw(map->obj).gpuva_lock.lock();
	VmBo vm_bo = VmBo(b.vm_bo).obtain_prealloc();
	b.vm_bo = vm_bo.raw(); // ours to put: the prealloc may be gone
	vma->link(vm_bo);
	return 0;
}

extern "C" int refgpu_cpp_vm_step_remap(void *priv, Op *op, ::drm_gpuva *va, const OpRange *prev,
					const OpRange *next, unsigned long long start,
					unsigned long long range)
{
	BindCtx &ctx = *static_cast<BindCtx *>(priv);
	Vma &old = Vma::from_raw(va);
	Vma *p = prev ? ctx.take_vma() : nullptr;
	Vma *n = next ? ctx.take_vma() : nullptr;

	if ((prev && !p) || (next && !n))
		return Error::nomem().to_errno();
	ctx.changed |= pt_unmap(*ctx.root, start, range);
	if (p)
		p->flags = old.flags;
	if (n)
		n->flags = old.flags;
	Vma::remap(p, n, op);

	auto held = GemObj::from_raw(old.obj()).gpuva_lock.lock();
	VmBo vm_bo = old.vm_bo();
	if (p)
		p->link(vm_bo);
	if (n)
		n->link(vm_bo);
	ctx.retire(old);
	return 0;
}

extern "C" int refgpu_cpp_vm_step_unmap(void *priv, Op *op, ::drm_gpuva *va)
{
	BindCtx &ctx = *static_cast<BindCtx *>(priv);
	Vma &vma = Vma::from_raw(va);

	ctx.changed |= pt_unmap(*ctx.root, vma.addr(), vma.range());
	Vma::unmap(op);

	auto held = GemObj::from_raw(vma.obj()).gpuva_lock.lock();
	ctx.retire(vma);
	return 0;
}

#ifdef REFGPU_KUNIT_TEST
#include "tests/refgpu_vm_test.cpp"
#endif
