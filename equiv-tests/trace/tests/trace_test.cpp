// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The recorder and the replayer over in-process models of the device:
// FakeRefgpu (equiv-tests/tests) for refgpu_drm.h and the DRM core, and a
// model of tests/data/vm_uapi.h (arrays of structures through a nested
// pointer, a handle kind of its own). Every check has a planted failure.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "fake_device.h"
#include "recorder.h"
#include "replay.h"
#include "trace.h"
#include "trace_cli.h"
#include "vm_uapi.h"

namespace refgpu::trace {
namespace {

using equiv::test::FakeRefgpu;

// The devices of the model: "c" and "cpp" (any name), each open a fresh
// FakeRefgpu; other fds are the real ones (PRIME's memfds).
class FakeOs final : public Os {
public:
	std::function<void(const std::string &node, FakeRefgpu &)> setup;

	int open_node(const std::string &node) override
	{
		auto d = std::make_shared<FakeRefgpu>();
		if (setup)
			setup(node, *d);
		fds_[next_] = {d, node};
		return next_++;
	}
	int ioctl(int fd, unsigned long req, void *arg) override
	{
		auto it = fds_.find(fd);
		if (it == fds_.end())
			return ::ioctl(fd, req, arg);
		int r = it->second.dev->ioctl(req, arg);
		if (r < 0) {
			errno = -r;
			return -1;
		}
		return r;
	}
	void *mmap(void *addr, std::size_t len, int prot, int flags, int fd, off_t off) override
	{
		auto it = fds_.find(fd);
		if (it == fds_.end())
			return ::mmap(addr, len, prot, flags, fd, off);
		int ret = 0;
		auto m = it->second.dev->mmap(len, static_cast<std::uint64_t>(off), &ret);
		if (!m.valid()) {
			errno = -ret;
			return MAP_FAILED;
		}
		void *p = m.data();
		maps_.emplace(p, std::move(m));
		return p;
	}
	int munmap(void *addr, std::size_t len) override
	{
		if (maps_.erase(addr))
			return 0;
		return ::munmap(addr, len);
	}
	int close(int fd) override { return fds_.erase(fd) ? 0 : ::close(fd); }
	int dup(int fd) override
	{
		auto it = fds_.find(fd);
		if (it == fds_.end())
			return ::dup(fd);
		fds_[next_] = it->second;
		return next_++;
	}
	bool drm_fd(int fd, std::string *node, std::string *driver, std::string *device) override
	{
		auto it = fds_.find(fd);
		if (it == fds_.end())
			return false;
		*node = *device = it->second.node;
		*driver = it->second.node == "c" ? "refgpu_c" : "refgpu_cpp";
		return true;
	}

private:
	struct Dev {
		std::shared_ptr<FakeRefgpu> dev;
		std::string node;
	};
	std::map<int, Dev> fds_;
	std::map<void *, equiv::Mapping> maps_;
	int next_ = 1000;
};

// The schemas refgpu-harness wrote at build time (tests/CMakeLists.txt).
schema::Schema schema_file(const std::string &path)
{
	std::ifstream in(path);
	std::stringstream t;
	t << in.rdbuf();
	std::string e;
	auto s = schema::schema_from_json(nlohmann::json::parse(t.str()), &e);
	EXPECT_TRUE(s) << path << ": " << e;
	return s ? *s : schema::Schema{};
}

const Schemas &refgpu_schemas()
{
	static const Schemas s = [] {
		Schemas out;
		out.add(schema_file(REFGPU_TRACE_SCHEMA_DIR "/refgpu_drm.json"));
		out.add(schema_file(REFGPU_TRACE_SCHEMA_DIR "/drm.json"));
		return out;
	}();
	return s;
}

struct Recording {
	std::string text;
	json header;
	std::vector<json> ops;
};

Recording parse(const std::string &text)
{
	Recording r{text, {}, {}};
	std::string e;
	EXPECT_TRUE(read_trace(text, &r.header, &r.ops, &e)) << e;
	return r;
}

// A session of the program under test: VERSION, DEV_QUERY, BOs, mappings
// with writes, PRIME to the other device, errors, close.
Recording record_session(FakeOs &os)
{
	std::string text;
	Recorder rec(refgpu_schemas(), os, [&](const std::string &l) { text += l; }, "session");
	int fd = os.open_node("c"), peer = os.open_node("cpp");
	char name[16] = {};
	drm_version v{};
	v.name = name;
	v.name_len = sizeof(name);
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	drm_refgpu_dev_query q{};
	q.type = DRM_REFGPU_DEV_QUERY_GPU_INFO;
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_REFGPU_DEV_QUERY, &q), 0);
	drm_refgpu_gpu_info info;
	std::memset(&info, 0xa5, sizeof(info));
	q.pointer = reinterpret_cast<std::uint64_t>(&info);
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_REFGPU_DEV_QUERY, &q), 0);
	drm_refgpu_bo_create c{3 * 4096 + 5, 0, 0}, c2{4096, 0, 0};
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_REFGPU_BO_CREATE, &c), 0);
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_REFGPU_BO_CREATE, &c2), 0);
	drm_refgpu_bo_mmap_offset o{c.handle, 0, 0};
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &o), 0);
	void *p = rec.mmap(nullptr, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, static_cast<off_t>(o.offset));
	EXPECT_NE(p, MAP_FAILED);
	std::memset(p, 0x3c, 100);
	EXPECT_EQ(rec.munmap(p, c.size), 0);
	p = rec.mmap(nullptr, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, static_cast<off_t>(o.offset));
	EXPECT_EQ(static_cast<std::uint8_t *>(p)[99], 0x3c);
	EXPECT_EQ(rec.munmap(p, c.size), 0);
	drm_prime_handle ph{c.handle, DRM_CLOEXEC, -1};
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), 0);
	void *dp = rec.mmap(nullptr, c.size, PROT_READ, MAP_SHARED, ph.fd, 0);
	EXPECT_NE(dp, MAP_FAILED);
	EXPECT_EQ(rec.munmap(dp, c.size), 0);
	drm_prime_handle imp{0, 0, ph.fd};
	EXPECT_EQ(rec.ioctl(peer, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp), 0);
	EXPECT_EQ(rec.close(ph.fd), 0);
	drm_gem_close gc{c2.handle, 0};
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc), 0);
	drm_gem_close unknown{9999, 0};
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_GEM_CLOSE, &unknown), -1);
	drm_syncobj_create sc{0, 0};
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), 0);
	drm_syncobj_destroy sd{sc.handle, 0};
	EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &sd), 0);
	EXPECT_EQ(rec.close(fd), 0);
	EXPECT_EQ(rec.close(peer), 0);
	return parse(text);
}

const json *find_op(const Recording &r, const std::string &ioctl, int nth = 0)
{
	for (const auto &op : r.ops)
		if (op.value("ioctl", std::string()) == ioctl && nth-- == 0)
			return &op;
	return nullptr;
}

RunReport replay_on(const Recording &r, FakeOs &os)
{
	std::string e;
	auto s = schemas_from_header(r.header, &e);
	EXPECT_TRUE(s) << e;
	return replay(r.ops, *s, os, {"c", "cpp"});
}

TEST(Trace, RecordsWhatTheSchemaDescribes)
{
	FakeOs os;
	Recording r = record_session(os);
	EXPECT_EQ(r.header["version"], kTraceVersion);
	ASSERT_EQ(r.header["schemas"].size(), 2u);
	EXPECT_EQ(r.header["schemas"][0]["hash"], refgpu_schemas().hashes[0]);
	const json *c = find_op(r, "DRM_IOCTL_REFGPU_BO_CREATE");
	ASSERT_TRUE(c);
	EXPECT_EQ(c->at("view")["out"]["handle"], 1);
	EXPECT_EQ(c->at("view")["out"]["size"], 4 * 4096);
	const json *q = find_op(r, "DRM_IOCTL_REFGPU_DEV_QUERY", 1);
	ASSERT_TRUE(q);
	EXPECT_EQ(q->at("mem")[0]["field"], "pointer");
	EXPECT_EQ(q->at("mem")[0]["view_out"]["va_bits"], 48);
	const json *v = find_op(r, "DRM_IOCTL_VERSION");
	ASSERT_TRUE(v);
	EXPECT_EQ(v->at("mem")[0]["view_out"], "refgpu");
	EXPECT_TRUE(v->at("mem")[1].value("null", false)); // date: no buffer
	std::map<std::string, int> ev;
	for (const auto &op : r.ops)
		ev[op["ev"]]++;
	EXPECT_EQ(ev["open"], 2);
	EXPECT_EQ(ev["mmap"], 3);
	EXPECT_EQ(ev["munmap"], 3);
	EXPECT_EQ(ev["write"], 1); // the 100 bytes of 0x3c, before the munmap
	EXPECT_EQ(ev["close"], 3); // the dma-buf fd is followed too
	for (const auto &op : r.ops) {
		if (op["ev"] == "open") {
			EXPECT_EQ(op["dev"], op["node"] == "c" ? 0 : 1);
		}
	}
}

TEST(Trace, ReplayOfARecordingHasNoMismatch)
{
	FakeOs os;
	Recording r = record_session(os);
	FakeOs fresh;
	RunReport rep = replay_on(r, fresh);
	EXPECT_EQ(rep.error, "");
	EXPECT_FALSE(rep.mismatch) << rep.mismatch->text();
	EXPECT_EQ(rep.ops, r.ops.size());
	EXPECT_EQ(rep.opaque, 0u);
}

// Handles and mmap offsets that differ on the replaying device: learnt and
// translated (inputs) and compared in the recording's values (outputs).
TEST(Trace, ReplayRemapsHandlesAndOffsets)
{
	FakeOs os;
	Recording r = record_session(os);
	FakeOs shifted;
	shifted.setup = [](const std::string &, FakeRefgpu &d) {
		for (int i = 0; i < 3; i++) {
			drm_refgpu_bo_create c{4096, 0, 0};
			ASSERT_EQ(d.ioctl(DRM_IOCTL_REFGPU_BO_CREATE, &c), 0);
			drm_refgpu_bo_mmap_offset o{c.handle, 0, 0};
			ASSERT_EQ(d.ioctl(DRM_IOCTL_REFGPU_BO_MMAP_OFFSET, &o), 0);
		}
	};
	// The planted part: on this device the same calls do give other values.
	int fd = shifted.open_node("c");
	drm_refgpu_bo_create c{4096, 0, 0};
	ASSERT_EQ(shifted.ioctl(fd, DRM_IOCTL_REFGPU_BO_CREATE, &c), 0);
	EXPECT_EQ(c.handle, 4u);
	shifted.close(fd);
	RunReport rep = replay_on(r, shifted);
	EXPECT_EQ(rep.error, "");
	EXPECT_FALSE(rep.mismatch) << rep.mismatch->text();
	// Without the annotations nothing is remapped: the same replay fails.
	Recording bare = r;
	for (auto &sc : bare.header["schemas"])
		for (auto &st : sc["schema"]["structs"])
			for (auto &f : st["fields"])
				if (f.contains("annotation"))
					f["annotation"].erase("handle");
	std::string e;
	auto s = schemas_from_header(bare.header, &e);
	ASSERT_FALSE(s); // the hash guards the schema
	for (std::size_t i = 0; i < bare.header["schemas"].size(); i++) {
		auto one = schema::schema_from_json(nlohmann::json::parse(bare.header["schemas"][i]["schema"].dump()), &e);
		ASSERT_TRUE(one) << e;
		bare.header["schemas"][i]["hash"] = schema_hash(*one);
	}
	FakeOs shifted2;
	shifted2.setup = shifted.setup;
	RunReport rep2 = replay_on(bare, shifted2);
	ASSERT_TRUE(rep2.mismatch);
	EXPECT_EQ(rep2.mismatch->field, "arg.handle") << rep2.mismatch->text();
}

// Changes planted in a recording: each fails the replay at its op and field.
TEST(Trace, PlantedChangesFailAtTheirOpAndField)
{
	FakeOs os;
	const Recording r = record_session(os);
	struct Plant {
		std::string ioctl;
		int nth;
		std::function<void(json &)> change;
		std::string field, expected, actual;
	};
	auto set_hex_u64 = [](json &j, std::size_t off, std::uint64_t v) {
		std::vector<std::uint8_t> b;
		ASSERT_TRUE(from_hex(j.get<std::string>(), &b));
		store(b.data() + off, 8, v);
		j = to_hex(b);
	};
	auto set_hex_u32 = [](json &j, std::size_t off, std::uint32_t v) {
		std::vector<std::uint8_t> b;
		ASSERT_TRUE(from_hex(j.get<std::string>(), &b));
		store(b.data() + off, 4, v);
		j = to_hex(b);
	};
	std::vector<Plant> plants = {
		{"DRM_IOCTL_REFGPU_BO_CREATE", 0, [&](json &op) { set_hex_u64(op["arg"]["out"], 0, 8192); },
		 "arg.size", "8192", "16384"},
		{"DRM_IOCTL_REFGPU_DEV_QUERY", 1,
		 [&](json &op) { set_hex_u32(op["mem"][0]["out"], offsetof(drm_refgpu_gpu_info, va_bits), 39); },
		 "pointer.va_bits", "39", "48"},
		{"DRM_IOCTL_GEM_CLOSE", 1, [](json &op) { op["errno"] = ENOENT; }, "ret", "-1 (ENOENT)", "-1 (EINVAL)"},
		{"DRM_IOCTL_VERSION", 0,
		 [](json &op) {
			 std::string s = op["mem"][0]["out"];
			 s[0] = '5';
			 op["mem"][0]["out"] = s;
		 },
		 "name[0]", "82", "114"},
		{"DRM_IOCTL_SYNCOBJ_CREATE", 0, [&](json &op) { set_hex_u32(op["arg"]["out"], 4, 1); }, "arg.flags", "1",
		 "0"},
	};
	for (const auto &pl : plants) {
		Recording bad = r;
		std::uint64_t at = 0;
		for (auto &op : bad.ops) {
			int n = 0;
			for (auto &o2 : bad.ops)
				if (&o2 != &op && o2.value("ioctl", std::string()) == pl.ioctl && o2["op"] < op["op"])
					n++;
			if (op.value("ioctl", std::string()) == pl.ioctl && n == pl.nth) {
				pl.change(op);
				at = op["op"];
				break;
			}
		}
		FakeOs fresh;
		RunReport rep = replay_on(bad, fresh);
		ASSERT_TRUE(rep.mismatch) << pl.field;
		EXPECT_EQ(rep.mismatch->op, at) << rep.mismatch->text();
		EXPECT_EQ(rep.mismatch->field, pl.field) << rep.mismatch->text();
		EXPECT_EQ(rep.mismatch->expected, pl.expected) << rep.mismatch->text();
		EXPECT_EQ(rep.mismatch->actual, pl.actual) << rep.mismatch->text();
	}
	// A mapping's content: the hash of what was mapped.
	Recording bad = r;
	for (auto &op : bad.ops)
		if (op["ev"] == "mmap" && op["map"] == 1) {
			op["hash"] = "0x1";
			break;
		}
	FakeOs fresh;
	RunReport rep = replay_on(bad, fresh);
	ASSERT_TRUE(rep.mismatch);
	EXPECT_EQ(rep.mismatch->field, "hash (content when mapped)");
	// The write record is what puts the content there: dropped, the next
	// mapping's content differs.
	Recording nowrite = r;
	std::erase_if(nowrite.ops, [](const json &op) { return op["ev"] == "write"; });
	FakeOs fresh2;
	rep = replay_on(nowrite, fresh2);
	ASSERT_TRUE(rep.mismatch);
	EXPECT_EQ(rep.mismatch->field, "hash (content before unmapping)") << rep.mismatch->text();
}

// User memory as the recording had it: a buffer running into a PROT_NONE
// page, an argument on a read-only page: the same -EFAULT on replay.
TEST(Trace, ReplayReproducesInaccessibleMemory)
{
	FakeOs os;
	std::string text;
	{
		Recorder rec(refgpu_schemas(), os, [&](const std::string &l) { text += l; }, "efault");
		int fd = os.open_node("c");
		const std::size_t pg = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
		auto *two = static_cast<std::uint8_t *>(
			::mmap(nullptr, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		ASSERT_NE(two, MAP_FAILED);
		ASSERT_EQ(::mprotect(two + pg, pg, PROT_NONE), 0);
		drm_refgpu_dev_query q{DRM_REFGPU_DEV_QUERY_GPU_INFO, 40, reinterpret_cast<std::uint64_t>(two + pg - 8), 0};
		EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_REFGPU_DEV_QUERY, &q), -1);
		EXPECT_EQ(errno, EFAULT);
		auto *args = reinterpret_cast<drm_refgpu_bo_create *>(two);
		*args = {4096, 0, 0};
		ASSERT_EQ(::mprotect(two, pg, PROT_READ), 0);
		EXPECT_EQ(rec.ioctl(fd, DRM_IOCTL_REFGPU_BO_CREATE, args), -1);
		EXPECT_EQ(errno, EFAULT);
		::munmap(two, 2 * pg);
		rec.close(fd);
	}
	Recording r = parse(text);
	const json *q = find_op(r, "DRM_IOCTL_REFGPU_DEV_QUERY");
	ASSERT_TRUE(q);
	EXPECT_EQ(q->at("mem")[0]["access"], json::parse(R"([[8,"rw"],[32,"-"]])"));
	EXPECT_EQ(find_op(r, "DRM_IOCTL_REFGPU_BO_CREATE")->at("arg")["access"], "r");
	FakeOs fresh;
	RunReport rep = replay_on(r, fresh);
	EXPECT_FALSE(rep.mismatch) << rep.mismatch->text();
	// Planted: the same records with the memory all accessible succeed.
	Recording open = r;
	for (auto &op : open.ops) {
		if (op.contains("arg"))
			op["arg"]["access"] = "rw";
		if (op.contains("mem"))
			op["mem"][0]["access"] = "rw";
	}
	FakeOs fresh2;
	rep = replay_on(open, fresh2);
	ASSERT_TRUE(rep.mismatch);
	EXPECT_EQ(rep.mismatch->field, "ret");
	EXPECT_EQ(rep.mismatch->actual, "0");
}

TEST(Trace, LockstepFindsTheFirstDivergence)
{
	FakeOs os;
	Recording r = record_session(os);
	std::string e;
	auto s = schemas_from_header(r.header, &e);
	ASSERT_TRUE(s);
	{
		FakeOs a, b;
		RunReport rep = lockstep(r.ops, *s, a, {"c", "cpp"}, b, {"cpp", "c"});
		EXPECT_EQ(rep.error, "");
		EXPECT_FALSE(rep.mismatch) << rep.mismatch->text();
	}
	// The C++ device answers GEM_CLOSE of an unknown handle with ENOENT.
	FakeOs a, b;
	auto quirk = [](const std::string &node, FakeRefgpu &d) {
		if (node == "cpp")
			d.quirks.close_unknown_errno = ENOENT;
	};
	a.setup = quirk;
	b.setup = quirk;
	RunReport rep = lockstep(r.ops, *s, a, {"c", "cpp"}, b, {"cpp", "c"});
	ASSERT_TRUE(rep.mismatch);
	EXPECT_EQ(rep.mismatch->op, find_op(r, "DRM_IOCTL_GEM_CLOSE", 1)->at("op"));
	EXPECT_EQ(rep.mismatch->field, "ret");
	EXPECT_EQ(rep.mismatch->expected, "-1 (EINVAL)");
	EXPECT_EQ(rep.mismatch->actual, "-1 (ENOENT)");
	EXPECT_NE(rep.mismatch->text("C", "C++").find("C -1 (EINVAL), C++ -1 (ENOENT)"), std::string::npos);
}

// A model of vm_uapi.h: GEM handles from gem_base, VM ids from vm_base;
// VM_BIND checks every element's BO and counts the pages.
class VmOs final : public Os {
public:
	std::uint32_t gem_base = 1, vm_base = 1;
	int open_node(const std::string &) override
	{
		files_[next_] = {};
		files_[next_].gem = gem_base;
		files_[next_].vm = vm_base;
		return next_++;
	}
	int ioctl(int fd, unsigned long req, void *arg) override
	{
		File &f = files_.at(fd);
		auto fail = [](int e) {
			errno = e;
			return -1;
		};
		if (req == TVM_IOCTL_BO_CREATE) {
			auto *a = static_cast<tvm_bo_create *>(arg);
			a->handle = f.gem++;
			f.bos.insert(a->handle);
			return 0;
		}
		if (req == TVM_IOCTL_VM_CREATE) {
			auto *a = static_cast<tvm_vm_create *>(arg);
			a->id = f.vm++;
			f.vms[a->id] = 0;
			return 0;
		}
		if (req == TVM_IOCTL_VM_DESTROY) {
			auto *a = static_cast<tvm_vm_destroy *>(arg);
			return f.vms.erase(a->id) ? 0 : fail(ENOENT);
		}
		if (req == TVM_IOCTL_VM_BIND) {
			auto *a = static_cast<tvm_vm_bind *>(arg);
			if (!f.vms.count(a->vm_id))
				return fail(ENOENT);
			if (a->ops.stride < sizeof(tvm_bind_op))
				return fail(EINVAL);
			std::uint32_t pages = 0;
			for (std::uint32_t i = 0; i < a->ops.count; i++) {
				tvm_bind_op op;
				std::memcpy(&op, reinterpret_cast<const std::uint8_t *>(a->ops.array) + i * a->ops.stride,
					    sizeof(op));
				if (!f.bos.count(op.bo_handle))
					return fail(ENOENT);
				pages += static_cast<std::uint32_t>(op.size / 4096);
			}
			a->mapped = f.vms[a->vm_id] += pages;
			return 0;
		}
		return fail(ENOTTY);
	}
	void *mmap(void *, std::size_t, int, int, int, off_t) override
	{
		errno = ENODEV;
		return MAP_FAILED;
	}
	int munmap(void *, std::size_t) override { return 0; }
	int close(int fd) override { return files_.erase(fd) ? 0 : -1; }
	int dup(int) override { return -1; }
	bool drm_fd(int fd, std::string *node, std::string *driver, std::string *device) override
	{
		*node = *device = "vm";
		*driver = "tvm";
		return files_.count(fd) > 0;
	}

private:
	struct File {
		std::uint32_t gem = 1, vm = 1;
		std::set<std::uint32_t> bos;
		std::map<std::uint32_t, std::uint32_t> vms;
	};
	std::map<int, File> files_;
	int next_ = 2000;
};

const Schemas &vm_schemas()
{
	static const Schemas s = [] {
		Schemas out;
		out.add(schema_file(REFGPU_TRACE_SCHEMA_DIR "/vm_uapi.json"));
		return out;
	}();
	return s;
}

Recording record_vm(VmOs &os)
{
	std::string text;
	Recorder rec(vm_schemas(), os, [&](const std::string &l) { text += l; }, "vm");
	int fd = os.open_node("vm");
	tvm_bo_create b1{4096, 0, 0}, b2{8192, 0, 0};
	EXPECT_EQ(rec.ioctl(fd, TVM_IOCTL_BO_CREATE, &b1), 0);
	EXPECT_EQ(rec.ioctl(fd, TVM_IOCTL_BO_CREATE, &b2), 0);
	tvm_vm_create vc{0, 0};
	EXPECT_EQ(rec.ioctl(fd, TVM_IOCTL_VM_CREATE, &vc), 0);
	// Two elements, 32 bytes apart (a newer userspace's stride, zero tail).
	struct Elem {
		tvm_bind_op op;
		std::uint64_t tail;
	} ops[2] = {{{0, b1.handle, 0x10000, 4096}, 0}, {{0, b2.handle, 0x20000, 8192}, 0}};
	tvm_vm_bind bind{vc.id, 0, {sizeof(Elem), 2, reinterpret_cast<std::uint64_t>(ops)}};
	EXPECT_EQ(rec.ioctl(fd, TVM_IOCTL_VM_BIND, &bind), 0);
	EXPECT_EQ(bind.mapped, 3u);
	tvm_vm_destroy vd{vc.id, 0};
	EXPECT_EQ(rec.ioctl(fd, TVM_IOCTL_VM_DESTROY, &vd), 0);
	EXPECT_EQ(rec.close(fd), 0);
	return parse(text);
}

// Arrays of structures through a pointer in a nested structure, and a
// handle kind other than gem, from the annotations alone.
TEST(TraceVm, ArraysOfStructsAndVmHandlesFromTheAnnotations)
{
	VmOs os;
	Recording r = record_vm(os);
	const json *b = find_op(r, "TVM_IOCTL_VM_BIND");
	ASSERT_TRUE(b);
	ASSERT_TRUE(b->contains("mem"));
	EXPECT_EQ(b->at("mem")[0]["field"], "ops.array");
	EXPECT_EQ(b->at("mem")[0]["len"], 64);
	EXPECT_EQ(b->at("mem")[0]["view_in"][1]["bo_handle"], 2);
	EXPECT_EQ(b->at("view")["in"]["ops"]["count"], 2);

	std::string e;
	auto s = schemas_from_header(r.header, &e);
	ASSERT_TRUE(s) << e;
	// Other GEM handles and VM ids on the replaying device: remapped in the
	// argument (vm_id) and in every element of the array (bo_handle).
	VmOs other;
	other.gem_base = 10;
	other.vm_base = 7;
	RunReport rep = replay(r.ops, *s, other, {"vm"});
	EXPECT_EQ(rep.error, "");
	EXPECT_FALSE(rep.mismatch) << rep.mismatch->text();
	// Planted: element 1 names a BO the recording never had.
	Recording bad = r;
	for (auto &op : bad.ops)
		if (op.value("ioctl", std::string()) == "TVM_IOCTL_VM_BIND") {
			std::vector<std::uint8_t> m;
			ASSERT_TRUE(from_hex(op["mem"][0]["in"].get<std::string>(), &m));
			store(m.data() + 32 + offsetof(tvm_bind_op, bo_handle), 4, 77);
			op["mem"][0]["in"] = to_hex(m);
		}
	VmOs other2;
	other2.gem_base = 10;
	rep = replay(bad.ops, *s, other2, {"vm"});
	ASSERT_TRUE(rep.mismatch);
	EXPECT_EQ(rep.mismatch->op, b->at("op"));
	EXPECT_EQ(rep.mismatch->field, "ret");
	EXPECT_EQ(rep.mismatch->actual, "-1 (ENOENT)");
	// Planted: a different count of pages mapped is the field's mismatch.
	Recording bad2 = r;
	for (auto &op : bad2.ops)
		if (op.value("ioctl", std::string()) == "TVM_IOCTL_VM_BIND") {
			std::vector<std::uint8_t> a;
			ASSERT_TRUE(from_hex(op["arg"]["out"].get<std::string>(), &a));
			store(a.data() + offsetof(tvm_vm_bind, mapped), 4, 4);
			op["arg"]["out"] = to_hex(a);
		}
	VmOs other3;
	rep = replay(bad2.ops, *s, other3, {"vm"});
	ASSERT_TRUE(rep.mismatch);
	EXPECT_EQ(rep.mismatch->field, "arg.mapped");
	EXPECT_EQ(rep.mismatch->expected, "4");
	EXPECT_EQ(rep.mismatch->actual, "3");
}

TEST(TraceFormat, ReadingRefusesWhatIsNotAVersionedTrace)
{
	json h;
	std::vector<json> ops;
	std::string e;
	EXPECT_FALSE(read_trace("", &h, &ops, &e));
	EXPECT_NE(e.find("empty trace"), std::string::npos);
	EXPECT_FALSE(read_trace("{\"op\":0}\n", &h, &ops, &e));
	EXPECT_NE(e.find("not a refgpu trace"), std::string::npos);
	EXPECT_FALSE(read_trace("{\"format\":\"refgpu-trace\",\"version\":99}\n", &h, &ops, &e));
	EXPECT_NE(e.find("version 99"), std::string::npos);
	EXPECT_FALSE(read_trace("{\"format\":\"refgpu-trace\",\"version\":1}\nnot json\n", &h, &ops, &e));
	EXPECT_NE(e.find("line 2"), std::string::npos);
	json good = header_record(refgpu_schemas(), "x");
	EXPECT_TRUE(schemas_from_header(good, &e));
	good["schemas"][0]["schema"]["structs"][0]["size"] = 99;
	EXPECT_FALSE(schemas_from_header(good, &e));
	EXPECT_NE(e.find("hash"), std::string::npos) << e;
}

TEST(TraceFormat, ByteAndFieldPaths)
{
	const auto &s = refgpu_schemas().list[0];
	EXPECT_EQ(byte_path(s, "drm_refgpu_gpu_info", offsetof(drm_refgpu_gpu_info, va_bits) + 1, 0), ".va_bits");
	EXPECT_EQ(byte_path(s, "drm_refgpu_gpu_info", 40, 48), "[0]+40");
	EXPECT_EQ(byte_path(s, "drm_refgpu_gpu_info", 48 + 4, 48), "[1].fw_version");
	EXPECT_EQ(byte_path(s, "", 3, 0), "[3]");
}

TEST(TraceCli, UsageErrors)
{
	std::string out, err;
	EXPECT_EQ(run_trace_command({"replay"}, out, err), 2);
	EXPECT_NE(err.find("no trace given"), std::string::npos);
	err.clear();
	EXPECT_EQ(run_trace_command({"replay", "/nonexistent.trace"}, out, err), 2);
	EXPECT_NE(err.find("cannot read"), std::string::npos);
	err.clear();
	EXPECT_EQ(run_trace_command({"lockstep", "x", "--device", "c"}, out, err), 2);
	EXPECT_NE(err.find("no --device"), std::string::npos);
	err.clear();
	EXPECT_EQ(run_trace_command({"record"}, out, err), 2);
	EXPECT_NE(err.find("no program"), std::string::npos);
}

} // namespace
} // namespace refgpu::trace
