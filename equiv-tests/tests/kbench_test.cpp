// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --bench-kernel: the in-kernel operations on four in-process fake devices
// with a model of the refgpu_kbench module that checks every window it is
// given (fd, iterations, ioctl, argument, handle offsets) and answers with
// known times, so every figure is known exactly.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "fake_device.h"
#include "kbench.h"

using namespace refgpu::equiv;
using refgpu::equiv::test::FakeRefgpu;

namespace {

// A fake refgpu file with a file descriptor number.
class FdFake final : public DeviceIo {
public:
	explicit FdFake(int fd) : fd_(fd) {}
	int ioctl(unsigned long request, void *arg) override { return dev_.ioctl(request, arg); }
	Mapping mmap(std::size_t len, std::uint64_t offset, int *ret) override
	{
		return dev_.mmap(len, offset, ret);
	}
	int raw_fd() const override { return fd_; }

private:
	FakeRefgpu dev_;
	int fd_;
};

// The module, modelled: each window costs ns_per_iter[fd] ns per iteration.
struct FakeModule {
	std::map<int, double> ns_per_iter;
	std::map<std::uint32_t, unsigned> windows; // per cmd
	std::set<int> fds;
	int fail_errno = 0;            // every window fails with this
	std::uint32_t fail_cmd = 0;    // ... naming this ioctl
	std::string problem;           // first malformed window

	int run(refgpu_kbench_window &w)
	{
		fds.insert(w.fd);
		windows[w.cmd]++;
		auto bad = [&](const std::string &why) {
			if (problem.empty())
				problem = why;
			return -EINVAL;
		};
		if (!w.iters || w.iters > REFGPU_KBENCH_MAX_ITERS)
			return bad("iters");
		if (!w.arg)
			return bad("no argument");
		if (w.cmd2 && (w.handle_off + 4 > _IOC_SIZE(w.cmd) || w.handle_off2 + 4 > _IOC_SIZE(w.cmd2)))
			return bad("handle offset outside the argument");
		switch (w.cmd) {
		case DRM_IOCTL_REFGPU_DEV_QUERY: {
			auto *q = reinterpret_cast<const drm_refgpu_dev_query *>(w.arg);
			if (q->type != DRM_REFGPU_DEV_QUERY_GPU_INFO || q->size != sizeof(drm_refgpu_gpu_info) ||
			    !q->pointer || q->pad)
				return bad("DEV_QUERY argument");
			break;
		}
		case DRM_IOCTL_REFGPU_BO_CREATE: {
			auto *a = reinterpret_cast<const drm_refgpu_bo_create *>(w.arg);
			if (a->size != 4096 || a->handle || w.cmd2 != DRM_IOCTL_GEM_CLOSE ||
			    w.handle_off != offsetof(drm_refgpu_bo_create, handle) ||
			    w.handle_off2 != offsetof(drm_gem_close, handle))
				return bad("BO_CREATE + GEM_CLOSE window");
			break;
		}
		case DRM_IOCTL_REFGPU_BO_MMAP_OFFSET:
			if (!reinterpret_cast<const drm_refgpu_bo_mmap_offset *>(w.arg)->handle)
				return bad("BO_MMAP_OFFSET without the set-up BO");
			break;
		case DRM_IOCTL_SYNCOBJ_CREATE:
			if (w.cmd2 != DRM_IOCTL_SYNCOBJ_DESTROY)
				return bad("SYNCOBJ window");
			break;
		case DRM_IOCTL_VERSION:
		case DRM_IOCTL_GET_CAP:
			break;
		default:
			return bad("unexpected ioctl");
		}
		if (fail_errno) {
			w.failed_cmd = fail_cmd;
			w.failed_iter = 3;
			return -fail_errno;
		}
		w.ns = static_cast<std::uint64_t>(ns_per_iter[w.fd] * w.iters);
		return 0;
	}
};

struct Rig {
	FdFake c{10}, c_aa{11}, cpp{20}, cpp_aa{21};
	FakeModule mod;
	KbenchRun run = [this](refgpu_kbench_window &w) { return mod.run(w); };

	BenchReport bench(unsigned rounds = 4)
	{
		BenchConfig cfg;
		cfg.rounds = rounds;
		cfg.iters_scale = 0.01;
		cfg.clock = kKbenchClock;
		return run_bench({c, c_aa, cpp, cpp_aa}, kernel_bench_ops(run), cfg);
	}
};

} // namespace

TEST(KernelBench, OperationsAreTheDocumentedOnesWithAFloor)
{
	Rig rig;
	std::vector<BenchOp> ops = kernel_bench_ops(rig.run);
	std::set<std::string> names, core;
	for (const BenchOp &op : ops) {
		EXPECT_TRUE(op.window) << op.name;
		EXPECT_FALSE(op.iteration) << op.name << ": timed in the kernel, not in userspace";
		names.insert(op.name);
		if (op.core_only)
			core.insert(op.name);
	}
	EXPECT_EQ(names.size(), ops.size());
	EXPECT_EQ(core, (std::set<std::string>{"version", "get_cap.syncobj", "syncobj_create+destroy"}));
	EXPECT_TRUE(names.count("dev_query.gpu_info") && names.count("bo_create_4k+close") &&
		    names.count("bo_mmap_offset"));
}

TEST(KernelBench, FiguresComeFromTheModulesTimes)
{
	Rig rig;
	rig.mod.ns_per_iter = {{10, 1000}, {11, 1000}, {20, 1100}, {21, 1100}};
	BenchReport rep = rig.bench();
	ASSERT_TRUE(rep.ok) << rep.error;
	EXPECT_EQ(rig.mod.problem, "");
	EXPECT_EQ(rig.mod.fds, (std::set<int>{10, 11, 20, 21}));
	ASSERT_EQ(rep.ops.size(), 6u);
	for (const OpResult &o : rep.ops) {
		EXPECT_NEAR(o.cpp_c.ci.ratio, 1.1, 1e-9) << o.name;
		EXPECT_NEAR(o.aa_c.ci.ratio, 1.0, 1e-9) << o.name;
		EXPECT_NEAR(o.cpp_c.a_median, 1000, 1e-9) << o.name;
		EXPECT_NEAR(o.cpp_c.b_median, 1100, 1e-9) << o.name;
	}
	// Warm-up + 4 rounds x 6 windows (3 pairs x 2 sides) per op.
	EXPECT_EQ(rig.mod.windows[DRM_IOCTL_VERSION], 4u + 4 * 6);
	EXPECT_NE(format_bench(rep).find("ktime_get_ns() in the kernel"), std::string::npos);
}

TEST(KernelBench, AFailingInKernelCallNamesTheIoctlAndIteration)
{
	Rig rig;
	rig.mod.fail_errno = ENOMEM;
	rig.mod.fail_cmd = DRM_IOCTL_GEM_CLOSE;
	BenchReport rep = rig.bench();
	ASSERT_FALSE(rep.ok);
	EXPECT_NE(rep.error.find("DRM_IOCTL_GEM_CLOSE (in-kernel iteration 3)"), std::string::npos)
		<< rep.error;
	EXPECT_NE(rep.error.find("ENOMEM"), std::string::npos) << rep.error;
}

TEST(KernelBench, ADeviceWithoutAnFdIsRefused)
{
	FakeRefgpu c, c_aa, cpp, cpp_aa; // raw_fd() == -1
	FakeModule mod;
	KbenchRun run = [&mod](refgpu_kbench_window &w) { return mod.run(w); };
	BenchConfig cfg;
	cfg.rounds = 2;
	BenchReport rep = run_bench({c, c_aa, cpp, cpp_aa}, kernel_bench_ops(run), cfg);
	ASSERT_FALSE(rep.ok);
	EXPECT_NE(rep.error.find("EBADF"), std::string::npos) << rep.error;
	EXPECT_TRUE(mod.fds.empty()) << "no window may reach the module without an fd";
}
