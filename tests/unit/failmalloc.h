/* SPDX-License-Identifier: MIT */
/*
 * Allocation failures on demand, to test that parsers are all or nothing.
 * A test binary that includes this replaces malloc, calloc, realloc and
 * free (glibc allows it) with wrappers of glibc's own; failmalloc_arm(k)
 * lets k allocations succeed and fails every one after, until
 * failmalloc_disarm().  Sanitizers bring their own allocator: there
 * FAILMALLOC is 0 and the tests that need it skip.
 */
#ifndef VD_TEST_FAILMALLOC_H
#define VD_TEST_FAILMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__) || !defined(__GLIBC__)
#define FAILMALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define FAILMALLOC 0
#endif
#endif
#ifndef FAILMALLOC
#define FAILMALLOC 1
#endif

static long failmalloc_left = -1; /* -1: disarmed */

static inline void failmalloc_arm(long k)
{
	failmalloc_left = k;
}

static inline void failmalloc_disarm(void)
{
	failmalloc_left = -1;
}

#if FAILMALLOC
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

static bool failmalloc_now(void)
{
	if (failmalloc_left < 0)
		return false;
	if (failmalloc_left == 0)
		return true;
	failmalloc_left--;
	return false;
}

void *malloc(size_t n)
{
	return failmalloc_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	return failmalloc_now() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	return failmalloc_now() ? NULL : __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}
#endif

#endif
