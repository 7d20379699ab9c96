// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
#include "fake_glue.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

#include "../../glue/refgpu_glue.h"
#include "kernel_layout.h"

namespace fake {

State &state()
{
	static State s;
	return s;
}

void reset()
{
	state() = State();
}

std::vector<std::string> &warnings()
{
	static std::vector<std::string> w;
	return w;
}

} // namespace fake

using fake::state;

// runtime.cpp, under test, replaces every operator delete with kfree (free
// here), but provides no plain operator new (the kernel side has none). The
// host's own `new` (GoogleTest, std::string, the fake itself) must then come
// from malloc too, or AddressSanitizer rightly reports operator new freed
// with free().
void *operator new(std::size_t size)
{
	if (void *p = std::malloc(size ? size : 1))
		return p;
	throw std::bad_alloc();
}

void *operator new[](std::size_t size)
{
	return operator new(size);
}

void *operator new(std::size_t size, std::align_val_t al)
{
	std::size_t a = static_cast<std::size_t>(al);
	if (void *p = std::aligned_alloc(a, (size + a - 1) / a * a))
		return p;
	throw std::bad_alloc();
}

void *operator new[](std::size_t size, std::align_val_t al)
{
	return operator new(size, al);
}

struct refgpu_cpp_spinlock {
	bool held;
	long long pad;
};
struct refgpu_cpp_completion {
	int done;
	long long pad;
};
struct refgpu_cpp_mutex {
	bool held;
	bool destroyed;
	long long pad;
};
struct refgpu_cpp_xarray {
	std::map<unsigned int, void *> *m;
};
static_assert(sizeof(refgpu_cpp_mutex) == REFGPU_KL_MUTEX_SIZE &&
	      alignof(refgpu_cpp_mutex) == REFGPU_KL_MUTEX_ALIGN);
static_assert(sizeof(refgpu_cpp_xarray) == REFGPU_KL_XARRAY_SIZE &&
	      alignof(refgpu_cpp_xarray) == REFGPU_KL_XARRAY_ALIGN);
struct refgpu_cpp_lock_class_key {
	unsigned long long a, b;
};
// The C++ storage is sized from host-layout/kernel_layout.h.
static_assert(sizeof(refgpu_cpp_spinlock) == REFGPU_KL_SPINLOCK_SIZE &&
	      alignof(refgpu_cpp_spinlock) == REFGPU_KL_SPINLOCK_ALIGN);
static_assert(sizeof(refgpu_cpp_completion) == REFGPU_KL_COMPLETION_SIZE &&
	      alignof(refgpu_cpp_completion) == REFGPU_KL_COMPLETION_ALIGN);
static_assert(sizeof(refgpu_cpp_lock_class_key) == REFGPU_KL_LOCK_CLASS_KEY_SIZE &&
	      alignof(refgpu_cpp_lock_class_key) == REFGPU_KL_LOCK_CLASS_KEY_ALIGN);
struct drm_gem_object {
	int refs;
	unsigned long size;
	alignas(REFGPU_CPP_PRIV_ALIGN) unsigned char priv[64];
};

extern "C" {

// The runtime under test replaces the global operator delete, so the host's
// own allocations reach refgpu_cpp_kfree() too: only count what kmalloc gave.
// A plain array, since kfree must not allocate or free.
static const void *tracked[4096];

void *refgpu_cpp_kmalloc(unsigned long size, enum refgpu_cpp_gfp)
{
	if (state().fail_kmalloc)
		return nullptr;
	void *p = std::malloc(size);
	for (auto &t : tracked) {
		if (!t) {
			t = p;
			state().live_allocs++;
			break;
		}
	}
	return p;
}

void refgpu_cpp_kfree(const void *ptr)
{
	for (auto &t : tracked) {
		if (ptr && t == ptr) {
			t = nullptr;
			state().live_allocs--;
			break;
		}
	}
	std::free(const_cast<void *>(ptr));
}

unsigned int refgpu_cpp_debug_plant;

void refgpu_cpp_bug(const char *why)
{
	throw std::logic_error(why);
}

void refgpu_cpp_warn(const char *fmt, ...)
{
	char buf[256];
	va_list args;
	va_start(args, fmt);
	std::vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	fake::warnings().push_back(buf);
}

void refgpu_cpp_dev_vprintk(struct device *, int level, const char *fmt, va_list args)
{
	char buf[256];
	std::vsnprintf(buf, sizeof(buf), fmt, args);
	state().printk.push_back(std::to_string(level) + ":" + buf);
}

unsigned int refgpu_cpp_readl(const void *, unsigned int offset)
{
	auto &q = state().reads[offset];
	if (q.empty())
		return 0;
	unsigned int v = q.front();
	if (q.size() > 1)
		q.erase(q.begin());
	return v;
}

void refgpu_cpp_writel(void *, unsigned int offset, unsigned int val)
{
	state().writes[offset] = val;
}

// The fake clock only moves when the code under test sleeps.
long long refgpu_cpp_ktime_get_ns(void)
{
	return state().now_ns;
}

void refgpu_cpp_usleep_range(unsigned long min_us, unsigned long max_us)
{
	state().sleep_us += max_us;
	state().sleep_min_us += min_us;
	state().now_ns += (long long)max_us * 1000;
}

void refgpu_cpp_spin_lock_init(struct refgpu_cpp_spinlock *l, const char *name,
			       struct refgpu_cpp_lock_class_key *key)
{
	*l = {};
	state().lock_inits.emplace_back(name, key);
}

unsigned long refgpu_cpp_spin_lock_irqsave(struct refgpu_cpp_spinlock *l)
{
	if (l->held)
		throw std::logic_error("recursive lock");
	l->held = true;
	state().live_locks++;
	state().calls.push_back("lock");
	return 42;
}

void refgpu_cpp_spin_unlock_irqrestore(struct refgpu_cpp_spinlock *l, unsigned long flags)
{
	if (!l->held || flags != 42)
		throw std::logic_error("bad unlock");
	l->held = false;
	state().live_locks--;
	state().calls.push_back("unlock");
}

void refgpu_cpp_completion_init(struct refgpu_cpp_completion *c, const char *name,
				struct refgpu_cpp_lock_class_key *key)
{
	*c = {};
	state().lock_inits.emplace_back(name, key);
}

void refgpu_cpp_completion_reinit(struct refgpu_cpp_completion *c)
{
	c->done = 0;
}

void refgpu_cpp_complete(struct refgpu_cpp_completion *c)
{
	c->done++;
}

unsigned long refgpu_cpp_wait_for_completion_timeout_ms(struct refgpu_cpp_completion *c,
							unsigned int)
{
	return c->done ? 1 : 0;
}

int refgpu_cpp_copy_to_user(unsigned long long uptr, const void *src, unsigned long size)
{
	if (state().copy_to_user_ret)
		return state().copy_to_user_ret;
	std::memcpy(reinterpret_cast<void *>(uptr), src, size);
	return 0;
}

int refgpu_cpp_clear_user(unsigned long long uptr, unsigned long size)
{
	std::memset(reinterpret_cast<void *>(uptr), 0, size);
	return 0;
}

// drm: a "DRM device" is a malloc'd block; release actions run on request.
static void (*pending_release)(struct drm_device *, void *);
static struct drm_device *pending_drm;
static void *pending_priv;

int refgpu_cpp_drm_dev_alloc(struct device *, unsigned long priv_size, struct drm_device **drm,
			     void **priv)
{
	if (state().fail_kmalloc)
		return -12;
	void *block = std::aligned_alloc(REFGPU_CPP_PRIV_ALIGN, 64 + priv_size);
	state().live_allocs++;
	*drm = static_cast<struct drm_device *>(block);
	*priv = static_cast<unsigned char *>(block) + 64;
	return 0;
}

void *refgpu_cpp_drm_priv(struct drm_device *drm)
{
	return reinterpret_cast<unsigned char *>(drm) + 64;
}

int refgpu_cpp_drm_add_release(struct drm_device *drm, void (*release)(struct drm_device *, void *),
			       void *priv)
{
	if (state().drm_add_release_ret) {
		release(drm, priv); // like drmm_add_action_or_reset()
		std::free(drm);
		state().live_allocs--;
		return state().drm_add_release_ret;
	}
	pending_release = release;
	pending_drm = drm;
	pending_priv = priv;
	return 0;
}

struct device *refgpu_cpp_drm_parent(struct drm_device *)
{
	return nullptr;
}

void refgpu_cpp_drm_verr(struct drm_device *, int ratelimited, const char *fmt, va_list args)
{
	char buf[256];
	vsnprintf(buf, sizeof(buf), fmt, args);
	state().calls.push_back(std::string(ratelimited ? "drm_err_ratelimited:" : "drm_err:") + buf);
}

// gem: one allocation per object, freed on the last put (drm_gem_object_put
// -> funcs->free -> the driver's hook -> drm_gem_shmem_free).
struct drm_gem_object *refgpu_cpp_gem_alloc(unsigned long priv_size, void **priv)
{
	if (state().fail_kmalloc || priv_size > 64)
		return nullptr;
	auto *o = new drm_gem_object{ 1, state().gem_size, {} };
	state().gem_refs++;
	state().live_gem_objects++;
	*priv = o->priv;
	return o;
}

void *refgpu_cpp_gem_priv(struct drm_gem_object *obj)
{
	return obj->priv;
}

void refgpu_cpp_gem_get(struct drm_gem_object *obj)
{
	obj->refs++;
	state().gem_refs++;
}

void refgpu_cpp_gem_put(struct drm_gem_object *obj)
{
	if (obj->refs <= 0)
		throw std::logic_error("gem put without a reference");
	state().gem_refs--;
	if (--obj->refs)
		return;
	if (state().gem_free)
		state().gem_free(obj);
	else
		refgpu_cpp_gem_shmem_free(obj);
}

unsigned long refgpu_cpp_gem_size(struct drm_gem_object *obj)
{
	return obj->size;
}

int refgpu_cpp_gem_handle_create(struct drm_file *, struct drm_gem_object *obj,
				 unsigned int *handle)
{
	if (state().gem_handle_ret)
		return state().gem_handle_ret;
	obj->refs++;
	state().gem_refs++;
	*handle = state().next_handle++;
	state().handles[*handle] = obj;
	return 0;
}

struct drm_gem_object *refgpu_cpp_gem_lookup(struct drm_file *, unsigned int handle)
{
	auto it = state().handles.find(handle);
	if (it == state().handles.end())
		return nullptr;
	refgpu_cpp_gem_get(it->second);
	return it->second;
}

void refgpu_cpp_gem_shmem_free(struct drm_gem_object *obj)
{
	if (obj->refs)
		state().gem_freed_referenced++;
	state().live_gem_objects--;
	delete obj;
}

void *refgpu_cpp_err_ptr(int err)
{
	return reinterpret_cast<void *>(static_cast<long>(err));
}

void refgpu_cpp_mutex_init(struct refgpu_cpp_mutex *l, const char *name,
			   struct refgpu_cpp_lock_class_key *key)
{
	*l = {};
	state().lock_inits.emplace_back(name, key);
}

void refgpu_cpp_mutex_destroy(struct refgpu_cpp_mutex *l)
{
	if (l->held)
		throw std::logic_error("mutex destroyed while held");
	l->destroyed = true;
}

void refgpu_cpp_mutex_lock(struct refgpu_cpp_mutex *l)
{
	if (l->held || l->destroyed)
		throw std::logic_error("recursive or dead mutex");
	l->held = true;
	state().live_locks++;
	state().calls.push_back("mutex_lock");
}

void refgpu_cpp_mutex_unlock(struct refgpu_cpp_mutex *l)
{
	if (!l->held)
		throw std::logic_error("unlock of a free mutex");
	l->held = false;
	state().live_locks--;
	state().calls.push_back("mutex_unlock");
}

// xarray: a map, allocating the lowest free id in the range, as xa_alloc.
void refgpu_cpp_xa_init_alloc1(struct refgpu_cpp_xarray *xa)
{
	xa->m = new std::map<unsigned int, void *>;
}

void refgpu_cpp_xa_destroy(struct refgpu_cpp_xarray *xa)
{
	delete xa->m;
	xa->m = nullptr;
}

int refgpu_cpp_xa_alloc(struct refgpu_cpp_xarray *xa, unsigned int *id, void *entry,
			unsigned int min, unsigned int max, enum refgpu_cpp_gfp)
{
	if (state().fail_kmalloc)
		return -12;
	for (unsigned long i = min; i <= max; i++) {
		if (!xa->m->count(i)) {
			(*xa->m)[i] = entry;
			*id = i;
			return 0;
		}
	}
	return -16;
}

void *refgpu_cpp_xa_erase(struct refgpu_cpp_xarray *xa, unsigned int id)
{
	auto it = xa->m->find(id);
	if (it == xa->m->end())
		return nullptr;
	void *p = it->second;
	xa->m->erase(it);
	return p;
}

void refgpu_cpp_xa_lock(struct refgpu_cpp_xarray *)
{
	state().live_locks++;
	state().calls.push_back("xa_lock");
}

void refgpu_cpp_xa_unlock(struct refgpu_cpp_xarray *)
{
	state().live_locks--;
	state().calls.push_back("xa_unlock");
}

void *refgpu_cpp_xa_load(struct refgpu_cpp_xarray *xa, unsigned int id)
{
	if (state().calls.empty() || state().calls.back() != "xa_lock")
		throw std::logic_error("xa_load without xa_lock");
	auto it = xa->m->find(id);
	return it == xa->m->end() ? nullptr : it->second;
}

void *refgpu_cpp_xa_find(struct refgpu_cpp_xarray *xa, unsigned long *id)
{
	auto it = xa->m->lower_bound(*id);
	if (it == xa->m->end())
		return nullptr;
	*id = it->first;
	return it->second;
}

int refgpu_cpp_drm_dev_enter(struct drm_device *, int *idx)
{
	if (state().unplugged)
		return -19;
	state().dev_entered++;
	*idx = 1234;
	return 0;
}

void refgpu_cpp_drm_dev_exit(int idx)
{
	if (idx != 1234 || !state().dev_entered)
		throw std::logic_error("drm_dev_exit without drm_dev_enter");
	state().dev_entered--;
}

// copy_struct_from_user() on host memory: the same rules.
int refgpu_cpp_copy_struct_from_user(void *dst, unsigned long ksize, unsigned long long usrc,
				     unsigned long usize)
{
	const unsigned char *src = reinterpret_cast<const unsigned char *>(usrc);
	if (!src)
		return -14;
	for (unsigned long i = ksize; i < usize; i++)
		if (src[i])
			return -7;
	std::memset(dst, 0, ksize);
	std::memcpy(dst, src, ksize < usize ? ksize : usize);
	return 0;
}

void *refgpu_cpp_kvmalloc_array(unsigned long n, unsigned long size, enum refgpu_cpp_gfp gfp)
{
	if (size && n > ~0UL / size)
		return nullptr;
	return refgpu_cpp_kmalloc(n * size, gfp);
}

void refgpu_cpp_kvfree(const void *ptr)
{
	refgpu_cpp_kfree(ptr);
}

// A "DMA page": 4 KiB from aligned_alloc, its address as DMA address.
int refgpu_cpp_dma_page_alloc(struct device *, enum refgpu_cpp_gfp gfp, struct page **page,
			      unsigned long long *dma, void **cpu)
{
	if (state().fail_kmalloc)
		return -12;
	void *p = std::aligned_alloc(4096, 4096);
	if (gfp == REFGPU_CPP_GFP_KERNEL_ZERO)
		std::memset(p, 0, 4096);
	if (state().dma_map_ret) {
		std::free(p);
		return state().dma_map_ret;
	}
	state().live_pages++;
	*page = static_cast<struct page *>(p);
	*dma = reinterpret_cast<unsigned long long>(p);
	*cpu = p;
	return 0;
}

void refgpu_cpp_dma_page_free(struct device *, struct page *page, unsigned long long dma)
{
	if (reinterpret_cast<unsigned long long>(page) != dma)
		throw std::logic_error("DMA page freed with another address");
	state().live_pages--;
	std::free(page);
}

void refgpu_cpp_dma_sync_for_device(struct device *, unsigned long long dma, unsigned long)
{
	state().dma_synced.push_back(dma);
}

} // extern "C"

void fake::close_file()
{
	auto handles = std::move(state().handles);
	for (auto &[handle, obj] : handles)
		refgpu_cpp_gem_put(obj);
}

// Test hook: drop the last reference to the fake DRM device.
void fake_drm_release(struct drm_device *drm)
{
	if (pending_release)
		pending_release(pending_drm, pending_priv);
	pending_release = nullptr;
	std::free(drm);
	state().live_allocs--;
}
