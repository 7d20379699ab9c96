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
	FakeRefgpu dev, peer;
	ScriptRun run = run_script(dev, peer);
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
	EXPECT_EQ(r["dev_query.size_max"].ret, 0);
	EXPECT_EQ(field(r["dev_query.size_max"], "tail_zero"), "1");
	EXPECT_EQ(r["dev_query.size_max_plus_1"].ret, -E2BIG);
	EXPECT_EQ(r["dev_query.size_u32_max"].ret, -E2BIG);
	EXPECT_EQ(field(r["dev_query.size_u32_max"], "buffer_untouched"), "1");
	EXPECT_EQ(r["dev_query.straddles_prot_none"].ret, -EFAULT);
	EXPECT_EQ(field(r["dev_query.straddles_prot_none"], "prefix_written"), "1");
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
	EXPECT_EQ(r["bo_create.args_read_only"].ret, -EFAULT);
	EXPECT_EQ(field(r["bo_create.args_read_only"], "next_handle"), "5");

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
	FakeRefgpu dev, peer;
	ScriptRun run = run_script(dev, peer);
	EXPECT_GT(peer.ioctl_calls, 0u); // the PRIME steps use the peer
	EXPECT_EQ(run.ioctls, dev.ioctl_calls + peer.ioctl_calls);
	// At least one ioctl per step, except the mmap(2)/munmap(2) steps.
	unsigned steps_with_ioctl = 0;
	for (const Step &s : script_steps())
		steps_with_ioctl += s.ioctl != "mmap" && s.ioctl != "munmap";
	EXPECT_GT(run.ioctls, steps_with_ioctl); // some steps issue several
	// vm_create.until_full and vm_destroy.all issue ~64 each.
	EXPECT_LT(run.ioctls, 2 * steps_with_ioctl + 2 * 64);
}

TEST(Script, TwoRunsOnFreshDevicesAreEquivalent)
{
	FakeRefgpu a, b, pa, pb;
	ScriptRun ra = run_script(a, pa), rb = run_script(b, pb);
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
		{[](FakeRefgpu &d) { d.quirks.close_unknown_errno = ENOENT; }, "gem_close.unknown_handle",
		 kRowReturn},
		{[](FakeRefgpu &d) { d.info.va_bits = 40; }, "dev_query.full", "va_bits"},
		{[](FakeRefgpu &d) { d.desc = "other"; }, "version", "desc"},
		{[](FakeRefgpu &d) { d.quirks.vm_bind_no_flush = true; }, "vm_bind.unmap_middle",
		 "r@va+0x1000"},
	};
	for (const Case &k : cases) {
		FakeRefgpu a, b, pa, pb;
		k.set(b);
		Comparison c =
			compare_results(run_script(a, pa).results, run_script(b, pb).results);
		EXPECT_FALSE(c.equivalent) << k.step;
		bool found = false;
		for (const DiffRow &r : c.rows)
			found = found || (r.differs && r.step == k.step && r.field == k.field);
		EXPECT_TRUE(found) << k.step << " / " << k.field << "\n" << format_diff(c);
	}
}

TEST(Script, FakeMeetsEveryDocumentedOutcome)
{
	FakeRefgpu dev, peer;
	std::vector<OracleMiss> m = check_documented(run_script(dev, peer).results);
	EXPECT_TRUE(m.empty()) << format_oracle(m, {});
	// Every step has an expectation that can fail: a documented return
	// and, for most, documented fields.
	for (const Step &s : script_steps())
		EXPECT_TRUE(s.expect.ret <= 0) << s.name;
}

// Two devices that are wrong in the same way agree with each other: the
// relative comparison cannot see it, the oracle must.
TEST(Script, SharedBugsFailTheOracle)
{
	struct Case {
		void (*set)(FakeRefgpu &);
		const char *step;
		const char *field;
	} cases[] = {
		{[](FakeRefgpu &d) { d.quirks.close_unknown_errno = ENOENT; }, "gem_close.unknown_handle",
		 "(return)"},
		{[](FakeRefgpu &d) { d.quirks.no_tail_zeroing = true; }, "dev_query.oversize",
		 "tail_zero"},
		{[](FakeRefgpu &d) { d.quirks.ignore_query_pad = true; }, "dev_query.pad_nonzero",
		 "(return)"},
		{[](FakeRefgpu &d) { d.quirks.query_oversize_errno = EINVAL; },
		 "dev_query.size_u32_max", "(return)"},
		{[](FakeRefgpu &d) { d.quirks.efault_undoes_create = true; },
		 "bo_create.args_read_only", "next_handle"},
		{[](FakeRefgpu &d) { d.quirks.close_zaps_bo = true; }, "munmap.mapping_outlived_close",
		 "reads_back"},
		{[](FakeRefgpu &d) { d.quirks.dmabuf_mmap_ignores_no_mmap = true; },
		 "mmap.dmabuf_no_mmap", "(return)"},
		{[](FakeRefgpu &d) { d.quirks.dmabuf_mmap_ignores_no_mmap = true; },
		 "mmap.peer_import_no_mmap", "(return)"},
		{[](FakeRefgpu &d) { d.quirks.version_len_unchanged = true; }, "version", "name_len"},
		{[](FakeRefgpu &d) { d.quirks.version_len_unchanged = true; }, "version.short_buffers",
		 "name_len"},
		{[](FakeRefgpu &d) { d.name = "refgpx"; }, "version", "name"},
		// A missed TLB flush: the GPU still reads the unmapped page.
		{[](FakeRefgpu &d) { d.quirks.vm_bind_no_flush = true; }, "vm_bind.unmap_middle",
		 "r@va+0x1000"},
		{[](FakeRefgpu &d) { d.quirks.vm_bind_no_flush = true; }, "vm_bind.map_over",
		 "r@va+0x3000"},
		// Not all or nothing: the valid op before the bad one stays.
		{[](FakeRefgpu &d) { d.quirks.vm_bind_partial = true; }, "vm_bind.op_unknown", "r@w"},
		{[](FakeRefgpu &d) { d.quirks.vm_bind_partial = true; }, "vm_bind.op_tail_nonzero",
		 "r@w"},
	};
	for (const Case &k : cases) {
		FakeRefgpu a, b, pa, pb;
		k.set(a);
		k.set(b);
		k.set(pa);
		k.set(pb);
		ScriptRun ra = run_script(a, pa), rb = run_script(b, pb);
		EXPECT_TRUE(compare_results(ra.results, rb.results).equivalent) << k.step;
		std::vector<OracleMiss> ma = check_documented(ra.results),
					mb = check_documented(rb.results);
		auto has = [&k](const std::vector<OracleMiss> &v) {
			for (const OracleMiss &m : v)
				if (m.step == k.step && m.field == k.field)
					return true;
			return false;
		};
		EXPECT_TRUE(has(ma) && has(mb)) << k.step << " / " << k.field << "\n"
						<< format_oracle(ma, mb);
	}
}

TEST(Script, DeadDevicesAgreeButFailTheOracle)
{
	test::DeadDevice a, b, pa, pb;
	ScriptRun ra = run_script(a, pa), rb = run_script(b, pb);
	ASSERT_EQ(ra.results.size(), script_steps().size());
	for (const Result &r : ra.results)
		EXPECT_NE(r.ret, 0) << r.step;
	EXPECT_TRUE(compare_results(ra.results, rb.results).equivalent);
	std::vector<OracleMiss> m = check_documented(ra.results);
	EXPECT_FALSE(m.empty());
	ASSERT_FALSE(m.empty());
	EXPECT_EQ(m.front(), (OracleMiss{"version", "(return)", "-ENOTTY", "0"}));
}

TEST(Script, MissingStepFailsTheOracle)
{
	FakeRefgpu dev, peer;
	std::vector<Result> r = run_script(dev, peer).results;
	r.erase(r.begin() + 3);
	std::vector<OracleMiss> m = check_documented(r);
	ASSERT_EQ(m.size(), 1u);
	EXPECT_EQ(m.front().field, "(step)");
	EXPECT_EQ(m.front().step, script_steps()[3].name);
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

// Each value of the expectation table is checked: changing any one
// documented field, or the return, of a correct run is reported.
TEST(Script, EveryDocumentedValueIsChecked)
{
	FakeRefgpu dev, peer;
	const std::vector<Result> good = run_script(dev, peer).results;
	ASSERT_TRUE(check_documented(good).empty());
	unsigned planted = 0;
	for (std::size_t i = 0; i < script_steps().size(); i++) {
		const Step &s = script_steps()[i];
		std::vector<Result> bad = good;
		bad[i].ret = bad[i].ret ? 0 : -EIO;
		std::vector<OracleMiss> m = check_documented(bad);
		ASSERT_EQ(m.size(), 1u) << s.name;
		EXPECT_EQ(m[0].field, "(return)");
		planted++;
		for (const Field &want : s.expect.fields) {
			std::vector<Result> b2 = good;
			bool found = false;
			for (Field &f : b2[i].fields) {
				if (f.name == want.name) {
					f.value += "x";
					found = true;
				}
			}
			ASSERT_TRUE(found) << s.name << " does not record " << want.name;
			m = check_documented(b2);
			ASSERT_EQ(m.size(), 1u) << s.name << " / " << want.name;
			EXPECT_EQ(m[0], (OracleMiss{s.name, want.name, want.value + "x", want.value}));
			planted++;
		}
	}
	EXPECT_GT(planted, 150u);
}
