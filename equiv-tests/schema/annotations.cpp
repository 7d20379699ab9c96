// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "annotations.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace refgpu::schema {

namespace {

constexpr const char *kTag = "[refgpu:";

std::string trim(const std::string &s)
{
	std::size_t b = s.find_first_not_of(" \t\n");
	if (b == std::string::npos)
		return "";
	std::size_t e = s.find_last_not_of(" \t\n");
	return s.substr(b, e - b + 1);
}

bool is_ident(const std::string &s)
{
	if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_'))
		return false;
	return std::all_of(s.begin(), s.end(), [](char c) {
		return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
	});
}

// A kernel-doc member tag at the start of a content line: "@name:" -> name.
std::optional<std::string> member_tag(const std::string &line)
{
	if (line.size() < 3 || line[0] != '@')
		return std::nullopt;
	std::size_t colon = line.find(':');
	if (colon == std::string::npos)
		return std::nullopt;
	std::string name = line.substr(1, colon - 1);
	for (char c : name)
		if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'))
			return std::nullopt;
	return name;
}

// What a doc comment documents, from its first content line.
struct Subject {
	enum Kind { Other, Doc, Record, Enum, Member } kind = Other;
	std::string name; // Record, Enum: the tag; Member: the member
};

Subject subject_of(const DocComment &c)
{
	for (const auto &[line, text] : c.lines) {
		if (text.empty())
			continue;
		if (text.rfind("DOC:", 0) == 0)
			return {Subject::Doc, ""};
		if (auto m = member_tag(text))
			return {Subject::Member, *m};
		for (const char *kw : {"struct ", "union "}) {
			if (text.rfind(kw, 0) == 0) {
				std::string rest = text.substr(std::string(kw).size());
				return {Subject::Record, rest.substr(0, rest.find_first_of(" \t-"))};
			}
		}
		if (text.rfind("enum ", 0) == 0) {
			std::string rest = text.substr(5);
			return {Subject::Enum, rest.substr(0, rest.find_first_of(" \t-"))};
		}
		return {Subject::Other, ""};
	}
	return {Subject::Other, ""};
}

struct RawAnnotation {
	unsigned line = 0;
	std::string body; // between "[refgpu:" and "]"
	std::string member; // the @member: section it is in, or empty
};

// The annotations of a comment and the member section each is in.
// Errors (unterminated) go to errs.
std::vector<RawAnnotation> raw_annotations(const DocComment &c, bool inline_member,
					   std::vector<std::pair<unsigned, std::string>> *errs)
{
	std::vector<RawAnnotation> out;
	std::string section;
	bool first_member = true;
	for (std::size_t i = 0; i < c.lines.size(); i++) {
		const auto &[line, text] = c.lines[i];
		if (auto m = member_tag(text)) {
			// An inline member comment is about its first member only.
			if (!inline_member || first_member)
				section = *m;
			first_member = false;
		} else if (text.empty() && !inline_member) {
			section.clear(); // a paragraph ends a member description
		}
		std::size_t pos = 0;
		while ((pos = text.find(kTag, pos)) != std::string::npos) {
			// ``[refgpu: ...]`` is an example in reStructuredText, not an
			// annotation.
			if (pos >= 2 && text.compare(pos - 2, 2, "``") == 0) {
				pos += 1;
				continue;
			}
			RawAnnotation a{line, "", section};
			std::string rest = text.substr(pos + std::string(kTag).size());
			std::size_t j = i;
			std::size_t close;
			while ((close = rest.find(']')) == std::string::npos && j + 1 < c.lines.size())
				rest += " " + c.lines[++j].second;
			if (close == std::string::npos) {
				errs->emplace_back(line, "unterminated annotation (no ']')");
				return out;
			}
			a.body = rest.substr(0, close);
			out.push_back(a);
			if (j != i) {
				// Continue after the annotation's last line.
				i = j;
				break;
			}
			pos += std::string(kTag).size() + close;
		}
	}
	return out;
}

struct Item {
	std::string key, value;
	bool has_value = false;
};

std::vector<Item> split_items(const std::string &body)
{
	std::vector<Item> items;
	std::size_t start = 0;
	while (start <= body.size()) {
		std::size_t comma = body.find(',', start);
		std::string it = trim(body.substr(start, comma == std::string::npos ? std::string::npos
										     : comma - start));
		// Collapse the whitespace a line break leaves.
		std::string norm;
		for (char ch : it) {
			if (std::isspace(static_cast<unsigned char>(ch))) {
				if (!norm.empty() && norm.back() != ' ')
					norm += ' ';
			} else {
				norm += ch;
			}
		}
		Item item;
		std::size_t eq = norm.find('=');
		if (eq == std::string::npos) {
			item.key = norm;
		} else {
			item.key = trim(norm.substr(0, eq));
			item.value = trim(norm.substr(eq + 1));
			item.has_value = true;
		}
		items.push_back(item);
		if (comma == std::string::npos)
			break;
		start = comma + 1;
	}
	return items;
}

template <typename E>
std::optional<E> parse_enum(const std::string &s, std::initializer_list<E> all)
{
	for (E e : all)
		if (to_string(e) == s)
			return e;
	return std::nullopt;
}

// it.value, one of all (by name), into *dst. Returns an error or "".
template <typename E>
std::string choose(const Item &it, std::initializer_list<E> all, E *dst)
{
	if (!it.has_value || it.value.empty())
		return it.key + " needs a value (" + it.key + "=...)";
	if (auto e = parse_enum(it.value, all)) {
		*dst = *e;
		return "";
	}
	std::string known;
	for (E e : all)
		known += (known.empty() ? "" : ", ") + to_string(e);
	return it.key + "=" + it.value + ": unknown kind (known: " + known + ")";
}

// Parses the items of one member annotation. Returns an error or "".
std::string parse_member(const std::vector<Item> &items, Annotation *a)
{
	std::map<std::string, int> seen;
	auto once = [&](const Item &it) { return seen[it.key]++ == 0; };
	auto no_value = [](const Item &it) {
		return it.has_value ? it.key + " takes no value" : std::string();
	};
	auto value = [](const Item &it) {
		return !it.has_value || it.value.empty() ? it.key + " needs a value (" + it.key + "=...)"
							 : std::string();
	};
	auto ident = [&](const Item &it) {
		std::string e = value(it);
		if (e.empty() && !is_ident(it.value))
			e = it.key + "=" + it.value + ": not a C identifier";
		return e;
	};
	for (const auto &it : items) {
		std::string err;
		if (it.key.empty())
			return "empty item";
		if (it.key != "case" && !once(it))
			return it.key + " given twice";
		if (it.key == "in" || it.key == "out" || it.key == "inout") {
			if (a->dir != Dir::Unset)
				return "more than one direction (in, out, inout)";
			err = no_value(it);
			a->dir = *parse_enum(it.key, {Dir::In, Dir::Out, Dir::InOut});
		} else if (it.key == "pad") {
			err = no_value(it);
			a->pad = true;
		} else if (it.key == "mbz") {
			err = no_value(it);
			a->mbz = true;
		} else if (it.key == "nullable") {
			err = no_value(it);
			a->nullable = true;
		} else if (it.key == "handle") {
			err = value(it);
			if (err.empty()) {
				std::string kind = it.value, role;
				if (auto c = kind.find(':'); c != std::string::npos) {
					role = kind.substr(c + 1);
					kind = kind.substr(0, c);
				}
				a->handle = kind;
				if (!is_ident(kind))
					err = "handle=" + it.value + ": no handle kind";
				else if (!role.empty()) {
					auto r = parse_enum(role, {HandleRole::Use, HandleRole::Create,
								   HandleRole::Destroy});
					if (!r)
						err = "handle=" + it.value + ": unknown role '" + role +
						      "' (known: use, create, destroy)";
					else
						a->handle_role = *r;
				}
			}
		} else if (it.key == "impl") {
			a->impl = Impl::Opaque;
			if (it.has_value)
				err = choose(it, {Impl::Opaque, Impl::MmapOffset, Impl::Timestamp, Impl::GpuVa},
					     &a->impl);
		} else if (it.key == "flags") {
			err = ident(it);
			a->flags = it.value;
		} else if (it.key == "enum") {
			err = ident(it);
			a->enum_name = it.value;
		} else if (it.key == "ptr") {
			err = choose(it, {Ptr::Array, Ptr::Buffer, Ptr::Struct}, &a->ptr);
		} else if (it.key == "elem" || it.key == "count" || it.key == "stride" ||
			   it.key == "size" || it.key == "select") {
			err = ident(it);
			std::string Annotation::*dst = it.key == "elem"	    ? &Annotation::elem
						       : it.key == "count"  ? &Annotation::count
						       : it.key == "stride" ? &Annotation::stride
						       : it.key == "size"   ? &Annotation::size
									    : &Annotation::select;
			a->*dst = it.value;
		} else if (it.key == "case") {
			err = value(it);
			auto c = it.value.find(':');
			if (err.empty() && (c == std::string::npos || !is_ident(it.value.substr(0, c)) ||
					    !is_ident(it.value.substr(c + 1))))
				err = "case=" + it.value + ": expected case=VALUE:STRUCT";
			if (err.empty())
				a->cases.emplace_back(it.value.substr(0, c), it.value.substr(c + 1));
		} else if (it.key == "data") {
			err = choose(it, {Dir::In, Dir::Out, Dir::InOut}, &a->data);
		} else {
			err = "unknown key '" + it.key +
			      "' (known: in, out, inout, pad, mbz, handle, impl, flags, enum, ptr, elem, "
			      "count, stride, size, select, case, data, nullable)";
		}
		if (!err.empty())
			return err;
	}
	return "";
}

struct Pending {
	std::string record;
	std::string member;
	Annotation ann;
	std::string label; // the file it was read from
};

// Checks one annotation against the schema (all annotations applied).
std::string check_member(const Schema &s, const Struct &st, const Field &f)
{
	const Annotation &a = f.ann;
	auto sibling = [&](const std::string &key, const std::string &name) -> std::string {
		const Field *g = st.field(name);
		if (!g)
			return key + "=" + name + ": " + st.kind() + " " + st.name + " has no field " + name;
		if (g == &f)
			return key + "=" + name + ": names the pointer itself";
		if (!g->is_integer())
			return key + "=" + name + ": field " + name + " is not an integer (" + g->type + ")";
		return "";
	};
	auto need_struct = [&](const std::string &key, const std::string &name) -> std::string {
		if (!s.find_struct(name))
			return key + "=" + name + ": no struct " + name + " in " + s.header;
		return "";
	};
	if (a.pad && (a.mbz || a.dir != Dir::Unset || !a.handle.empty() || a.impl != Impl::None ||
		      !a.flags.empty() || !a.enum_name.empty() || a.ptr != Ptr::None))
		return "pad excludes every other key (a pad carries no value)";
	if (!a.handle.empty()) {
		const auto &k = s.handle_kinds;
		if (std::find(k.begin(), k.end(), a.handle) == k.end()) {
			std::string known;
			for (const auto &x : k)
				known += (known.empty() ? "" : ", ") + x;
			return "handle=" + a.handle + ": unknown handle kind '" + a.handle +
			       "' (known: " + known + "; a DOC comment declares more with "
			       "[refgpu: handle-kinds=KIND ...])";
		}
		if (!f.is_integer())
			return "handle=" + a.handle + ": the field is not an integer (" + f.type + ")";
		if (a.handle_role == HandleRole::Create && a.dir == Dir::In)
			return "handle=" + a.handle + ":create on an input-only field (the kernel writes a created handle)";
	}
	if (a.impl != Impl::None) {
		if (!f.is_integer())
			return "impl: the field is not an integer (" + f.type + ")";
		if (a.dir == Dir::In)
			return "impl on an input-only field (the kernel chooses an implementation-defined value)";
	}
	if (!a.flags.empty() && !a.enum_name.empty())
		return "flags= and enum= exclude each other";
	for (const auto &[key, name] : {std::pair{"flags", &a.flags}, {"enum", &a.enum_name}}) {
		if (name->empty())
			continue;
		if (!s.find_enum(*name))
			return std::string(key) + "=" + *name + ": no enum " + *name + " in " + s.header;
		if (!f.is_integer())
			return std::string(key) + "=" + *name + ": the field is not an integer (" + f.type + ")";
	}
	if (a.ptr == Ptr::None) {
		for (const auto &[key, v] : {std::pair{"elem", &a.elem}, {"count", &a.count},
					     {"stride", &a.stride}, {"size", &a.size}, {"select", &a.select}})
			if (!v->empty())
				return std::string(key) + "= needs ptr= (it describes what a pointer points to)";
		if (!a.cases.empty())
			return "case= needs ptr=buffer and select=";
		if (a.data != Dir::Unset || a.nullable)
			return std::string(a.nullable ? "nullable" : "data=") + " needs ptr=";
		return "";
	}
	// A __u64, or (older UAPI such as drm.h's drm_version) a C pointer of
	// the 64-bit layout.
	bool c_pointer = !f.canonical.empty() && f.canonical.back() == '*' && f.size == 8;
	if (!c_pointer && (!f.is_integer() || f.size != 8 || f.canonical.find("unsigned") == std::string::npos))
		return "ptr=" + to_string(a.ptr) + ": a user pointer is a __u64; field " + f.name + " is " +
		       f.type + " (" + std::to_string(f.size) + " bytes)";
	std::string e;
	switch (a.ptr) {
	case Ptr::Array:
		if (a.elem.empty())
			return "ptr=array needs elem=STRUCT (the element type)";
		if (a.count.empty())
			return "ptr=array needs count=FIELD (the sibling field holding the element count)";
		if (!a.size.empty() || !a.select.empty() || !a.cases.empty())
			return "ptr=array takes elem, count, stride (size, select and case are for ptr=buffer)";
		if ((!scalar_size(a.elem) && !(e = need_struct("elem", a.elem)).empty()) ||
		    !(e = sibling("count", a.count)).empty())
			return e;
		if (!a.stride.empty() && !(e = sibling("stride", a.stride)).empty())
			return e;
		break;
	case Ptr::Buffer:
		if (a.size.empty())
			return "ptr=buffer needs size=FIELD (the sibling field holding its size in bytes)";
		if (!a.count.empty() || !a.stride.empty())
			return "ptr=buffer takes size, select, case, elem (count and stride are for ptr=array)";
		if (!(e = sibling("size", a.size)).empty())
			return e;
		if (!a.elem.empty() && !(e = need_struct("elem", a.elem)).empty())
			return e;
		if (a.select.empty() != a.cases.empty())
			return a.select.empty() ? "case= needs select=FIELD (the field whose value picks the case)"
						: "select=" + a.select + " needs at least one case=VALUE:STRUCT";
		if (!a.select.empty()) {
			if (!a.elem.empty())
				return "ptr=buffer takes elem= or select= with case=, not both";
			if (!(e = sibling("select", a.select)).empty())
				return e;
			const Field *sel = st.field(a.select);
			const Enum *en = sel->ann.enum_name.empty() ? nullptr : s.find_enum(sel->ann.enum_name);
			for (const auto &[v, stn] : a.cases) {
				if (!(en ? en->value(v) : s.find_enum_value(v)))
					return "case=" + v + ":" + stn + ": " + v + " is not a value of " +
					       (en ? "enum " + en->name + " (select=" + a.select + "'s enum=)"
						   : "any enum of " + s.header);
				if (!(e = need_struct("case", stn)).empty())
					return e;
			}
		}
		break;
	case Ptr::Struct:
		if (a.elem.empty())
			return "ptr=struct needs elem=STRUCT";
		if (!a.count.empty() || !a.stride.empty() || !a.size.empty() || !a.select.empty() ||
		    !a.cases.empty())
			return "ptr=struct takes elem only";
		return need_struct("elem", a.elem);
	case Ptr::None:
		break;
	}
	return "";
}

} // namespace

std::vector<DocComment> doc_comments(const std::string &t)
{
	std::vector<DocComment> out;
	unsigned line = 1;
	std::size_t i = 0, n = t.size();
	auto advance = [&](std::size_t to) {
		for (; i < to && i < n; i++)
			if (t[i] == '\n')
				line++;
	};
	while (i < n) {
		char c = t[i];
		if (c == '"' || c == '\'') {
			std::size_t j = i + 1;
			while (j < n && t[j] != c && t[j] != '\n')
				j += t[j] == '\\' ? 2 : 1;
			advance(j + 1);
		} else if (c == '/' && i + 1 < n && t[i + 1] == '/') {
			std::size_t j = t.find('\n', i);
			advance(j == std::string::npos ? n : j);
		} else if (c == '/' && i + 1 < n && t[i + 1] == '*') {
			std::size_t end = t.find("*/", i + 2);
			if (end == std::string::npos)
				end = n;
			bool doc = i + 2 < n && t[i + 2] == '*' && !(i + 3 < n && t[i + 3] == '/');
			DocComment dc;
			dc.start_line = line;
			if (doc) {
				std::string body = t.substr(i + 3, end - (i + 3));
				unsigned l = line;
				std::size_t p = 0;
				while (p <= body.size()) {
					std::size_t nl = body.find('\n', p);
					std::string ln = body.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
					std::size_t b = ln.find_first_not_of(" \t");
					if (b != std::string::npos && ln[b] == '*' && !(p == 0))
						ln = ln.substr(b + 1);
					else if (b != std::string::npos)
						ln = ln.substr(b);
					else
						ln.clear();
					if (!ln.empty() && ln[0] == ' ')
						ln = ln.substr(1);
					while (!ln.empty() && (ln.back() == ' ' || ln.back() == '\t'))
						ln.pop_back();
					dc.lines.emplace_back(l, ln);
					if (nl == std::string::npos)
						break;
					p = nl + 1;
					l++;
				}
			}
			advance(end + 2);
			dc.end_line = line;
			if (doc)
				out.push_back(dc);
		} else {
			advance(i + 1);
		}
	}
	return out;
}

std::vector<std::string> apply_annotations(const std::string &text, const std::string &label,
					   Schema &s)
{
	return apply_annotations({{text, label, false}}, s);
}

std::vector<std::string> apply_annotations(const std::vector<AnnotationSource> &sources, Schema &s)
{
	std::vector<std::string> errors;
	std::string label;
	auto error = [&](unsigned line, const std::string &where, const std::string &msg) {
		errors.push_back(label + ":" + std::to_string(line) + ": " + where + msg);
	};
	std::vector<Pending> pending;
	std::vector<std::string> declared;
	for (const AnnotationSource &src : sources)
	for (const DocComment &c : doc_comments(src.text)) {
		label = src.label;
		Subject subj = subject_of(c);
		std::vector<std::pair<unsigned, std::string>> errs;
		auto raws = raw_annotations(c, subj.kind == Subject::Member, &errs);
		for (const auto &[l, m] : errs)
			error(l, "", m);
		if (raws.empty())
			continue;
		// Which structure the comment is about: the one it heads, or the
		// innermost one it is inside.
		std::string record;
		if (subj.kind == Subject::Record) {
			record = subj.name;
		} else if (subj.kind == Subject::Member && !src.sidecar) {
			unsigned best = ~0u;
			for (const auto &st : s.structs)
				if (st.line <= c.start_line && c.end_line <= st.end_line &&
				    st.end_line - st.line < best) {
					best = st.end_line - st.line;
					record = st.name;
				}
		}
		for (const RawAnnotation &r : raws) {
			auto items = split_items(r.body);
			if (subj.kind == Subject::Doc) {
				for (const auto &it : items) {
					if (it.key != "handle-kinds" || !it.has_value) {
						error(r.line, "", "a DOC comment's annotation declares handle-kinds=KIND ... only (got '" +
							     it.key + "')");
						continue;
					}
					std::size_t p = 0;
					std::string v = it.value + " ";
					while (p < v.size()) {
						std::size_t sp = v.find(' ', p);
						std::string k = v.substr(p, sp - p);
						p = sp + 1;
						if (k.empty())
							continue;
						const auto &b = builtin_handle_kinds();
						if (!is_ident(k))
							error(r.line, "", "handle-kinds: '" + k + "' is not a C identifier");
						else if (std::find(b.begin(), b.end(), k) != b.end() ||
							 std::find(declared.begin(), declared.end(), k) != declared.end())
							error(r.line, "", "handle-kinds: '" + k + "' declared twice (or built in)");
						else
							declared.push_back(k);
					}
				}
				continue;
			}
			if (subj.kind != Subject::Record && subj.kind != Subject::Member) {
				error(r.line, "", "annotation outside the kernel-doc of a structure member "
					     "(put it in an @member: description)");
				continue;
			}
			if (record.empty() && src.sidecar) {
				error(r.line, "", "a sidecar annotates members in the comment of their structure "
					     "(/** struct NAME - ... @member: ... [refgpu: ...] */)");
				continue;
			}
			if (record.empty()) {
				error(r.line, "", "member comment @" + subj.name + ": is not inside a structure of " + s.header);
				continue;
			}
			std::string where = "struct " + record + ": ";
			if (!s.find_struct(record)) {
				error(r.line, where, "no such structure in " + s.header);
				continue;
			}
			if (r.member.empty()) {
				error(r.line, where, "annotation outside an @member: description");
				continue;
			}
			Pending p{record, r.member, {}, src.label};
			p.ann.present = true;
			p.ann.line = r.line;
			std::string e = parse_member(items, &p.ann);
			if (!e.empty()) {
				error(r.line, where + "field " + r.member + ": ", e);
				continue;
			}
			pending.push_back(p);
		}
	}
	if (!errors.empty())
		return errors;

	Schema out = s;
	out.handle_kinds = builtin_handle_kinds();
	out.handle_kinds.insert(out.handle_kinds.end(), declared.begin(), declared.end());
	std::map<std::pair<std::string, std::string>, std::string> origin; // field -> its file
	for (const Pending &p : pending) {
		label = p.label;
		std::string where = "struct " + p.record + ": field " + p.member + ": ";
		Struct *st = nullptr;
		for (auto &x : out.structs)
			if (x.name == p.record)
				st = &x;
		Field *f = nullptr;
		for (auto &x : st->fields)
			if (x.name == p.member)
				f = &x;
		if (!f) {
			error(p.ann.line, where, "annotation names a missing field: " + st->kind() + " " +
							 st->name + " has no field " + p.member);
			continue;
		}
		if (f->ann.present) {
			error(p.ann.line, where, "annotated twice (first at line " +
							 std::to_string(f->ann.line) + ")");
			continue;
		}
		f->ann = p.ann;
		origin[{p.record, p.member}] = p.label;
	}
	if (!errors.empty())
		return errors;
	for (const auto &st : out.structs)
		for (const auto &f : st.fields)
			if (f.ann.present) {
				label = origin[{st.name, f.name}];
				std::string e = check_member(out, st, f);
				if (!e.empty())
					error(f.ann.line, "struct " + st.name + ": field " + f.name + ": ", e);
			}
	if (!errors.empty())
		return errors;
	for (auto &e : out.enums)
		for (const auto &st : out.structs)
			for (const auto &f : st.fields)
				if (f.ann.flags == e.name)
					e.is_flags = true;
	s = std::move(out);
	return errors;
}

} // namespace refgpu::schema
