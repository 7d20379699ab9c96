#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: cxx-object-check.sh <objdump> <nm> <object.o>
# Fails if a C++ kernel object has static constructors/destructors,
# exception tables, RTTI or calls into a C++ runtime the kernel lacks.

objdump=$1 nm=$2 obj=$3
fail=0

sections=$($objdump -h "$obj" | awk '{print $2}')
for s in .ctors .dtors .gcc_except_table; do
	if printf '%s\n' "$sections" | grep -qx -- "$s"; then
		echo "$obj: has section $s (static constructor or exception table)" >&2
		fail=1
	fi
done

# .init_array/.fini_array may only hold the sanitizers' own constructors
# (KASAN's global registration, _sub_I_<prio>_<n>, which C objects get
# too); a C++ static initializer is a _GLOBAL__sub_I_ function.
for s in .init_array .fini_array; do
	printf '%s\n' "$sections" | grep -qx -- "$s" || continue
	others=$($objdump -r -j "$s" "$obj" | awk 'NR > 5 && NF >= 3 {print $3}' |
		grep -vE '^(_sub_[ID]_[0-9]+_[0-9]+|\.text\.startup|\.text\.exit)(\+0x[0-9a-f]+)?$')
	if [ -n "$others" ]; then
		echo "$obj: $s calls $others (static constructor/destructor)" >&2
		fail=1
	fi
done
funcs=$($objdump -t "$obj" | awk '$4 == ".text.startup" || $4 == ".text.exit" {print $NF}' |
	grep -vE '^(_sub_[ID]_[0-9]+_[0-9]+|\.text\.startup|\.text\.exit)$')
if [ -n "$funcs" ]; then
	echo "$obj: start-up/exit code that is not a sanitizer constructor: $funcs" >&2
	fail=1
fi
if $nm "$obj" | grep -qE '_GLOBAL__sub_[ID]_|__static_initialization_and_destruction'; then
	echo "$obj: has C++ static initialization" >&2
	fail=1
fi

# Undefined C++ runtime symbols: personality routines, unwinder, RTTI,
# guard variables, atexit, throwing new.
bad=$($nm -u "$obj" | awk '{print $2}' |
	grep -E '^(__gxx_personality|_Unwind_|__cxa_|_ZTI|_ZTS|__dso_handle|_Znwm$|_Znam$)' |
	grep -v '^__cxa_pure_virtual$')
if [ -n "$bad" ]; then
	echo "$obj: needs C++ runtime symbols the kernel does not have: $bad" >&2
	fail=1
fi
# RTTI must not be emitted either.
if $nm "$obj" | awk '{print $3}' | grep -qE '^_ZT[IS]'; then
	echo "$obj: contains RTTI" >&2
	fail=1
fi
exit $fail
