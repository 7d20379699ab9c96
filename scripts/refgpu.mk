# SPDX-License-Identifier: GPL-2.0
#
# Included by every refgpu sub-directory Kbuild. Gives the include paths of
# the shared UAPI and the rule that generates the register headers from the
# one register description with tools/reggen (a host C++ tool built by
# CMake; ci/kernel passes its path as REFGPU_REGGEN).

refgpu_top := $(abspath $(src)/..)
refgpu_regs := $(refgpu_top)/shared-uapi/regs/refgpu.regs

ifeq ($(REFGPU_REGGEN),)
$(error REFGPU_REGGEN is not set: build tools/reggen (ci/build-tools) and pass REFGPU_REGGEN=<path>)
endif
ifeq ($(wildcard $(REFGPU_REGGEN)),)
$(error REFGPU_REGGEN=$(REFGPU_REGGEN) is not a file: pass the absolute path of the reggen binary)
endif

ccflags-y += -I$(refgpu_top)/shared-uapi/include/uapi/drm \
	     -I$(srctree)/include/uapi/drm \
	     -I$(refgpu_top)/core \
	     -I$(obj)/generated

# The headers depend on the generator binary too: a new reggen regenerates
# them in an existing build directory. reggen leaves an unchanged output
# alone; the touch marks it up to date against the newer binary.
quiet_cmd_reggen = REGGEN  $@
      cmd_reggen = mkdir -p $(dir $@) && \
		   $(REFGPU_REGGEN) $(if $(filter %.hpp,$@),--cpp,--c) $@ $(refgpu_regs) && \
		   touch $@

$(obj)/generated/refgpu_regs.h $(obj)/generated/refgpu_regs.hpp: $(refgpu_regs) $(REFGPU_REGGEN) FORCE
	$(call if_changed,reggen)

targets += generated/refgpu_regs.h generated/refgpu_regs.hpp

# Coverage: on a kernel with CONFIG_GCOV_KERNEL (the test kernel), every
# refgpu object, C and C++ alike (the C++ rule takes $(_c_flags)), carries
# gcov counters; ci/coverage reads them from debugfs.
GCOV_PROFILE := y
