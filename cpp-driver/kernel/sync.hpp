// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Synchronisation: a spinlock and a mutex that own the data they protect and
// hand it out only through a guard (like rust/kernel/sync/lock.rs), and
// completions.
// The kernel objects live inside the C++ objects, sized by layout.hpp, so
// creating one allocates nothing and cannot fail. Each declaration names
// its lock class: LockClass<"refgpu::Device::doorbell_done"> is one lockdep
// class with that name (what lockdep prints), as each C declaration's
// static key is (like Rust's new_spinlock!/new_completion! call sites).
#pragma once

#include "layout.hpp"

namespace kernel {

// A string literal usable as a template argument.
template <usize N> struct LockName {
	char s[N];
	consteval LockName(const char (&v)[N])
	{
		for (usize i = 0; i < N; i++)
			s[i] = v[i];
	}
};

// One lockdep class: a static key (zeroed .bss, no constructor) and its
// name. Two declarations with the same name share the class; name each
// after the member it serves.
template <LockName Name> struct LockClass {
	static const char *name() { return Name.s; }
	static refgpu_cpp_lock_class_key *key() { return key_.raw(); }

private:
	static constinit inline Opaque<layout::lock_class_key, refgpu_cpp_lock_class_key> key_;
};

template <class T, class Class> class SpinLock;

// Holds a SpinLock (interrupts off) for its scope; the only way to the data.
template <class T, class Class> class [[nodiscard]] SpinGuard {
public:
	explicit SpinGuard(SpinLock<T, Class> &l)
		: l_(l), flags_(refgpu_cpp_spin_lock_irqsave(l.raw_.raw()))
	{
	}
	~SpinGuard() { refgpu_cpp_spin_unlock_irqrestore(l_.raw_.raw(), flags_); }
	SpinGuard(const SpinGuard &) = delete;
	SpinGuard &operator=(const SpinGuard &) = delete;

	T &operator*() { return l_.data_; }
	T *operator->() { return &l_.data_; }

private:
	SpinLock<T, Class> &l_;
	unsigned long flags_;
};

template <class T, class Class> class SpinLock : Pinned {
public:
	explicit SpinLock(T init = T()) : data_(move(init))
	{
		refgpu_cpp_spin_lock_init(raw_.raw(), Class::name(), Class::key());
	}

	SpinGuard<T, Class> lock() { return SpinGuard<T, Class>(*this); }

private:
	friend class SpinGuard<T, Class>;
	Opaque<layout::spinlock, refgpu_cpp_spinlock> raw_;
	T data_;
};

template <class T, class Class> class Mutex;

// Holds a Mutex for its scope (may sleep); the only way to the data.
template <class T, class Class> class [[nodiscard]] MutexGuard {
public:
	explicit MutexGuard(Mutex<T, Class> &l) : l_(l) { refgpu_cpp_mutex_lock(l.raw_.raw()); }
	~MutexGuard() { refgpu_cpp_mutex_unlock(l_.raw_.raw()); }
	MutexGuard(const MutexGuard &) = delete;
	MutexGuard &operator=(const MutexGuard &) = delete;

	T &operator*() { return l_.data_; }
	T *operator->() { return &l_.data_; }

private:
	Mutex<T, Class> &l_;
};

// A sleeping lock that owns the data it protects (rust/kernel/sync/lock/
// mutex.rs): struct mutex embedded, one lockdep class per declaration.
template <class T, class Class> class Mutex : Pinned {
public:
	template <class... Args> explicit Mutex(Args &&...args) : data_(forward<Args>(args)...)
	{
		refgpu_cpp_mutex_init(raw_.raw(), Class::name(), Class::key());
	}
	~Mutex() { refgpu_cpp_mutex_destroy(raw_.raw()); }

	MutexGuard<T, Class> lock() { return MutexGuard<T, Class>(*this); }

	// For a kernel API that names the lock itself (drm_gem_gpuva_set_lock).
	refgpu_cpp_mutex *raw() { return raw_.raw(); }

private:
	friend class MutexGuard<T, Class>;
	Opaque<layout::mutex, refgpu_cpp_mutex> raw_;
	T data_;
};

// What a lock protects when the data is the kernel's (a list inside a
// kernel object): the guard is then only proof that the lock is held.
struct Unit {};

template <class Class> class Completion : Pinned {
public:
	Completion() { refgpu_cpp_completion_init(raw_.raw(), Class::name(), Class::key()); }

	void reinit() { refgpu_cpp_completion_reinit(raw_.raw()); }
	void complete() { refgpu_cpp_complete(raw_.raw()); }
	// False on timeout.
	bool wait_timeout_ms(unsigned int ms)
	{
		return refgpu_cpp_wait_for_completion_timeout_ms(raw_.raw(), ms) != 0;
	}

private:
	Opaque<layout::completion, refgpu_cpp_completion> raw_;
};

} // namespace kernel
