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

std::uint32_t Field::mask() const
{
	if (hi >= 32 || lo > hi)
		return 0;
	std::uint32_t top = hi == 31 ? ~0u : (1u << (hi + 1)) - 1;
	return top & ~((1u << lo) - 1);
}

std::uint32_t Register::res0() const
{
	std::uint32_t m = 0;
	for (const auto &f : fields)
		if (f.kind == FieldKind::Res0)
			m |= f.mask();
	return m;
}

std::uint32_t Register::res1() const
{
	std::uint32_t m = 0;
	for (const auto &f : fields)
		if (f.kind == FieldKind::Res1)
			m |= f.mask();
	return m;
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
