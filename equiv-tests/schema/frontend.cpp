// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "frontend.h"

#include <clang-c/Index.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <type_traits>

#include "annotations.h"

#if !defined(REFGPU_CLANG_RESOURCE_DIR) || !defined(REFGPU_LIBDRM_INCLUDE_DIR)
#error "the build defines REFGPU_CLANG_RESOURCE_DIR (libclang's headers) and REFGPU_LIBDRM_INCLUDE_DIR"
#endif

namespace fs = std::filesystem;

namespace refgpu::schema {

std::string lang_name(Lang l) { return l == Lang::C ? "c" : "c++"; }

namespace {

std::string str(CXString s)
{
	const char *c = clang_getCString(s);
	std::string r = c ? c : "";
	clang_disposeString(s);
	return r;
}

struct IndexDeleter {
	void operator()(void *i) const { clang_disposeIndex(i); }
};
struct TuDeleter {
	void operator()(CXTranslationUnitImpl *t) const { clang_disposeTranslationUnit(t); }
};
using IndexPtr = std::unique_ptr<void, IndexDeleter>;
using TuPtr = std::unique_ptr<CXTranslationUnitImpl, TuDeleter>;

// A temporary directory, removed with its contents.
struct TempDir {
	fs::path path;
	TempDir()
	{
		std::string tmpl = (fs::temp_directory_path() / "refgpu-schema-XXXXXX").string();
		if (mkdtemp(tmpl.data()))
			path = tmpl;
	}
	~TempDir()
	{
		std::error_code ec;
		if (!path.empty())
			fs::remove_all(path, ec);
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
};

std::string arch_of(const std::string &target)
{
	std::string cpu = target.substr(0, target.find('-'));
	if (cpu == "x86_64" || (cpu.size() == 4 && cpu[0] == 'i' && cpu.substr(2) == "86"))
		return "x86";
	if (cpu == "aarch64")
		return "arm64";
	if (cpu.rfind("arm", 0) == 0)
		return "arm";
	if (cpu.rfind("riscv", 0) == 0)
		return "riscv";
	return "";
}

// Compiler arguments for o; shims (asm/ headers a kernel tree generates at
// build time) are written to shim_dir. Returns an error or "".
std::string build_args(const FrontendOptions &o, const fs::path &shim_dir, std::vector<std::string> *args)
{
	auto &a = *args;
	a = {"-x", o.lang == Lang::C ? "c" : "c++", o.lang == Lang::C ? "-std=gnu11" : "-std=gnu++20",
	     "-target", o.target, "-nostdinc", "-w", "-ferror-limit=0"};
	if (o.lang == Lang::Cxx)
		a.push_back("-nostdinc++");
	for (const auto &d : o.defines)
		a.push_back("-D" + d);
	for (const auto &d : o.include_dirs)
		a.push_back("-I" + d);
	for (const auto &f : o.pre_includes) {
		a.push_back("-include");
		a.push_back(fs::absolute(f).string());
	}
	a.push_back("-isystem");
	a.push_back(std::string(REFGPU_CLANG_RESOURCE_DIR) + "/include");
	if (o.kernel_src.empty()) {
		// The host's UAPI headers (linux-libc-dev) and libdrm's drm.h. For
		// i386 on an x86_64 host the x86_64 multiarch asm/ directory
		// serves: its headers are bi-arch (asm/posix_types.h and
		// asm/bitsperlong.h select on __i386__ / __x86_64__).
		fs::path multi = fs::path("/usr/include") / o.target;
		if (!fs::is_directory(multi) && arch_of(o.target) == "x86")
			multi = "/usr/include/x86_64-linux-gnu";
		if (!fs::is_directory(multi / "asm"))
			return "no asm/ UAPI headers for " + o.target + " under " + multi.string() +
			       " (use --kernel-src)";
		a.push_back("-I" REFGPU_LIBDRM_INCLUDE_DIR);
		a.push_back("-isystem");
		a.push_back(multi.string());
		a.push_back("-isystem");
		a.push_back("/usr/include");
		return "";
	}
	fs::path k = o.kernel_src;
	std::string arch = arch_of(o.target);
	if (arch.empty())
		return "no kernel architecture known for target " + o.target;
	fs::path arch_uapi = k / "arch" / arch / "include/uapi";
	if (!fs::is_directory(k / "include/uapi/asm-generic") || !fs::is_directory(arch_uapi))
		return o.kernel_src + " is not a kernel source tree (no include/uapi/asm-generic or " +
		       arch_uapi.string() + ")";
	// What `make headers_install` would add: asm/X.h -> asm-generic/X.h for
	// every mandatory asm header the architecture does not provide.
	std::ifstream kb(k / "include/uapi/asm-generic/Kbuild");
	std::string line;
	std::error_code ec;
	fs::create_directories(shim_dir / "asm", ec);
	while (std::getline(kb, line)) {
		std::istringstream ls(line);
		std::string var, op, h;
		if (!(ls >> var >> op >> h) || var != "mandatory-y" || op != "+=")
			continue;
		if (fs::exists(arch_uapi / "asm" / h) || !fs::exists(k / "include/uapi/asm-generic" / h))
			continue;
		std::ofstream(shim_dir / "asm" / h) << "#include <asm-generic/" << h << ">\n";
	}
	// And what its sed script does to every header: drop the compiler
	// headers' include and the sparse annotations.
	fs::create_directories(shim_dir / "linux", ec);
	std::ofstream(shim_dir / "linux/compiler_types.h") << "/* removed by headers_install */\n";
	std::ofstream(shim_dir / "linux/compiler.h") << "/* removed by headers_install */\n";
	for (const char *d : {"__EXPORTED_HEADERS__", "__user=", "__force=", "__iomem=",
			      "__attribute_const__=", "__packed=__attribute__((packed))"})
		a.push_back(std::string("-D") + d);
	for (const auto &d : {k / "include/uapi/drm", arch_uapi, shim_dir, k / "include/uapi"}) {
		a.push_back("-isystem");
		a.push_back(d.string());
	}
	return "";
}

// A one-argument macro is linear (a register array's offset) when it is at
// these arguments; the large odd one rules out bit-field extractors.
constexpr std::array<std::int64_t, 4> kLinearProbes = {0, 1, 2, 1000003};

struct Macro {
	std::string name;
	bool function_like = false;
	unsigned params = 0;
};

struct Parsed {
	TuPtr tu;
	std::vector<std::string> errors;
};

Parsed parse(void *index, const std::string &main_name, const std::string &source,
	     const std::vector<std::string> &args)
{
	std::vector<const char *> argv;
	for (const auto &s : args)
		argv.push_back(s.c_str());
	CXUnsavedFile uf{main_name.c_str(), source.c_str(), static_cast<unsigned long>(source.size())};
	CXTranslationUnit tu = nullptr;
	CXErrorCode e = clang_parseTranslationUnit2(index, main_name.c_str(), argv.data(),
		static_cast<int>(argv.size()), &uf, 1,
		CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_SkipFunctionBodies, &tu);
	Parsed p;
	if (e != CXError_Success || !tu) {
		p.errors.push_back("libclang could not parse the translation unit (error " +
				   std::to_string(static_cast<int>(e)) + ")");
		return p;
	}
	p.tu.reset(tu);
	return p;
}

// The errors of tu, but those located in the generated main file.
std::vector<std::string> header_errors(CXTranslationUnit tu, const std::string &main_name)
{
	std::vector<std::string> out;
	for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
			CXFile f;
			unsigned line, col, off;
			clang_getSpellingLocation(clang_getDiagnosticLocation(d), &f, &line, &col, &off);
			std::string fname = f ? str(clang_getFileName(f)) : "";
			if (fname != main_name)
				out.push_back(str(clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
									CXDiagnostic_DisplayColumn)));
		}
		clang_disposeDiagnostic(d);
	}
	return out;
}

bool in_file(CXCursor c, CXFile file, unsigned *line = nullptr)
{
	CXFile f;
	unsigned l, col, off;
	clang_getSpellingLocation(clang_getCursorLocation(c), &f, &l, &col, &off);
	if (line)
		*line = l;
	return f && clang_File_isEqual(f, file);
}

unsigned end_line(CXCursor c)
{
	CXFile f;
	unsigned l, col, off;
	clang_getSpellingLocation(clang_getRangeEnd(clang_getCursorExtent(c)), &f, &l, &col, &off);
	return l;
}

template <typename F>
void visit(CXCursor c, F &&fn)
{
	clang_visitChildren(
		c,
		[](CXCursor cur, CXCursor parent, CXClientData data) {
			return (*static_cast<std::remove_reference_t<F> *>(data))(cur, parent);
		},
		&fn);
}

// The macros the header itself defines, with a non-empty body.
std::vector<Macro> header_macros(CXTranslationUnit tu, CXFile file)
{
	std::vector<Macro> out;
	visit(clang_getTranslationUnitCursor(tu), [&](CXCursor c, CXCursor) {
		if (c.kind != CXCursor_MacroDefinition || clang_Cursor_isMacroBuiltin(c) ||
		    !in_file(c, file))
			return CXChildVisit_Continue;
		Macro m{str(clang_getCursorSpelling(c)), clang_Cursor_isMacroFunctionLike(c) != 0, 0};
		CXToken *toks = nullptr;
		unsigned n = 0;
		clang_tokenize(tu, clang_getCursorExtent(c), &toks, &n);
		unsigned body = n > 0 ? 1 : 0; // past the name
		if (m.function_like) {
			unsigned depth = 0;
			bool any = false;
			for (; body < n; body++) {
				std::string t = str(clang_getTokenSpelling(tu, toks[body]));
				if (t == "(")
					depth++;
				else if (t == ")" && --depth == 0) {
					body++;
					break;
				} else if (depth == 1 && t == ",")
					m.params++;
				else if (depth == 1)
					any = true;
			}
			if (any)
				m.params++;
		}
		bool has_body = body < n;
		clang_disposeTokens(tu, toks, n);
		if (has_body)
			out.push_back(m);
		return CXChildVisit_Continue;
	});
	return out;
}

struct Value {
	std::int64_t v = 0;
	bool is_unsigned = false;
};

std::optional<Value> eval(CXCursor var)
{
	CXEvalResult r = clang_Cursor_Evaluate(var);
	if (!r)
		return std::nullopt;
	std::optional<Value> out;
	if (clang_EvalResult_getKind(r) == CXEval_Int) {
		Value v;
		v.is_unsigned = clang_EvalResult_isUnsignedInt(r) != 0;
		v.v = v.is_unsigned ? static_cast<std::int64_t>(clang_EvalResult_getAsUnsigned(r))
				    : clang_EvalResult_getAsLongLong(r);
		out = v;
	}
	clang_EvalResult_dispose(r);
	return out;
}

// The struct or union a sizeof() inside the initializer of var names.
std::string sizeof_record(CXCursor var)
{
	std::string name;
	visit(var, [&](CXCursor c, CXCursor parent) {
		if (c.kind == CXCursor_TypeRef && parent.kind == CXCursor_UnaryExpr && name.empty()) {
			CXCursor ref = clang_getCursorReferenced(c);
			if (ref.kind == CXCursor_StructDecl || ref.kind == CXCursor_UnionDecl)
				name = str(clang_getCursorSpelling(ref));
		}
		return name.empty() ? CXChildVisit_Recurse : CXChildVisit_Break;
	});
	return name;
}

bool is_unsigned_kind(CXTypeKind k)
{
	return k == CXType_UChar || k == CXType_UShort || k == CXType_UInt || k == CXType_ULong ||
	       k == CXType_ULongLong || k == CXType_Bool || k == CXType_Char_U;
}

void add_fields(CXCursor rec, CXType outer, const std::string &anon, Struct *st,
		std::vector<CXCursor> *nested)
{
	visit(rec, [&](CXCursor c, CXCursor) {
		if ((c.kind == CXCursor_StructDecl || c.kind == CXCursor_UnionDecl) &&
		    clang_isCursorDefinition(c)) {
			if (clang_Cursor_isAnonymousRecordDecl(c) || clang_Cursor_isAnonymous(c))
				add_fields(c, outer, c.kind == CXCursor_UnionDecl ? "union" : "struct", st,
					   nested);
			else
				nested->push_back(c);
			return CXChildVisit_Continue;
		}
		if (c.kind != CXCursor_FieldDecl)
			return CXChildVisit_Continue;
		Field f;
		f.name = str(clang_getCursorSpelling(c));
		CXType t = clang_getCursorType(c);
		CXType canon = clang_getCanonicalType(t);
		f.type = str(clang_getTypeSpelling(t));
		f.canonical = str(clang_getTypeSpelling(canon));
		long long off = clang_Type_getOffsetOf(outer, f.name.c_str());
		f.offset_bits = off >= 0 ? static_cast<std::uint64_t>(off) : 0;
		long long sz = clang_Type_getSizeOf(t);
		f.size = sz > 0 ? static_cast<std::uint64_t>(sz) : 0;
		long long al = clang_Type_getAlignOf(t);
		f.align = al > 0 ? static_cast<std::uint64_t>(al) : 0;
		f.is_record = canon.kind == CXType_Record;
		if (canon.kind == CXType_ConstantArray) {
			f.array_len = static_cast<std::uint64_t>(clang_getArraySize(canon));
			f.elem_type = str(clang_getTypeSpelling(clang_getArrayElementType(t.kind == CXType_ConstantArray ? t : canon)));
		} else if (canon.kind == CXType_IncompleteArray) {
			f.flexible = true;
			f.elem_type = str(clang_getTypeSpelling(clang_getArrayElementType(canon)));
		}
		if (clang_Cursor_isBitField(c))
			f.bit_width = clang_getFieldDeclBitWidth(c);
		f.in_anonymous = anon;
		st->fields.push_back(f);
		return CXChildVisit_Continue;
	});
}

} // namespace

std::string libclang_version() { return str(clang_getClangVersion()); }

FrontendResult load_header(const FrontendOptions &o)
{
	FrontendResult res;
	std::error_code ec;
	fs::path header = fs::absolute(o.header, ec);
	std::ifstream in(header);
	if (!in) {
		res.errors.push_back(o.header + ": cannot read");
		return res;
	}
	std::stringstream text;
	text << in.rdbuf();

	TempDir shims;
	std::vector<std::string> args;
	if (shims.path.empty()) {
		res.errors.push_back("cannot create a temporary directory");
		return res;
	}
	if (std::string e = build_args(o, shims.path, &args); !e.empty()) {
		res.errors.push_back(e);
		return res;
	}
	IndexPtr index(clang_createIndex(0, 0));
	const std::string main_name = (shims.path / (o.lang == Lang::C ? "schema-tu.c" : "schema-tu.cpp")).string();
	std::string src = "#include \"" + header.string() + "\"\n";

	// Pass 1: the header alone; its errors and its macros.
	Parsed p1 = parse(index.get(), main_name, src, args);
	if (!p1.tu) {
		res.errors = p1.errors;
		return res;
	}
	res.errors = header_errors(p1.tu.get(), main_name);
	if (!res.errors.empty())
		return res;
	CXFile file1 = clang_getFile(p1.tu.get(), header.c_str());
	if (!file1) {
		res.errors.push_back(o.header + ": not seen by the compiler");
		return res;
	}
	std::vector<Macro> macros = header_macros(p1.tu.get(), file1);
	bool have_ioc = true;
	{
		std::map<std::string, bool> found;
		visit(clang_getTranslationUnitCursor(p1.tu.get()), [&](CXCursor c, CXCursor) {
			if (c.kind == CXCursor_MacroDefinition)
				found[str(clang_getCursorSpelling(c))] = true;
			return CXChildVisit_Continue;
		});
		for (const char *m : {"_IOC_DIR", "_IOC_TYPE", "_IOC_NR", "_IOC_SIZE", "_IOC_READ", "_IOC_WRITE"})
			have_ioc = have_ioc && found[m];
	}
	p1.tu.reset();

	// Pass 2: one constant per macro (and its _IOC_ decoding; three
	// evaluations of a one-argument macro), each on its own line so that a
	// macro that is not an integer only spoils its own declaration.
	const std::string decl = o.lang == Lang::C ? "static const __auto_type " : "static const auto ";
	std::ostringstream gen;
	gen << src;
	if (have_ioc)
		gen << decl << "__refgpu_ioc_write = _IOC_WRITE;\n"
		    << decl << "__refgpu_ioc_read = _IOC_READ;\n";
	for (std::size_t i = 0; i < macros.size(); i++) {
		const Macro &m = macros[i];
		if (!m.function_like) {
			gen << decl << "__refgpu_v_" << i << " = (" << m.name << ");\n";
			if (have_ioc)
				for (const char *f : {"DIR", "TYPE", "NR", "SIZE"})
					gen << decl << "__refgpu_ioc_" << f << "_" << i << " = _IOC_" << f << "(("
					    << m.name << "));\n";
		} else if (m.params == 1) {
			for (std::size_t k = 0; k < kLinearProbes.size(); k++)
				gen << decl << "__refgpu_f" << k << "_" << i << " = (" << m.name << "("
				    << kLinearProbes[k] << "));\n";
		}
	}
	Parsed p2 = parse(index.get(), main_name, gen.str(), args);
	if (!p2.tu) {
		res.errors = p2.errors;
		return res;
	}
	CXTranslationUnit tu = p2.tu.get();
	CXFile file = clang_getFile(tu, header.c_str());

	Schema &s = res.schema;
	s.header = header.filename().string();
	s.language = lang_name(o.lang);
	s.target = o.target;
	s.handle_kinds = builtin_handle_kinds();

	std::map<std::string, Value> vals;
	std::map<std::string, std::string> sizeof_of;
	std::vector<CXCursor> records;
	std::function<CXChildVisitResult(CXCursor, CXCursor)> top = [&](CXCursor c, CXCursor) {
		// extern "C" { ... } in C++ (an UnexposedDecl before libclang 15).
		if (c.kind == CXCursor_LinkageSpec || c.kind == CXCursor_UnexposedDecl) {
			visit(c, top);
			return CXChildVisit_Continue;
		}
		if (c.kind == CXCursor_VarDecl) {
			std::string n = str(clang_getCursorSpelling(c));
			if (n.rfind("__refgpu_", 0) == 0) {
				if (auto v = eval(c))
					vals[n] = *v;
				if (n.rfind("__refgpu_v_", 0) == 0)
					sizeof_of[n] = sizeof_record(c);
			}
			return CXChildVisit_Continue;
		}
		unsigned line = 0;
		if (!in_file(c, file, &line) || !clang_isCursorDefinition(c))
			return CXChildVisit_Continue;
		if (c.kind == CXCursor_StructDecl || c.kind == CXCursor_UnionDecl) {
			records.push_back(c);
		} else if (c.kind == CXCursor_EnumDecl) {
			Enum e;
			e.name = clang_Cursor_isAnonymous(c) ? "" : str(clang_getCursorSpelling(c));
			e.line = line;
			long long sz = clang_Type_getSizeOf(clang_getCursorType(c));
			e.size = sz > 0 ? static_cast<std::uint64_t>(sz) : 0;
			bool uns = is_unsigned_kind(clang_getCanonicalType(clang_getEnumDeclIntegerType(c)).kind);
			visit(c, [&](CXCursor k, CXCursor) {
				if (k.kind == CXCursor_EnumConstantDecl)
					e.values.push_back({str(clang_getCursorSpelling(k)),
							    uns ? static_cast<std::int64_t>(clang_getEnumConstantDeclUnsignedValue(k))
								: clang_getEnumConstantDeclValue(k),
							    uns});
				return CXChildVisit_Continue;
			});
			if (e.name.empty())
				e.name = "(anonymous " + (e.values.empty() ? std::to_string(line) : e.values[0].name) + ")";
			s.enums.push_back(e);
		}
		return CXChildVisit_Continue;
	};
	visit(clang_getTranslationUnitCursor(tu), top);
	// Structures, with the named ones defined inside others after them.
	for (std::size_t i = 0; i < records.size(); i++) {
		CXCursor c = records[i];
		if (clang_Cursor_isAnonymous(c))
			continue; // an anonymous member: its fields are its parent's
		Struct st;
		st.name = str(clang_getCursorSpelling(c));
		st.is_union = c.kind == CXCursor_UnionDecl;
		in_file(c, file, &st.line);
		st.end_line = end_line(c);
		CXType t = clang_getCursorType(c);
		long long sz = clang_Type_getSizeOf(t), al = clang_Type_getAlignOf(t);
		st.size = sz > 0 ? static_cast<std::uint64_t>(sz) : 0;
		st.align = al > 0 ? static_cast<std::uint64_t>(al) : 0;
		std::vector<CXCursor> nested;
		add_fields(c, t, "", &st, &nested);
		s.structs.push_back(st);
		records.insert(records.begin() + static_cast<long>(i) + 1, nested.begin(), nested.end());
	}
	std::uint64_t ioc_write = vals.count("__refgpu_ioc_write") ? vals["__refgpu_ioc_write"].v : 0;
	std::uint64_t ioc_read = vals.count("__refgpu_ioc_read") ? vals["__refgpu_ioc_read"].v : 0;
	for (std::size_t i = 0; i < macros.size(); i++) {
		const Macro &m = macros[i];
		std::string idx = std::to_string(i);
		if (m.function_like) {
			std::vector<std::int64_t> y;
			for (std::size_t k = 0; k < kLinearProbes.size(); k++)
				if (auto f = vals.find("__refgpu_f" + std::to_string(k) + "_" + idx); f != vals.end())
					y.push_back(f->second.v);
			if (y.size() != kLinearProbes.size() || y[1] == y[0])
				continue;
			bool linear = true;
			for (std::size_t k = 0; k < y.size(); k++)
				linear = linear && y[k] == y[0] + kLinearProbes[k] * (y[1] - y[0]);
			if (linear)
				s.linear_macros.push_back({m.name, y[0], y[1] - y[0]});
			continue;
		}
		auto v = vals.find("__refgpu_v_" + idx);
		if (v == vals.end())
			continue;
		std::string arg = sizeof_of["__refgpu_v_" + idx];
		bool decoded = have_ioc;
		for (const char *f : {"DIR", "TYPE", "NR", "SIZE"})
			decoded = decoded && vals.count(std::string("__refgpu_ioc_") + f + "_" + idx);
		auto ioc = [&](const char *f) {
			return static_cast<std::uint64_t>(vals[std::string("__refgpu_ioc_") + f + "_" + idx].v);
		};
		const Struct *argst = arg.empty() ? nullptr : s.find_struct(arg);
		bool structural = decoded && !arg.empty() && ioc("SIZE") != 0 &&
				  (argst ? argst->size == ioc("SIZE") : true);
		bool named = !o.ioctl_prefix.empty() && m.name.rfind(o.ioctl_prefix, 0) == 0;
		if (decoded && (named || structural)) {
			Ioctl io;
			io.name = m.name;
			io.number = static_cast<std::uint64_t>(v->second.v);
			std::uint64_t dir = ioc("DIR");
			io.dir_write = ioc_write && (dir & ioc_write) == ioc_write;
			io.dir_read = ioc_read && (dir & ioc_read) == ioc_read;
			io.type = static_cast<unsigned>(ioc("TYPE"));
			io.nr = static_cast<unsigned>(ioc("NR"));
			io.size = static_cast<unsigned>(ioc("SIZE"));
			io.arg = arg;
			s.ioctls.push_back(io);
		} else {
			s.constants.push_back({m.name, v->second.v, v->second.is_unsigned});
		}
	}
	p2.tu.reset();

	std::vector<AnnotationSource> sources = {{text.str(), o.header, false}};
	for (const auto &path : o.annotation_files) {
		std::ifstream in(path);
		if (!in) {
			res.errors.push_back(path + ": cannot read the annotation file");
			return res;
		}
		std::stringstream t;
		t << in.rdbuf();
		sources.push_back({t.str(), path, true});
	}
	res.errors = apply_annotations(sources, s);
	res.ok = res.errors.empty();
	return res;
}

} // namespace refgpu::schema
