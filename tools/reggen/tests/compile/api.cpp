// SPDX-License-Identifier: MIT
// Positive control for the negative compile tests: the C++ API of the
// header generated from tests/data/sample.regs, under the same flags.
#include "sample_regs.hpp"

using namespace sample::regs;

// Field<Reg, Hi, Lo>
static_assert(Ctrl::Div::hi == 9 && Ctrl::Div::lo == 2 && Ctrl::Div::shift == 2);
static_assert(Ctrl::Div::width == 8 && Ctrl::Div::max == 0xff && Ctrl::Div::mask == 0x3fc);
static_assert(Ctrl::Div::get(0xffffffff) == 0xff);
static_assert(Ctrl::Div::get(0x0000000c) == 3);
static_assert(Ctrl::Div::fits(0xff) && !Ctrl::Div::fits(0x100));
static_assert(Ctrl::Div::encode(3) == 0xc);
static_assert(Ctrl::Div::encode(0x1ff) == 0x3fc); // masked
static_assert(Ctrl::Div::replace(0xffffffff, 0) == 0xfffffc03);
static_assert(Ctrl::Div::prep(0xff) == 0x3fc);
static_assert(Ctrl::Enable::mask == 1 && Ctrl::IrqEn::mask == 2);
static_assert(Id::Value::mask == 0xffffffff && Id::Value::max == 0xffffffff);
static_assert(Id::Value::prep(0xffffffff) == 0xffffffff);
static_assert(!Ctrl::Div::is_enum && Ctrl::ModeField::is_enum);

// EnumField<Reg, E, Hi, Lo>
static_assert(Ctrl::ModeField::mask == 0xc00 && Ctrl::ModeField::shift == 10);
static_assert(Ctrl::ModeField::get(0xc00) == Ctrl::Mode::Auto);
static_assert(Ctrl::ModeField::get(Ctrl::reset) == Ctrl::Mode::Off);
static_assert(Ctrl::ModeField::encode(Ctrl::Mode::On) == 0x400);
static_assert(Ctrl::ModeField::prep(Ctrl::Mode::Auto) == 0xc00);
static_assert(Ctrl::ModeField::replace(0, Ctrl::Mode::On) == 0x400);
static_assert(Ctrl::ModeField::fits(Ctrl::Mode::Auto));
static_assert(Ctrl::ModeField::plain::get(0x400) == 1);
static_assert(static_cast<u32>(Ctrl::Mode::Auto) == 3);

// pack<Reg>(): the fields, plus the Res1 bits
constexpr u32 ctrl =
	pack<Ctrl>(Ctrl::Enable::of(1), Ctrl::Div::of(3), Ctrl::ModeField::of(Ctrl::Mode::Auto));
static_assert(ctrl == 0x80000c0d);
static_assert(pack<Ctrl>() == Ctrl::res1);
static_assert(pack<Id>(Id::Value::of(0x12345678)) == 0x12345678);
static_assert(pack<LaneCfg>(LaneCfg::Weight::of(5)) == 0x40000005);

// Registers and arrays
static_assert(Ctrl::offset == 0x004 && Ctrl::access == Access::RW);
static_assert(Ctrl::reset == 0x80000001 && Ctrl::res0 == 0x7ffff000 && Ctrl::res1 == 0x80000000);
static_assert(Stat::access == Access::W1C && Stat::res0 == 0xffffff0e);
static_assert(Lane::base == 0x100 && Lane::count == 8 && Lane::stride == 0x10);
static_assert(LaneCfg::offset(2) == 0x124 && LaneCfg::at<7>() == 0x174);
static_assert(Lane::at<0>() == Lane::base);

// Reflection
static_assert(register_count == 5 && block_size == 0x200);
static_assert(registers[1].res1 == 0x80000000 && registers[3].is_array);
static_assert(registers[3].count == 8 && registers[3].stride == 0x10);
static_assert(field_count == 9 && enum_value_count == 3);
static_assert(fields[1].is_enum && fields[1].mask == 0xc00);
static_assert(enum_values[2].value == 3);

// Structures: a 64-bit word (u64 fields, values beyond 32 bits) and a 32-bit one
static_assert(Desc::width == 64 && Word32::width == 32);
static_assert(sizeof(Desc::word) == 8 && sizeof(Word32::word) == 4);
static_assert(sizeof(Desc::Valid::get(0)) == 8 && sizeof(Word32::Lo::get(0)) == 4);
static_assert(Desc::res0 == 0xc00000000000000cull && Desc::res1 == 0x2000000000000000ull);
static_assert(Desc::Addr::mask == 0x0ffffff0ull && Desc::Addr::max == 0xffffff);
static_assert(Desc::Addr::get(~0ull) == 0xffffff && Desc::Addr::encode(~0ull) == 0x0ffffff0ull);
static_assert(Desc::KindField::mask == 0x1ffffffff0000000ull && Desc::KindField::width == 33);
static_assert(Desc::KindField::prep(Desc::Kind::Huge) == 0x1000000000000000ull);
static_assert(Desc::KindField::get(0x1000000000000000ull) == Desc::Kind::Huge);
static_assert(static_cast<u64>(Desc::Kind::Huge) == 0x100000000ull);
static_assert(pack<Desc>(Desc::Valid::of(1), Desc::Addr::of(0xabcdef)) == 0x200000000abcdef1ull);
static_assert(pack<Desc>() == Desc::res1);
static_assert(Word32::res0 == 0x0000fffe && Word32::Hi::mask == 0xffff0000u);
static_assert(pack<Word32>(Word32::Hi::of(0xffff), Word32::Lo::of(1)) == 0xffff0001u);
static_assert(struct_count == 2 && struct_field_count == 6 && struct_enum_value_count == 3);
static_assert(structs[0].width == 64 && structs[0].res1 == 0x2000000000000000ull);
static_assert(structs[1].width == 32 && structs[1].res0 == 0x0000fffe);
static_assert(struct_fields[0].is_enum && struct_fields[0].mask == 0x1ffffffff0000000ull);
static_assert(struct_enum_values[1].value == 0x100000000ull);

u64 make_desc(u64 addr)
{
	return Desc::Addr::encode(addr) | Desc::Valid::encode(1) | Desc::res1;
}

// At run time: get/encode/replace are constexpr, not consteval.
u32 update(u32 raw, u32 div)
{
	if (Ctrl::ModeField::get(raw) == Ctrl::Mode::Auto)
		return raw;
	return Ctrl::Div::replace(raw, div) | Ctrl::ModeField::encode(Ctrl::Mode::On);
}
