// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include <gtest/gtest.h>

#include <cerrno>

#include "fake_device.h"
#include "query.h"

using namespace refgpu::equiv;

TEST(Query, DecodesRegisters)
{
	EXPECT_EQ(gpu_arch(0x01020003), "1.2");
	EXPECT_EQ(gpu_product(0x01020003), "0x0003");
	EXPECT_EQ(gpu_arch(0xff10abcd), "255.16");
	EXPECT_EQ(gpu_product(0xff10abcd), "0xabcd");
	EXPECT_EQ(fw_version_string(0x0100000a), "1.0.10");
	EXPECT_EQ(fw_version_string(0x02030405), "2.3.1029");
}

TEST(Query, NamesFeatures)
{
	EXPECT_EQ(feature_names(0), "none");
	EXPECT_EQ(feature_names(DRM_REFGPU_FEATURE_MMU), "MMU");
	EXPECT_EQ(feature_names(DRM_REFGPU_FEATURE_MMU | DRM_REFGPU_FEATURE_DOORBELL |
				DRM_REFGPU_FEATURE_TIMESTAMP),
		  "MMU|DOORBELL|TIMESTAMP");
	EXPECT_EQ(feature_names(DRM_REFGPU_FEATURE_DOORBELL | (1ull << 40)),
		  "DOORBELL|unknown(0x10000000000)");
}

TEST(Query, FormatsSizes)
{
	EXPECT_EQ(byte_size(256ull << 20), "268435456 (256 MiB)");
	EXPECT_EQ(byte_size(4096), "4096 (4 KiB)");
	EXPECT_EQ(byte_size(4097), "4097");
	EXPECT_EQ(byte_size(0), "0");
}

TEST(Query, SideBySideEqual)
{
	test::FakeRefgpu a, b;
	GpuInfoQuery qa = run_gpu_info_query(a), qb = run_gpu_info_query(b);
	EXPECT_EQ(qa.ret, 0);
	EXPECT_TRUE(gpu_info_equal(qa, qb));
	std::string s = format_query("C (renderD128)", qa, "C++ (renderD129)", qb);
	EXPECT_NE(s.find("C (renderD128)"), std::string::npos);
	EXPECT_NE(s.find("C++ (renderD129)"), std::string::npos);
	EXPECT_NE(s.find("1.2"), std::string::npos);
	EXPECT_NE(s.find("1.0.7"), std::string::npos);
	EXPECT_NE(s.find("MMU|DOORBELL"), std::string::npos);
	EXPECT_NE(s.find("64 MiB"), std::string::npos);
	EXPECT_NE(s.find("GPU info: equal"), std::string::npos);
	EXPECT_EQ(s.find(">>"), std::string::npos) << s;
}

TEST(Query, SideBySideDifferent)
{
	test::FakeRefgpu a, b;
	b.info.fw_version = 0x01000008;
	GpuInfoQuery qa = run_gpu_info_query(a), qb = run_gpu_info_query(b);
	EXPECT_FALSE(gpu_info_equal(qa, qb));
	std::string s = format_query("C", qa, "C++", qb);
	EXPECT_NE(s.find("GPU info: DIFFERENT"), std::string::npos);
	EXPECT_NE(s.find(">> fw_version"), std::string::npos) << s;
	EXPECT_NE(s.find(">>   version"), std::string::npos) << s;
}

TEST(Query, FailedQueryShowsTheError)
{
	test::DeadDevice d;
	GpuInfoQuery q = run_gpu_info_query(d);
	EXPECT_EQ(q.ret, -ENOTTY);
	auto rows = decode_gpu_info(q);
	EXPECT_EQ(rows.front().second, "-ENOTTY");
	EXPECT_EQ(rows[1].second, "-");
}
