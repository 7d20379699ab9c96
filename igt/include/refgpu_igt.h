/* SPDX-License-Identifier: MIT */
/* Copyright (C) 2026 The refgpu authors */
#ifndef REFGPU_IGT_H
#define REFGPU_IGT_H

/*
 * The part of IGT's test API that refgpu's tests use, declared for Debian's
 * libigt.so.0 (IGT 1.27.1), which ships without headers.
 *
 * Written from IGT's documented interface (lib/igt_core.h, lib/drmtest.h);
 * every function and variable named here is checked against the library's
 * dynamic symbol table (igt/check-abi), and each control-flow macro expands
 * to the same calls, in the same order, as 1.27.1's own macros, since those
 * calls are the ABI: a subtest is a loop that asks __igt_run_subtest()
 * whether to run, then sigsetjmp()s into igt_subtest_jmpbuf, which
 * igt_skip(), igt_fail() and failed assertions siglongjmp() back to; the
 * loop's step, igt_success(), ends it.
 */

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit statuses of an IGT binary (and of one --run-subtest invocation). */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112

/* Chipset mask of drm_open_driver*(): every driver but vgem (bit 2). */
#define DRIVER_ANY		(~(1 << 2))

#define IGT_NORETURN		__attribute__((noreturn))
#define IGT_PRINTF(f, a)	__attribute__((format(printf, f, a)))

struct option;
typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);

/* core: set-up, subtests, fixtures, results */
int igt_subtest_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data);
IGT_NORETURN void igt_exit(void);
bool igt_only_list_subtests(void);
const char *igt_subtest_name(void);
const char *igt_test_name(void);

extern sigjmp_buf igt_subtest_jmpbuf;
bool __igt_run_subtest(const char *subtest_name, const char *file, const int line);
void igt_success(void);
bool __igt_fixture(void);
void __igt_fixture_complete(void);
void __igt_subtest_group_save(int *save, int *desc);
void __igt_subtest_group_restore(int save, int desc);

IGT_NORETURN IGT_PRINTF(1, 2) void igt_skip(const char *f, ...);
IGT_NORETURN IGT_PRINTF(5, 6)
void __igt_skip_check(const char *file, const int line, const char *func, const char *check,
		      const char *format, ...);
IGT_NORETURN void igt_fail(int exitcode);
IGT_NORETURN IGT_PRINTF(6, 7)
void __igt_fail_assert(const char *domain, const char *file, const int line, const char *func,
		       const char *assertion, const char *format, ...);
IGT_PRINTF(1, 2) void igt_describe_f(const char *fmt, ...);

/* The library reads this weak symbol for --help-description. */
extern const char *__igt_test_description __attribute__((weak));

/* logging: to stdout/stderr by level, and into the kernel log */
enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};
IGT_PRINTF(3, 4) void igt_log(const char *domain, enum igt_log_level level, const char *format, ...);
IGT_PRINTF(1, 2) void igt_kmsg(const char *format, ...);

typedef void (*igt_exit_handler_t)(int sig);
void igt_install_exit_handler(igt_exit_handler_t fn);

/* drmtest: opening the device under test (--device / IGT_DEVICE select it) */
int drm_open_driver(int chipset);
int drm_open_driver_render(int chipset);
int __drm_open_driver_render(int chipset);
int igt_device_filter_count(void);
const char *igt_device_filter_get(unsigned int num);

#ifdef __cplusplus
}
#endif

/* ---- control flow, as 1.27.1 expands it ---- */

#define REFGPU_IGT_CAT2(a, b)	a##b
#define REFGPU_IGT_CAT(a, b)	REFGPU_IGT_CAT2(a, b)
#define REFGPU_IGT_LOCAL(name)	REFGPU_IGT_CAT(refgpu_igt_##name##_, __LINE__)

#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

/*
 * igt_main { ... }: main() parses IGT's options (--list-subtests,
 * --run-subtest, --device, ...), runs the body, then igt_exit() turns the
 * subtests' results into the exit status.
 */
#define igt_main_args(short_opts, long_opts, help, handler, data)			\
	static void REFGPU_IGT_LOCAL(body)(void);					\
	int main(int argc, char **argv)							\
	{										\
		igt_subtest_init_parse_opts(&argc, argv, short_opts, long_opts, help,	\
					    handler, data);				\
		REFGPU_IGT_LOCAL(body)();						\
		igt_exit();								\
	}										\
	static void REFGPU_IGT_LOCAL(body)(void)

#define igt_main igt_main_args(NULL, NULL, NULL, NULL, NULL)

#define igt_subtest(name)								\
	for (; __igt_run_subtest((name), __FILE__, __LINE__) &&			\
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0;					\
	     igt_success())

/* Set-up shared by the subtests after it; skipped when only listing. */
#define igt_fixture									\
	for (volatile int REFGPU_IGT_LOCAL(once) = 0;					\
	     REFGPU_IGT_LOCAL(once) < 1 && __igt_fixture() &&				\
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0;					\
	     REFGPU_IGT_LOCAL(once)++, __igt_fixture_complete())

/* A failing fixture inside a group skips or fails that group only. */
#define igt_subtest_group								\
	for (int REFGPU_IGT_LOCAL(once) = 0, REFGPU_IGT_LOCAL(save) = 0,		\
		 REFGPU_IGT_LOCAL(desc) = 0;						\
	     REFGPU_IGT_LOCAL(once) < 1 &&						\
	     (__igt_subtest_group_save(&REFGPU_IGT_LOCAL(save),			\
				       &REFGPU_IGT_LOCAL(desc)), true);		\
	     REFGPU_IGT_LOCAL(once)++,							\
	     __igt_subtest_group_restore(REFGPU_IGT_LOCAL(save), REFGPU_IGT_LOCAL(desc)))

#define igt_describe(text) igt_describe_f("%s", text)

/* ---- logging ---- */

#define igt_debug(...)	igt_log(NULL, IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...)	igt_log(NULL, IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...)	igt_log(NULL, IGT_LOG_WARN, __VA_ARGS__)

/* ---- assertions (fail the subtest) and requirements (skip it) ---- */

#define igt_assert(expr)								\
	do {										\
		if (!(expr))								\
			__igt_fail_assert(NULL, __FILE__, __LINE__, __func__, #expr, NULL); \
	} while (0)

#define igt_assert_f(expr, ...)								\
	do {										\
		if (!(expr))								\
			__igt_fail_assert(NULL, __FILE__, __LINE__, __func__, #expr,	\
					  __VA_ARGS__);					\
	} while (0)

/* Compare as TYPE, print both values with FMT on failure. */
#define refgpu_igt_cmp(type, fmt, a, op, b)						\
	do {										\
		type refgpu_a_ = (a), refgpu_b_ = (b);					\
		if (!(refgpu_a_ op refgpu_b_))						\
			__igt_fail_assert(NULL, __FILE__, __LINE__, __func__,		\
					  #a " " #op " " #b,				\
					  "error: " fmt " vs " fmt "\n",		\
					  refgpu_a_, refgpu_b_);			\
	} while (0)

#define igt_assert_eq(a, b)		refgpu_igt_cmp(int, "%d", a, ==, b)
#define igt_assert_neq(a, b)		refgpu_igt_cmp(int, "%d", a, !=, b)
#define igt_assert_lte(a, b)		refgpu_igt_cmp(int, "%d", a, <=, b)
#define igt_assert_lt(a, b)		refgpu_igt_cmp(int, "%d", a, <, b)
#define igt_assert_eq_u32(a, b)		refgpu_igt_cmp(uint32_t, "%#x", a, ==, b)
#define igt_assert_neq_u32(a, b)	refgpu_igt_cmp(uint32_t, "%#x", a, !=, b)
#define igt_assert_eq_u64(a, b)		refgpu_igt_cmp(unsigned long long, "%#llx", a, ==, b)
#define igt_assert_neq_u64(a, b)	refgpu_igt_cmp(unsigned long long, "%#llx", a, !=, b)
#define igt_assert_lte_u64(a, b)	refgpu_igt_cmp(unsigned long long, "%#llx", a, <=, b)
#define igt_assert_fd(fd)		igt_assert_f((fd) >= 0, "file descriptor " #fd " failed\n")

#define igt_require(expr)								\
	do {										\
		if (!(expr))								\
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, NULL);	\
	} while (0)

#define igt_require_f(expr, ...)							\
	do {										\
		if (!(expr))								\
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, __VA_ARGS__); \
	} while (0)

#define igt_skip_on_f(expr, ...) igt_require_f(!(expr), __VA_ARGS__)

#endif /* REFGPU_IGT_H */
