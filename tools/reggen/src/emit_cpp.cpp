// SPDX-License-Identifier: MIT
// reggen: the C++ header (freestanding: no #include at all).

#include "reggen/reggen.hpp"
#include "util.hpp"

namespace reggen {

namespace {

// The hand-written part of every generated C++ header, inside the namespace.
const char common_part[] = R"(using u32 = unsigned int;
using u64 = unsigned long long;
static_assert(sizeof(u32) == 4, "u32 must be 32 bits wide");
static_assert(sizeof(u64) == 8, "u64 must be 64 bits wide");

/* How software may access a register. */
enum class Access : unsigned char { RO, RW, WO, W1C };

namespace detail {

/*
 * Declared only, and not constexpr: a consteval function that reaches a call
 * to it is not a constant expression, so the compiler rejects its caller and
 * names this function in the diagnostic.
 */
void value_does_not_fit_in_field();

template <typename A, typename B>
inline constexpr bool same_type = false;
template <typename A>
inline constexpr bool same_type<A, A> = true;

template <u64... Masks>
consteval bool disjoint()
{
	u64 seen = 0;
	bool ok = true;

	((ok = ok && (seen & Masks) == 0, seen |= Masks), ...);
	return ok;
}

} // namespace detail

/* A field value checked at compile time and shifted in place, for pack(). */
template <typename F>
struct FieldValue {
	using field = F;
	typename F::word bits;
};

/*
 * Field<Reg, Hi, Lo, W>: bits Hi..Lo of register (or structure) Reg, whose
 * word is W (u32; a 64-bit structure: u64).
 *   hi, lo, shift, width, mask, max   its bits and its largest value
 *   get(raw)          its value in a raw register value
 *   fits(v)           whether v fits
 *   encode(v)         v shifted in place; bits of v that do not fit are dropped
 *   replace(raw, v)   raw with the field replaced by encode(v)
 *   prep(v)           encode(v) at compile time; does not compile unless v fits
 *   of(v)             a FieldValue for pack<Reg>(); does not compile unless v fits
 */
template <typename Reg, u32 Hi, u32 Lo, typename W = u32>
struct Field {
	static_assert(Lo <= Hi && Hi < 8 * sizeof(W), "field bits out of range");

	using reg = Reg;
	using word = W;
	static constexpr bool is_enum = false;
	static constexpr u32 hi = Hi;
	static constexpr u32 lo = Lo;
	static constexpr u32 shift = Lo;
	static constexpr u32 width = Hi - Lo + 1;
	static constexpr W max = static_cast<W>(~W{ 0 } >> (8 * sizeof(W) - width));
	static constexpr W mask = static_cast<W>(max << shift);

	static constexpr W get(W raw)
	{
		return (raw & mask) >> shift;
	}

	static constexpr bool fits(W v)
	{
		return v <= max;
	}

	static constexpr W encode(W v)
	{
		return (v << shift) & mask;
	}

	static constexpr W replace(W raw, W v)
	{
		return (raw & ~mask) | encode(v);
	}

	static consteval W prep(W v)
	{
		if (!fits(v))
			detail::value_does_not_fit_in_field();
		return encode(v);
	}

	static consteval FieldValue<Field> of(W v)
	{
		return FieldValue<Field>{ prep(v) };
	}
};

/*
 * EnumField<Reg, E, Hi, Lo, W>: a field whose values are the enum class E.
 * The same members as Field, taking and returning E; plain is the Field
 * for the raw number.
 */
template <typename Reg, typename E, u32 Hi, u32 Lo, typename W = u32>
struct EnumField {
	using reg = Reg;
	using type = E;
	using plain = Field<Reg, Hi, Lo, W>;
	using word = W;
	static constexpr bool is_enum = true;
	static constexpr u32 hi = Hi;
	static constexpr u32 lo = Lo;
	static constexpr u32 shift = plain::shift;
	static constexpr u32 width = plain::width;
	static constexpr W max = plain::max;
	static constexpr W mask = plain::mask;

	static constexpr E get(W raw)
	{
		return static_cast<E>(plain::get(raw));
	}

	static constexpr bool fits(E v)
	{
		return plain::fits(static_cast<W>(v));
	}

	static constexpr W encode(E v)
	{
		return plain::encode(static_cast<W>(v));
	}

	static constexpr W replace(W raw, E v)
	{
		return plain::replace(raw, static_cast<W>(v));
	}

	static consteval W prep(E v)
	{
		return plain::prep(static_cast<W>(v));
	}

	static consteval FieldValue<EnumField> of(E v)
	{
		return FieldValue<EnumField>{ prep(v) };
	}
};

/*
 * pack<Reg>(F::of(v)...): the value to write to Reg (or to store as the
 * structure Reg), at compile time: the given fields, the Res1 bits set,
 * every other bit 0. A field of another register, or the same field twice,
 * does not compile.
 */
template <typename Reg, typename... F>
consteval auto pack(FieldValue<F>... values)
{
	constexpr bool own = (detail::same_type<typename F::reg, Reg> && ...);
	static_assert(own, "pack<Reg>(): a field of another register");
	static_assert(!own || detail::disjoint<F::mask...>(), "pack<Reg>(): a field given twice");
	return (Reg::res1 | ... | values.bits);
}

/* Reflection, with the names of the description ("GPU_ID"). */
struct RegInfo {
	const char *name;
	u32 offset; /* an Array: of element 0 */
	u32 count;  /* 1 for a Reg */
	u32 stride; /* 4 for a Reg (its size) */
	Access access;
	u32 reset;
	u32 res0;
	u32 res1;
	bool is_array;
};

struct FieldInfo {
	const char *reg;
	const char *name;
	u32 hi;
	u32 lo;
	u32 mask;
	bool is_enum;
};

struct EnumValueInfo {
	const char *reg;
	const char *field;
	const char *name;
	u32 value;
};

/* The same for structures, whose words may be 64 bits wide. */
struct StructInfo {
	const char *name;
	u32 width; /* 32 or 64 */
	u64 res0;
	u64 res1;
};

struct StructFieldInfo {
	const char *strct;
	const char *name;
	u32 hi;
	u32 lo;
	u64 mask;
	bool is_enum;
};

struct StructEnumValueInfo {
	const char *strct;
	const char *field;
	const char *name;
	u64 value;
};

namespace detail {

template <typename R>
consteval RegInfo reg_info()
{
	return RegInfo{ R::name, R::offset, 1, 4, R::access, R::reset, R::res0, R::res1, false };
}

template <typename R>
consteval RegInfo array_info()
{
	return RegInfo{ R::name, R::base, R::count, R::stride, R::access,
			R::reset, R::res0, R::res1, true };
}

template <typename F>
consteval FieldInfo field_info(const char *name)
{
	return FieldInfo{ F::reg::name, name, F::hi, F::lo, F::mask, F::is_enum };
}

template <typename F>
consteval EnumValueInfo enum_value_info(const char *field, const char *name, typename F::type v)
{
	return EnumValueInfo{ F::reg::name, field, name, static_cast<u32>(v) };
}

template <typename S>
consteval StructInfo struct_info()
{
	return StructInfo{ S::name, S::width, S::res0, S::res1 };
}

template <typename F>
consteval StructFieldInfo struct_field_info(const char *name)
{
	return StructFieldInfo{ F::reg::name, name, F::hi, F::lo, F::mask, F::is_enum };
}

template <typename F>
consteval StructEnumValueInfo struct_enum_value_info(const char *field, const char *name,
						     typename F::type v)
{
	return StructEnumValueInfo{ F::reg::name, field, name, static_cast<u64>(v) };
}

} // namespace detail
)";

const char header_doc[] = R"( *
 * For each register R (GPU_ID -> struct GpuId): name, access, reset, res0,
 * res1 and either offset (a Reg) or base, count, stride, offset(i) and
 * at<I>() (an Array); a field F (ARCH_MAJOR) is the type R::ArchMajor, a
 * Field<R, hi, lo>; an enumerated field F (STATE) is the enum class R::State
 * and the type R::StateField, an EnumField<R, State, hi, lo>.
 * A structure S (PTE -> struct Pte; one word in memory) has name, word,
 * width, res0, res1 and its fields like a register, in a u64 word when it
 * is 64 bits wide (Field<S, hi, lo, u64>).
 * registers[], fields[] and enum_values[] describe the registers as data,
 * structs[], struct_fields[] and struct_enum_values[] the structures.
 */
)";

// The field types of register or structure S; w is ", u64" for a 64-bit word.
void emit_fields(const std::string &S, const std::string &w, const std::vector<Field> &fields,
		 std::string &out)
{
	bool first = true;
	for (const Field &f : fields) {
		if (f.name.empty())
			continue;
		const std::string T = camel_case(f.name);
		const std::string bits = std::to_string(f.hi) + ", " + std::to_string(f.lo);
		if (first || f.kind == FieldKind::Enum)
			out += "\n";
		first = false;
		if (f.kind != FieldKind::Enum) {
			out += "\tusing " + T + " = Field<" + S + ", " + bits + w + ">;\n";
			continue;
		}
		out += "\tenum class " + T + " : " + (w.empty() ? "u32" : "u64") + " {\n";
		for (const EnumValue &v : f.values)
			out += "\t\t" + camel_case(v.name) + " = " + std::to_string(v.value) +
			       (v.value > 0xffffffffu ? "ull" : "") + ",\n";
		out += "\t};\n";
		out += "\tusing " + T + "Field = EnumField<" + S + ", " + T + ", " + bits + w +
		       ">;\n";
	}
}

void emit_register(const Description &d, const Register &r, std::string &out)
{
	const std::string S = camel_case(r.name);
	const int od = offset_digits(d.block.size);

	out += "/* " + r.name + (r.is_array ? "[" + std::to_string(r.count) + "]" : "") + " (" +
	       access_name(r.access) + ") */\n";
	out += "struct " + S + " {\n";
	out += "\tstatic constexpr const char name[] = \"" + r.name + "\";\n";
	if (r.is_array) {
		out += "\tstatic constexpr u32 base = " + hex(r.offset, od) + ";\n";
		out += "\tstatic constexpr u32 count = " + std::to_string(r.count) + ";\n";
		out += "\tstatic constexpr u32 stride = " + hex(r.stride) + ";\n";
	} else {
		out += "\tstatic constexpr u32 offset = " + hex(r.offset, od) + ";\n";
	}
	out += "\tstatic constexpr Access access = Access::" + std::string(access_name(r.access)) +
	       ";\n";
	out += "\tstatic constexpr u32 reset = " + hex(r.reset, 8) + ";\n";
	out += "\tstatic constexpr u32 res0 = " + hex(r.res0(), 8) + ";\n";
	out += "\tstatic constexpr u32 res1 = " + hex(r.res1(), 8) + ";\n";
	if (r.is_array) {
		out += "\n\tstatic constexpr u32 offset(u32 i)\n";
		out += "\t{\n\t\treturn base + i * stride;\n\t}\n";
		out += "\n\ttemplate <u32 I>\n\tstatic constexpr u32 at()\n\t{\n";
		out += "\t\tstatic_assert(I < count, \"" + r.name + " index out of range\");\n";
		out += "\t\treturn base + I * stride;\n\t}\n";
	}

	emit_fields(S, "", r.fields, out);
	out += "};\n\n";
}

void emit_struct(const Struct &st, std::string &out)
{
	const std::string S = camel_case(st.name);
	const bool wide = st.width == 64;
	const std::string word = wide ? "u64" : "u32";
	const int digits = wide ? 16 : 8;

	out += "/* " + st.name + " (a " + std::to_string(st.width) + "-bit word in memory) */\n";
	out += "struct " + S + " {\n";
	out += "\tstatic constexpr const char name[] = \"" + st.name + "\";\n";
	out += "\tusing word = " + word + ";\n";
	out += "\tstatic constexpr u32 width = " + std::to_string(st.width) + ";\n";
	out += "\tstatic constexpr " + word + " res0 = " + hex(st.res0(), digits) + ";\n";
	out += "\tstatic constexpr " + word + " res1 = " + hex(st.res1(), digits) + ";\n";
	emit_fields(S, wide ? ", u64" : "", st.fields, out);
	out += "};\n\n";
}

} // namespace

bool emit_cpp(const Description &d, std::string &out, Diagnostics &)
{
	const std::string ns = cpp_namespace(d) + "::regs";

	out = "/* SPDX-License-Identifier: MIT */\n";
	out += "/*\n * Generated by tools/reggen from " + d.basename + ". Do not edit.\n";
	out += " *\n * Registers of the " + d.block.name + " block, namespace " + ns + ".\n";
	out += header_doc;
	out += "#pragma once\n\n";
	out += "namespace " + ns + " {\n\n";
	out += common_part;
	out += "\ninline constexpr const char block_name[] = \"" + d.block.name + "\";\n";
	out += "inline constexpr u32 block_size = " + hex(d.block.size) + ";\n\n";

	for (const Register &r : d.regs)
		emit_register(d, r, out);
	for (const Struct &st : d.structs)
		emit_struct(st, out);

	out += "inline constexpr RegInfo registers[] = {\n";
	for (const Register &r : d.regs)
		out += std::string("\tdetail::") + (r.is_array ? "array_info<" : "reg_info<") +
		       camel_case(r.name) + ">(),\n";
	out += "};\n";
	out += "inline constexpr u32 register_count = " + std::to_string(d.regs.size()) + ";\n\n";

	std::string fields, values;
	std::size_t nfields = 0, nvalues = 0;
	for (const Register &r : d.regs) {
		const std::string S = camel_case(r.name);
		for (const Field &f : r.fields) {
			if (f.name.empty())
				continue;
			const std::string T = S + "::" + camel_case(f.name);
			const std::string F = f.kind == FieldKind::Enum ? T + "Field" : T;
			fields += "\tdetail::field_info<" + F + ">(\"" + f.name + "\"),\n";
			nfields++;
			for (const EnumValue &v : f.values) {
				values += "\tdetail::enum_value_info<" + F + ">(\"" + f.name +
					  "\", \"" + v.name + "\", " + T +
					  "::" + camel_case(v.name) + "),\n";
				nvalues++;
			}
		}
	}
	// A table without entries still has one (zeroed) element; use the counts.
	out += nfields ? "inline constexpr FieldInfo fields[] = {\n" + fields + "};\n" :
			 "inline constexpr FieldInfo fields[1] = {};\n";
	out += "inline constexpr u32 field_count = " + std::to_string(nfields) + ";\n\n";
	out += nvalues ? "inline constexpr EnumValueInfo enum_values[] = {\n" + values + "};\n" :
			 "inline constexpr EnumValueInfo enum_values[1] = {};\n";
	out += "inline constexpr u32 enum_value_count = " + std::to_string(nvalues) + ";\n\n";

	std::string structs, sfields, svalues;
	std::size_t nsfields = 0, nsvalues = 0;
	for (const Struct &st : d.structs) {
		const std::string S = camel_case(st.name);
		structs += "\tdetail::struct_info<" + S + ">(),\n";
		for (const Field &f : st.fields) {
			if (f.name.empty())
				continue;
			const std::string T = S + "::" + camel_case(f.name);
			const std::string F = f.kind == FieldKind::Enum ? T + "Field" : T;
			sfields += "\tdetail::struct_field_info<" + F + ">(\"" + f.name + "\"),\n";
			nsfields++;
			for (const EnumValue &v : f.values) {
				svalues += "\tdetail::struct_enum_value_info<" + F + ">(\"" +
					   f.name + "\", \"" + v.name + "\", " + T +
					   "::" + camel_case(v.name) + "),\n";
				nsvalues++;
			}
		}
	}
	out += d.structs.empty() ? "inline constexpr StructInfo structs[1] = {};\n" :
				   "inline constexpr StructInfo structs[] = {\n" + structs + "};\n";
	out += "inline constexpr u32 struct_count = " + std::to_string(d.structs.size()) + ";\n\n";
	out += nsfields ?
		       "inline constexpr StructFieldInfo struct_fields[] = {\n" + sfields + "};\n" :
		       "inline constexpr StructFieldInfo struct_fields[1] = {};\n";
	out += "inline constexpr u32 struct_field_count = " + std::to_string(nsfields) + ";\n\n";
	out += nsvalues ? "inline constexpr StructEnumValueInfo struct_enum_values[] = {\n" +
				  svalues + "};\n" :
			  "inline constexpr StructEnumValueInfo struct_enum_values[1] = {};\n";
	out += "inline constexpr u32 struct_enum_value_count = " + std::to_string(nsvalues) +
	       ";\n\n";
	out += "} // namespace " + ns + "\n";
	return true;
}

} // namespace reggen
