// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The script against an in-process model of the UAPI: checks that each step
// records what the UAPI says it should, that the runner counts ioctls, and
// that a device that fails everything still yields a full result list.
#include <gtest/gtest.h>

#include <cerrno>
#include <map>
#include <set>

#include "compare.h"
#include "fake_device.h"
#include "script.h"

using namespace refgpu::equiv;
using refgpu::equiv::test::FakeRefgpu;

namespace {

std::map<std::string, Result> by_step(const std::vector<Result> &v)
{
	std::map<std::string, Result> m;
	for (const Result &r : v)
		m[r.step] = r;
	return m;
}

std::string field(const Result &r, const std::string &name)
{
	for (const Field &f : r.fields)
		if (f.name == name)
			return f.value;
	return "<none>";
}

} // namespace

TEST(Script, StepNamesAreUniqueAndNonEmpty)
{
	std::set<std::string> names;
	for (const Step &s : script_steps()) {
		EXPECT_FALSE(s.name.empty());
		EXPECT_FALSE(s.ioctl.empty());
		EXPECT_TRUE(names.insert(s.name).second) << "duplicate step " << s.name;
	}
	EXPECT_GE(names.size(), 40u);
}

TEST(Script, RecordsWhatTheUapiPromises)
{
	FakeRefgpu dev;
	ScriptRun run = run_script(dev);
	ASSERT_EQ(run.results.size(), script_steps().size());
	auto r = by_step(run.results);

	EXPECT_EQ(r["version"].ret, 0);
	EXPECT_EQ(field(r["version"], "name"), "refgpu");
	EXPECT_EQ(field(r["version"], "desc"), "refgpu reference GPU");
	EXPECT_EQ(field(r["version"], "date"), "<none>"); // date is not compared
	EXPECT_EQ(field(r["get_cap.syncobj"], "value"), "1");
	EXPECT_EQ(field(r["get_cap.prime"], "value"), "3");

	EXPECT_EQ(field(r["dev_query.size_probe"], "size"), "40");
	EXPECT_EQ(r["dev_query.full"].ret, 0);
	EXPECT_EQ(field(r["dev_query.full"], "gpu_id"), "0x1020003");
	EXPECT_EQ(field(r["dev_query.full"], "max_bo_size"), std::to_string(64ull << 20));
	EXPECT_EQ(field(r["dev_query.oversize"], "size"), "56");
	EXPECT_EQ(field(r["dev_query.oversize"], "tail_zero"), "1");
	EXPECT_EQ(field(r["dev_query.oversize"], "gpu_id"), "0x1020003");
	EXPECT_EQ(r["dev_query.undersize"].ret, -EINVAL);
	EXPECT_EQ(field(r["dev_query.undersize"], "buffer_untouched"), "1");
	EXPECT_EQ(r["dev_query.unknown_type"].ret, -EINVAL);
	EXPECT_EQ(r["dev_query.pad_nonzero"].ret, -EINVAL);
	EXPECT_EQ(r["dev_query.unmapped_pointer"].ret, -EFAULT);

	EXPECT_EQ(r["bo_create.size_0"].ret, -EINVAL);
	EXPECT_EQ(field(r["bo_create.size_1"], "size"), "4096");
	EXPECT_EQ(field(r["bo_create.size_1"], "handle"), "1");
	EXPECT_EQ(field(r["bo_create.size_3_pages_plus_5"], "size"), "16384");
	EXPECT_EQ(field(r["bo_create.size_3_pages_plus_5"], "handle"), "2");
	EXPECT_EQ(r["bo_create.unknown_flag"].ret, -EINVAL);
	EXPECT_EQ(r["bo_create.handle_nonzero"].ret, -EINVAL);
	EXPECT_EQ(field(r["bo_create.handle_nonzero"], "handle"), "1"); // unchanged
	EXPECT_EQ(r["bo_create.size_1tib"].ret, -E2BIG);
	EXPECT_EQ(r["bo_create.size_u64_max"].ret, -E2BIG);
	EXPECT_EQ(r["bo_create.size_max_bo_size"].ret, 0);
	EXPECT_EQ(field(r["bo_create.size_max_bo_size"], "handle"), "3");
	EXPECT_EQ(r["gem_close.max_bo"].ret, 0);
	EXPECT_EQ(r["bo_create.size_max_bo_size_plus_1"].ret, -E2BIG);
	EXPECT_EQ(r["bo_create.no_mmap"].ret, 0);
	EXPECT_EQ(field(r["bo_create.no_mmap"], "handle"), "3"); // lowest free

	EXPECT_EQ(r["bo_mmap_offset.valid"].ret, 0);
	EXPECT_EQ(field(r["bo_mmap_offset.valid"], "offset_nonzero"), "1");
	EXPECT_EQ(field(r["bo_mmap_offset.valid"], "offset_page_aligned"), "1");
	EXPECT_EQ(field(r["bo_mmap_offset.valid"], "offset"), "<none>"); // never the raw offset
	EXPECT_EQ(r["bo_mmap_offset.unknown_handle"].ret, -ENOENT);
	EXPECT_EQ(r["bo_mmap_offset.pad_nonzero"].ret, -EINVAL);
	EXPECT_EQ(r["bo_mmap_offset.no_mmap_bo"].ret, -EPERM);

	EXPECT_EQ(r["mmap.fresh_zero"].ret, 0);
	EXPECT_EQ(field(r["mmap.fresh_zero"], "zero"), "1");
	EXPECT_EQ(r["mmap.write_pattern"].ret, 0);
	EXPECT_EQ(r["mmap.readback"].ret, 0);
	EXPECT_EQ(field(r["mmap.readback"], "matches_written"), "1");
	EXPECT_EQ(field(r["mmap.readback"], "fnv1a64"),
		  field(r["mmap.write_pattern"], "written_fnv1a64"));
	EXPECT_EQ(r["mmap.length_too_large"].ret, -EINVAL);

	EXPECT_EQ(r["gem_close.mapped_bo"].ret, 0);
	EXPECT_EQ(r["bo_mmap_offset.closed_handle"].ret, -ENOENT);
	EXPECT_EQ(r["gem_close.unknown_handle"].ret, -EINVAL);
	EXPECT_EQ(r["mmap.after_close"].ret, -EINVAL);

	EXPECT_EQ(field(r["syncobj_create.flags_0"], "handle"), "1");
	EXPECT_EQ(field(r["syncobj_create.signaled"], "handle"), "2");
	EXPECT_EQ(r["syncobj_timeline_signal.point_5"].ret, 0);
	EXPECT_EQ(field(r["syncobj_query.points"], "point"), "5");
	EXPECT_EQ(r["syncobj_destroy.flags_0"].ret, 0);
	EXPECT_EQ(r["syncobj_destroy.signaled"].ret, 0);
	EXPECT_EQ(r["syncobj_destroy.unknown_handle"].ret, -EINVAL);
	EXPECT_EQ(r["unknown_ioctl.command_0x30"].ret, -EINVAL);
}

TEST(Script, RunnerCountsTheIoctlsItIssues)
{
	FakeRefgpu dev;
	ScriptRun run = run_script(dev);
	EXPECT_EQ(run.ioctls, dev.ioctl_calls);
	// One ioctl per step, except the mmap(2) steps which issue none.
	unsigned expected = 0;
	for (const Step &s : script_steps())
		expected += s.ioctl != "mmap";
	EXPECT_EQ(run.ioctls, expected);
}

TEST(Script, TwoRunsOnFreshDevicesAreEquivalent)
{
	FakeRefgpu a, b;
	ScriptRun ra = run_script(a), rb = run_script(b);
	EXPECT_EQ(ra.ioctls, rb.ioctls);
	Comparison c = compare_results(ra.results, rb.results);
	EXPECT_TRUE(c.equivalent) << format_diff(c);
}

TEST(Script, QuirksShowUpAsDivergences)
{
	struct Case {
		void (*set)(FakeRefgpu &);
		const char *step;
		const char *field;
	} cases[] = {
		{[](FakeRefgpu &d) { d.quirks.ignore_query_pad = true; }, "dev_query.pad_nonzero",
		 kRowReturn},
		{[](FakeRefgpu &d) { d.quirks.no_tail_zeroing = true; }, "dev_query.oversize",
		 "tail_zero"},
		{[](FakeRefgpu &d) { d.quirks.close_unknown_enoent = true; }, "gem_close.unknown_handle",
		 kRowReturn},
		{[](FakeRefgpu &d) { d.info.va_bits = 40; }, "dev_query.full", "va_bits"},
		{[](FakeRefgpu &d) { d.desc = "other"; }, "version", "desc"},
	};
	for (const Case &k : cases) {
		FakeRefgpu a, b;
		k.set(b);
		Comparison c = compare_results(run_script(a).results, run_script(b).results);
		EXPECT_FALSE(c.equivalent) << k.step;
		bool found = false;
		for (const DiffRow &r : c.rows)
			found = found || (r.differs && r.step == k.step && r.field == k.field);
		EXPECT_TRUE(found) << k.step << " / " << k.field << "\n" << format_diff(c);
	}
}

TEST(Script, DeadDeviceStillYieldsEveryStep)
{
	test::DeadDevice a, b;
	ScriptRun ra = run_script(a), rb = run_script(b);
	ASSERT_EQ(ra.results.size(), script_steps().size());
	for (const Result &r : ra.results)
		EXPECT_NE(r.ret, 0) << r.step;
	EXPECT_TRUE(compare_results(ra.results, rb.results).equivalent);
}

TEST(Script, PatternAndHashAreDeterministic)
{
	std::vector<std::uint8_t> x(37), y(37);
	fill_pattern(x.data(), x.size(), 42);
	fill_pattern(y.data(), y.size(), 42);
	EXPECT_EQ(x, y);
	fill_pattern(y.data(), y.size(), 43);
	EXPECT_NE(x, y);
	EXPECT_EQ(fnv1a64("", 0), 0xcbf29ce484222325ull);
	EXPECT_EQ(fnv1a64("a", 1), 0xaf63dc4c8601ec8cull);
}
