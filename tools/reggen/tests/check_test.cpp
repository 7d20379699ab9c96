// SPDX-License-Identifier: MIT
// reggen parser and checks: the real description parses, and every check has
// a failing input with its expected "file:line: message".

#include "reggen/reggen.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include "test_util.hpp"

namespace {

using reggen::Description;
using reggen::Diagnostics;

using reggen::test::read_file;

std::string dump(const Diagnostics &diags)
{
	std::string s;
	for (const auto &d : diags)
		s += "  " + d.str() + "\n";
	return s;
}

Diagnostics run(const std::string &text)
{
	Description d;
	Diagnostics diags;
	reggen::load(text, "t.regs", d, diags);
	return diags;
}

// The input gives exactly one diagnostic, this one.
void expect_error(const std::string &text, const std::string &expected)
{
	Diagnostics diags = run(text);
	ASSERT_EQ(diags.size(), 1u) << "input:\n" << text << "diagnostics:\n" << dump(diags);
	EXPECT_EQ(diags[0].str(), expected);
}

void expect_ok(const std::string &text)
{
	Diagnostics diags = run(text);
	EXPECT_TRUE(diags.empty()) << "input:\n" << text << "diagnostics:\n" << dump(diags);
}

// Line 1 is the Block; a register body follows on line 2.
const std::string block = "Block T 0x100\n";

std::string reg(const std::string &body, const std::string &head = "Reg R 0x0 32 RW 0x0")
{
	return block + head + "\n" + body + "EndReg\n";
}

TEST(Parse, RealDescription)
{
	Description d;
	Diagnostics diags;
	ASSERT_TRUE(reggen::load(read_file(REGGEN_REGS_DESC), REGGEN_REGS_DESC, d, diags))
		<< dump(diags);
	EXPECT_TRUE(diags.empty());
	EXPECT_EQ(d.block.name, "REFGPU");
	EXPECT_EQ(d.basename, "refgpu.regs");
	EXPECT_FALSE(d.regs.empty());
	for (const auto &r : d.regs)
		EXPECT_EQ(r.width, 32u) << r.name;
	EXPECT_FALSE(d.structs.empty());
	for (const auto &st : d.structs)
		EXPECT_EQ(st.width, 64u) << st.name;
}

TEST(Parse, SampleDescription)
{
	Description d;
	Diagnostics diags;
	ASSERT_TRUE(reggen::load(read_file(REGGEN_SAMPLE_DESC), "sample.regs", d, diags))
		<< dump(diags);
	ASSERT_EQ(d.regs.size(), 5u);
	const auto &ctrl = d.regs[1];
	EXPECT_EQ(ctrl.name, "CTRL");
	EXPECT_EQ(ctrl.res1(), 0x80000000u);
	EXPECT_EQ(ctrl.res0(), 0x7ffff000u);
	ASSERT_EQ(ctrl.fields.size(), 6u);
	EXPECT_EQ(ctrl.fields[2].kind, reggen::FieldKind::Enum);
	EXPECT_EQ(ctrl.fields[2].values.size(), 3u);
	EXPECT_EQ(ctrl.fields[2].values[2].name, "AUTO");
	EXPECT_EQ(ctrl.fields[2].values[2].value, 3u);
	EXPECT_EQ(ctrl.fields[2].mask(), 0xc00u);
	EXPECT_EQ(d.regs[3].count, 8u);
	EXPECT_EQ(d.regs[3].stride, 0x10u);
	EXPECT_TRUE(d.regs[3].is_array);

	ASSERT_EQ(d.structs.size(), 2u);
	const auto &desc = d.structs[0];
	EXPECT_EQ(desc.name, "DESC");
	EXPECT_EQ(desc.width, 64u);
	EXPECT_EQ(desc.res0(), 0xc00000000000000cu);
	EXPECT_EQ(desc.res1(), 0x2000000000000000u);
	ASSERT_EQ(desc.fields.size(), 7u);
	EXPECT_EQ(desc.fields[2].kind, reggen::FieldKind::Enum);
	EXPECT_EQ(desc.fields[2].mask(), 0x1ffffffff0000000u);
	EXPECT_EQ(desc.fields[2].values[1].value, 0x100000000u);
	EXPECT_EQ(desc.end_line + 2, d.regs[3].line);
	EXPECT_EQ(d.structs[1].width, 32u);
	EXPECT_EQ(d.structs[1].res0(), 0xfffeu);
}

TEST(Parse, CommentsBlankLinesAndSpaces)
{
	expect_ok("# comment\n\n  Block T 0x100 # trailing\nReg R 0 32 RO 0\n\tField 31:0 V\t# "
		  "x\r\nEndReg\n");
}

TEST(Parse, Names)
{
	expect_error(reg("Field 31:0 value\n"),
		     "t.regs:3: invalid name 'value' (names are [A-Z][A-Z0-9_]*)");
	expect_error(reg("Field 31:0 V\n", "Reg 1R 0x0 32 RW 0x0"),
		     "t.regs:2: invalid name '1R' (names are [A-Z][A-Z0-9_]*)");
	expect_error(reg("Field 31:0 A-B\n"),
		     "t.regs:3: invalid name 'A-B' (names are [A-Z][A-Z0-9_]*)");
	expect_error(reg("Field 31:0 A__B\n"),
		     "t.regs:3: invalid name 'A__B' (no '__' and no trailing '_')");
	expect_error(reg("Field 31:0 AB_\n"),
		     "t.regs:3: invalid name 'AB_' (no '__' and no trailing '_')");
	expect_ok(reg("Field 31:0 A1_B2\n"));
}

TEST(Parse, Numbers)
{
	expect_error(reg("Field 31:0 V\n", "Reg R 0xg 32 RW 0x0"),
		     "t.regs:2: invalid offset '0xg' (expected a decimal or 0x-prefixed "
		     "hexadecimal number)");
	expect_error(reg("Field 31:0 V\n", "Reg R -4 32 RW 0x0"),
		     "t.regs:2: invalid offset '-4' (expected a decimal or 0x-prefixed hexadecimal "
		     "number)");
	expect_error(reg("Field 31:0 V\n", "Reg R 0x0 32 RW 0x10000000000000000"),
		     "t.regs:2: reset value '0x10000000000000000' is too large");
	expect_error(reg("Field 31:0 V\n", "Reg R 0x0 32 RW 99999999999999999999"),
		     "t.regs:2: reset value '99999999999999999999' is too large");
	expect_ok(reg("Field 31:0 V\n", "Reg R 16 32 RW 4294967295"));
}

TEST(Parse, BitRanges)
{
	expect_error(reg("Field 31:x V\n"),
		     "t.regs:3: invalid bit range '31:x' (expected <hi>:<lo> or <bit>)");
	expect_error(reg("Field 0x1f:0 V\n"),
		     "t.regs:3: invalid bit range '0x1f:0' (expected <hi>:<lo> or <bit>)");
	expect_error(reg("Field 0:31 V\n"),
		     "t.regs:3: bit range '0:31' has its high bit below its low bit");
}

TEST(Parse, Access)
{
	expect_error(reg("Field 31:0 V\n", "Reg R 0x0 32 RX 0x0"),
		     "t.regs:2: invalid access 'RX' (expected RO, RW, WO or W1C)");
	for (const char *a : { "RO", "RW", "WO", "W1C" })
		expect_ok(reg("Field 31:0 V\n", std::string("Reg R 0x0 32 ") + a + " 0x0"));
}

TEST(Parse, Arity)
{
	expect_error(reg("Field 31:0 V\n", "Reg R 0x0 32 RW"),
		     "t.regs:2: 'Reg' expects 5 arguments: Reg <NAME> <offset> <width> <access> "
		     "<reset>");
	expect_error(reg("Field 31:0 V\n", "Array R 0x0 32 RW 0x0 4"),
		     "t.regs:2: 'Array' expects 7 arguments: "
		     "Array <NAME> <offset> <width> <access> <reset> <count> <stride>");
	expect_error(reg("Field 31:0\n"),
		     "t.regs:3: 'Field' expects 2 arguments: Field <hi>:<lo> <NAME>");
	expect_error(reg("Res0 31:0 X\n"), "t.regs:3: 'Res0' expects 1 argument: Res0 <hi>:<lo>");
	expect_error(reg("Field 31:0 V\n") + "Block U 0x100 0\n",
		     "t.regs:5: a second Block statement (exactly one is allowed)");
	expect_error("Block T\n" + reg("Field 31:0 V\n").substr(block.size()),
		     "t.regs:1: 'Block' expects 2 arguments: Block <NAME> <size>");
	expect_error(reg("Field 31:0 V\nEndEnum\n"), "t.regs:4: 'EndEnum' without an Enum");
	expect_error(reg("Field 31:0 V\n") + "EndReg x\n",
		     "t.regs:5: 'EndReg' without a Reg or Array");
}

TEST(Parse, Structure)
{
	expect_error(reg("Field 31:0 V\n") + "Frob 1\n", "t.regs:5: unknown statement 'Frob'");
	expect_error(block + "Field 31:0 V\n", "t.regs:2: 'Field' outside a Reg, Array or Struct");
	expect_error(block + "EndReg\n", "t.regs:2: 'EndReg' without a Reg or Array");
	expect_error(block + "1 ONE\n", "t.regs:2: enum value outside an Enum");
	expect_error(block + "Reg R 0x0 32 RW 0x0\nField 31:0 V\n",
		     "t.regs:3: register R has no EndReg");
	expect_error(block + "Reg R 0x0 32 RW 0x0\nField 31:0 V\nReg S 0x4 32 RW 0x0\nField 31:0 "
			     "V\nEndReg\n",
		     "t.regs:4: 'Reg' inside register R (missing EndReg?)");
	// A missing EndEnum is one error; what follows is read as usual.
	expect_error(reg("Enum 31:2 E\n0 A\nField 1:0 X\n"),
		     "t.regs:5: 'Field' inside Enum E (missing EndEnum?)");
	expect_error(reg("Enum 31:0 E\n0 A\n"),
		     "t.regs:5: 'EndReg' inside Enum E (missing EndEnum?)");
	expect_error(reg("Enum 31:0 E\n"), "t.regs:4: 'EndReg' inside Enum E (missing EndEnum?)");
	expect_error(reg("Enum 31:0 E\n0 A B\nEndEnum\n"),
		     "t.regs:4: expected '<value> <NAME>' or EndEnum in Enum E");
	expect_error(block + "Reg R 0x0 32 RW 0x0\nEnum 31:0 E\n0 A\n",
		     "t.regs:4: Enum E has no EndEnum");
	expect_error(reg("Enum 31:0 E\nEndEnum\n"), "t.regs:4: Enum E has no values");
}

// A Struct's body reads like a register's; its end is EndStruct.
std::string strct(const std::string &body, const std::string &head = "Struct S 64")
{
	return block + "Reg R 0x0 32 RW 0x0\nField 31:0 V\nEndReg\n" + head + "\n" + body +
	       "EndStruct\n";
}

TEST(Parse, Struct)
{
	expect_ok(strct("Field 63:0 V\n"));
	expect_ok(strct("Res0 31:1\nField 0 V\n", "Struct S 32"));
	expect_error(strct("Field 63:0 V\n", "Struct S"),
		     "t.regs:5: 'Struct' expects 2 arguments: Struct <NAME> <width>");
	expect_error(strct("Field 63:0 V\n", "Struct s 64"),
		     "t.regs:5: invalid name 's' (names are [A-Z][A-Z0-9_]*)");
	expect_error(strct("Field 63:0 V\n", "Struct S 0x"),
		     "t.regs:5: invalid width '0x' (expected a decimal or 0x-prefixed "
		     "hexadecimal number)");
	expect_error(block + "Struct S 64\nField 63:0 V\n", "t.regs:3: struct S has no EndStruct");
	expect_error(block + "EndStruct\n", "t.regs:2: 'EndStruct' without a Struct");
	expect_error(strct("Field 63:0 V\n") + "EndStruct\n",
		     "t.regs:8: 'EndStruct' without a Struct");
	expect_error(block + "Reg R 0x0 32 RW 0x0\nField 31:0 V\nEndReg\nStruct S 64\nField "
			     "63:0 V\nEndStruct x\n",
		     "t.regs:7: 'EndStruct' takes no arguments");
	// The wrong end closes the item all the same: one error.
	expect_error(block + "Struct S 64\nField 63:0 V\nEndReg\n",
		     "t.regs:4: 'EndReg' inside struct S (expected EndStruct)");
	expect_error(block + "Reg R 0x0 32 RW 0x0\nField 31:0 V\nEndStruct\n",
		     "t.regs:4: 'EndStruct' inside register R (expected EndReg)");
	expect_error(block + "Struct S 64\nField 63:0 V\nReg R 0x0 32 RW 0x0\nField 31:0 "
			     "V\nEndReg\n",
		     "t.regs:4: 'Reg' inside struct S (missing EndStruct?)");
	expect_error(block + "Reg R 0x0 32 RW 0x0\nField 31:0 V\nStruct S 64\nField 63:0 "
			     "V\nEndStruct\n",
		     "t.regs:4: 'Struct' inside register R (missing EndReg?)");
	expect_error(strct("Enum 63:0 E\n0 A\n"),
		     "t.regs:8: 'EndStruct' inside Enum E (missing EndEnum?)");
	expect_error(block + "Struct S 64\nEnum 63:0 E\n0 A\n", "t.regs:4: Enum E has no EndEnum");
}

TEST(Check, StructWidth)
{
	expect_error(strct("Field 47:0 V\n", "Struct S 48"),
		     "t.regs:5: struct S: width 48 is not supported (32 or 64)");
	expect_error(strct("Field 7:0 V\n", "Struct S 8"),
		     "t.regs:5: struct S: width 8 is not supported (32 or 64)");
}

TEST(Check, StructBits)
{
	expect_ok(strct("Res0 63:48\nField 47:12 ADDR\nRes1 11\nRes0 10:1\nField 0 VALID\n"));
	expect_error(strct("Field 31:0 V\n"),
		     "t.regs:6: struct S: bits 63:32 are not declared before field V (bits 31:0) "
		     "(fields go from the top bit down, without gaps)");
	expect_error(strct("Field 63:1 V\n"),
		     "t.regs:7: struct S: bit 0 is not declared (every bit must be a field, Res0 "
		     "or Res1)");
	expect_error(
		strct("Field 64:0 V\n"),
		"t.regs:6: struct S: field V (bits 64:0): bit 64 is outside the 64-bit struct");
	expect_error(
		strct("Field 32:0 V\n", "Struct S 32"),
		"t.regs:6: struct S: field V (bits 32:0): bit 32 is outside the 32-bit struct");
	expect_error(strct("Field 63:8 V\nField 8:0 W\n"),
		     "t.regs:7: struct S: field W (bits 8:0) overlaps bits declared above it "
		     "(the next free bit is 7; fields go from the top bit down)");
	expect_error(strct("Field 63:32 V\nField 31:0 V\n"),
		     "t.regs:7: struct S: duplicate field name V (first at line 6)");
}

TEST(Check, StructEnumValues)
{
	expect_ok(strct("Enum 63:0 E\n18446744073709551615 ALL\n0 NONE\nEndEnum\n"));
	expect_ok(strct("Res0 63:40\nEnum 39:0 E\n0xffffffffff A\nEndEnum\n"));
	expect_error(strct("Res0 63:40\nEnum 39:0 E\n0x10000000000 A\nEndEnum\n"),
		     "t.regs:8: struct S: field E: value 1099511627776 of A does not fit in 40 "
		     "bits");
	expect_error(strct("Enum 63:0 E\n1 A\n1 B\nEndEnum\n"),
		     "t.regs:8: struct S: field E: value 1 of B is already used by A");
}

TEST(Check, StructNames)
{
	// The same field name in a register and a struct is fine.
	expect_ok(strct("Field 63:0 V\n"));
	expect_error(strct("Field 63:0 V\n", "Struct R 64"),
		     "t.regs:5: duplicate name R (first at line 2, a register)");
	expect_error(strct("Field 63:0 V\n") + "Struct S 32\nField 31:0 V\nEndStruct\n",
		     "t.regs:8: duplicate name S (first at line 5, a struct)");
	expect_error(block + "Struct R 64\nField 63:0 V\nEndStruct\nReg R 0x0 32 RW "
			     "0x0\nField 31:0 V\nEndReg\n",
		     "t.regs:5: duplicate name R (first at line 2, a struct)");
}

TEST(Check, StructGeneratedNamesDoNotClash)
{
	expect_error(strct("Field 63:1 V\nField 0 WIDTH\n"),
		     "t.regs:7: C name T_S_WIDTH of field S.WIDTH clashes with the width of S "
		     "(line 5)");
	expect_error(strct("Field 63:1 RES0\nField 0 V\n"),
		     "t.regs:6: C name T_S_RES0 of field S.RES0 clashes with the Res0 mask of S "
		     "(line 5)");
	// A struct's field against a register.
	expect_error(block + "Reg S_V 0x0 32 RW 0x0\nField 31:0 A\nEndReg\nStruct S "
			     "64\nField 63:0 V\nEndStruct\n",
		     "t.regs:6: C name T_S_V of field S.V clashes with register S_V (line 2)");
	expect_error(strct("Enum 63:1 E\n0 X\nEndEnum\nField 0 E_X\n"),
		     "t.regs:9: C name T_S_E_X of field S.E_X clashes with value S.E.X (line 7)");
	expect_error(strct("Field 63:0 V\n", "Struct STRUCT_INFO 64"),
		     "t.regs:5: C++ name StructInfo of struct STRUCT_INFO clashes with a name "
		     "reserved by reggen");
	expect_error(strct("Field 63:0 S\n"),
		     "t.regs:6: C++ name S::S of field S.S clashes with the type of struct S "
		     "(line 5)");
	expect_error(block + "Reg A_1B 0x0 32 RW 0x0\nField 31:0 A\nEndReg\nStruct A1B "
			     "64\nField 63:0 V\nEndStruct\n",
		     "t.regs:5: C++ name A1b of struct A1B clashes with register A_1B (line 2)");
}

TEST(Check, BlockFirstAndOnlyOnce)
{
	expect_error("", "t.regs:1: no Block statement (the file is empty)");
	expect_error("# only a comment\n\n", "t.regs:2: no Block statement (the file is empty)");
	expect_error("Reg R 0x0 32 RW 0x0\nField 31:0 V\nEndReg\nBlock T 0x100\n",
		     "t.regs:1: the first statement must be 'Block <NAME> <size>'");
	expect_error(block + "Block T 0x100\nReg R 0x0 32 RW 0x0\nField 31:0 V\nEndReg\n",
		     "t.regs:2: a second Block statement (exactly one is allowed)");
}

TEST(Check, BlockSize)
{
	const std::string body = "Reg R 0x0 32 RW 0x0\nField 31:0 V\nEndReg\n";
	expect_error(
		"Block T 0\n" + body,
		"t.regs:1: Block size 0x0 must be a non-zero multiple of 4 that fits in 32 bits");
	expect_error(
		"Block T 0x102\n" + body,
		"t.regs:1: Block size 0x102 must be a non-zero multiple of 4 that fits in 32 bits");
	expect_error("Block T 0x100000000\n" + body, "t.regs:1: Block size 0x100000000 must be a "
						     "non-zero multiple of 4 that fits in 32 bits");
	expect_error("Block T 0x100\n",
		     "t.regs:1: no registers (a Block needs at least one Reg or Array)");
	expect_error("Block NEW 0x100\n" + body,
		     "t.regs:1: Block name NEW gives the C++ namespace 'new', a keyword");
}

TEST(Check, WidthOnly32)
{
	expect_error(reg("Field 15:0 V\n", "Reg R 0x0 16 RW 0x0"),
		     "t.regs:2: register R: width 16 is not supported (only 32)");
	expect_error(reg("Field 63:0 V\n", "Reg R 0x0 64 RW 0x0"),
		     "t.regs:2: register R: width 64 is not supported (only 32)");
	expect_error(reg("Field 7:0 V\n", "Array R 0x0 8 RW 0x0 4 0x4"),
		     "t.regs:2: register R: width 8 is not supported (only 32)");
}

TEST(Check, EveryBitOnceFromTheTop)
{
	expect_ok(reg("Field 31:16 A\nRes0 15:8\nRes1 7\nEnum 6:5 E\n0 X\nEndEnum\nField 4:0 B\n",
		      "Reg R 0x0 32 RW 0x80"));
	expect_error(reg("Field 31:24 A\nField 15:0 B\n"),
		     "t.regs:4: register R: bits 23:16 are not declared before field B (bits 15:0) "
		     "(fields go from the top bit down, without gaps)");
	expect_error(reg("Field 31:16 A\nField 20:0 B\n"),
		     "t.regs:4: register R: field B (bits 20:0) overlaps bits declared above it "
		     "(the next free bit is 15; fields go from the top bit down)");
	expect_error(reg("Field 31:16 A\nField 15:4 B\n"),
		     "t.regs:5: register R: bits 3:0 are not declared (every bit must be a field, "
		     "Res0 or Res1)");
	expect_error(reg("Field 31:1 A\n"), "t.regs:4: register R: bit 0 is not declared (every "
					    "bit must be a field, Res0 or Res1)");
	expect_error(reg("Field 31:0 A\nRes0 3:0\n"),
		     "t.regs:4: register R: Res0 bits 3:0 overlaps bits declared above it "
		     "(all bits are declared already; fields go from the top bit down)");
	expect_error(reg("Field 31:0 A\nField 31:0 A2\n"),
		     "t.regs:4: register R: field A2 (bits 31:0) overlaps bits declared above it "
		     "(all bits are declared already; fields go from the top bit down)");
	// Bottom-up order is refused at its first field.
	Diagnostics d = run(reg("Field 0 A\nField 31:1 B\n"));
	ASSERT_GE(d.size(), 1u);
	EXPECT_EQ(d[0].str(),
		  "t.regs:3: register R: bits 31:1 are not declared before field A (bit 0) "
		  "(fields go from the top bit down, without gaps)");
	expect_error(reg("Field 32:0 A\n"), "t.regs:3: register R: field A (bits 32:0): bit 32 is "
					    "outside the 32-bit register");
	expect_error(
		reg("Res1 35:32\nField 31:0 A\n", "Reg R 0x0 32 RW 0xffffffff"),
		"t.regs:3: register R: Res1 bits 35:32: bit 35 is outside the 32-bit register");
	expect_error(reg(""), "t.regs:3: register R: bits 31:0 are not declared "
			      "(every bit must be a field, Res0 or Res1)");
}

TEST(Check, ResetValue)
{
	expect_error(reg("Res0 31:16\nField 15:0 A\n", "Reg R 0x0 32 RW 0x00010000"),
		     "t.regs:2: register R: reset value 0x00010000 sets Res0 bits 0x00010000");
	expect_error(reg("Res1 31:30\nField 29:0 A\n", "Reg R 0x0 32 RW 0x80000000"),
		     "t.regs:2: register R: reset value 0x80000000 clears Res1 bits 0x40000000");
	expect_error(reg("Field 31:0 A\n", "Reg R 0x0 32 RW 0x100000000"),
		     "t.regs:2: register R: reset value 0x100000000 does not fit in 32 bits");
	expect_ok(reg("Res1 31:30\nRes0 29:16\nField 15:0 A\n", "Reg R 0x0 32 RW 0xc000ffff"));
}

TEST(Check, EnumValues)
{
	expect_error(reg("Res0 31:2\nEnum 1:0 E\n0 A\n4 B\nEndEnum\n"),
		     "t.regs:6: register R: field E: value 4 of B does not fit in 2 bits");
	expect_error(reg("Res0 31:1\nEnum 0 E\n0 A\n2 B\nEndEnum\n"),
		     "t.regs:6: register R: field E: value 2 of B does not fit in 1 bit");
	expect_error(reg("Res0 31:2\nEnum 1:0 E\n0 A\n1 B\n1 C\nEndEnum\n"),
		     "t.regs:7: register R: field E: value 1 of C is already used by B");
	expect_error(reg("Res0 31:2\nEnum 1:0 E\n0 A\n1 B\n2 A\nEndEnum\n"),
		     "t.regs:7: register R: field E: duplicate value name A (first at line 5)");
	expect_ok(reg("Res0 31:2\nEnum 1:0 E\n0x3 A\n0 B\nEndEnum\n"));
	expect_ok(reg("Enum 31:0 E\n4294967295 ALL\n0 NONE\nEndEnum\n"));
}

TEST(Check, UniqueNames)
{
	expect_error(reg("Field 31:16 A\nField 15:0 A\n"),
		     "t.regs:4: register R: duplicate field name A (first at line 3)");
	expect_error(reg("Field 31:16 A\nEnum 15:0 A\n0 X\nEndEnum\n"),
		     "t.regs:4: register R: duplicate field name A (first at line 3)");
	expect_error(block + "Reg R 0x0 32 RW 0x0\nField 31:0 A\nEndReg\nReg R 0x4 32 RW "
			     "0x0\nField 31:0 A\nEndReg\n",
		     "t.regs:5: duplicate register name R (first at line 2)");
	// The same field name in two registers is fine.
	expect_ok(block + "Reg R 0x0 32 RW 0x0\nField 31:0 A\nEndReg\nReg S 0x4 32 RW 0x0\nField "
			  "31:0 A\nEndReg\n");
}

TEST(Check, Alignment)
{
	expect_error(reg("Field 31:0 A\n", "Reg R 0x2 32 RW 0x0"),
		     "t.regs:2: register R: offset 0x2 is not aligned to 4 bytes");
	expect_error(reg("Field 31:0 A\n", "Array R 0x6 32 RW 0x0 2 0x4"),
		     "t.regs:2: register R: offset 0x6 is not aligned to 4 bytes");
	expect_error(reg("Field 31:0 A\n", "Array R 0x0 32 RW 0x0 2 0x2"),
		     "t.regs:2: register R: stride 0x2 must be a multiple of 4 of at least 4");
	expect_error(reg("Field 31:0 A\n", "Array R 0x0 32 RW 0x0 2 0x6"),
		     "t.regs:2: register R: stride 0x6 must be a multiple of 4 of at least 4");
	expect_error(reg("Field 31:0 A\n", "Array R 0x0 32 RW 0x0 2 0"),
		     "t.regs:2: register R: stride 0x0 must be a multiple of 4 of at least 4");
	expect_error(reg("Field 31:0 A\n", "Array R 0x0 32 RW 0x0 0 0x4"),
		     "t.regs:2: register R: count 0 (an Array needs at least one register)");
	expect_ok(reg("Field 31:0 A\n", "Array R 0x0 32 RW 0x0 1 0x4"));
}

TEST(Check, InsideTheBlock)
{
	expect_error(reg("Field 31:0 A\n", "Reg R 0x100 32 RW 0x0"),
		     "t.regs:2: register R: ends beyond the 0x100-byte Block T");
	expect_error(
		reg("Field 31:0 A\n", "Array R 0xf0 32 RW 0x0 4 0x8"),
		"t.regs:2: register R: ends beyond the 0x100-byte Block T (last element at 0x108)");
	expect_error(reg("Field 31:0 A\n", "Array R 0x0 32 RW 0x0 0x100000000 0x100000000"),
		     "t.regs:2: register R: ends beyond the 0x100-byte Block T (last element at "
		     "0xffffffff00000000)");
	expect_error(reg("Field 31:0 A\n", "Array R 0x0 32 RW 0x0 0x200000000 0x100000000"),
		     "t.regs:2: register R: ends beyond the 0x100-byte Block T");
	expect_ok(reg("Field 31:0 A\n", "Reg R 0xfc 32 RW 0x0"));
	expect_ok(reg("Field 31:0 A\n", "Array R 0xf0 32 RW 0x0 4 0x4"));
}

std::string two(const std::string &a, const std::string &b)
{
	return block + a + "\nField 31:0 A\nEndReg\n" + b + "\nField 31:0 A\nEndReg\n";
}

TEST(Check, NoOverlaps)
{
	expect_error(two("Reg R 0x10 32 RW 0x0", "Reg S 0x10 32 RW 0x0"),
		     "t.regs:5: register S (0x010) overlaps register R (0x010) from line 2");
	expect_error(two("Array R 0x10 32 RW 0x0 4 0x4", "Reg S 0x18 32 RW 0x0"),
		     "t.regs:5: register S (0x018) overlaps register R[2] (0x018) from line 2");
	expect_error(two("Reg S 0x30 32 RW 0x0", "Array R 0x10 32 RW 0x0 4 0x10"),
		     "t.regs:5: register R[2] (0x030) overlaps register S (0x030) from line 2");
	expect_error(two("Array R 0x10 32 RW 0x0 4 0x8", "Array S 0x20 32 RW 0x0 4 0xc"),
		     "t.regs:5: register S[0] (0x020) overlaps register R[2] (0x020) from line 2");
	expect_error(two("Array R 0x0 32 RW 0x0 8 0x10", "Array S 0x8 32 RW 0x0 8 0x18"),
		     "t.regs:5: register S[1] (0x020) overlaps register R[2] (0x020) from line 2");
	// Interleaved arrays and a register between elements are fine.
	expect_ok(two("Array R 0x0 32 RW 0x0 8 0x10", "Array S 0x4 32 RW 0x0 8 0x10"));
	expect_ok(two("Array R 0x0 32 RW 0x0 8 0x10", "Reg S 0x8 32 RW 0x0"));
	expect_ok(two("Array R 0x0 32 RW 0x0 4 0x10", "Reg S 0x40 32 RW 0x0"));
	expect_ok(two("Array R 0x10 32 RW 0x0 4 0x10", "Reg S 0x0 32 RW 0x0"));
}

// The overlap check (arithmetic progressions) against brute force.
TEST(Check, OverlapsMatchBruteForce)
{
	std::mt19937 rng(1234);
	auto pick = [&rng](unsigned lo, unsigned hi) {
		return std::uniform_int_distribution<unsigned>(lo, hi)(rng);
	};
	for (int n = 0; n < 3000; n++) {
		unsigned a = pick(0, 40) * 4, sa = pick(1, 12) * 4, ca = pick(1, 12);
		unsigned b = pick(0, 40) * 4, sb = pick(1, 12) * 4, cb = pick(1, 12);
		bool clash = false;
		for (unsigned i = 0; i < ca; i++)
			for (unsigned j = 0; j < cb; j++)
				clash |= a + i * sa == b + j * sb;
		auto arr = [](const char *name, unsigned off, unsigned stride, unsigned count) {
			return "Array " + std::string(name) + " " + std::to_string(off) +
			       " 32 RW 0 " + std::to_string(count) + " " + std::to_string(stride);
		};
		Diagnostics d =
			run("Block T 0x1000\n" + arr("R", a, sa, ca) + "\nField 31:0 A\nEndReg\n" +
			    arr("S", b, sb, cb) + "\nField 31:0 A\nEndReg\n");
		ASSERT_EQ(d.size(), clash ? 1u : 0u) << a << "+" << sa << "*" << ca << " vs " << b
						     << "+" << sb << "*" << cb << "\n"
						     << dump(d);
		if (clash) {
			EXPECT_NE(d[0].message.find("overlaps"), std::string::npos) << d[0].message;
		}
	}
}

TEST(Check, GeneratedCNamesDoNotClash)
{
	// SOFT_RESET.RESET is fine: the reset value macro is R_RESET_VALUE.
	expect_ok(reg("Field 31:1 A\nField 0 RESET\n", "Reg SOFT_RESET 0x0 32 WO 0x0"));
	expect_error(reg("Field 31:1 A\nField 0 RESET_VALUE\n"),
		     "t.regs:4: C name T_R_RESET_VALUE of field R.RESET_VALUE clashes with "
		     "the reset value of R (line 2)");
	expect_error(reg("Field 31:1 A\nField 0 ACCESS\n"),
		     "t.regs:4: C name T_R_ACCESS of field R.ACCESS clashes with the access of R "
		     "(line 2)");
	expect_error(reg("Field 31:1 RES0\nField 0 A\n"),
		     "t.regs:3: C name T_R_RES0 of field R.RES0 clashes with the Res0 mask of R "
		     "(line 2)");
	expect_error(reg("Field 31:1 RES1\nField 0 A\n"),
		     "t.regs:3: C name T_R_RES1 of field R.RES1 clashes with the Res1 mask of R "
		     "(line 2)");
	expect_error(
		reg("Field 31:1 A\nField 0 COUNT\n", "Array R 0x0 32 RW 0x0 2 0x4"),
		"t.regs:4: C name T_R_COUNT of field R.COUNT clashes with the count of R (line 2)");
	expect_error(reg("Field 31:1 STRIDE\nField 0 A\n", "Array R 0x0 32 RW 0x0 2 0x4"),
		     "t.regs:3: C name T_R_STRIDE of field R.STRIDE clashes with the stride of R "
		     "(line 2)");
	// COUNT is only taken in an Array.
	expect_ok(reg("Field 31:1 A\nField 0 COUNT\n"));
	// A field of one register against another register.
	expect_error(block + "Reg IRQ 0x0 32 RW 0x0\nField 31:0 MASK\nEndReg\n"
			     "Reg IRQ_MASK 0x4 32 RW 0x0\nField 31:0 A\nEndReg\n",
		     "t.regs:5: C name T_IRQ_MASK of register IRQ_MASK clashes with field IRQ.MASK "
		     "(line 3)");
	// An enum value against a field.
	expect_error(reg("Enum 31:1 E\n0 X\nEndEnum\nField 0 E_X\n"),
		     "t.regs:6: C name T_R_E_X of field R.E_X clashes with value R.E.X (line 4)");
	// Names reggen itself uses.
	expect_error(block + "Reg BLOCK 0x0 32 RW 0x0\nField 31:0 SIZE\nEndReg\n",
		     "t.regs:3: C name T_BLOCK_SIZE of field BLOCK.SIZE clashes with a name "
		     "reserved by reggen");
	expect_error(block + "Reg ACCESS_RO 0x0 32 RW 0x0\nField 31:0 A\nEndReg\n",
		     "t.regs:2: C name T_ACCESS_RO of register ACCESS_RO clashes with a name "
		     "reserved by reggen");
	expect_error(block + "Reg REGS_H 0x0 32 RW 0x0\nField 31:0 A\nEndReg\n",
		     "t.regs:2: C name T_REGS_H of register REGS_H clashes with a name reserved by "
		     "reggen");
	const std::string longname(62, 'L');
	Diagnostics d = run(reg("Field 31:0 A\n", "Reg " + longname + " 0x0 32 RW 0x0"));
	ASSERT_GE(d.size(), 1u);
	EXPECT_EQ(d[0].str(), "t.regs:2: C name T_" + longname + " of register " + longname +
				      " is longer than 63 characters");
	expect_ok(reg("Field 31:0 A\n", "Reg " + longname.substr(14) + " 0x0 32 RW 0x0"));
}

TEST(Check, GeneratedCppNamesDoNotClash)
{
	expect_error(reg("Field 31:1 STATE_FIELD\nEnum 0 STATE\n0 X\nEndEnum\n"),
		     "t.regs:4: C++ name R::StateField of field R.STATE clashes with field "
		     "R.STATE_FIELD (line 3)");
	expect_error(reg("Field 31:1 A_1B\nField 0 A1B\n"),
		     "t.regs:4: C++ name R::A1b of field R.A1B clashes with field R.A_1B (line 3)");
	expect_error(reg("Field 31:0 VALUE\n", "Reg VALUE 0x0 32 RW 0x0"),
		     "t.regs:3: C++ name Value::Value of field VALUE.VALUE clashes with the struct "
		     "of register VALUE "
		     "(line 2)");
	expect_error(reg("Field 31:1 FIELD\nField 0 A\n"),
		     "t.regs:3: C++ name R::Field of field R.FIELD clashes with a name reserved by "
		     "reggen");
	// A clash in C and in C++ is reported once.
	expect_error(reg("Field 31:1 A\nField 0 ACCESS\n"),
		     "t.regs:4: C name T_R_ACCESS of field R.ACCESS clashes with the access of R "
		     "(line 2)");
	expect_error(block + "Reg REG_INFO 0x0 32 RW 0x0\nField 31:0 A\nEndReg\n",
		     "t.regs:2: C++ name RegInfo of register REG_INFO clashes with a name reserved "
		     "by reggen");
	expect_error(block + "Reg A_1B 0x0 32 RW 0x0\nField 31:0 A\nEndReg\n"
			     "Reg A1B 0x4 32 RW 0x0\nField 31:0 A\nEndReg\n",
		     "t.regs:5: C++ name A1b of register A1B clashes with register A_1B (line 2)");
	expect_error(reg("Enum 31:0 E\n0 A_1B\n1 A1B\nEndEnum\n"),
		     "t.regs:5: C++ name R::E::A1b of value R.E.A1B clashes with value R.E.A_1B "
		     "(line 4)");
}

TEST(Check, ErrorsAreSortedAndAllReported)
{
	Diagnostics d = run(block + "Reg R 0x2 32 RW 0x0\nField 31:0 A\nEndReg\n"
				    "Reg S 0x4 32 RW 0x0\nField 31:8 A\nField 7:0 A\nEndReg\n");
	ASSERT_EQ(d.size(), 2u) << dump(d);
	EXPECT_EQ(d[0].line, 2);
	EXPECT_EQ(d[1].line, 7);
}

} // namespace
