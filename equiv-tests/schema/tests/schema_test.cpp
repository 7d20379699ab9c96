// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The schema libclang reads, against what g++ compiles from the same
// headers (refgpu_drm.h here, the C++ register header for the C one), and
// panthor_drm.h.
#include <gtest/gtest.h>

#include <cstddef>
#include <regex>

#include "refgpu_drm.h"
#include "refgpu_regs.hpp"
#include "test_util.h"

namespace refgpu::schema::test {
namespace {

struct IoctlFact {
	const char *name;
	unsigned long number;
	unsigned nr, size;
	const char *arg;
};

// What g++ makes of the macros.
const IoctlFact kIoctls[] = {
	{"DRM_IOCTL_REFGPU_DEV_QUERY", DRM_IOCTL_REFGPU_DEV_QUERY,
	 DRM_COMMAND_BASE + DRM_REFGPU_DEV_QUERY, sizeof(drm_refgpu_dev_query), "drm_refgpu_dev_query"},
	{"DRM_IOCTL_REFGPU_BO_CREATE", DRM_IOCTL_REFGPU_BO_CREATE,
	 DRM_COMMAND_BASE + DRM_REFGPU_BO_CREATE, sizeof(drm_refgpu_bo_create), "drm_refgpu_bo_create"},
	{"DRM_IOCTL_REFGPU_BO_MMAP_OFFSET", DRM_IOCTL_REFGPU_BO_MMAP_OFFSET,
	 DRM_COMMAND_BASE + DRM_REFGPU_BO_MMAP_OFFSET, sizeof(drm_refgpu_bo_mmap_offset),
	 "drm_refgpu_bo_mmap_offset"},
	{"DRM_IOCTL_REFGPU_VM_CREATE", DRM_IOCTL_REFGPU_VM_CREATE, DRM_COMMAND_BASE + DRM_REFGPU_VM_CREATE,
	 sizeof(drm_refgpu_vm_create), "drm_refgpu_vm_create"},
	{"DRM_IOCTL_REFGPU_VM_DESTROY", DRM_IOCTL_REFGPU_VM_DESTROY,
	 DRM_COMMAND_BASE + DRM_REFGPU_VM_DESTROY, sizeof(drm_refgpu_vm_destroy), "drm_refgpu_vm_destroy"},
	{"DRM_IOCTL_REFGPU_VM_BIND", DRM_IOCTL_REFGPU_VM_BIND, DRM_COMMAND_BASE + DRM_REFGPU_VM_BIND,
	 sizeof(drm_refgpu_vm_bind), "drm_refgpu_vm_bind"},
};

TEST(RefgpuUapi, IoctlsAreTheCompilersNumbers)
{
	Schema s = refgpu_schema();
	ASSERT_EQ(s.ioctls.size(), std::size(kIoctls));
	for (std::size_t i = 0; i < std::size(kIoctls); i++) {
		const Ioctl &io = s.ioctls[i];
		SCOPED_TRACE(kIoctls[i].name);
		EXPECT_EQ(io.name, kIoctls[i].name);
		EXPECT_EQ(io.number, kIoctls[i].number);
		EXPECT_EQ(io.nr, kIoctls[i].nr);
		EXPECT_EQ(io.size, kIoctls[i].size);
		EXPECT_EQ(io.type, unsigned{DRM_IOCTL_BASE});
		EXPECT_EQ(io.arg, kIoctls[i].arg);
		EXPECT_EQ(io.dir_text(), "rw");
		EXPECT_EQ(io.default_dir(), Dir::InOut);
	}
	// The other integer macros are constants, not ioctls.
	ASSERT_EQ(s.constants.size(), 3u);
	EXPECT_EQ(s.constants[0].name, "DRM_REFGPU_DEV_QUERY_MAX_SIZE");
	EXPECT_EQ(s.constants[0].value, DRM_REFGPU_DEV_QUERY_MAX_SIZE);
	EXPECT_EQ(s.constants[1].name, "DRM_REFGPU_VM_BIND_OP_MIN_SIZE");
	EXPECT_EQ(s.constants[1].value, sizeof(drm_refgpu_vm_bind_op));
	EXPECT_EQ(s.constants[2].name, "DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE");
	EXPECT_EQ(s.constants[2].value, DRM_REFGPU_OBJ_ARRAY_MAX_STRIDE);
}

struct FieldFact {
	const char *record, *field;
	std::size_t offset, size, record_size, record_align;
};
#define FIELD(r, f) {#r, #f, offsetof(r, f), sizeof(r::f), sizeof(r), alignof(r)}
const FieldFact kFields[] = {
	FIELD(drm_refgpu_gpu_info, gpu_id), FIELD(drm_refgpu_gpu_info, fw_version),
	FIELD(drm_refgpu_gpu_info, features), FIELD(drm_refgpu_gpu_info, va_bits),
	FIELD(drm_refgpu_gpu_info, pa_bits), FIELD(drm_refgpu_gpu_info, doorbell_count),
	FIELD(drm_refgpu_gpu_info, pad), FIELD(drm_refgpu_gpu_info, max_bo_size),
	FIELD(drm_refgpu_dev_query, type), FIELD(drm_refgpu_dev_query, size),
	FIELD(drm_refgpu_dev_query, pointer), FIELD(drm_refgpu_dev_query, pad),
	FIELD(drm_refgpu_bo_create, size), FIELD(drm_refgpu_bo_create, flags),
	FIELD(drm_refgpu_bo_create, handle),
	FIELD(drm_refgpu_bo_mmap_offset, handle), FIELD(drm_refgpu_bo_mmap_offset, pad),
	FIELD(drm_refgpu_bo_mmap_offset, offset),
	FIELD(drm_refgpu_vm_info, user_va_start), FIELD(drm_refgpu_vm_info, user_va_end),
	FIELD(drm_refgpu_vm_info, page_size), FIELD(drm_refgpu_vm_info, max_vms),
	FIELD(drm_refgpu_vm_info, max_bind_ops), FIELD(drm_refgpu_vm_info, pad),
	FIELD(drm_refgpu_obj_array, stride), FIELD(drm_refgpu_obj_array, count),
	FIELD(drm_refgpu_obj_array, array),
	FIELD(drm_refgpu_vm_create, flags), FIELD(drm_refgpu_vm_create, id),
	FIELD(drm_refgpu_vm_destroy, id), FIELD(drm_refgpu_vm_destroy, pad),
	FIELD(drm_refgpu_vm_bind_op, op), FIELD(drm_refgpu_vm_bind_op, flags),
	FIELD(drm_refgpu_vm_bind_op, bo_handle), FIELD(drm_refgpu_vm_bind_op, pad),
	FIELD(drm_refgpu_vm_bind_op, bo_offset), FIELD(drm_refgpu_vm_bind_op, va),
	FIELD(drm_refgpu_vm_bind_op, size),
	FIELD(drm_refgpu_vm_bind, vm_id), FIELD(drm_refgpu_vm_bind, flags),
	FIELD(drm_refgpu_vm_bind, ops),
};
#undef FIELD

TEST(RefgpuUapi, LayoutIsTheCompilers)
{
	Schema s = refgpu_schema();
	EXPECT_EQ(s.structs.size(), 10u);
	std::size_t fields = 0;
	for (const auto &st : s.structs)
		fields += st.fields.size();
	EXPECT_EQ(fields, std::size(kFields)) << "a field the table does not know";
	for (const auto &f : kFields) {
		SCOPED_TRACE(std::string(f.record) + "." + f.field);
		const Struct *st = s.find_struct(f.record);
		ASSERT_NE(st, nullptr);
		EXPECT_EQ(st->size, f.record_size);
		EXPECT_EQ(st->align, f.record_align);
		const Field *fl = st->field(f.field);
		ASSERT_NE(fl, nullptr);
		EXPECT_EQ(fl->offset(), f.offset);
		EXPECT_EQ(fl->size, f.size);
		// The one structure member: the bind's array of operations.
		bool nested = std::string(f.field) == "ops";
		EXPECT_EQ(fl->is_integer(), !nested);
		EXPECT_EQ(fl->is_record, nested);
	}
	const Field *h = s.find_struct("drm_refgpu_bo_create")->field("handle");
	EXPECT_EQ(h->type, "__u32");
	EXPECT_EQ(h->canonical, "unsigned int");
}

TEST(RefgpuUapi, Annotations)
{
	Schema s = refgpu_schema();
	auto field = [&](const char *r, const char *f) -> const Annotation & {
		static const Annotation none;
		const Struct *st = s.find_struct(r);
		const Field *fl = st ? st->field(f) : nullptr;
		EXPECT_NE(fl, nullptr) << r << "." << f;
		return fl ? fl->ann : none;
	};
	const Annotation &handle = field("drm_refgpu_bo_create", "handle");
	EXPECT_EQ(handle.dir, Dir::Out);
	EXPECT_TRUE(handle.mbz);
	EXPECT_EQ(handle.handle, "gem");
	EXPECT_EQ(handle.handle_role, HandleRole::Create);
	EXPECT_EQ(handle.to_string(), "out, mbz, handle=gem:create");
	EXPECT_EQ(field("drm_refgpu_bo_create", "flags").flags, "drm_refgpu_bo_flags");
	EXPECT_EQ(field("drm_refgpu_bo_create", "size").dir, Dir::InOut);

	const Annotation &mh = field("drm_refgpu_bo_mmap_offset", "handle");
	EXPECT_EQ(mh.dir, Dir::In);
	EXPECT_EQ(mh.handle, "gem");
	EXPECT_EQ(mh.handle_role, HandleRole::Use);
	EXPECT_EQ(field("drm_refgpu_bo_mmap_offset", "offset").impl, Impl::MmapOffset);
	EXPECT_EQ(field("drm_refgpu_bo_mmap_offset", "offset").dir, Dir::Out);

	const Annotation &ptr = field("drm_refgpu_dev_query", "pointer");
	EXPECT_EQ(ptr.ptr, Ptr::Buffer);
	EXPECT_EQ(ptr.size, "size");
	EXPECT_EQ(ptr.select, "type");
	ASSERT_EQ(ptr.cases.size(), 2u);
	EXPECT_EQ(ptr.cases[0].first, "DRM_REFGPU_DEV_QUERY_GPU_INFO");
	EXPECT_EQ(ptr.cases[0].second, "drm_refgpu_gpu_info");
	EXPECT_EQ(ptr.cases[1].first, "DRM_REFGPU_DEV_QUERY_VM_INFO");
	EXPECT_EQ(ptr.cases[1].second, "drm_refgpu_vm_info");

	const Annotation &ops = field("drm_refgpu_obj_array", "array");
	EXPECT_EQ(ops.ptr, Ptr::Array);
	EXPECT_EQ(ops.elem, "drm_refgpu_vm_bind_op");
	EXPECT_EQ(ops.count, "count");
	EXPECT_EQ(ops.stride, "stride");
	const Annotation &vm = field("drm_refgpu_vm_create", "id");
	EXPECT_EQ(vm.handle, "vm");
	EXPECT_EQ(vm.handle_role, HandleRole::Create);
	EXPECT_EQ(field("drm_refgpu_vm_destroy", "id").handle_role, HandleRole::Destroy);
	EXPECT_EQ(field("drm_refgpu_vm_bind", "vm_id").handle_role, HandleRole::Use);
	EXPECT_EQ(field("drm_refgpu_vm_bind_op", "bo_handle").handle, "gem");
	EXPECT_EQ(ptr.data, Dir::Out);
	EXPECT_TRUE(ptr.nullable);
	EXPECT_EQ(field("drm_refgpu_dev_query", "type").enum_name, "drm_refgpu_dev_query_type");

	for (const auto &[r, f] : {std::pair{"drm_refgpu_gpu_info", "pad"}, {"drm_refgpu_dev_query", "pad"},
				   {"drm_refgpu_bo_mmap_offset", "pad"}})
		EXPECT_TRUE(field(r, f).pad) << r << "." << f;
	EXPECT_FALSE(field("drm_refgpu_gpu_info", "gpu_id").present);

	EXPECT_TRUE(s.find_enum("drm_refgpu_bo_flags")->is_flags);
	EXPECT_TRUE(s.find_enum("drm_refgpu_gpu_features")->is_flags);
	EXPECT_FALSE(s.find_enum("drm_refgpu_dev_query_type")->is_flags);
	EXPECT_FALSE(s.find_enum("drm_refgpu_ioctl_id")->is_flags);
	std::vector<std::string> kinds = builtin_handle_kinds();
	kinds.push_back("vm"); // declared by the header's handle-kinds=
	EXPECT_EQ(s.handle_kinds, kinds);
}

// Today's UAPI is annotated completely: every field of every ioctl argument
// says its direction or that it is padding.
TEST(RefgpuUapi, EveryArgumentFieldIsAnnotated)
{
	Schema s = refgpu_schema();
	for (const auto &io : s.ioctls) {
		const Struct *st = s.find_struct(io.arg);
		ASSERT_NE(st, nullptr) << io.name;
		for (const auto &f : st->fields)
			EXPECT_TRUE(f.ann.pad || f.ann.dir != Dir::Unset) << io.name << ": " << st->name << "." << f.name;
	}
}

TEST(RefgpuUapi, CppAndI386LayOutTheSame)
{
	Schema c = refgpu_schema();
	EXPECT_TRUE(compare(c, refgpu_schema(Lang::Cxx), {true, false}).empty());
	Schema i386 = refgpu_schema(Lang::C, "i386-linux-gnu");
	auto changes = compare(c, i386, {true, true});
	EXPECT_EQ(count(changes, Severity::Break), 0u);
	// i386 aligns __u64 to 4 bytes: every structure with one is 4-aligned there.
	EXPECT_TRUE(has(texts(changes), "note: struct drm_refgpu_bo_create: align 8 -> 4"));
	EXPECT_EQ(i386.find_struct("drm_refgpu_bo_create")->align, 4u);
}

TEST(Json, RoundTrip)
{
	Schema s = refgpu_schema();
	auto j = to_json(s);
	EXPECT_EQ(j["ioctls"].size(), 6u);
	EXPECT_EQ(j["ioctls"][1]["number_hex"], "0xc0106441");
	// (at(): operator[] would add the keys it does not find)
	std::size_t bo = 0;
	while (bo < j["structs"].size() && j["structs"][bo]["name"] != "drm_refgpu_bo_create")
		bo++;
	ASSERT_LT(bo, j["structs"].size());
	EXPECT_EQ(j.at("structs").at(bo).at("fields").at(2).at("annotation").at("handle").at("role"),
		  "create");
	std::string e;
	auto back = schema_from_json(nlohmann::json::parse(j.dump()), &e);
	ASSERT_TRUE(back.has_value()) << e;
	EXPECT_EQ(to_json(*back).dump(), j.dump());
	for (const auto &[r, f] : {std::pair{"drm_refgpu_dev_query", "pointer"}, {"drm_refgpu_bo_create", "handle"}})
		EXPECT_EQ(back->find_struct(r)->field(f)->ann.to_string(), s.find_struct(r)->field(f)->ann.to_string());
}

TEST(Json, RefusesOtherDocuments)
{
	std::string e;
	auto j = nlohmann::json::parse(to_json(refgpu_schema()).dump());
	j["version"] = kSchemaFormatVersion + 1;
	EXPECT_FALSE(schema_from_json(j, &e).has_value());
	EXPECT_NE(e.find("schema version"), std::string::npos) << e;
	j["format"] = "something";
	EXPECT_FALSE(schema_from_json(j, &e).has_value());
	j = nlohmann::json::parse(to_json(refgpu_schema()).dump());
	j["structs"][0]["fields"][0]["annotation"] = {{"impl", "sometimes"}};
	EXPECT_FALSE(schema_from_json(j, &e).has_value());
	EXPECT_NE(e.find("unknown impl"), std::string::npos) << e;
}

// A header that is not ours, without annotations.
TEST(Panthor, ListsItsIoctlsAndLayouts)
{
	FrontendOptions o;
	o.header = REFGPU_PANTHOR_HEADER;
	FrontendResult r = load_header(o);
	ASSERT_TRUE(r.ok) << (r.errors.empty() ? "" : r.errors[0]);
	const Schema &s = r.schema;
	// Every DRM_IOCTL_PANTHOR_X the header #defines, in order.
	std::string text = read_file(REFGPU_PANTHOR_HEADER);
	std::regex def(R"(#define (DRM_IOCTL_PANTHOR_[A-Z_]+)[ \t]*\\\n)");
	std::vector<std::string> want;
	for (std::sregex_iterator i(text.begin(), text.end(), def), end; i != end; ++i)
		want.push_back((*i)[1]);
	ASSERT_EQ(want.size(), 13u);
	ASSERT_EQ(s.ioctls.size(), want.size());
	for (std::size_t i = 0; i < want.size(); i++) {
		EXPECT_EQ(s.ioctls[i].name, want[i]);
		EXPECT_EQ(s.ioctls[i].nr, DRM_COMMAND_BASE + i);
		const Struct *st = s.find_struct(s.ioctls[i].arg);
		ASSERT_NE(st, nullptr) << want[i];
		EXPECT_EQ(st->size, s.ioctls[i].size);
	}
	const Ioctl *bind = s.find_ioctl("DRM_IOCTL_PANTHOR_VM_BIND");
	ASSERT_NE(bind, nullptr);
	EXPECT_EQ(bind->arg, "drm_panthor_vm_bind");
	EXPECT_EQ(bind->number, 0xc0186443u);
	const Field *pad = s.find_struct("drm_panthor_queue_create")->field("pad");
	EXPECT_EQ(pad->type, "__u8[3]");
	EXPECT_EQ(pad->array_len, 3u);
	EXPECT_EQ(pad->elem_type, "__u8");
	EXPECT_EQ(pad->offset(), 1u);
	const Field *syncs = s.find_struct("drm_panthor_vm_bind_op")->field("syncs");
	EXPECT_TRUE(syncs->is_record);
	EXPECT_EQ(syncs->type, "struct drm_panthor_obj_array");
	EXPECT_EQ(syncs->offset(), 32u);
	ASSERT_NE(s.find_enum("drm_panthor_vm_bind_op_flags"), nullptr);
	for (const auto &st : s.structs)
		for (const auto &f : st.fields)
			EXPECT_FALSE(f.ann.present) << st.name << "." << f.name;
	// C++ lays it out the same.
	o.lang = Lang::Cxx;
	FrontendResult cxx = load_header(o);
	ASSERT_TRUE(cxx.ok);
	EXPECT_TRUE(compare(s, cxx.schema, {true, false}).empty());
}

// The generated C register header, read by libclang, against the C++
// header's tables compiled by g++: the same offsets, arrays and masks.
TEST(RegisterHeader, ConstantsAreTheCppTables)
{
	FrontendOptions o;
	o.header = REFGPU_REGS_C_HEADER;
	o.pre_includes = {REFGPU_REGS_INCLUDER};
	FrontendResult r = load_header(o);
	ASSERT_TRUE(r.ok) << (r.errors.empty() ? "" : r.errors[0]);
	const Schema &s = r.schema;
	EXPECT_TRUE(s.ioctls.empty());
	using namespace refgpu::regs;
	auto constant = [&](const std::string &n) -> std::int64_t {
		const Constant *c = s.find_constant(n);
		EXPECT_NE(c, nullptr) << n;
		return c ? c->value : -1;
	};
	std::size_t arrays = 0;
	for (const RegInfo &reg : registers) {
		std::string p = std::string("REFGPU_") + reg.name;
		SCOPED_TRACE(p);
		if (reg.is_array) {
			arrays++;
			const LinearMacro *m = nullptr;
			for (const auto &x : s.linear_macros)
				if (x.name == p)
					m = &x;
			ASSERT_NE(m, nullptr);
			EXPECT_EQ(m->base, reg.offset);
			EXPECT_EQ(m->stride, reg.stride);
			EXPECT_EQ(constant(p + "_COUNT"), reg.count);
			EXPECT_EQ(constant(p + "_STRIDE"), reg.stride);
		} else {
			EXPECT_EQ(constant(p), reg.offset);
		}
		EXPECT_EQ(constant(p + "_RESET_VALUE"), reg.reset);
		EXPECT_EQ(constant(p + "_RES0"), reg.res0);
	}
	EXPECT_EQ(s.linear_macros.size(), arrays);
	for (const FieldInfo &f : fields)
		EXPECT_EQ(constant(std::string("REFGPU_") + f.reg + "_" + f.name), f.mask) << f.reg << "." << f.name;
}

// --kernel-src: a tree laid out like the kernel's source (asm/types.h and
// asm/ioctl.h only named by asm-generic/Kbuild's mandatory-y), built here
// from the host's installed headers, gives the host's schema.
TEST(KernelSource, GeneratesTheMandatoryAsmHeaders)
{
	namespace fs = std::filesystem;
	TempDir k;
	auto copy_dir = [&](const fs::path &from, const fs::path &to) {
		fs::create_directories(k.path() / to);
		fs::copy(from, k.path() / to, fs::copy_options::recursive);
	};
	copy_dir("/usr/include/asm-generic", "include/uapi/asm-generic");
	copy_dir("/usr/include/linux", "include/uapi/linux");
	copy_dir("/usr/include/x86_64-linux-gnu/asm", "arch/x86/include/uapi/asm");
	fs::remove(k.path() / "arch/x86/include/uapi/asm/types.h");
	fs::remove(k.path() / "arch/x86/include/uapi/asm/ioctl.h");
	k.write("include/uapi/drm/drm.h", read_file(std::string(REFGPU_EQUIV_LIBDRM_DIR) + "/drm.h"));
	k.write("include/uapi/drm/drm_mode.h", read_file(std::string(REFGPU_EQUIV_LIBDRM_DIR) + "/drm_mode.h"));
	FrontendOptions o;
	o.header = REFGPU_UAPI_HEADER;
	o.kernel_src = k.path().string();
	// Without the Kbuild list there is no asm/types.h.
	FrontendResult bad = load_header(o);
	EXPECT_FALSE(bad.ok);
	EXPECT_TRUE(error_has(bad.errors, "'asm/types.h' file not found")) << bad.errors.size();
	k.write("include/uapi/asm-generic/Kbuild",
		"# test\nmandatory-y += ioctl.h\nmandatory-y += types.h\nmandatory-y += bitsperlong.h\n");
	for (const char *t : {"x86_64-linux-gnu", "i386-linux-gnu"}) {
		o.target = t;
		FrontendResult r = load_header(o);
		ASSERT_TRUE(r.ok) << t << ": " << (r.errors.empty() ? "" : r.errors[0]);
		EXPECT_TRUE(compare(refgpu_schema(Lang::C, t), r.schema, {true, false}).empty()) << t;
	}
	o.kernel_src = k.path() / "include";
	FrontendResult none = load_header(o);
	EXPECT_TRUE(error_has(none.errors, "is not a kernel source tree"));
}

} // namespace
} // namespace refgpu::schema::test
