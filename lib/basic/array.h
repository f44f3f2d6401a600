/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Arrays that grow by doubling: one place for the "full? double the capacity, realloc" step that
 * every list of events, mounts, block groups and path steps needs. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Room for at least one element after the n in use in *v of *cap: the capacity doubles from
 * initial. On failure *v and *cap are left as they were. @return 0 or -ENOMEM. */
static inline int array_reserve_one(void **v, size_t *cap, size_t n, size_t elem_size, size_t initial) {
        if (n < *cap)
                return 0;
        size_t want = *cap ? *cap * 2 : initial;
        if (want <= *cap || want > SIZE_MAX / elem_size)
                return -ENOMEM;
        void *p = realloc(*v, want * elem_size);
        if (!p)
                return -ENOMEM;
        *v = p;
        *cap = want;
        return 0;
}

/* array_reserve_one() for a typed pointer: ARRAY_RESERVE_ONE(list->v, list->cap, list->n, 32). */
#define ARRAY_RESERVE_ONE(v, cap, n, initial) array_reserve_one((void **) &(v), &(cap), (n), sizeof *(v), (initial))
