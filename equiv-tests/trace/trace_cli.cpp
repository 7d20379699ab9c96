// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "trace_cli.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "discovery.h"
#include "replay.h"

namespace refgpu::trace {

bool is_trace_command(const std::string &cmd)
{
	return cmd == "record" || cmd == "replay" || cmd == "lockstep";
}

std::string trace_usage()
{
	return R"(trace commands (docs/trace-format.md):
  record [-o TRACE] -- PROG [ARGS...]
             run PROG with librefgpu-record.so preloaded: its calls on DRM
             files go to TRACE (default refgpu.trace; %p = its pid)
  replay TRACE [--device recorded|c|cpp|NODE] [--other NODE]
             run the trace on fresh files of a device and check every
             result against the recording; stops at the first mismatch
             and names its op index and field
  lockstep TRACE
             run the trace on the C and on the C++ device of this boot,
             op by op, and stop at the first divergence between them

device options (replay, lockstep):
  --device recorded    each device of the trace is the one bound to the
                       driver it was recorded on (default)
  --device c|cpp       the trace's first device is the C (C++) driver's,
                       its second (PRIME peer) the other driver's
  --device NODE        the trace's first device is NODE; a second one is
                       --other NODE
  --nodes C,CPP        the two render nodes, without sysfs discovery
  --c-driver NAME, --cpp-driver NAME   (default refgpu_c, refgpu_cpp)

output options (replay, lockstep):
  --json               print JSON instead of the human summary
  --junit FILE         also write a JUnit XML report
)";
}

namespace {

struct Args {
	std::string command, trace, device = "recorded", other, output = "refgpu.trace", junit;
	std::string nodes, c_driver = "refgpu_c", cpp_driver = "refgpu_cpp";
	std::vector<std::string> program;
	bool json = false;
	std::string error;
};

Args parse(const std::vector<std::string> &args)
{
	Args a;
	a.command = args[0];
	std::vector<std::string> pos;
	for (std::size_t i = 1; i < args.size(); i++) {
		const std::string &k = args[i];
		auto value = [&]() -> std::string {
			if (i + 1 >= args.size()) {
				a.error = "option " + k + " needs a value";
				return "";
			}
			return args[++i];
		};
		if (a.command == "record" && k == "--") {
			a.program.assign(args.begin() + static_cast<long>(i) + 1, args.end());
			break;
		} else if (a.command == "record" && (k == "-o" || k == "--output")) {
			a.output = value();
		} else if (a.command != "record" && k == "--device") {
			a.device = value();
		} else if (a.command == "replay" && k == "--other") {
			a.other = value();
		} else if (a.command != "record" && k == "--nodes") {
			a.nodes = value();
		} else if (a.command != "record" && k == "--c-driver") {
			a.c_driver = value();
		} else if (a.command != "record" && k == "--cpp-driver") {
			a.cpp_driver = value();
		} else if (a.command != "record" && k == "--junit") {
			a.junit = value();
		} else if (a.command != "record" && k == "--json") {
			a.json = true;
		} else if (k.size() > 1 && k[0] == '-') {
			a.error = "unknown option " + k + " for " + a.command;
		} else {
			pos.push_back(k);
		}
		if (!a.error.empty())
			return a;
	}
	if (a.command == "record") {
		if (a.program.empty())
			a.error = "record: no program (record [-o TRACE] -- PROG [ARGS...])";
		else if (!pos.empty())
			a.error = "record: the program goes after --";
		return a;
	}
	if (pos.size() != 1) {
		a.error = pos.empty() ? "no trace given" : "one trace only";
		return a;
	}
	a.trace = pos[0];
	if (a.command == "lockstep" && a.device != "recorded")
		a.error = "lockstep runs the trace on both drivers' devices: no --device";
	return a;
}

std::string xml_escape(const std::string &s)
{
	std::string o;
	for (char c : s)
		o += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : std::string(1, c);
	return o;
}

int record_cmd(const Args &a, std::string &err)
{
	pid_t pid = fork();
	if (pid < 0) {
		err += "refgpu-harness: record: fork failed\n";
		return 2;
	}
	if (pid == 0) {
		std::string pre = REFGPU_RECORD_LIB;
		if (const char *old = std::getenv("LD_PRELOAD"); old && *old)
			pre += std::string(":") + old;
		setenv("LD_PRELOAD", pre.c_str(), 1);
		setenv("REFGPU_TRACE", a.output.c_str(), 1);
		std::vector<char *> argv;
		for (const auto &s : a.program)
			argv.push_back(const_cast<char *>(s.c_str()));
		argv.push_back(nullptr);
		execvp(argv[0], argv.data());
		std::perror(argv[0]);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

} // namespace

int run_trace_command(const std::vector<std::string> &args, std::string &out, std::string &err, Os *os_in)
{
	Args a = parse(args);
	if (!a.error.empty()) {
		err += "refgpu-harness: " + a.error + "\n(try --help)\n";
		return 2;
	}
	if (a.command == "record")
		return record_cmd(a, err);

	std::ifstream in(a.trace);
	if (!in) {
		err += "refgpu-harness: " + a.trace + ": cannot read\n";
		return 2;
	}
	std::stringstream t;
	t << in.rdbuf();
	json header;
	std::vector<json> ops;
	std::string e;
	if (!read_trace(t.str(), &header, &ops, &e)) {
		err += "refgpu-harness: " + a.trace + ": " + e + "\n";
		return 2;
	}
	auto schemas = schemas_from_header(header, &e);
	if (!schemas) {
		err += "refgpu-harness: " + a.trace + ": " + e + "\n";
		return 2;
	}

	// The devices: C and C++ render nodes by sysfs (or --nodes).
	std::string node_c, node_cpp;
	bool need_pair = a.command == "lockstep" || a.device == "recorded" || a.device == "c" || a.device == "cpp";
	if (need_pair && !a.nodes.empty()) {
		auto comma = a.nodes.find(',');
		if (comma == std::string::npos) {
			err += "refgpu-harness: --nodes C_NODE,CPP_NODE\n";
			return 2;
		}
		node_c = a.nodes.substr(0, comma);
		node_cpp = a.nodes.substr(comma + 1);
	} else if (need_pair) {
		equiv::DiscoveryConfig cfg;
		cfg.c_driver = a.c_driver;
		cfg.cpp_driver = a.cpp_driver;
		auto d = equiv::discover_nodes(cfg);
		if (!d.ok) {
			err += "refgpu-harness: " + d.error + "\n";
			return 2;
		}
		node_c = d.nodes.c.dev.string();
		node_cpp = d.nodes.cpp.dev.string();
	}
	const unsigned ndev = trace_devices(ops);
	const auto drivers = trace_drivers(ops);
	auto pick = [&](const std::string &mode, std::vector<std::string> *nodes) -> bool {
		nodes->clear();
		for (unsigned i = 0; i < ndev; i++) {
			if (mode == "recorded") {
				if (drivers[i] == a.c_driver)
					nodes->push_back(node_c);
				else if (drivers[i] == a.cpp_driver)
					nodes->push_back(node_cpp);
				else {
					err += "refgpu-harness: device " + std::to_string(i) + " of the trace was recorded on driver '" +
					       drivers[i] + "': neither " + a.c_driver + " nor " + a.cpp_driver +
					       " (use --device)\n";
					return false;
				}
			} else if (mode == "c" || mode == "cpp") {
				if (i > 1) {
					err += "refgpu-harness: the trace uses " + std::to_string(ndev) +
					       " devices; --device c|cpp maps two\n";
					return false;
				}
				nodes->push_back((mode == "c") == (i == 0) ? node_c : node_cpp);
			} else {
				if (i > 1 || (i == 1 && a.other.empty())) {
					err += "refgpu-harness: the trace uses " + std::to_string(ndev) +
					       " devices: give the second with --other NODE\n";
					return false;
				}
				nodes->push_back(i == 0 ? mode : a.other);
			}
		}
		return true;
	};
	RealOs real;
	Os &os = os_in ? *os_in : real;
	std::vector<std::string> na, nb;
	RunReport r;
	if (a.command == "replay") {
		if (!pick(a.device, &na))
			return 2;
		r = replay(ops, *schemas, os, na);
	} else {
		if (!pick("c", &na) || !pick("cpp", &nb))
			return 2;
		r = lockstep(ops, *schemas, os, na, os, nb);
	}
	if (!r.error.empty()) {
		err += "refgpu-harness: " + a.trace + ": " + r.error + "\n";
		return 2;
	}
	const bool lock = a.command == "lockstep";
	const std::string el = lock ? "C" : "recorded", al = lock ? "C++" : "replayed";
	std::string events;
	for (const auto &[k, n] : r.by_event)
		events += (events.empty() ? "" : ", ") + k + " " + std::to_string(n);
	auto devices = [&](const std::vector<std::string> &n) {
		std::string s;
		for (std::size_t i = 0; i < n.size(); i++)
			s += (i ? ", " : "") + std::string("device ") + std::to_string(i) + " (recorded " +
			     (drivers[i].empty() ? "?" : drivers[i]) + ") -> " + n[i];
		return s;
	};
	const std::uint64_t ioctls = r.by_event.count("ioctl") ? r.by_event.at("ioctl") : 0;
	if (a.json) {
		json j = {{"command", a.command}, {"trace", a.trace}, {"header_program", header.value("program", "")}};
		j["devices"] = lock ? json{{"c", na}, {"cpp", nb}} : json(na);
		j["records"] = r.ops;
		j["by_event"] = r.by_event;
		j["opaque_ioctls"] = r.opaque;
		j["seconds"] = r.seconds;
		if (r.mismatch)
			j["mismatch"] = {{"op", r.mismatch->op},
					 {"what", r.mismatch->what},
					 {"field", r.mismatch->field},
					 {lock ? "c" : "recorded", r.mismatch->expected},
					 {lock ? "cpp" : "replayed", r.mismatch->actual}};
		else
			j["mismatch"] = nullptr;
		j["ok"] = !r.mismatch;
		out += j.dump(2) + "\n";
	} else {
		out += a.command + " " + a.trace + " (recorded from " + header.value("program", std::string("?")) +
		       ", " + std::to_string(ops.size()) + " records)\n";
		out += lock ? "  C side: " + devices(na) + "\n  C++ side: " + devices(nb) + "\n" : "  " + devices(na) + "\n";
		out += "  ran " + std::to_string(r.ops) + " records (" + events + "; " + std::to_string(r.opaque) +
		       " opaque ioctls) in " + std::to_string(r.seconds) + " s";
		if (lock && r.seconds > 0)
			out += ", " + std::to_string(static_cast<std::uint64_t>(ioctls / r.seconds)) + " ioctl pairs/s";
		out += "\n";
		if (r.mismatch) {
			out += std::string("  first ") + (lock ? "divergence" : "mismatch") + ": " + r.mismatch->text(el, al) + "\n";
			if (lock) {
				out += "  the ops before it:\n";
				for (std::size_t i = r.mismatch->op >= 3 ? r.mismatch->op - 3 : 0; i < r.mismatch->op && i < ops.size(); i++)
					out += "    op " + std::to_string(i) + " " + ops[i].value("ev", std::string()) + " " +
					       ops[i].value("ioctl", ops[i].value("req", std::string())) + "\n";
			}
		}
		out += a.command + (r.mismatch ? ": FAILED\n" : lock ? ": OK, no divergence\n" : ": OK, 0 mismatches\n");
	}
	if (r.mismatch)
		err += "refgpu-harness: " + a.command + ": " + r.mismatch->text(el, al) + "\n";
	if (!a.junit.empty()) {
		std::ofstream x(a.junit);
		x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"" << a.command << " "
		  << xml_escape(a.trace) << "\" tests=\"1\" failures=\"" << (r.mismatch ? 1 : 0) << "\">\n"
		  << "    <testcase classname=\"" << a.command << "\" name=\"" << xml_escape(a.trace) << "\">";
		if (r.mismatch)
			x << "\n      <failure message=\"" << xml_escape(r.mismatch->text(el, al)) << "\"/>\n    ";
		x << "</testcase>\n  </testsuite>\n</testsuites>\n";
		if (!x) {
			err += a.junit + ": cannot write\n";
			return 2;
		}
	}
	return r.mismatch ? 1 : 0;
}

} // namespace refgpu::trace
