// SPDX-License-Identifier: GPL-2.0-only
/*
 * C++ glue helpers: completions and spinlocks. The C++ side does not know
 * the size of kernel objects, so it owns them through these allocations.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "refgpu_glue.h"

struct refgpu_cpp_completion {
	struct completion c;
};

struct refgpu_cpp_spinlock {
	spinlock_t lock; /* the lock itself; what it protects is C++'s business */
};

struct refgpu_cpp_completion *refgpu_cpp_completion_alloc(void)
{
	struct refgpu_cpp_completion *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (c)
		init_completion(&c->c);
	return c;
}

void refgpu_cpp_completion_free(struct refgpu_cpp_completion *c)
{
	kfree(c);
}

void refgpu_cpp_completion_reinit(struct refgpu_cpp_completion *c)
{
	reinit_completion(&c->c);
}

void refgpu_cpp_complete(struct refgpu_cpp_completion *c)
{
	complete(&c->c);
}

unsigned long refgpu_cpp_wait_for_completion_timeout_ms(struct refgpu_cpp_completion *c,
							unsigned int ms)
{
	return wait_for_completion_timeout(&c->c, msecs_to_jiffies(ms));
}

struct refgpu_cpp_spinlock *refgpu_cpp_spinlock_alloc(void)
{
	struct refgpu_cpp_spinlock *l = kzalloc(sizeof(*l), GFP_KERNEL);

	if (l)
		spin_lock_init(&l->lock);
	return l;
}

void refgpu_cpp_spinlock_free(struct refgpu_cpp_spinlock *lock)
{
	kfree(lock);
}

unsigned long refgpu_cpp_spin_lock_irqsave(struct refgpu_cpp_spinlock *lock)
{
	unsigned long flags;

	spin_lock_irqsave(&lock->lock, flags);
	return flags;
}

void refgpu_cpp_spin_unlock_irqrestore(struct refgpu_cpp_spinlock *lock, unsigned long flags)
{
	spin_unlock_irqrestore(&lock->lock, flags);
}
