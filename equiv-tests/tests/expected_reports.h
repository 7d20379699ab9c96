// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// Reports the tests expect verbatim, shared by more than one test file.
#pragma once

#include <string>

namespace refgpu::equiv::test {

// The --fault-inject table for two well-behaved fakes (tests/fake_device.*
// fault-point model), both sides alike.
inline const std::string kFaultInjectHappyTable =
	"op                 | runs and outcomes (sweep 1)   | C | C++\n"
	"-------------------+-------------------------------+---+----\n"
	"bo_create_4k       | runs                          | 4 |   4\n"
	"                   | injection points              | 3 |   3\n"
	"                   | BO_CREATE -ENOMEM             | 3 |   3\n"
	"                   | ok despite the injected fault | 0 |   0\n"
	"bo_1m_map_touch    | runs                          | 7 |   7\n"
	"                   | injection points              | 6 |   6\n"
	"                   | BO_CREATE -ENOMEM             | 3 |   3\n"
	"                   | BO_MMAP_OFFSET -ENOMEM        | 1 |   1\n"
	"                   | mmap -ENOMEM                  | 2 |   2\n"
	"                   | ok despite the injected fault | 0 |   0\n"
	"syncobj_create     | runs                          | 3 |   3\n"
	"                   | injection points              | 2 |   2\n"
	"                   | SYNCOBJ_CREATE -ENOMEM        | 2 |   2\n"
	"                   | ok despite the injected fault | 0 |   0\n"
	"dev_query.gpu_info | runs                          | 1 |   1\n"
	"                   | injection points              | 0 |   0\n"
	"                   | ok despite the injected fault | 0 |   0\n"
	"open_node          | runs                          | 4 |   4\n"
	"                   | injection points              | 3 |   3\n"
	"                   | open -ENOMEM                  | 2 |   2\n"
	"                   | ok despite the injected fault | 1 |   1\n"
	"vm_create          | runs                          | 2 |   2\n"
	"                   | injection points              | 1 |   1\n"
	"                   | VM_CREATE -ENOMEM             | 1 |   1\n"
	"                   | ok despite the injected fault | 0 |   0\n"
	"vm_bind_map        | runs                          | 2 |   2\n"
	"                   | injection points              | 1 |   1\n"
	"                   | VM_BIND -ENOMEM               | 1 |   1\n"
	"                   | ok despite the injected fault | 0 |   0\n";

// The comparison section of two alike fakes.
inline const std::string kFaultInjectHappyOutcomes =
	"outcome sets, C vs C++ (failing step and errno, or ok; what the cleanup released):\n"
	"  bo_create_4k: same {BO_CREATE -ENOMEM; ok (cleanup: GEM_CLOSE)}\n"
	"  bo_1m_map_touch: same {BO_CREATE -ENOMEM; BO_MMAP_OFFSET -ENOMEM (cleanup: GEM_CLOSE); "
	"mmap -ENOMEM (cleanup: GEM_CLOSE); ok}\n"
	"  syncobj_create: same {SYNCOBJ_CREATE -ENOMEM; ok (cleanup: SYNCOBJ_DESTROY)}\n"
	"  dev_query.gpu_info: same {ok}\n"
	"  open_node: same {ok; open -ENOMEM}\n"
	"  vm_create: same {VM_CREATE -ENOMEM; ok (cleanup: VM_DESTROY)}\n"
	"  vm_bind_map: same {VM_BIND -ENOMEM (cleanup: GEM_CLOSE, VM_DESTROY); ok (cleanup: GEM_CLOSE, "
	"VM_DESTROY)}\n";

} // namespace refgpu::equiv::test
