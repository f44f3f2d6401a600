/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guilty frame: which function of a report's trace is where the bug is. The RIP line, the
 * first frame of the call trace that is not machinery (frame-skip.c), the operation a stall was
 * looping in, the code an interrupt or NMI interrupted, what a hung task waits behind, where
 * lockdep saw a lock taken. Each chooser says why it chose (tctx.why), for guilty.reason. */
#include <string.h>
#include "guilty.h"

bool guilty_skipped(const struct tctx *t, struct span func) {
        if (!func.len || frame_is_generic(func))
                return true;
        if (t->skip)
                for (const char *const *s = t->skip; *s; s++) {
                        /* '^' anchors at the name's start, leading underscores aside */
                        if ((*s)[0] == '^') {
                                struct span bare = func;
                                while (bare.len && bare.ptr[0] == '_') {
                                        bare.ptr++;
                                        bare.len--;
                                }
                                if (span_starts(bare, *s + 1))
                                        return true;
                        } else if (span_has(func, *s))
                                return true;
                }
        return false;
}

bool trace_is_stack_start(struct span l) {
        l = span_ltrim(l);
        if (span_has(l, "Call Trace") || span_starts(l, "Allocated by task") || span_starts(l, "Freed by task") ||
            span_starts(l, "Allocated:") || span_starts(l, "Freed:") || span_starts(l, "Last potentially related work creation:") ||
            span_starts(l, "Second to last potentially related work creation:"))
                return true;
        long k = span_find(l, "backtrace:");
        /* "stack backtrace:" (lockdep) introduces the current stack, not a new one */
        return k >= 0 && !(k >= 6 && memcmp(l.ptr + k - 6, "stack ", 6) == 0);
}

/* Frames of the trace beginning after line index from, up to the next trace heading; only
 * non-generic ones. Returns how many were stored. */
static size_t collect_stack(struct tctx *t, size_t *pos, struct span *out, size_t max) {
        size_t n = 0;
        for (; *pos < t->n; (*pos)++) {
                struct span l = t->lines[*pos];
                if (trace_is_stack_start(l)) {
                        if (n) {
                                (*pos)++;
                                break;
                        }
                        /* a heading before any frame: the trace starts after it */
                        continue;
                }
                struct frame_view f;
                if (!frame_parse(l, &f) || !f.func.len)
                        continue;
                if (f.unreliable) {
                        t->skipped_unreliable = true;
                        continue;
                }
                /* fault-injection stacks interleave with real reports: no frame is trustworthy */
                if (span_starts(f.func, "should_fail")) {
                        t->fault_injection = true;
                        return 0;
                }
                if (n < max)
                        out[n++] = f.func;
        }
        return n;
}

size_t trace_find_line(const struct tctx *t, size_t from, const char *needle) {
        for (size_t i = from; i < t->n; i++)
                if (span_has(t->lines[i], needle))
                        return i;
        return t->n;
}

/* Non-generic RIP function at or after from; *ret_pos is the RIP line. */
bool guilty_rip(struct tctx *t, size_t from, struct span *ret, size_t *ret_pos) {
        for (size_t i = from; i < t->n; i++) {
                struct frame_view f;
                bool user;
                if (!frame_parse_rip(t->lines[i], &f, &user)) {
                        /* a user-mode RIP or an unnamed one still marks the spot, unless the
                         * symbol comes a few lines later: powerpc prints "NIP:  c000.. LR: .."
                         * before "NIP [c000..] func+0x1/0x2", i386 "EIP: 0060:[<..>] EFLAGS"
                         * before "EIP is at func+0x1/0x2", arm "pc : [<..>]" after "PC is at" */
                        struct span val;
                        bool named_later = false;
                        for (size_t k = i + 1; k < t->n && k <= i + 6 && !named_later; k++) {
                                struct frame_view g;
                                bool u;
                                named_later = frame_parse_rip(t->lines[k], &g, &u) && !u;
                        }
                        if (named_later)
                                continue;
                        if (rip_line_value(t->lines[i], &val)) {
                                if (ret_pos)
                                        *ret_pos = i;
                                return false;
                        }
                        continue;
                }
                if (ret_pos)
                        *ret_pos = i;
                if (user)
                        return false;
                *ret = f.func;
                t->why = "the instruction pointer of the report (RIP/pc/NIP/PSW line)";
                return !guilty_skipped(t, f.func);
        }
        if (ret_pos)
                *ret_pos = t->n;
        return false;
}

/* First non-generic frame of the first trace after from. */
bool guilty_stack(struct tctx *t, size_t from, struct span *ret) {
        size_t pos = trace_find_line(t, from, "Call Trace");
        if (pos == t->n)
                pos = trace_find_line(t, from, "Call trace:");
        if (pos == t->n) {
                /* some traces have another heading ("backtrace:", arm "Backtrace:") */
                for (pos = from; pos < t->n && !trace_is_stack_start(t->lines[pos]); pos++)
                        ;
                /* newer sanitizer reports print the frames right under the header */
                if (pos == t->n)
                        pos = from;
        }
        pos++;
        struct span frames[64];
        size_t n = collect_stack(t, &pos, frames, 64);
        for (size_t i = 0; i < n; i++)
                if (!guilty_skipped(t, frames[i])) {
                        *ret = frames[i];
                        t->why = i ? "the first frame of the call trace that is not reporting machinery, locking, "
                                     "allocation or a library helper"
                                   : "the first frame of the call trace";
                        return true;
                }
        return false;
}

/* First non-generic frame of the trace that starts right at line from (KFENCE prints the access
 * stack under its header, with no heading). */
bool guilty_stack_at(struct tctx *t, size_t from, struct span *ret) {
        size_t pos = from;
        struct span frames[64];
        size_t n = collect_stack(t, &pos, frames, 64);
        for (size_t i = 0; i < n; i++)
                if (!guilty_skipped(t, frames[i])) {
                        *ret = frames[i];
                        return true;
                }
        return false;
}

/* The usual order: the faulting instruction, else the first real caller in the trace. */
bool guilty_rip_then_stack(struct tctx *t, struct span *ret) {
        size_t pos;
        if (guilty_rip(t, 0, ret, &pos))
                return true;
        return guilty_stack(t, 0, ret);
}

/* Stalls and lockups loop somewhere inside a larger operation: name the operation (the frame
 * right above a dispatch point such as the syscall entry or a work item), not the loop. */
/* The syscall entry of the syscalls whose arguments say more than their name ("ioctl",
 * "connect", "socketpair"): "SyS_ioctl", "compat_SyS_ioctl", "__x64_sys_connect", "__sys_socketpair". */
static bool is_discriminating_syscall(struct span f) {
        static const char *const entries[] = { "SYSC_", "SyS_", "__sys_", "___sys_", "__do_sys_", "__se_sys_", "__x64_sys_" };
        static const char *const calls[] = { "socketpair", "connect", "ioctl" };
        if (span_starts(f, "compat_"))
                f = span_make(f.ptr + 7, f.len - 7);
        for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
                if (!span_starts(f, entries[i]))
                        continue;
                struct span rest = span_make(f.ptr + strlen(entries[i]), f.len - strlen(entries[i]));
                for (size_t k = 0; k < sizeof calls / sizeof calls[0]; k++)
                        if (span_starts(rest, calls[k]))
                                return true;
        }
        return false;
}

/* seed, when given, is the function of the RIP line: the innermost frame, before the trace. */
bool guilty_stall(struct tctx *t, size_t from, const struct span *seed, struct span *ret) {
        /* '^' marks an anchor that must start the name ("sock_sendmsg", not "llcp_sock_sendmsg") */
        static const char *const anchors[] = {
                "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
                /* the syscall entry of other architectures: arm64 (el0_svc_handler, el0_svc_common,
                 * do_el0_svc; invoke_syscall since 5.12), riscv, s390 (__do_syscall since 5.11),
                 * system_call* (x86 before 4.x, s390 before 5.11, powerpc) */
                "el0_svc", "invoke_syscall", "do_trap_ecall_u", "__do_syscall", "^system_call",
                "netif_receive_skb", "do_softirq", "call_timer_fn", "_run_timers", "run_timer_softirq",
                "run_ksoftirqd", "smpboot_thread_fn", "kthread", "start_secondary", "cpu_startup_entry",
                "ret_from_fork", "vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read",
                "do_iter_write", "vfs_ioctl", "ksys_ioctl", "compat_ioctl", "compat_sys_ioctl",
                "blkdev_driver_ioctl", "blkdev_ioctl", "^call_read_iter", "^call_write_iter",
                "do_iter_readv_writev", "^call_mmap", "mmap_region", "do_mmap", "do_dentry_open", "vfs_open",
                "^sock_sendmsg", "^sock_recvmsg", "^sock_release", "^__sock_release", "__sys_setsockopt",
                "kernel_setsockopt", "sock_common_setsockopt", "__sys_listen", "kernel_listen",
                "sk_common_release", "^sock_mmap", "__sys_accept", "kernel_accept", "^sock_do_ioctl",
                "^sock_ioctl", "^compat_sock_ioctl", "^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg", "__do_fault",
                "handle_mm_fault", "do_page_fault", "__fput", "task_work_run", "exit_to_usermode",
                "exit_to_user_mode", "smp_call_function", "tasklet_action", "__run_hrtimer",
        };
        size_t pos = from;
        /* a stack overflow's trace is as deep as the report is long */
        struct span frames[REPORT_MAX_LINES];
        for (;;) {
                size_t first = seed ? 1 : 0;
                if (seed)
                        frames[0] = *seed;
                size_t n = first + collect_stack(t, &pos, frames + first, REPORT_MAX_LINES - first);
                seed = NULL;
                if (!n)
                        return false;
                size_t kept = 0;
                for (size_t i = 0; i < n; i++)
                        if (!guilty_skipped(t, frames[i]))
                                frames[kept++] = frames[i];
                if (!kept)
                        continue;
                struct span prev = frames[0];
                for (size_t i = 0; i < kept; i++) {
                        bool anchor = is_discriminating_syscall(frames[i]) || span_eq(frames[i], "page_fault");
                        for (size_t a = 0; a < sizeof anchors / sizeof anchors[0] && !anchor; a++)
                                anchor = anchors[a][0] == '^' ? span_starts(frames[i], anchors[a] + 1)
                                                              : span_has(frames[i], anchors[a]);
                        if (anchor) {
                                if (span_has(frames[i], "smp_call_function"))
                                        prev = span_make("smp_call_function", 17);
                                *ret = prev;
                                t->why = "the frame right above the dispatcher the looping code was entered from "
                                         "(syscall entry, work item, timer, softirq): the operation that did not "
                                         "finish";
                                return true;
                        }
                        prev = frames[i];
                }
                /* no anchor in this trace: try the next one (all-CPU backtraces) */
                if (pos >= t->n)
                        return false;
        }
}

/* Where the interrupted code's frames begin in a trace printed from an interrupt (RCU stall
 * reports run in the timer interrupt): the entry frame of each architecture's interrupt path.
 * @return the line of the first such entry at or after from (a later one is an interrupt that
 * nested inside the stalled code's softirq or another CPU's backtrace), or t->n. */
size_t trace_irq_entry_line(const struct tctx *t, size_t from) {
        static const char *const entries[] = {
                "apic_timer_interrupt", /* x86: (asm_sysvec_/smp_)apic_timer_interrupt */
                "el1h_64_irq",          /* arm64 since 5.x: el1h_64_irq, el1h_64_irq_handler */
                "el1_irq",              /* arm64 before 5.x */
                "__irq_svc",            /* arm: interrupt taken in SVC mode */
                "ext_int_handler",      /* s390: external interrupt (clock comparator) */
                "handle_exception",     /* riscv: every trap, interrupts included */
                "ret_from_exception",   /* riscv, older unwinders */
                "decrementer_common",   /* powerpc: the timer (decrementer) interrupt */
        };
        size_t found = t->n;
        for (size_t i = from; i < t->n; i++) {
                struct span l = span_ltrim(t->lines[i]);
                /* powerpc: "--- interrupt: 900 at func+0x1/0x2" */
                if (span_starts(l, "--- interrupt:") || span_starts(l, "--- Exception:"))
                        return i;
                struct frame_view f;
                if (!frame_parse(l, &f))
                        continue;
                for (size_t k = 0; k < sizeof entries / sizeof entries[0]; k++)
                        if (span_has(f.func, entries[k]))
                                return i;
        }
        return found;
}

/* The code an NMI interrupted, in a trace printed from the NMI (3.x x86): the first frame after
 * the end of the NMI stack ("<<EOE>>", "<EOE>"). */
bool guilty_nmi_interrupted(struct tctx *t, struct span *ret) {
        for (size_t i = 1; i < t->n; i++) {
                /* 4.x+ x86 closes the NMI stack on a line of its own: " </NMI>" */
                if (span_starts(span_ltrim(t->lines[i]), "</NMI>")) {
                        bool ok = guilty_stack_at(t, i + 1, ret);
                        if (ok)
                                t->why = "the code the NMI interrupted: the first frame after the end of the NMI stack";
                        return ok;
                }
                long k = span_find(t->lines[i], "EOE>");
                if (k < 0)
                        continue;
                struct span after_eoe = span_make(t->lines[i].ptr + k + 4, t->lines[i].len - (size_t) k - 4);
                while (after_eoe.len && after_eoe.ptr[0] == '>')
                        after_eoe = span_make(after_eoe.ptr + 1, after_eoe.len - 1);
                struct frame_view fv;
                bool ok = frame_parse(after_eoe, &fv) && fv.func.len && !guilty_skipped(t, fv.func);
                if (ok)
                        *ret = fv.func;
                else
                        ok = guilty_stack_at(t, i + 1, ret);
                if (ok)
                        t->why = "the code the NMI interrupted: the first frame after the end of the NMI stack";
                return ok;
        }
        return false;
}

/* Hung tasks wait in the scheduler: name the first frame that is not waiting machinery, or the
 * well-known bottlenecks everything queues behind. */
bool guilty_hang(struct tctx *t, size_t from, struct span *ret) {
        size_t pos = trace_find_line(t, from, "Call Trace");
        if (pos == t->n)
                pos = trace_find_line(t, from, "Call trace:");
        if (pos == t->n)
                pos = from; /* arm: frames with no heading */
        pos++;
        struct span frames[64];
        size_t n = collect_stack(t, &pos, frames, 64);
        for (size_t i = 0; i < n; i++) {
                if (span_has(frames[i], "rtnl_lock")) {
                        *ret = frames[i];
                        return true;
                }
                if (span_has(frames[i], "synchronize_rcu") || span_has(frames[i], "synchronize_srcu") ||
                    span_has(frames[i], "synchronize_net") || span_has(frames[i], "synchronize_sched")) {
                        *ret = span_make("synchronize_rcu", 15);
                        return true;
                }
        }
        static const char *const waits[] = {
                "sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread", "wait",
                "synchronize", "context_switch", "__switch_to", "cancel_delayed_work", "io_schedule",
                "rcu_",
        };
        for (size_t i = 0; i < n; i++) {
                bool w = false;
                for (size_t k = 0; k < sizeof waits / sizeof waits[0] && !w; k++)
                        w = span_has(frames[i], waits[k]);
                if (!w && !guilty_skipped(t, frames[i])) {
                        *ret = frames[i];
                        t->why = "the first frame of the blocked task's trace that is not scheduler, waiting or "
                                 "locking machinery";
                        return true;
                }
        }
        return false;
}

/* Lockdep prints the lock being taken and the places it was taken before as "at: func+off". */
bool guilty_lockdep(struct tctx *t, const char *after, struct span *ret) {
        size_t pos = after ? trace_find_line(t, 0, after) : 0;
        for (size_t i = pos; i < t->n; i++) {
                struct span l = t->lines[i];
                long k = span_find(l, "at: ");
                if (k < 0)
                        continue;
                struct frame_view f;
                if (!frame_parse(span_make(l.ptr + k + 4, l.len - (size_t) k - 4), &f) || !f.func.len)
                        continue;
                if (!guilty_skipped(t, f.func)) {
                        *ret = f.func;
                        return true;
                }
        }
        return guilty_stack(t, pos, ret);
}

/* Lockdep's layout: after the marker line come n_at "..., at: func+off" lines (the locks
 * involved), then the trace of where the first one was taken; the first non-generic function
 * in that order names the report. */
bool guilty_lockdep_parts(struct tctx *t, const char *marker, unsigned n_at, struct span *ret) {
        size_t i = trace_find_line(t, 0, marker);
        if (i == t->n)
                return false;
        bool found = false;
        for (i++; i < t->n && n_at > 0; i++) {
                struct span l = t->lines[i];
                long k = span_find(l, "at: ");
                struct frame_view f;
                if (k < 0 || !frame_parse(span_make(l.ptr + k + 4, l.len - (size_t) k - 4), &f) || !f.func.len)
                        continue;
                n_at--;
                if (!found && !guilty_skipped(t, f.func)) {
                        *ret = f.func;
                        found = true;
                }
        }
        if (found)
                return true;
        return guilty_stack_at(t, i, ret);
}

bool trace_has_stack(const struct tctx *t) {
        for (size_t i = 0; i < t->n; i++)
                if (span_has(t->lines[i], "Call Trace") || span_has(t->lines[i], "Call trace:") ||
                    span_has(t->lines[i], "backtrace") || span_has(t->lines[i], "Backtrace:"))
                        return true;
        /* arm prints its frames with no heading ("f from g+0x1/0x2") */
        unsigned frames = 0;
        for (size_t i = 1; i < t->n && frames < 2; i++) {
                struct frame_view f;
                if (frame_parse(t->lines[i], &f))
                        frames++;
        }
        return frames >= 2;
}

/* Functions named in the header after " in " ("BUG: KASAN: use-after-free in foo+0x1/0x2"). */
bool guilty_in_header(const struct tctx *t, const char *marker, struct span *ret) {
        long k = span_find(t->header, marker);
        if (k < 0)
                return false;
        struct span r = span_make(t->header.ptr + k + strlen(marker), t->header.len - (size_t) k - strlen(marker));
        size_t i = 0;
        while (i < r.len && (r.ptr[i] == '_' || r.ptr[i] == '.' || r.ptr[i] == '$' || (r.ptr[i] >= '0' && r.ptr[i] <= '9') ||
                           (r.ptr[i] >= 'a' && r.ptr[i] <= 'z') || (r.ptr[i] >= 'A' && r.ptr[i] <= 'Z')))
                i++;
        if (!i)
                return false;
        *ret = frame_canonical(span_make(r.ptr, i), NULL);
        return ret->len > 0;
}
