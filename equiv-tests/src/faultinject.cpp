// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "faultinject.h"

#include "discovery.h"

#include <algorithm>
#include <cerrno>
#include <csetjmp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <iterator>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>

namespace refgpu::equiv {

namespace {

constexpr std::uint64_t kPage = 4096;
constexpr std::uint64_t kBoSmall = 4 * 1024;
constexpr std::uint64_t kBoLarge = 1024 * 1024;

} // namespace

// --- fail-nth ----------------------------------------------------------

FailNth FailNth::open(const std::string &path, int *err)
{
	int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		*err = errno;
		return FailNth();
	}
	*err = 0;
	return FailNth(Fd(fd));
}

int FailNth::write(unsigned n)
{
	char buf[16];
	char *p = buf + sizeof(buf);
	*--p = '\n';
	do {
		*--p = static_cast<char>('0' + n % 10);
		n /= 10;
	} while (n);
	std::size_t len = static_cast<std::size_t>(buf + sizeof(buf) - p);
	ssize_t w = ::pwrite(fd_.get(), p, len, 0);
	if (w < 0)
		return -errno;
	return static_cast<std::size_t>(w) == len ? 0 : -EIO;
}

int FailNth::read(unsigned *value)
{
	char buf[32];
	ssize_t r = ::pread(fd_.get(), buf, sizeof(buf), 0);
	if (r < 0)
		return -errno;
	unsigned long long v = 0;
	ssize_t i = 0;
	for (; i < r && buf[i] != '\n'; i++) {
		if (buf[i] < '0' || buf[i] > '9' || i >= 10)
			return -EBADMSG;
		v = v * 10 + static_cast<unsigned>(buf[i] - '0');
	}
	if (i == 0 || v > 0xffffffffull)
		return -EBADMSG;
	*value = static_cast<unsigned>(v);
	return 0;
}

// --- the render node ----------------------------------------------------

int PathNodeOpener::open_node()
{
	int fd = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int PathNodeOpener::ioctl(int fd, unsigned long request, void *arg)
{
	return raw_ioctl(fd, request, arg);
}

int PathNodeOpener::close_node(int fd)
{
	return ::close(fd) ? -errno : 0;
}

std::unique_ptr<NodeOpener> path_node_opener(const std::string &path)
{
	return std::make_unique<PathNodeOpener>(path);
}

// --- entries ------------------------------------------------------------

namespace {

std::string signal_name(int sig)
{
	switch (sig) {
	case SIGBUS:
		return "SIGBUS";
	case SIGSEGV:
		return "SIGSEGV";
	default:
		return "signal " + std::to_string(sig);
	}
}

} // namespace

std::string fault_outcome(const FaultEntry &e)
{
	return e.sig ? signal_name(e.sig) : ret_name(e.ret);
}

std::string fault_outcome_key(const FaultEntry &e)
{
	std::string k = e.completed() ? std::string(kFaultOk) : e.step + " " + fault_outcome(e);
	if (!e.cleanup.empty())
		k += " (cleanup: " + e.cleanup + ")";
	return e.state.empty() ? k : k + ", " + e.state;
}

bool fault_error_documented(const FaultEntry &e)
{
	if (e.completed() || e.sig)
		return false;
	const FaultStepErrors *d = fault_step_errors(e.step);
	return d && std::find(d->errnos.begin(), d->errnos.end(), -e.ret) != d->errnos.end();
}

// --- the documented errors ------------------------------------------------

const std::vector<FaultStepErrors> &fault_documented_errors()
{
	// See faultinject.h: refgpu_drm.h for the ioctls, open(2) and mmap(2)
	// for the syscalls. Keep in step with the UAPI header.
	static const std::vector<FaultStepErrors> table = {
		{"BO_CREATE", "DRM_IOCTL_REFGPU_BO_CREATE", {ENOMEM, ENOSPC}},
		{"BO_MMAP_OFFSET", "DRM_IOCTL_REFGPU_BO_MMAP_OFFSET", {ENOMEM}},
		{"mmap", "mmap(2) of the DRM file", {ENOMEM, EAGAIN}},
		{"SYNCOBJ_CREATE", "DRM_IOCTL_SYNCOBJ_CREATE", {ENOMEM}},
		{"DEV_QUERY", "DRM_IOCTL_REFGPU_DEV_QUERY", {ENOMEM, EFAULT}},
		{"open", "open(2) of the render node", {ENOMEM, ENFILE, EMFILE}},
		{"VERSION", "DRM_IOCTL_VERSION", {ENOMEM, EFAULT}},
		{"VM_CREATE", "DRM_IOCTL_REFGPU_VM_CREATE", {ENOMEM}},
		{"VM_BIND", "DRM_IOCTL_REFGPU_VM_BIND", {ENOMEM}},
		// -EBUSY: devm_ioremap_resource() reports a failed allocation
		// inside request_mem_region() as a busy region.
		{"bind", "write(2) of the device to the driver's bind (probe)", {ENOMEM, EBUSY}},
		{"unbind", "write(2) of the device to the driver's unbind (remove)", {ENOMEM}},
	};
	return table;
}

const FaultStepErrors *fault_step_errors(const std::string &step)
{
	for (const FaultStepErrors &d : fault_documented_errors())
		if (step == d.step)
			return &d;
	return nullptr;
}

std::string fault_documented_list(const std::string &step)
{
	const FaultStepErrors *d = fault_step_errors(step);
	if (!d)
		return "none";
	std::string l;
	for (int e : d->errnos)
		l += (l.empty() ? "" : ", ") + ret_name(-e);
	return l;
}

// --- violations -----------------------------------------------------------

const char *fault_check_name(FaultCheck c)
{
	switch (c) {
	case FaultCheck::setup:
		return "setup";
	case FaultCheck::failed_without_fault:
		return "failed without an injected fault";
	case FaultCheck::undocumented_error:
		return "undocumented error";
	case FaultCheck::wrong_success:
		return "wrong success";
	case FaultCheck::cleanup_failed:
		return "cleanup failed";
	case FaultCheck::driver_broken:
		return "driver broken";
	case FaultCheck::handle_leaked:
		return "handle leaked";
	case FaultCheck::gem_leaked:
		return "GEM object leaked";
	case FaultCheck::cap:
		return "cap reached";
	case FaultCheck::divergence:
		return "outcome sets differ";
	case FaultCheck::state_wrong:
		return "wrong state afterwards";
	case FaultCheck::not_rebindable:
		return "not rebindable";
	}
	return "?";
}

std::string FaultViolation::text() const
{
	if (check == FaultCheck::divergence)
		return op + ": " + what;
	std::string where = n ? "n=" + std::to_string(n)
			      : check == FaultCheck::setup ? std::string("before the first run")
							   : std::string("baseline run (no fault armed)");
	if (sweep > 1)
		where = "sweep " + std::to_string(sweep) + ", " + where;
	return op + " on " + driver + ": " + where + ": " + what;
}

unsigned FaultSequence::injection_points() const
{
	unsigned k = 0;
	for (const FaultEntry &e : entries)
		k += e.injected;
	return k;
}

std::vector<std::string> FaultSequence::outcomes() const
{
	std::vector<std::string> o;
	for (const FaultEntry &e : entries)
		o.push_back(fault_outcome_key(e));
	std::sort(o.begin(), o.end());
	o.erase(std::unique(o.begin(), o.end()), o.end());
	return o;
}

unsigned FaultSequence::swallowed() const
{
	unsigned k = 0;
	for (const FaultEntry &e : entries)
		k += e.injected && e.completed();
	return k;
}

// --- the operations -----------------------------------------------------

// What one run created and got back. Everything an operation touches
// between arming and reading back lives here or on its stack, and the
// runner zeroes it before arming, so no page of it faults in that window.
struct FaultOpState {
	std::uint32_t bo = 0; // to GEM_CLOSE in the cleanup
	std::uint64_t bo_size = 0;
	Mapping map;           // to munmap in the cleanup
	bool readback_ok = false;
	std::uint32_t syncobj = 0; // to SYNCOBJ_DESTROY in the cleanup
	std::uint32_t vm = 0;      // to VM_DESTROY in the cleanup
	std::string gpu_view;      // vm_bind_map: what the GPU sees at the VA afterwards
	drm_refgpu_gpu_info info{};
	int node_fd = -1; // to close in the cleanup
	char ver_name[64]{}, ver_date[64]{}, ver_desc[256]{};
	drm_version_t ver{};
};

namespace {

// Outcome of the run, filled by the operation.
struct Outcome {
	const char *step = nullptr; // nullptr: every step succeeded
	int ret = 0;
	int sig = 0;
};

} // namespace

struct FaultOpEnv {
	DeviceIo &dev;
	NodeOpener &node;
	FailNth &fail_nth;
	FaultOpState &st;
	Outcome out;
	const drm_refgpu_gpu_info &expected_info; // from a query outside any window
	unsigned n = 0;
	int arm_ret = 0, read_ret = 0;
	unsigned left = 0;
	bool armed = false, read = false;

	void arm()
	{
		armed = true;
		arm_ret = fail_nth.write(n);
	}
	void read_back()
	{
		read = true;
		read_ret = fail_nth.read(&left);
	}
	void fail(const char *step, int ret)
	{
		out.step = step;
		out.ret = ret;
	}
};

namespace {

// Catches a SIGBUS/SIGSEGV while a mapping is touched, so that a fault
// handler failing under injection is recorded instead of killing us.
sigjmp_buf g_touch_env;
volatile sig_atomic_t g_touch_armed = 0;
volatile sig_atomic_t g_touch_sig = 0;

extern "C" void touch_signal_handler(int sig)
{
	if (g_touch_armed) {
		g_touch_armed = 0;
		g_touch_sig = sig;
		siglongjmp(g_touch_env, 1);
	}
	std::signal(sig, SIG_DFL); // not ours: die of it as usual
	std::raise(sig);
}

class TouchSignalGuard {
public:
	TouchSignalGuard()
	{
		struct sigaction sa {};
		sa.sa_handler = touch_signal_handler;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, &old_bus_);
		sigaction(SIGSEGV, &sa, &old_segv_);
	}
	~TouchSignalGuard()
	{
		sigaction(SIGBUS, &old_bus_, nullptr);
		sigaction(SIGSEGV, &old_segv_, nullptr);
	}
	TouchSignalGuard(const TouchSignalGuard &) = delete;
	TouchSignalGuard &operator=(const TouchSignalGuard &) = delete;

private:
	struct sigaction old_bus_ {}, old_segv_ {};
};

std::uint8_t page_pattern(std::uint64_t page)
{
	return static_cast<std::uint8_t>((page * 0x9d) | 1);
}

[[gnu::noinline]] bool write_and_check(volatile std::uint8_t *p, std::uint64_t len)
{
	for (std::uint64_t off = 0; off < len; off += kPage)
		p[off] = page_pattern(off / kPage);
	bool ok = true;
	for (std::uint64_t off = 0; off < len; off += kPage)
		ok &= p[off] == page_pattern(off / kPage);
	return ok;
}

// One byte written in every page, then read back: 1 all right, 0 a byte
// read back wrong, -1 a signal (in g_touch_sig) stopped it.
[[gnu::noinline]] int touch_pages(std::uint8_t *base, std::uint64_t len)
{
	g_touch_sig = 0;
	if (sigsetjmp(g_touch_env, 1))
		return -1;
	g_touch_armed = 1;
	bool ok = write_and_check(base, len);
	g_touch_armed = 0;
	return ok ? 1 : 0;
}

void op_bo_create_4k(FaultOpEnv &e)
{
	drm_refgpu_bo_create a{};
	a.size = kBoSmall;
	e.arm();
	int ret = e.dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &a);
	e.read_back();
	if (ret) {
		e.fail("BO_CREATE", ret);
		return;
	}
	e.st.bo = a.handle;
	e.st.bo_size = a.size;
}

std::string verify_bo_create_4k(const FaultOpEnv &e)
{
	if (!e.st.bo)
		return "BO_CREATE returned handle 0";
	if (e.st.bo_size != kBoSmall)
		return "BO_CREATE returned size " + std::to_string(e.st.bo_size) + ", not 4096";
	return "";
}

void op_bo_1m_map_touch(FaultOpEnv &e)
{
	drm_refgpu_bo_create c{};
	c.size = kBoLarge;
	drm_refgpu_bo_mmap_offset mo{};
	drm_gem_close cl{};
	int ret = 0;

	e.arm();
	ret = e.dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &c);
	if (ret) {
		e.fail("BO_CREATE", ret);
		goto out;
	}
	e.st.bo = c.handle;
	e.st.bo_size = c.size;
	mo.handle = c.handle;
	ret = e.dev.ioctl(DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &mo);
	if (ret) {
		e.fail("BO_MMAP_OFFSET", ret);
		goto out;
	}
	e.st.map = e.dev.mmap(kBoLarge, mo.offset, &ret);
	if (!e.st.map.valid()) {
		e.fail("mmap", ret ? ret : -EINVAL);
		goto out;
	}
	switch (touch_pages(e.st.map.bytes(), kBoLarge)) {
	case -1:
		e.fail("touch", -EFAULT);
		e.out.sig = g_touch_sig;
		goto out;
	case 1:
		e.st.readback_ok = true;
		break;
	default:
		break; // completes; verify reports it
	}
	ret = e.st.map.unmap();
	if (ret) {
		e.fail("munmap", ret);
		goto out;
	}
	cl.handle = e.st.bo;
	ret = e.dev.ioctl(DRM_IOCTL_GEM_CLOSE, &cl);
	if (ret) {
		e.fail("GEM_CLOSE", ret);
		goto out;
	}
	e.st.bo = 0;
out:
	e.read_back();
}

std::string verify_bo_1m_map_touch(const FaultOpEnv &e)
{
	if (e.st.bo_size != kBoLarge)
		return "BO_CREATE returned size " + std::to_string(e.st.bo_size) + ", not 1 MiB";
	if (!e.st.readback_ok)
		return "a byte written through the mapping read back different";
	return "";
}

void op_syncobj_create(FaultOpEnv &e)
{
	drm_syncobj_create a{};
	e.arm();
	int ret = e.dev.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &a);
	e.read_back();
	if (ret) {
		e.fail("SYNCOBJ_CREATE", ret);
		return;
	}
	e.st.syncobj = a.handle;
}

std::string verify_syncobj_create(const FaultOpEnv &e)
{
	return e.st.syncobj ? "" : "SYNCOBJ_CREATE returned handle 0";
}

void op_vm_create(FaultOpEnv &e)
{
	drm_refgpu_vm_create a{};
	e.arm();
	int ret = e.dev.ioctl(DRM_IOCTL_REFGPU_VM_CREATE, &a);
	e.read_back();
	if (ret) {
		e.fail("VM_CREATE", ret);
		return;
	}
	e.st.vm = a.id;
}

std::string verify_vm_create(const FaultOpEnv &e)
{
	return e.st.vm ? "" : "VM_CREATE returned id 0";
}

// Where vm_bind_map maps its BO: in a level-1 table of its own.
constexpr std::uint64_t kBindVa = 1ull << 32;
constexpr std::uint64_t kBindPages = 16;

// A 16-page BO (its first word written) and a VM made before arming; then
// one VM_BIND mapping the BO. After the window the GPU's view of the VA is
// read: the BO's word after a success, a fault after a failure (a failed
// VM_BIND changes nothing).
void op_vm_bind_map(FaultOpEnv &e)
{
	drm_refgpu_bo_create c{};
	c.size = kBindPages * kPage;
	drm_refgpu_vm_create v{};
	int ret = e.dev.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &c);
	if (!ret) {
		e.st.bo = c.handle;
		ret = e.dev.ioctl(DRM_IOCTL_REFGPU_VM_CREATE, &v);
	}
	if (!ret)
		e.st.vm = v.id;
	const drm_refgpu_vm_bind_op op = vm_map_op(c.handle, 0, kBindVa, kBindPages * kPage);
	drm_refgpu_vm_bind b = vm_bind_arg(v.id, &op, 1);
	e.arm();
	if (ret) {
		e.read_back();
		e.fail(e.st.bo ? "VM_CREATE (set-up)" : "BO_CREATE (set-up)", ret);
		return;
	}
	ret = e.dev.ioctl(DRM_IOCTL_REFGPU_VM_BIND, &b);
	e.read_back();
	// Disarmed before the look (it opens and reads files): a fault left
	// unused must not land there. The runner disarms again, harmlessly.
	e.fail_nth.write(0);
	e.st.gpu_view = e.dev.gpu_access(e.st.vm, kBindVa + (kBindPages - 1) * kPage, 'r');
	if (!ret)
		return;
	// A failed bind that left a mapping is not a documented outcome.
	e.fail(e.st.gpu_view.compare(0, 6, "fault=") && e.st.gpu_view != "no-as"
		       ? "VM_BIND (left a mapping)"
		       : "VM_BIND",
	       ret);
}

std::string verify_vm_bind_map(const FaultOpEnv &e)
{
	const std::string want = gpu_data(0);
	if (e.st.gpu_view != want && e.st.gpu_view != "no-as")
		return "after VM_BIND succeeded the GPU reads '" + e.st.gpu_view + "' at the BO's last page, not '" +
		       want + "'";
	return "";
}

void op_dev_query(FaultOpEnv &e)
{
	drm_refgpu_dev_query q{};
	q.type = DRM_REFGPU_DEV_QUERY_GPU_INFO;
	q.size = sizeof(e.st.info);
	q.pointer = reinterpret_cast<std::uintptr_t>(&e.st.info);
	e.arm();
	int ret = e.dev.ioctl(DRM_IOCTL_REFGPU_DEV_QUERY, &q);
	e.read_back();
	if (ret)
		e.fail("DEV_QUERY", ret);
}

std::string verify_dev_query(const FaultOpEnv &e)
{
	if (std::memcmp(&e.st.info, &e.expected_info, sizeof(e.st.info)))
		return "DEV_QUERY GPU_INFO returned other values than without a fault";
	return "";
}

void op_open_node(FaultOpEnv &e)
{
	FaultOpState &st = e.st;
	st.ver.name = st.ver_name;
	st.ver.name_len = sizeof(st.ver_name);
	st.ver.date = st.ver_date;
	st.ver.date_len = sizeof(st.ver_date);
	st.ver.desc = st.ver_desc;
	st.ver.desc_len = sizeof(st.ver_desc);
	int ret = 0;

	e.arm();
	st.node_fd = e.node.open_node();
	if (st.node_fd < 0) {
		e.fail("open", st.node_fd);
		st.node_fd = -1;
		goto out;
	}
	ret = e.node.ioctl(st.node_fd, DRM_IOCTL_VERSION, &st.ver);
	if (ret) {
		e.fail("VERSION", ret);
		goto out;
	}
	ret = e.node.close_node(st.node_fd);
	st.node_fd = -1; // gone whatever close() said
	if (ret)
		e.fail("close", ret);
out:
	e.read_back();
}

std::string verify_open_node(const FaultOpEnv &e)
{
	std::size_t n = std::min<std::size_t>(e.st.ver.name_len, sizeof(e.st.ver_name));
	std::string name(e.st.ver_name, n);
	if (name != kDrmName)
		return "DRM_IOCTL_VERSION returned name \"" + name + "\"";
	return "";
}

} // namespace

const std::vector<FaultOp> &fault_ops()
{
	static const std::vector<FaultOp> ops = {
		{"bo_create_4k", "BO_CREATE 4 KiB (GEM_CLOSE afterwards)", op_bo_create_4k,
		 verify_bo_create_4k, false},
		{"bo_1m_map_touch",
		 "BO_CREATE 1 MiB + BO_MMAP_OFFSET + mmap + one byte written and read back per "
		 "4 KiB page + munmap + GEM_CLOSE",
		 op_bo_1m_map_touch, verify_bo_1m_map_touch, true},
		{"syncobj_create", "SYNCOBJ_CREATE (SYNCOBJ_DESTROY afterwards)", op_syncobj_create,
		 verify_syncobj_create, false},
		{"dev_query.gpu_info", "DEV_QUERY GPU_INFO, full drm_refgpu_gpu_info", op_dev_query,
		 verify_dev_query, false},
		{"open_node", "open(2) of the render node + DRM_IOCTL_VERSION + close(2)",
		 op_open_node, verify_open_node, false},
		{"vm_create", "VM_CREATE (VM_DESTROY afterwards)", op_vm_create, verify_vm_create,
		 false},
		{"vm_bind_map", "VM_BIND mapping a 16-page BO in a fresh VM (made before the window)",
		 op_vm_bind_map, verify_vm_bind_map, false},
	};
	return ops;
}

// --- the runner ---------------------------------------------------------

namespace {

// Touches the stack well below the current frame, so that no stack page
// first faults between arming and reading back.
[[gnu::noinline]] void prefault_stack()
{
	volatile char pad[128 * 1024];
	for (std::size_t i = 0; i < sizeof(pad); i += kPage)
		pad[i] = 0;
	pad[sizeof(pad) - 1] = 0;
}

// What the cleanup will release, in its order ("" for nothing).
std::string cleanup_list(const FaultOpState &st)
{
	std::string l;
	auto add = [&l](const char *what) { l += (l.empty() ? "" : ", ") + std::string(what); };
	if (st.map.valid())
		add("munmap");
	if (st.bo)
		add("GEM_CLOSE");
	if (st.syncobj)
		add("SYNCOBJ_DESTROY");
	if (st.vm)
		add("VM_DESTROY");
	if (st.node_fd >= 0)
		add("close");
	return l;
}

// Releases what a run left behind; the errors (none: "").
std::string cleanup(FaultDriver &d, FaultOpState &st)
{
	std::string why;
	auto note = [&why](const std::string &s) { why += (why.empty() ? "" : "; ") + s; };
	if (st.map.valid()) {
		int r = st.map.unmap();
		if (r)
			note("munmap failed: " + ret_name(r));
	}
	if (st.bo) {
		drm_gem_close c{};
		c.handle = st.bo;
		int r = d.dev.ioctl(DRM_IOCTL_GEM_CLOSE, &c);
		if (r)
			note("GEM_CLOSE of handle " + std::to_string(st.bo) + " failed: " + ret_name(r));
		st.bo = 0;
	}
	if (st.syncobj) {
		drm_syncobj_destroy s{};
		s.handle = st.syncobj;
		int r = d.dev.ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &s);
		if (r)
			note("SYNCOBJ_DESTROY of handle " + std::to_string(st.syncobj) +
			     " failed: " + ret_name(r));
		st.syncobj = 0;
	}
	if (st.vm) {
		drm_refgpu_vm_destroy v{};
		v.id = st.vm;
		int r = d.dev.ioctl(DRM_IOCTL_REFGPU_VM_DESTROY, &v);
		if (r)
			note("VM_DESTROY of VM " + std::to_string(st.vm) + " failed: " + ret_name(r));
		st.vm = 0;
	}
	if (st.node_fd >= 0) {
		int r = d.node.close_node(st.node_fd);
		if (r)
			note("close of the node fd failed: " + ret_name(r));
		st.node_fd = -1;
	}
	return why;
}

// The handles a fresh BO and a fresh syncobj get, and the mmap offset of
// that BO (all created and released again). DRM hands out the lowest free
// handle, and the offset from the device's drm_mm of fake offsets (best
// fit, from the lowest address of the hole), so after a run that cleaned
// up they are the same as before it. A GEM object whose handle is gone
// but whose reference leaked keeps its offset node: the probe's BO then
// gets another offset. (A leaked object that never got an offset is
// invisible here; kmemleak reports it.)
struct Probe {
	std::uint32_t bo = 0, syncobj = 0, vm = 0;
	std::uint64_t offset = 0;
};

std::string probe(DeviceIo &dev, Probe *p)
{
	std::uint32_t bo = 0;
	std::uint64_t offset = 0;
	std::string why = create_close_bo(dev, &bo, &offset);
	if (!why.empty())
		return why;
	drm_syncobj_create s{};
	int r = dev.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &s);
	if (r)
		return "SYNCOBJ_CREATE failed: " + ret_name(r);
	drm_syncobj_destroy sd{};
	sd.handle = s.handle;
	r = dev.ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &sd);
	if (r)
		return "SYNCOBJ_DESTROY of the new syncobj " + std::to_string(s.handle) +
		       " failed: " + ret_name(r);
	drm_refgpu_vm_create v{};
	r = dev.ioctl(DRM_IOCTL_REFGPU_VM_CREATE, &v);
	if (r)
		return "VM_CREATE failed: " + ret_name(r);
	drm_refgpu_vm_destroy vd{};
	vd.id = v.id;
	r = dev.ioctl(DRM_IOCTL_REFGPU_VM_DESTROY, &vd);
	if (r)
		return "VM_DESTROY of the new VM " + std::to_string(v.id) + " failed: " + ret_name(r);
	p->bo = bo;
	p->syncobj = s.handle;
	p->vm = v.id;
	p->offset = offset;
	return "";
}

std::string hex(std::uint64_t v)
{
	char b[24];
	std::snprintf(b, sizeof(b), "%#llx", static_cast<unsigned long long>(v));
	return b;
}

std::string describe_run(const FaultEntry &e)
{
	std::string s = e.completed() ? std::string("completed") : e.step + " " + fault_outcome(e);
	return s + (e.injected ? ", fault injected" : ", no fault injected");
}

struct RunResult {
	FaultEntry entry;
	std::vector<std::pair<FaultCheck, std::string>> violations; // in order found
};

// One run at n (0: the baseline, nothing armed), its cleanup and probe.
RunResult run_once(const FaultOp &op, FaultDriver &d, FailNth &fail_nth, unsigned n,
		   const drm_refgpu_gpu_info &expected, const Probe *before, std::string *fatal)
{
	RunResult rr;
	FaultOpState st;
	FaultOpEnv env{d.dev, d.node, fail_nth, st, {}, expected};
	env.n = n;
	prefault_stack();
	op.run(env);
	int dis = fail_nth.write(0);

	FaultEntry &e = rr.entry;
	e.n = n;
	if (env.out.step) {
		e.step = env.out.step;
		e.ret = env.out.ret;
		e.sig = env.out.sig;
	}
	e.left = env.left;
	e.injected = n && env.read_ret == 0 && env.left == 0;
	e.cleanup = cleanup_list(st);

	if (!env.armed || !env.read) {
		*fatal = std::string("internal: operation ") + op.name +
			 " did not arm and read back fail-nth";
	} else if (env.arm_ret) {
		*fatal = "cannot write " + std::to_string(n) + " to fail-nth: " + ret_name(env.arm_ret);
	} else if (env.read_ret) {
		*fatal = "cannot read fail-nth back: " + ret_name(env.read_ret);
	} else if (dis) {
		*fatal = "cannot write 0 to fail-nth: " + ret_name(dis);
	} else if (n == 0 && env.left != 0) {
		*fatal = "fail-nth reads back " + std::to_string(env.left) + " after writing 0";
	}

	auto violation = [&rr](FaultCheck c, std::string what) {
		rr.violations.emplace_back(c, std::move(what));
	};
	// (2) and (1): a failure must be injected and documented.
	if (!e.completed() && !e.injected) {
		violation(FaultCheck::failed_without_fault,
			  e.step + " failed with " + fault_outcome(e) +
				  " although no fault was injected (fail-nth read back " +
				  std::to_string(e.left) + ")");
	} else if (!e.completed() && !fault_error_documented(e)) {
		violation(FaultCheck::undocumented_error,
			  e.step + " failed with " + fault_outcome(e) +
				  " under the injected fault; documented: " +
				  fault_documented_list(e.step));
	}
	// (4) a success must be a correct one; (3) and what it made must go.
	std::string verify_error = e.completed() ? op.verify(env) : "";
	std::string cleanup_error = cleanup(d, st);
	if (!verify_error.empty())
		violation(FaultCheck::wrong_success,
			  "the operation succeeded (" + describe_run(e) + ") but " + verify_error);
	if (!cleanup_error.empty())
		violation(FaultCheck::cleanup_failed,
			  "cleanup after the run (" + describe_run(e) + "): " + cleanup_error);
	if (!verify_error.empty() || !cleanup_error.empty() || !fatal->empty())
		return rr; // the probe would only repeat it

	// (3) the driver still works and nothing leaked in its handle tables.
	Probe now;
	std::string pe = probe(d.dev, &now);
	if (!pe.empty()) {
		violation(FaultCheck::driver_broken,
			  "the driver no longer works after the run (" + describe_run(e) + "): " + pe);
	} else if (before && now.bo != before->bo) {
		violation(FaultCheck::handle_leaked,
			  "after the run (" + describe_run(e) + ") a new BO gets handle " +
				  std::to_string(now.bo) + ", " + std::to_string(before->bo) +
				  " before it: a BO handle leaked");
	} else if (before && now.syncobj != before->syncobj) {
		violation(FaultCheck::handle_leaked,
			  "after the run (" + describe_run(e) + ") a new syncobj gets handle " +
				  std::to_string(now.syncobj) + ", " + std::to_string(before->syncobj) +
				  " before it: a syncobj handle leaked");
	} else if (before && now.vm != before->vm) {
		violation(FaultCheck::handle_leaked,
			  "after the run (" + describe_run(e) + ") a new VM gets id " +
				  std::to_string(now.vm) + ", " + std::to_string(before->vm) +
				  " before it: a VM id leaked");
	} else if (before && now.offset != before->offset) {
		violation(FaultCheck::gem_leaked,
			  "after the run (" + describe_run(e) + ") a new BO gets mmap offset " +
				  hex(now.offset) + ", " + hex(before->offset) +
				  " before it: a GEM object outlived its handles (a reference leaked)");
	}
	return rr;
}

} // namespace

FaultSequence run_fault_sequence(const FaultOp &op, FaultDriver &d, FailNth &fail_nth,
				 unsigned max_n, std::string *fatal)
{
	FaultSequence seq;
	auto violation = [&](unsigned n, FaultCheck c, std::string what) {
		seq.violations.push_back({op.name, d.label, n, c, std::move(what)});
	};
	std::unique_ptr<TouchSignalGuard> guard;
	if (op.touches_memory)
		guard = std::make_unique<TouchSignalGuard>();

	drm_refgpu_gpu_info expected{};
	int qr = query_gpu_info(d.dev, &expected);
	if (qr) {
		violation(0, FaultCheck::setup, "DEV_QUERY GPU_INFO without a fault failed: " + ret_name(qr));
		return seq;
	}
	// The baseline also brings every page of code and data the run uses in.
	RunResult base = run_once(op, d, fail_nth, 0, expected, nullptr, fatal);
	if (!fatal->empty())
		return seq;
	if (!base.violations.empty()) {
		for (auto &[c, what] : base.violations)
			violation(0, c, std::move(what));
		return seq;
	}
	Probe before;
	std::string pe = probe(d.dev, &before);
	if (!pe.empty()) {
		violation(0, FaultCheck::setup, pe);
		return seq;
	}

	seq.entries.reserve(std::min(max_n, 4096u));
	for (unsigned n = 1; n <= max_n; n++) {
		RunResult rr = run_once(op, d, fail_nth, n, expected, &before, fatal);
		seq.entries.push_back(rr.entry);
		if (!fatal->empty())
			return seq;
		if (!rr.violations.empty()) {
			for (auto &[c, what] : rr.violations)
				violation(n, c, std::move(what));
			return seq;
		}
		if (!rr.entry.injected && rr.entry.completed()) {
			seq.clean_end = true;
			return seq;
		}
	}
	violation(max_n, FaultCheck::cap,
		  "cap reached: the fault was still injected at --fault-max " + std::to_string(max_n) +
			  ", no run without a fault; raise --fault-max");
	return seq;
}

std::string join_outcomes(const FaultSequence &s)
{
	return join_outcomes(s.outcomes());
}

std::string join_outcomes(const std::vector<std::string> &outcomes)
{
	std::string j;
	for (const std::string &o : outcomes)
		j += (j.empty() ? "" : "; ") + o;
	return j;
}

namespace {

std::vector<std::string> union_outcomes(const FaultSequence &first,
					const std::vector<FaultSequence> &more)
{
	std::vector<std::string> u = first.outcomes();
	for (const FaultSequence &s : more) {
		std::vector<std::string> o = s.outcomes();
		u.insert(u.end(), o.begin(), o.end());
	}
	std::sort(u.begin(), u.end());
	u.erase(std::unique(u.begin(), u.end()), u.end());
	return u;
}

// What is in a and not in b (both sorted).
std::vector<std::string> only_in(const std::vector<std::string> &a,
				 const std::vector<std::string> &b)
{
	std::vector<std::string> d;
	std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(d));
	return d;
}

bool sequence_compared(const FaultSequence &s)
{
	return s.violations.empty() && s.clean_end;
}

} // namespace

bool FaultOpReport::any_violation() const
{
	if (!c.violations.empty() || !cpp.violations.empty())
		return true;
	for (const std::vector<FaultSequence> *v : {&c_more, &cpp_more})
		for (const FaultSequence &s : *v)
			if (!s.violations.empty())
				return true;
	return false;
}

bool FaultOpReport::compared() const
{
	if (c_more.size() != cpp_more.size() || !sequence_compared(c) || !sequence_compared(cpp))
		return false;
	for (const std::vector<FaultSequence> *v : {&c_more, &cpp_more})
		for (const FaultSequence &s : *v)
			if (!sequence_compared(s))
				return false;
	return true;
}

std::vector<std::string> FaultOpReport::c_outcomes() const
{
	return union_outcomes(c, c_more);
}

std::vector<std::string> FaultOpReport::cpp_outcomes() const
{
	return union_outcomes(cpp, cpp_more);
}

void add_divergence(FaultReport &rep, const FaultOpReport &o)
{
	if (!o.compared() || o.same_outcomes())
		return;
	std::vector<std::string> c = o.c_outcomes(), cpp = o.cpp_outcomes();
	std::string what;
	if (o.sweeps() == 1) {
		what = "outcome sets differ: C {" + join_outcomes(c) + "}, C++ {" + join_outcomes(cpp) +
		       "}";
	} else {
		what = "outcome sets differ after " + std::to_string(o.sweeps()) +
		       " sweeps each (unions over all sweeps): C {" + join_outcomes(c) + "}, C++ {" +
		       join_outcomes(cpp) + "}";
		std::vector<std::string> oc = only_in(c, cpp), ocpp = only_in(cpp, c);
		if (!oc.empty())
			what += "; only on C: {" + join_outcomes(oc) + "}";
		if (!ocpp.empty())
			what += "; only on C++: {" + join_outcomes(ocpp) + "}";
	}
	rep.violations.push_back({o.name, "C and C++", 0, FaultCheck::divergence, what});
}

namespace {

void resweep(FaultReport &rep, FaultOpReport &o, const std::string &c_label,
	     const std::string &cpp_label, const FaultSideSweepFn &sweep, unsigned max_sweeps,
	     std::string *fatal)
{
	for (unsigned k = 2; k <= max_sweeps; k++) {
		if (!fatal->empty() || !o.compared() || o.same_outcomes())
			return;
		// Alternate which driver goes first: whatever the first sequence
		// leaves in the allocator's caches, the other side gets it next.
		bool cpp_first = k % 2 == 0;
		for (int i = 0; i < 2 && fatal->empty(); i++) {
			bool is_cpp = (i == 0) == cpp_first;
			o.order.push_back(is_cpp ? cpp_label : c_label);
			FaultSequence s = sweep(is_cpp, fatal);
			for (FaultViolation &v : s.violations) {
				v.sweep = k;
				rep.violations.push_back(v);
			}
			(is_cpp ? o.cpp_more : o.c_more).push_back(std::move(s));
		}
	}
}

} // namespace

bool fault_start(FailNth &fail_nth, FaultReport &rep)
{
	if (!fail_nth.valid()) {
		rep.fatal = "fail-nth is not open";
		return false;
	}
	int r = fail_nth.write(0);
	if (r) {
		rep.fatal = "cannot write 0 to fail-nth: " + ret_name(r);
		return false;
	}
	return true;
}

bool fault_run_op(FaultReport &rep, const std::string &name, const std::string &what,
		  const std::string &c_label, const std::string &cpp_label,
		  const FaultSideSweepFn &sweep, unsigned max_sweeps)
{
	FaultOpReport o;
	o.name = name;
	o.what = what;
	o.order.push_back(c_label);
	o.c = sweep(false, &rep.fatal);
	if (rep.fatal.empty()) {
		o.order.push_back(cpp_label);
		o.cpp = sweep(true, &rep.fatal);
	}
	for (const FaultSequence *s : {&o.c, &o.cpp})
		rep.violations.insert(rep.violations.end(), s->violations.begin(),
				      s->violations.end());
	resweep(rep, o, c_label, cpp_label, sweep, max_sweeps, &rep.fatal);
	add_divergence(rep, o);
	bool stop = !rep.fatal.empty();
	if (stop)
		rep.fatal = o.name + ": " + rep.fatal;
	rep.ops.push_back(std::move(o));
	return !stop;
}

namespace {

std::string counts_note(const FaultOpReport &o)
{
	return "fault points differ: C " + std::to_string(o.c.injection_points()) + " in " +
	       std::to_string(o.c.entries.size()) + " runs, C++ " +
	       std::to_string(o.cpp.injection_points()) + " in " +
	       std::to_string(o.cpp.entries.size()) + " runs (information, not a failure)";
}

} // namespace

bool FaultReport::ok() const
{
	if (!fatal.empty() || !violations.empty())
		return false;
	for (const FaultOpReport &o : ops)
		if (!o.ok())
			return false;
	return true;
}

unsigned FaultReport::injected_c() const
{
	unsigned k = 0;
	for (const FaultOpReport &o : ops) {
		k += o.c.injection_points();
		for (const FaultSequence &s : o.c_more)
			k += s.injection_points();
	}
	return k;
}

unsigned FaultReport::injected_cpp() const
{
	unsigned k = 0;
	for (const FaultOpReport &o : ops) {
		k += o.cpp.injection_points();
		for (const FaultSequence &s : o.cpp_more)
			k += s.injection_points();
	}
	return k;
}

FaultReport run_fault_inject(FaultDriver &c, FaultDriver &cpp, FailNth &fail_nth,
			     const FaultConfig &cfg)
{
	FaultReport rep;
	if (!fault_start(fail_nth, rep))
		return rep;
	for (const FaultOp &op : cfg.ops) {
		auto sweep = [&](bool is_cpp, std::string *fatal) {
			return run_fault_sequence(op, is_cpp ? cpp : c, fail_nth, cfg.max_n, fatal);
		};
		if (!fault_run_op(rep, op.name, op.what, c.label, cpp.label, sweep, cfg.max_sweeps))
			return rep;
	}
	return rep;
}

// --- reports ------------------------------------------------------------

namespace {

// How a sequence ended, for the "runs" row.
std::string runs_cell(const FaultSequence &s, bool aborted)
{
	std::string k = std::to_string(s.entries.size());
	if (s.clean_end)
		return k;
	if (!s.violations.empty())
		return k + (s.violations.front().check == FaultCheck::cap ? " (cap)" : " (violation)");
	return k + (aborted ? " (aborted)" : " (not run)");
}

} // namespace

std::string format_fault_table(const FaultReport &r)
{
	// Rows: op | what | C | C++. The counts are information: allocator
	// state makes them differ between drivers and between boots.
	struct Row {
		std::string op, what, c, cpp;
	};
	std::vector<Row> rows;
	for (std::size_t i = 0; i < r.ops.size(); i++) {
		const FaultOpReport &o = r.ops[i];
		bool aborted = !r.fatal.empty() && i + 1 == r.ops.size();
		rows.push_back({o.name, "runs", runs_cell(o.c, aborted), runs_cell(o.cpp, aborted)});
		rows.push_back({"", "injection points", std::to_string(o.c.injection_points()),
				std::to_string(o.cpp.injection_points())});
		// Failed runs per step and outcome, in order of first appearance
		// on C, then on C++, grouped by step.
		std::vector<std::string> steps;
		std::vector<std::pair<std::string, std::string>> kinds;
		for (const FaultSequence *s : {&o.c, &o.cpp})
			for (const FaultEntry &e : s->entries) {
				if (e.completed())
					continue;
				if (std::find(steps.begin(), steps.end(), e.step) == steps.end())
					steps.push_back(e.step);
				std::pair<std::string, std::string> k{e.step, fault_outcome(e)};
				if (std::find(kinds.begin(), kinds.end(), k) == kinds.end())
					kinds.push_back(k);
			}
		auto step_index = [&steps](const std::string &step) {
			return std::find(steps.begin(), steps.end(), step) - steps.begin();
		};
		std::stable_sort(kinds.begin(), kinds.end(), [&](const auto &a, const auto &b) {
			return step_index(a.first) < step_index(b.first);
		});
		auto count = [](const FaultSequence &s, const std::pair<std::string, std::string> &k) {
			unsigned n = 0;
			for (const FaultEntry &e : s.entries)
				n += !e.completed() && e.step == k.first && fault_outcome(e) == k.second;
			return std::to_string(n);
		};
		for (const auto &k : kinds)
			rows.push_back({"", k.first + " " + k.second, count(o.c, k), count(o.cpp, k)});
		rows.push_back({"", "ok despite the injected fault", std::to_string(o.c.swallowed()),
				std::to_string(o.cpp.swallowed())});
	}
	Row head{"op", "runs and outcomes (sweep 1)", "C", "C++"};
	std::size_t w[4] = {head.op.size(), head.what.size(), head.c.size(), head.cpp.size()};
	for (const Row &row : rows) {
		w[0] = std::max(w[0], row.op.size());
		w[1] = std::max(w[1], row.what.size());
		w[2] = std::max(w[2], row.c.size());
		w[3] = std::max(w[3], row.cpp.size());
	}
	auto left = [](const std::string &v, std::size_t width) {
		return v + std::string(width - v.size(), ' ');
	};
	auto right = [](const std::string &v, std::size_t width) {
		return std::string(width - v.size(), ' ') + v;
	};
	auto line = [&](const Row &row) {
		std::string l = left(row.op, w[0]) + " | " + left(row.what, w[1]) + " | " +
				right(row.c, w[2]) + " | " + right(row.cpp, w[3]);
		while (!l.empty() && l.back() == ' ')
			l.pop_back();
		return l + "\n";
	};
	std::string s = line(head);
	s += std::string(w[0] + 1, '-') + "+" + std::string(w[1] + 2, '-') + "+" +
	     std::string(w[2] + 2, '-') + "+" + std::string(w[3] + 1, '-') + "\n";
	for (const Row &row : rows)
		s += line(row);
	return s;
}

std::string format_fault_outcomes(const FaultReport &r)
{
	std::string s = "outcome sets, C vs C++ (failing step and errno, or ok; what the cleanup "
			"released):\n";
	for (const FaultOpReport &o : r.ops) {
		s += "  " + o.name + ": ";
		if (!o.compared())
			s += "not compared: " +
			     std::string(!o.any_violation() ? "a sequence did not end"
							    : "a violation stopped a sequence (below)") +
			     "\n";
		else if (o.same_outcomes() && o.sweeps() == 1)
			s += "same {" + join_outcomes(o.c) + "}\n";
		else if (o.same_outcomes())
			s += "same {" + join_outcomes(o.c_outcomes()) + "} (unions of " +
			     std::to_string(o.sweeps()) + " sweeps each)\n    the first sweep differed: C {" +
			     join_outcomes(o.c) + "}, C++ {" + join_outcomes(o.cpp) +
			     "}; the unions agree after " + std::to_string(o.sweeps()) +
			     " sweeps (information, not a failure)\n";
		else
			s += "DIFFERENT: C {" + join_outcomes(o.c_outcomes()) + "}, C++ {" +
			     join_outcomes(o.cpp_outcomes()) + "}" +
			     (o.sweeps() == 1 ? std::string()
					      : " (unions of " + std::to_string(o.sweeps()) +
							" sweeps each)") +
			     "\n";
		if (o.compared() && !o.same_counts())
			s += "    " + counts_note(o) + "\n";
	}
	return s;
}

std::string format_fault_verdict(const FaultReport &r, const std::string &mode,
				 const std::string &ok_claim)
{
	std::string s = format_fault_table(r) + format_fault_outcomes(r);
	if (!r.fatal.empty())
		s += mode + ": aborted: " + r.fatal + "\n";
	else if (r.ok())
		return s + mode + ": " + std::to_string(r.injected_c()) + " (C) / " +
		       std::to_string(r.injected_cpp()) + " (C++) " + ok_claim + ": OK\n";
	if (r.violations.empty())
		return r.fatal.empty() ? s + mode + ": FAILED\n" : s;
	s += mode + ": FAILED, " + std::to_string(r.violations.size()) + " violation(s):\n";
	for (const FaultViolation &v : r.violations)
		s += "  " + v.text() + "\n";
	return s;
}

std::string format_fault_report(const FaultReport &r)
{
	return format_fault_verdict(r, "fault-inject",
				    "injected failures, every error documented, nothing leaked, "
				    "the same outcomes on both drivers");
}

} // namespace refgpu::equiv
