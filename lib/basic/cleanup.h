/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Scope-bound ownership, as in systemd: a variable declared _cleanup_free_ is freed when it goes
 * out of scope, and TAKE_PTR() hands it on without freeing. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _likely_(x) __builtin_expect(!!(x), 1)
#define _unlikely_(x) __builtin_expect(!!(x), 0)

static inline void freep(void *p) { free(*(void **)p); }
static inline void fclosep(FILE **f) { if (*f) fclose(*f); }
static inline void closep(int *fd) { if (*fd >= 0) close(*fd); }

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_close_ _cleanup_(closep)

#define TAKE_PTR(p) ({ __typeof__(p) _p = (p); (p) = NULL; _p; })
#define TAKE_FD(fd) ({ int _fd = (fd); (fd) = -1; _fd; })

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Declare a cleanup helper for a type whose destructor returns NULL (fsd_x_free style). Marked
 * unused: clang warns about an unused static inline function defined in a .c file. */
#define DEFINE_FREEP(type, fn) \
        static inline _unused_ void fn##p(type **p) { if (*p) fn(*p); }
