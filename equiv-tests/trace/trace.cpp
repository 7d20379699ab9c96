// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "trace.h"

#include <sys/uio.h>
#include <csetjmp>
#include <csignal>
#include <cstring>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace refgpu::trace {

using schema::Dir;
using schema::Ptr;

std::string hex(std::uint64_t v)
{
	char b[24];
	std::snprintf(b, sizeof(b), "0x%llx", static_cast<unsigned long long>(v));
	return b;
}

std::string to_hex(const std::uint8_t *p, std::size_t n)
{
	static const char d[] = "0123456789abcdef";
	std::string s(2 * n, '0');
	for (std::size_t i = 0; i < n; i++) {
		s[2 * i] = d[p[i] >> 4];
		s[2 * i + 1] = d[p[i] & 15];
	}
	return s;
}

std::string to_hex(const std::vector<std::uint8_t> &v)
{
	return to_hex(v.data(), v.size());
}

bool from_hex(const std::string &s, std::vector<std::uint8_t> *out)
{
	if (s.size() % 2)
		return false;
	out->assign(s.size() / 2, 0);
	auto nib = [](char c) -> int {
		if (c >= '0' && c <= '9')
			return c - '0';
		if (c >= 'a' && c <= 'f')
			return c - 'a' + 10;
		return -1;
	};
	for (std::size_t i = 0; i < out->size(); i++) {
		int h = nib(s[2 * i]), l = nib(s[2 * i + 1]);
		if (h < 0 || l < 0)
			return false;
		(*out)[i] = static_cast<std::uint8_t>(h << 4 | l);
	}
	return true;
}

std::uint64_t parse_u64(const json &j)
{
	if (j.is_string())
		return std::stoull(j.get<std::string>(), nullptr, 0);
	if (j.is_number_unsigned())
		return j.get<std::uint64_t>();
	return static_cast<std::uint64_t>(j.get<std::int64_t>());
}

const schema::Ioctl *Schemas::find(std::uint64_t request, const schema::Schema **s) const
{
	for (const auto &sc : list)
		for (const auto &io : sc.ioctls)
			if (io.number == request && !io.arg.empty() && sc.find_struct(io.arg)) {
				*s = &sc;
				return &io;
			}
	return nullptr;
}

void Schemas::add(schema::Schema s)
{
	hashes.push_back(schema_hash(s));
	list.push_back(std::move(s));
}

std::string schema_hash(const schema::Schema &s)
{
	std::string t = schema::to_json(s).dump();
	char b[40];
	std::snprintf(b, sizeof(b), "fnv1a64:%016llx",
		      static_cast<unsigned long long>(fnv1a(t.data(), t.size())));
	return b;
}

json header_record(const Schemas &s, const std::string &program)
{
	json h;
	h["format"] = kTraceMagic;
	h["version"] = kTraceVersion;
	h["program"] = program;
	h["page_size"] = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
	json arr = json::array();
	for (std::size_t i = 0; i < s.list.size(); i++)
		arr.push_back({{"header", s.list[i].header}, {"hash", s.hashes[i]}, {"schema", schema::to_json(s.list[i])}});
	h["schemas"] = arr;
	return h;
}

std::optional<Schemas> schemas_from_header(const json &h, std::string *error)
{
	Schemas out;
	if (!h.contains("schemas") || !h["schemas"].is_array()) {
		*error = "header record without schemas";
		return std::nullopt;
	}
	for (const auto &e : h["schemas"]) {
		std::string err;
		auto s = schema::schema_from_json(nlohmann::json::parse(e.at("schema").dump()), &err);
		if (!s) {
			*error = "schema " + e.value("header", std::string("?")) + ": " + err;
			return std::nullopt;
		}
		out.add(*s);
		if (out.hashes.back() != e.value("hash", std::string())) {
			*error = "schema " + s->header + ": hash " + out.hashes.back() + " is not the recorded " +
				 e.value("hash", std::string("(none)"));
			return std::nullopt;
		}
	}
	return out;
}

std::optional<Schemas> schemas_from_json_array(const std::string &text, std::string *error)
{
	Schemas out;
	nlohmann::json arr = nlohmann::json::parse(text, nullptr, false);
	if (!arr.is_array()) {
		*error = "not a JSON array of schemas";
		return std::nullopt;
	}
	for (const auto &e : arr) {
		auto s = schema::schema_from_json(e, error);
		if (!s)
			return std::nullopt;
		out.add(*s);
	}
	return out;
}

namespace {

std::string record_name(const schema::Field &f)
{
	std::string t = f.type;
	for (const char *p : {"struct ", "union "})
		if (t.rfind(p, 0) == 0)
			return t.substr(std::string(p).size());
	return t;
}

void flatten_into(const schema::Schema &s, const schema::Struct &st, const std::string &prefix,
		  std::uint64_t base, std::vector<FlatField> *out)
{
	for (const auto &f : st.fields) {
		const schema::Struct *inner = f.is_record && f.array_len == 0 ? s.find_struct(record_name(f)) : nullptr;
		if (inner)
			flatten_into(s, *inner, prefix + f.name + ".", base + f.offset(), out);
		else
			out->push_back({prefix + f.name, &f, &st, base, base + f.offset()});
	}
}

std::uint64_t elem_size(const schema::Schema &s, const std::string &elem)
{
	if (std::uint64_t n = schema::scalar_size(elem))
		return n;
	const schema::Struct *st = s.find_struct(elem);
	return st ? st->size : 0;
}

bool is_signed(const schema::Field &f)
{
	return f.canonical.find("unsigned") == std::string::npos && f.canonical != "_Bool" &&
	       f.canonical != "bool";
}

} // namespace

std::vector<FlatField> flatten(const schema::Schema &s, const schema::Struct &st)
{
	std::vector<FlatField> out;
	flatten_into(s, st, "", 0, &out);
	return out;
}

std::uint64_t load(const std::uint8_t *p, std::size_t size)
{
	std::uint64_t v = 0;
	for (std::size_t i = 0; i < size && i < 8; i++)
		v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
	return v;
}

void store(std::uint8_t *p, std::size_t size, std::uint64_t v)
{
	for (std::size_t i = 0; i < size && i < 8; i++)
		p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::int64_t load_signed(const std::uint8_t *p, std::size_t size)
{
	std::uint64_t v = load(p, size);
	if (size > 0 && size < 8 && (v >> (8 * size - 1)) & 1)
		v |= ~0ull << (8 * size);
	return static_cast<std::int64_t>(v);
}

std::vector<Region> regions(const schema::Schema &s, const std::vector<FlatField> &flat,
			    const std::uint8_t *arg)
{
	std::vector<Region> out;
	for (const auto &ff : flat) {
		const schema::Annotation &a = ff.field->ann;
		if (a.ptr == Ptr::None)
			continue;
		auto sibling = [&](const std::string &name) -> std::uint64_t {
			const schema::Field *g = ff.parent->field(name);
			return g ? load(arg + ff.parent_off + g->offset(), g->size) : 0;
		};
		Region r;
		r.ptr = &ff;
		r.addr = load(arg + ff.off, 8);
		r.data = a.data == Dir::Unset ? Dir::In : a.data;
		switch (a.ptr) {
		case Ptr::Array: {
			r.elem = a.elem;
			r.count = sibling(a.count);
			r.stride = a.stride.empty() ? elem_size(s, a.elem) : sibling(a.stride);
			unsigned __int128 len = static_cast<unsigned __int128>(r.count) * r.stride;
			r.len = len > UINT64_MAX ? UINT64_MAX : static_cast<std::uint64_t>(len);
			break;
		}
		case Ptr::Buffer:
			r.len = sibling(a.size);
			r.elem = a.elem;
			if (!a.select.empty()) {
				std::uint64_t sel = sibling(a.select);
				for (const auto &[v, stn] : a.cases) {
					const schema::EnumValue *ev = s.find_enum_value(v);
					if (ev && static_cast<std::uint64_t>(ev->value) == sel)
						r.elem = stn;
				}
			}
			r.stride = r.elem.empty() ? 0 : elem_size(s, r.elem);
			break;
		case Ptr::Struct:
			r.elem = a.elem;
			r.stride = r.len = elem_size(s, a.elem);
			break;
		case Ptr::None:
			break;
		}
		out.push_back(r);
	}
	return out;
}

json access_json(const Access &a)
{
	if (a.size() == 1)
		return a[0].second;
	json j = json::array();
	for (const auto &[n, p] : a)
		j.push_back({n, p});
	return j;
}

Access access_from_json(const json &j, std::uint64_t len)
{
	if (j.is_string())
		return {{len, j.get<std::string>()}};
	Access a;
	if (j.is_array())
		for (const auto &e : j)
			a.push_back({parse_u64(e.at(0)), e.at(1).get<std::string>()});
	return a;
}

Access probe_access(std::uint64_t addr, std::uint64_t len)
{
	struct Vma {
		std::uint64_t start, end;
		std::string prot;
	};
	std::vector<Vma> vmas;
	std::ifstream in("/proc/self/maps");
	std::string line;
	while (std::getline(in, line)) {
		unsigned long long s0, e0;
		char perms[8] = {0};
		if (std::sscanf(line.c_str(), "%llx-%llx %7s", &s0, &e0, perms) != 3)
			continue;
		std::string p = perms[0] == 'r' ? (perms[1] == 'w' ? "rw" : "r") : "-";
		vmas.push_back({s0, e0, p});
	}
	Access a;
	auto push = [&](std::uint64_t n, const std::string &p) {
		if (!n)
			return;
		if (!a.empty() && a.back().second == p)
			a.back().first += n;
		else
			a.push_back({n, p});
	};
	std::uint64_t cur = addr, end = addr + len < addr ? UINT64_MAX : addr + len;
	while (cur < end) {
		const Vma *hit = nullptr, *next = nullptr;
		for (const auto &v : vmas) {
			if (v.start <= cur && cur < v.end)
				hit = &v;
			else if (v.start > cur && (!next || v.start < next->start))
				next = &v;
		}
		std::uint64_t stop = hit ? std::min(end, hit->end) : next ? std::min(end, next->start) : end;
		push(stop - cur, hit ? hit->prot : "-");
		cur = stop;
	}
	if (a.empty())
		a.push_back({0, "rw"});
	return a;
}

namespace {

// Page-sized pieces: process_vm_readv/writev stop at the first piece that
// faults, so the count of bytes moved is the accessible prefix.
template <typename F>
std::uint64_t vm_copy(std::uint64_t addr, std::uint8_t *local, std::uint64_t len, F sys)
{
	const std::uint64_t page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
	std::uint64_t done = 0;
	while (done < len) {
		iovec l[64], r[64];
		int n = 0;
		std::uint64_t batch = 0;
		while (n < 64 && done + batch < len) {
			std::uint64_t a = addr + done + batch;
			std::uint64_t piece = std::min(len - done - batch, page - a % page);
			l[n] = {local + done + batch, piece};
			r[n] = {reinterpret_cast<void *>(a), piece};
			batch += piece;
			n++;
		}
		ssize_t got = sys(getpid(), l, n, r, n, 0);
		if (got <= 0)
			break;
		done += static_cast<std::uint64_t>(got);
		if (static_cast<std::uint64_t>(got) < batch)
			break;
	}
	return done;
}

thread_local sigjmp_buf *t_fault_jmp;

void on_fault(int)
{
	siglongjmp(*t_fault_jmp, 1);
}

// What process_vm_readv/writev cannot reach: a DRM GEM mapping is
// VM_PFNMAP, which get_user_pages refuses. A plain copy, page by page,
// with SIGSEGV and SIGBUS caught for the time of the copy (past a BO's
// end, a PROT_NONE page); the program's handlers are put back after.
std::uint64_t guarded_copy(std::uint8_t *dst, const std::uint8_t *src, std::uint64_t len)
{
	const std::uint64_t page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
	struct sigaction sa = {}, old_segv, old_bus;
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	sigjmp_buf jb;
	t_fault_jmp = &jb;
	volatile std::uint64_t done = 0;
	if (sigsetjmp(jb, 1) == 0) {
		while (done < len) {
			std::uint64_t at = reinterpret_cast<std::uint64_t>(src) + done;
			std::uint64_t n = std::min(len - done, page - at % page);
			std::memcpy(dst + done, src + done, n);
			done = done + n;
		}
	}
	sigaction(SIGSEGV, &old_segv, nullptr);
	sigaction(SIGBUS, &old_bus, nullptr);
	return done;
}

} // namespace

std::vector<std::uint8_t> read_mem(std::uint64_t addr, std::uint64_t len)
{
	std::vector<std::uint8_t> out(len);
	std::uint64_t n = vm_copy(addr, out.data(), len, ::process_vm_readv);
	if (n < len && probe_access(addr + n, 1)[0].second != "-")
		n += guarded_copy(out.data() + n, reinterpret_cast<const std::uint8_t *>(addr + n), len - n);
	out.resize(n);
	return out;
}

std::uint64_t write_mem(std::uint64_t addr, const std::vector<std::uint8_t> &data)
{
	std::vector<std::uint8_t> copy = data;
	std::uint64_t n = vm_copy(addr, copy.data(), copy.size(),
				  [](pid_t p, const iovec *l, unsigned long ln, const iovec *r, unsigned long rn,
				     unsigned long f) { return ::process_vm_writev(p, l, ln, r, rn, f); });
	if (n < copy.size() && probe_access(addr + n, 1)[0].second == "rw")
		n += guarded_copy(reinterpret_cast<std::uint8_t *>(addr + n), copy.data() + n, copy.size() - n);
	return n;
}

namespace {

json view_struct(const schema::Schema &s, const schema::Struct &st, const std::uint8_t *p, std::uint64_t len)
{
	json o = json::object();
	for (const auto &f : st.fields) {
		if (f.offset() + f.size > len)
			break;
		const std::uint8_t *q = p + f.offset();
		const schema::Struct *inner = f.is_record && f.array_len == 0 ? s.find_struct(record_name(f)) : nullptr;
		if (inner)
			o[f.name] = view_struct(s, *inner, q, f.size);
		else if (f.ann.ptr != Ptr::None || (!f.canonical.empty() && f.canonical.back() == '*'))
			o[f.name] = load(q, f.size) ? json("ptr") : json(0);
		else if (f.is_integer() && f.bit_width < 0)
			o[f.name] = is_signed(f) ? json(load_signed(q, f.size)) : json(load(q, f.size));
		else
			o[f.name] = to_hex(q, f.size);
	}
	return o;
}

} // namespace

json view(const schema::Schema &s, const std::string &type, const std::uint8_t *p, std::uint64_t len,
	  std::uint64_t count, std::uint64_t stride)
{
	const schema::Struct *st = s.find_struct(type);
	std::uint64_t es = st ? st->size : schema::scalar_size(type);
	if (!es) {
		// Raw bytes: text when it is text (a driver name), else nothing
		// (the hex says it).
		std::string t(reinterpret_cast<const char *>(p), len);
		bool text = std::all_of(t.begin(), t.end(), [](char c) {
			return std::isprint(static_cast<unsigned char>(c)) || c == '\0';
		});
		return text ? json(t.substr(0, t.find('\0'))) : json(nullptr);
	}
	if (!stride)
		stride = es;
	auto one = [&](const std::uint8_t *q, std::uint64_t n) -> json {
		if (st)
			return view_struct(s, *st, q, n);
		if (n < es)
			return nullptr;
		return type[2] == 's' ? json(load_signed(q, es)) : json(load(q, es));
	};
	if (count == 1 && len <= stride)
		return one(p, len);
	json a = json::array();
	for (std::uint64_t i = 0; i < count && i * stride < len; i++)
		a.push_back(one(p + i * stride, std::min(stride, len - i * stride)));
	return a;
}

std::string byte_path(const schema::Schema &s, const std::string &type, std::uint64_t off,
		      std::uint64_t stride)
{
	const schema::Struct *st = s.find_struct(type);
	std::uint64_t es = st ? st->size : schema::scalar_size(type);
	if (!es)
		return "[" + std::to_string(off) + "]";
	std::string path;
	if (stride) {
		path = "[" + std::to_string(off / stride) + "]";
		off %= stride;
	}
	if (!st)
		return off < es ? path : path + "+" + std::to_string(off);
	while (st) {
		const schema::Field *hit = nullptr;
		for (const auto &f : st->fields)
			if (f.offset() <= off && off < f.offset() + f.size)
				hit = &f;
		if (!hit)
			return path + "+" + std::to_string(off);
		path += "." + hit->name;
		off -= hit->offset();
		st = hit->is_record && hit->array_len == 0 ? s.find_struct(record_name(*hit)) : nullptr;
		if (!st && hit->array_len && hit->size / hit->array_len)
			path += "[" + std::to_string(off / (hit->size / hit->array_len)) + "]";
	}
	return path;
}

bool read_trace(const std::string &text, json *header, std::vector<json> *ops, std::string *error)
{
	std::istringstream in(text);
	std::string line;
	std::size_t n = 0;
	bool have_header = false;
	while (std::getline(in, line)) {
		n++;
		if (line.empty())
			continue;
		json j = json::parse(line, nullptr, false);
		if (j.is_discarded() || !j.is_object()) {
			*error = "line " + std::to_string(n) + ": not a JSON object";
			return false;
		}
		if (!have_header) {
			if (j.value("format", std::string()) != kTraceMagic) {
				*error = "line " + std::to_string(n) + ": not a refgpu trace (no \"format\": \"" +
					 kTraceMagic + "\" header)";
				return false;
			}
			if (j.value("version", 0) != kTraceVersion) {
				*error = "trace format version " + j.value("version", json(0)).dump() +
					 ", this tool reads version " + std::to_string(kTraceVersion);
				return false;
			}
			*header = j;
			have_header = true;
			continue;
		}
		ops->push_back(std::move(j));
	}
	if (!have_header) {
		*error = "empty trace (no header record)";
		return false;
	}
	return true;
}

} // namespace refgpu::trace
