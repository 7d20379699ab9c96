// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The annotation convention: `[refgpu: item, item, ...]` inside the
// kernel-doc description of a structure member says what its C type cannot
// (README.md, docs/testing.md). This file finds the kernel-doc comments of a
// header, reads the annotations in them and checks them against the schema.
#pragma once

#include <string>
#include <vector>

#include "schema.h"

namespace refgpu::schema {

// One `/** ... */` comment of a header.
struct DocComment {
	unsigned start_line = 0, end_line = 0;
	// Content lines with the comment's framing (`/**`, ` * `, `*/`)
	// removed, with their line numbers in the header.
	std::vector<std::pair<unsigned, std::string>> lines;
};

// Every `/** ... */` comment of C source text (strings, character
// literals and other comments are skipped).
std::vector<DocComment> doc_comments(const std::string &text);

// Reads every annotation of text (the header whose schema s is, label its
// name in messages), applies it to the fields of s and declares the
// header's handle kinds. Returns the errors, one line each
// ("label:LINE: struct S: field F: ..."); nothing is applied then.
std::vector<std::string> apply_annotations(const std::string &text, const std::string &label,
					   Schema &s);

// One text annotations are read from: the header itself, or a sidecar
// file annotating a header that cannot carry annotations (the kernel's
// drm.h). A sidecar holds kernel-doc comments of structures only
// (`/** struct NAME - ... @member: ... [refgpu: ...] */`): its lines say
// nothing about the header's.
struct AnnotationSource {
	std::string text;
	std::string label;
	bool sidecar = false;
};
std::vector<std::string> apply_annotations(const std::vector<AnnotationSource> &sources, Schema &s);

} // namespace refgpu::schema
