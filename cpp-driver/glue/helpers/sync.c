// SPDX-License-Identifier: GPL-2.0-only
/*
 * C++ glue helpers: completions and spinlocks. The objects are embedded in
 * C++ objects (storage sized by generated/kernel_layout.h, checked here);
 * each init takes the lock class of the C++ declaration it serves, so every
 * C++ lock declaration is its own lockdep class, as every C one is.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/swait.h>

#include "refgpu_glue_internal.h"
#include "kernel_layout.h"

struct refgpu_cpp_completion {
	struct completion c;
};

struct refgpu_cpp_spinlock {
	spinlock_t lock; /* the lock itself; what it protects is C++'s business */
};

struct refgpu_cpp_lock_class_key {
	struct lock_class_key key;
};

/* spinlock_t is an rt_mutex there: these helpers would be wrong. */
static_assert(!IS_ENABLED(CONFIG_PREEMPT_RT));

/* The C++ storage is sized and aligned from these very layouts. */
static_assert(sizeof(struct refgpu_cpp_completion) == REFGPU_KL_COMPLETION_SIZE);
static_assert(__alignof__(struct refgpu_cpp_completion) == REFGPU_KL_COMPLETION_ALIGN);
static_assert(sizeof(struct refgpu_cpp_spinlock) == REFGPU_KL_SPINLOCK_SIZE);
static_assert(__alignof__(struct refgpu_cpp_spinlock) == REFGPU_KL_SPINLOCK_ALIGN);
static_assert(sizeof(struct refgpu_cpp_mutex) == REFGPU_KL_MUTEX_SIZE);
static_assert(__alignof__(struct refgpu_cpp_mutex) == REFGPU_KL_MUTEX_ALIGN);
static_assert(sizeof(struct refgpu_cpp_lock_class_key) == REFGPU_KL_LOCK_CLASS_KEY_SIZE);

static struct lock_class_key *refgpu_cpp_key(struct refgpu_cpp_lock_class_key *key)
{
	return &key->key;
}

/* init_completion() with the caller's class instead of one per call site. */
void refgpu_cpp_completion_init(struct refgpu_cpp_completion *c, const char *name,
				struct refgpu_cpp_lock_class_key *key)
{
	c->c.done = 0;
	__init_swait_queue_head(&c->c.wait, name, refgpu_cpp_key(key));
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

/* spin_lock_init() with the caller's class (it makes one per call site). */
void refgpu_cpp_spin_lock_init(struct refgpu_cpp_spinlock *lock, const char *name,
			       struct refgpu_cpp_lock_class_key *key)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	__raw_spin_lock_init(spinlock_check(&lock->lock), name, refgpu_cpp_key(key),
			     LD_WAIT_CONFIG);
#else
	spin_lock_init(&lock->lock);
#endif
}

/* Returns with the lock held: C++'s SpinGuard releases it. */
unsigned long refgpu_cpp_spin_lock_irqsave(struct refgpu_cpp_spinlock *lock)
	__acquires(&lock->lock)
{
	unsigned long flags;

	spin_lock_irqsave(&lock->lock, flags);
	return flags;
}

void refgpu_cpp_spin_unlock_irqrestore(struct refgpu_cpp_spinlock *lock, unsigned long flags)
	__releases(&lock->lock)
{
	spin_unlock_irqrestore(&lock->lock, flags);
}

/* mutex_init() with the caller's class (it makes one per call site). */
void refgpu_cpp_mutex_init(struct refgpu_cpp_mutex *lock, const char *name,
			   struct refgpu_cpp_lock_class_key *key)
{
	__mutex_init(&lock->lock, name, refgpu_cpp_key(key));
}

void refgpu_cpp_mutex_destroy(struct refgpu_cpp_mutex *lock)
{
	mutex_destroy(&lock->lock);
}

/*
 * Returns with the lock held: C++'s MutexGuard releases it. Not annotated
 * __acquires/__releases: sparse does not count mutex contexts (mutex_lock()
 * carries no annotation), so the annotation itself would be an imbalance.
 */
void refgpu_cpp_mutex_lock(struct refgpu_cpp_mutex *lock)
{
	mutex_lock(&lock->lock);
}

void refgpu_cpp_mutex_unlock(struct refgpu_cpp_mutex *lock)
{
	mutex_unlock(&lock->lock);
}
