// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "schema.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace refgpu::schema {

std::string hex(std::uint64_t v)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
	return buf;
}

namespace {

std::string int_text(std::int64_t v, bool is_unsigned)
{
	if (!is_unsigned && v < 0)
		return std::to_string(v);
	return hex(static_cast<std::uint64_t>(v));
}

template <typename E, std::size_t N>
std::optional<E> from_name(const std::string &s, const std::pair<E, const char *> (&names)[N])
{
	for (const auto &[e, n] : names)
		if (s == n)
			return e;
	return std::nullopt;
}

template <typename E, std::size_t N>
std::string to_name(E e, const std::pair<E, const char *> (&names)[N])
{
	for (const auto &[v, n] : names)
		if (v == e)
			return n;
	return "?";
}

const std::pair<Dir, const char *> kDirNames[] = {
	{Dir::Unset, ""}, {Dir::In, "in"}, {Dir::Out, "out"}, {Dir::InOut, "inout"}};
const std::pair<HandleRole, const char *> kRoleNames[] = {
	{HandleRole::Use, "use"}, {HandleRole::Create, "create"}, {HandleRole::Destroy, "destroy"}};
const std::pair<Impl, const char *> kImplNames[] = {{Impl::None, ""},
	{Impl::Opaque, "opaque"}, {Impl::MmapOffset, "mmap-offset"},
	{Impl::Timestamp, "timestamp"}, {Impl::GpuVa, "gpu-va"}};
const std::pair<Ptr, const char *> kPtrNames[] = {
	{Ptr::None, ""}, {Ptr::Array, "array"}, {Ptr::Buffer, "buffer"}, {Ptr::Struct, "struct"}};

} // namespace

std::string to_string(Dir d) { return to_name(d, kDirNames); }
std::string to_string(HandleRole r) { return to_name(r, kRoleNames); }
std::string to_string(Impl i) { return to_name(i, kImplNames); }
std::string to_string(Ptr p) { return to_name(p, kPtrNames); }

std::string Annotation::to_string() const
{
	if (!present)
		return "";
	std::vector<std::string> items;
	if (dir != Dir::Unset)
		items.push_back(schema::to_string(dir));
	if (pad)
		items.push_back("pad");
	if (mbz)
		items.push_back("mbz");
	if (!handle.empty())
		items.push_back("handle=" + handle +
				(handle_role == HandleRole::Use ? "" : ":" + schema::to_string(handle_role)));
	if (impl == Impl::Opaque)
		items.push_back("impl");
	else if (impl != Impl::None)
		items.push_back("impl=" + schema::to_string(impl));
	if (!flags.empty())
		items.push_back("flags=" + flags);
	if (!enum_name.empty())
		items.push_back("enum=" + enum_name);
	if (ptr != Ptr::None)
		items.push_back("ptr=" + schema::to_string(ptr));
	for (const auto &[k, v] : {std::pair{"elem", &elem}, {"count", &count}, {"stride", &stride},
				    {"size", &size}, {"select", &select}})
		if (!v->empty())
			items.push_back(std::string(k) + "=" + *v);
	for (const auto &[v, s] : cases)
		items.push_back("case=" + v + ":" + s);
	if (data != Dir::Unset)
		items.push_back("data=" + schema::to_string(data));
	if (nullable)
		items.push_back("nullable");
	std::string out;
	for (const auto &i : items)
		out += (out.empty() ? "" : ", ") + i;
	return out;
}

bool Field::is_integer() const
{
	static const char *const kInts[] = {"char", "signed char", "unsigned char", "short",
		"unsigned short", "int", "unsigned int", "long", "unsigned long", "long long",
		"unsigned long long", "_Bool", "bool"};
	return !is_record && array_len == 0 && !flexible &&
	       std::find(std::begin(kInts), std::end(kInts), canonical) != std::end(kInts);
}

const Field *Struct::field(const std::string &n) const
{
	for (const auto &f : fields)
		if (f.name == n)
			return &f;
	return nullptr;
}

std::string EnumValue::text() const { return int_text(value, is_unsigned); }
std::string Constant::text() const { return int_text(value, is_unsigned); }

const EnumValue *Enum::value(const std::string &n) const
{
	for (const auto &v : values)
		if (v.name == n)
			return &v;
	return nullptr;
}

std::string Ioctl::dir_text() const
{
	if (dir_write && dir_read)
		return "rw";
	return dir_write ? "w" : dir_read ? "r" : "none";
}

Dir Ioctl::default_dir() const
{
	if (dir_write && dir_read)
		return Dir::InOut;
	return dir_write ? Dir::In : dir_read ? Dir::Out : Dir::Unset;
}

namespace {

template <typename T>
const T *find_named(const std::vector<T> &v, const std::string &n)
{
	for (const auto &x : v)
		if (x.name == n)
			return &x;
	return nullptr;
}

} // namespace

const Struct *Schema::find_struct(const std::string &n) const { return find_named(structs, n); }
const Enum *Schema::find_enum(const std::string &n) const { return find_named(enums, n); }
const Ioctl *Schema::find_ioctl(const std::string &n) const { return find_named(ioctls, n); }
const Constant *Schema::find_constant(const std::string &n) const { return find_named(constants, n); }

const EnumValue *Schema::find_enum_value(const std::string &n) const
{
	for (const auto &e : enums)
		if (const EnumValue *v = e.value(n))
			return v;
	return nullptr;
}

Dir Schema::field_dir(const Ioctl &io, const Field &f)
{
	return f.ann.dir != Dir::Unset ? f.ann.dir : io.default_dir();
}

// JSON ---------------------------------------------------------------------

namespace {

using ojson = nlohmann::ordered_json;

ojson ann_json(const Annotation &a)
{
	ojson j = ojson::object();
	j["text"] = a.to_string();
	j["line"] = a.line;
	if (a.dir != Dir::Unset)
		j["dir"] = to_string(a.dir);
	if (a.pad)
		j["pad"] = true;
	if (a.mbz)
		j["mbz"] = true;
	if (!a.handle.empty())
		j["handle"] = {{"kind", a.handle}, {"role", to_string(a.handle_role)}};
	if (a.impl != Impl::None)
		j["impl"] = to_string(a.impl);
	if (!a.flags.empty())
		j["flags"] = a.flags;
	if (!a.enum_name.empty())
		j["enum"] = a.enum_name;
	if (a.ptr != Ptr::None) {
		ojson p = {{"kind", to_string(a.ptr)}};
		for (const auto &[k, v] : {std::pair{"elem", &a.elem}, {"count", &a.count},
					    {"stride", &a.stride}, {"size", &a.size}, {"select", &a.select}})
			if (!v->empty())
				p[k] = *v;
		if (!a.cases.empty()) {
			ojson c = ojson::object();
			for (const auto &[v, s] : a.cases)
				c[v] = s;
			p["cases"] = c;
		}
		p["data"] = to_string(a.data == Dir::Unset ? Dir::In : a.data);
		p["nullable"] = a.nullable;
		j["ptr"] = p;
	}
	return j;
}

// Reads what ann_json() wrote. Throws nlohmann::json exceptions or
// std::runtime_error on a malformed value.
Annotation ann_from_json(const nlohmann::json &j)
{
	auto need = [](auto opt, const std::string &what) {
		if (!opt)
			throw std::runtime_error("unknown " + what);
		return *opt;
	};
	Annotation a;
	a.present = true;
	a.line = j.value("line", 0u);
	if (j.contains("dir"))
		a.dir = need(from_name(j.at("dir").get<std::string>(), kDirNames), "dir");
	a.pad = j.value("pad", false);
	a.mbz = j.value("mbz", false);
	if (j.contains("handle")) {
		a.handle = j.at("handle").at("kind").get<std::string>();
		a.handle_role = need(from_name(j.at("handle").at("role").get<std::string>(), kRoleNames),
				     "handle role");
	}
	if (j.contains("impl"))
		a.impl = need(from_name(j.at("impl").get<std::string>(), kImplNames), "impl");
	a.flags = j.value("flags", "");
	a.enum_name = j.value("enum", "");
	if (j.contains("ptr")) {
		const auto &p = j.at("ptr");
		a.ptr = need(from_name(p.at("kind").get<std::string>(), kPtrNames), "ptr kind");
		a.elem = p.value("elem", "");
		a.count = p.value("count", "");
		a.stride = p.value("stride", "");
		a.size = p.value("size", "");
		a.select = p.value("select", "");
		if (p.contains("cases"))
			for (const auto &[v, s] : p.at("cases").items())
				a.cases.emplace_back(v, s.get<std::string>());
		a.data = need(from_name(p.value("data", "in"), kDirNames), "ptr data");
		if (a.data == Dir::In)
			a.data = Dir::Unset; // the default, as parsed
		a.nullable = p.value("nullable", false);
	}
	return a;
}

} // namespace

nlohmann::ordered_json to_json(const Schema &s)
{
	ojson j;
	j["format"] = "refgpu-uapi-schema";
	j["version"] = kSchemaFormatVersion;
	j["header"] = s.header;
	j["language"] = s.language;
	j["target"] = s.target;
	j["handle_kinds"] = s.handle_kinds;
	ojson ioctls = ojson::array();
	for (const auto &io : s.ioctls)
		ioctls.push_back({{"name", io.name}, {"number", io.number}, {"number_hex", hex(io.number)},
				  {"dir", io.dir_text()}, {"type", io.type}, {"nr", io.nr},
				  {"size", io.size}, {"struct", io.arg}});
	j["ioctls"] = ioctls;
	ojson structs = ojson::array();
	for (const auto &st : s.structs) {
		ojson fields = ojson::array();
		for (const auto &f : st.fields) {
			ojson jf = {{"name", f.name}, {"type", f.type}, {"canonical", f.canonical},
				    {"offset", f.offset()}, {"offset_bits", f.offset_bits},
				    {"size", f.size}, {"align", f.align}};
			if (f.is_record)
				jf["record"] = true;
			if (f.array_len || f.flexible) {
				jf["array_len"] = f.array_len;
				jf["elem_type"] = f.elem_type;
			}
			if (f.flexible)
				jf["flexible"] = true;
			if (f.bit_width >= 0)
				jf["bit_width"] = f.bit_width;
			if (!f.in_anonymous.empty())
				jf["in_anonymous"] = f.in_anonymous;
			if (f.ann.present)
				jf["annotation"] = ann_json(f.ann);
			fields.push_back(jf);
		}
		structs.push_back({{"name", st.name}, {"kind", st.kind()}, {"size", st.size},
				   {"align", st.align}, {"line", st.line}, {"end_line", st.end_line},
				   {"fields", fields}});
	}
	j["structs"] = structs;
	ojson enums = ojson::array();
	for (const auto &e : s.enums) {
		ojson vals = ojson::array();
		for (const auto &v : e.values)
			vals.push_back({{"name", v.name}, {"value", v.value}, {"unsigned", v.is_unsigned}});
		enums.push_back({{"name", e.name}, {"size", e.size}, {"line", e.line},
				 {"flags", e.is_flags}, {"values", vals}});
	}
	j["enums"] = enums;
	ojson consts = ojson::array();
	for (const auto &c : s.constants)
		consts.push_back({{"name", c.name}, {"value", c.value}, {"unsigned", c.is_unsigned}});
	j["constants"] = consts;
	ojson lin = ojson::array();
	for (const auto &m : s.linear_macros)
		lin.push_back({{"name", m.name}, {"base", m.base}, {"stride", m.stride}});
	j["linear_macros"] = lin;
	return j;
}

std::optional<Schema> schema_from_json(const nlohmann::json &j, std::string *error)
{
	try {
		if (j.value("format", "") != "refgpu-uapi-schema")
			throw std::runtime_error("not a refgpu-uapi-schema document");
		if (j.at("version").get<int>() != kSchemaFormatVersion)
			throw std::runtime_error("schema version " + j.at("version").dump() +
						 ", this build reads " +
						 std::to_string(kSchemaFormatVersion));
		Schema s;
		s.header = j.at("header").get<std::string>();
		s.language = j.at("language").get<std::string>();
		s.target = j.at("target").get<std::string>();
		s.handle_kinds = j.at("handle_kinds").get<std::vector<std::string>>();
		for (const auto &ji : j.at("ioctls")) {
			Ioctl io;
			io.name = ji.at("name").get<std::string>();
			io.number = ji.at("number").get<std::uint64_t>();
			std::string d = ji.at("dir").get<std::string>();
			io.dir_write = d == "w" || d == "rw";
			io.dir_read = d == "r" || d == "rw";
			io.type = ji.at("type").get<unsigned>();
			io.nr = ji.at("nr").get<unsigned>();
			io.size = ji.at("size").get<unsigned>();
			io.arg = ji.at("struct").get<std::string>();
			s.ioctls.push_back(io);
		}
		for (const auto &js : j.at("structs")) {
			Struct st;
			st.name = js.at("name").get<std::string>();
			st.is_union = js.at("kind").get<std::string>() == "union";
			st.size = js.at("size").get<std::uint64_t>();
			st.align = js.at("align").get<std::uint64_t>();
			st.line = js.value("line", 0u);
			st.end_line = js.value("end_line", 0u);
			for (const auto &jf : js.at("fields")) {
				Field f;
				f.name = jf.at("name").get<std::string>();
				f.type = jf.at("type").get<std::string>();
				f.canonical = jf.at("canonical").get<std::string>();
				f.offset_bits = jf.at("offset_bits").get<std::uint64_t>();
				f.size = jf.at("size").get<std::uint64_t>();
				f.align = jf.at("align").get<std::uint64_t>();
				f.is_record = jf.value("record", false);
				f.array_len = jf.value("array_len", std::uint64_t{0});
				f.elem_type = jf.value("elem_type", "");
				f.flexible = jf.value("flexible", false);
				f.bit_width = jf.value("bit_width", -1);
				f.in_anonymous = jf.value("in_anonymous", "");
				if (jf.contains("annotation"))
					f.ann = ann_from_json(jf.at("annotation"));
				st.fields.push_back(f);
			}
			s.structs.push_back(st);
		}
		for (const auto &je : j.at("enums")) {
			Enum e;
			e.name = je.at("name").get<std::string>();
			e.size = je.at("size").get<std::uint64_t>();
			e.line = je.value("line", 0u);
			e.is_flags = je.value("flags", false);
			for (const auto &jv : je.at("values"))
				e.values.push_back({jv.at("name").get<std::string>(),
						    jv.at("value").get<std::int64_t>(),
						    jv.value("unsigned", false)});
			s.enums.push_back(e);
		}
		for (const auto &jc : j.at("constants"))
			s.constants.push_back({jc.at("name").get<std::string>(),
					       jc.at("value").get<std::int64_t>(),
					       jc.value("unsigned", false)});
		for (const auto &jm : j.at("linear_macros"))
			s.linear_macros.push_back({jm.at("name").get<std::string>(),
						   jm.at("base").get<std::int64_t>(),
						   jm.at("stride").get<std::int64_t>()});
		return s;
	} catch (const std::exception &e) {
		*error = e.what();
		return std::nullopt;
	}
}

// Human summary --------------------------------------------------------------

namespace {

std::string plural(std::size_t n, const std::string &what)
{
	return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

std::string pad_to(std::string s, std::size_t w)
{
	if (s.size() < w)
		s.append(w - s.size(), ' ');
	return s;
}

} // namespace

std::string counts(const Schema &s)
{
	return plural(s.ioctls.size(), "ioctl") + ", " + plural(s.structs.size(), "struct") + ", " +
	       plural(s.enums.size(), "enum") + ", " + plural(s.constants.size(), "constant") +
	       (s.linear_macros.empty() ? "" : ", " + plural(s.linear_macros.size(), "linear macro"));
}

std::string summary(const Schema &s)
{
	std::ostringstream o;
	o << s.header << " (" << s.language << ", " << s.target << "): " << counts(s) << "\n";
	o << "handle kinds: ";
	for (std::size_t i = 0; i < s.handle_kinds.size(); i++)
		o << (i ? ", " : "") << s.handle_kinds[i];
	o << "\n";
	if (!s.ioctls.empty()) {
		std::size_t w = 0;
		for (const auto &io : s.ioctls)
			w = std::max(w, io.name.size());
		o << "ioctls:\n";
		for (const auto &io : s.ioctls)
			o << "  " << pad_to(io.name, w) << "  " << pad_to(hex(io.number), 10)
			  << "  nr " << pad_to(hex(io.nr), 4) << "  " << pad_to(io.dir_text(), 4)
			  << "  size " << pad_to(std::to_string(io.size), 4) << "  "
			  << (io.arg.empty() ? "(no argument)" : "struct " + io.arg) << "\n";
	}
	if (!s.structs.empty())
		o << "structs:\n";
	for (const auto &st : s.structs) {
		o << "  " << st.kind() << " " << st.name << ": size " << st.size << ", align "
		  << st.align << "\n";
		std::size_t wn = 0, wt = 0;
		for (const auto &f : st.fields) {
			wn = std::max(wn, f.name.size());
			wt = std::max(wt, f.type.size());
		}
		for (const auto &f : st.fields) {
			std::string off = std::to_string(f.offset());
			if (f.bit_width >= 0)
				off += ":" + std::to_string(f.offset_bits % 8) + "+" +
				       std::to_string(f.bit_width) + "b";
			o << "    " << pad_to(off, 5) << " " << pad_to(f.name, wn) << "  "
			  << pad_to(f.type, wt) << "  size " << f.size;
			if (!f.in_anonymous.empty())
				o << " (in anonymous " << f.in_anonymous << ")";
			if (f.ann.present)
				o << "  [" << f.ann.to_string() << "]";
			o << "\n";
		}
	}
	if (!s.enums.empty())
		o << "enums:\n";
	for (const auto &e : s.enums) {
		o << "  enum " << e.name << (e.is_flags ? " (flags)" : "") << ":";
		for (const auto &v : e.values)
			o << " " << v.name << "=" << v.text();
		o << "\n";
	}
	if (!s.constants.empty())
		o << "constants:\n";
	for (const auto &c : s.constants)
		o << "  " << c.name << " = " << c.text() << "\n";
	if (!s.linear_macros.empty())
		o << "linear macros:\n";
	for (const auto &m : s.linear_macros)
		o << "  " << m.name << "(n) = " << hex(static_cast<std::uint64_t>(m.base)) << " + n * "
		  << hex(static_cast<std::uint64_t>(m.stride)) << "\n";
	return o.str();
}

std::uint64_t scalar_size(const std::string &type)
{
	for (std::uint64_t bits : {8, 16, 32, 64})
		if (type == "__u" + std::to_string(bits) || type == "__s" + std::to_string(bits))
			return bits / 8;
	return 0;
}

} // namespace refgpu::schema
