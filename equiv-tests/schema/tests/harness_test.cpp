// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// refgpu-harness's subcommands, end to end: what they print and return.
#include <gtest/gtest.h>

#include "harness.h"
#include "test_util.h"

namespace refgpu::schema::test {
namespace {

struct Outcome {
	int rc;
	std::string out, err;
};

Outcome run(const std::vector<std::string> &args)
{
	Outcome r;
	r.rc = run_harness(args, r.out, r.err);
	return r;
}

bool contains(const std::string &s, const std::string &what) { return s.find(what) != std::string::npos; }

TEST(Harness, SchemaJson)
{
	Outcome r = run({"schema", "--json", REFGPU_UAPI_HEADER});
	ASSERT_EQ(r.rc, kExitOk) << r.err;
	auto j = nlohmann::json::parse(r.out);
	EXPECT_EQ(j["format"], "refgpu-uapi-schema");
	EXPECT_EQ(j["ioctls"].size(), 6u);
	EXPECT_EQ(j["ioctls"][0]["name"], "DRM_IOCTL_REFGPU_DEV_QUERY");
	Outcome h = run({"schema", REFGPU_UAPI_HEADER});
	EXPECT_TRUE(contains(h.out, "refgpu_drm.h (c, x86_64-linux-gnu): 6 ioctls, 10 structs, 6 enums, 3 constants"))
		<< h.out;
	EXPECT_TRUE(contains(h.out, "12    handle  __u32  size 4  [out, mbz, handle=gem:create]")) << h.out;
}

TEST(Harness, AbiCheckPassesOnTheRealHeader)
{
	Outcome r = run({"abi-check", "--baseline", REFGPU_ABI_BASELINE, REFGPU_UAPI_HEADER});
	EXPECT_EQ(r.rc, kExitOk) << r.out << r.err;
	EXPECT_TRUE(contains(r.out, "C x86_64-linux-gnu = C++ x86_64-linux-gnu: same layout")) << r.out;
	EXPECT_TRUE(contains(r.out, "C x86_64-linux-gnu = C i386-linux-gnu: same sizes and offsets")) << r.out;
	EXPECT_TRUE(contains(r.out, "refgpu_drm.abi: same\nabi-check: OK\n")) << r.out;
	EXPECT_EQ(r.err, "");
}

TEST(Harness, AbiCheckPassesOnTheRegisterHeader)
{
	Outcome r = run({"abi-check", "--include", REFGPU_REGS_INCLUDER, "--baseline", REFGPU_REGS_ABI_BASELINE,
		     REFGPU_REGS_C_HEADER});
	EXPECT_EQ(r.rc, kExitOk) << r.out << r.err;
	// Without what its includer provides it does not compile.
	Outcome bare = run({"abi-check", REFGPU_REGS_C_HEADER});
	EXPECT_EQ(bare.rc, kExitOk) << "GENMASK() missing makes its constants non-constants, not errors";
	// Fewer constants without GENMASK(), but not none.
	auto constants = [](const std::string &out) {
		std::size_t at = out.find("refgpu_regs.h: 0 ioctls, 0 structs, 0 enums, ");
		return at == std::string::npos ? -1L : std::stol(out.substr(at + 45));
	};
	long full = constants(r.out), without = constants(bare.out);
	EXPECT_GT(without, 0) << bare.out;
	EXPECT_LT(without, full) << r.out << bare.out;
}

TEST(Harness, PlantedBreakFailsNamingStructAndField)
{
	TempDir d;
	std::string h = d.write("refgpu_drm.h", uapi_with("\t__u64 size;\n\n\t/**\n\t * @flags:", "\t__u32 size;\n\n\t/**\n\t * @flags:"));
	std::string junit = (d.path() / "abi.xml").string();
	Outcome r = run({"abi-check", "--baseline", REFGPU_ABI_BASELINE, "--junit", junit, h});
	EXPECT_EQ(r.rc, kExitAbiFailed);
	EXPECT_TRUE(contains(r.out, "    BREAK: struct drm_refgpu_bo_create: field size: size 8 -> 4\n")) << r.out;
	EXPECT_TRUE(contains(r.err, "refgpu-harness: abi-check: baseline " REFGPU_ABI_BASELINE
				    ": BREAK: struct drm_refgpu_bo_create: field size: size 8 -> 4\n")) << r.err;
	EXPECT_TRUE(contains(r.out, "abi-check: FAILED\n"));
	std::string x = read_file(junit);
	EXPECT_TRUE(contains(x, "<testsuite name=\"abi-check refgpu_drm.h\" tests=\"4\" failures=\"1\">")) << x;
	EXPECT_TRUE(contains(x, "<failure message=\"")) << x;
	EXPECT_TRUE(contains(x, "BREAK: struct drm_refgpu_bo_create: field size: size 8 -&gt; 4")) << x;
	// JSON: the same verdict.
	Outcome j = run({"abi-check", "--json", "--baseline", REFGPU_ABI_BASELINE, h});
	EXPECT_EQ(j.rc, kExitAbiFailed);
	auto doc = nlohmann::json::parse(j.out);
	EXPECT_EQ(doc["ok"], false);
	bool named = false;
	for (const auto &c : doc["checks"][3]["changes"])
		named = named || c["text"] == "struct drm_refgpu_bo_create: field size: size 8 -> 4";
	EXPECT_TRUE(named) << j.out;
}

// An addition is reported as one and fails until the baseline is updated.
TEST(Harness, AdditionNeedsTheBaselineUpdated)
{
	TempDir d;
	std::string base = d.write("refgpu_drm.abi", read_file(REFGPU_ABI_BASELINE));
	std::string h = d.write("refgpu_drm.h", uapi_with("\t__u64 max_bo_size;\n", "\t__u64 max_bo_size;\n\t__u64 extra;\n"));
	Outcome r = run({"abi-check", "--baseline", base, h});
	EXPECT_EQ(r.rc, kExitAbiFailed);
	EXPECT_TRUE(contains(r.out, "out of date: 2 compatible change(s) (additions) not in the baseline")) << r.out;
	EXPECT_TRUE(contains(r.out, "compatible: struct drm_refgpu_gpu_info: field extra: appended at offset 40")) << r.out;
	Outcome u = run({"abi-check", "--baseline", base, "--update", h});
	EXPECT_EQ(u.rc, kExitOk) << u.out << u.err;
	EXPECT_TRUE(contains(u.out, "updated: 2 compatible change(s); review and commit it with the header")) << u.out;
	EXPECT_TRUE(contains(read_file(base), "\tfield extra offset=40 size=8 align=8 type=__u64\n"));
	EXPECT_TRUE(contains(read_file(base), "Regenerate: refgpu-harness abi-check --update --baseline "));
	Outcome again = run({"abi-check", "--baseline", base, h});
	EXPECT_EQ(again.rc, kExitOk) << again.out;
	// A break is not written, unless asked for.
	std::string broken = d.write("broken.h", uapi_with("\t__u32 va_bits;", "\t__s32 va_bits;"));
	std::string before = read_file(base);
	Outcome b = run({"abi-check", "--baseline", base, "--update", broken});
	EXPECT_EQ(b.rc, kExitAbiFailed);
	EXPECT_TRUE(contains(b.out, "ABI break(s): not updated (--allow-break to write it anyway)")) << b.out;
	EXPECT_EQ(read_file(base), before);
	Outcome f = run({"abi-check", "--baseline", base, "--update", "--allow-break", "--hint", "make it", broken});
	EXPECT_EQ(f.rc, kExitOk) << f.out;
	EXPECT_TRUE(contains(read_file(base), "Regenerate: make it\n"));
	EXPECT_TRUE(contains(read_file(base), "\tfield va_bits offset=16 size=4 align=4 type=__s32\n"));
}

TEST(Harness, TargetDependentMustDiffer)
{
	TempDir d;
	std::string h = d.write("t.h", wrap("#define T_OFFSET (sizeof(unsigned long) < 8 ? 1 : 2)\n#define T_SAME 3\n"));
	Outcome r = run({"abi-check", h});
	EXPECT_EQ(r.rc, kExitAbiFailed);
	EXPECT_TRUE(contains(r.out, "BREAK: constant T_OFFSET: 0x2 -> 0x1")) << r.out;
	r = run({"abi-check", "--target-dependent", "T_OFFSET", h});
	EXPECT_EQ(r.rc, kExitOk) << r.out;
	EXPECT_TRUE(contains(r.out, "note: constant T_OFFSET: declared target-dependent: 0x2 -> 0x1")) << r.out;
	r = run({"abi-check", "--target-dependent", "T_OFFSET", "--target-dependent", "T_SAME", h});
	EXPECT_EQ(r.rc, kExitAbiFailed);
	EXPECT_TRUE(contains(r.out, "BREAK: T_SAME: declared --target-dependent but the same on both targets")) << r.out;
}

TEST(Harness, UsageAndInputErrors)
{
	EXPECT_EQ(run({}).rc, kExitUsage);
	Outcome r = run({"frobnicate", "x.h"});
	EXPECT_EQ(r.rc, kExitUsage);
	EXPECT_TRUE(contains(r.err, "unknown command 'frobnicate'")) << r.err;
	EXPECT_TRUE(contains(run({"abi-check"}).err, "no header given"));
	EXPECT_TRUE(contains(run({"abi-check", "a.h", "b.h"}).err, "one header only"));
	EXPECT_TRUE(contains(run({"abi-check", "--update", REFGPU_UAPI_HEADER}).err, "--update needs --baseline FILE"));
	EXPECT_TRUE(contains(run({"schema", "--baseline", "x", REFGPU_UAPI_HEADER}).err, "unknown option --baseline for schema"));
	EXPECT_TRUE(contains(run({"schema", "--lang", "rust", REFGPU_UAPI_HEADER}).err, "--lang: c or c++"));
	EXPECT_EQ(run({"--help"}).rc, kExitOk);
	EXPECT_TRUE(contains(run({"abi-check", "--help"}).out, "usage: refgpu-harness COMMAND"));
	r = run({"schema", "/nonexistent/x.h"});
	EXPECT_EQ(r.rc, kExitUsage);
	EXPECT_TRUE(contains(r.err, "/nonexistent/x.h: cannot read")) << r.err;
	// A header that does not compile: the compiler's error.
	TempDir d;
	r = run({"schema", d.write("bad.h", "struct t { __u32 a }\n")});
	EXPECT_EQ(r.rc, kExitUsage);
	EXPECT_TRUE(contains(r.err, "bad.h:1:")) << r.err;
	// An annotation error.
	r = run({"abi-check", d.write("ann.h", wrap("struct t {\n\t/** @a: A. [refgpu: handle=vm] */\n\t__u32 a;\n};\n"))});
	EXPECT_EQ(r.rc, kExitUsage);
	EXPECT_TRUE(contains(r.err, "ann.h:6: struct t: field a: handle=vm: unknown handle kind 'vm'")) << r.err;
	// A malformed or missing baseline.
	r = run({"abi-check", "--baseline", d.write("b.abi", "nonsense\n"), REFGPU_UAPI_HEADER});
	EXPECT_EQ(r.rc, kExitUsage);
	EXPECT_TRUE(contains(r.err, "b.abi: line 1: expected \"refgpu-abi VERSION HEADER LANG TARGET\"")) << r.err;
	r = run({"abi-check", "--baseline", (d.path() / "none.abi").string(), REFGPU_UAPI_HEADER});
	EXPECT_TRUE(contains(r.err, "none.abi: cannot read (create it with --update)")) << r.err;
}

} // namespace
} // namespace refgpu::schema::test
