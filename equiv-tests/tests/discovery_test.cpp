// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// Discovery against a fake sysfs + /dev tree in a temporary directory.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "discovery.h"

using namespace refgpu::equiv;
namespace fs = std::filesystem;

namespace {

class FakeTree : public ::testing::Test {
protected:
	void SetUp() override
	{
		std::string tmpl = (fs::temp_directory_path() / "refgpu-equiv-XXXXXX").string();
		ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
		root_ = tmpl;
		fs::create_directories(root_ / "sys" / "class" / "drm");
		fs::create_directories(root_ / "dev" / "dri");
		cfg_.sysfs_root = root_ / "sys";
		cfg_.dev_root = root_ / "dev";
		cfg_.read_name = [this](const fs::path &dev) -> NameRead {
			seen_.push_back(dev);
			auto it = names_.find(dev.filename().string());
			if (it == names_.end())
				return {false, {}, "cannot open " + dev.string() + ": No such device"};
			return {true, it->second, {}};
		};
	}
	void TearDown() override { fs::remove_all(root_); }

	// Lays out /sys/class/drm/<node> the way the kernel does: the class
	// entry links to the device directory, whose "driver" links to the
	// driver's directory on the bus. drm_name "" means the version read
	// fails; driver "" means no driver bound.
	void add_node(const std::string &node, const std::string &drm_name, const std::string &driver)
	{
		fs::path devdir = root_ / "sys" / "devices" / "platform" / ("dev-" + node);
		fs::path nodedir = devdir / "drm" / node;
		fs::create_directories(nodedir);
		fs::create_directory_symlink(fs::relative(devdir, nodedir), nodedir / "device");
		if (!driver.empty())
			fs::create_directory_symlink("../../../bus/platform/drivers/" + driver,
						     devdir / "driver");
		fs::create_directory_symlink(fs::relative(nodedir, root_ / "sys" / "class" / "drm"),
					     root_ / "sys" / "class" / "drm" / node);
		std::ofstream(root_ / "dev" / "dri" / node).put('\n');
		if (!drm_name.empty())
			names_[node] = drm_name;
	}
	void add_card(const std::string &card)
	{
		fs::create_directories(root_ / "sys" / "class" / "drm" / card);
	}

	fs::path root_;
	DiscoveryConfig cfg_;
	std::map<std::string, std::string> names_;
	std::vector<fs::path> seen_;
};

} // namespace

TEST_F(FakeTree, FindsBothDrivers)
{
	add_card("card0");
	add_card("card1");
	add_node("renderD129", "refgpu", "refgpu_cpp");
	add_node("renderD128", "refgpu", "refgpu_c");
	DiscoveryResult d = discover_nodes(cfg_);
	ASSERT_TRUE(d.ok) << d.error;
	EXPECT_EQ(d.nodes.c.node, "renderD128");
	EXPECT_EQ(d.nodes.c.driver, "refgpu_c");
	EXPECT_EQ(d.nodes.c.dev, root_ / "dev" / "dri" / "renderD128");
	EXPECT_EQ(d.nodes.cpp.node, "renderD129");
	EXPECT_EQ(d.nodes.cpp.driver, "refgpu_cpp");
	EXPECT_EQ(d.nodes.cpp.dev, root_ / "dev" / "dri" / "renderD129");
	// Names are read through the injected /dev root, cards are not opened.
	ASSERT_EQ(seen_.size(), 2u);
	for (const fs::path &p : seen_)
		EXPECT_EQ(p.parent_path(), root_ / "dev" / "dri");
}

TEST_F(FakeTree, DoesNotAssumeMinorNumbers)
{
	add_node("renderD200", "refgpu", "refgpu_c");
	add_node("renderD131", "refgpu", "refgpu_cpp");
	DiscoveryResult d = discover_nodes(cfg_);
	ASSERT_TRUE(d.ok) << d.error;
	EXPECT_EQ(d.nodes.c.node, "renderD200");
	EXPECT_EQ(d.nodes.cpp.node, "renderD131");
}

TEST_F(FakeTree, IgnoresNonRefgpuNodes)
{
	add_node("renderD128", "i915", "i915");
	add_node("renderD129", "refgpu", "refgpu_c");
	add_node("renderD130", "vgem", "vgem");
	add_node("renderD131", "", "mystery");         // name unreadable
	add_node("renderD132", "refgpu", "refgpu_cpp");
	add_node("renderD133", "virtio_gpu", "refgpu_c"); // driver name alone is not enough
	DiscoveryResult d = discover_nodes(cfg_);
	ASSERT_TRUE(d.ok) << d.error;
	EXPECT_EQ(d.nodes.c.node, "renderD129");
	EXPECT_EQ(d.nodes.cpp.node, "renderD132");
	EXPECT_EQ(d.scanned.size(), 6u);
}

TEST_F(FakeTree, MissingDriverIsAClearError)
{
	add_node("renderD128", "refgpu", "refgpu_c");
	add_node("renderD129", "i915", "i915");
	DiscoveryResult d = discover_nodes(cfg_);
	EXPECT_FALSE(d.ok);
	EXPECT_NE(d.error.find("no render node with DRM name \"refgpu\" is bound to the C++ driver "
			       "'refgpu_cpp'"),
		  std::string::npos)
		<< d.error;
	EXPECT_EQ(d.error.find("C driver 'refgpu_c'"), std::string::npos) << d.error;
	// It lists what it saw.
	EXPECT_NE(d.error.find("renderD129 (DRM name \"i915\", driver i915)"), std::string::npos)
		<< d.error;
	EXPECT_NE(d.error.find("--nodes"), std::string::npos);
}

TEST_F(FakeTree, TwoNodesForOneDriverIsAnError)
{
	add_node("renderD128", "refgpu", "refgpu_c");
	add_node("renderD129", "refgpu", "refgpu_cpp");
	add_node("renderD130", "refgpu", "refgpu_c");
	DiscoveryResult d = discover_nodes(cfg_);
	EXPECT_FALSE(d.ok);
	EXPECT_NE(d.error.find("2 render nodes with DRM name \"refgpu\" are bound to the C driver "
			       "'refgpu_c', expected exactly one: renderD128 renderD130"),
		  std::string::npos)
		<< d.error;
}

TEST_F(FakeTree, NoNodesAtAll)
{
	add_card("card0");
	DiscoveryResult d = discover_nodes(cfg_);
	EXPECT_FALSE(d.ok);
	EXPECT_NE(d.error.find("'refgpu_c'"), std::string::npos);
	EXPECT_NE(d.error.find("'refgpu_cpp'"), std::string::npos);
	EXPECT_NE(d.error.find("no render node (renderD*)"), std::string::npos) << d.error;
}

TEST_F(FakeTree, UnboundNodeAndUnreadableNameAreReported)
{
	add_node("renderD128", "refgpu", "");
	add_node("renderD129", "", "refgpu_cpp");
	DiscoveryResult d = discover_nodes(cfg_);
	EXPECT_FALSE(d.ok);
	EXPECT_NE(d.error.find("renderD128 (DRM name \"refgpu\", driver <none>)"), std::string::npos)
		<< d.error;
	EXPECT_NE(d.error.find("renderD129 (name unreadable, driver refgpu_cpp): cannot open"),
		  std::string::npos)
		<< d.error;
}

TEST_F(FakeTree, DriverNamesAreConfigurable)
{
	add_node("renderD128", "refgpu", "refgpu_c");
	add_node("renderD129", "refgpu", "refgpu_cpp");
	add_node("renderD130", "refgpu", "refgpu_c_v2");
	cfg_.c_driver = "refgpu_c_v2";
	DiscoveryResult d = discover_nodes(cfg_);
	ASSERT_TRUE(d.ok) << d.error;
	EXPECT_EQ(d.nodes.c.node, "renderD130");
	EXPECT_EQ(d.nodes.cpp.node, "renderD129");
}

TEST_F(FakeTree, MissingSysfsClassIsAClearError)
{
	cfg_.sysfs_root = root_ / "nonexistent";
	DiscoveryResult d = discover_nodes(cfg_);
	EXPECT_FALSE(d.ok);
	EXPECT_NE(d.error.find("cannot scan"), std::string::npos) << d.error;
	EXPECT_NE(d.error.find("class/drm"), std::string::npos) << d.error;
}
