// SPDX-License-Identifier: MIT
// reggen: semantic checks of a parsed description.

#include "reggen/reggen.hpp"
#include "util.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

namespace reggen {

namespace {

constexpr unsigned supported_width = 32;
constexpr std::size_t max_c_name = 63; // significant initial characters guaranteed by C99

__extension__ typedef __int128 i128;

i128 floor_div(i128 a, i128 b) // b > 0
{
	i128 q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

i128 ceil_div(i128 a, i128 b) // b > 0
{
	return -floor_div(-a, b);
}

// Returns g = gcd(a, b) and x, y with a * x + b * y = g.
i128 ext_gcd(i128 a, i128 b, i128 &x, i128 &y)
{
	if (b == 0) {
		x = 1;
		y = 0;
		return a;
	}
	i128 x1, y1;
	i128 g = ext_gcd(b, a % b, x1, y1);
	x = y1;
	y = x1 - (a / b) * y1;
	return g;
}

// The first (i, j), smallest i, with a + i * sa == b + j * sb, i < ca, j < cb
// (strides > 0), if any.
std::optional<std::pair<std::uint64_t, std::uint64_t>>
first_common(std::uint64_t a, std::uint64_t sa, std::uint64_t ca, std::uint64_t b, std::uint64_t sb,
	     std::uint64_t cb)
{
	// i * sa - j * sb = d
	i128 d = static_cast<i128>(b) - static_cast<i128>(a);
	i128 x, y;
	i128 g = ext_gcd(sa, sb, x, y);

	if (d % g != 0)
		return std::nullopt;
	i128 period = static_cast<i128>(sb) / g;
	i128 i0 = ((x % period) * ((d / g) % period)) % period;
	if (i0 < 0)
		i0 += period;

	// j >= 0  <=>  i * sa >= d;  j < cb  <=>  i * sa <= cb * sb + d - 1
	i128 lo = std::max<i128>(0, ceil_div(d, sa));
	i128 hi = std::min<i128>(static_cast<i128>(ca) - 1,
				 floor_div(static_cast<i128>(cb) * sb + d - 1, sa));
	if (lo > hi)
		return std::nullopt;
	i128 i = lo + (((i0 - lo) % period) + period) % period;
	if (i > hi)
		return std::nullopt;
	i128 j = (static_cast<i128>(a) + i * sa - b) / sb;
	return std::make_pair(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(j));
}

bool is_cpp_keyword(const std::string &s)
{
	// The keywords and alternative tokens of C++20, and C's restrict.
	static const std::string_view keywords =
		" alignas alignof and and_eq asm auto bitand bitor bool break case catch char"
		" char8_t char16_t char32_t class compl concept const consteval constexpr"
		" constinit const_cast continue co_await co_return co_yield decltype default"
		" delete do double dynamic_cast else enum explicit export extern false float for"
		" friend goto if inline int long mutable namespace new noexcept not not_eq"
		" nullptr operator or or_eq private protected public register reinterpret_cast"
		" requires restrict return short signed sizeof static static_assert static_cast"
		" struct switch template this thread_local throw true try typedef typeid"
		" typename union unsigned using virtual void volatile wchar_t while xor xor_eq ";
	return keywords.find(" " + s + " ") != std::string_view::npos;
}

// "field NAME (bits 7:0)", "Res0 bits 31:8"
std::string describe(const Field &f)
{
	switch (f.kind) {
	case FieldKind::Res0:
		return "Res0 " + bits_str(f.hi, f.lo);
	case FieldKind::Res1:
		return "Res1 " + bits_str(f.hi, f.lo);
	default:
		return "field " + f.name + " (" + bits_str(f.hi, f.lo) + ")";
	}
}

class Checker {
public:
	explicit Checker(const Description &d)
		: d_(d)
	{
	}

	Diagnostics run();

private:
	void error(int line, std::string msg)
	{
		out_.push_back({ d_.file, line, std::move(msg) });
	}

	void block();
	void reg(const Register &r);
	void strct(const Struct &st);
	void body(const std::string &item, const std::string &noun, unsigned width,
		  const std::vector<Field> &fields, int end_line);
	void bit_coverage(const std::string &item, const std::string &noun, unsigned width,
			  const std::vector<Field> &fields, int end_line);
	void enum_values(const std::string &item, const Field &f);
	void names();
	void overlaps();
	void clashes();

	const Description &d_;
	Diagnostics out_;
	bool block_ok_ = true;
};

void Checker::block()
{
	const Block &b = d_.block;

	block_ok_ = b.size != 0 && b.size % 4 == 0 && b.size <= 0xfffffffcu;
	if (!block_ok_)
		error(b.line, "Block size " + hex(b.size) +
				      " must be a non-zero multiple of 4 that fits in 32 bits");
	if (is_cpp_keyword(cpp_namespace(d_)))
		error(b.line, "Block name " + b.name + " gives the C++ namespace '" +
				      cpp_namespace(d_) + "', a keyword");
	if (d_.regs.empty())
		error(b.line, "no registers (a Block needs at least one Reg or Array)");
}

void Checker::reg(const Register &r)
{
	const std::string what = "register " + r.name + ": ";

	if (r.width != supported_width) {
		error(r.line, what + "width " + std::to_string(r.width) +
				      " is not supported (only " + std::to_string(supported_width) +
				      ")");
		return; // the rest assumes the width
	}
	const unsigned bytes = r.width / 8;
	bool placed = true;

	if (r.offset % bytes != 0) {
		error(r.line, what + "offset " + hex(r.offset) + " is not aligned to " +
				      std::to_string(bytes) + " bytes");
		placed = false;
	}
	if (r.is_array) {
		if (r.count < 1) {
			error(r.line, what + "count 0 (an Array needs at least one register)");
			placed = false;
		}
		if (r.stride < bytes || r.stride % bytes != 0) {
			error(r.line, what + "stride " + hex(r.stride) + " must be a multiple of " +
					      std::to_string(bytes) + " of at least " +
					      std::to_string(bytes));
			placed = false;
		}
	}
	if (placed && block_ok_) {
		__extension__ typedef unsigned __int128
			u128; // no overflow: < 2^64 + (2^64 - 1)^2 + 4
		u128 end = static_cast<u128>(r.offset) + static_cast<u128>(r.count - 1) * r.stride +
			   bytes;
		if (end > d_.block.size) {
			u128 last_offset = end - bytes;
			std::string last;
			if (r.is_array && last_offset <= UINT64_MAX)
				last = " (last element at " +
				       hex(static_cast<std::uint64_t>(last_offset)) + ")";
			error(r.line, what + "ends beyond the " + hex(d_.block.size) +
					      "-byte Block " + d_.block.name + last);
		}
	}

	body("register " + r.name, "register", r.width, r.fields, r.end_line);

	if (r.reset > 0xffffffffu) {
		error(r.line, what + "reset value " + hex(r.reset) + " does not fit in 32 bits");
		return;
	}
	const std::uint32_t reset = static_cast<std::uint32_t>(r.reset);
	if (std::uint32_t bad = reset & r.res0())
		error(r.line,
		      what + "reset value " + hex(reset, 8) + " sets Res0 bits " + hex(bad, 8));
	if (std::uint32_t bad = ~reset & r.res1())
		error(r.line,
		      what + "reset value " + hex(reset, 8) + " clears Res1 bits " + hex(bad, 8));
}

void Checker::strct(const Struct &st)
{
	if (st.width != 32 && st.width != 64) {
		error(st.line, "struct " + st.name + ": width " + std::to_string(st.width) +
				       " is not supported (32 or 64)");
		return; // the rest assumes the width
	}
	body("struct " + st.name, "struct", st.width, st.fields, st.end_line);
}

// What registers and structs share: their fields.
void Checker::body(const std::string &item, const std::string &noun, unsigned width,
		   const std::vector<Field> &fields, int end_line)
{
	bit_coverage(item, noun, width, fields, end_line);

	std::map<std::string, int> names;
	for (const Field &f : fields) {
		if (f.name.empty())
			continue;
		auto [it, fresh] = names.emplace(f.name, f.line);
		if (!fresh)
			error(f.line, item + ": duplicate field name " + f.name +
					      " (first at line " + std::to_string(it->second) +
					      ")");
		if (f.kind == FieldKind::Enum)
			enum_values(item, f);
	}
}

// Every bit exactly once, from the top bit down.
void Checker::bit_coverage(const std::string &item, const std::string &noun, unsigned width,
			   const std::vector<Field> &fields, int end_line)
{
	const std::string what = item + ": ";
	long next = static_cast<long>(width) - 1; // the highest bit not declared yet

	for (const Field &f : fields) {
		const std::string desc = describe(f);
		const long hi = f.hi, lo = f.lo;

		if (hi >= static_cast<long>(width)) {
			error(f.line, what + desc + ": " + bits_str(hi, hi) + " is outside the " +
					      std::to_string(width) + "-bit " + noun);
		} else if (hi > next) {
			error(f.line,
			      what + desc + " overlaps bits declared above it (" +
				      (next < 0 ? std::string("all bits are declared already") :
						  "the next free bit is " + std::to_string(next)) +
				      "; fields go from the top bit down)");
		} else if (hi < next) {
			error(f.line, what + bits_str(next, hi + 1) + " are not declared before " +
					      desc +
					      " (fields go from the top bit down, without gaps)");
		}
		next = std::min(next, lo - 1);
	}
	if (next >= 0)
		error(end_line, what + bits_str(next, 0) + (next == 0 ? " is" : " are") +
					" not declared (every bit must be a field, Res0 or Res1)");
}

void Checker::enum_values(const std::string &item, const Field &f)
{
	const std::string what = item + ": field " + f.name + ": ";
	const unsigned width = f.hi < 64 ? f.hi - f.lo + 1 : 64;
	const std::uint64_t max =
		width == 64 ? ~std::uint64_t{ 0 } : (std::uint64_t{ 1 } << width) - 1;
	std::map<std::string, int> names;
	std::map<std::uint64_t, std::string> values;

	for (const EnumValue &v : f.values) {
		if (v.value > max)
			error(v.line, what + "value " + std::to_string(v.value) + " of " + v.name +
					      " does not fit in " + std::to_string(width) +
					      (width == 1 ? " bit" : " bits"));
		auto [n, fresh_name] = names.emplace(v.name, v.line);
		if (!fresh_name)
			error(v.line, what + "duplicate value name " + v.name + " (first at line " +
					      std::to_string(n->second) + ")");
		auto [o, fresh_value] = values.emplace(v.value, v.name);
		if (!fresh_value)
			error(v.line, what + "value " + std::to_string(v.value) + " of " + v.name +
					      " is already used by " + o->second);
	}
}

// Registers and structs share one namespace (C macros, C++ types).
void Checker::names()
{
	std::map<std::string, std::pair<int, bool>> seen; // name -> line, is a struct
	std::vector<std::pair<int, std::pair<std::string, bool>>> items;

	for (const Register &r : d_.regs)
		items.push_back({ r.line, { r.name, false } });
	for (const Struct &st : d_.structs)
		items.push_back({ st.line, { st.name, true } });
	std::stable_sort(items.begin(), items.end(),
			 [](const auto &a, const auto &b) { return a.first < b.first; });
	for (const auto &[line, item] : items) {
		const auto &[name, is_struct] = item;
		auto [it, fresh] = seen.emplace(name, std::make_pair(line, is_struct));
		if (fresh)
			continue;
		const std::string first = " (first at line " + std::to_string(it->second.first);
		if (!is_struct && !it->second.second)
			error(line, "duplicate register name " + name + first + ")");
		else
			error(line, "duplicate name " + name + first + ", a " +
					    (it->second.second ? "struct" : "register") + ")");
	}
}

// Registers are 4 bytes wide at 4-byte aligned offsets, so two overlap
// exactly when they share an offset. Arrays are arithmetic progressions.
void Checker::overlaps()
{
	auto elem = [](const Register &r, std::uint64_t i) {
		std::string s = "register " + r.name;
		if (r.is_array)
			s += "[" + std::to_string(i) + "]";
		return s + " (" + hex(r.offset + i * r.stride, 3) + ")";
	};

	for (std::size_t j = 1; j < d_.regs.size(); j++) {
		const Register &b = d_.regs[j];
		for (std::size_t i = 0; i < j; i++) {
			const Register &a = d_.regs[i];
			auto hit = first_common(a.offset, a.is_array ? a.stride : 4, a.count,
						b.offset, b.is_array ? b.stride : 4, b.count);
			if (!hit)
				continue;
			error(b.line, elem(b, hit->second) + " overlaps " + elem(a, hit->first) +
					      " from line " + std::to_string(a.line));
			break;
		}
	}
}

// Every name of the generated headers must be unique in its scope.
void Checker::clashes()
{
	struct Owner {
		std::string what;
		int line;
	};
	using Scope = std::map<std::string, Owner>;
	auto claim = [this](Scope &scope, std::string_view lang, const std::string &shown,
			    const std::string &name, const std::string &what, int line) {
		auto [it, fresh] = scope.emplace(name, Owner{ what, line });
		if (!fresh) {
			std::string other = it->second.what;
			if (it->second.line)
				other += " (line " + std::to_string(it->second.line) + ")";
			error(line, std::string(lang) + " name " + shown + " of " + what +
					    " clashes with " + other);
		} else if (lang == "C" && name.size() > max_c_name) {
			error(line, "C name " + name + " of " + what + " is longer than " +
					    std::to_string(max_c_name) + " characters");
		}
	};
	const std::string P = c_prefix(d_);
	const std::string reserved = "a name reserved by reggen";

	// C: one flat namespace of macros.
	Scope c;
	for (const char *s : { "REGS_H", "REGS_TABLE", "REG_TABLE_SIZE", "BLOCK_SIZE", "ACCESS_RO",
			       "ACCESS_RW", "ACCESS_WO", "ACCESS_W1C" })
		c.emplace(P + s, Owner{ reserved, 0 });
	// The fields and enum values of register or struct @name.
	auto c_fields = [&](const std::string &name, const std::vector<Field> &fields) {
		for (const Field &f : fields) {
			if (f.name.empty())
				continue;
			const std::string F = P + name + "_" + f.name;
			claim(c, "C", F, F, "field " + name + "." + f.name, f.line);
			for (const EnumValue &v : f.values) {
				const std::string V = F + "_" + v.name;
				claim(c, "C", V, V, "value " + name + "." + f.name + "." + v.name,
				      v.line);
			}
		}
	};
	for (const Register &r : d_.regs) {
		const std::string R = P + r.name;
		claim(c, "C", R, R, "register " + r.name, r.line);
		claim(c, "C", R + c_reset_suffix, R + c_reset_suffix,
		      "the reset value of " + r.name, r.line);
		claim(c, "C", R + "_ACCESS", R + "_ACCESS", "the access of " + r.name, r.line);
		claim(c, "C", R + "_RES0", R + "_RES0", "the Res0 mask of " + r.name, r.line);
		claim(c, "C", R + "_RES1", R + "_RES1", "the Res1 mask of " + r.name, r.line);
		if (r.is_array) {
			claim(c, "C", R + "_COUNT", R + "_COUNT", "the count of " + r.name, r.line);
			claim(c, "C", R + "_STRIDE", R + "_STRIDE", "the stride of " + r.name,
			      r.line);
		}
		c_fields(r.name, r.fields);
	}
	for (const Struct &st : d_.structs) {
		const std::string S = P + st.name;
		claim(c, "C", S + "_WIDTH", S + "_WIDTH", "the width of " + st.name, st.line);
		claim(c, "C", S + "_RES0", S + "_RES0", "the Res0 mask of " + st.name, st.line);
		claim(c, "C", S + "_RES1", S + "_RES1", "the Res1 mask of " + st.name, st.line);
		c_fields(st.name, st.fields);
	}

	// C++: the namespace, each register struct, each enum. Only without C
	// clashes: most names clash in both languages, once is enough.
	if (!out_.empty())
		return;
	Scope ns;
	for (const char *s :
	     { "Access", "Field", "EnumField", "FieldValue", "RegInfo", "FieldInfo",
	       "EnumValueInfo", "StructInfo", "StructFieldInfo", "StructEnumValueInfo" })
		ns.emplace(s, Owner{ reserved, 0 });
	// A register or struct: its type in the namespace, its fields in it.
	auto item = [&](const std::string &name, const std::string &kind, int line,
			const std::vector<Field> &fields) {
		const std::string S = camel_case(name);
		claim(ns, "C++", S, S, kind + " " + name, line);

		Scope st;
		for (const char *s : { "Access", "Field", "EnumField", "FieldValue" })
			st.emplace(s, Owner{ reserved, 0 });
		st.emplace(S, Owner{ (kind == "register" ? "the struct of register " :
							   "the type of struct ") +
					     name,
				     line });
		for (const Field &f : fields) {
			if (f.name.empty())
				continue;
			const std::string T = camel_case(f.name);
			const std::string what = "field " + name + "." + f.name;
			if (f.kind != FieldKind::Enum) {
				claim(st, "C++", S + "::" + T, T, what, f.line);
				continue;
			}
			claim(st, "C++", S + "::" + T, T, "the enum of " + what, f.line);
			claim(st, "C++", S + "::" + T + "Field", T + "Field", what, f.line);
			Scope en;
			for (const EnumValue &v : f.values) {
				const std::string E = camel_case(v.name);
				claim(en, "C++", S + "::" + T + "::" + E, E,
				      "value " + name + "." + f.name + "." + v.name, v.line);
			}
		}
	};
	for (const Register &r : d_.regs)
		item(r.name, "register", r.line, r.fields);
	for (const Struct &st : d_.structs)
		item(st.name, "struct", st.line, st.fields);
}

Diagnostics Checker::run()
{
	block();
	for (const Register &r : d_.regs)
		reg(r);
	for (const Struct &st : d_.structs)
		strct(st);
	names();
	// These assume sane registers; they would only add noise otherwise.
	if (out_.empty())
		overlaps();
	if (out_.empty())
		clashes();
	std::stable_sort(out_.begin(), out_.end(),
			 [](const Diagnostic &a, const Diagnostic &b) { return a.line < b.line; });
	return out_;
}

} // namespace

bool check(const Description &d, Diagnostics &diags)
{
	Diagnostics found = Checker(d).run();
	diags.insert(diags.end(), found.begin(), found.end());
	return found.empty();
}

} // namespace reggen
