// SPDX-License-Identifier: MIT
// The C and the C++ header generated from one description say the same.
//
// This file includes both headers, and also reads the C header as text with
// its own small parser, so that the comparison is set equality in both
// directions: every C macro is exactly one item of the C++ reflection tables
// (registers and structures) with the same value, and every C++ item has its
// C macro; a 64-bit structure's masks must be GENMASK_ULL() and its numbers
// ULL. The C table (<p>_reg_table) must equal the C++ registers[].
//
// Built once per description, with:
//   REGGEN_C_HEADER_PATH  path of the generated C header, as a string
//   REGGEN_C_INCLUDE, REGGEN_CPP_INCLUDE  "<name>.h", "<name>.hpp"
//   REGGEN_NS             the C++ namespace (refgpu::regs)
//   REGGEN_C_TABLE, REGGEN_C_TABLE_SIZE   refgpu_reg_table, REFGPU_REG_TABLE_SIZE
// and <P>_REGS_TABLE defined on the command line.

#define GENMASK(h, l) (((~0u) << (l)) & (~0u >> (31 - (h))))
#define GENMASK_ULL(h, l) (((~0ull) << (l)) & (~0ull >> (63 - (h))))
#include REGGEN_C_INCLUDE
#include REGGEN_CPP_INCLUDE

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include "test_util.hpp"

namespace regs = REGGEN_NS;

namespace {

// The name of the reset value macro (see tools/reggen/README.md).
const std::string reset_suffix = "_RESET_VALUE";

struct Value {
	enum Kind { Flag, Number, Mask, Array } kind = Flag;
	std::uint64_t number = 0;	    // Number; Mask: the mask
	unsigned hi = 0, lo = 0;	    // Mask
	std::uint64_t base = 0, stride = 0; // Array
	bool ull = false;		    // Number: ULL suffix; Mask: GENMASK_ULL

	std::string str() const
	{
		std::ostringstream s;
		switch (kind) {
		case Flag:
			return "(no value)";
		case Number:
			s << "0x" << std::hex << number << (ull ? "ULL" : "");
			break;
		case Mask:
			s << (ull ? "GENMASK_ULL(" : "GENMASK(") << hi << ", " << lo << ")";
			break;
		case Array:
			s << "(0x" << std::hex << base << " + (n) * 0x" << stride << ")";
			break;
		}
		return s.str();
	}

	bool operator==(const Value &o) const
	{
		if (kind != o.kind || ull != o.ull)
			return false;
		switch (kind) {
		case Flag:
			return true;
		case Number:
			return number == o.number;
		case Mask:
			return hi == o.hi && lo == o.lo && number == o.number;
		case Array:
			return base == o.base && stride == o.stride;
		}
		return false;
	}
};

Value number(std::uint64_t v, bool ull = false)
{
	Value x;
	x.kind = Value::Number;
	x.number = v;
	x.ull = ull;
	return x;
}

std::uint64_t genmask(unsigned hi, unsigned lo)
{
	return ((~std::uint64_t{ 0 }) << lo) & (~std::uint64_t{ 0 } >> (63 - hi));
}

Value mask(unsigned hi, unsigned lo, bool ull = false)
{
	Value x;
	x.kind = Value::Mask;
	x.hi = hi;
	x.lo = lo;
	x.number = genmask(hi, lo);
	x.ull = ull;
	return x;
}

Value array(std::uint64_t base, std::uint64_t stride)
{
	Value x;
	x.kind = Value::Array;
	x.base = base;
	x.stride = stride;
	return x;
}

using Macros = std::map<std::string, Value>;

std::uint64_t parse_number(const std::string &s)
{
	return std::stoull(s, nullptr, s.rfind("0x", 0) == 0 ? 16 : 10);
}

// Every #define of the header, evaluated; errors for anything unexpected.
Macros parse_c_header(const std::string &text, std::vector<std::string> &errors)
{
	static const std::regex define(R"(^#define ([A-Z][A-Z0-9_]*)(\(n\))?(?:[ \t]+(.*))?$)");
	static const std::regex num(R"(^(0x[0-9a-f]+|[0-9]+)(ULL)?$)");
	static const std::regex genmask(R"(^GENMASK(_ULL)?\(([0-9]+), ([0-9]+)\)$)");
	static const std::regex arr(R"(^\((0x[0-9a-f]+) \+ \(n\) \* (0x[0-9a-f]+)\)$)");
	static const std::regex ref(R"(^([A-Z][A-Z0-9_]*)$)");
	Macros out;
	std::istringstream in(text);
	int n = 0;

	for (std::string line; std::getline(in, line);) {
		n++;
		if (line.rfind("#define", 0) != 0)
			continue;
		std::smatch m;
		if (!std::regex_match(line, m, define)) {
			errors.push_back("line " + std::to_string(n) +
					 ": unparsed #define: " + line);
			continue;
		}
		const std::string name = m[1];
		const bool fn = m[2].matched;
		const std::string v = m[3].matched ? std::string(m[3]) : "";
		Value x;
		std::smatch vm;
		if (v.empty() && !fn) {
			x.kind = Value::Flag;
		} else if (fn && std::regex_match(v, vm, arr)) {
			x = array(parse_number(vm[1]), parse_number(vm[2]));
		} else if (fn) {
			errors.push_back("line " + std::to_string(n) +
					 ": unexpected function-like macro: " + line);
			continue;
		} else if (std::regex_match(v, vm, num)) {
			x = number(parse_number(vm[1]), vm[2].matched);
		} else if (std::regex_match(v, vm, genmask)) {
			x = mask(static_cast<unsigned>(parse_number(vm[2])),
				 static_cast<unsigned>(parse_number(vm[3])), vm[1].matched);
		} else if (std::regex_match(v, vm, ref)) {
			auto it = out.find(vm[1]);
			if (it == out.end() || it->second.kind != Value::Number) {
				errors.push_back("line " + std::to_string(n) +
						 ": refers to an unknown macro: " + line);
				continue;
			}
			x = it->second;
		} else {
			errors.push_back("line " + std::to_string(n) +
					 ": unexpected value: " + line);
			continue;
		}
		if (!out.emplace(name, x).second)
			errors.push_back("line " + std::to_string(n) + ": " + name +
					 " defined twice");
	}
	return out;
}

// What the C header must define, from the C++ reflection tables.
Macros expected_from_cpp(std::vector<std::string> &errors)
{
	Macros out;
	auto add = [&](const std::string &name, const Value &v) {
		if (!out.emplace(name, v).second)
			errors.push_back("two C++ items map to the C name " + name);
	};
	const std::string P = std::string(regs::block_name) + "_";

	add(P + "REGS_H", Value{});
	add(P + "BLOCK_SIZE", number(regs::block_size));
	add(P + "ACCESS_RO", number(static_cast<unsigned>(regs::Access::RO)));
	add(P + "ACCESS_RW", number(static_cast<unsigned>(regs::Access::RW)));
	add(P + "ACCESS_WO", number(static_cast<unsigned>(regs::Access::WO)));
	add(P + "ACCESS_W1C", number(static_cast<unsigned>(regs::Access::W1C)));
	add(P + "REG_TABLE_SIZE", number(regs::register_count));
	for (const regs::RegInfo &r : regs::registers) {
		const std::string R = P + r.name;
		if (r.is_array) {
			add(R, array(r.offset, r.stride));
			add(R + "_COUNT", number(r.count));
			add(R + "_STRIDE", number(r.stride));
		} else {
			add(R, number(r.offset));
		}
		add(R + reset_suffix, number(r.reset));
		add(R + "_ACCESS", number(static_cast<unsigned>(r.access)));
		add(R + "_RES0", number(r.res0));
		add(R + "_RES1", number(r.res1));
	}
	for (unsigned i = 0; i < regs::field_count; i++) {
		const regs::FieldInfo &f = regs::fields[i];
		add(P + f.reg + "_" + f.name, mask(f.hi, f.lo));
		if (genmask(f.hi, f.lo) != f.mask)
			errors.push_back(std::string("C++ mask of ") + f.reg + "." + f.name +
					 " is not GENMASK(hi, lo)");
	}
	for (unsigned i = 0; i < regs::enum_value_count; i++) {
		const regs::EnumValueInfo &v = regs::enum_values[i];
		add(P + v.reg + "_" + v.field + "_" + v.name, number(v.value));
	}

	// Structures: 64-bit ones in GENMASK_ULL() and ULL numbers.
	std::map<std::string, unsigned> width;
	for (unsigned i = 0; i < regs::struct_count; i++) {
		const regs::StructInfo &st = regs::structs[i];
		const std::string S = P + st.name;
		const bool wide = st.width == 64;
		width[st.name] = st.width;
		add(S + "_WIDTH", number(st.width));
		add(S + "_RES0", number(st.res0, wide));
		add(S + "_RES1", number(st.res1, wide));
	}
	for (unsigned i = 0; i < regs::struct_field_count; i++) {
		const regs::StructFieldInfo &f = regs::struct_fields[i];
		add(P + f.strct + "_" + f.name, mask(f.hi, f.lo, width[f.strct] == 64));
		if (genmask(f.hi, f.lo) != f.mask)
			errors.push_back(std::string("C++ mask of ") + f.strct + "." + f.name +
					 " is not GENMASK_ULL(hi, lo)");
	}
	for (unsigned i = 0; i < regs::struct_enum_value_count; i++) {
		const regs::StructEnumValueInfo &v = regs::struct_enum_values[i];
		add(P + v.strct + "_" + v.field + "_" + v.name,
		    number(v.value, width[v.strct] == 64 && v.value > 0xffffffffu));
	}
	return out;
}

using reggen::test::read_file;

// @s with its first @from replaced by @to.
std::string replaced_str(std::string s, const std::string &from, const std::string &to)
{
	std::size_t at = s.find(from);
	if (at != std::string::npos)
		s.replace(at, from.size(), to);
	return s;
}

// Every difference between the C header @text and the C++ tables.
std::vector<std::string> differences(const std::string &text, Macros &c, Macros &cpp)
{
	std::vector<std::string> errors;
	c = parse_c_header(text, errors);
	cpp = expected_from_cpp(errors);

	for (const auto &[name, v] : c) {
		auto it = cpp.find(name);
		if (it == cpp.end())
			errors.push_back("C macro " + name + " = " + v.str() + " has no C++ item");
		else if (!(it->second == v))
			errors.push_back("C macro " + name + " = " + v.str() + " but C++ says " +
					 it->second.str());
	}
	for (const auto &[name, v] : cpp)
		if (!c.count(name))
			errors.push_back("C++ item " + name + " = " + v.str() + " has no C macro");
	return errors;
}

TEST(Equiv, CMacrosEqualCppTables)
{
	const std::string text = read_file(REGGEN_C_HEADER_PATH);
	ASSERT_FALSE(text.empty()) << REGGEN_C_HEADER_PATH;
	Macros c, cpp;
	std::vector<std::string> errors = differences(text, c, cpp);
	std::string all;
	for (const auto &e : errors)
		all += "  " + e + "\n";
	EXPECT_TRUE(errors.empty()) << all;
	EXPECT_EQ(c.size(), cpp.size());
	// Not vacuous.
	EXPECT_GT(c.size(), 5 * regs::register_count);
}

TEST(Equiv, CTableEqualsCppRegisters)
{
	constexpr std::size_t n = sizeof(REGGEN_C_TABLE) / sizeof(REGGEN_C_TABLE[0]);
	static_assert(n == regs::register_count);
	static_assert(REGGEN_C_TABLE_SIZE == regs::register_count);
	static_assert(sizeof(regs::registers) / sizeof(regs::registers[0]) == regs::register_count);

	for (std::size_t i = 0; i < n; i++) {
		const auto &c = REGGEN_C_TABLE[i];
		const regs::RegInfo &r = regs::registers[i];
		SCOPED_TRACE(r.name);
		EXPECT_STREQ(c.name, r.name);
		EXPECT_EQ(c.offset, r.offset);
		EXPECT_EQ(c.count, r.count);
		EXPECT_EQ(c.stride, r.stride);
		EXPECT_EQ(c.access, static_cast<unsigned>(r.access));
		EXPECT_EQ(c.reset, r.reset);
		EXPECT_EQ(c.res0, r.res0);
		EXPECT_EQ(c.res1, r.res1);
		if (!r.is_array) {
			EXPECT_EQ(r.count, 1u);
			EXPECT_EQ(r.stride, 4u);
		}
	}
}

// The comparison itself, on the real header with one planted change to the
// first structure: each must be reported, naming the macro.
TEST(Equiv, PlantedStructDifferencesAreCaught)
{
	ASSERT_GT(regs::struct_count, 0u) << "no structure to plant a difference in";
	const std::string text = read_file(REGGEN_C_HEADER_PATH);
	const std::string S = std::string(regs::block_name) + "_" + regs::structs[0].name;
	const bool wide = regs::structs[0].width == 64;
	auto line_of = [&text](const std::string &name) {
		std::size_t at = text.find("#define " + name + "\t");
		EXPECT_NE(at, std::string::npos) << name;
		return at == std::string::npos ? std::string() :
						 text.substr(at, text.find('\n', at) - at);
	};
	auto replaced = [&text](const std::string &from, const std::string &to) {
		EXPECT_NE(text.find(from), std::string::npos) << from;
		return replaced_str(text, from, to);
	};
	auto expect_caught = [](const std::string &t, const std::string &what) {
		Macros c, cpp;
		std::vector<std::string> errors = differences(t, c, cpp);
		bool named = false;
		for (const auto &e : errors)
			named |= e.find(what) != std::string::npos;
		EXPECT_TRUE(named)
			<< "not reported: " << what << " (" << errors.size() << " differences)";
	};
	const std::string res0 = line_of(S + "_RES0");
	const std::string field = S + "_" + regs::struct_fields[0].name;
	const std::string field_line = line_of(field);

	// The planted changes leave the control unchanged.
	Macros c, cpp;
	EXPECT_TRUE(differences(text, c, cpp).empty());
	// A wrong value, a missing macro, a macro C++ does not know.
	expect_caught(replaced(res0, "#define " + S + "_RES0\t0x1" + (wide ? "ULL" : "")),
		      "C macro " + S + "_RES0 = 0x1");
	expect_caught(replaced(field_line + "\n", ""), "C++ item " + field + " ");
	expect_caught(replaced(field_line, field_line + "\n#define " + S + "_EXTRA\t1"),
		      "C macro " + S + "_EXTRA");
	if (wide) {
		// A 64-bit word's mask without _ULL, its number without ULL.
		expect_caught(
			replaced(field_line, replaced_str(field_line, "GENMASK_ULL(", "GENMASK(")),
			"C macro " + field + " = GENMASK(");
		expect_caught(replaced(res0, replaced_str(res0, "ULL", "")),
			      "C macro " + S + "_RES0");
	}
}

// Every bit of the word of @name (the bits of @all) is exactly one of a
// field (of @fields, those whose owner is @name), Res0 or Res1.
template <typename F, typename Owner>
void expect_tiled(const char *name, std::uint64_t all, std::uint64_t res0, std::uint64_t res1,
		  const F *fields, unsigned n, Owner owner)
{
	std::uint64_t covered = res0 | res1;
	EXPECT_EQ(res0 & res1, 0u);
	for (unsigned i = 0; i < n; i++) {
		if (std::strcmp(owner(fields[i]), name) != 0)
			continue;
		EXPECT_EQ(covered & fields[i].mask, 0u) << fields[i].name;
		covered |= fields[i].mask;
	}
	EXPECT_EQ(covered, all);
}

// Every enum value belongs to an enumerated field of its owner and fits it.
template <typename V, typename F, typename VOwner, typename FOwner>
void expect_values_fit(const V *values, unsigned nv, const F *fields, unsigned nf, VOwner vowner,
		       FOwner fowner)
{
	for (unsigned i = 0; i < nv; i++) {
		const V &v = values[i];
		bool found = false;
		for (unsigned j = 0; j < nf; j++) {
			const F &f = fields[j];
			if (std::strcmp(fowner(f), vowner(v)) == 0 &&
			    std::strcmp(f.name, v.field) == 0) {
				found = true;
				EXPECT_TRUE(f.is_enum) << v.name;
				EXPECT_LE(v.value, f.mask >> f.lo) << v.name;
			}
		}
		EXPECT_TRUE(found) << vowner(v) << "." << v.field << "." << v.name;
	}
}

// The generated data itself: every bit of a register is exactly one of a
// field, Res0 or Res1; the reset value respects Res0/Res1; enum values fit.
TEST(Equiv, TablesAreConsistent)
{
	auto reg = [](const auto &x) { return x.reg; };
	for (const regs::RegInfo &r : regs::registers) {
		SCOPED_TRACE(r.name);
		expect_tiled(r.name, 0xffffffffu, r.res0, r.res1, regs::fields, regs::field_count,
			     reg);
		EXPECT_EQ(r.reset & r.res0, 0u);
		EXPECT_EQ(~r.reset & r.res1, 0u);
		EXPECT_EQ(r.offset % 4, 0u);
		EXPECT_LE(r.offset + (r.count - 1) * r.stride + 4, regs::block_size);
	}
	expect_values_fit(regs::enum_values, regs::enum_value_count, regs::fields,
			  regs::field_count, reg, reg);
}

// The same for the structures, whose words are 32 or 64 bits wide.
TEST(Equiv, StructTablesAreConsistent)
{
	EXPECT_GT(regs::struct_count, 0u) << "no structures: nothing would be checked";
	auto strct = [](const auto &x) { return x.strct; };
	for (unsigned i = 0; i < regs::struct_count; i++) {
		const regs::StructInfo &st = regs::structs[i];
		SCOPED_TRACE(st.name);
		ASSERT_TRUE(st.width == 32 || st.width == 64);
		expect_tiled(st.name, st.width == 64 ? ~std::uint64_t{ 0 } : 0xffffffffu, st.res0,
			     st.res1, regs::struct_fields, regs::struct_field_count, strct);
	}
	expect_values_fit(regs::struct_enum_values, regs::struct_enum_value_count,
			  regs::struct_fields, regs::struct_field_count, strct, strct);
}

} // namespace
