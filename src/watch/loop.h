/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The daemon's event loop: poll() over a few descriptors plus periodic timers, on one thread.
 * Everything that touches the analyzer or the history database runs here; samplers plug in with
 * loop_add_timer(). */
#include <stdbool.h>
#include <stdint.h>

#define LOOP_MAX_FDS 8
#define LOOP_MAX_TIMERS 8

struct loop;
/* revents: poll() revents. Return < 0 to stop the loop with that error. */
typedef int (*loop_fd_fn)(int fd, short revents, void *userdata);
typedef int (*loop_timer_fn)(int64_t now_usec, void *userdata);

int loop_new(struct loop **ret);
struct loop *loop_free(struct loop *l);
int loop_add_fd(struct loop *l, int fd, short events, loop_fd_fn fn, void *userdata);
/* Every interval_usec (CLOCK_MONOTONIC), first after one interval. */
int loop_add_timer(struct loop *l, int64_t interval_usec, loop_timer_fn fn, void *userdata);
/* Runs until loop_quit() or an error. @return 0 or the error. */
int loop_run(struct loop *l);
void loop_quit(struct loop *l);
int64_t loop_now_usec(void);
