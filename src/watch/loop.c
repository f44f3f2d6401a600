/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include "loop.h"

struct loop_timer {
        int64_t interval, due;
        loop_timer_fn fn;
        void *userdata;
};

struct loop {
        struct pollfd fds[LOOP_MAX_FDS];
        loop_fd_fn fd_fns[LOOP_MAX_FDS];
        void *fd_data[LOOP_MAX_FDS];
        size_t n_fds;
        struct loop_timer timers[LOOP_MAX_TIMERS];
        size_t n_timers;
        bool quit;
};

int64_t loop_now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int loop_new(struct loop **ret) {
        struct loop *l = calloc(1, sizeof *l);
        if (!l)
                return -ENOMEM;
        *ret = l;
        return 0;
}

struct loop *loop_free(struct loop *l) {
        free(l);
        return NULL;
}

int loop_add_fd(struct loop *l, int fd, short events, loop_fd_fn fn, void *userdata) {
        if (l->n_fds == LOOP_MAX_FDS || fd < 0)
                return -EINVAL;
        l->fds[l->n_fds] = (struct pollfd) { .fd = fd, .events = events };
        l->fd_fns[l->n_fds] = fn;
        l->fd_data[l->n_fds] = userdata;
        l->n_fds++;
        return 0;
}

int loop_add_timer(struct loop *l, int64_t interval_usec, loop_timer_fn fn, void *userdata) {
        if (l->n_timers == LOOP_MAX_TIMERS || interval_usec <= 0)
                return -EINVAL;
        l->timers[l->n_timers++] = (struct loop_timer) {
                .interval = interval_usec, .due = loop_now_usec() + interval_usec, .fn = fn, .userdata = userdata,
        };
        return 0;
}

void loop_quit(struct loop *l) {
        l->quit = true;
}

int loop_run(struct loop *l) {
        while (!l->quit) {
                int64_t now = loop_now_usec(), next = INT64_MAX;
                for (size_t i = 0; i < l->n_timers; i++)
                        if (l->timers[i].due < next)
                                next = l->timers[i].due;
                int timeout = -1;
                if (next != INT64_MAX)
                        timeout = next <= now ? 0 : (int) ((next - now + 999) / 1000);
                int k = poll(l->fds, l->n_fds, timeout);
                if (k < 0 && errno != EINTR)
                        return -errno;
                for (size_t i = 0; k > 0 && i < l->n_fds && !l->quit; i++) {
                        if (!l->fds[i].revents)
                                continue;
                        int r = l->fd_fns[i](l->fds[i].fd, l->fds[i].revents, l->fd_data[i]);
                        if (r < 0)
                                return r;
                }
                now = loop_now_usec();
                for (size_t i = 0; i < l->n_timers && !l->quit; i++) {
                        struct loop_timer *t = &l->timers[i];
                        if (t->due > now)
                                continue;
                        t->due = now + t->interval;
                        int r = t->fn(now, t->userdata);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}
