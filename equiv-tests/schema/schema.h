// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The UAPI schema: what a UAPI header says about its ioctls, structures,
// enums and constants, as the compiler lays them out for one language and
// target, plus what its kernel-doc annotations add (see README.md). The
// harness knows nothing about a field that is not in here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace refgpu::schema {

inline constexpr int kSchemaFormatVersion = 1;

// Direction of a value through an ioctl, as userspace sees it.
enum class Dir { Unset, In, Out, InOut };
// What an ioctl does with a handle field.
enum class HandleRole { Use, Create, Destroy };
// Why a value is implementation-defined (never compared raw).
enum class Impl { None, Opaque, MmapOffset, Timestamp, GpuVa };
// What a __u64 user pointer points to.
enum class Ptr { None, Array, Buffer, Struct };

std::string to_string(Dir d);
std::string to_string(HandleRole r);
std::string to_string(Impl i);
std::string to_string(Ptr p);

// The handle kinds every header may use: the DRM core's objects.
inline const std::vector<std::string> &builtin_handle_kinds()
{
	static const std::vector<std::string> kinds = {"gem", "syncobj"};
	return kinds;
}

// One field's annotation, `[refgpu: ...]` in its kernel-doc description.
struct Annotation {
	bool present = false;
	unsigned line = 0; // of the `[refgpu:` in the header
	Dir dir = Dir::Unset;
	bool pad = false; // reserved: zero in and out, may become a field later
	bool mbz = false; // must be zero on input (-EINVAL otherwise)
	std::string handle;  // handle kind, empty if not a handle
	HandleRole handle_role = HandleRole::Use;
	Impl impl = Impl::None;
	std::string flags; // enum whose bits the field combines
	std::string enum_name; // enum whose one value the field holds
	Ptr ptr = Ptr::None;
	std::string elem;   // Array, Struct: the pointed-to struct
	std::string count;  // Array: sibling field holding the element count
	std::string stride; // Array: sibling field holding the stride (bytes)
	std::string size;   // Buffer: sibling field holding the size (bytes)
	std::string select; // Buffer: sibling field choosing the content type
	std::vector<std::pair<std::string, std::string>> cases; // value -> struct
	Dir data = Dir::Unset; // direction of the pointed-to data
	bool nullable = false; // a zero pointer is valid

	// Canonical text, as it can be written back in a header:
	// "in, handle=gem:create, mbz"; empty if not present.
	std::string to_string() const;
};

struct Field {
	std::string name;
	std::string type;      // as spelled: "__u32", "__u8[3]", "struct x"
	std::string canonical; // "unsigned int"
	std::uint64_t offset_bits = 0; // from the start of the structure
	std::uint64_t size = 0;
	std::uint64_t align = 0;
	bool is_record = false;  // a struct or union (type names it)
	std::uint64_t array_len = 0; // constant array: element count
	bool flexible = false; // flexible array member
	std::string elem_type;  // arrays: element type
	int bit_width = -1;     // bit-fields: width, else -1
	std::string in_anonymous; // member of an anonymous struct/union ("union")
	Annotation ann;

	std::uint64_t offset() const { return offset_bits / 8; }
	bool is_integer() const;
};

struct Struct {
	std::string name;
	bool is_union = false;
	std::uint64_t size = 0;
	std::uint64_t align = 0;
	unsigned line = 0, end_line = 0; // extent in the header
	std::vector<Field> fields;

	const Field *field(const std::string &n) const;
	std::string kind() const { return is_union ? "union" : "struct"; }
};

struct EnumValue {
	std::string name;
	std::int64_t value = 0; // two's complement of the value if unsigned
	bool is_unsigned = false;
	std::string text() const; // "-1", "0x4"
};

struct Enum {
	std::string name; // "(anonymous FIRST_NAME)" for an anonymous enum
	std::uint64_t size = 0;
	unsigned line = 0;
	bool is_flags = false; // named by a `flags=` annotation
	std::vector<EnumValue> values;

	const EnumValue *value(const std::string &n) const;
};

// An object-like macro of the header whose value is an integer constant.
struct Constant {
	std::string name;
	std::int64_t value = 0;
	bool is_unsigned = false;
	std::string text() const;
};

// A function-like macro of one argument that is linear in it, the way a
// register array's offset is: NAME(n) = base + n * stride.
struct LinearMacro {
	std::string name;
	std::int64_t base = 0, stride = 0;
};

struct Ioctl {
	std::string name;
	std::uint64_t number = 0;
	unsigned type = 0, nr = 0, size = 0; // _IOC_TYPE, _IOC_NR, _IOC_SIZE
	std::string arg; // the argument struct (sizeof in the macro), or empty
	bool dir_write = false, dir_read = false; // _IOC_DIR has _IOC_WRITE, _IOC_READ

	std::string dir_text() const; // "none", "w", "r", "rw"
	// Direction of the argument's fields when the annotation says nothing.
	Dir default_dir() const;
};

struct Schema {
	std::string header;   // base name
	std::string language; // "c" or "c++"
	std::string target;   // triple
	std::vector<std::string> handle_kinds; // built-in ones plus declared ones
	std::vector<Ioctl> ioctls;
	std::vector<Struct> structs;
	std::vector<Enum> enums;
	std::vector<Constant> constants;
	std::vector<LinearMacro> linear_macros;

	const Struct *find_struct(const std::string &n) const;
	const Enum *find_enum(const std::string &n) const;
	const Ioctl *find_ioctl(const std::string &n) const;
	const Constant *find_constant(const std::string &n) const;
	// An enum constant of any enum of the header.
	const EnumValue *find_enum_value(const std::string &n) const;

	// Direction of field f of s in ioctl io: its annotation, else the
	// ioctl's.
	static Dir field_dir(const Ioctl &io, const Field &f);
};

nlohmann::ordered_json to_json(const Schema &s);
// The reverse of to_json(); nullopt and *error on a malformed document.
std::optional<Schema> schema_from_json(const nlohmann::json &j, std::string *error);

// Human summary: ioctls, structures with their fields and annotations,
// enums, constants.
std::string summary(const Schema &s);
// "3 ioctls, 4 structs, 4 enums, 1 constant"
std::string counts(const Schema &s);

std::string hex(std::uint64_t v);

// Size of a fixed-width UAPI integer type named as an array element
// (`ptr=array, elem=__u32`): __u8 .. __u64, __s8 .. __s64; 0 otherwise.
std::uint64_t scalar_size(const std::string &type);

} // namespace refgpu::schema
