// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "abi.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace refgpu::schema {

namespace {

constexpr const char *kMagic = "refgpu-abi";
constexpr int kAbiVersion = 1;
constexpr unsigned kDrmIoctlType = 'd'; // DRM_IOCTL_BASE

std::string value_text(std::int64_t v)
{
	return v < 0 ? std::to_string(v) : hex(static_cast<std::uint64_t>(v));
}

bool parse_int(const std::string &s, std::int64_t *out)
{
	if (s.empty())
		return false;
	try {
		std::size_t used = 0;
		if (s[0] == '-')
			*out = std::stoll(s, &used, 0);
		else
			*out = static_cast<std::int64_t>(std::stoull(s, &used, 0));
		return used == s.size();
	} catch (const std::exception &) {
		return false;
	}
}

} // namespace

std::string to_string(Severity s)
{
	switch (s) {
	case Severity::Break:
		return "BREAK";
	case Severity::Compatible:
		return "compatible";
	case Severity::Note:
		return "note";
	}
	return "?";
}

std::size_t count(const std::vector<Change> &c, Severity s)
{
	return static_cast<std::size_t>(
		std::count_if(c.begin(), c.end(), [s](const Change &x) { return x.severity == s; }));
}

std::string abi_text(const Schema &s, const std::string &regenerate_hint)
{
	std::ostringstream o;
	o << "# ABI baseline of " << s.header << " (" << s.language << ", " << s.target
	  << "), written by refgpu-harness abi-check --update.\n";
	o << "# Review a change here like a change of the header: a line that changes or\n"
	  << "# goes away is an ABI break. Regenerate: " << regenerate_hint << "\n";
	o << kMagic << " " << kAbiVersion << " " << s.header << " " << s.language << " " << s.target << "\n";
	for (const auto &io : s.ioctls)
		o << "ioctl " << io.name << " number=" << hex(io.number) << " dir=" << io.dir_text()
		  << " type=" << hex(io.type) << " nr=" << hex(io.nr) << " size=" << io.size
		  << " struct=" << (io.arg.empty() ? "-" : io.arg) << "\n";
	for (const auto &st : s.structs) {
		o << st.kind() << " " << st.name << " size=" << st.size << " align=" << st.align << "\n";
		for (const auto &f : st.fields) {
			o << "\tfield " << f.name << " offset=" << f.offset() << " size=" << f.size
			  << " align=" << f.align;
			if (f.bit_width >= 0)
				o << " bitoffset=" << f.offset_bits << " width=" << f.bit_width;
			if (!f.in_anonymous.empty())
				o << " anon=" << f.in_anonymous;
			if (f.ann.pad)
				o << " pad";
			o << " type=" << f.type << "\n";
		}
	}
	for (const auto &e : s.enums) {
		o << "enum " << e.name << " size=" << e.size << "\n";
		for (const auto &v : e.values)
			o << "\tvalue " << v.name << " " << value_text(v.value) << "\n";
	}
	for (const auto &c : s.constants)
		o << "const " << c.name << " " << value_text(c.value) << "\n";
	for (const auto &m : s.linear_macros)
		o << "linear " << m.name << " base=" << value_text(m.base) << " stride=" << value_text(m.stride)
		  << "\n";
	return o.str();
}

std::optional<Schema> parse_abi_text(const std::string &text, std::string *error)
{
	Schema s;
	std::istringstream in(text);
	std::string line;
	unsigned n = 0;
	bool magic = false;
	Struct *cur_struct = nullptr;
	Enum *cur_enum = nullptr;
	auto fail = [&](const std::string &m) {
		*error = "line " + std::to_string(n) + ": " + m;
		return std::nullopt;
	};
	while (std::getline(in, line)) {
		n++;
		if (line.empty() || line[0] == '#')
			continue;
		bool indented = line[0] == '\t';
		std::string rest = indented ? line.substr(1) : line;
		// "type=" takes the rest of the line (types have spaces).
		std::string type;
		if (auto t = rest.find(" type="); t != std::string::npos && rest.rfind("field ", 0) == 0) {
			type = rest.substr(t + 6);
			rest = rest.substr(0, t);
		}
		std::istringstream ls(rest);
		std::vector<std::string> w;
		for (std::string x; ls >> x;)
			w.push_back(x);
		if (w.empty())
			continue;
		std::map<std::string, std::string> kv;
		std::set<std::string> words;
		for (std::size_t i = 2; i < w.size(); i++) {
			auto eq = w[i].find('=');
			if (eq == std::string::npos)
				words.insert(w[i]);
			else
				kv[w[i].substr(0, eq)] = w[i].substr(eq + 1);
		}
		auto num = [&](const std::string &k, std::int64_t *v) {
			return kv.count(k) && parse_int(kv[k], v);
		};
		std::int64_t a = 0, b = 0, c = 0, d = 0;
		if (!magic) {
			if (w.size() != 5 || w[0] != kMagic)
				return fail("expected \"" + std::string(kMagic) + " VERSION HEADER LANG TARGET\"");
			if (w[1] != std::to_string(kAbiVersion))
				return fail("baseline format " + w[1] + ", this build reads " +
					    std::to_string(kAbiVersion));
			s.header = w[2];
			s.language = w[3];
			s.target = w[4];
			magic = true;
			continue;
		}
		if (w.size() < 2)
			return fail("expected KIND NAME ...");
		if (indented && w[0] == "field") {
			if (!cur_struct)
				return fail("field outside a struct");
			Field f;
			f.name = w[1];
			f.type = type;
			if (!num("offset", &a) || !num("size", &b) || !num("align", &c) || type.empty())
				return fail("field needs offset=, size=, align= and type=");
			f.offset_bits = static_cast<std::uint64_t>(a) * 8;
			f.size = static_cast<std::uint64_t>(b);
			f.align = static_cast<std::uint64_t>(c);
			if (kv.count("bitoffset")) {
				if (!num("bitoffset", &a) || !num("width", &d))
					return fail("bitoffset= needs width=");
				f.offset_bits = static_cast<std::uint64_t>(a);
				f.bit_width = static_cast<int>(d);
			}
			f.in_anonymous = kv.count("anon") ? kv["anon"] : "";
			f.ann.pad = words.count("pad") > 0;
			f.ann.present = f.ann.pad;
			cur_struct->fields.push_back(f);
			continue;
		}
		if (indented && w[0] == "value") {
			if (!cur_enum || w.size() != 3 || !parse_int(w[2], &a))
				return fail("expected \"value NAME NUMBER\" inside an enum");
			cur_enum->values.push_back({w[1], a, false});
			continue;
		}
		if (indented)
			return fail("unexpected indented line");
		cur_struct = nullptr;
		cur_enum = nullptr;
		if (w[0] == "ioctl") {
			Ioctl io;
			io.name = w[1];
			if (!num("number", &a) || !num("type", &b) || !num("nr", &c) || !num("size", &d) ||
			    !kv.count("dir") || !kv.count("struct"))
				return fail("ioctl needs number=, dir=, type=, nr=, size=, struct=");
			io.number = static_cast<std::uint64_t>(a);
			io.type = static_cast<unsigned>(b);
			io.nr = static_cast<unsigned>(c);
			io.size = static_cast<unsigned>(d);
			io.dir_write = kv["dir"] == "w" || kv["dir"] == "rw";
			io.dir_read = kv["dir"] == "r" || kv["dir"] == "rw";
			io.arg = kv["struct"] == "-" ? "" : kv["struct"];
			s.ioctls.push_back(io);
		} else if (w[0] == "struct" || w[0] == "union") {
			Struct st;
			st.name = w[1];
			st.is_union = w[0] == "union";
			if (!num("size", &a) || !num("align", &b))
				return fail(w[0] + " needs size= and align=");
			st.size = static_cast<std::uint64_t>(a);
			st.align = static_cast<std::uint64_t>(b);
			s.structs.push_back(st);
			cur_struct = &s.structs.back();
		} else if (w[0] == "enum") {
			Enum e;
			e.name = w[1];
			if (!num("size", &a))
				return fail("enum needs size=");
			e.size = static_cast<std::uint64_t>(a);
			s.enums.push_back(e);
			cur_enum = &s.enums.back();
		} else if (w[0] == "const") {
			if (w.size() != 3 || !parse_int(w[2], &a))
				return fail("expected \"const NAME NUMBER\"");
			s.constants.push_back({w[1], a, false});
		} else if (w[0] == "linear") {
			if (!num("base", &a) || !num("stride", &b))
				return fail("linear needs base= and stride=");
			s.linear_macros.push_back({w[1], a, b});
		} else {
			return fail("unknown line kind '" + w[0] + "'");
		}
	}
	if (!magic)
		return fail("empty baseline");
	return s;
}

namespace {

class Differ {
public:
	Differ(const Schema &old, const Schema &now, const CompareMode &m) : old_(old), now_(now), m_(m) {}

	std::vector<Change> run()
	{
		ioctls();
		structs();
		enums();
		named(old_.constants, now_.constants, "constant", [](const Constant &c) { return value_text(c.value); });
		named(old_.linear_macros, now_.linear_macros, "macro", [](const LinearMacro &l) {
			return "base " + value_text(l.base) + ", stride " + value_text(l.stride);
		});
		return out_;
	}

private:
	const Schema &old_, &now_;
	CompareMode m_;
	std::vector<Change> out_;
	std::map<std::string, bool> grew_compatibly_; // struct name -> only appended

	void add(Severity s, const std::string &subject, const std::string &msg)
	{
		if (m_.exact && s == Severity::Compatible)
			s = Severity::Break;
		out_.push_back({s, subject, msg});
	}
	std::string added() const { return m_.exact ? "only in the second build" : "added"; }
	std::string removed() const { return m_.exact ? "only in the first build" : "removed"; }

	static std::string arrow(const std::string &a, const std::string &b) { return a + " -> " + b; }
	static std::string arrow(std::uint64_t a, std::uint64_t b)
	{
		return std::to_string(a) + " -> " + std::to_string(b);
	}

	// Structures used as array elements without a stride in now.
	std::string strideless_user(const std::string &name) const
	{
		for (const auto &st : now_.structs)
			for (const auto &f : st.fields)
				if (f.ann.ptr == Ptr::Array && f.ann.elem == name && f.ann.stride.empty())
					return "struct " + st.name + " field " + f.name;
		return "";
	}

	void structs()
	{
		for (const auto &os : old_.structs) {
			std::string subj = os.kind() + " " + os.name;
			const Struct *ns = now_.find_struct(os.name);
			if (!ns) {
				add(Severity::Break, subj, removed());
				continue;
			}
			std::size_t breaks_before = count(out_, Severity::Break);
			if (os.is_union != ns->is_union)
				add(Severity::Break, subj, "became a " + ns->kind());
			std::set<std::string> replaced_into; // new fields inside replaced pads
			for (const auto &of : os.fields) {
				std::string fs = "field " + of.name + ": ";
				const Field *nf = ns->field(of.name);
				if (!nf) {
					std::vector<std::string> inside;
					bool spill = false;
					for (const auto &f : ns->fields) {
						if (os.field(f.name))
							continue;
						std::uint64_t b = f.offset(), e = b + f.size;
						if (e <= of.offset() || b >= of.offset() + of.size)
							continue;
						if (b >= of.offset() && e <= of.offset() + of.size)
							inside.push_back(f.name);
						else
							spill = true;
					}
					if (of.ann.pad && !m_.exact && !inside.empty() && !spill) {
						std::string names;
						for (const auto &x : inside) {
							names += (names.empty() ? "" : ", ") + x;
							replaced_into.insert(x);
						}
						add(Severity::Compatible, subj, fs + "replaced by " + names + " (it was padding)");
					} else {
						add(Severity::Break, subj, fs.substr(0, fs.size() - 2) + ": " + removed());
					}
					continue;
				}
				if (of.offset_bits != nf->offset_bits) {
					bool bits = of.bit_width >= 0 || nf->bit_width >= 0 || of.offset_bits % 8 ||
						    nf->offset_bits % 8;
					add(Severity::Break, subj,
					    fs + (bits ? "bit offset " + arrow(of.offset_bits, nf->offset_bits)
						       : "offset " + arrow(of.offset(), nf->offset())));
				}
				if (of.size != nf->size)
					add(Severity::Break, subj, fs + "size " + arrow(of.size, nf->size));
				if (of.type != nf->type)
					add(Severity::Break, subj, fs + "type " + arrow(of.type, nf->type));
				if (of.bit_width != nf->bit_width)
					add(Severity::Break, subj,
					    fs + "bit width " + arrow(std::to_string(of.bit_width), std::to_string(nf->bit_width)));
				if (of.in_anonymous != nf->in_anonymous)
					add(Severity::Break, subj,
					    fs + "anonymous member " +
						    arrow(of.in_anonymous.empty() ? "(none)" : of.in_anonymous,
							  nf->in_anonymous.empty() ? "(none)" : nf->in_anonymous));
				// Across targets the structure's alignment note says it.
				if (of.align != nf->align && !m_.alignment_is_note)
					add(Severity::Break, subj, fs + "align " + arrow(of.align, nf->align));
			}
			bool appended_only = true;
			for (const auto &nf : ns->fields) {
				if (os.field(nf.name) || replaced_into.count(nf.name))
					continue;
				if (nf.offset() >= os.size && !m_.exact) {
					add(Severity::Compatible, subj,
					    "field " + nf.name + ": appended at offset " + std::to_string(nf.offset()));
				} else {
					appended_only = false;
					add(Severity::Break, subj,
					    "field " + nf.name + ": " +
						    (m_.exact ? added() : "added at offset " + std::to_string(nf.offset()) +
										  ", inside the old layout"));
				}
			}
			bool field_breaks = count(out_, Severity::Break) > breaks_before;
			if (ns->size > os.size) {
				std::string user = strideless_user(os.name);
				if (!field_breaks && appended_only && !m_.exact && user.empty()) {
					add(Severity::Compatible, subj, "size " + arrow(os.size, ns->size) + " (grew at its end)");
					grew_compatibly_[os.name] = true;
				} else {
					add(Severity::Break, subj,
					    "size " + arrow(os.size, ns->size) +
						    (user.empty() || m_.exact ? ""
									      : " (" + user + " holds an array of it without stride=: old userspace steps by " +
											std::to_string(os.size) + " bytes)"));
				}
			} else if (ns->size < os.size) {
				add(Severity::Break, subj, "size " + arrow(os.size, ns->size));
			}
			if (os.align != ns->align)
				add(m_.alignment_is_note ? Severity::Note : Severity::Break, subj,
				    "align " + arrow(os.align, ns->align));
		}
		for (const auto &ns : now_.structs)
			if (!old_.find_struct(ns.name))
				add(Severity::Compatible, ns.kind() + " " + ns.name,
				    added() + " (size " + std::to_string(ns.size) + ")");
	}

	void ioctls()
	{
		// Structures first: an ioctl's size change is judged by its struct's.
		std::vector<Change> saved = out_;
		structs();
		out_ = saved;
		for (const auto &oi : old_.ioctls) {
			std::string subj = "ioctl " + oi.name;
			const Ioctl *ni = now_.find_ioctl(oi.name);
			if (!ni) {
				add(Severity::Break, subj, removed());
				continue;
			}
			std::string num = " (number " + arrow(hex(oi.number), hex(ni->number)) + ")";
			if (oi.nr != ni->nr)
				add(Severity::Break, subj, "nr " + arrow(hex(oi.nr), hex(ni->nr)) + num);
			if (oi.type != ni->type)
				add(Severity::Break, subj, "type " + arrow(hex(oi.type), hex(ni->type)) + num);
			if (oi.dir_text() != ni->dir_text())
				add(Severity::Break, subj, "direction " + arrow(oi.dir_text(), ni->dir_text()) + num);
			if (oi.arg != ni->arg)
				add(Severity::Break, subj,
				    "argument " + arrow(oi.arg.empty() ? "(none)" : "struct " + oi.arg,
							ni->arg.empty() ? "(none)" : "struct " + ni->arg));
			if (oi.size != ni->size) {
				bool grown = ni->size > oi.size && oi.arg == ni->arg && grew_compatibly_[oi.arg] &&
					     ni->type == kDrmIoctlType;
				add(grown ? Severity::Compatible : Severity::Break, subj,
				    "size " + arrow(oi.size, ni->size) + num +
					    (grown ? ": drm_ioctl() dispatches on nr and zero-extends an old, shorter argument" : ""));
			} else if (oi.number != ni->number && oi.nr == ni->nr && oi.type == ni->type &&
				   oi.dir_text() == ni->dir_text()) {
				add(Severity::Break, subj, "number " + arrow(hex(oi.number), hex(ni->number)));
			}
		}
		for (const auto &ni : now_.ioctls)
			if (!old_.find_ioctl(ni.name))
				add(Severity::Compatible, "ioctl " + ni.name, added() + " (number " + hex(ni.number) + ")");
	}

	void enums()
	{
		for (const auto &oe : old_.enums) {
			std::string subj = "enum " + oe.name;
			const Enum *ne = now_.find_enum(oe.name);
			if (!ne) {
				add(Severity::Break, subj, removed());
				continue;
			}
			if (oe.size != ne->size)
				add(Severity::Break, subj, "size " + arrow(oe.size, ne->size));
			for (const auto &ov : oe.values) {
				const EnumValue *nv = ne->value(ov.name);
				if (!nv)
					add(Severity::Break, subj, "value " + ov.name + ": " + removed());
				else if (nv->value != ov.value)
					add(Severity::Break, subj,
					    "value " + ov.name + ": " + arrow(value_text(ov.value), value_text(nv->value)));
			}
			for (const auto &nv : ne->values)
				if (!oe.value(nv.name))
					add(Severity::Compatible, subj,
					    "value " + nv.name + " = " + value_text(nv.value) + ": " + added());
		}
		for (const auto &ne : now_.enums)
			if (!old_.find_enum(ne.name))
				add(Severity::Compatible, "enum " + ne.name, added());
	}

	template <typename T, typename F>
	void named(const std::vector<T> &old, const std::vector<T> &now, const std::string &kind, F text)
	{
		auto find = [](const std::vector<T> &v, const std::string &n) -> const T * {
			for (const auto &x : v)
				if (x.name == n)
					return &x;
			return nullptr;
		};
		for (const auto &o : old) {
			const T *n = find(now, o.name);
			if (!n)
				add(Severity::Break, kind + " " + o.name, removed());
			else if (text(o) != text(*n))
				add(Severity::Break, kind + " " + o.name, arrow(text(o), text(*n)));
		}
		for (const auto &n : now)
			if (!find(old, n.name))
				add(Severity::Compatible, kind + " " + n.name, added() + " (" + text(n) + ")");
	}
};

} // namespace

std::vector<Change> compare(const Schema &old, const Schema &now, const CompareMode &mode)
{
	return Differ(old, now, mode).run();
}

std::vector<Change> implicit_padding(const Schema &s)
{
	std::vector<Change> out;
	for (const auto &st : s.structs) {
		if (st.is_union || st.size == 0)
			continue;
		std::vector<bool> used(st.size, false);
		for (const auto &f : st.fields) {
			std::uint64_t b = f.offset_bits / 8;
			std::uint64_t e = f.bit_width >= 0 ? (f.offset_bits + static_cast<unsigned>(f.bit_width) + 7) / 8
							   : b + f.size;
			for (std::uint64_t i = b; i < e && i < st.size; i++)
				used[i] = true;
		}
		for (std::uint64_t i = 0; i < st.size;) {
			if (used[i]) {
				i++;
				continue;
			}
			std::uint64_t j = i;
			while (j < st.size && !used[j])
				j++;
			std::string after;
			for (const auto &f : st.fields)
				if (f.offset() + f.size == i)
					after = f.name;
			out.push_back({Severity::Note, st.kind() + " " + st.name,
				       std::to_string(j - i) + " byte(s) of implicit padding at offset " +
					       std::to_string(i) +
					       (j == st.size ? " (at its end)" : after.empty() ? "" : " (after field " + after + ")")});
			i = j;
		}
	}
	return out;
}

} // namespace refgpu::schema
