#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: cxx-is-available.sh <CC...>
# Succeeds when a C++ compiler matching the kernel's C compiler (same
# family, same version) can build freestanding C++20 kernel code. The C++
# compiler is $REFGPU_CXX, default: g++ (with the CC's ccache prefix, if any).
# Used by Kconfig (DRM_REFGPU_CXX_IS_AVAILABLE), like RUST_IS_AVAILABLE.

cc_ver=$("$@" -dumpfullversion 2>/dev/null) || exit 1
"$@" --version 2>/dev/null | head -n 1 | grep -qi -e gcc -e 'g++' || exit 1

cxx=${REFGPU_CXX:-g++}
# shellcheck disable=SC2086
cxx_ver=$($cxx -dumpfullversion 2>/dev/null) || exit 1
[ "$cc_ver" = "$cxx_ver" ] || exit 1

# shellcheck disable=SC2086
printf 'struct S { virtual int f() = 0; }; template <class T> constexpr T id(T v) { return v; }\nint g() { return id(1); }\n' |
	$cxx -std=gnu++20 -fno-exceptions -fno-rtti -ffreestanding -nostdinc \
		-x c++ -c -o /dev/null - >/dev/null 2>&1
