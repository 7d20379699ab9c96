// SPDX-License-Identifier: MIT
// reggen: the C++ header (freestanding: no #include at all).

#include "reggen/reggen.hpp"
#include "util.hpp"

namespace reggen {

namespace {

// The hand-written part of every generated C++ header, inside the namespace.
const char common_part[] = R"(using u32 = unsigned int;
static_assert(sizeof(u32) == 4, "u32 must be 32 bits wide");

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

template <u32... Masks>
consteval bool disjoint()
{
	u32 seen = 0;
	bool ok = true;

	((ok = ok && (seen & Masks) == 0, seen |= Masks), ...);
	return ok;
}

} // namespace detail

/* A field value checked at compile time and shifted in place, for pack(). */
template <typename F>
struct FieldValue {
	using field = F;
	u32 bits;
};

/*
 * Field<Reg, Hi, Lo>: bits Hi..Lo of register Reg.
 *   hi, lo, shift, width, mask, max   its bits and its largest value
 *   get(raw)          its value in a raw register value
 *   fits(v)           whether v fits
 *   encode(v)         v shifted in place; bits of v that do not fit are dropped
 *   replace(raw, v)   raw with the field replaced by encode(v)
 *   prep(v)           encode(v) at compile time; does not compile unless v fits
 *   of(v)             a FieldValue for pack<Reg>(); does not compile unless v fits
 */
template <typename Reg, u32 Hi, u32 Lo>
struct Field {
	static_assert(Lo <= Hi && Hi < 32, "field bits out of range");

	using reg = Reg;
	static constexpr bool is_enum = false;
	static constexpr u32 hi = Hi;
	static constexpr u32 lo = Lo;
	static constexpr u32 shift = Lo;
	static constexpr u32 width = Hi - Lo + 1;
	static constexpr u32 max = ~0u >> (32 - width);
	static constexpr u32 mask = max << shift;

	static constexpr u32 get(u32 raw)
	{
		return (raw & mask) >> shift;
	}

	static constexpr bool fits(u32 v)
	{
		return v <= max;
	}

	static constexpr u32 encode(u32 v)
	{
		return (v << shift) & mask;
	}

	static constexpr u32 replace(u32 raw, u32 v)
	{
		return (raw & ~mask) | encode(v);
	}

	static consteval u32 prep(u32 v)
	{
		if (!fits(v))
			detail::value_does_not_fit_in_field();
		return encode(v);
	}

	static consteval FieldValue<Field> of(u32 v)
	{
		return FieldValue<Field>{ prep(v) };
	}
};

/*
 * EnumField<Reg, E, Hi, Lo>: a field whose values are the enum class E.
 * The same members as Field, taking and returning E; plain is the Field
 * for the raw number.
 */
template <typename Reg, typename E, u32 Hi, u32 Lo>
struct EnumField {
	using reg = Reg;
	using type = E;
	using plain = Field<Reg, Hi, Lo>;
	static constexpr bool is_enum = true;
	static constexpr u32 hi = Hi;
	static constexpr u32 lo = Lo;
	static constexpr u32 shift = plain::shift;
	static constexpr u32 width = plain::width;
	static constexpr u32 max = plain::max;
	static constexpr u32 mask = plain::mask;

	static constexpr E get(u32 raw)
	{
		return static_cast<E>(plain::get(raw));
	}

	static constexpr bool fits(E v)
	{
		return plain::fits(static_cast<u32>(v));
	}

	static constexpr u32 encode(E v)
	{
		return plain::encode(static_cast<u32>(v));
	}

	static constexpr u32 replace(u32 raw, E v)
	{
		return plain::replace(raw, static_cast<u32>(v));
	}

	static consteval u32 prep(E v)
	{
		return plain::prep(static_cast<u32>(v));
	}

	static consteval FieldValue<EnumField> of(E v)
	{
		return FieldValue<EnumField>{ prep(v) };
	}
};

/*
 * pack<Reg>(F::of(v)...): the value to write to Reg, at compile time: the
 * given fields, the Res1 bits set, every other bit 0. A field of another
 * register, or the same field twice, does not compile.
 */
template <typename Reg, typename... F>
consteval u32 pack(FieldValue<F>... values)
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

} // namespace detail
)";

const char header_doc[] = R"( *
 * For each register R (GPU_ID -> struct GpuId): name, access, reset, res0,
 * res1 and either offset (a Reg) or base, count, stride, offset(i) and
 * at<I>() (an Array); a field F (ARCH_MAJOR) is the type R::ArchMajor, a
 * Field<R, hi, lo>; an enumerated field F (STATE) is the enum class R::State
 * and the type R::StateField, an EnumField<R, State, hi, lo>.
 * registers[], fields[] and enum_values[] describe everything as data.
 */
)";

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

	bool first = true;
	for (const Field &f : r.fields) {
		if (f.name.empty())
			continue;
		const std::string T = camel_case(f.name);
		const std::string bits = std::to_string(f.hi) + ", " + std::to_string(f.lo);
		if (first || f.kind == FieldKind::Enum)
			out += "\n";
		first = false;
		if (f.kind != FieldKind::Enum) {
			out += "\tusing " + T + " = Field<" + S + ", " + bits + ">;\n";
			continue;
		}
		out += "\tenum class " + T + " : u32 {\n";
		for (const EnumValue &v : f.values)
			out += "\t\t" + camel_case(v.name) + " = " + std::to_string(v.value) +
			       ",\n";
		out += "\t};\n";
		out += "\tusing " + T + "Field = EnumField<" + S + ", " + T + ", " + bits + ">;\n";
	}
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
	out += "} // namespace " + ns + "\n";
	return true;
}

} // namespace reggen
