// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The whole program (run_main) on in-process fake devices.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <cerrno>
#include <map>
#include <regex>
#include <memory>
#include <tuple>
#include <cstdlib>
#include <unistd.h>

#include "cli.h"
#include "expected_reports.h"
#include "fake_device.h"

using namespace refgpu::equiv;
namespace fs = std::filesystem;

namespace {

// Opens fakes by path; each open is a fresh "fd" (a new FakeRefgpu) whose
// setup is taken from the per-path hook.
struct FakeOpener {
	std::map<std::string, std::function<void(test::FakeRefgpu &)>> nodes;
	std::vector<std::string> opened;
	std::size_t fail_after = ~std::size_t{0}; // opens that succeed before all fail

	DeviceOpener fn()
	{
		return [this](const std::string &path, std::string *error) -> std::unique_ptr<DeviceIo> {
			opened.push_back(path);
			auto it = nodes.find(path);
			if (it == nodes.end() || opened.size() > fail_after) {
				*error = "cannot open " + path + ": No such file or directory";
				return nullptr;
			}
			auto d = std::make_unique<test::FakeRefgpu>();
			if (it->second)
				it->second(*d);
			return d;
		};
	}
};

Options nodes_opts(const std::string &c = "c", const std::string &cpp = "cpp")
{
	Options o;
	o.nodes_given = true;
	o.node_c = c;
	o.node_cpp = cpp;
	return o;
}

} // namespace

TEST(Cli, ParsesOptions)
{
	ParsedArgs p = parse_args({"--nodes", "/dev/dri/renderD130,/dev/dri/renderD128", "--c-driver=a",
				   "--cpp-driver", "b", "--sysfs-root", "/x", "--dev-root=/y",
				   "--plant-divergence", "--full-table"});
	ASSERT_TRUE(p.ok) << p.error;
	EXPECT_TRUE(p.opts.nodes_given);
	EXPECT_EQ(p.opts.node_c, "/dev/dri/renderD130");
	EXPECT_EQ(p.opts.node_cpp, "/dev/dri/renderD128");
	EXPECT_EQ(p.opts.c_driver, "a");
	EXPECT_EQ(p.opts.cpp_driver, "b");
	EXPECT_EQ(p.opts.sysfs_root, "/x");
	EXPECT_EQ(p.opts.dev_root, "/y");
	EXPECT_TRUE(p.opts.plant_divergence);
	EXPECT_TRUE(p.opts.full_table);
	EXPECT_FALSE(p.opts.query);

	EXPECT_TRUE(parse_args({"--help"}).opts.help);
	EXPECT_TRUE(parse_args({"-h"}).opts.help);
	EXPECT_TRUE(parse_args({"--query"}).opts.query);
	Options d = parse_args({}).opts;
	EXPECT_EQ(d.c_driver, "refgpu_c");
	EXPECT_EQ(d.cpp_driver, "refgpu_cpp");
}

TEST(Cli, RejectsBadArguments)
{
	EXPECT_FALSE(parse_args({"--bogus"}).ok);
	EXPECT_FALSE(parse_args({"--nodes"}).ok);
	EXPECT_FALSE(parse_args({"--nodes", "onlyone"}).ok);
	EXPECT_FALSE(parse_args({"--nodes", "a,b,c"}).ok);
	EXPECT_FALSE(parse_args({"--nodes", ",b"}).ok);
	ParsedArgs same = parse_args({"--nodes", "/dev/dri/renderD128,/dev/dri/renderD128"});
	EXPECT_FALSE(same.ok);
	EXPECT_NE(same.error.find("the same node twice"), std::string::npos) << same.error;
	EXPECT_FALSE(parse_args({"--c-driver="}).ok);
	EXPECT_FALSE(parse_args({"--query=1"}).ok);
	EXPECT_FALSE(parse_args({"--query", "--plant-divergence"}).ok);
	EXPECT_NE(parse_args({"--bogus"}).error.find("--bogus"), std::string::npos);
}

TEST(Cli, HelpMentionsEveryOption)
{
	std::string u = usage();
	for (const char *o : {"--nodes", "--c-driver", "--cpp-driver", "--sysfs-root", "--dev-root",
			      "--query", "--plant-divergence", "--full-table", "--bench",
			      "--bench-rounds", "--bench-iters", "--help"})
		EXPECT_NE(u.find(o), std::string::npos) << o;
}

TEST(Cli, EquivalentFakesExitZero)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", nullptr}};
	std::string out, err;
	EXPECT_EQ(run_main(nodes_opts(), out, err, f.fn()), kExitEquivalent) << out << err;
	EXPECT_TRUE(err.empty()) << err;
	EXPECT_NE(out.find("compared "), std::string::npos);
	EXPECT_NE(out.find(" ioctls: equivalent\n"), std::string::npos) << out;
	EXPECT_NE(out.find("ok  dev_query.full"), std::string::npos) << out;
	// Name check, then a fresh open per node for the script, then each
	// run's peer (the other node) for PRIME between the devices.
	EXPECT_EQ(f.opened, (std::vector<std::string>{"c", "cpp", "c", "cpp", "cpp", "c"}));
}

TEST(Cli, PlantDivergenceExitsOneWithTheDiff)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", nullptr}};
	Options o = nodes_opts();
	o.plant_divergence = true;
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn()), kExitDivergence);
	EXPECT_NE(out.find("planted divergence on the C++ side: step dev_query.full, gpu_id"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find(">> "), std::string::npos) << out;
	EXPECT_NE(out.find("gpu_id"), std::string::npos);
	// What ci/expect-planted looks for in the guest's report.
	EXPECT_NE(out.find("DIVERGENCE: 1 differing row(s) in 1 step(s): dev_query.full ("),
		  std::string::npos)
		<< out;
	EXPECT_TRUE(std::regex_search(out, std::regex("\n>> [^|]*\\| gpu_id +\\|"))) << out;
	EXPECT_NE(out.find("NOT equivalent"), std::string::npos);
	EXPECT_EQ(out.find(": equivalent"), std::string::npos);
}

TEST(Cli, SharedBugExitsOneWithTheOracleReport)
{
	FakeOpener f;
	auto bug = [](test::FakeRefgpu &d) { d.quirks.close_unknown_errno = ENOENT; };
	f.nodes = {{"c", bug}, {"cpp", bug}};
	std::string out, err;
	EXPECT_EQ(run_main(nodes_opts(), out, err, f.fn()), kExitDivergence) << out;
	EXPECT_EQ(out.find("DIVERGENCE"), std::string::npos) << out; // they agree
	EXPECT_NE(out.find("!! gem_close.unknown_handle | (return) | -EINVAL    | -ENOENT | -ENOENT\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("UAPI VIOLATION: 1 documented outcome(s) not met in 1 step(s): "
			   "gem_close.unknown_handle (C missed 1, C++ missed 1)\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("the drivers agree, but not with the UAPI: NOT correct"), std::string::npos);
}

TEST(Cli, OneSidedBugShowsInBothReports)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr},
		   {"cpp", [](test::FakeRefgpu &d) { d.quirks.query_oversize_errno = EINVAL; }}};
	std::string out, err;
	EXPECT_EQ(run_main(nodes_opts(), out, err, f.fn()), kExitDivergence) << out;
	EXPECT_NE(out.find("DIVERGENCE: 2 differing row(s) in 2 step(s): dev_query.size_max_plus_1 "
			   "dev_query.size_u32_max"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("!! dev_query.size_max_plus_1 | (return) | -E2BIG     | ok | -EINVAL"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("NOT equivalent"), std::string::npos);
}

TEST(Cli, DivergingDriverExitsOne)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", [](test::FakeRefgpu &d) { d.quirks.ignore_query_pad = true; }}};
	std::string out, err;
	EXPECT_EQ(run_main(nodes_opts(), out, err, f.fn()), kExitDivergence);
	EXPECT_NE(out.find("dev_query.pad_nonzero"), std::string::npos) << out;
}

TEST(Cli, NodesMustBeRefgpu)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", [](test::FakeRefgpu &d) { d.name = "vgem"; }}};
	std::string out, err;
	EXPECT_EQ(run_main(nodes_opts(), out, err, f.fn()), kExitSetupError);
	EXPECT_NE(err.find("cpp is DRM driver \"vgem\", not \"refgpu\""), std::string::npos) << err;
}

TEST(Cli, TwoSpellingsOfOneDeviceNodeAreASetupError)
{
	FakeOpener f;
	f.nodes = {{"/dev/null", nullptr}, {"/dev/../dev/null", nullptr}};
	std::string out, err;
	EXPECT_EQ(run_main(nodes_opts("/dev/null", "/dev/../dev/null"), out, err, f.fn()),
		  kExitSetupError);
	EXPECT_NE(err.find("are the same device node"), std::string::npos) << err;
	EXPECT_TRUE(f.opened.empty()); // refused before anything is opened
}

TEST(Cli, UnopenableNodeIsASetupError)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}};
	std::string out, err;
	EXPECT_EQ(run_main(nodes_opts(), out, err, f.fn()), kExitSetupError);
	EXPECT_NE(err.find("cannot open cpp"), std::string::npos) << err;
}

TEST(Cli, QueryModeComparesGpuInfo)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", nullptr}};
	Options o = nodes_opts();
	o.query = true;
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn()), kExitEquivalent) << out << err;
	EXPECT_NE(out.find("GPU info: equal"), std::string::npos) << out;

	f.nodes["cpp"] = [](test::FakeRefgpu &d) { d.info.gpu_id = 0x01030003; };
	out.clear();
	EXPECT_EQ(run_main(o, out, err, f.fn()), kExitDivergence);
	EXPECT_NE(out.find("GPU info: DIFFERENT"), std::string::npos) << out;
	EXPECT_NE(out.find(">>   arch"), std::string::npos) << out;
}

TEST(Cli, DiscoveryFailureIsAClearSetupError)
{
	Options o;
	o.sysfs_root = "/nonexistent-refgpu-sysfs";
	FakeOpener f;
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn()), kExitSetupError);
	EXPECT_NE(err.find("cannot find the two refgpu render nodes"), std::string::npos) << err;
}

TEST(Cli, DiscoveryDrivesTheRun)
{
	std::string tmpl = (fs::temp_directory_path() / "refgpu-equiv-cli-XXXXXX").string();
	ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
	fs::path root = tmpl;
	for (auto [node, driver] : {std::pair{"renderD131", "refgpu_cpp"}, {"renderD140", "refgpu_c"}}) {
		fs::path nd = root / "sys" / "class" / "drm" / node / "device";
		fs::create_directories(nd);
		fs::create_directory_symlink(std::string("/nowhere/drivers/") + driver, nd / "driver");
	}
	Options o;
	o.sysfs_root = (root / "sys").string();
	o.dev_root = (root / "dev").string();
	FakeOpener f;
	std::string c = (root / "dev" / "dri" / "renderD140").string();
	std::string cpp = (root / "dev" / "dri" / "renderD131").string();
	f.nodes = {{c, nullptr}, {cpp, nullptr}};
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn()), kExitEquivalent) << out << err;
	EXPECT_NE(out.find("C node:   " + c), std::string::npos) << out;
	EXPECT_NE(out.find("C++ node: " + cpp), std::string::npos) << out;
	fs::remove_all(root);
}

TEST(Cli, ParsesBenchOptions)
{
	ParsedArgs p = parse_args({"--bench", "--bench-rounds", "7", "--bench-iters=0.25"});
	ASSERT_TRUE(p.ok) << p.error;
	EXPECT_TRUE(p.opts.bench);
	EXPECT_EQ(p.opts.bench_rounds, 7u);
	EXPECT_DOUBLE_EQ(p.opts.bench_iters, 0.25);
	p = parse_args({"--bench", "--bench-rounds=2", "--bench-iters", "3"});
	ASSERT_TRUE(p.ok) << p.error;
	EXPECT_EQ(p.opts.bench_rounds, 2u);
	EXPECT_DOUBLE_EQ(p.opts.bench_iters, 3);
	p = parse_args({"--bench"});
	ASSERT_TRUE(p.ok) << p.error;
	EXPECT_EQ(p.opts.bench_rounds, 32u);
	EXPECT_DOUBLE_EQ(p.opts.bench_iters, 1);
	EXPECT_FALSE(parse_args({}).opts.bench);
}

TEST(Cli, RejectsBadBenchOptions)
{
	for (const char *v : {"0", "1", "-1", "x", "2.5", "1001", "99999999999", " 3"})
		EXPECT_FALSE(parse_args({"--bench", "--bench-rounds", v}).ok) << v;
	for (const char *v : {"0", "-1", "abc", "nan", "inf", "1e9", "1001", "0x10", "2x"})
		EXPECT_FALSE(parse_args({"--bench", "--bench-iters", v}).ok) << v;
	EXPECT_FALSE(parse_args({"--bench=1"}).ok);
	EXPECT_FALSE(parse_args({"--bench", "--query"}).ok);
	EXPECT_FALSE(parse_args({"--bench", "--plant-divergence"}).ok);
	EXPECT_FALSE(parse_args({"--bench", "--full-table"}).ok);
	ParsedArgs p = parse_args({"--bench-rounds", "3"});
	EXPECT_FALSE(p.ok);
	EXPECT_NE(p.error.find("only apply to --bench"), std::string::npos) << p.error;
	p = parse_args({"--bench", "--bench-iters", "0"});
	EXPECT_NE(p.error.find("--bench-iters wants a number > 0"), std::string::npos) << p.error;
	p = parse_args({"--bench", "--bench-rounds", "1"}); // no interval from one round
	EXPECT_EQ(p.error, "--bench-rounds wants an integer from 2 to 1000, got '1'");
}

namespace {

// A clock that moves 1000 ns per read: every timed window is 1000 ns.
std::function<std::uint64_t()> steady_clock_1us()
{
	auto t = std::make_shared<std::uint64_t>(0);
	return [t] { return *t += 1000; };
}

} // namespace

TEST(Cli, BenchOpensEachNodeTwiceAndPrintsFigures)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", nullptr}};
	Options o = nodes_opts();
	o.bench = true;
	o.bench_rounds = 3;
	o.bench_iters = 0.025; // iters 10, 5, 10, 1, 10, 10, 5
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn(), steady_clock_1us()), kExitEquivalent) << out << err;
	EXPECT_TRUE(err.empty()) << err;
	// The fds of the name check are measured; a second fd per node for A/A.
	EXPECT_EQ(f.opened, (std::vector<std::string>{"c", "cpp", "c", "cpp"}));
	EXPECT_NE(out.find("C node:   c\nC++ node: cpp\nbench: 3 paired rounds"), std::string::npos)
		<< out;
	EXPECT_NE(out.find("  C++/C: C++ (cpp) against C (c)\n"), std::string::npos) << out;
	// 1000 ns per window: 100 ns/op at 10 iterations, 200 at 5, 1000 at 1;
	// every ratio 1 with a zero-width interval.
	EXPECT_NE(out.find("dev_query.gpu_info     |    10 |   100.0 |     100.0 | 1.000 [1.000, 1.000] "
			   "| 1.000 [1.000, 1.000] | 1.000 [1.000, 1.000]\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("bo_1m_map_touch        |     1 |  1000.0 |"), std::string::npos) << out;
	EXPECT_NE(out.find("syncobj_create+destroy |     5 |   200.0 |"), std::string::npos) << out;
	EXPECT_NE(out.find("geometric mean (5)     |       |         |           | 1.000 [1.000, 1.000]"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("geometric mean (3)     |"), std::string::npos) << out;
	EXPECT_EQ(out.find("equivalent"), std::string::npos) << out; // no verdict
}

TEST(Cli, BenchFailsWhenTheSecondFdCannotBeOpened)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", nullptr}};
	f.fail_after = 3; // the name checks and the A/A fd of c open; cpp's fails
	Options o = nodes_opts();
	o.bench = true;
	o.bench_rounds = 2;
	o.bench_iters = 0.01;
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn(), steady_clock_1us()), kExitSetupError) << out << err;
	EXPECT_NE(err.find("refgpu-equiv: error: "), std::string::npos) << err;
	EXPECT_EQ(out.find("ns/op"), std::string::npos) << out;
}

TEST(Cli, ParsesBenchKernelOptions)
{
	ParsedArgs p = parse_args({"--bench", "--bench-kernel", "--kbench-file", "/x/run"});
	ASSERT_TRUE(p.ok) << p.error;
	EXPECT_TRUE(p.opts.bench_kernel);
	EXPECT_EQ(p.opts.kbench_path, "/x/run");
	EXPECT_EQ(parse_args({"--bench"}).opts.kbench_path, "/sys/kernel/debug/refgpu_kbench/run");
	p = parse_args({"--bench-kernel"});
	EXPECT_FALSE(p.ok);
	EXPECT_NE(p.error.find("only apply to --bench"), std::string::npos) << p.error;
}

TEST(Cli, BenchKernelWithoutTheModuleIsASetupError)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", nullptr}};
	Options o = nodes_opts();
	o.bench = true;
	o.bench_kernel = true;
	o.bench_rounds = 2;
	o.kbench_path = "/nonexistent/refgpu_kbench/run";
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn(), steady_clock_1us()), kExitSetupError) << out << err;
	EXPECT_NE(err.find("cannot open /nonexistent/refgpu_kbench/run"), std::string::npos) << err;
	EXPECT_NE(err.find("refgpu_kbench module loaded"), std::string::npos) << err;
	EXPECT_EQ(out.find("ns/op"), std::string::npos) << out;
}

TEST(Cli, BenchOnDiscoveredNodesOpensEachOnce)
{
	std::string tmpl = (fs::temp_directory_path() / "refgpu-equiv-bench-XXXXXX").string();
	ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
	fs::path root = tmpl;
	for (auto [node, driver] : {std::pair{"renderD128", "refgpu_c"}, {"renderD129", "refgpu_cpp"},
				    {"renderD130", "vgem"}}) {
		fs::path nd = root / "sys" / "class" / "drm" / node / "device";
		fs::create_directories(nd);
		fs::create_directory_symlink(std::string("/nowhere/drivers/") + driver, nd / "driver");
	}
	Options o;
	o.sysfs_root = (root / "sys").string();
	o.dev_root = (root / "dev").string();
	o.bench = true;
	o.bench_rounds = 2;
	o.bench_iters = 0.001;
	FakeOpener f;
	std::string c = (root / "dev" / "dri" / "renderD128").string();
	std::string cpp = (root / "dev" / "dri" / "renderD129").string();
	std::string other = (root / "dev" / "dri" / "renderD130").string();
	f.nodes = {{c, nullptr}, {cpp, nullptr}, {other, [](test::FakeRefgpu &d) { d.name = "vgem"; }}};
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn(), steady_clock_1us()), kExitEquivalent) << out << err;
	EXPECT_EQ(f.opened, (std::vector<std::string>{c, cpp, other, c, cpp}));
	EXPECT_NE(out.find("geometric mean (5)"), std::string::npos) << out;
	fs::remove_all(root);
}

TEST(Cli, BenchFailureExitsOneWithTheErrnoAndNoTable)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", [](test::FakeRefgpu &d) {
				    d.quirks.fail_request = DRM_IOCTL_SYNCOBJ_DESTROY;
				    d.quirks.fail_after = 0;
				    d.quirks.fail_errno = EBUSY;
			    }}};
	Options o = nodes_opts();
	o.bench = true;
	o.bench_rounds = 2;
	o.bench_iters = 0.005;
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn(), steady_clock_1us()), kExitBenchFailed);
	EXPECT_EQ(kExitBenchFailed, 1);
	EXPECT_NE(err.find("refgpu-equiv: error: bench: syncobj_create+destroy on C++ (cpp) (warm-up): "
			   "DRM_IOCTL_SYNCOBJ_DESTROY failed: -EBUSY (errno 16: Device or resource busy)\n"),
		  std::string::npos)
		<< err;
	EXPECT_NE(err.find("benchmark aborted"), std::string::npos) << err;
	EXPECT_EQ(out.find("C++/C"), std::string::npos) << out;
	EXPECT_EQ(out.find("ns/op"), std::string::npos) << out;
}

// --- --fault-inject -------------------------------------------------------

namespace {

// A temporary fail-nth file ("0\n"), removed at the end.
struct FailNthFile {
	FailNthFile()
	{
		char tmpl[] = "/tmp/refgpu-equiv-cli-fail-nth-XXXXXX";
		int fd = mkstemp(tmpl);
		EXPECT_GE(fd, 0);
		EXPECT_EQ(write(fd, "0\n", 2), 2);
		close(fd);
		path = tmpl;
	}
	~FailNthFile() { unlink(path.c_str()); }
	std::string path;
};

// The long-lived files come from f.fn(), the open_node operation's from
// the node opener: both follow the same per-path setup plus the fail-nth
// at path.
NodeOpenerFactory fake_nodes(FakeOpener &f)
{
	return [&f](const std::string &path) -> std::unique_ptr<NodeOpener> {
		return std::make_unique<test::FakeNode>(f.nodes.at(path));
	};
}

FakeOpener fault_fakes(const std::string &fail_nth,
		       std::function<void(test::FakeRefgpu &)> cpp_extra = nullptr)
{
	FakeOpener f;
	f.nodes["c"] = [fail_nth](test::FakeRefgpu &d) { d.faults.fail_nth_path = fail_nth; };
	f.nodes["cpp"] = [fail_nth, cpp_extra](test::FakeRefgpu &d) {
		d.faults.fail_nth_path = fail_nth;
		if (cpp_extra)
			cpp_extra(d);
	};
	return f;
}

Options fault_opts(const std::string &fail_nth)
{
	Options o = nodes_opts();
	o.fault_inject = true;
	o.fail_nth_path = fail_nth;
	return o;
}

} // namespace

TEST(Cli, ParsesFaultInjectOptions)
{
	ParsedArgs p = parse_args({"--fault-inject"});
	ASSERT_TRUE(p.ok) << p.error;
	EXPECT_TRUE(p.opts.fault_inject);
	EXPECT_EQ(p.opts.fault_max, 1000u);
	EXPECT_EQ(p.opts.fail_nth_path, "/proc/thread-self/fail-nth");
	p = parse_args({"--fault-inject", "--fault-max", "5000", "--fail-nth-file=/tmp/x"});
	ASSERT_TRUE(p.ok) << p.error;
	EXPECT_EQ(p.opts.fault_max, 5000u);
	EXPECT_EQ(p.opts.fail_nth_path, "/tmp/x");
	EXPECT_FALSE(parse_args({}).opts.fault_inject);
}

TEST(Cli, RejectsBadFaultInjectOptions)
{
	for (const char *v : {"0", "-1", "x", "100001", "1e3"})
		EXPECT_FALSE(parse_args({"--fault-inject", "--fault-max", v}).ok) << v;
	EXPECT_FALSE(parse_args({"--fault-inject=1"}).ok);
	EXPECT_FALSE(parse_args({"--fault-inject", "--fail-nth-file="}).ok);
	// --full-table: there is no table of differences to widen.
	for (const char *other : {"--bench", "--query", "--plant-divergence", "--full-table"}) {
		ParsedArgs p = parse_args({"--fault-inject", other});
		EXPECT_FALSE(p.ok) << other;
		EXPECT_NE(p.error.find("--fault-inject does not combine"), std::string::npos) << p.error;
	}
	ParsedArgs p = parse_args({"--fault-max", "5"});
	EXPECT_FALSE(p.ok);
	EXPECT_NE(p.error.find("only apply to --fault-inject"), std::string::npos) << p.error;
	EXPECT_FALSE(parse_args({"--fail-nth-file", "/tmp/x"}).ok);
	p = parse_args({"--fault-inject", "--fault-max", "0"});
	EXPECT_EQ(p.error, "--fault-max wants an integer from 1 to 100000, got '0'");
}

TEST(Cli, HelpDescribesFaultInject)
{
	std::string u = usage();
	for (const char *o : {"--fault-inject", "--fault-max N", "--fail-nth-file PATH", "fail-nth",
			      "CONFIG_FAULT_INJECTION", "(default 1000)", "not compared",
			      "same\n                           on both drivers",
			      "documents", "nothing leaked"})
		EXPECT_NE(u.find(o), std::string::npos) << o;
}

TEST(Cli, FaultInjectWithoutFailNthIsASetupError)
{
	FakeOpener f;
	f.nodes = {{"c", nullptr}, {"cpp", nullptr}};
	std::string out, err;
	Options o = fault_opts("/nonexistent-refgpu-proc/thread-self/fail-nth");
	EXPECT_EQ(run_main(o, out, err, f.fn(), nullptr, fake_nodes(f)), kExitSetupError);
	EXPECT_EQ(err, "refgpu-equiv: error: /nonexistent-refgpu-proc/thread-self/fail-nth does not "
		       "exist: this kernel has no fault injection (CONFIG_FAULT_INJECTION), which "
		       "--fault-inject needs\n");
	EXPECT_TRUE(out.empty()) << out;
	EXPECT_TRUE(f.opened.empty()); // checked before any node is touched
}

TEST(Cli, FaultInjectOnCorrectFakesExitsZero)
{
	FailNthFile fn;
	FakeOpener f = fault_fakes(fn.path);
	std::string out, err;
	EXPECT_EQ(run_main(fault_opts(fn.path), out, err, f.fn(), nullptr, fake_nodes(f)),
		  kExitEquivalent)
		<< out << err;
	EXPECT_TRUE(err.empty()) << err;
	EXPECT_EQ(out, "C node:   c\nC++ node: cpp\n" + refgpu::equiv::test::kFaultInjectHappyTable +
			       refgpu::equiv::test::kFaultInjectHappyOutcomes +
			       "fault-inject: 16 (C) / 16 (C++) injected failures, every error "
			       "documented, nothing leaked, the same outcomes on both drivers: OK\n");
	EXPECT_EQ(f.opened, (std::vector<std::string>{"c", "cpp", "c", "cpp"}));
}

TEST(Cli, FaultInjectDifferentCountsExitZero)
{
	// One more fault point in the C++ SYNCOBJ_CREATE: information, not a failure.
	FailNthFile fn;
	FakeOpener f = fault_fakes(fn.path, [](test::FakeRefgpu &d) {
		d.faults.points[DRM_IOCTL_SYNCOBJ_CREATE] = 3;
	});
	std::string out, err;
	EXPECT_EQ(run_main(fault_opts(fn.path), out, err, f.fn(), nullptr, fake_nodes(f)),
		  kExitEquivalent)
		<< out << err;
	EXPECT_TRUE(err.empty()) << err;
	EXPECT_NE(out.find("syncobj_create     | runs                          | 3 |   4\n"
			   "                   | injection points              | 2 |   3\n"
			   "                   | SYNCOBJ_CREATE -ENOMEM        | 2 |   3\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("  syncobj_create: same {SYNCOBJ_CREATE -ENOMEM; ok (cleanup: "
			   "SYNCOBJ_DESTROY)}\n"
			   "    fault points differ: C 2 in 3 runs, C++ 3 in 4 runs (information, not a "
			   "failure)\n"),
		  std::string::npos)
		<< out;
	const std::string ok = "fault-inject: 16 (C) / 17 (C++) injected failures, every error "
			       "documented, nothing leaked, the same outcomes on both drivers: OK\n";
	ASSERT_GE(out.size(), ok.size());
	EXPECT_EQ(out.substr(out.size() - ok.size()), ok) << out;
}

TEST(Cli, FaultInjectDivergingOutcomesExitOne)
{
	// Planted: -ENOSPC from the C++ BO_CREATE, -ENOMEM from C: documented
	// on both, different between them.
	FailNthFile fn;
	FakeOpener f = fault_fakes(fn.path, [](test::FakeRefgpu &d) {
		d.faults.errnos[DRM_IOCTL_REFGPU_BO_CREATE] = ENOSPC;
	});
	std::string out, err;
	EXPECT_EQ(run_main(fault_opts(fn.path), out, err, f.fn(), nullptr, fake_nodes(f)),
		  kExitFaultFailed)
		<< out << err;
	EXPECT_EQ(err, "refgpu-equiv: error: fault-inject: 2 violation(s), listed above\n");
	EXPECT_NE(out.find("  bo_create_4k: outcome sets differ after 3 sweeps each (unions over all "
			   "sweeps): C {BO_CREATE -ENOMEM; ok (cleanup: GEM_CLOSE)}, C++ {BO_CREATE "
			   "-ENOSPC; ok (cleanup: GEM_CLOSE)}; only on C: {BO_CREATE -ENOMEM}; only on "
			   "C++: {BO_CREATE -ENOSPC}\n"),
		  std::string::npos)
		<< out;
}

TEST(Cli, FaultInjectUndocumentedErrnoExitsOne)
{
	FailNthFile fn;
	FakeOpener f = fault_fakes(fn.path, [](test::FakeRefgpu &d) {
		d.faults.errnos[DRM_IOCTL_SYNCOBJ_CREATE] = ENOSPC;
	});
	std::string out, err;
	EXPECT_EQ(run_main(fault_opts(fn.path), out, err, f.fn(), nullptr, fake_nodes(f)),
		  kExitFaultFailed)
		<< out << err;
	EXPECT_EQ(kExitFaultFailed, 1);
	EXPECT_EQ(err, "refgpu-equiv: error: fault-inject: 1 violation(s), listed above\n");
	const std::string tail = "fault-inject: FAILED, 1 violation(s):\n"
				 "  syncobj_create on C++ (cpp): n=1: SYNCOBJ_CREATE failed with -ENOSPC "
				 "under the injected fault; documented: -ENOMEM\n";
	ASSERT_GE(out.size(), tail.size());
	EXPECT_EQ(out.substr(out.size() - tail.size()), tail) << out;
	EXPECT_NE(out.find("syncobj_create     | runs                          | 3 | 1 (violation)\n"),
		  std::string::npos)
		<< out;
}

TEST(Cli, FaultInjectLeakExitsOneWithTheViolations)
{
	FailNthFile fn;
	FakeOpener f = fault_fakes(fn.path, [](test::FakeRefgpu &d) { d.faults.leak_bo_on_fault = true; });
	std::string out, err;
	EXPECT_EQ(run_main(fault_opts(fn.path), out, err, f.fn(), nullptr, fake_nodes(f)),
		  kExitFaultFailed);
	EXPECT_EQ(err, "refgpu-equiv: error: fault-inject: 2 violation(s), listed above\n");
	const std::string tail =
		"fault-inject: FAILED, 2 violation(s):\n"
		"  bo_create_4k on C++ (cpp): n=1: after the run (BO_CREATE -ENOMEM, fault injected) a "
		"new BO gets handle 2, 1 before it: a BO handle leaked\n"
		"  bo_1m_map_touch on C++ (cpp): n=1: after the run (BO_CREATE -ENOMEM, fault "
		"injected) a new BO gets handle 3, 2 before it: a BO handle leaked\n";
	ASSERT_GE(out.size(), tail.size());
	EXPECT_EQ(out.substr(out.size() - tail.size()), tail) << out;
}

// --- --fault-bind ---------------------------------------------------------

namespace {

// A bus without fault points: every device bound, binds and unbinds
// succeed unless fail_bind_errno is set (then every bind fails, with no
// fault injected: a violation).
struct PlainBus final : PlatformBus {
	std::map<std::string, std::string> bound; // device -> driver
	int fail_bind_errno = 0;
	std::vector<std::string> *log = nullptr;
	int prepare(const BindTarget &) override { return 0; }
	int write_bind(const BindTarget &t) override
	{
		log->push_back("bind " + t.device);
		if (fail_bind_errno)
			return -fail_bind_errno;
		bound[t.device] = t.driver;
		return 0;
	}
	int write_unbind(const BindTarget &t) override
	{
		log->push_back("unbind " + t.device);
		bound.erase(t.device);
		return 0;
	}
	std::string bound_driver(const BindTarget &t) override
	{
		return bound.count(t.device) ? bound[t.device] : "";
	}
	std::vector<std::string> drm_minors(const BindTarget &t) override
	{
		return bound.count(t.device) ? std::vector<std::string>{"card0"} : std::vector<std::string>{};
	}
	std::string check_works(const BindTarget &) override { return ""; }
};

// sys/class/drm/renderD1xx/device -> sys/devices/platform/refgpu.N, with
// its driver link.
fs::path bind_sysfs()
{
	std::string tmpl = (fs::temp_directory_path() / "refgpu-equiv-cli-bind-XXXXXX").string();
	EXPECT_NE(mkdtemp(tmpl.data()), nullptr);
	fs::path root = tmpl;
	for (auto [node, dev, driver] : {std::tuple{"renderD128", "refgpu.0", "refgpu_c"},
					 std::tuple{"renderD129", "refgpu.1", "refgpu_cpp"}}) {
		fs::path pd = root / "sys/devices/platform" / dev;
		fs::create_directories(pd);
		fs::create_directory_symlink(std::string("/nowhere/drivers/") + driver, pd / "driver");
		fs::create_directories(root / "sys/class/drm" / node);
		fs::create_directory_symlink(pd, root / "sys/class/drm" / node / "device");
	}
	return root;
}

} // namespace

TEST(Cli, ParsesFaultBind)
{
	ParsedArgs p = parse_args({"--fault-bind", "--fault-max", "50"});
	ASSERT_TRUE(p.ok) << p.error;
	EXPECT_TRUE(p.opts.fault_bind);
	EXPECT_EQ(p.opts.fault_max, 50u);
	for (const char *other : {"--fault-inject", "--bench", "--query", "--nodes=a,b"}) {
		ParsedArgs q = parse_args({"--fault-bind", other});
		EXPECT_FALSE(q.ok) << other;
		EXPECT_NE(q.error.find("--fault-bind does not combine"), std::string::npos) << q.error;
	}
	EXPECT_NE(usage().find("--fault-bind"), std::string::npos);
}

TEST(Cli, FaultBindRunsOnTheDiscoveredDevicesAndFailsOnAViolation)
{
	fs::path root = bind_sysfs();
	FailNthFile fn;
	Options o;
	o.fault_bind = true;
	o.fail_nth_path = fn.path;
	o.sysfs_root = (root / "sys").string();
	o.dev_root = (root / "dev").string();
	FakeOpener f;
	f.nodes = {{(root / "dev/dri/renderD128").string(), nullptr},
		   {(root / "dev/dri/renderD129").string(), nullptr}};
	std::vector<std::string> log;
	int fail = 0;
	auto bus = [&]() {
		auto b = std::make_unique<PlainBus>();
		b->bound = {{"refgpu.0", "refgpu_c"}, {"refgpu.1", "refgpu_cpp"}};
		b->fail_bind_errno = fail;
		b->log = &log;
		return b;
	};
	std::string out, err;
	EXPECT_EQ(run_main(o, out, err, f.fn(), nullptr, path_node_opener, bus), kExitEquivalent)
		<< out << err;
	EXPECT_TRUE(err.empty()) << err;
	EXPECT_NE(out.find("C device:   refgpu.0 (refgpu_c)\nC++ device: refgpu.1 (refgpu_cpp)\n"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("fault-bind: 0 (C) / 0 (C++) injected failures in probe and remove"),
		  std::string::npos)
		<< out;
	// Per op and device: the baseline (unbind, bind), then probe: unbind,
	// the bind run (clean at once: no fault points); remove: the unbind
	// run, the bind back.
	std::vector<std::string> want;
	for (const char *op : {"probe", "remove"})
		for (const char *dev : {"refgpu.0", "refgpu.1"}) {
			(void)op;
			for (const char *w : {"unbind ", "bind ", "unbind ", "bind "})
				want.push_back(w + std::string(dev));
		}
	EXPECT_EQ(log, want);

	fail = EIO; // planted: the baseline bind fails
	out.clear();
	err.clear();
	EXPECT_EQ(run_main(o, out, err, f.fn(), nullptr, path_node_opener, bus), kExitFaultFailed)
		<< out << err;
	EXPECT_NE(out.find("probe on C (refgpu.0, refgpu_c): before the first run: bind without a "
			   "fault failed: -EIO"),
		  std::string::npos)
		<< out;
	EXPECT_EQ(err, "refgpu-equiv: error: fault-bind: 4 violation(s), listed above\n");
	fs::remove_all(root);
}
