// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The ABI checker's two halves: the baseline text format (the layout part
// of a schema, committed and reviewed like the header) and the comparison
// of two layouts, which says what is a break and what is compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schema.h"

namespace refgpu::schema {

// The baseline: every ioctl, structure (size, alignment, fields with
// offset, size, type; pads marked), enum, constant and linear macro of s,
// in header order. A function of the layout only: annotations other than
// `pad` are not in it.
std::string abi_text(const Schema &s, const std::string &regenerate_hint);
// The reverse, into a Schema holding only what abi_text() writes; nullopt
// and *error ("line N: ...") on a malformed baseline.
std::optional<Schema> parse_abi_text(const std::string &text, std::string *error);

enum class Severity { Break, Compatible, Note };
std::string to_string(Severity s); // "BREAK", "compatible", "note"

struct Change {
	Severity severity = Severity::Break;
	std::string subject; // "struct drm_refgpu_bo_create", "ioctl DRM_IOCTL_X"
	std::string message; // "field handle: offset 12 -> 8"
	std::string text() const { return subject + ": " + message; }
};

struct CompareMode {
	// Two builds of the same header (C vs C++, x86_64 vs i386): every
	// difference is a break, additions too.
	bool exact = false;
	// exact: a structure alignment difference is a note, not a break
	// (i386 aligns __u64 to 4; same sizes and offsets need no compat
	// translation).
	bool alignment_is_note = false;
};

// What changed from old to now. With mode.exact false (baseline -> header):
// removed or moved things break; additions, structures grown at the end,
// pads replaced by fields, enum values and constants added are compatible;
// a DRM ioctl ('d') whose structure only grew at its end keeps working
// (drm_ioctl() dispatches on the number's nr and zero-extends), others
// whose number changes break. now's annotations (a structure used as array
// elements without a stride cannot grow) are consulted.
std::vector<Change> compare(const Schema &old, const Schema &now, const CompareMode &mode);

// Holes the compiler inserted (implicit padding between fields or at the
// end): notes; the UAPI rules want explicit pad fields.
std::vector<Change> implicit_padding(const Schema &s);

std::size_t count(const std::vector<Change> &c, Severity s);

} // namespace refgpu::schema
