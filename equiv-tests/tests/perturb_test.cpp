// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
//
// The helper behind --plant-divergence must turn an "equivalent" verdict
// into a divergence that names what it changed.
#include <gtest/gtest.h>

#include <cerrno>

#include "compare.h"
#include "fake_device.h"
#include "script.h"

using namespace refgpu::equiv;

namespace {

// (Built out of line: GCC 12 at -O3 warns falsely (-Wrestrict) on short
// literals assigned to strings inside a test body.)
Result make_result(const std::string &step, int ret, std::vector<Field> fields)
{
	Result r;
	r.step = step;
	r.ioctl = "TEST";
	r.ret = ret;
	r.fields = std::move(fields);
	return r;
}

const DiffRow *only_differing_row(const Comparison &c)
{
	const DiffRow *found = nullptr;
	for (const DiffRow &r : c.rows) {
		if (!r.differs)
			continue;
		if (found)
			return nullptr;
		found = &r;
	}
	return found;
}

} // namespace

TEST(Perturbation, ChangesTheVerdictOnARealScriptRun)
{
	test::FakeRefgpu a, b;
	test::FakeRefgpu pa, pb;
	ScriptRun ra = run_script(a, pa), rb = run_script(b, pb);
	ASSERT_TRUE(compare_results(ra.results, rb.results).equivalent);

	Perturbation p = plant_divergence(rb.results);
	ASSERT_TRUE(p.done);
	EXPECT_EQ(p.step, "dev_query.full");
	EXPECT_EQ(p.field, "gpu_id");
	EXPECT_NE(p.before, p.after);
	EXPECT_NE(p.describe().find("dev_query.full"), std::string::npos);

	Comparison c = compare_results(ra.results, rb.results);
	EXPECT_FALSE(c.equivalent);
	const DiffRow *r = only_differing_row(c);
	ASSERT_NE(r, nullptr) << "exactly one value must change";
	EXPECT_EQ(r->step, "dev_query.full");
	EXPECT_EQ(r->field, "gpu_id");
	EXPECT_EQ(r->c, p.before);
	EXPECT_EQ(r->cpp, p.after);
}

TEST(Perturbation, NumbersStayNumbers)
{
	auto bumped = [](const std::string &value) {
		std::vector<Result> v{make_result("s", 0, {{"n", value}})};
		return plant_divergence(v, "s", "n").after;
	};
	EXPECT_EQ(bumped("41"), "42");
	EXPECT_EQ(bumped("0xff"), "0x100");
	EXPECT_EQ(bumped("18446744073709551615"), "0");
	EXPECT_EQ(bumped("refgpu"), "refgpu~planted");
}

TEST(Perturbation, FallsBackToAnyFieldThenToTheReturnCode)
{
	const std::vector<Result> base{make_result("a", 0, {}), make_result("b", 0, {{"x", "1"}})};
	auto v = base;
	Perturbation p = plant_divergence(v, "not-there");
	EXPECT_EQ(p.step, "b");
	EXPECT_EQ(p.field, "x");
	EXPECT_FALSE(compare_results(base, v).equivalent);

	const std::vector<Result> bare{make_result("a", -EINVAL, {})};
	auto w = bare;
	p = plant_divergence(w);
	EXPECT_EQ(p.field, kRowReturn);
	EXPECT_EQ(w[0].ret, 0);
	EXPECT_FALSE(compare_results(bare, w).equivalent);

	std::vector<Result> none;
	EXPECT_FALSE(plant_divergence(none).done);
}
