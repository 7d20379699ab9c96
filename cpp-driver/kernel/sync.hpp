// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Synchronisation: a spinlock that owns the data it protects and hands it
// out only through a guard (like rust/kernel/sync/lock.rs), and completions.
// The kernel objects are allocated by the glue, since C++ does not know
// their size; construction can fail, so both come from a create() Result.
#pragma once

#include "alloc.hpp"

namespace kernel {

template <class T> class SpinLock;

// Holds a SpinLock (interrupts off) for its scope; the only way to the data.
template <class T> class [[nodiscard]] SpinGuard {
public:
	explicit SpinGuard(SpinLock<T> &l) : l_(l), flags_(refgpu_cpp_spin_lock_irqsave(l.raw_)) {}
	~SpinGuard() { refgpu_cpp_spin_unlock_irqrestore(l_.raw_, flags_); }
	SpinGuard(const SpinGuard &) = delete;
	SpinGuard &operator=(const SpinGuard &) = delete;

	T &operator*() { return l_.data_; }
	T *operator->() { return &l_.data_; }

private:
	SpinLock<T> &l_;
	unsigned long flags_;
};

template <class T> class SpinLock : Pinned {
public:
	static Result<Box<SpinLock>> create(T init = T())
	{
		refgpu_cpp_spinlock *raw = refgpu_cpp_spinlock_alloc();
		if (!raw)
			return Error::nomem();
		Result<Box<SpinLock>> r = make_box<SpinLock>(Gfp::Kernel, raw, move(init));
		if (!r.ok())
			refgpu_cpp_spinlock_free(raw);
		return r;
	}

	SpinLock(refgpu_cpp_spinlock *raw, T &&init) : raw_(raw), data_(move(init)) {}
	~SpinLock() { refgpu_cpp_spinlock_free(raw_); }

	SpinGuard<T> lock() { return SpinGuard<T>(*this); }

private:
	friend class SpinGuard<T>;
	refgpu_cpp_spinlock *raw_;
	T data_;
};

class Completion : Pinned {
public:
	static Result<Box<Completion>> create()
	{
		refgpu_cpp_completion *raw = refgpu_cpp_completion_alloc();
		if (!raw)
			return Error::nomem();
		Result<Box<Completion>> r = make_box<Completion>(Gfp::Kernel, raw);
		if (!r.ok())
			refgpu_cpp_completion_free(raw);
		return r;
	}

	explicit Completion(refgpu_cpp_completion *raw) : raw_(raw) {}
	~Completion() { refgpu_cpp_completion_free(raw_); }

	void reinit() { refgpu_cpp_completion_reinit(raw_); }
	void complete() { refgpu_cpp_complete(raw_); }
	// False on timeout.
	bool wait_timeout_ms(unsigned int ms)
	{
		return refgpu_cpp_wait_for_completion_timeout_ms(raw_, ms) != 0;
	}

private:
	refgpu_cpp_completion *raw_;
};

} // namespace kernel
