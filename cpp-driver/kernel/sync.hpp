// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Synchronisation: a spinlock that owns the data it protects and hands it
// out only through a guard (like rust/kernel/sync/lock.rs), and completions.
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
