// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The ABI checker: planted changes of refgpu_drm.h against the committed
// baseline (breaks name the struct and field; compatible changes are
// additions), the baseline format, and the cross-build comparison.
#include <gtest/gtest.h>

#include "test_util.h"

namespace refgpu::schema::test {
namespace {

// The changes from the committed baseline to refgpu_drm.h with `from`
// replaced by `to`.
std::vector<std::string> planted(const std::string &from, const std::string &to)
{
	FrontendResult r = load_text(uapi_with(from, to), Lang::C, "x86_64-linux-gnu", "refgpu_drm.h");
	EXPECT_TRUE(r.ok) << (r.errors.empty() ? "" : r.errors[0]);
	return texts(compare(baseline(), r.schema, {false, false}));
}

std::string dump(const std::vector<std::string> &v)
{
	std::string s;
	for (const auto &x : v)
		s += "\n  " + x;
	return s;
}

TEST(Baseline, MatchesTheHeader)
{
	EXPECT_TRUE(compare(baseline(), refgpu_schema(), {false, false}).empty());
}

TEST(Baseline, RoundTrip)
{
	Schema s = refgpu_schema();
	std::string e;
	auto back = parse_abi_text(abi_text(s, "test"), &e);
	ASSERT_TRUE(back.has_value()) << e;
	EXPECT_TRUE(compare(s, *back, {true, false}).empty());
	EXPECT_EQ(abi_text(*back, "test"), abi_text(s, "test"));
	EXPECT_EQ(read_file(REFGPU_ABI_BASELINE), abi_text(s, "ci/abi-check --update"));
}

TEST(Baseline, MalformedIsRefused)
{
	std::string e;
	EXPECT_FALSE(parse_abi_text("", &e));
	EXPECT_EQ(e, "line 0: empty baseline");
	EXPECT_FALSE(parse_abi_text("refgpu-abi 2 x.h c t\n", &e));
	EXPECT_EQ(e, "line 1: baseline format 2, this build reads 1");
	EXPECT_FALSE(parse_abi_text("refgpu-abi 1 x.h c t\n\tfield a offset=0 size=4 align=4 type=int\n", &e));
	EXPECT_EQ(e, "line 2: field outside a struct");
	EXPECT_FALSE(parse_abi_text("refgpu-abi 1 x.h c t\nstruct s size=4 align=4\n\tfield a offset=0 type=int\n", &e));
	EXPECT_EQ(e, "line 3: field needs offset=, size=, align= and type=");
	EXPECT_FALSE(parse_abi_text("refgpu-abi 1 x.h c t\nwidget w\n", &e));
	EXPECT_EQ(e, "line 2: unknown line kind 'widget'");
}

TEST(Planted, FieldMoved)
{
	// handle and flags swapped (their annotations stay with their names).
	auto c = planted("\t__u32 flags;\n\n\t/**\n\t * @handle: Out: the new GEM handle. Must be zero on input.\n"
		    "\t * [refgpu: out, mbz, handle=gem:create]\n\t */\n\t__u32 handle;",
		    "\t__u32 handle;\n\t__u32 flags;");
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_bo_create: field handle: offset 12 -> 8")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_bo_create: field flags: offset 8 -> 12")) << dump(c);
	EXPECT_EQ(c.size(), 2u) << dump(c);
}

TEST(Planted, FieldWidened)
{
	auto c = planted("\t/** @handle: Handle of the BO. [refgpu: in, handle=gem] */\n\t__u32 handle;",
			 "\t/** @handle: Handle of the BO. [refgpu: in, handle=gem] */\n\t__u64 handle;");
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_bo_mmap_offset: field handle: size 4 -> 8")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_bo_mmap_offset: field handle: type __u32 -> __u64")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_bo_mmap_offset: field pad: offset 4 -> 8")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_bo_mmap_offset: size 16 -> 24")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: ioctl DRM_IOCTL_REFGPU_BO_MMAP_OFFSET: size 16 -> 24 (number 0xc0106442 -> 0xc0186442)"))
		<< dump(c);
}

TEST(Planted, SignednessChanged)
{
	auto c = planted("\t__u32 va_bits;", "\t__s32 va_bits;");
	EXPECT_EQ(c, std::vector<std::string>{"BREAK: struct drm_refgpu_gpu_info: field va_bits: type __u32 -> __s32"});
}

TEST(Planted, FieldRemoved)
{
	auto c = planted("\t/** @doorbell_count: Number of doorbell registers. */\n\t__u32 doorbell_count;\n", "");
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_gpu_info: field doorbell_count: removed")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_gpu_info: field pad: offset 28 -> 24")) << dump(c);
}

TEST(Planted, IoctlNumberChanged)
{
	auto c = planted("\tDRM_REFGPU_BO_MMAP_OFFSET,\n", "\tDRM_REFGPU_BO_MMAP_OFFSET = 5,\n");
	EXPECT_TRUE(has(c, "BREAK: ioctl DRM_IOCTL_REFGPU_BO_MMAP_OFFSET: nr 0x42 -> 0x45 (number 0xc0106442 -> 0xc0106445)"))
		<< dump(c);
	EXPECT_TRUE(has(c, "BREAK: enum drm_refgpu_ioctl_id: value DRM_REFGPU_BO_MMAP_OFFSET: 0x2 -> 0x5")) << dump(c);
	c = planted("DRM_IOCTL_REFGPU(WR, BO_CREATE, bo_create)", "DRM_IOCTL_REFGPU(R, BO_CREATE, bo_create)");
	EXPECT_EQ(c, std::vector<std::string>{
		"BREAK: ioctl DRM_IOCTL_REFGPU_BO_CREATE: direction rw -> r (number 0xc0106441 -> 0x80106441)"});
}

TEST(Planted, IoctlRemoved)
{
	auto c = planted("#define DRM_IOCTL_REFGPU_BO_MMAP_OFFSET \\\n\tDRM_IOCTL_REFGPU(WR, BO_MMAP_OFFSET, bo_mmap_offset)\n", "");
	EXPECT_EQ(c, std::vector<std::string>{"BREAK: ioctl DRM_IOCTL_REFGPU_BO_MMAP_OFFSET: removed"});
}

TEST(Planted, ConstantChanged)
{
	auto c = planted("#define DRM_REFGPU_DEV_QUERY_MAX_SIZE\t4096", "#define DRM_REFGPU_DEV_QUERY_MAX_SIZE\t8192");
	EXPECT_EQ(c, std::vector<std::string>{"BREAK: constant DRM_REFGPU_DEV_QUERY_MAX_SIZE: 0x1000 -> 0x2000"});
}

// Compatible changes: the header grew the way the UAPI rules allow.
TEST(Compatible, FieldAppendedToAQueryObject)
{
	auto c = planted("\t__u64 max_bo_size;\n", "\t__u64 max_bo_size;\n\n\t/** @extra: New. */\n\t__u64 extra;\n");
	EXPECT_EQ(c, (std::vector<std::string>{
			     "compatible: struct drm_refgpu_gpu_info: field extra: appended at offset 40",
			     "compatible: struct drm_refgpu_gpu_info: size 40 -> 48 (grew at its end)"}));
}

TEST(Compatible, PadReplacedByAField)
{
	auto c = planted("\t/** @pad: MBZ. [refgpu: pad] */\n\t__u32 pad;\n\n\t/**\n\t * @offset:",
			 "\t/** @flags: New. [refgpu: in] */\n\t__u32 flags;\n\n\t/**\n\t * @offset:");
	EXPECT_EQ(c, std::vector<std::string>{
		"compatible: struct drm_refgpu_bo_mmap_offset: field pad: replaced by flags (it was padding)"});
	// Not a pad: the same replacement of a real field breaks.
	c = planted("\t/** @va_bits: Width of a GPU virtual address, in bits. */\n\t__u32 va_bits;",
		    "\t/** @va_bitz: Renamed. */\n\t__u32 va_bitz;");
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_gpu_info: field va_bits: removed")) << dump(c);
	// A field larger than the pad it replaces breaks.
	c = planted("\t/** @pad: MBZ. [refgpu: pad] */\n\t__u32 pad;\n\n\t/**\n\t * @offset:",
		    "\t/** @big: New. */\n\t__u64 big;\n\n\t/**\n\t * @offset:");
	EXPECT_TRUE(has(c, "BREAK: struct drm_refgpu_bo_mmap_offset: field pad: removed")) << dump(c);
}

TEST(Compatible, IoctlArgumentGrownAtItsEnd)
{
	// DRM: drm_ioctl() dispatches on nr and zero-extends an old argument.
	auto c = planted("\t__u32 handle;\n};\n\n/**\n * struct drm_refgpu_bo_mmap_offset",
			 "\t__u32 handle;\n\t/** @extra: New. */\n\t__u64 extra;\n};\n\n/**\n * struct drm_refgpu_bo_mmap_offset");
	for (const auto &x : c)
		EXPECT_EQ(x.rfind("BREAK", 0), std::string::npos) << dump(c);
	EXPECT_TRUE(has(c, "compatible: ioctl DRM_IOCTL_REFGPU_BO_CREATE: size 16 -> 24 (number 0xc0106441 -> 0xc0186441): "
			   "drm_ioctl() dispatches on nr and zero-extends an old, shorter argument")) << dump(c);
}

TEST(Compatible, NewIoctlAndEnumValue)
{
	std::string t = uapi_with("\tDRM_REFGPU_VM_BIND,\n", "\tDRM_REFGPU_VM_BIND,\n\tDRM_REFGPU_QUEUE_CREATE,\n");
	std::string add = "struct drm_refgpu_queue_create {\n\t/** @id: Out. [refgpu: out] */\n\t__u32 id;\n"
			  "\t/** @pad: MBZ. [refgpu: pad] */\n\t__u32 pad;\n};\n"
			  "#define DRM_IOCTL_REFGPU_QUEUE_CREATE DRM_IOCTL_REFGPU(WR, QUEUE_CREATE, queue_create)\n";
	t.insert(t.rfind("#if defined(__cplusplus)"), add);
	FrontendResult r = load_text(t, Lang::C, "x86_64-linux-gnu", "refgpu_drm.h");
	ASSERT_TRUE(r.ok) << (r.errors.empty() ? "" : r.errors[0]);
	auto c = texts(compare(baseline(), r.schema, {false, false}));
	EXPECT_EQ(c, (std::vector<std::string>{
			     "compatible: ioctl DRM_IOCTL_REFGPU_QUEUE_CREATE: added (number 0xc0086446)",
			     "compatible: struct drm_refgpu_queue_create: added (size 8)",
			     "compatible: enum drm_refgpu_ioctl_id: value DRM_REFGPU_QUEUE_CREATE = 0x6: added"}));
}

// Not DRM: an ioctl whose size changes breaks, and so does a structure that
// is an array element without a stride when it grows.
TEST(Compatible, NotWhenTheLayoutDependsOnTheSize)
{
	std::string before = wrap(
		"struct e { __u32 a; __u32 b; };\n"
		"struct t {\n\t/** @p: P. [refgpu: in, ptr=array, elem=e, count=n] */\n\t__u64 p;\n"
		"\t/** @n: N. [refgpu: in] */\n\t__u32 n;\n\t__u32 pad;\n};\n"
		"#define X_IOCTL _IOWR('x', 1, struct e)\n");
	std::string after = before;
	after.replace(after.find("__u32 b; };"), 11, "__u32 b; __u64 c; };");
	FrontendResult a = load_text(before), b = load_text(after);
	ASSERT_TRUE(a.ok && b.ok);
	auto c = texts(compare(a.schema, b.schema, {false, false}));
	EXPECT_TRUE(has(c, "BREAK: struct e: size 8 -> 16 (struct t field p holds an array of it without stride=: "
			   "old userspace steps by 8 bytes)")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: ioctl X_IOCTL: size 8 -> 16 (number 0xc0087801 -> 0xc0107801)")) << dump(c);
	EXPECT_TRUE(has(c, "compatible: struct e: field c: appended at offset 8")) << dump(c);
}

// Two builds of one header: any difference breaks, but i386's alignment.
TEST(Cross, I386HoleIsCaught)
{
	std::string h = wrap("struct t { __u32 a; __u64 b; };\n#define T_IOCTL DRM_IOWR(0x40, struct t)\n");
	FrontendResult x64 = load_text(h), x86 = load_text(h, Lang::C, "i386-linux-gnu");
	ASSERT_TRUE(x64.ok && x86.ok);
	auto c = texts(compare(x64.schema, x86.schema, {true, true}));
	EXPECT_TRUE(has(c, "BREAK: struct t: field b: offset 8 -> 4")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: struct t: size 16 -> 12")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: ioctl T_IOCTL: size 16 -> 12 (number 0xc0106440 -> 0xc00c6440)")) << dump(c);
	EXPECT_TRUE(has(c, "note: struct t: align 8 -> 4")) << dump(c);
	// The x86_64 build has a hole there: a note.
	EXPECT_EQ(texts(implicit_padding(x64.schema)),
		  std::vector<std::string>{"note: struct t: 4 byte(s) of implicit padding at offset 4 (after field a)"});
	// A long is 8 bytes here and 4 there.
	FrontendResult l64 = load_text(wrap("struct l { unsigned long v; };\n")),
		       l32 = load_text(wrap("struct l { unsigned long v; };\n"), Lang::C, "i386-linux-gnu");
	EXPECT_TRUE(has(texts(compare(l64.schema, l32.schema, {true, true})), "BREAK: struct l: field v: size 8 -> 4"));
}

TEST(Cross, CAndCppDifferenceIsCaught)
{
	std::string h = wrap("struct t {\n\t__u32 a;\n#ifdef __cplusplus\n\t__u32 b;\n#endif\n};\n");
	FrontendResult c = load_text(h), cxx = load_text(h, Lang::Cxx);
	ASSERT_TRUE(c.ok && cxx.ok);
	auto d = texts(compare(c.schema, cxx.schema, {true, false}));
	EXPECT_EQ(d, (std::vector<std::string>{"BREAK: struct t: field b: only in the second build",
					       "BREAK: struct t: size 4 -> 8"}));
}

TEST(Cross, BitFieldsAndAnonymousUnions)
{
	std::string h = wrap("struct t {\n\t__u32 a : 3;\n\t__u32 b : 5;\n\tunion {\n\t\t__u32 x;\n\t\t__u64 y;\n\t};\n};\n");
	FrontendResult r = load_text(h);
	ASSERT_TRUE(r.ok) << (r.errors.empty() ? "" : r.errors[0]);
	const Struct *t = r.schema.find_struct("t");
	ASSERT_NE(t, nullptr);
	ASSERT_EQ(t->fields.size(), 4u);
	EXPECT_EQ(t->fields[1].bit_width, 5);
	EXPECT_EQ(t->fields[1].offset_bits, 3u);
	EXPECT_EQ(t->fields[3].name, "y");
	EXPECT_EQ(t->fields[3].offset(), 8u);
	EXPECT_EQ(t->fields[3].in_anonymous, "union");
	std::string moved = h;
	moved.replace(moved.find("a : 3"), 5, "a : 4");
	auto c = texts(compare(r.schema, load_text(moved).schema, {false, false}));
	EXPECT_TRUE(has(c, "BREAK: struct t: field a: bit width 3 -> 4")) << dump(c);
	EXPECT_TRUE(has(c, "BREAK: struct t: field b: bit offset 3 -> 4")) << dump(c);
	std::string e;
	auto back = parse_abi_text(abi_text(r.schema, "t"), &e);
	ASSERT_TRUE(back.has_value()) << e;
	EXPECT_TRUE(compare(r.schema, *back, {true, false}).empty());
}

} // namespace
} // namespace refgpu::schema::test
