// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "test_util.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace refgpu::schema::test {

TempDir::TempDir()
{
	std::string t = (fs::temp_directory_path() / "refgpu-schema-test-XXXXXX").string();
	if (mkdtemp(t.data()))
		path_ = t;
	EXPECT_FALSE(path_.empty());
}

TempDir::~TempDir()
{
	std::error_code ec;
	if (!path_.empty())
		fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string &name, const std::string &text) const
{
	fs::path p = path_ / name;
	fs::create_directories(p.parent_path());
	std::ofstream(p) << text;
	return p.string();
}

std::string read_file(const std::string &path)
{
	std::ifstream in(path);
	EXPECT_TRUE(in.good()) << path;
	std::stringstream s;
	s << in.rdbuf();
	return s.str();
}

std::string uapi_with(const std::string &from, const std::string &to)
{
	std::string t = read_file(REFGPU_UAPI_HEADER);
	std::size_t p = t.find(from);
	EXPECT_NE(p, std::string::npos) << "not in refgpu_drm.h: " << from;
	if (p == std::string::npos)
		return t;
	EXPECT_EQ(t.find(from, p + 1), std::string::npos) << "twice in refgpu_drm.h: " << from;
	return t.replace(p, from.size(), to);
}

FrontendResult load_text(const std::string &text, Lang lang, const std::string &target,
			 const std::string &name)
{
	TempDir d;
	FrontendOptions o;
	o.header = d.write(name, text);
	o.lang = lang;
	o.target = target;
	return load_header(o);
}

std::string wrap(const std::string &body)
{
	return "#include \"drm.h\"\n#if defined(__cplusplus)\nextern \"C\" {\n#endif\n" + body +
	       "\n#if defined(__cplusplus)\n}\n#endif\n";
}

Schema refgpu_schema(Lang lang, const std::string &target)
{
	FrontendOptions o;
	o.header = REFGPU_UAPI_HEADER;
	o.lang = lang;
	o.target = target;
	FrontendResult r = load_header(o);
	EXPECT_TRUE(r.ok);
	for (const auto &e : r.errors)
		ADD_FAILURE() << e;
	return r.schema;
}

Schema baseline()
{
	std::string e;
	auto s = parse_abi_text(read_file(REFGPU_ABI_BASELINE), &e);
	EXPECT_TRUE(s.has_value()) << e;
	return s.value_or(Schema{});
}

std::vector<std::string> texts(const std::vector<Change> &c)
{
	std::vector<std::string> out;
	for (const auto &x : c)
		out.push_back(to_string(x.severity) + ": " + x.text());
	return out;
}

bool has(const std::vector<std::string> &v, const std::string &s)
{
	for (const auto &x : v)
		if (x == s)
			return true;
	return false;
}

bool error_has(const std::vector<std::string> &errors, const std::string &s)
{
	for (const auto &x : errors)
		if (x.find(s) != std::string::npos)
			return true;
	return false;
}

} // namespace refgpu::schema::test
