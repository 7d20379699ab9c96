// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "replay.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>

namespace refgpu::trace {

using schema::Dir;
using schema::HandleRole;
using schema::Impl;

namespace {

bool has_in(Dir d)
{
	return d == Dir::In || d == Dir::InOut;
}

bool has_out(Dir d)
{
	return d == Dir::Out || d == Dir::InOut;
}

std::uint64_t page_size()
{
	return static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

// User memory laid out the way the recording had it: the bytes, and the
// access of each segment (a read-only argument, a buffer running into a
// PROT_NONE page, an address nothing was mapped at).
class Mem {
public:
	Mem(std::uint64_t len, const Access &acc, const std::vector<std::uint8_t> &content)
	{
		const std::uint64_t pg = page_size();
		std::uint64_t first = acc.size() > 1 ? acc[0].first : len;
		std::uint64_t pad = (pg - first % pg) % pg;
		map_len_ = (pad + len + pg - 1) / pg * pg;
		if (!map_len_)
			map_len_ = pg;
		base_ = static_cast<std::uint8_t *>(
			::mmap(nullptr, map_len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		if (base_ == MAP_FAILED) {
			base_ = nullptr;
			return;
		}
		p_ = base_ + pad;
		std::memcpy(p_, content.data(), std::min<std::uint64_t>(content.size(), len));
		std::uint64_t off = 0;
		for (const auto &[n, prot] : acc) {
			if (prot != "rw" && n) {
				std::uint64_t s = (pad + off) / pg * pg, e = (pad + off + n + pg - 1) / pg * pg;
				// An inaccessible range is mapped afresh, never touched:
				// UML's uaccess reads a populated PROT_NONE page (it checks
				// only that the page is present), so an mprotect()ed copy
				// would not fault where the recorded one did.
				if (prot == "r")
					::mprotect(base_ + s, e - s, PROT_READ);
				else
					::mmap(base_ + s, e - s, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
					       -1, 0);
			}
			off += n;
		}
	}
	~Mem()
	{
		if (base_)
			::munmap(base_, map_len_);
	}
	Mem(const Mem &) = delete;
	Mem &operator=(const Mem &) = delete;
	std::uint8_t *ptr() const { return p_; }

private:
	std::uint8_t *base_ = nullptr, *p_ = nullptr;
	std::uint64_t map_len_ = 0;
};

std::vector<std::uint8_t> bytes(const json &j, const char *key)
{
	std::vector<std::uint8_t> b;
	if (j.contains(key))
		from_hex(j[key].get<std::string>(), &b);
	return b;
}

std::string key_of(const schema::Field &f)
{
	if (!f.ann.handle.empty())
		return f.ann.handle;
	if (f.ann.impl != Impl::None)
		return "impl:" + schema::to_string(f.ann.impl);
	return "";
}

bool per_process(const std::string &key)
{
	return key == "fd";
}

std::string value_text(std::uint64_t v)
{
	return v < 0x10000 ? std::to_string(v) : hex(v);
}

std::string errno_text(int e)
{
	const char *n = e ? strerrorname_np(e) : nullptr;
	return n ? n : std::to_string(e);
}

// A Dir of a field of a pointed-to element: its own annotation, else the
// pointer's data=.
Dir elem_dir(const schema::Field &f, Dir data)
{
	return f.ann.dir == Dir::Unset ? data : f.ann.dir;
}

} // namespace

Side::Side(const Schemas &s, Os &os, std::vector<std::string> nodes)
	: schemas_(s), os_(os), nodes_(std::move(nodes))
{
}

Side::~Side()
{
	for (const auto &[id, m] : maps_)
		os_.munmap(reinterpret_cast<void *>(m.addr), m.len);
	for (const auto &[rec, fd] : fds_)
		os_.close(fd);
}

std::int64_t Side::file_of(int recorded_fd) const
{
	auto it = files_.find(recorded_fd);
	return it == files_.end() ? -2 : it->second;
}

void Side::learn(std::int64_t file, const std::string &key, std::uint64_t rec, std::uint64_t got)
{
	Key k{per_process(key) ? -1 : file, key};
	fwd_[k][rec] = got;
	inv_[k][got] = rec;
}

void Side::forget(std::int64_t file, const std::string &key, std::uint64_t rec)
{
	// After the op's comparison, which still translates the value.
	forgotten_.push_back({{per_process(key) ? -1 : file, key}, rec});
}

void Side::forget_now(const Key &k, std::uint64_t rec)
{
	auto it = fwd_[k].find(rec);
	if (it == fwd_[k].end())
		return;
	inv_[k].erase(it->second);
	fwd_[k].erase(it);
}

std::optional<std::uint64_t> Side::forward(std::int64_t file, const std::string &key, std::uint64_t rec) const
{
	auto m = fwd_.find({per_process(key) ? -1 : file, key});
	if (m == fwd_.end())
		return std::nullopt;
	auto it = m->second.find(rec);
	return it == m->second.end() ? std::nullopt : std::optional(it->second);
}

std::uint64_t Side::normalize(std::int64_t file, const std::string &key, std::uint64_t v) const
{
	auto m = inv_.find({per_process(key) ? -1 : file, key});
	if (m == inv_.end())
		return v;
	auto it = m->second.find(v);
	return it == m->second.end() ? v : it->second;
}

// A file recorded on a primary node (cardN) opens the primary node of the
// device given by its render node: some ioctls are for one kind only.
static std::string node_for(const std::string &render, const std::string &recorded)
{
	namespace fs = std::filesystem;
	if (fs::path(recorded).filename().string().rfind("card", 0) != 0)
		return render;
	std::error_code ec;
	fs::path drm = fs::path("/sys/class/drm") / fs::path(render).filename() / "device" / "drm";
	for (const auto &e : fs::directory_iterator(drm, ec))
		if (e.path().filename().string().rfind("card", 0) == 0)
			return (fs::path(render).parent_path() / e.path().filename()).string();
	return render;
}

json Side::run(const json &op, std::string *error)
{
	for (const auto &[k, rec] : forgotten_)
		forget_now(k, rec);
	forgotten_.clear();
	const std::string ev = op.value("ev", std::string());
	json obs = {{"op", op.value("op", 0)}, {"ev", ev}};
	auto fd_of = [&](const char *k) -> std::optional<int> {
		int rec = op.value(k, -1);
		auto it = fds_.find(rec);
		if (it == fds_.end()) {
			*error = "op " + std::to_string(op.value("op", 0)) + ": fd " + std::to_string(rec) +
				 " was not opened before";
			return std::nullopt;
		}
		return it->second;
	};
	auto result = [&](bool failed, int err) {
		obs["ret"] = failed ? -1 : 0;
		obs["errno"] = failed ? err : 0;
	};
	if (ev == "open") {
		unsigned dev = op.value("dev", 0u);
		if (dev >= nodes_.size()) {
			*error = "op " + std::to_string(op.value("op", 0)) + ": the trace uses device " +
				 std::to_string(dev) + " but " + std::to_string(nodes_.size()) + " device(s) were given";
			return obs;
		}
		int fd = os_.open_node(node_for(nodes_[dev], op.value("node", std::string())));
		result(fd < 0, errno);
		if (fd >= 0) {
			int rec = op.value("fd", -1);
			if (fds_.count(rec))
				os_.close(fds_[rec]);
			fds_[rec] = fd;
			files_[rec] = next_file_++;
		}
	} else if (ev == "ioctl") {
		return run_ioctl(op, error);
	} else if (ev == "mmap") {
		auto fd = fd_of("fd");
		if (!fd)
			return obs;
		std::uint64_t off = parse_u64(op.at("offset"));
		std::int64_t file = files_[op.value("fd", -1)];
		if (auto m = forward(file, "impl:mmap-offset", off))
			off = *m;
		int prot = op.value("prot", 0), flags = op.value("flags", 0) & ~(MAP_FIXED | MAP_FIXED_NOREPLACE);
		std::uint64_t len = op.value("len", std::uint64_t(0));
		void *p = os_.mmap(nullptr, len, prot, flags, *fd, static_cast<off_t>(off));
		result(p == MAP_FAILED, errno);
		if (p != MAP_FAILED) {
			auto a = reinterpret_cast<std::uint64_t>(p);
			maps_[op.value("map", std::uint64_t(0))] = {a, len};
			std::vector<std::uint8_t> c;
			if (prot & PROT_READ)
				c = read_mem(a, len);
			obs["hash"] = hex(fnv1a(c.data(), c.size()));
			if (c.size() != len)
				obs["readable"] = c.size();
		}
	} else if (ev == "write") {
		auto it = maps_.find(op.value("map", std::uint64_t(0)));
		if (it == maps_.end()) {
			*error = "op " + std::to_string(op.value("op", 0)) + ": write to a mapping that is not there";
			return obs;
		}
		std::uint64_t written = 0, want = 0;
		for (const auto &c : op.at("chunks")) {
			std::vector<std::uint8_t> b;
			from_hex(c.at(1).get<std::string>(), &b);
			want += b.size();
			written += write_mem(it->second.addr + parse_u64(c.at(0)), b);
		}
		obs["written"] = written;
		obs["expected_written"] = want;
	} else if (ev == "munmap") {
		auto it = maps_.find(op.value("map", std::uint64_t(0)));
		if (it == maps_.end()) {
			*error = "op " + std::to_string(op.value("op", 0)) + ": munmap of a mapping that is not there";
			return obs;
		}
		std::uint64_t a = it->second.addr + op.value("off", std::uint64_t(0));
		std::uint64_t len = op.value("len", std::uint64_t(0));
		auto before = read_mem(a, len);
		obs["hash"] = hex(fnv1a(before.data(), before.size()));
		int r = os_.munmap(reinterpret_cast<void *>(a), len);
		result(r != 0, errno);
		if (r == 0 && a <= it->second.addr && a + len >= it->second.addr + it->second.len)
			maps_.erase(it);
	} else if (ev == "close") {
		auto fd = fd_of("fd");
		if (!fd)
			return obs;
		int r = os_.close(*fd);
		result(r != 0, errno);
		fds_.erase(op.value("fd", -1));
		// The number may come back for another file (a new dma-buf).
		forget(-1, "fd", static_cast<std::uint64_t>(static_cast<std::int64_t>(op.value("fd", -1))));
	} else if (ev == "dup") {
		auto fd = fd_of("fd");
		if (!fd)
			return obs;
		int r = os_.dup(*fd);
		result(r < 0, errno);
		int rec_new = op.value("newfd", -1);
		if (r >= 0) {
			if (fds_.count(rec_new))
				os_.close(fds_[rec_new]);
			fds_[rec_new] = r;
			files_[rec_new] = files_[op.value("fd", -1)];
		}
	} else {
		*error = "op " + std::to_string(op.value("op", 0)) + ": unknown event '" + ev + "'";
	}
	return obs;
}

json Side::run_ioctl(const json &op, std::string *error)
{
	json obs = {{"op", op.value("op", 0)}, {"ev", "ioctl"}};
	int rec_fd = op.value("fd", -1);
	auto fit = fds_.find(rec_fd);
	if (fit == fds_.end()) {
		*error = "op " + std::to_string(op.value("op", 0)) + ": fd " + std::to_string(rec_fd) +
			 " was not opened before";
		return obs;
	}
	const std::int64_t file = files_[rec_fd];
	const std::uint64_t req = parse_u64(op.at("req"));
	const std::size_t size = _IOC_SIZE(req);
	const schema::Schema *s = nullptr;
	const schema::Ioctl *io = schemas_.find(req, &s);
	const schema::Struct *st = io ? s->find_struct(io->arg) : nullptr;
	int ret, err;
	if (!size || !op.contains("arg")) {
		ret = os_.ioctl(fit->second, req,
				reinterpret_cast<void *>(op.contains("argval") ? parse_u64(op["argval"]) : 0));
		err = errno;
		obs["ret"] = ret < 0 ? -1 : ret;
		obs["errno"] = ret < 0 ? err : 0;
		return obs;
	}
	const json &a = op["arg"];
	std::vector<std::uint8_t> in = bytes(a, "in");
	std::vector<std::uint8_t> arg = in;
	arg.resize(size);
	std::vector<FlatField> flat;
	std::vector<Region> regs;
	std::vector<std::unique_ptr<Mem>> mems;
	if (st && st->size == size && in.size() == size) {
		flat = flatten(*s, *st);
		regs = regions(*s, flat, in.data());
		for (const auto &ff : flat) {
			std::string k = key_of(*ff.field);
			if (k.empty() || !has_in(schema::Schema::field_dir(*io, *ff.field)))
				continue;
			std::uint64_t v = load(in.data() + ff.off, ff.field->size);
			if (k == "fd")
				v = static_cast<std::uint64_t>(load_signed(in.data() + ff.off, ff.field->size));
			if (auto m = forward(file, k, v))
				store(arg.data() + ff.off, ff.field->size, *m);
		}
		const json mem = op.value("mem", json::array());
		for (std::size_t i = 0; i < regs.size() && i < mem.size(); i++) {
			const Region &r = regs[i];
			const json &m = mem[i];
			std::uint64_t p = 0;
			if (m.value("unrecorded", false)) {
				mems.push_back(std::make_unique<Mem>(page_size(), Access{{page_size(), "-"}},
								     std::vector<std::uint8_t>()));
				p = reinterpret_cast<std::uint64_t>(mems.back()->ptr());
			} else if (!m.value("null", false)) {
				std::uint64_t len = m.value("len", std::uint64_t(0));
				std::vector<std::uint8_t> c = bytes(m, "in");
				c.resize(len);
				const schema::Struct *es = s->find_struct(r.elem);
				if (es && r.stride && has_in(r.data)) {
					auto ef = flatten(*s, *es);
					for (std::uint64_t e = 0; e < r.count && (e + 1) * r.stride <= len; e++)
						for (const auto &ff : ef) {
							std::string k = key_of(*ff.field);
							if (k.empty() || !has_in(elem_dir(*ff.field, r.data)))
								continue;
							std::uint8_t *q = c.data() + e * r.stride + ff.off;
							if (auto mv = forward(file, k, load(q, ff.field->size)))
								store(q, ff.field->size, *mv);
						}
				}
				mems.push_back(std::make_unique<Mem>(len, access_from_json(m.value("access", json("rw")), len), c));
				p = reinterpret_cast<std::uint64_t>(mems.back()->ptr());
			}
			store(arg.data() + r.ptr->off, 8, p);
		}
	}
	Mem am(size, access_from_json(a.value("access", json("rw")), size), arg);
	const auto aaddr = reinterpret_cast<std::uint64_t>(am.ptr());
	ret = os_.ioctl(fit->second, req, am.ptr());
	err = errno;
	obs["ret"] = ret < 0 ? -1 : ret;
	obs["errno"] = ret < 0 ? err : 0;
	std::vector<std::uint8_t> out;
	if (_IOC_DIR(req) & _IOC_READ) {
		out = read_mem(aaddr, size);
		obs["arg"] = {{"out", to_hex(out)}};
	}
	if (!regs.empty()) {
		json om = json::array();
		std::size_t k = 0;
		const json mem = op.value("mem", json::array());
		for (std::size_t i = 0; i < regs.size() && i < mem.size(); i++) {
			const json &m = mem[i];
			json e = json::object();
			bool has_mem = !m.value("unrecorded", false) && !m.value("null", false);
			if (has_mem && has_out(regs[i].data) && m.contains("out"))
				e["out"] = to_hex(read_mem(reinterpret_cast<std::uint64_t>(mems[k]->ptr()),
							   m.value("len", std::uint64_t(0))));
			k += has_mem || m.value("unrecorded", false);
			om.push_back(e);
		}
		obs["mem"] = om;
	}
	// Learn what this side created against what the recording did; forget
	// what it destroyed.
	std::vector<std::uint8_t> rec_out = a.contains("out") ? bytes(a, "out") : std::vector<std::uint8_t>();
	if (ret == 0 && op.value("ret", -1) == 0 && out.size() == size && rec_out.size() == size) {
		for (const auto &ff : flat) {
			std::string k = key_of(*ff.field);
			Dir d = schema::Schema::field_dir(*io, *ff.field);
			if (k.empty())
				continue;
			const bool create = ff.field->ann.impl != Impl::None ||
					    ff.field->ann.handle_role == HandleRole::Create;
			std::uint64_t rv = load(rec_out.data() + ff.off, ff.field->size);
			std::uint64_t gv = load(out.data() + ff.off, ff.field->size);
			if (k == "fd") {
				rv = static_cast<std::uint64_t>(load_signed(rec_out.data() + ff.off, ff.field->size));
				gv = static_cast<std::uint64_t>(load_signed(out.data() + ff.off, ff.field->size));
			}
			if (create && has_out(d) && !forward(file, k, rv)) {
				learn(file, k, rv, gv);
				if (k == "fd" && static_cast<std::int64_t>(rv) >= 0) {
					int rfd = static_cast<int>(rv);
					if (fds_.count(rfd) && fds_[rfd] != static_cast<int>(gv))
						os_.close(fds_[rfd]);
					fds_[rfd] = static_cast<int>(gv);
					files_[rfd] = next_file_++;
				}
			} else if (ff.field->ann.handle_role == HandleRole::Destroy && has_in(d)) {
				forget(file, k, load(in.data() + ff.off, ff.field->size));
			}
		}
	}
	return obs;
}

namespace {

std::string what_of(const json &op)
{
	std::string ev = op.value("ev", std::string());
	std::string w = ev;
	if (ev == "ioctl")
		w += " " + op.value("ioctl", "opaque " + op.value("req", std::string()));
	if (op.contains("fd"))
		w += " (fd " + std::to_string(op.value("fd", -1)) + ")";
	if (op.contains("map"))
		w += " (map " + std::to_string(op.value("map", 0)) + ")";
	return w;
}

} // namespace

std::optional<Mismatch> compare(const Schemas &schemas, const json &op, const json &expected, const Side *exp_side,
				const json &observed, const Side &obs_side)
{
	Mismatch mm;
	mm.op = op.value("op", 0);
	mm.what = what_of(op);
	auto differ = [&](const std::string &field, const std::string &e, const std::string &a) {
		mm.field = field;
		mm.expected = e;
		mm.actual = a;
		return std::optional<Mismatch>(mm);
	};
	const std::string ev = op.value("ev", std::string());
	if (expected.value("ret", 0) != observed.value("ret", 0) ||
	    expected.value("errno", 0) != observed.value("errno", 0)) {
		auto txt = [](const json &j) {
			int r = j.value("ret", 0);
			return r < 0 ? "-1 (" + errno_text(j.value("errno", 0)) + ")" : std::to_string(r);
		};
		return differ("ret", txt(expected), txt(observed));
	}
	for (const char *k : {"hash", "readable"})
		if (expected.contains(k) != observed.contains(k) ||
		    (expected.contains(k) && expected[k] != observed[k]))
			return differ(ev == "mmap" ? std::string(k) + " (content when mapped)"
						   : std::string(k) + " (content before unmapping)",
				      expected.value(k, json("none")).dump(), observed.value(k, json("none")).dump());
	if (ev == "write" && observed.value("written", 0) != observed.value("expected_written", 0))
		return differ("written", std::to_string(observed.value("expected_written", 0)),
			      std::to_string(observed.value("written", 0)));
	if (ev != "ioctl")
		return std::nullopt;

	const std::uint64_t req = parse_u64(op.at("req"));
	const std::size_t size = _IOC_SIZE(req);
	const schema::Schema *s = nullptr;
	const schema::Ioctl *io = schemas.find(req, &s);
	const schema::Struct *st = io ? s->find_struct(io->arg) : nullptr;
	const std::int64_t file_e = exp_side ? exp_side->file_of(op.value("fd", -1)) : 0;
	const std::int64_t file_o = obs_side.file_of(op.value("fd", -1));
	auto norm = [&](const Side *side, std::int64_t file, const std::string &key, std::uint64_t v) {
		return side && !key.empty() ? side->normalize(file, key, v) : v;
	};
	// One value of a field: handles and implementation-defined values of a
	// successful call in the recording's values.
	auto field_cmp = [&](const std::string &path, const schema::Field &f, const std::uint8_t *e,
			     const std::uint8_t *o) -> std::optional<Mismatch> {
		if (f.ann.ptr != schema::Ptr::None || (!f.canonical.empty() && f.canonical.back() == '*'))
			return std::nullopt; // an address of this process
		std::string k = key_of(f);
		std::uint64_t ev_ = norm(exp_side, file_e, k, load(e, f.size));
		std::uint64_t ov = norm(&obs_side, file_o, k, load(o, f.size));
		if (ev_ != ov || (f.size > 8 && std::memcmp(e, o, f.size)))
			return differ(path, f.size > 8 ? to_hex(e, f.size) : value_text(ev_),
				      f.size > 8 ? to_hex(o, f.size) : value_text(ov));
		return std::nullopt;
	};
	std::vector<std::uint8_t> eo = bytes(expected.value("arg", json::object()), "out"),
				  oo = bytes(observed.value("arg", json::object()), "out");
	if (eo.size() != oo.size())
		return differ("arg (bytes copied back)", std::to_string(eo.size()), std::to_string(oo.size()));
	if (st && st->size == size && eo.size() == size) {
		for (const auto &ff : flatten(*s, *st))
			if (auto m = field_cmp("arg." + ff.path, *ff.field, eo.data() + ff.off, oo.data() + ff.off))
				return m;
	} else {
		for (std::size_t i = 0; i < eo.size(); i++)
			if (eo[i] != oo[i])
				return differ("arg+" + std::to_string(i), value_text(eo[i]), value_text(oo[i]));
	}
	const json em = expected.value("mem", json::array()), om = observed.value("mem", json::array());
	if (!st || !op.contains("mem"))
		return std::nullopt;
	std::vector<std::uint8_t> in = bytes(op["arg"], "in");
	if (in.size() != size)
		return std::nullopt;
	auto flat = flatten(*s, *st);
	auto regs = regions(*s, flat, in.data());
	for (std::size_t i = 0; i < regs.size() && i < em.size(); i++) {
		const Region &r = regs[i];
		std::vector<std::uint8_t> eb = bytes(em[i], "out"), ob = bytes(i < om.size() ? om[i] : json::object(), "out");
		std::string base = r.ptr->path;
		if (eb.size() != ob.size())
			return differ(base + " (bytes readable after the call)", std::to_string(eb.size()),
				      std::to_string(ob.size()));
		const schema::Struct *es = s->find_struct(r.elem);
		std::uint64_t stride = r.stride ? r.stride : (es ? es->size : 0);
		for (std::size_t b = 0; b < eb.size();) {
			if (es && stride) {
				// Field by field, element by element.
				std::uint64_t e0 = b / stride * stride;
				for (const auto &ff : flatten(*s, *es))
					if (e0 + ff.off + ff.field->size <= eb.size())
						if (auto m = field_cmp(base + (r.count > 1 || r.ptr->field->ann.ptr == schema::Ptr::Array
										   ? "[" + std::to_string(b / stride) + "]."
										   : ".") + ff.path,
								       *ff.field, eb.data() + e0 + ff.off, ob.data() + e0 + ff.off))
							return m;
				for (std::uint64_t t = e0 + es->size; t < std::min<std::uint64_t>(e0 + stride, eb.size()); t++)
					if (eb[t] != ob[t])
						return differ(base + byte_path(*s, r.elem, t, stride), value_text(eb[t]),
							      value_text(ob[t]));
				b = e0 + stride;
			} else {
				if (eb[b] != ob[b])
					return differ(base + byte_path(*s, r.elem, b, r.stride), value_text(eb[b]),
						      value_text(ob[b]));
				b++;
			}
		}
	}
	return std::nullopt;
}

std::string Mismatch::text(const std::string &el, const std::string &al) const
{
	return "op " + std::to_string(op) + " " + what + ": " + field + ": " + el + " " + expected + ", " + al +
	       " " + actual;
}

namespace {

void count(RunReport &r, const json &op, const Schemas &s)
{
	r.ops++;
	std::string ev = op.value("ev", std::string());
	r.by_event[ev]++;
	const schema::Schema *sc = nullptr;
	if (ev == "ioctl" && !s.find(parse_u64(op.at("req")), &sc))
		r.opaque++;
}

} // namespace

RunReport replay(const std::vector<json> &ops, const Schemas &s, Os &os, const std::vector<std::string> &nodes)
{
	RunReport r;
	auto t0 = std::chrono::steady_clock::now();
	{
		Side side(s, os, nodes);
		for (const auto &op : ops) {
			json obs = side.run(op, &r.error);
			if (!r.error.empty())
				break;
			count(r, op, s);
			if ((r.mismatch = compare(s, op, op, nullptr, obs, side)))
				break;
		}
	}
	r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	return r;
}

RunReport lockstep(const std::vector<json> &ops, const Schemas &s, Os &os_a, const std::vector<std::string> &nodes_a,
		   Os &os_b, const std::vector<std::string> &nodes_b)
{
	RunReport r;
	auto t0 = std::chrono::steady_clock::now();
	{
		Side a(s, os_a, nodes_a), b(s, os_b, nodes_b);
		for (const auto &op : ops) {
			json oa = a.run(op, &r.error);
			if (!r.error.empty())
				break;
			json ob = b.run(op, &r.error);
			if (!r.error.empty())
				break;
			count(r, op, s);
			if ((r.mismatch = compare(s, op, oa, &a, ob, b)))
				break;
		}
	}
	r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	return r;
}

unsigned trace_devices(const std::vector<json> &ops)
{
	unsigned n = 0;
	for (const auto &op : ops)
		if (op.value("ev", std::string()) == "open")
			n = std::max(n, op.value("dev", 0u) + 1);
	return n;
}

std::vector<std::string> trace_drivers(const std::vector<json> &ops)
{
	std::vector<std::string> d(trace_devices(ops));
	for (const auto &op : ops)
		if (op.value("ev", std::string()) == "open")
			d[op.value("dev", 0u)] = op.value("driver", std::string());
	return d;
}

} // namespace refgpu::trace
