// SPDX-License-Identifier: MIT
// reggen: the line parser (syntax only; check.cpp does the semantics).

#include "reggen/reggen.hpp"

#include <optional>

namespace reggen {

namespace {

std::vector<std::string_view> split_words(std::string_view line)
{
	std::vector<std::string_view> words;
	std::size_t i = 0;

	while (i < line.size()) {
		while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		std::size_t start = i;
		while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			i++;
		if (i > start)
			words.push_back(line.substr(start, i - start));
	}
	return words;
}

bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int hex_digit(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool is_valid_name(std::string_view s)
{
	if (s.empty() || s[0] < 'A' || s[0] > 'Z')
		return false;
	for (char c : s) {
		if (!((c >= 'A' && c <= 'Z') || is_digit(c) || c == '_'))
			return false;
	}
	return true;
}

// "__" is reserved in C++ identifiers and makes generated names ambiguous.
bool is_tidy_name(std::string_view s)
{
	return s.find("__") == std::string_view::npos && s.back() != '_';
}

class Parser {
public:
	Parser(const std::string &file, Description &out, Diagnostics &diags)
		: file_(file)
		, out_(out)
		, diags_(diags)
	{
	}

	void run(std::string_view text);

private:
	// Top: between items; InBody: inside a Reg, Array or Struct; InEnum:
	// inside an Enum of one.
	enum class State { Top, InBody, InEnum };

	void error(const std::string &msg)
	{
		diags_.push_back({ file_, line_, msg });
	}

	// The item whose body is being read (the last one started).
	std::vector<Field> &body()
	{
		return in_struct_ ? out_.structs.back().fields : out_.regs.back().fields;
	}

	std::string item() const // "register R", "struct S"
	{
		return in_struct_ ? "struct " + out_.structs.back().name :
				    "register " + out_.regs.back().name;
	}

	void end_item()
	{
		(in_struct_ ? out_.structs.back().end_line : out_.regs.back().end_line) = line_;
		state_ = State::Top;
	}

	std::optional<std::uint64_t> number(std::string_view s, const char *what);
	std::optional<std::string> name(std::string_view s);
	bool bits(std::string_view s, Field &f);
	bool arity(const std::vector<std::string_view> &w, std::size_t n, const char *usage);

	void statement(const std::vector<std::string_view> &w);
	void block(const std::vector<std::string_view> &w);
	void reg(const std::vector<std::string_view> &w, bool is_array);
	void strct(const std::vector<std::string_view> &w);
	void field(const std::vector<std::string_view> &w, FieldKind kind);
	void enum_value(const std::vector<std::string_view> &w);
	void end(std::string_view kw);

	const std::string &file_;
	Description &out_;
	Diagnostics &diags_;
	int line_ = 0;
	State state_ = State::Top;
	bool in_struct_ = false; // the current or last item is a Struct
	bool seen_statement_ = false;
	bool seen_block_ = false;
};

std::optional<std::uint64_t> Parser::number(std::string_view s, const char *what)
{
	std::uint64_t v = 0;
	bool ok = !s.empty();
	bool overflow = false;

	if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (char c : s.substr(2)) {
			int d = hex_digit(c);
			if (d < 0) {
				ok = false;
				break;
			}
			if (v >> 60)
				overflow = true;
			v = v << 4 | static_cast<unsigned>(d);
		}
	} else {
		for (char c : s) {
			if (!is_digit(c)) {
				ok = false;
				break;
			}
			std::uint64_t d = static_cast<unsigned>(c - '0');
			if (v > (UINT64_MAX - d) / 10)
				overflow = true;
			v = v * 10 + d;
		}
	}
	if (!ok) {
		error("invalid " + std::string(what) + " '" + std::string(s) +
		      "' (expected a decimal or 0x-prefixed hexadecimal number)");
		return std::nullopt;
	}
	if (overflow) {
		error(std::string(what) + " '" + std::string(s) + "' is too large");
		return std::nullopt;
	}
	return v;
}

std::optional<std::string> Parser::name(std::string_view s)
{
	if (!is_valid_name(s)) {
		error("invalid name '" + std::string(s) + "' (names are [A-Z][A-Z0-9_]*)");
		return std::nullopt;
	}
	if (!is_tidy_name(s)) {
		error("invalid name '" + std::string(s) + "' (no '__' and no trailing '_')");
		return std::nullopt;
	}
	return std::string(s);
}

// "<hi>:<lo>" or "<bit>", decimal.
bool Parser::bits(std::string_view s, Field &f)
{
	auto dec = [](std::string_view d, unsigned &v) {
		if (d.empty() || d.size() > 4)
			return false;
		v = 0;
		for (char c : d) {
			if (!is_digit(c))
				return false;
			v = v * 10 + static_cast<unsigned>(c - '0');
		}
		return true;
	};
	std::size_t colon = s.find(':');
	bool ok;

	if (colon == std::string_view::npos) {
		ok = dec(s, f.hi);
		f.lo = f.hi;
	} else {
		ok = dec(s.substr(0, colon), f.hi) && dec(s.substr(colon + 1), f.lo);
	}
	if (!ok) {
		error("invalid bit range '" + std::string(s) + "' (expected <hi>:<lo> or <bit>)");
		return false;
	}
	if (f.hi < f.lo) {
		error("bit range '" + std::string(s) + "' has its high bit below its low bit");
		return false;
	}
	return true;
}

bool Parser::arity(const std::vector<std::string_view> &w, std::size_t n, const char *usage)
{
	if (w.size() == n)
		return true;
	error("'" + std::string(w[0]) + "' expects " + std::to_string(n - 1) +
	      (n == 2 ? " argument: " : " arguments: ") + usage);
	return false;
}

void Parser::block(const std::vector<std::string_view> &w)
{
	if (seen_block_) {
		error("a second Block statement (exactly one is allowed)");
		return;
	}
	seen_block_ = true;
	out_.block.line = line_;
	if (!arity(w, 3, "Block <NAME> <size>"))
		return;
	if (auto n = name(w[1]))
		out_.block.name = *n;
	if (auto v = number(w[2], "size"))
		out_.block.size = *v;
}

void Parser::reg(const std::vector<std::string_view> &w, bool is_array)
{
	Register r;
	r.is_array = is_array;
	r.line = line_;
	state_ = State::InBody; // even on errors, so its body does not cascade
	in_struct_ = false;

	if (is_array) {
		if (!arity(w, 8,
			   "Array <NAME> <offset> <width> <access> <reset> <count> <stride>")) {
			out_.regs.push_back(std::move(r));
			return;
		}
	} else if (!arity(w, 6, "Reg <NAME> <offset> <width> <access> <reset>")) {
		out_.regs.push_back(std::move(r));
		return;
	}
	if (auto n = name(w[1]))
		r.name = *n;
	if (auto v = number(w[2], "offset"))
		r.offset = *v;
	if (auto v = number(w[3], "width"))
		r.width = static_cast<unsigned>(*v > 0xffff ? 0xffff : *v);
	if (w[4] == "RO")
		r.access = Access::RO;
	else if (w[4] == "RW")
		r.access = Access::RW;
	else if (w[4] == "WO")
		r.access = Access::WO;
	else if (w[4] == "W1C")
		r.access = Access::W1C;
	else
		error("invalid access '" + std::string(w[4]) + "' (expected RO, RW, WO or W1C)");
	if (auto v = number(w[5], "reset value"))
		r.reset = *v;
	if (is_array) {
		if (auto v = number(w[6], "count"))
			r.count = *v;
		if (auto v = number(w[7], "stride"))
			r.stride = *v;
	}
	out_.regs.push_back(std::move(r));
}

void Parser::strct(const std::vector<std::string_view> &w)
{
	Struct st;
	st.line = line_;
	state_ = State::InBody; // even on errors, so its body does not cascade
	in_struct_ = true;

	if (arity(w, 3, "Struct <NAME> <width>")) {
		if (auto n = name(w[1]))
			st.name = *n;
		if (auto v = number(w[2], "width"))
			st.width = static_cast<unsigned>(*v > 0xffff ? 0xffff : *v);
	}
	out_.structs.push_back(std::move(st));
}

void Parser::field(const std::vector<std::string_view> &w, FieldKind kind)
{
	Field f;
	f.kind = kind;
	f.line = line_;
	bool named = kind == FieldKind::Field || kind == FieldKind::Enum;

	const char *usage = kind == FieldKind::Field ? "Field <hi>:<lo> <NAME>" :
			    kind == FieldKind::Enum  ? "Enum <hi>:<lo> <NAME>" :
			    kind == FieldKind::Res0  ? "Res0 <hi>:<lo>" :
						       "Res1 <hi>:<lo>";
	if (!arity(w, named ? 3 : 2, usage)) {
		body().push_back(std::move(f));
		return;
	}
	bits(w[1], f);
	if (named) {
		if (auto n = name(w[2]))
			f.name = *n;
	}
	body().push_back(std::move(f));
}

void Parser::enum_value(const std::vector<std::string_view> &w)
{
	Field &f = body().back();
	EnumValue v;
	v.line = line_;

	if (w.size() != 2) {
		error("expected '<value> <NAME>' or EndEnum in Enum " + f.name);
		f.values.push_back(std::move(v)); // not "no values" as well
		return;
	}
	if (auto n = number(w[0], "enum value"))
		v.value = *n;
	if (auto n = name(w[1]))
		v.name = *n;
	f.values.push_back(std::move(v));
}

// EndReg or EndStruct: the one that does not match its item closes it too.
void Parser::end(std::string_view kw)
{
	const bool want_struct = kw == "EndStruct";

	if (state_ != State::InBody) {
		error("'" + std::string(kw) + "' without " +
		      (want_struct ? "a Struct" : "a Reg or Array"));
		return;
	}
	if (want_struct != in_struct_)
		error("'" + std::string(kw) + "' inside " + item() + " (expected " +
		      (in_struct_ ? "EndStruct" : "EndReg") + ")");
	end_item();
}

void Parser::statement(const std::vector<std::string_view> &w)
{
	std::string_view kw = w[0];
	const std::string kws(kw);

	if (state_ == State::InEnum) {
		Field &f = body().back();
		if (kw == "EndEnum") {
			state_ = State::InBody;
			f.end_line = line_;
			if (w.size() != 1)
				error("'EndEnum' takes no arguments");
			if (f.values.empty())
				error("Enum " + f.name + " has no values");
			return;
		}
		if (is_digit(kw[0])) {
			enum_value(w);
			return;
		}
		// Recover as if the EndEnum was there.
		error("'" + kws + "' inside Enum " + f.name + " (missing EndEnum?)");
		state_ = State::InBody;
		if (f.values.empty())
			f.values.push_back(EnumValue{}); // not "no values" as well
	}

	if (!seen_statement_ && kw != "Block")
		error("the first statement must be 'Block <NAME> <size>'");
	if (kw == "Block") {
		block(w);
	} else if (kw == "Reg" || kw == "Array" || kw == "Struct") {
		if (state_ == State::InBody) {
			error("'" + kws + "' inside " + item() + " (missing " +
			      (in_struct_ ? "EndStruct" : "EndReg") + "?)");
			end_item();
		}
		if (kw == "Struct")
			strct(w);
		else
			reg(w, kw == "Array");
	} else if (kw == "Field" || kw == "Enum" || kw == "Res0" || kw == "Res1") {
		if (state_ != State::InBody) {
			error("'" + kws + "' outside a Reg, Array or Struct");
			return;
		}
		FieldKind k = kw == "Field" ? FieldKind::Field :
			      kw == "Enum"  ? FieldKind::Enum :
			      kw == "Res0"  ? FieldKind::Res0 :
					      FieldKind::Res1;
		if (k == FieldKind::Enum)
			state_ = State::InEnum; // even on errors, so its values do not cascade
		field(w, k);
	} else if (kw == "EndReg" || kw == "EndStruct") {
		bool was_open = state_ == State::InBody;
		end(kw);
		if (was_open && w.size() != 1)
			error("'" + kws + "' takes no arguments");
	} else if (kw == "EndEnum") {
		error("'EndEnum' without an Enum");
	} else if (is_digit(kw[0])) {
		error("enum value outside an Enum");
	} else {
		error("unknown statement '" + kws + "'");
	}
	seen_statement_ = true;
}

void Parser::run(std::string_view text)
{
	std::size_t pos = 0;

	while (pos < text.size()) {
		std::size_t nl = text.find('\n', pos);
		std::string_view line = text.substr(
			pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
		pos = nl == std::string_view::npos ? text.size() : nl + 1;
		line_++;

		std::size_t hash = line.find('#');
		if (hash != std::string_view::npos)
			line = line.substr(0, hash);
		auto words = split_words(line);
		if (!words.empty())
			statement(words);
	}
	if (line_ == 0)
		line_ = 1;
	if (state_ == State::InEnum) {
		error("Enum " + body().back().name + " has no EndEnum");
		end_item();
	} else if (state_ == State::InBody) {
		error(item() + " has no " + (in_struct_ ? "EndStruct" : "EndReg"));
		end_item();
	}
	if (!seen_statement_)
		error("no Block statement (the file is empty)");
}

} // namespace

bool parse(std::string_view text, const std::string &file, Description &out, Diagnostics &diags)
{
	std::size_t before = diags.size();

	out = Description{};
	out.file = file;
	std::size_t slash = file.find_last_of('/');
	out.basename = slash == std::string::npos ? file : file.substr(slash + 1);
	Parser(file, out, diags).run(text);
	return diags.size() == before;
}

bool load(std::string_view text, const std::string &file, Description &out, Diagnostics &diags)
{
	return parse(text, file, out, diags) && check(out, diags);
}

} // namespace reggen
