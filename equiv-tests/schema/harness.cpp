// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "harness.h"

#include <fstream>
#include <optional>
#include <sstream>

#include "abi.h"
#include "frontend.h"
#include "schema.h"
#include "trace_cli.h"

namespace refgpu::schema {

std::string harness_usage()
{
	return R"(usage: refgpu-harness COMMAND [options] HEADER
       refgpu-harness record|replay|lockstep ... (below)

commands:
  schema     read a UAPI header with libclang and print its schema: every
             ioctl (number, direction, size, argument struct), structure
             (fields, offsets, sizes, alignment, annotations), enum and
             integer constant
  abi-check  compare the header's layout compiled as C, as C++ and for the
             compat target, and with a committed baseline

common options:
  --target TRIPLE      the target to lay the header out for
                       (default x86_64-linux-gnu)
  --kernel-src DIR     take the UAPI include directories from a kernel
                       source tree (include/uapi, include/uapi/drm,
                       arch/ARCH/include/uapi) instead of the host's
                       (/usr/include, its multiarch directory, libdrm)
  -I DIR               search DIR first for includes (repeatable)
  -D NAME[=VALUE]      define a macro (repeatable)
  --include FILE       read FILE before the header: what an includer must
                       provide (repeatable)
  --ioctl-prefix P     macros named P* are ioctls (default DRM_IOCTL_); so
                       is any _IOC() of sizeof(a struct) of that size
  --annotations FILE   a sidecar of annotations for a header that cannot
                       carry them (kernel-doc comments of its structures,
                       e.g. shared-uapi/annotations/drm.h.annotations)
                       (repeatable)
  --json               print JSON instead of the human summary

schema options:
  --lang c|c++         the language (default c)

abi-check options:
  --compat-target T    the compat-ioctl target (default i386-linux-gnu;
                       "none" to skip)
  --target-dependent NAME
                       NAME (a constant, struct, enum or ioctl) is meant to
                       differ on the compat target: its differences are
                       notes; it must differ (repeatable)
  --baseline FILE      compare with this baseline (a text file, committed)
  --update             write the baseline from the header; refused when
                       the change breaks the ABI, unless --allow-break
  --allow-break        with --update: write it even so
  --hint TEXT          with --update: the command to name in the
                       baseline's header comment
  --layouts            print the schema summary (ioctls and layouts) too
  --junit FILE         also write a JUnit XML report

exit status: 0 ok; 1 (abi-check) a layout difference between the builds,
an ABI break against the baseline, or a baseline that does not match the
header (compatible additions included: update it); 2 usage error, a header
that does not compile, an annotation error, an unreadable baseline.
)";
}

namespace {

struct Args {
	std::string command;
	FrontendOptions fe;
	std::string lang = "c";
	std::string compat = "i386-linux-gnu";
	std::string baseline, junit, hint;
	std::vector<std::string> target_dependent;
	bool update = false, allow_break = false, layouts = false, json = false;
	std::string error;
};

Args parse(const std::vector<std::string> &args)
{
	Args a;
	if (args.empty()) {
		a.error = "no command (schema, abi-check)";
		return a;
	}
	a.command = args[0];
	if (a.command != "schema" && a.command != "abi-check") {
		a.error = "unknown command '" + a.command + "' (schema, abi-check, record, replay, lockstep)";
		return a;
	}
	std::vector<std::string> positional;
	for (std::size_t i = 1; i < args.size(); i++) {
		std::string k = args[i], v;
		bool has_v = false;
		if (k.rfind("--", 0) == 0 && k.find('=') != std::string::npos) {
			v = k.substr(k.find('=') + 1);
			k = k.substr(0, k.find('='));
			has_v = true;
		} else if ((k.rfind("-I", 0) == 0 || k.rfind("-D", 0) == 0) && k.size() > 2) {
			v = k.substr(2);
			k = k.substr(0, 2);
			has_v = true;
		}
		auto value = [&]() -> std::optional<std::string> {
			if (has_v)
				return v;
			if (i + 1 >= args.size()) {
				a.error = "option " + k + " needs a value";
				return std::nullopt;
			}
			return args[++i];
		};
		auto flag = [&](bool *dst) {
			if (has_v)
				a.error = "option " + k + " takes no value";
			*dst = true;
		};
		bool abi = a.command == "abi-check";
		std::optional<std::string> val;
		if (k == "--target" && (val = value()))
			a.fe.target = *val;
		else if (k == "--kernel-src" && (val = value()))
			a.fe.kernel_src = *val;
		else if (k == "-I" && (val = value()))
			a.fe.include_dirs.push_back(*val);
		else if (k == "-D" && (val = value()))
			a.fe.defines.push_back(*val);
		else if (k == "--include" && (val = value()))
			a.fe.pre_includes.push_back(*val);
		else if (k == "--ioctl-prefix" && (val = value()))
			a.fe.ioctl_prefix = *val;
		else if (k == "--annotations" && (val = value()))
			a.fe.annotation_files.push_back(*val);
		else if (k == "--json")
			flag(&a.json);
		else if (k == "--lang" && !abi && (val = value()))
			a.lang = *val;
		else if (k == "--compat-target" && abi && (val = value()))
			a.compat = *val;
		else if (k == "--target-dependent" && abi && (val = value()))
			a.target_dependent.push_back(*val);
		else if (k == "--baseline" && abi && (val = value()))
			a.baseline = *val;
		else if (k == "--junit" && abi && (val = value()))
			a.junit = *val;
		else if (k == "--hint" && abi && (val = value()))
			a.hint = *val;
		else if (k == "--update" && abi)
			flag(&a.update);
		else if (k == "--allow-break" && abi)
			flag(&a.allow_break);
		else if (k == "--layouts" && abi)
			flag(&a.layouts);
		else if (k.size() > 1 && k[0] == '-' && a.error.empty())
			a.error = "unknown option " + k + " for " + a.command;
		else if (a.error.empty())
			positional.push_back(k);
		if (!a.error.empty())
			return a;
	}
	if (positional.size() != 1) {
		a.error = positional.empty() ? "no header given" : "one header only";
		return a;
	}
	a.fe.header = positional[0];
	if (a.lang != "c" && a.lang != "c++")
		a.error = "--lang: c or c++";
	else if (a.update && a.baseline.empty())
		a.error = "--update needs --baseline FILE";
	else if (a.allow_break && !a.update)
		a.error = "--allow-break needs --update";
	else if (!a.hint.empty() && !a.update)
		a.error = "--hint needs --update";
	a.fe.lang = a.lang == "c" ? Lang::C : Lang::Cxx;
	return a;
}

std::string join_errors(const std::vector<std::string> &e)
{
	std::string s;
	for (const auto &x : e)
		s += x + "\n";
	return s;
}

std::string xml_escape(const std::string &s)
{
	std::string o;
	for (char c : s) {
		switch (c) {
		case '&': o += "&amp;"; break;
		case '<': o += "&lt;"; break;
		case '>': o += "&gt;"; break;
		case '"': o += "&quot;"; break;
		default: o += c;
		}
	}
	return o;
}

struct Check {
	std::string name;     // "C = C++"
	std::string detail;   // what was compared
	std::vector<Change> changes;
	bool failed = false;
	std::string verdict;  // one line
};

int schema_cmd(const Args &a, std::string &out, std::string &err)
{
	FrontendResult r = load_header(a.fe);
	if (!r.ok) {
		err += join_errors(r.errors);
		return kExitUsage;
	}
	out += a.json ? to_json(r.schema).dump(2) + "\n" : summary(r.schema);
	return kExitOk;
}

int abi_cmd(const Args &a, std::string &out, std::string &err)
{
	auto load = [&](Lang l, const std::string &target) {
		FrontendOptions o = a.fe;
		o.lang = l;
		o.target = target;
		return load_header(o);
	};
	FrontendResult ref = load(Lang::C, a.fe.target);
	if (!ref.ok) {
		err += join_errors(ref.errors);
		return kExitUsage;
	}
	std::vector<Check> checks;
	auto label = [](Lang l, const std::string &t) { return (l == Lang::C ? "C " : "C++ ") + t; };
	auto cross = [&](Lang l, const std::string &target, bool align_note) -> bool {
		FrontendResult other = load(l, target);
		std::string name = label(Lang::C, a.fe.target) + " = " + label(l, target);
		if (!other.ok) {
			err += name + ": " + join_errors(other.errors);
			return false;
		}
		Check c{name, "", compare(ref.schema, other.schema, {true, align_note}), false, ""};
		if (align_note) {
			// Declared target-dependent names: notes, and they must differ.
			for (const auto &name : a.target_dependent) {
				bool differs = false;
				for (auto &x : c.changes)
					if (x.subject.substr(x.subject.find(' ') + 1) == name && x.severity != Severity::Note) {
						x.severity = Severity::Note;
						x.message = "declared target-dependent: " + x.message;
						differs = true;
					}
				if (!differs)
					c.changes.push_back({Severity::Break, name,
							     "declared --target-dependent but the same on both targets"});
			}
			// One note for all the structures whose alignment differs.
			std::vector<Change> kept;
			std::string names, arrow;
			std::size_t n = 0;
			for (const auto &x : c.changes) {
				if (x.severity == Severity::Note && x.message.rfind("align ", 0) == 0) {
					names += (names.empty() ? "" : ", ") + x.subject.substr(x.subject.find(' ') + 1);
					arrow = x.message.substr(6);
					n++;
				} else {
					kept.push_back(x);
				}
			}
			if (n)
				kept.insert(kept.begin(), {Severity::Note, std::to_string(n) + " structure(s)",
							   "aligned differently (e.g. " + arrow +
								   "), with the same sizes and offsets: " + names});
			c.changes = kept;
		}
		std::size_t b = count(c.changes, Severity::Break), n = count(c.changes, Severity::Note);
		c.failed = b > 0;
		std::size_t declared = 0;
		for (const auto &x : c.changes)
			declared += x.message.rfind("declared target-dependent: ", 0) == 0;
		c.verdict = b ? std::to_string(b) + " difference(s)"
			    : declared ? "same sizes and offsets; " + std::to_string(declared) +
						 " declared target-dependent difference(s)"
			    : n	       ? "same sizes and offsets (" + std::to_string(n) + " note(s))"
				       : "same layout";
		checks.push_back(c);
		return true;
	};
	if (!cross(Lang::Cxx, a.fe.target, false))
		return kExitUsage;
	if (a.compat != "none" && !cross(Lang::C, a.compat, true))
		return kExitUsage;
	{
		Check c{"implicit padding (" + label(Lang::C, a.fe.target) + ")", "",
			implicit_padding(ref.schema), false, ""};
		c.verdict = c.changes.empty() ? "none" : std::to_string(c.changes.size()) + " hole(s) (notes)";
		checks.push_back(c);
	}
	bool cross_ok = true;
	for (const auto &c : checks)
		cross_ok = cross_ok && !c.failed;

	std::string baseline_note;
	if (!a.baseline.empty()) {
		std::optional<Schema> old;
		std::ifstream in(a.baseline);
		if (in) {
			std::stringstream t;
			t << in.rdbuf();
			std::string e;
			old = parse_abi_text(t.str(), &e);
			if (!old) {
				err += a.baseline + ": " + e + "\n";
				return kExitUsage;
			}
		} else if (!a.update) {
			err += a.baseline + ": cannot read (create it with --update)\n";
			return kExitUsage;
		}
		Check c{"baseline " + a.baseline, "", {}, false, ""};
		if (old)
			c.changes = compare(*old, ref.schema, {false, false});
		std::size_t b = count(c.changes, Severity::Break),
			    k = count(c.changes, Severity::Compatible);
		if (a.update) {
			if (b && !a.allow_break) {
				c.failed = true;
				c.verdict = std::to_string(b) + " ABI break(s): not updated (--allow-break to write it anyway)";
			} else if (!cross_ok) {
				c.failed = true;
				c.verdict = "not updated: the builds differ (above)";
			} else {
				std::string hint = a.hint.empty() ? "refgpu-harness abi-check --update --baseline " +
									    a.baseline + " " + a.fe.header
								  : a.hint;
				std::ofstream o(a.baseline);
				o << abi_text(ref.schema, hint);
				o.close();
				if (!o) {
					err += a.baseline + ": cannot write\n";
					return kExitUsage;
				}
				c.verdict = !old ? "written (new baseline)"
					    : c.changes.empty() ? "unchanged"
								: "updated: " + std::to_string(k) + " compatible change(s)" +
									  (b ? ", " + std::to_string(b) + " break(s) (--allow-break)" : "") +
									  "; review and commit it with the header";
			}
		} else if (b) {
			c.failed = true;
			c.verdict = std::to_string(b) + " ABI break(s)" +
				    (k ? ", " + std::to_string(k) + " compatible change(s)" : "");
		} else if (k) {
			c.failed = true;
			c.verdict = "out of date: " + std::to_string(k) +
				    " compatible change(s) (additions) not in the baseline; run with --update, "
				    "review and commit the baseline with the header";
		} else {
			c.verdict = "same";
		}
		checks.push_back(c);
	}
	bool ok = true;
	for (const auto &c : checks)
		ok = ok && !c.failed;

	if (a.json) {
		nlohmann::ordered_json j;
		j["header"] = a.fe.header;
		j["libclang"] = libclang_version();
		j["counts"] = counts(ref.schema);
		nlohmann::ordered_json jc = nlohmann::ordered_json::array();
		for (const auto &c : checks) {
			nlohmann::ordered_json ch = nlohmann::ordered_json::array();
			for (const auto &x : c.changes)
				ch.push_back({{"severity", to_string(x.severity)}, {"subject", x.subject},
					      {"message", x.message}, {"text", x.text()}});
			jc.push_back({{"name", c.name}, {"ok", !c.failed}, {"verdict", c.verdict}, {"changes", ch}});
		}
		j["checks"] = jc;
		if (a.layouts)
			j["schema"] = to_json(ref.schema);
		j["ok"] = ok;
		out += j.dump(2) + "\n";
	} else {
		out += "abi-check " + ref.schema.header + ": " + counts(ref.schema) + " (" + libclang_version() + ")\n";
		if (a.layouts)
			out += summary(ref.schema);
		for (const auto &c : checks) {
			out += "  " + c.name + ": " + c.verdict + "\n";
			for (const auto &x : c.changes)
				out += "    " + to_string(x.severity) + ": " + x.text() + "\n";
		}
		out += ok ? "abi-check: OK\n" : "abi-check: FAILED\n";
	}
	// The failures on stderr too (stdout may be JSON), at most kErrLines.
	constexpr std::size_t kErrLines = 20;
	std::size_t listed = 0, unlisted = 0;
	for (const auto &c : checks)
		for (const auto &x : c.changes)
			if (c.failed && x.severity != Severity::Note &&
			    (x.severity == Severity::Break || !a.update)) {
				if (listed++ < kErrLines)
					err += "refgpu-harness: abi-check: " + c.name + ": " + to_string(x.severity) + ": " +
					       x.text() + "\n";
				else
					unlisted++;
			}
	if (unlisted)
		err += "refgpu-harness: abi-check: ... and " + std::to_string(unlisted) + " more\n";
	if (!a.junit.empty()) {
		std::ostringstream x;
		std::size_t failures = 0;
		for (const auto &c : checks)
			failures += c.failed;
		x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"abi-check "
		  << xml_escape(ref.schema.header) << "\" tests=\"" << checks.size() << "\" failures=\""
		  << failures << "\">\n";
		for (const auto &c : checks) {
			x << "    <testcase classname=\"abi-check." << xml_escape(ref.schema.header) << "\" name=\""
			  << xml_escape(c.name) << "\">";
			std::string body;
			for (const auto &ch : c.changes)
				body += to_string(ch.severity) + ": " + ch.text() + "\n";
			if (c.failed)
				x << "\n      <failure message=\"" << xml_escape(c.verdict) << "\">" << xml_escape(body)
				  << "</failure>\n    ";
			else if (!body.empty())
				x << "\n      <system-out>" << xml_escape(body) << "</system-out>\n    ";
			x << "</testcase>\n";
		}
		x << "  </testsuite>\n</testsuites>\n";
		std::ofstream jf(a.junit);
		jf << x.str();
		if (!jf) {
			err += a.junit + ": cannot write\n";
			return kExitUsage;
		}
	}
	return ok ? kExitOk : kExitAbiFailed;
}

} // namespace

int run_harness(const std::vector<std::string> &args, std::string &out, std::string &err)
{
	if (!args.empty() && (args[0] == "-h" || args[0] == "--help" || args[0] == "help")) {
		out += harness_usage() + "\n" + trace::trace_usage();
		return kExitOk;
	}
	for (const auto &x : args)
		if (x == "-h" || x == "--help") {
			out += harness_usage() + "\n" + trace::trace_usage();
			return kExitOk;
		}
	if (!args.empty() && trace::is_trace_command(args[0]))
		return trace::run_trace_command(args, out, err);
	Args a = parse(args);
	if (!a.error.empty()) {
		err += "refgpu-harness: " + a.error + "\n(try --help)\n";
		return kExitUsage;
	}
	return a.command == "schema" ? schema_cmd(a, out, err) : abi_cmd(a, out, err);
}

} // namespace refgpu::schema
