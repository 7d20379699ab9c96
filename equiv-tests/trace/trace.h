// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The refgpu trace format (docs/trace-format.md): JSON lines, a header
// record carrying the format version and the schemas (with their hashes),
// then one record per event on a DRM file. Everything this file knows about
// an ioctl's argument comes from a schema (equiv-tests/schema): the fields,
// which are pointers and what they reach, which are handles or
// implementation-defined. Shared by the recorder and the replayer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fnv1a.h"
#include "schema.h"

namespace refgpu::trace {

using json = nlohmann::ordered_json;

inline constexpr int kTraceVersion = 1;
inline constexpr const char *kTraceMagic = "refgpu-trace";
// Pointed-to memory larger than this is not recorded ("unrecorded": true):
// the replayer passes an inaccessible page instead.
inline constexpr std::uint64_t kMaxRegion = 64ull << 20;

// 64-bit FNV-1a (../src/fnv1a.h, shared with refgpu-equiv).
inline std::uint64_t fnv1a(const void *p, std::size_t n)
{
	return fnv1a64(p, n);
}
std::string hex(std::uint64_t v);
std::string to_hex(const std::uint8_t *p, std::size_t n);
std::string to_hex(const std::vector<std::uint8_t> &v);
bool from_hex(const std::string &s, std::vector<std::uint8_t> *out);
std::uint64_t parse_u64(const json &j); // a number or a "0x..." string

// The schemas a trace is read with: the driver's header and the DRM core's
// (drm.h with its sidecar annotations), in that order.
struct Schemas {
	std::vector<schema::Schema> list;
	std::vector<std::string> hashes; // schema_hash() of each

	// The ioctl with this request number, and its schema; nullptr if none
	// (the ioctl is then opaque).
	const schema::Ioctl *find(std::uint64_t request, const schema::Schema **s) const;
	void add(schema::Schema s);
};
// "fnv1a64:0123456789abcdef" of the schema's canonical JSON.
std::string schema_hash(const schema::Schema &s);

json header_record(const Schemas &s, const std::string &program);
// The schemas of a header record, their hashes checked.
std::optional<Schemas> schemas_from_header(const json &h, std::string *error);
// Schemas from a JSON array of schema documents (the recorder's embedded
// copy, refgpu-harness schema --json of each header).
std::optional<Schemas> schemas_from_json_array(const std::string &text, std::string *error);

// One field of a structure with nested structures expanded: "ops.array".
struct FlatField {
	std::string path;
	const schema::Field *field = nullptr;
	const schema::Struct *parent = nullptr; // the (nested) struct holding it
	std::uint64_t parent_off = 0;           // offset of parent in the outer struct
	std::uint64_t off = 0;                  // offset of the field in the outer struct
};
std::vector<FlatField> flatten(const schema::Schema &s, const schema::Struct &st);

std::uint64_t load(const std::uint8_t *p, std::size_t size);
void store(std::uint8_t *p, std::size_t size, std::uint64_t v);
// A sign-extended value for a signed field (an fd of -1 stays -1).
std::int64_t load_signed(const std::uint8_t *p, std::size_t size);

// What a pointer field of an argument reaches, read from the argument's
// bytes and the schema.
struct Region {
	const FlatField *ptr = nullptr;
	std::uint64_t addr = 0;
	std::uint64_t len = 0;               // bytes
	std::uint64_t count = 1, stride = 0; // elements (stride 0: raw bytes)
	std::string elem;                    // struct or scalar type; empty: raw bytes
	schema::Dir data = schema::Dir::In;
};
// Every pointer field of st in arg (zero pointers included, addr 0).
std::vector<Region> regions(const schema::Schema &s, const std::vector<FlatField> &flat,
			    const std::uint8_t *arg);

// Access of user memory, as consecutive segments: [bytes, "rw" | "r" | "-"].
using Access = std::vector<std::pair<std::uint64_t, std::string>>;
json access_json(const Access &a);
Access access_from_json(const json &j, std::uint64_t len);
// From /proc/self/maps.
Access probe_access(std::uint64_t addr, std::uint64_t len);
// The readable prefix of [addr, addr + len), without faulting
// (process_vm_readv on this process).
std::vector<std::uint8_t> read_mem(std::uint64_t addr, std::uint64_t len);
// Writes as much as can be written; returns the bytes written.
std::uint64_t write_mem(std::uint64_t addr, const std::vector<std::uint8_t> &data);

// A readable view of len bytes holding a struct (or count elements stride
// apart): field -> value, nested structs as objects, pointers as "ptr".
json view(const schema::Schema &s, const std::string &type, const std::uint8_t *p, std::uint64_t len,
	  std::uint64_t count = 1, std::uint64_t stride = 0);

// The name of a field holding the byte at offset off of len bytes of type
// (a struct, a scalar or raw) laid out count x stride: "[2].bo_handle",
// ".va_bits", "[5]", "+48".
std::string byte_path(const schema::Schema &s, const std::string &type, std::uint64_t off,
		      std::uint64_t stride);

// Split one trace into its records. Returns false (and *error with the
// line) on a malformed line or a missing or wrong header.
bool read_trace(const std::string &text, json *header, std::vector<json> *ops, std::string *error);

} // namespace refgpu::trace
