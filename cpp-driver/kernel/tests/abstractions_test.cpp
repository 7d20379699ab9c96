// SPDX-License-Identifier: GPL-2.0-only
// Copyright (C) 2026 The refgpu authors
//
// Unit tests of the C++ kernel abstractions (cpp-driver/kernel/), on the
// host, against a fake glue: error propagation, ownership, lock pairing,
// reference counting and cleanup on every failure path.
#include <gtest/gtest.h>

#include <algorithm>

#include "alloc.hpp"
#include "dma.hpp"
#include "drm.hpp"
#include "gem.hpp"
#include "io.hpp"
#include "sync.hpp"
#include "uaccess.hpp"
#include "xarray.hpp"

#include "fake_glue.hpp"

using kernel::Error;
using kernel::Result;
using kernel::Status;

void fake_drm_release(struct drm_device *drm);

namespace {

class Abstractions : public ::testing::Test {
protected:
	void SetUp() override { fake::reset(); }
	void TearDown() override
	{
		// Nothing leaked or left locked by any test.
		EXPECT_EQ(fake::state().live_allocs, 0);
		EXPECT_EQ(fake::state().live_locks, 0);
	}
};

Result<int> half(int v)
{
	if (v % 2)
		return Error::inval();
	return v / 2;
}

Result<int> quarter(int v)
{
	int h = TRY(half(v));
	return TRY(half(h));
}

TEST_F(Abstractions, ErrorsAreNegativeErrno)
{
	EXPECT_EQ(Error::noent().to_errno(), -2);
	EXPECT_EQ(Error::from_errno(-14).to_errno(), -14);
	EXPECT_EQ(Error::from_errno(-5000).to_errno(), -22) << "out-of-range errno becomes EINVAL";
	EXPECT_EQ(kernel::to_status(-12).to_errno(), -12);
	EXPECT_EQ(kernel::to_status(0).to_errno(), 0);
}

// An out-of-range errno is the caller's bug: -EINVAL and a WARNING, reported
// once per module however many follow (the fake keeps warnings over the
// whole process, so this holds whichever tests ran before in it).
TEST_F(Abstractions, OutOfRangeErrnoWarnsOnce)
{
	const auto before = fake::warnings().size();
	EXPECT_EQ(Error::from_errno(-1).to_errno(), -1);
	EXPECT_EQ(Error::from_errno(-4095).to_errno(), -4095) << "MAX_ERRNO is an errno";
	EXPECT_EQ(kernel::to_status(-12).to_errno(), -12);
	EXPECT_EQ(fake::warnings().size(), before) << "a valid errno is no warning";

	EXPECT_EQ(Error::from_errno(-4096).to_errno(), -22);
	EXPECT_EQ(Error::from_errno(0).to_errno(), -22);
	EXPECT_EQ(Error::from_errno(12).to_errno(), -22) << "a positive errno";
	EXPECT_EQ(Error::from_errno(-2147483647 - 1).to_errno(), -22);
	EXPECT_EQ(kernel::to_status(-5000).to_errno(), -22);
	ASSERT_EQ(fake::warnings().size(), 1u) << "exactly one warning per process";
	EXPECT_NE(fake::warnings()[0].find("is not a negative errno, using -EINVAL"),
		  std::string::npos)
		<< fake::warnings()[0];
}

TEST_F(Abstractions, DeviceLogFormatsItsArguments)
{
	kernel::Device dev(nullptr);
	dev.err("GPU_ID %#x is %s\n", 0x42u, "unsupported");
	dev.info("%d doorbells\n", 8);
	EXPECT_EQ(fake::state().printk,
		  (std::vector<std::string>{ "3:GPU_ID 0x42 is unsupported\n", "6:8 doorbells\n" }));
}

TEST_F(Abstractions, TryPropagatesTheFirstError)
{
	auto ok = quarter(12);
	ASSERT_TRUE(ok.ok());
	EXPECT_EQ(ok.value(), 3);

	auto bad = quarter(6); // 6 -> 3 -> odd
	ASSERT_FALSE(bad.ok());
	EXPECT_EQ(bad.error(), Error::inval());
}

struct Tracked {
	static int live;
	int v;
	explicit Tracked(int x) : v(x) { live++; }
	~Tracked() { live--; }
};
int Tracked::live = 0;

TEST_F(Abstractions, BoxOwnsAndFrees)
{
	{
		auto b = kernel::make_box<Tracked>(kernel::Gfp::Kernel, 5);
		ASSERT_TRUE(b.ok());
		kernel::Box<Tracked> owner = b.take();
		EXPECT_EQ(owner->v, 5);
		EXPECT_EQ(Tracked::live, 1);
		kernel::Box<Tracked> moved(kernel::move(owner));
		EXPECT_FALSE(owner);
		EXPECT_EQ(Tracked::live, 1);
	}
	EXPECT_EQ(Tracked::live, 0);
}

TEST_F(Abstractions, BoxAllocationFailureIsNomemAndConstructsNothing)
{
	fake::state().fail_kmalloc = true;
	auto b = kernel::make_box<Tracked>(kernel::Gfp::Atomic, 1);
	ASSERT_FALSE(b.ok());
	EXPECT_EQ(b.error(), Error::nomem());
	EXPECT_EQ(Tracked::live, 0);
}

TEST_F(Abstractions, ScopeGuardRunsUnlessDismissed)
{
	int runs = 0;
	{
		kernel::ScopeGuard g([&] { runs++; });
	}
	{
		kernel::ScopeGuard g([&] { runs += 10; });
		g.dismiss();
	}
	EXPECT_EQ(runs, 1);
}

using ClassA = kernel::LockClass<"test::a">;
using ClassB = kernel::LockClass<"test::b">;

TEST_F(Abstractions, SpinLockGuardPairsLockAndUnlock)
{
	kernel::SpinLock<int, ClassA> lock(1);
	{
		auto g = lock.lock();
		*g += 41;
		EXPECT_EQ(fake::state().calls, (std::vector<std::string>{ "lock" }));
	}
	EXPECT_EQ(*lock.lock(), 42);
	EXPECT_EQ(fake::state().calls,
		  (std::vector<std::string>{ "lock", "unlock", "lock", "unlock" }));
}

TEST_F(Abstractions, LocksAndCompletionsEmbedTheirKernelObjectAndAllocateNothing)
{
	struct Owner {
		int before = 1;
		kernel::SpinLock<int, ClassA> lock;
		kernel::Completion<ClassB> done;
		int after = 2;
	};
	Owner o;
	EXPECT_EQ(fake::state().live_allocs, 0) << "no separate allocation per kernel object";
	// The kernel objects lie inside the owner, laid out as the kernel's.
	EXPECT_GE(sizeof(Owner), 2 * sizeof(int) + REFGPU_KL_SPINLOCK_SIZE + REFGPU_KL_COMPLETION_SIZE);
	EXPECT_EQ(alignof(kernel::SpinLock<int, ClassA>) % REFGPU_KL_SPINLOCK_ALIGN, 0u);
	EXPECT_EQ(alignof(kernel::Completion<ClassB>) % REFGPU_KL_COMPLETION_ALIGN, 0u);
	EXPECT_EQ(o.before + o.after, 3);
}

TEST_F(Abstractions, EachLockDeclarationIsItsOwnLockClass)
{
	kernel::SpinLock<int, ClassA> a1, a2;
	kernel::SpinLock<int, ClassB> b;
	kernel::Completion<kernel::LockClass<"test::c">> c;
	const auto &inits = fake::state().lock_inits;
	ASSERT_EQ(inits.size(), 4u);
	EXPECT_EQ(inits[0].first, "test::a");
	EXPECT_EQ(inits[2].first, "test::b");
	EXPECT_EQ(inits[3].first, "test::c");
	// One key per class, static, shared by the objects of one declaration.
	EXPECT_EQ(inits[0].second, inits[1].second);
	EXPECT_NE(inits[0].second, inits[2].second);
	EXPECT_NE(inits[2].second, inits[3].second);
	EXPECT_EQ(inits[0].second, ClassA::key());
	EXPECT_NE(inits[0].second, nullptr);
}

TEST_F(Abstractions, AnEmptyKernelStructureTakesNoBytesOfItsOwn)
{
	// lock_class_key without lockdep is an empty GNU C struct (size 0).
	struct Raw;
	using Empty = kernel::Opaque<kernel::Layout{ 0, 1 }, Raw>;
	Empty e;
	EXPECT_EQ(sizeof(Empty), 1u); // the smallest a C++ object can be
	EXPECT_EQ(static_cast<void *>(e.raw()), static_cast<void *>(&e));
	using Key = kernel::Opaque<kernel::Layout{ 16, 8 }, Raw>;
	EXPECT_EQ(sizeof(Key), 16u);
	EXPECT_EQ(alignof(Key), 8u);
}

TEST_F(Abstractions, CompletionCompleteWait)
{
	kernel::Completion<ClassA> comp;
	EXPECT_FALSE(comp.wait_timeout_ms(1));
	comp.complete();
	EXPECT_TRUE(comp.wait_timeout_ms(1));
	comp.reinit();
	EXPECT_FALSE(comp.wait_timeout_ms(1));
}

TEST_F(Abstractions, IoMemPollsUntilDoneOrTimeout)
{
	namespace regs = refgpu::regs;
	// IoMem has no public constructor from a pointer: map() through the fake.
	kernel::IoMem io;

	fake::state().reads[regs::IrqRawstat::offset] = { 0, 0, regs::IrqRawstat::ResetDone::mask };
	auto r = io.poll_timeout<regs::IrqRawstat>(
		[](kernel::u32 v) { return (v & regs::IrqRawstat::ResetDone::mask) != 0; }, 10, 100);
	ASSERT_TRUE(r.ok());
	// Two sleeps in readl_poll_timeout()'s range: (10 >> 2) + 1 to 10 us.
	EXPECT_EQ(fake::state().sleep_us, 20);
	EXPECT_EQ(fake::state().sleep_min_us, 6);

	// The deadline is time on the clock, not a count of reads: a clock
	// that jumps past it (the poller was preempted) ends the poll after
	// one last read, whatever the sleep length.
	fake::reset();
	fake::state().reads[regs::IrqRawstat::offset] = { 0 };
	auto t = io.poll_timeout<regs::IrqRawstat>([](kernel::u32 v) { return v != 0; }, 10, 100);
	EXPECT_EQ(t.error(), Error::timedout());
	EXPECT_EQ(fake::state().sleep_us, 110); // 11 sleeps: the clock must pass the deadline

	fake::reset();
	fake::state().reads[regs::IrqRawstat::offset] = { 0, 0, 1 };
	auto late = io.poll_timeout<regs::IrqRawstat>([](kernel::u32 v) { return v != 0; }, 200, 100);
	ASSERT_TRUE(late.ok()) << "the read after the deadline must count";
	EXPECT_EQ(fake::state().sleep_us, 200);

	io.write<regs::IrqMask>(3);
	io.write_at<regs::Doorbell>(2, 9);
	EXPECT_EQ(fake::state().writes[regs::IrqMask::offset], 3u);
	EXPECT_EQ(fake::state().writes[regs::Doorbell::offset(2)], 9u);
}

struct Drv {
	static int live;
	kernel::drm::Device<Drv> base;
	int x;
	Drv(kernel::drm::Device<Drv> d, int v) : base(d), x(v) { live++; }
	~Drv() { live--; }
};
int Drv::live = 0;

TEST_F(Abstractions, DrmDeviceDataLivesAndDiesWithTheDrmDevice)
{
	auto r = kernel::drm::Device<Drv>::create(kernel::Device(nullptr), 7);
	ASSERT_TRUE(r.ok());
	Drv *d = r.value();
	EXPECT_EQ(d->x, 7);
	EXPECT_EQ(&kernel::drm::Device<Drv>::from_raw(d->base.raw()), d);
	EXPECT_EQ(Drv::live, 1);
	fake_drm_release(d->base.raw());
	EXPECT_EQ(Drv::live, 0);
}

TEST_F(Abstractions, DrmDeviceReleaseFailureDestroysExactlyOnce)
{
	fake::state().drm_add_release_ret = -12;
	auto r = kernel::drm::Device<Drv>::create(kernel::Device(nullptr), 1);
	EXPECT_EQ(r.error(), Error::nomem());
	EXPECT_EQ(Drv::live, 0);
}

struct Bo {
	static int live;
	kernel::u32 flags = 3;
	Bo() { live++; }
	~Bo() { live--; }
};
int Bo::live = 0;

using Obj = kernel::gem::Object<Bo>;
using Ref = kernel::gem::ObjectRef<Bo>;

// What the driver's gem free hook does (refgpu_cpp_gem_free): the kernel
// calls it on the last put, never while references remain.
class Gem : public Abstractions {
protected:
	void SetUp() override
	{
		Abstractions::SetUp();
		Bo::live = 0;
		fake::state().gem_free = Obj::free;
	}
	void TearDown() override
	{
		Abstractions::TearDown();
		EXPECT_EQ(fake::state().gem_refs, 0);
		EXPECT_EQ(fake::state().live_gem_objects, 0);
		EXPECT_EQ(fake::state().gem_freed_referenced, 0);
		EXPECT_EQ(Bo::live, 0);
	}
};

TEST_F(Gem, RefsAreBalanced)
{
	EXPECT_EQ(Ref::lookup(nullptr, 99).error(), Error::noent());
	fake::state().gem_size = 8192;
	{
		Ref owner = Ref::adopt(Obj::alloc());
		ASSERT_EQ(owner.create_handle(nullptr).value(), 7u);
	}
	EXPECT_EQ(fake::state().gem_refs, 1) << "the handle's reference remains";
	{
		auto r = Ref::lookup(nullptr, 7);
		ASSERT_TRUE(r.ok());
		Ref a = r.take();
		Ref b = a; // get
		EXPECT_EQ(b.size(), 8192u);
		EXPECT_EQ(fake::state().gem_refs, 3);
	}
	EXPECT_EQ(fake::state().gem_refs, 1);
	EXPECT_EQ(Bo::live, 1);
	fake::close_file(); // the last put frees the object
	EXPECT_EQ(fake::state().gem_refs, 0);
	EXPECT_EQ(Bo::live, 0);
}

TEST_F(Gem, ObjectDataIsBuiltAndFreedWithTheObject)
{
	drm_gem_object *raw = Obj::alloc();
	EXPECT_EQ(Obj::from_raw(raw).flags, 3u);
	EXPECT_EQ(Bo::live, 1);
	{
		auto ref = Ref::adopt(raw);
		auto h = ref.create_handle(nullptr);
		ASSERT_TRUE(h.ok());
		EXPECT_EQ(h.value(), 7u);

		fake::state().gem_handle_ret = -28;
		EXPECT_EQ(ref.create_handle(nullptr).error().to_errno(), -28);
	}
	EXPECT_EQ(fake::state().live_gem_objects, 1) << "the handle keeps the object";
	EXPECT_EQ(Bo::live, 1);
	fake::close_file(); // the last put runs Obj::free: ~Bo, then the shmem free
	EXPECT_EQ(fake::state().live_gem_objects, 0);
	EXPECT_EQ(Bo::live, 0);

	fake::state().fail_kmalloc = true;
	EXPECT_EQ(reinterpret_cast<long>(Obj::alloc()), -12L) << "ERR_PTR(-ENOMEM) for the hook";
	EXPECT_EQ(Bo::live, 0);
}

// The sequence this file once had: the free hook called by hand while a
// reference remained, then that reference dropped. With the fake freeing on
// the last put, the put touches freed memory and AddressSanitizer kills the
// process; this proves the host unit tests catch that kind of mistake.
TEST(GemDeathTest, PutAfterFreeIsAUseAfterFree)
{
#ifndef __SANITIZE_ADDRESS__
	FAIL() << "the host unit tests must be built with -fsanitize=address";
#else
	EXPECT_DEATH(
		{
			fake::reset();
			fake::state().gem_free = Obj::free;
			drm_gem_object *raw = Obj::alloc();
			auto ref = Ref::adopt(raw);
			Obj::free(raw); // wrong: a reference remains
		},
		"heap-use-after-free");
#endif
}

TEST_F(Abstractions, UserPtrReportsFaults)
{
	kernel::u64 dst = 0;
	kernel::u64 src = 0x1122334455667788ULL;
	kernel::UserPtr p(reinterpret_cast<kernel::u64>(&dst));
	EXPECT_TRUE(p.write(&src, sizeof(src)).ok());
	EXPECT_EQ(dst, src);
	fake::state().copy_to_user_ret = -14;
	EXPECT_EQ(p.write(&src, sizeof(src)).to_errno(), -14);
}

// Mutex: the data only through the guard, each lock paired with an unlock,
// a class per declaration, destroyed unlocked.
TEST_F(Abstractions, MutexOwnsItsDataAndPairsLocks)
{
	{
		kernel::Mutex<int, kernel::LockClass<"test::mutex_a">> a(41);
		kernel::Mutex<int, kernel::LockClass<"test::mutex_b">> b;
		{
			auto g = a.lock();
			EXPECT_EQ(fake::state().live_locks, 1);
			++*g;
		}
		EXPECT_EQ(*a.lock(), 42);
		EXPECT_EQ(*b.lock(), 0);
	}
	auto &calls = fake::state().calls;
	EXPECT_EQ(std::count(calls.begin(), calls.end(), "mutex_lock"), 3);
	EXPECT_EQ(std::count(calls.begin(), calls.end(), "mutex_unlock"), 3);
	auto &inits = fake::state().lock_inits;
	ASSERT_EQ(inits.size(), 2u);
	EXPECT_EQ(inits[0].first, "test::mutex_a");
	EXPECT_NE(inits[0].second, inits[1].second) << "one lockdep class per declaration";
}

// The fake catches a mutex destroyed while held (what ~Mutex would do
// under a leaked guard): the pairing check above can fail.
TEST_F(Abstractions, MutexDestroyedHeldIsCaught)
{
	kernel::Mutex<int, kernel::LockClass<"test::m">> m;
	refgpu_cpp_mutex_lock(m.raw());
	EXPECT_THROW(refgpu_cpp_mutex_destroy(m.raw()), std::logic_error);
	refgpu_cpp_mutex_unlock(m.raw());
}

// XArray: lowest free id in the range, -EBUSY when full, lookups under
// the lock, erase frees the id.
TEST_F(Abstractions, XArrayAllocatesLowestFreeId)
{
	kernel::XArray<int> xa;
	int v[4] = {10, 20, 30, 40};
	EXPECT_EQ(xa.alloc(&v[0], 1, 3, kernel::Gfp::Kernel).take(), 1u);
	EXPECT_EQ(xa.alloc(&v[1], 1, 3, kernel::Gfp::Kernel).take(), 2u);
	EXPECT_EQ(xa.alloc(&v[2], 1, 3, kernel::Gfp::Kernel).take(), 3u);
	auto full = xa.alloc(&v[3], 1, 3, kernel::Gfp::Kernel);
	ASSERT_FALSE(full.ok());
	EXPECT_EQ(full.error(), Error::busy());
	EXPECT_EQ(xa.erase(2), &v[1]);
	EXPECT_EQ(xa.erase(2), nullptr);
	EXPECT_EQ(xa.alloc(&v[3], 1, 3, kernel::Gfp::Kernel).take(), 2u) << "the lowest free id";
	int seen = xa.with_locked(2, [](int *p) {
		EXPECT_EQ(fake::state().live_locks, 1) << "under the xarray's lock";
		return p ? *p : -1;
	});
	EXPECT_EQ(seen, 40);
	EXPECT_EQ(xa.with_locked(9, [](int *p) { return p; }), nullptr);
	unsigned long id = 0;
	int n = 0;
	while (int *p = xa.find(&id)) {
		EXPECT_EQ(xa.erase(unsigned(id)), p);
		n++;
	}
	EXPECT_EQ(n, 3);
	fake::state().fail_kmalloc = true;
	auto nomem = xa.alloc(&v[0], 1, 3, kernel::Gfp::Kernel);
	EXPECT_EQ(nomem.error(), Error::nomem());
}

// Revocable: access only inside drm_dev_enter/exit; none after unplug.
TEST_F(Abstractions, RevocableHandsOutOnlyInsideDrmDevEnter)
{
	int res_value = 7;
	kernel::drm::Revocable<int *> r(nullptr);
	r.init(&res_value);
	{
		auto g = r.access();
		ASSERT_TRUE(g);
		EXPECT_EQ(**g.operator->(), 7);
		EXPECT_EQ(fake::state().dev_entered, 1);
	}
	EXPECT_EQ(fake::state().dev_entered, 0) << "drm_dev_exit at scope end";
	fake::state().unplugged = true;
	{
		auto g = r.access();
		EXPECT_FALSE(g) << "nothing after unplug";
	}
	EXPECT_EQ(fake::state().dev_entered, 0) << "no exit without an enter";
}

// read_struct: copy_struct_from_user's -E2BIG for a non-zero tail, -EFAULT.
TEST_F(Abstractions, UserPtrReadStruct)
{
	unsigned char src[12] = {1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0};
	unsigned char dst[8] = {};
	kernel::UserPtr p(reinterpret_cast<unsigned long long>(src));
	EXPECT_EQ(p.read_struct(dst, 8, 12).to_errno(), 0);
	EXPECT_EQ(dst[7], 8);
	src[11] = 1;
	EXPECT_EQ(p.read_struct(dst, 8, 12).to_errno(), -7);
	EXPECT_EQ(kernel::UserPtr(0).read_struct(dst, 8, 8).to_errno(), -14);
}

// DmaPage: zeroed, freed with its mapping; a mapping failure frees the page.
TEST_F(Abstractions, DmaPageIsFreedWithItsMapping)
{
	kernel::Device dev(nullptr);
	{
		auto p = kernel::DmaPage::alloc(dev, kernel::Gfp::KernelZero);
		ASSERT_TRUE(p.ok());
		kernel::DmaPage page = p.take();
		EXPECT_EQ(static_cast<unsigned char *>(page.cpu())[100], 0);
		EXPECT_EQ(fake::state().live_pages, 1);
		page.sync_for_device();
		EXPECT_EQ(fake::state().dma_synced.back(), page.dma());
		kernel::DmaPage moved = kernel::move(page);
		EXPECT_EQ(fake::state().live_pages, 1);
	}
	EXPECT_EQ(fake::state().live_pages, 0);
	fake::state().dma_map_ret = -12;
	auto p = kernel::DmaPage::alloc(dev, kernel::Gfp::KernelZero);
	EXPECT_EQ(p.error(), Error::nomem());
	EXPECT_EQ(fake::state().live_pages, 0);
}

// KvArray: freed by its destructor; a size overflow is -ENOMEM.
TEST_F(Abstractions, KvArrayOwnsItsMemory)
{
	{
		auto a = kernel::KvArray<unsigned long long>::alloc(64, kernel::Gfp::Kernel);
		ASSERT_TRUE(a.ok());
		auto arr = a.take();
		arr[63] = 1;
		EXPECT_EQ(arr.size(), 64u);
		EXPECT_EQ(fake::state().live_allocs, 1);
	}
	EXPECT_EQ(fake::state().live_allocs, 0);
	auto big = kernel::KvArray<unsigned long long>::alloc(~0UL / 4, kernel::Gfp::Kernel);
	EXPECT_EQ(big.error(), Error::nomem());
}

} // namespace
