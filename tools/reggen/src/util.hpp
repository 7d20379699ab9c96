// SPDX-License-Identifier: MIT
// reggen: small formatting helpers shared by the checks and the emitters.
#pragma once

#include <cstdint>
#include <string>

namespace reggen {

// "0x1f"; with digits, zero-padded to at least that many hex digits.
inline std::string hex(std::uint64_t v, int digits = 1)
{
	static const char xdigits[] = "0123456789abcdef";
	std::string s;

	do {
		s.insert(s.begin(), xdigits[v & 0xf]);
		v >>= 4;
	} while (v);
	while (static_cast<int>(s.size()) < digits)
		s.insert(s.begin(), '0');
	return "0x" + s;
}

// "bits 31:24", or "bit 3" for a single bit.
inline std::string bits_str(std::uint64_t hi, std::uint64_t lo)
{
	if (hi == lo)
		return "bit " + std::to_string(hi);
	return "bits " + std::to_string(hi) + ":" + std::to_string(lo);
}

// Hex digits for the offsets inside a block of this size: enough for its
// last byte ("0x00c" in a 0x1000-byte block).
inline int offset_digits(std::uint64_t block_size)
{
	int n = 1;
	for (std::uint64_t v = block_size - 1; v > 0xf; v >>= 4)
		n++;
	return n;
}

} // namespace reggen
