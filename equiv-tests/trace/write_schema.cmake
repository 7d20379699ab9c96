# SPDX-License-Identifier: MIT
# refgpu-harness schema --json HEADER [--annotations FILE] > OUT (a build
# step of the trace tests). -DHARNESS -DHEADER -DOUT [-DANNOTATIONS].
set(extra)
if(ANNOTATIONS)
  set(extra --annotations ${ANNOTATIONS})
endif()
execute_process(COMMAND ${HARNESS} schema --json ${extra} ${HEADER}
  OUTPUT_FILE ${OUT} RESULT_VARIABLE rc ERROR_VARIABLE e)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT})
  message(FATAL_ERROR "refgpu-harness schema ${HEADER}: ${e}")
endif()
