// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "expectations.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace refgpu::igt {

namespace {

constexpr std::array<std::pair<Status, const char *>, 10> status_names{{
	{Status::pass, "Pass"},
	{Status::fail, "Fail"},
	{Status::skip, "Skip"},
	{Status::crash, "Crash"},
	{Status::timeout, "Timeout"},
	{Status::warn, "Warn"},
	{Status::dmesg_warn, "DmesgWarn"},
	{Status::dmesg_fail, "DmesgFail"},
	{Status::abort, "Abort"},
	{Status::notrun, "NotRun"},
}};

std::string trim(const std::string &s)
{
	const auto b = s.find_first_not_of(" \t\r");
	if (b == std::string::npos)
		return {};
	return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Calls F(line_number, line) for every line that is not blank or a comment.
template <typename F> void for_each_entry(const std::string &text, F f)
{
	std::istringstream in(text);
	std::string line;
	for (int n = 1; std::getline(in, line); n++) {
		line = trim(line);
		if (!line.empty() && line[0] != '#')
			f(n, line);
	}
}

bool valid_name(const std::string &name)
{
	// binary@subtest, IGT's characters only: letters, digits, '-', '_'.
	const auto at = name.find('@');
	if (at == 0 || at == std::string::npos || at + 1 == name.size())
		return false;
	for (char c : name)
		if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '@'))
			return false;
	return true;
}

std::string read_text(const std::filesystem::path &p)
{
	std::ifstream f(p);
	std::ostringstream s;
	s << f.rdbuf();
	return s.str();
}

} // namespace

const char *status_name(Status s)
{
	for (const auto &[st, name] : status_names)
		if (st == s)
			return name;
	return "?";
}

std::optional<Status> parse_status(const std::string &name)
{
	for (const auto &[st, n] : status_names)
		if (name == n)
			return st;
	return std::nullopt;
}

const Pattern *Expectations::skipped(const std::string &name) const
{
	for (const auto &p : skips)
		if (std::regex_match(name, p.re))
			return &p;
	return nullptr;
}

bool Expectations::flaky(const std::string &name) const
{
	for (const auto &p : flakes)
		if (std::regex_match(name, p.re))
			return true;
	return false;
}

void parse_fails(const std::string &text, const std::string &file, Expectations &e,
		 std::vector<std::string> &errors)
{
	for_each_entry(text, [&](int n, const std::string &line) {
		const std::string where = file + ":" + std::to_string(n) + ": ";
		const auto comma = line.find(',');
		if (comma == std::string::npos) {
			errors.push_back(where + "expected \"test@subtest,Status\", got \"" + line + "\"");
			return;
		}
		const std::string name = trim(line.substr(0, comma));
		const std::string st = trim(line.substr(comma + 1));
		const auto status = parse_status(st);
		if (!valid_name(name))
			errors.push_back(where + "\"" + name + "\" is not a test@subtest name");
		else if (!status || *status == Status::pass || *status == Status::notrun)
			errors.push_back(where + "\"" + st + "\" is not a failing status (Fail, Crash, Timeout, ...)");
		else if (!e.fails.emplace(name, *status).second)
			errors.push_back(where + name + " is listed twice");
	});
}

void parse_patterns(const std::string &text, const std::string &file, std::vector<Pattern> &out,
		    std::vector<std::string> &errors)
{
	for_each_entry(text, [&](int n, const std::string &line) {
		try {
			out.push_back({line, std::regex(line, std::regex::ECMAScript)});
		} catch (const std::regex_error &ex) {
			errors.push_back(file + ":" + std::to_string(n) + ": bad regular expression \"" +
					 line + "\": " + ex.what());
		}
	});
}

Expectations load_expectations(const std::filesystem::path &dir, const std::string &driver,
			       std::vector<std::string> &errors)
{
	Expectations e;
	auto file = [&](const char *kind) { return dir / (driver + "-" + kind + ".txt"); };
	if (auto p = file("fails"); std::filesystem::exists(p))
		parse_fails(read_text(p), p.string(), e, errors);
	if (auto p = file("flakes"); std::filesystem::exists(p))
		parse_patterns(read_text(p), p.string(), e.flakes, errors);
	if (auto p = file("skips"); std::filesystem::exists(p))
		parse_patterns(read_text(p), p.string(), e.skips, errors);
	return e;
}

} // namespace refgpu::igt
