// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// --fault-bind mode: probe and remove of both drivers under allocation-
// failure injection. Writing a device name to
// /sys/bus/platform/drivers/<drv>/bind runs the driver's probe
// synchronously in the writer's context (unbind: its remove), so the
// writer's fail-nth reaches every allocation of the probe, DRM core and
// driver core included. For each driver, n = 1, 2, ...: arm, write, read
// back, disarm; then the device must be in the state the write's result
// says (a failed probe: unbound, no DRM minor left; a failed unbind: still
// bound and working) and an unarmed bind must bind it again and leave it
// working. Then C against C++: the same outcome sets, as for the ioctls.
// At the end both devices are bound, as before.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "faultinject.h"

namespace refgpu::equiv {

// One device and the driver it belongs to.
struct BindTarget {
	std::string label;  // "C (refgpu.0, refgpu_c)"
	std::string driver; // "refgpu_c": /sys/bus/platform/drivers/<driver>
	std::string device; // "refgpu.0": /sys/bus/platform/devices/<device>
};

// The platform bus as the sweep sees it; the tests plug in a model.
class PlatformBus {
public:
	virtual ~PlatformBus() = default;
	// Opens what write_bind() and write_unbind() use, outside any fault
	// window: 0 or -errno.
	virtual int prepare(const BindTarget &t) = 0;
	// One write(2) of t.device to the driver's bind (unbind) attribute,
	// allocation-free in userspace: 0 or -errno (the probe's error).
	virtual int write_bind(const BindTarget &t) = 0;
	virtual int write_unbind(const BindTarget &t) = 0;
	// The driver the device is bound to, "" when it is unbound.
	virtual std::string bound_driver(const BindTarget &t) = 0;
	// The DRM minors the device has in sysfs ("card0", "renderD128").
	virtual std::vector<std::string> drm_minors(const BindTarget &t) = 0;
	// "" when the bound device works: its render node opens, VERSION names
	// "refgpu", BO_CREATE 4 KiB + GEM_CLOSE succeed; else why not, with no
	// device-specific name in it (the text is part of an outcome).
	virtual std::string check_works(const BindTarget &t) = 0;
};

// The real one, on sysfs and /dev.
std::unique_ptr<PlatformBus> sysfs_platform_bus(const std::string &sysfs_root,
						const std::string &dev_root);

// "refgpu.0" for render node "renderD128": the basename of
// <sysfs_root>/class/drm/<node>/device; "" if there is none.
std::string platform_device_of(const std::string &sysfs_root, const std::string &node);

// The two operations, in report order: "probe" (bind) and "remove" (unbind).
struct BindOp {
	const char *name;
	const char *what;
	bool bind; // write bind, else unbind
};
const std::vector<BindOp> &bind_ops();

// Runs every op on C, then on C++, as run_fault_inject does for the
// ioctls: the same report types (an entry's state says what the device
// was afterwards), the same comparison.
FaultReport run_fault_bind(PlatformBus &bus, const BindTarget &c, const BindTarget &cpp,
			   FailNth &fail_nth, unsigned max_n = kDefaultFaultMax);

// The table, the outcome comparison, the verdict: "fault-bind: N (C) / M
// (C++) injected failures in probe and remove, every failed probe left its
// device unbound and rebindable, the same outcomes on both drivers: OK",
// or the list of violations.
std::string format_fault_bind_report(const FaultReport &r);

} // namespace refgpu::equiv
