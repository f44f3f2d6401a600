/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running ctags and cscope: posix_spawnp with an argv, never a shell, so a file or function name
 * from a log or a tree is never interpreted. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "basic/cleanup.h"
#include "basic/strbuf.h"
#include "srctree-internal.h"

extern char **environ;

#define STDERR_KEPT 2048

static int64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int spawn_capture(const char *const *argv, const char *cwd, int timeout_ms, size_t max_out, char **ret_out,
                  size_t *ret_len, char **ret_err) {
        int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
        if (pipe2(out_pipe, O_CLOEXEC) < 0)
                return -errno;
        if (pipe2(err_pipe, O_CLOEXEC) < 0) {
                int e = -errno;
                close(out_pipe[0]);
                close(out_pipe[1]);
                return e;
        }
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        if (ret_out)
                posix_spawn_file_actions_adddup2(&fa, out_pipe[1], STDOUT_FILENO);
        else
                posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, err_pipe[1], STDERR_FILENO);
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        if (cwd)
                posix_spawn_file_actions_addchdir_np(&fa, cwd);
        pid_t pid;
        int k = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *) argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        close(out_pipe[1]);
        close(err_pipe[1]);
        if (k != 0) {
                close(out_pipe[0]);
                close(err_pipe[0]);
                return -k;
        }

        struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
        bool too_big = false, timed_out = false;
        int64_t deadline = now_ms() + timeout_ms;
        struct pollfd pfd[2] = { { .fd = out_pipe[0], .events = POLLIN }, { .fd = err_pipe[0], .events = POLLIN } };
        int open_fds = 2;
        char buf[65536];
        while (open_fds > 0) {
                int64_t left = deadline - now_ms();
                int ready = left <= 0 ? 0 : poll(pfd, 2, (int) MIN(left, (int64_t) INT32_MAX));
                if (ready < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (ready == 0) {
                        timed_out = true;
                        break;
                }
                for (int i = 0; i < 2; i++) {
                        if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                                continue;
                        ssize_t n = read(pfd[i].fd, buf, sizeof buf);
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n <= 0) {
                                close(pfd[i].fd);
                                pfd[i].fd = -1;
                                open_fds--;
                                continue;
                        }
                        if (i == 0 && ret_out) {
                                if (out.len + (size_t) n > max_out)
                                        too_big = true;
                                else
                                        strbuf_append(&out, buf, (size_t) n);
                        } else if (i == 1 && err.len < STDERR_KEPT)
                                strbuf_append(&err, buf, MIN((size_t) n, STDERR_KEPT - err.len));
                }
                if (too_big)
                        break;
        }
        for (int i = 0; i < 2; i++)
                if (pfd[i].fd >= 0)
                        close(pfd[i].fd);
        if (too_big || timed_out)
                kill(pid, SIGKILL);
        int status;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        status = -1;
                        break;
                }
        /* the last line of standard error, trimmed: what the tool says went wrong */
        while (err.len > 0 && (err.s[err.len - 1] == '\n' || err.s[err.len - 1] == ' '))
                err.s[--err.len] = 0;
        if (ret_err && err.len)
                *ret_err = strbuf_steal(&err);
        strbuf_done(&err);
        if (too_big || timed_out || strbuf_failed(&out)) {
                strbuf_done(&out);
                return timed_out ? -ETIME : too_big ? -E2BIG : -ENOMEM;
        }
        if (status == -1 || !WIFEXITED(status)) {
                strbuf_done(&out);
                return -EINTR;
        }
        if (ret_out) {
                if (ret_len)
                        *ret_len = out.len;
                *ret_out = out.s ? strbuf_steal(&out) : strdup("");
                if (!*ret_out)
                        return -ENOMEM;
        }
        strbuf_done(&out);
        return WEXITSTATUS(status);
}
