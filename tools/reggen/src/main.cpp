// SPDX-License-Identifier: MIT
// reggen [--c OUT.h] [--cpp OUT.hpp] IN.regs
// Checks a register description and writes the C and/or C++ header.
// Errors go to stderr as "file:line: message"; the exit status is then 1
// (2 for a usage error). Outputs are written only when their content changes.

#include "reggen/reggen.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

namespace {

const char usage[] = "usage: reggen [--c OUT.h] [--cpp OUT.hpp] IN.regs\n"
		     "Checks IN.regs; writes the C header to OUT.h and the C++ header to\n"
		     "OUT.hpp (each only if its content changed). No output: check only.\n";

bool read_file(const std::string &path, std::string &text)
{
	std::FILE *f = std::fopen(path.c_str(), "rb");
	if (!f)
		return false;
	char buf[8192];
	std::size_t n;
	while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
		text.append(buf, n);
	int saved = errno;
	bool ok = !std::ferror(f);
	std::fclose(f);
	errno = saved;
	return ok;
}

int usage_error(const char *msg)
{
	std::fprintf(stderr, "reggen: %s\n%s", msg, usage);
	return 2;
}

} // namespace

int main(int argc, char **argv)
{
	std::string c_out, cpp_out, input;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h")) {
			std::fputs(usage, stdout);
			return 0;
		}
		if (!std::strcmp(a, "--c") || !std::strcmp(a, "--cpp")) {
			if (i + 1 >= argc)
				return usage_error("missing file name after an option");
			std::string &out = std::strcmp(a, "--c") == 0 ? c_out : cpp_out;
			out = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return usage_error((std::string("unknown option ") + a).c_str());
		} else if (!input.empty()) {
			return usage_error("more than one input file");
		} else {
			input = a;
		}
	}
	if (input.empty())
		return usage_error("no input file");

	std::string text;
	if (!read_file(input, text)) {
		std::fprintf(stderr, "reggen: cannot read %s: %s\n", input.c_str(),
			     std::strerror(errno));
		return 1;
	}

	reggen::Description d;
	reggen::Diagnostics diags;
	std::string c_text, cpp_text;
	bool ok = reggen::load(text, input, d, diags);
	if (ok && !c_out.empty())
		ok = reggen::emit_c(d, c_text, diags);
	if (ok && !cpp_out.empty())
		ok = reggen::emit_cpp(d, cpp_text, diags);
	for (const auto &diag : diags)
		std::fprintf(stderr, "%s\n", diag.str().c_str());
	if (!ok)
		return 1;

	for (const auto &[path, content] :
	     { std::pair{ &c_out, &c_text }, std::pair{ &cpp_out, &cpp_text } }) {
		if (path->empty())
			continue;
		std::string error;
		if (reggen::write_if_changed(*path, *content, error) ==
		    reggen::WriteResult::Error) {
			std::fprintf(stderr, "reggen: %s\n", error.c_str());
			return 1;
		}
	}
	return 0;
}
