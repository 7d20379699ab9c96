// SPDX-License-Identifier: MIT
// reggen: parser, model, checks and emitters for the refgpu register
// description format (see shared-uapi/regs/refgpu.regs for the format).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reggen {

enum class Access { RO, RW, WO, W1C };

const char *access_name(Access a);

struct EnumValue {
	std::string name;
	std::uint64_t value = 0;
	int line = 0;
};

enum class FieldKind { Field, Enum, Res0, Res1 };

struct Field {
	FieldKind kind = FieldKind::Field;
	std::string name; // empty for Res0/Res1
	unsigned hi = 0;
	unsigned lo = 0;
	std::vector<EnumValue> values; // Enum only, in file order
	int line = 0;
	int end_line = 0; // EndEnum line (Enum only)

	// Mask of bits hi..lo; 0 unless lo <= hi < 64.
	std::uint64_t mask() const;
};

struct Register {
	std::string name;
	bool is_array = false;
	std::uint64_t offset = 0;
	unsigned width = 0;
	Access access = Access::RO;
	std::uint64_t reset = 0;
	std::uint64_t count = 1;   // 1 for a plain Reg
	std::uint64_t stride = 0;  // 0 for a plain Reg
	std::vector<Field> fields; // in file order, Res0/Res1 included
	int line = 0;
	int end_line = 0; // EndReg line

	std::uint32_t res0() const; // union of the Res0 ranges
	std::uint32_t res1() const; // union of the Res1 ranges
};

// A Struct: the layout of one word in memory (a page-table entry), described
// like a register but with no offset, access or reset value.
struct Struct {
	std::string name;
	unsigned width = 0;	   // 32 or 64 once checked
	std::vector<Field> fields; // in file order, Res0/Res1 included
	int line = 0;
	int end_line = 0; // EndStruct line

	std::uint64_t res0() const; // union of the Res0 ranges
	std::uint64_t res1() const; // union of the Res1 ranges
};

struct Block {
	std::string name;
	std::uint64_t size = 0;
	int line = 0;
};

struct Description {
	std::string file;     // path as given, used in diagnostics
	std::string basename; // used in the generated banners
	Block block;
	std::vector<Register> regs;  // in file order
	std::vector<Struct> structs; // in file order
};

struct Diagnostic {
	std::string file;
	int line = 0;
	std::string message;

	// "file:line: message"
	std::string str() const;
};

using Diagnostics = std::vector<Diagnostic>;

// Syntax only: fills out and appends syntax errors to diags.
// Returns true when there were none.
bool parse(std::string_view text, const std::string &file, Description &out, Diagnostics &diags);

// The semantic checks on a parsed description (bit coverage, reset value,
// enums, names, alignment, overlaps, struct widths, clashes of generated
// names).
// Returns true when there were no errors. Diagnostics are sorted by line.
bool check(const Description &d, Diagnostics &diags);

// parse() then, if it succeeded, check().
bool load(std::string_view text, const std::string &file, Description &out, Diagnostics &diags);

// The generated headers. They expect a checked description; they fail only
// when a generated C line would exceed 100 columns.
bool emit_c(const Description &d, std::string &out, Diagnostics &diags);
bool emit_cpp(const Description &d, std::string &out, Diagnostics &diags);

// Names used in the generated headers.
//
// The C macro of a register's reset value is P_R_RESET_VALUE, not P_R_RESET:
// a field named RESET (SOFT_RESET.RESET) would be P_R_RESET as well.
inline constexpr const char c_reset_suffix[] = "_RESET_VALUE";
std::string camel_case(std::string_view upper);	 // GPU_ID -> GpuId
std::string c_prefix(const Description &d);	 // "REFGPU_"
std::string cpp_namespace(const Description &d); // "refgpu"

enum class WriteResult { Unchanged, Written, Error };

// Writes content to path through a temporary file in the same directory and
// rename(), and only when the file does not already hold exactly content
// (so its timestamp is kept and nothing downstream rebuilds).
WriteResult write_if_changed(const std::string &path, std::string_view content, std::string &error);

} // namespace reggen
