// SPDX-License-Identifier: MIT
// reggen: model helpers and the naming rules of the generated headers.

#include "reggen/reggen.hpp"

namespace reggen {

const char *access_name(Access a)
{
	switch (a) {
	case Access::RO:
		return "RO";
	case Access::RW:
		return "RW";
	case Access::WO:
		return "WO";
	case Access::W1C:
		return "W1C";
	}
	return "?";
}

std::uint64_t Field::mask() const
{
	if (hi >= 64 || lo > hi)
		return 0;
	std::uint64_t top = hi == 63 ? ~std::uint64_t{ 0 } : (std::uint64_t{ 1 } << (hi + 1)) - 1;
	return top & ~((std::uint64_t{ 1 } << lo) - 1);
}

namespace {

// The union of the ranges of this kind that lie below bit @width (those
// beyond it are refused by the checks).
std::uint64_t union_of(const std::vector<Field> &fields, FieldKind kind, unsigned width)
{
	std::uint64_t m = 0;
	for (const auto &f : fields)
		if (f.kind == kind && f.hi < width)
			m |= f.mask();
	return m;
}

} // namespace

std::uint32_t Register::res0() const
{
	return static_cast<std::uint32_t>(union_of(fields, FieldKind::Res0, 32));
}

std::uint32_t Register::res1() const
{
	return static_cast<std::uint32_t>(union_of(fields, FieldKind::Res1, 32));
}

std::uint64_t Struct::res0() const
{
	return union_of(fields, FieldKind::Res0, 64);
}

std::uint64_t Struct::res1() const
{
	return union_of(fields, FieldKind::Res1, 64);
}

std::string Diagnostic::str() const
{
	return file + ":" + std::to_string(line) + ": " + message;
}

std::string camel_case(std::string_view upper)
{
	std::string out;
	bool word_start = true;

	for (char c : upper) {
		if (c == '_') {
			word_start = true;
			continue;
		}
		if (!word_start && c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
		out += c;
		word_start = false;
	}
	return out;
}

std::string c_prefix(const Description &d)
{
	return d.block.name + "_";
}

std::string cpp_namespace(const Description &d)
{
	std::string out = d.block.name;
	for (char &c : out)
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
	return out;
}

} // namespace reggen
