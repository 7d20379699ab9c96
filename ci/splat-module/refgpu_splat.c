// SPDX-License-Identifier: GPL-2.0-only
/*
 * refgpu_splat: a test module that makes the kernel report a bug on
 * purpose, so the test suite can prove that ci/guest-run fails a run on
 * each kind of report. Never built into a kernel; loaded only by ci/test.
 *
 * Copyright (C) 2026 The refgpu authors
 */

#include <linux/bug.h>
#include <linux/delay.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>

static char *kind = "warn";
module_param(kind, charp, 0444);
MODULE_PARM_DESC(kind, "Report to provoke: warn, bug, kasan, ubsan, leak, lockdep, rcu_stall, hung_task, refcount, list, odebug or atomic_sleep");

static int index = 8;
module_param(index, int, 0444);
MODULE_PARM_DESC(index, "Out-of-bounds index for kind=ubsan");

static void *leaked;
static DEFINE_MUTEX(refgpu_splat_a);
static DEFINE_MUTEX(refgpu_splat_b);

/* A then B, later B then A: lockdep reports the possible deadlock. */
static noinline void refgpu_splat_lockdep(void)
{
	mutex_lock(&refgpu_splat_a);
	mutex_lock(&refgpu_splat_b);
	mutex_unlock(&refgpu_splat_b);
	mutex_unlock(&refgpu_splat_a);

	mutex_lock(&refgpu_splat_b);
	mutex_lock(&refgpu_splat_a);
	mutex_unlock(&refgpu_splat_a);
	mutex_unlock(&refgpu_splat_b);
}

static noinline void refgpu_splat_kasan(void)
{
	char *p = kmalloc(16, GFP_KERNEL);

	if (!p)
		return;
	/* One byte past the end: KASAN slab-out-of-bounds. */
	OPTIMIZER_HIDE_VAR(p);
	p[16] = 1;
	kfree(p);
}

static noinline int refgpu_splat_ubsan(void)
{
	int a[8] = { 0 };

	/* index is a module parameter: the compiler cannot see it is 8. */
	return a[index];
}

static struct rcu_head refgpu_splat_rcu;

static void refgpu_splat_rcu_done(struct rcu_head *head)
{
}

/*
 * Stay in an RCU read-side critical section (preemptible RCU) while a grace
 * period waits for us: with rcupdate.rcu_cpu_stall_timeout=3 the stall
 * detector reports the blocked reader. The grace period may start seconds
 * after call_rcu() and the first report comes a few seconds after the
 * timeout, so stay far longer than 3 s.
 */
static noinline void refgpu_splat_rcu_stall(void)
{
	int i;

	rcu_read_lock();
	call_rcu(&refgpu_splat_rcu, refgpu_splat_rcu_done);
	for (i = 0; i < 20; i++)
		mdelay(1000);
	rcu_read_unlock();
	rcu_barrier();
}

/* Sleep uninterruptibly past kernel.hung_task_timeout_secs (set to 2). */
static noinline void refgpu_splat_hung_task(void)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule_timeout(8 * HZ);
}

static noinline void refgpu_splat_refcount(void)
{
	refcount_t r = REFCOUNT_INIT(1);

	/* The last reference dropped with refcount_dec(): "hit 0; leaking". */
	refcount_dec(&r);
}

/* A list whose head's prev pointer is wrong: list_add reports corruption. */
static noinline void refgpu_splat_list(void)
{
	static LIST_HEAD(head);
	static struct list_head a, b;

	list_add(&a, &head);
	head.next->prev = &b;
	list_add(&b, &head);
}

static void refgpu_splat_timer_fn(struct timer_list *t)
{
}

/* Free an armed timer: debugobjects reports "free active" object. */
static noinline void refgpu_splat_odebug(void)
{
	struct timer_list *t = kmalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return;
	timer_setup(t, refgpu_splat_timer_fn, 0);
	mod_timer(t, jiffies + 60 * HZ);
	kfree(t);
}

static noinline void refgpu_splat_atomic_sleep(void)
{
	preempt_disable();
	might_sleep();
	preempt_enable();
}

static int __init refgpu_splat_init(void)
{
	if (sysfs_streq(kind, "warn")) {
		WARN(1, "refgpu_splat: deliberate warning\n");
	} else if (sysfs_streq(kind, "bug")) {
		BUG();
	} else if (sysfs_streq(kind, "lockdep")) {
		refgpu_splat_lockdep();
	} else if (sysfs_streq(kind, "kasan")) {
		refgpu_splat_kasan();
	} else if (sysfs_streq(kind, "ubsan")) {
		pr_info("refgpu_splat: read %d\n", refgpu_splat_ubsan());
	} else if (sysfs_streq(kind, "leak")) {
		/* Lose the only reference: kmemleak must find it. */
		leaked = kmalloc(128, GFP_KERNEL);
		leaked = NULL;
	} else if (sysfs_streq(kind, "rcu_stall")) {
		refgpu_splat_rcu_stall();
	} else if (sysfs_streq(kind, "hung_task")) {
		refgpu_splat_hung_task();
	} else if (sysfs_streq(kind, "refcount")) {
		refgpu_splat_refcount();
	} else if (sysfs_streq(kind, "list")) {
		refgpu_splat_list();
	} else if (sysfs_streq(kind, "odebug")) {
		refgpu_splat_odebug();
	} else if (sysfs_streq(kind, "atomic_sleep")) {
		refgpu_splat_atomic_sleep();
	} else {
		return -EINVAL;
	}
	return 0;
}
module_init(refgpu_splat_init);

MODULE_DESCRIPTION("Provokes kernel reports to test the refgpu guest runner");
MODULE_LICENSE("GPL");
