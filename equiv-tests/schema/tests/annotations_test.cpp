// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The annotation convention: every key on a made-up UAPI (data/annotated.h),
// and each kind of mistake refused with a message that says what and where.
#include <gtest/gtest.h>

#include "annotations.h"
#include "test_util.h"

namespace refgpu::schema::test {
namespace {

Schema annotated()
{
	FrontendOptions o;
	o.header = REFGPU_SCHEMA_TEST_DATA "/annotated.h";
	FrontendResult r = load_header(o);
	EXPECT_TRUE(r.ok);
	for (const auto &e : r.errors)
		ADD_FAILURE() << e;
	return r.schema;
}

const Annotation &ann(const Schema &s, const char *r, const char *f)
{
	static const Annotation none;
	const Struct *st = s.find_struct(r);
	const Field *fl = st ? st->field(f) : nullptr;
	EXPECT_NE(fl, nullptr) << r << "." << f;
	return fl ? fl->ann : none;
}

TEST(Annotations, EveryKey)
{
	Schema s = annotated();
	EXPECT_EQ(s.handle_kinds, (std::vector<std::string>{"gem", "syncobj", "vm", "queue"}));
	const Annotation &ops = ann(s, "test_submit", "ops");
	EXPECT_EQ(ops.to_string(),
		  "in, ptr=array, elem=test_op, count=op_count, stride=op_stride, data=inout");
	EXPECT_EQ(ops.data, Dir::InOut);
	const Annotation &info = ann(s, "test_submit", "info");
	EXPECT_EQ(info.ptr, Ptr::Struct);
	EXPECT_EQ(info.elem, "test_info");
	EXPECT_TRUE(info.nullable);
	EXPECT_EQ(ann(s, "test_submit", "vm").handle, "vm");
	EXPECT_EQ(ann(s, "test_submit", "queue").handle_role, HandleRole::Create);
	EXPECT_EQ(ann(s, "test_submit", "old").handle, "syncobj");
	EXPECT_EQ(ann(s, "test_submit", "old").handle_role, HandleRole::Destroy);
	EXPECT_EQ(ann(s, "test_submit", "cookie").impl, Impl::Opaque);
	EXPECT_EQ(ann(s, "test_submit", "cookie").to_string(), "out, impl");
	EXPECT_EQ(ann(s, "test_submit", "flags").flags, "test_flags");
	EXPECT_TRUE(ann(s, "test_submit", "reserved").pad);
	EXPECT_EQ(ann(s, "test_info", "ts").impl, Impl::Timestamp);
	// Members described in the structure's header comment.
	EXPECT_EQ(ann(s, "test_op", "type").enum_name, "test_op_type");
	EXPECT_EQ(ann(s, "test_op", "bo").handle, "gem");
	EXPECT_EQ(ann(s, "test_op", "va").impl, Impl::GpuVa);
	EXPECT_EQ(ann(s, "test_op", "va").line, 46u);
	EXPECT_TRUE(s.find_enum("test_flags")->is_flags);
	EXPECT_FALSE(s.find_enum("test_op_type")->is_flags);
	// The ioctl is found by its structure (no DRM_IOCTL_ prefix).
	ASSERT_EQ(s.ioctls.size(), 1u);
	EXPECT_EQ(s.ioctls[0].name, "TEST_IOCTL_SUBMIT");
	EXPECT_EQ(s.ioctls[0].arg, "test_submit");
	EXPECT_EQ(Schema::field_dir(s.ioctls[0], *s.find_struct("test_submit")->field("queue")), Dir::Out);
	// The JSON carries them too.
	auto j = to_json(s);
	EXPECT_EQ(j["structs"][2]["fields"][2]["annotation"]["ptr"]["stride"], "op_stride");
}

// A struct t with one annotated member `m` (member text given) and the
// fields `__u32 n; __u64 p;`.
std::vector<std::string> errors_of(const std::string &member_doc, const std::string &extra = "")
{
	FrontendResult r = load_text(wrap(extra + "enum e { E_A = 1, E_B = 2 };\n"
					  "struct u { __u32 x; };\n"
					  "/**\n * struct t - T\n */\nstruct t {\n"
					  "\t/** " + member_doc + " */\n\t__u64 p;\n"
					  "\t/** @n: N. */\n\t__u32 n;\n"
					  "\t/** @s: S. */\n\t__u32 s;\n"
					  "\t__u32 arr[2];\n};\n"));
	EXPECT_FALSE(r.ok) << member_doc;
	return r.errors;
}

struct Bad {
	const char *doc;
	const char *message;
};

TEST(Annotations, MistakesAreRefusedWithAClearMessage)
{
	const Bad cases[] = {
		// A pointer without its count.
		{"@p: P. [refgpu: ptr=array, elem=u]",
		 "struct t: field p: ptr=array needs count=FIELD (the sibling field holding the element count)"},
		{"@p: P. [refgpu: ptr=array, count=n]", "struct t: field p: ptr=array needs elem=STRUCT"},
		{"@p: P. [refgpu: ptr=buffer]", "ptr=buffer needs size=FIELD"},
		// An unknown handle kind.
		{"@p: P. [refgpu: handle=vm]",
		 "struct t: field p: handle=vm: unknown handle kind 'vm' (known: gem, syncobj;"},
		{"@p: P. [refgpu: handle=gem:steal]", "handle=gem:steal: unknown role 'steal'"},
		// An annotation naming a missing field.
		{"@p: P. [refgpu: ptr=array, elem=u, count=nosuch]",
		 "struct t: field p: count=nosuch: struct t has no field nosuch"},
		{"@p: P. [refgpu: ptr=array, elem=u, count=n, stride=nope]", "stride=nope: struct t has no field nope"},
		{"@p: P. [refgpu: ptr=buffer, size=gone]", "size=gone: struct t has no field gone"},
		{"@q: Q. [refgpu: in]", "struct t: field q: annotation names a missing field: struct t has no field q"},
		{"@p: P. [refgpu: ptr=array, elem=nostruct, count=n]", "elem=nostruct: no struct nostruct in test_drm.h"},
		{"@p: P. [refgpu: ptr=array, elem=u, count=p]", "count=p: names the pointer itself"},
		{"@p: P. [refgpu: ptr=array, elem=u, count=arr]", "count=arr: field arr is not an integer (__u32[2])"},
		{"@p: P. [refgpu: flags=nosuch]", "flags=nosuch: no enum nosuch in test_drm.h"},
		{"@p: P. [refgpu: enum=e, flags=e]", "flags= and enum= exclude each other"},
		{"@p: P. [refgpu: frobnicate]", "unknown key 'frobnicate'"},
		{"@p: P. [refgpu: in, in]", "in given twice"},
		{"@p: P. [refgpu: in, out]", "more than one direction"},
		{"@p: P. [refgpu: mbz=1]", "mbz takes no value"},
		{"@p: P. [refgpu: handle]", "handle needs a value (handle=...)"},
		{"@p: P. [refgpu: pad, in]", "pad excludes every other key"},
		{"@p: P. [refgpu: count=n]", "count= needs ptr="},
		{"@p: P. [refgpu: in, impl=mmap-offset]", "impl on an input-only field"},
		{"@p: P. [refgpu: in, handle=gem:create]", "handle=gem:create on an input-only field"},
		{"@p: P. [refgpu: impl=sometimes]", "impl=sometimes: unknown kind (known: opaque, mmap-offset, timestamp, gpu-va)"},
		{"@p: P. [refgpu: ptr=list]", "ptr=list: unknown kind (known: array, buffer, struct)"},
		{"@p: P. [refgpu: ptr=struct, elem=u, data=sideways]", "data=sideways: unknown kind (known: in, out, inout)"},
		{"@p: P. [refgpu: ptr=]", "ptr needs a value (ptr=...)"},
		{"@p: P. [refgpu: ptr=buffer, size=n, select=s]", "select=s needs at least one case=VALUE:STRUCT"},
		{"@p: P. [refgpu: ptr=buffer, size=n, select=s, case=E_C:u]", "E_C is not a value of any enum of test_drm.h"},
		{"@p: P. [refgpu: ptr=buffer, size=n, select=s, case=E_A]", "expected case=VALUE:STRUCT"},
		{"@p: P. [refgpu: in", "unterminated annotation"},
	};
	for (const Bad &b : cases) {
		auto errs = errors_of(b.doc);
		EXPECT_TRUE(error_has(errs, b.message))
			<< b.doc << "\n  wanted: " << b.message << "\n  got: " << (errs.empty() ? "(nothing)" : errs[0]);
	}
	// The message names the header and the line of the annotation.
	auto vm = errors_of("@p: P. [refgpu: handle=vm]");
	EXPECT_TRUE(error_has(vm, "test_drm.h:11: struct t: field p:")) << vm[0];
}

TEST(Annotations, PointersNeedA64BitUnsignedField)
{
	FrontendResult r = load_text(wrap("struct u { __u32 x; };\nstruct t {\n"
					  "\t/** @p: P. [refgpu: ptr=struct, elem=u] */\n\t__u32 p;\n};\n"));
	EXPECT_TRUE(error_has(r.errors, "ptr=struct: a user pointer is a __u64; field p is __u32 (4 bytes)"));
	r = load_text(wrap("struct t {\n\t/** @h: H. [refgpu: handle=gem] */\n\t__u32 h[2];\n};\n"));
	EXPECT_TRUE(error_has(r.errors, "handle=gem: the field is not an integer (__u32[2])"));
}

TEST(Annotations, OnlyInStructureMembers)
{
	// In an enum's comment.
	FrontendResult r = load_text(wrap("/**\n * enum e - E [refgpu: in]\n */\nenum e { E_A };\n"));
	EXPECT_TRUE(error_has(r.errors, "test_drm.h:6: annotation outside the kernel-doc of a structure member"));
	// In a structure's description, not its members'.
	r = load_text(wrap("/**\n * struct t - T\n * @a: A.\n *\n * Text. [refgpu: in]\n */\n"
			   "struct t { __u32 a; };\n"));
	EXPECT_TRUE(error_has(r.errors, "struct t: annotation outside an @member: description"));
	// A DOC comment declares handle kinds only.
	r = load_text(wrap("/**\n * DOC: x\n *\n * [refgpu: in]\n */\nstruct t { __u32 a; };\n"));
	EXPECT_TRUE(error_has(r.errors, "a DOC comment's annotation declares handle-kinds=KIND ... only"));
	r = load_text(wrap("/**\n * DOC: x\n *\n * [refgpu: handle-kinds=gem]\n */\nstruct t { __u32 a; };\n"));
	EXPECT_TRUE(error_has(r.errors, "handle-kinds: 'gem' declared twice (or built in)"));
	// Twice on one member.
	r = load_text(wrap("/**\n * struct t - T\n * @a: A. [refgpu: in]\n */\n"
			   "struct t {\n\t/** @a: A. [refgpu: out] */\n\t__u32 a;\n};\n"));
	EXPECT_TRUE(error_has(r.errors, "struct t: field a: annotated twice (first at line"));
	// Declared kinds are known; the control of the unknown-kind case.
	r = load_text(wrap("/**\n * DOC: x\n *\n * [refgpu: handle-kinds=vm]\n */\n"
			   "struct t {\n\t/** @a: A. [refgpu: in, handle=vm] */\n\t__u32 a;\n};\n"));
	EXPECT_TRUE(r.ok) << (r.errors.empty() ? "" : r.errors[0]);
}

TEST(DocComments, SkipsStringsAndOtherComments)
{
	auto c = doc_comments("const char *s = \"/** not */\";\n// /** no\n/* plain */\n"
			      "/**\n * @a: A. [refgpu: in]\n */\nint a;\n/** @b: B. */\n");
	ASSERT_EQ(c.size(), 2u);
	EXPECT_EQ(c[0].start_line, 4u);
	EXPECT_EQ(c[0].end_line, 6u);
	ASSERT_GE(c[0].lines.size(), 2u);
	EXPECT_EQ(c[0].lines[1].first, 5u);
	EXPECT_EQ(c[0].lines[1].second, "@a: A. [refgpu: in]");
	EXPECT_EQ(c[1].lines[0].second, "@b: B.");
}

} // namespace
} // namespace refgpu::schema::test

namespace refgpu::schema::test {
namespace {

// A sidecar annotates a header that cannot carry annotations (drm.h): its
// structure comments apply by name; C pointers and integer elements are
// accepted there; its mistakes are refused with its own file and line.
TEST(Sidecar, AnnotatesAHeaderThatIsNotOurs)
{
	TempDir d;
	FrontendOptions o;
	o.header = std::string(REFGPU_EQUIV_LIBDRM_DIR) + "/drm.h";
	o.annotation_files = {d.write("ok.annotations",
				      "/**\n * DOC: kinds\n *\n * [refgpu: handle-kinds=fd]\n */\n"
				      "/**\n * struct drm_version - V\n"
				      " * @name: [refgpu: in, ptr=buffer, size=name_len, data=out]\n */\n"
				      "/**\n * struct drm_syncobj_array - A\n"
				      " * @handles: [refgpu: in, ptr=array, elem=__u32, count=count_handles]\n"
				      " * @pad: [refgpu: pad]\n */\n"
				      "/**\n * struct drm_prime_handle - P\n * @fd: [refgpu: inout, handle=fd:create]\n */\n")};
	FrontendResult r = load_header(o);
	ASSERT_TRUE(r.ok) << (r.errors.empty() ? "" : r.errors[0]);
	const Field *name = r.schema.find_struct("drm_version")->field("name");
	EXPECT_EQ(name->ann.ptr, Ptr::Buffer);
	EXPECT_EQ(name->ann.size, "name_len");
	EXPECT_EQ(r.schema.find_struct("drm_syncobj_array")->field("handles")->ann.elem, "__u32");
	EXPECT_EQ(r.schema.find_struct("drm_prime_handle")->field("fd")->ann.handle, "fd");
	EXPECT_FALSE(r.schema.find_struct("drm_gem_close")->field("handle")->ann.present);

	// Planted mistakes.
	for (const auto &[text, msg] : std::vector<std::pair<std::string, std::string>>{
		     {"/**\n * struct drm_version - V\n * @nope: [refgpu: in]\n */\n",
		      "bad.annotations:3: struct drm_version: field nope: annotation names a missing field"},
		     {"/** @name: [refgpu: in] */\n", "bad.annotations:1: a sidecar annotates members in the comment of their structure"},
		     {"/**\n * struct drm_syncobj_array - A\n * @handles: [refgpu: ptr=array, elem=__u12, count=count_handles]\n */\n",
		      "elem=__u12: no struct __u12"},
		     {"/**\n * struct drm_gem_close - C\n * @handle: [refgpu: handle=vm]\n */\n", "unknown handle kind 'vm'"}}) {
		o.annotation_files = {d.write("bad.annotations", text)};
		r = load_header(o);
		EXPECT_FALSE(r.ok) << text;
		EXPECT_TRUE(error_has(r.errors, msg)) << (r.errors.empty() ? "(no error)" : r.errors[0]);
	}
	o.annotation_files = {d.path().string() + "/missing.annotations"};
	EXPECT_TRUE(error_has(load_header(o).errors, "cannot read the annotation file"));
}

} // namespace
} // namespace refgpu::schema::test
