// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// Reads a UAPI header with libclang into a Schema: the layout of every
// structure, union and enum it defines, its integer macros (the ioctl
// numbers decoded with the header's own _IOC_* macros), and its
// annotations. One call is one language and one target.
#pragma once

#include <string>
#include <vector>

#include "schema.h"

namespace refgpu::schema {

enum class Lang { C, Cxx };
std::string lang_name(Lang l); // "c", "c++"

struct FrontendOptions {
	std::string header; // path of the UAPI header
	Lang lang = Lang::C;
	std::string target = "x86_64-linux-gnu";
	std::vector<std::string> include_dirs; // -I, searched first
	std::vector<std::string> defines;      // -D NAME[=VALUE]
	std::vector<std::string> pre_includes; // -include FILE, before the header
	// Empty: the host's installed UAPI (/usr/include, its multiarch
	// directory, libdrm's drm.h). Else a kernel source tree: its
	// include/uapi, include/uapi/drm and arch/ARCH/include/uapi.
	std::string kernel_src;
	// A macro with this prefix is an ioctl; so is any macro whose value is
	// an _IOC() of sizeof(a struct) with that size.
	std::string ioctl_prefix = "DRM_IOCTL_";
	// Sidecar annotation files (AnnotationSource::sidecar), read after the
	// header's own annotations.
	std::vector<std::string> annotation_files;
};

struct FrontendResult {
	bool ok = false;
	Schema schema;
	std::vector<std::string> errors; // compiler errors or annotation errors
};

FrontendResult load_header(const FrontendOptions &o);

// "clang version 14.0.6"
std::string libclang_version();

} // namespace refgpu::schema
