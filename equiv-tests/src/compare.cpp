// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "compare.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <sstream>
#include <utility>

namespace refgpu::equiv {

namespace {

// Longest-common-subsequence alignment of two name lists: pairs (i, j),
// with -1 on the side that lacks the entry. Keeps both sides' order, so a
// missing, extra or reordered entry shows up as unmatched.
std::vector<std::pair<long, long>> align(const std::vector<std::string> &a,
					 const std::vector<std::string> &b)
{
	const std::size_t n = a.size(), m = b.size();
	std::vector<std::vector<unsigned>> l(n + 1, std::vector<unsigned>(m + 1, 0));
	for (std::size_t i = n; i-- > 0;)
		for (std::size_t j = m; j-- > 0;)
			l[i][j] = a[i] == b[j] ? l[i + 1][j + 1] + 1 : std::max(l[i + 1][j], l[i][j + 1]);
	std::vector<std::pair<long, long>> out;
	std::size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && a[i] == b[j]) {
			out.emplace_back(i++, j++);
		} else if (j >= m || (i < n && l[i + 1][j] >= l[i][j + 1])) {
			out.emplace_back(i++, -1);
		} else {
			out.emplace_back(-1, j++);
		}
	}
	return out;
}

void compare_step(const Result &c, const Result &cpp, Comparison &cmp)
{
	auto row = [&](std::string field, std::string vc, std::string vcpp) {
		bool d = vc != vcpp;
		cmp.rows.push_back({c.step, std::move(field), std::move(vc), std::move(vcpp), d});
	};
	row(kRowIoctl, c.ioctl, cpp.ioctl);
	row(kRowReturn, ret_name(c.ret), ret_name(cpp.ret));

	std::vector<std::string> nc, ncpp;
	for (const Field &f : c.fields)
		nc.push_back(f.name);
	for (const Field &f : cpp.fields)
		ncpp.push_back(f.name);
	for (auto [i, j] : align(nc, ncpp)) {
		if (i >= 0 && j >= 0)
			row(nc[i], c.fields[i].value, cpp.fields[j].value);
		else if (i >= 0)
			row(nc[i], c.fields[i].value, kAbsent);
		else
			row(ncpp[j], kAbsent, cpp.fields[j].value);
	}
}

std::string shorten(const std::string &s, std::size_t max)
{
	if (s.size() <= max)
		return s;
	return s.substr(0, max - 3) + "...";
}

std::string quote_if_needed(const std::string &v)
{
	if (!v.empty() && v.find_first_of(" \t\"") == std::string::npos)
		return v;
	std::string q = "\"";
	for (char ch : v) {
		if (ch == '"' || ch == '\\')
			q += '\\';
		q += ch;
	}
	return q + "\"";
}

} // namespace

Comparison compare_results(const std::vector<Result> &c, const std::vector<Result> &cpp)
{
	Comparison cmp;
	cmp.steps_c = c.size();
	cmp.steps_cpp = cpp.size();
	std::vector<std::string> nc, ncpp;
	for (const Result &r : c)
		nc.push_back(r.step);
	for (const Result &r : cpp)
		ncpp.push_back(r.step);

	for (auto [i, j] : align(nc, ncpp)) {
		std::size_t first = cmp.rows.size();
		if (i >= 0 && j >= 0) {
			compare_step(c[i], cpp[j], cmp);
		} else if (i >= 0) {
			cmp.rows.push_back({nc[i], kRowStep, "ran", kMissing, true});
		} else {
			cmp.rows.push_back({ncpp[j], kRowStep, kMissing, "ran", true});
		}
		for (std::size_t k = first; k < cmp.rows.size(); k++) {
			if (!cmp.rows[k].differs)
				continue;
			cmp.equivalent = false;
			const std::string &step = cmp.rows[k].step;
			if (std::find(cmp.diverging_steps.begin(), cmp.diverging_steps.end(), step) ==
			    cmp.diverging_steps.end())
				cmp.diverging_steps.push_back(step);
		}
	}
	// LCS keeps order, but a step that runs twice on one side could still
	// pair up; the same name list is required.
	if (nc != ncpp)
		cmp.equivalent = false;
	return cmp;
}

std::string format_diff(const Comparison &cmp, bool full)
{
	constexpr std::size_t kMaxValue = 48;
	std::vector<const DiffRow *> shown;
	for (const DiffRow &r : cmp.rows) {
		bool step_diverges = std::find(cmp.diverging_steps.begin(), cmp.diverging_steps.end(),
					       r.step) != cmp.diverging_steps.end();
		if (full || step_diverges)
			shown.push_back(&r);
	}
	std::size_t ws = 4, wf = 5, wc = 1, wcpp = 3;
	for (const DiffRow *r : shown) {
		ws = std::max(ws, r->step.size());
		wf = std::max(wf, r->field.size());
		wc = std::max(wc, shorten(r->c, kMaxValue).size());
		wcpp = std::max(wcpp, shorten(r->cpp, kMaxValue).size());
	}
	auto pad = [](const std::string &s, std::size_t w) {
		return s + std::string(w > s.size() ? w - s.size() : 0, ' ');
	};
	std::ostringstream o;
	o << "   " << pad("step", ws) << " | " << pad("field", wf) << " | " << pad("C", wc)
	  << " | C++\n";
	o << "   " << std::string(ws, '-') << "-+-" << std::string(wf, '-') << "-+-"
	  << std::string(wc, '-') << "-+-" << std::string(wcpp, '-') << '\n';
	const std::string *prev = nullptr;
	for (const DiffRow *r : shown) {
		bool same_step = prev && *prev == r->step;
		o << (r->differs ? ">> " : "   ") << pad(same_step ? "" : r->step, ws) << " | "
		  << pad(r->field, wf) << " | " << pad(shorten(r->c, kMaxValue), wc) << " | "
		  << shorten(r->cpp, kMaxValue) << '\n';
		prev = &r->step;
	}
	std::size_t ndiff = 0;
	for (const DiffRow &r : cmp.rows)
		ndiff += r.differs;
	o << "DIVERGENCE: " << ndiff << " differing row(s) in " << cmp.diverging_steps.size()
	  << " step(s):";
	for (const std::string &s : cmp.diverging_steps)
		o << ' ' << s;
	o << " (C ran " << cmp.steps_c << " steps, C++ ran " << cmp.steps_cpp << ")\n";
	return o.str();
}

std::string format_result_line(const Result &r)
{
	std::string s = "ok  " + r.step + "  " + r.ioctl + "  ret=" + ret_name(r.ret);
	for (const Field &f : r.fields)
		s += "  " + f.name + "=" + quote_if_needed(f.value);
	return s;
}

std::string format_success(const std::vector<Result> &results, unsigned ioctls)
{
	std::string s;
	for (const Result &r : results)
		s += format_result_line(r) + '\n';
	s += "compared " + std::to_string(ioctls) + " ioctls: equivalent\n";
	return s;
}

std::string format_oracle(const std::vector<OracleMiss> &c, const std::vector<OracleMiss> &cpp)
{
	if (c.empty() && cpp.empty())
		return {};
	struct Row {
		std::string step, field, documented, c = "ok", cpp = "ok";
	};
	std::vector<Row> rows;
	auto row_for = [&rows](const OracleMiss &m) -> Row & {
		for (Row &r : rows)
			if (r.step == m.step && r.field == m.field)
				return r;
		rows.push_back({m.step, m.field, m.documented});
		return rows.back();
	};
	for (const OracleMiss &m : c)
		row_for(m).c = m.got;
	for (const OracleMiss &m : cpp)
		row_for(m).cpp = m.got;
	// Script order: the lists are in script order, C's misses first;
	// sort C++-only rows into place by their first appearance.
	std::vector<std::string> order;
	for (const auto *list : {&c, &cpp})
		for (const OracleMiss &m : *list)
			if (std::find(order.begin(), order.end(), m.step) == order.end())
				order.push_back(m.step);
	std::stable_sort(rows.begin(), rows.end(), [&order](const Row &a, const Row &b) {
		return std::find(order.begin(), order.end(), a.step) <
		       std::find(order.begin(), order.end(), b.step);
	});
	std::size_t ws = 4, wf = 5, wd = 10, wc = 1;
	for (const Row &r : rows) {
		ws = std::max(ws, r.step.size());
		wf = std::max(wf, r.field.size());
		wd = std::max(wd, r.documented.size());
		wc = std::max(wc, r.c.size());
	}
	auto pad = [](const std::string &v, std::size_t w) {
		return v + std::string(w > v.size() ? w - v.size() : 0, ' ');
	};
	std::ostringstream o;
	o << "documented outcomes (refgpu_drm.h, DRM core) not met:\n";
	o << "   " << pad("step", ws) << " | " << pad("field", wf) << " | " << pad("documented", wd)
	  << " | " << pad("C", wc) << " | C++\n";
	o << "   " << std::string(ws, '-') << "-+-" << std::string(wf, '-') << "-+-"
	  << std::string(wd, '-') << "-+-" << std::string(wc, '-') << "-+----\n";
	std::vector<std::string> steps;
	for (const Row &r : rows) {
		o << "!! " << pad(r.step, ws) << " | " << pad(r.field, wf) << " | "
		  << pad(r.documented, wd) << " | " << pad(r.c, wc) << " | " << r.cpp << '\n';
		if (std::find(steps.begin(), steps.end(), r.step) == steps.end())
			steps.push_back(r.step);
	}
	o << "UAPI VIOLATION: " << rows.size() << " documented outcome(s) not met in "
	  << steps.size() << " step(s):";
	for (const std::string &st : steps)
		o << ' ' << st;
	o << " (C missed " << c.size() << ", C++ missed " << cpp.size() << ")\n";
	return o.str();
}

std::string Perturbation::describe() const
{
	if (!done)
		return "no value to perturb";
	return "planted divergence on the C++ side: step " + step + ", " + field + ": " + before +
	       " -> " + after;
}

namespace {

std::string bump(const std::string &v)
{
	// Numbers stay numbers (decimal or 0x hex, +1 modulo 2^64); anything
	// else gets a marker appended. Either way the value differs afterwards.
	auto parse = [](const char *b, const char *e, int base, unsigned long long *x) {
		auto [p, ec] = std::from_chars(b, e, *x, base);
		return b != e && ec == std::errc() && p == e;
	};
	unsigned long long x = 0;
	const char *b = v.data(), *e = v.data() + v.size();
	if (v.size() > 2 && v[0] == '0' && v[1] == 'x' && parse(b + 2, e, 16, &x)) {
		char buf[32];
		std::snprintf(buf, sizeof(buf), "0x%llx", x + 1);
		return buf;
	}
	if (parse(b, e, 10, &x))
		return std::to_string(x + 1);
	return v + "~planted";
}

} // namespace

Perturbation plant_divergence(std::vector<Result> &results, const std::string &preferred_step,
			      const std::string &preferred_field)
{
	Perturbation p;
	auto perturb_field = [&p](Result &r, Field &f) {
		p.done = true;
		p.step = r.step;
		p.field = f.name;
		p.before = f.value;
		f.value = bump(f.value);
		p.after = f.value;
	};
	for (Result &r : results) {
		if (r.step != preferred_step || r.fields.empty())
			continue;
		for (Field &f : r.fields) {
			if (f.name == preferred_field) {
				perturb_field(r, f);
				return p;
			}
		}
		perturb_field(r, r.fields.front());
		return p;
	}
	for (Result &r : results) {
		if (!r.fields.empty()) {
			perturb_field(r, r.fields.front());
			return p;
		}
	}
	if (!results.empty()) {
		Result &r = results.front();
		p.done = true;
		p.step = r.step;
		p.field = kRowReturn;
		p.before = ret_name(r.ret);
		r.ret = r.ret == 0 ? -EIO : 0;
		p.after = ret_name(r.ret);
	}
	return p;
}

} // namespace refgpu::equiv
