// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>

#include "compare.h"

using namespace refgpu::equiv;

namespace {

Result res(std::string step, int ret, std::vector<Field> fields)
{
	Result r;
	r.step = std::move(step);
	r.ioctl = "DRM_IOCTL_TEST";
	r.ret = ret;
	r.fields = std::move(fields);
	return r;
}

std::vector<Result> sample()
{
	return {
		res("version", 0, {{"name", "refgpu"}, {"version_major", "1"}, {"desc", "ref gpu"}}),
		res("dev_query.full", 0, {{"size", "40"}, {"gpu_id", "0x1020003"}, {"max_bo_size", "67108864"}}),
		res("bo_create.size_0", -EINVAL, {{"size", "0"}, {"handle", "0"}}),
		res("unknown_ioctl.command_0x30", -EINVAL, {}),
	};
}

const DiffRow *differing_row(const Comparison &c, const std::string &step, const std::string &field)
{
	for (const DiffRow &r : c.rows)
		if (r.differs && r.step == step && r.field == field)
			return &r;
	return nullptr;
}

// The report line of a differing row: starts with the marker, names the
// step and the field.
bool report_marks(const std::string &report, const std::string &step, const std::string &field)
{
	std::size_t pos = 0;
	while ((pos = report.find(">> ", pos)) != std::string::npos) {
		std::size_t eol = report.find('\n', pos);
		std::string line = report.substr(pos, eol - pos);
		if (line.find(field) != std::string::npos)
			return report.find(step) != std::string::npos;
		pos = eol;
	}
	return false;
}

} // namespace

TEST(Comparator, IdenticalListsAreEquivalent)
{
	Comparison c = compare_results(sample(), sample());
	EXPECT_TRUE(c.equivalent);
	EXPECT_TRUE(c.diverging_steps.empty());
	for (const DiffRow &r : c.rows)
		EXPECT_FALSE(r.differs) << r.step << " " << r.field;
	// ioctl + return + fields for each step
	EXPECT_EQ(c.rows.size(), 4u * 2 + 3 + 3 + 2);
}

TEST(Comparator, EmptyListsAreEquivalent)
{
	EXPECT_TRUE(compare_results({}, {}).equivalent);
}

TEST(Comparator, DetectsReturnCodeDivergence)
{
	auto cpp = sample();
	cpp[2].ret = -E2BIG;
	Comparison c = compare_results(sample(), cpp);
	EXPECT_FALSE(c.equivalent);
	ASSERT_EQ(c.diverging_steps, std::vector<std::string>{"bo_create.size_0"});
	const DiffRow *r = differing_row(c, "bo_create.size_0", kRowReturn);
	ASSERT_NE(r, nullptr);
	EXPECT_EQ(r->c, "-EINVAL");
	EXPECT_EQ(r->cpp, "-E2BIG");
	std::string report = format_diff(c);
	EXPECT_TRUE(report_marks(report, "bo_create.size_0", "(return)")) << report;
	EXPECT_NE(report.find("-E2BIG"), std::string::npos);
}

TEST(Comparator, DetectsFieldValueDivergence)
{
	auto cpp = sample();
	cpp[1].fields[1].value = "0x1020004";
	Comparison c = compare_results(sample(), cpp);
	EXPECT_FALSE(c.equivalent);
	const DiffRow *r = differing_row(c, "dev_query.full", "gpu_id");
	ASSERT_NE(r, nullptr);
	EXPECT_EQ(r->c, "0x1020003");
	EXPECT_EQ(r->cpp, "0x1020004");
	EXPECT_EQ(c.diverging_steps, std::vector<std::string>{"dev_query.full"});
	std::string report = format_diff(c);
	EXPECT_TRUE(report_marks(report, "dev_query.full", "gpu_id")) << report;
	// Only the differing step is in the table by default...
	EXPECT_EQ(report.find("bo_create.size_0 "), std::string::npos) << report;
	// ...its other rows are there unmarked, for context.
	EXPECT_NE(report.find("max_bo_size"), std::string::npos);
	EXPECT_FALSE(report_marks(report, "dev_query.full", "max_bo_size"));
	// The full table shows every step.
	EXPECT_NE(format_diff(c, true).find("bo_create.size_0"), std::string::npos);
}

TEST(Comparator, DetectsIoctlNameDivergence)
{
	auto cpp = sample();
	cpp[0].ioctl = "OTHER";
	Comparison c = compare_results(sample(), cpp);
	EXPECT_FALSE(c.equivalent);
	EXPECT_NE(differing_row(c, "version", kRowIoctl), nullptr);
}

TEST(Comparator, DetectsMissingField)
{
	auto cpp = sample();
	cpp[0].fields.erase(cpp[0].fields.begin() + 1); // version_major
	Comparison c = compare_results(sample(), cpp);
	EXPECT_FALSE(c.equivalent);
	const DiffRow *r = differing_row(c, "version", "version_major");
	ASSERT_NE(r, nullptr);
	EXPECT_EQ(r->c, "1");
	EXPECT_EQ(r->cpp, kAbsent);
	// The fields around it still pair up.
	EXPECT_EQ(differing_row(c, "version", "desc"), nullptr);
	EXPECT_TRUE(report_marks(format_diff(c), "version", "version_major"));
}

TEST(Comparator, DetectsExtraField)
{
	auto cpp = sample();
	cpp[3].fields.push_back({"surprise", "1"});
	Comparison c = compare_results(sample(), cpp);
	EXPECT_FALSE(c.equivalent);
	const DiffRow *r = differing_row(c, "unknown_ioctl.command_0x30", "surprise");
	ASSERT_NE(r, nullptr);
	EXPECT_EQ(r->c, kAbsent);
}

TEST(Comparator, DetectsReorderedFields)
{
	auto cpp = sample();
	std::swap(cpp[1].fields[0], cpp[1].fields[2]);
	Comparison c = compare_results(sample(), cpp);
	EXPECT_FALSE(c.equivalent);
	EXPECT_EQ(c.diverging_steps, std::vector<std::string>{"dev_query.full"});
}

TEST(Comparator, DetectsMissingStep)
{
	auto cpp = sample();
	cpp.erase(cpp.begin() + 1);
	Comparison c = compare_results(sample(), cpp);
	EXPECT_FALSE(c.equivalent);
	const DiffRow *r = differing_row(c, "dev_query.full", kRowStep);
	ASSERT_NE(r, nullptr);
	EXPECT_EQ(r->cpp, kMissing);
	// The steps after it still pair up.
	EXPECT_EQ(c.diverging_steps, std::vector<std::string>{"dev_query.full"});
	std::string report = format_diff(c);
	EXPECT_TRUE(report_marks(report, "dev_query.full", "<missing>")) << report;
}

TEST(Comparator, DetectsExtraStep)
{
	auto cpp = sample();
	cpp.push_back(res("bonus", 0, {}));
	Comparison c = compare_results(sample(), cpp);
	EXPECT_FALSE(c.equivalent);
	const DiffRow *r = differing_row(c, "bonus", kRowStep);
	ASSERT_NE(r, nullptr);
	EXPECT_EQ(r->c, kMissing);
	EXPECT_NE(format_diff(c).find("bonus"), std::string::npos);
}

TEST(Comparator, DetectsReorderedSteps)
{
	auto cpp = sample();
	std::swap(cpp[1], cpp[2]);
	Comparison c = compare_results(sample(), cpp);
	EXPECT_FALSE(c.equivalent);
	ASSERT_FALSE(c.diverging_steps.empty());
	bool named = false;
	for (const std::string &s : c.diverging_steps)
		named = named || s == "dev_query.full" || s == "bo_create.size_0";
	EXPECT_TRUE(named);
}

TEST(Comparator, DetectsDuplicatedStep)
{
	auto cpp = sample();
	cpp.insert(cpp.begin() + 1, cpp[0]);
	EXPECT_FALSE(compare_results(sample(), cpp).equivalent);
}

TEST(Comparator, SuccessReportIsOneLinePerStepAndTheVerdict)
{
	std::string s = format_success(sample(), 17);
	std::size_t lines = static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
	EXPECT_EQ(lines, sample().size() + 1);
	EXPECT_NE(s.find("compared 17 ioctls: equivalent\n"), std::string::npos);
	EXPECT_NE(s.find("ok  bo_create.size_0  DRM_IOCTL_TEST  ret=-EINVAL  size=0  handle=0"),
		  std::string::npos)
		<< s;
	EXPECT_NE(s.find("desc=\"ref gpu\""), std::string::npos) << s;
}

TEST(Comparator, DiffReportHasHeaderAndSummary)
{
	auto cpp = sample();
	cpp[2].fields[1].value = "7";
	std::string report = format_diff(compare_results(sample(), cpp));
	EXPECT_NE(report.find("step"), std::string::npos);
	EXPECT_NE(report.find("| field"), std::string::npos);
	EXPECT_NE(report.find("| C "), std::string::npos);
	EXPECT_NE(report.find("| C++"), std::string::npos);
	EXPECT_NE(report.find("DIVERGENCE: 1 differing row(s) in 1 step(s): bo_create.size_0"),
		  std::string::npos)
		<< report;
}
