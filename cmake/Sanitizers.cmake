# SPDX-License-Identifier: GPL-2.0
# AddressSanitizer + UBSan for the host unit tests.
#
# Every test executable, and a copy of every library it links, is built and
# linked with REFGPU_SANITIZE_FLAGS, so a use-after-free, an overflow or any
# other undefined behaviour aborts the test instead of passing by luck.
# The programs that run elsewhere stay as they are: refgpu-equiv runs inside
# the UML guest (whose user address space has no room for ASan's shadow
# memory) and reggen runs inside every kernel build; they link the original,
# unsanitized libraries.

set(REFGPU_SANITIZE_FLAGS
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
# GCC 12's -Wmaybe-uninitialized gives false positives inside libstdc++'s
# <regex> once ASan instruments it. The same sources are
# still built without sanitizers, warning as errors, for reggen and
# refgpu-equiv.
set(REFGPU_SANITIZE_COMPILE_ONLY -Wno-maybe-uninitialized)

# refgpu_sanitize(<target>...): compile and link these targets with the
# flags; executables also get ASan's defaults (asan_default_options.cpp).
function(refgpu_sanitize)
	foreach(t ${ARGN})
		target_compile_options(${t} PRIVATE ${REFGPU_SANITIZE_FLAGS}
			${REFGPU_SANITIZE_COMPILE_ONLY})
		target_link_options(${t} PRIVATE ${REFGPU_SANITIZE_FLAGS})
		get_target_property(type ${t} TYPE)
		if(type STREQUAL "EXECUTABLE")
			target_sources(${t} PRIVATE
				${CMAKE_CURRENT_FUNCTION_LIST_DIR}/asan_default_options.cpp)
		endif()
	endforeach()
endfunction()

# refgpu_sanitized_copy(<library> <copy>): a sanitized STATIC copy of
# <library> (same sources, include directories, definitions, options,
# features, dependencies), defined in the calling directory.
function(refgpu_sanitized_copy lib copy)
	get_target_property(srcs ${lib} SOURCES)
	get_target_property(dir ${lib} SOURCE_DIR)
	list(TRANSFORM srcs PREPEND ${dir}/ REGEX "^[^/$]")
	add_library(${copy} STATIC ${srcs})
	foreach(prop INCLUDE_DIRECTORIES INTERFACE_INCLUDE_DIRECTORIES
			COMPILE_DEFINITIONS INTERFACE_COMPILE_DEFINITIONS
			COMPILE_OPTIONS COMPILE_FEATURES INTERFACE_COMPILE_FEATURES
			LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
		get_target_property(v ${lib} ${prop})
		if(v)
			set_property(TARGET ${copy} PROPERTY ${prop} "${v}")
		endif()
	endforeach()
	get_target_property(deps ${lib} MANUALLY_ADDED_DEPENDENCIES)
	if(deps)
		add_dependencies(${copy} ${deps})
	endif()
	refgpu_sanitize(${copy})
endfunction()

# refgpu_link_sanitized(<executable> <library> <copy>): make <executable>
# link <copy> where it linked <library>.
function(refgpu_link_sanitized exe lib copy)
	get_target_property(libs ${exe} LINK_LIBRARIES)
	list(TRANSFORM libs REPLACE "^${lib}$" ${copy})
	set_property(TARGET ${exe} PROPERTY LINK_LIBRARIES "${libs}")
endfunction()
