/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Titles in the style kernel developers use (syzkaller's conventions: "WARNING in f",
 * "KASAN: use-after-free Read in f", "INFO: task hung in f") and the guilty frame behind them.
 * Runs once per complete report, never per log line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "report-internal.h"

/* Frames that are machinery around the bug, never its location: the guilty frame is the first
 * frame outside them. Substring matches (a name containing the entry), kept from syzkaller's
 * rules where they hold; each group says why its entries never are the culprit. */
static const char *const generic_frames[] = {
        /* sanitizers: their runtime and report printers run because the caller misbehaved */
        "kasan", "kmsan", "kcsan", "kfence", "__asan", "__msan", "__sanitizer", "ubsan",
        "check_memory_region", "print_address_description", "print_report", "read_word_at_a_time",
        /* WARN/BUG/panic reporting: they print the report; "_trap", "exc_", "asm_exc", "do_error",
         * "invalid_op", "handle_bug", "fixup_bug" are the trap path that turns BUG()/WARN()'s
         * ud2/brk/trap instruction into a call to report_bug() */
        "panic", "__warn", "warn_slowpath", "warn_alloc", "report_bug", "fixup_bug", "handle_bug",
        "do_error", "invalid_op", "_trap", "exc_", "asm_exc", "dump_stack", "show_stack",
        /* printk and friends: the message, not its cause */
        "printk", "vprintk", "va_format", "snprintf", "kasprintf", "kvasprintf",
        "dev_printk", "dev_info", "dev_notice", "dev_warn", "dev_err", "dev_crit", "dev_alert", "dev_emerg",
        /* powerpc's trap path to report_bug(); die() prints the oops */
        "program_check_exception", "program_check_common", "do_trap", "die",
        /* arm64 reaches report_bug() through the BRK exception */
        "bug_handler", "brk_handler", "do_debug_exception", "el1_dbg",
        /* lock debugging (lockdep reports on behalf of the locker) and locking primitives (they
         * only block or spin: the caller holds or wants the lock) */
        "lockdep", "lock_acquire", "lock_release", "lock_class", "reacquire_held_locks",
        "spin_lock", "spin_trylock", "spin_unlock", "raw_read_lock", "raw_write_lock",
        "raw_read_trylock", "raw_write_trylock", "_raw_", "down_read", "down_write", "up_read",
        "up_write", "mutex_lock", "mutex_trylock", "mutex_unlock", "mutex_remove_waiter",
        "osq_lock", "osq_unlock", "rt_mutex",
        /* might_sleep() checks: they report the caller's context */
        "__might_sleep", "__might_fault", "might_fault", "might_sleep", "__might_resched",
        /* debugobjects: reports on behalf of the object's user */
        "debug_object", "debug_check",
        /* reference counting: refcount_warn_saturate() reports the caller's imbalance */
        "refcount_add", "refcount_sub", "refcount_inc", "refcount_dec", "refcount_set",
        "refcount_read", "refcount_warn",
        /* list helpers: CONFIG_DEBUG_LIST checks report the caller's corrupted list */
        "list_add", "list_del", "list_replace", "list_move", "list_splice",
        /* memory and string helpers: they fault on the buffer the caller passed */
        "memcpy", "memcmp", "memset", "memchr", "memmove", "strcmp", "strncmp", "strcpy",
        "strlcpy", "strncpy", "strscpy", "strlen", "strnlen", "strchr", "strnstr",
        /* user copies: they fault on the caller's user pointer */
        "copy_to_user", "copy_from_user", "put_user", "get_user", "_copy_to_iter", "_copy_from_iter",
        /* retpoline and return thunks: compiler glue between two real frames */
        "_indirect_thunk_", "__x86_return_thunk",
        /* wakeups, timers and work cancellation: they only forward to the caller's object */
        "__wake_up", "del_timer", "flush_work", "__cancel_work_timer", "cancel_work_sync",
        "try_to_grab_pending", "flush_workqueue", "drain_workqueue", "destroy_workqueue",
        "finish_wait", "kthread_stop",
        /* perf/tracing glue and stack walking: they run inside the report */
        "perf_trace", "stack_trace", "stack_walk", "unwind_",
        /* rbtree helpers: they fault on the caller's tree */
        "rb_erase", "rb_insert", "rb_first", "rb_last", "rb_next", "rb_prev", "__rb_",
        /* reference-tracker, seqcount and atomic helpers: checks on the caller's object */
        "ref_tracker", "seqprop", "seqcount", "atomic_",
        /* checksum and hex-dump helpers: they read the caller's buffer */
        "crc16", "crc32", "hex_dump", "printf",
        /* id allocators: their WARNs report the caller's id misuse */
        "ida_free", "ida_alloc", "idr_",
        /* address conversion and page-head lookups: they fault on the caller's pointer */
        "compound_head", "phys_addr", "virt_to_phys",
        /* work queueing: the caller's work item is the subject */
        "queue_work",
        /* "warn_" helpers of subsystems (warn_bad_map, ...): the report, not its cause */
        "warn_",
        /* skb bounds checks: skb_over_panic()/skb_under_panic() report the caller's length */
        "skb_push", "skb_pull", "skb_put", "skb_under_panic", "skb_over_panic",
        /* page allocator entry points: a report inside them is about the caller's request */
        "alloc_pages", "__alloc_frozen_pages",
        /* device-model teardown that reports on behalf of the driver */
        "kobject_", "sysfs_remove", "device_add", "device_del", "device_unregister", "device_destroy",
        "device_release", "devres_release_all", "get_device_parent", "hwrng_unregister", "i2c_del_adapter",
        "usb_kill_urb", "usb_kill_anchored_urbs", "usb_control_msg", "usb_submit_urb", "usb_hcd_submit_urb",
        "rollback_registered", "unregister_netdev",
        /* inode/dentry reference drops that only forward */
        "dput",
        /* sanitizer and debug checks that report on behalf of their caller */
        "check_heap_object", "check_object", "print_usage_bug", "print_unlock", "imbalance_bug", "warn_bogus",
        "timer_is_static_object", "work_is_static_object", "print_tainted", "__fortify_report", "walk_stack",
        "stack_trace_consume_entry", "arch_stack_walk", "stack_trace_save", "print_hex_dump",
        /* more locking: bottom-half toggles, lock marking, rwlocks, owner spinning */
        "bh_enable", "bh_disable", "mark_lock", "mark_held_locks", "raw_spin_rq", "read_lock", "read_trylock",
        "write_lock", "write_trylock", "read_unlock", "write_unlock", "owner_on_cpu",
        /* bit operations: they fault on the caller's bitmap */
        "set_bit", "clear_bit", "change_bit", "test_bit",
        /* string duplication, formatting and copy-iterator helpers: the caller's buffer */
        "memdup", "strstr", "strdup", "strndup", "scnprintf",
        "copy_page_to_iter", "copy_page_from_iter", "copy_folio_to_iter", "copy_to_iter", "copy_from_iter",
        "crc_itu_t", "logic_in", "logic_out", "extract_user_to_sg", "extract_iter_to_sg",
        /* page cache and folio helpers that fault on the caller's page */
        "alloc_page", "allocate_slab", "folio_alloc", "folio_unlock", "filemap_alloc_folio", "__filemap_get_folio",
        "find_or_create_page", "do_read_cache_folio", "read_cache_page", "pagecache_get_page",
        "grab_cache_page_write_begin", "xas_start", "xas_load", "xas_find", "find_lock_entries",
        "truncate_inode_pages_range", "__phys_addr", "drop_nlink", "fast_dput",
        /* waiting, work queueing and timers on behalf of a caller */
        "wait_for_completion", "insert_work", "__queue_delayed_work", "queue_delayed_work_on", "lock_timer_base",
        "__timer_delete_sync", "sk_stop_timer_sync", "__mod_timer", "cleanup_srcu_struct", "rhashtable_lookup",
        /* more device-model teardown */
        "add_uevent_var", "__unregister_client", "device_for_each_child", "device_remove_file",
        "tty_unregister_device", "dummy_urb_enqueue",
        /* assertion helpers (reiserfs, ...) and the arm64 data-abort path: the fault's handling,
         * not its cause */
        "assertfail", "do_kernel_fault", "do_translation_fault", "do_mem_abort", "el1_abort", "el1h_64_sync",
        /* allocators: a report inside them is about their caller's request */
        "malloc", "zalloc", "calloc", "krealloc", "kmem_cache", "slab_",
        /* arm64/riscv stack dumping: part of printing the report */
        "dump_backtrace", "walk_stackframe",
        /* rwsem slow paths: waiting for a lock the caller wants */
        "rwsem_down",
        /* interrupt-stack switching and exit: entry glue around the interrupted code */
        "asm_call_irq_on_stack", "asm_sysvec_", "sysvec_", "call_on_stack", "irq_exit",
};

bool frame_is_generic(struct span func) {
        for (size_t i = 0; i < sizeof generic_frames / sizeof generic_frames[0]; i++)
                if (span_has(func, generic_frames[i]))
                        return true;
        /* the semaphore API: down(), down_trylock(), down_interruptible(), ... */
        if (span_starts(func, "down"))
                return true;
        /* families named by their prefix: "refcount_warn_saturate", "kref_put", "rb_erase",
         * "klist_next", "crc32_le", "unlock_page", "mutex_lock_nested" */
        static const char *const prefixes[] = { "mutex_", "__mutex_", "rt_mutex_", "refcount_", "kref_", "rb_",
                                                "__rb_", "klist_", "lock_page", "unlock_page" };
        for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
                if (span_starts(func, prefixes[i]))
                        return true;
        if (span_starts(func, "crc") && func.len > 3 && func.ptr[3] >= '0' && func.ptr[3] <= '9')
                return true;
        /* MMIO accessors: "readl", "__raw_writel", "ioread32" is not one */
        static const char *const mmio[] = { "readb", "readw", "readl", "readq", "writeb", "writew", "writel", "writeq" };
        for (size_t i = 0; i < sizeof mmio / sizeof mmio[0]; i++) {
                size_t k = strlen(mmio[i]);
                if (func.len >= k && memcmp(func.ptr + func.len - k, mmio[i], k) == 0 &&
                    (func.len == k || !(func.ptr[func.len - k - 1] >= 'a' && func.ptr[func.len - k - 1] <= 'z')))
                        return true;
        }
        /* exact names that are too short to match as substrings */
        static const char *const exact[] = { "complete", "kfree", "kvfree", "kfree_skb", "kfree_skb_list", "string", "pointer",
                                             "iput", "iput_final", "ihold", "get_taint", "put_device", "copyin", "copyout",
                                             "bad_page" };
        for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
                if (func.len == strlen(exact[i]) && memcmp(func.ptr, exact[i], func.len) == 0)
                        return true;
        return false;
}

/* ---- the title context ------------------------------------------------------------------- */

struct tctx {
        const struct span *lines;
        size_t n;
        struct span header;      /* the header line from the report keyword on */
        const char *const *skip; /* report-specific extra skips, NULL-terminated, or NULL */
        struct span guilty;      /* the function the title names, inside the title buffer */
        bool no_stack;           /* this kind of report carries no call trace */
        bool fault_injection;    /* a fault-injection stack is mixed into the report */
        bool corrupted;
        const char *reason;
        const char *why;         /* how the guilty frame was chosen (static string) */
        bool skipped_unreliable; /* '?' frames were passed over on the way */
        bool skipped_inline;     /* the chosen frame's inline callees were passed over */
        struct span guilty_only; /* a guilty frame for a title that does not name one */
        bool free_form;          /* the title is the header's own words, no trace was needed */
};

static bool skipped(const struct tctx *t, struct span func) {
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

static bool span_eq(struct span v, const char *s) {
        return v.len == strlen(s) && memcmp(v.ptr, s, v.len) == 0;
}

static bool is_stack_start(struct span l) {
        l = span_ltrim(l);
        if (span_has(l, "Call Trace") || span_starts(l, "Allocated by task") || span_starts(l, "Freed by task") ||
            span_starts(l, "Allocated:") || span_starts(l, "Freed:") || span_starts(l, "Last potentially related work creation:") ||
            span_starts(l, "Second to last potentially related work creation:"))
                return true;
        long k = span_find(l, "backtrace:");
        /* "stack backtrace:" (lockdep) introduces the current stack, not a new one */
        return k >= 0 && !(k >= 6 && memcmp(l.ptr + k - 6, "stack ", 6) == 0);
}

/* Remove the syscall-wrapper prefixes so "__x64_sys_futex" and "__arm64_sys_futex" agree.
 * *ret_add_sys is set when the old "SyS_open" form must be written as "sys_open". */
static struct span strip_syscall_prefix(struct span f, bool *ret_add_sys) {
        /* "__do_sys_mremap" and "__se_sys_mremap" are the body of mremap: name it plainly;
         * "__x64_sys_futex" is the arch entry point: keep "sys_futex" */
        static const char *const prefixes[] = {
                "__x64_", "__ia32_", "__arm64_", "__riscv_", "__s390x_", "__s390_", "__se_sys_", "__do_sys_",
                "ksys_",
        };
        static const char *const old_prefixes[] = { "compat_SyS_", "compat_SYSC_", "SYSC_", "SyS_" };
        *ret_add_sys = false;
        for (size_t i = 0; i < sizeof old_prefixes / sizeof old_prefixes[0]; i++) {
                size_t k = strlen(old_prefixes[i]);
                if (f.len > k && memcmp(f.ptr, old_prefixes[i], k) == 0) {
                        *ret_add_sys = true;
                        return span_make(f.ptr + k, f.len - k);
                }
        }
        for (bool again = true; again;) {
                again = false;
                for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
                        size_t k = strlen(prefixes[i]);
                        if (f.len > k && memcmp(f.ptr, prefixes[i], k) == 0) {
                                f.ptr += k;
                                f.len -= k;
                                again = true;
                        }
                }
        }
        return f;
}

/* Frames of the trace beginning after line index from, up to the next trace heading; only
 * non-generic ones. Returns how many were stored. */
static size_t collect_stack(struct tctx *t, size_t *pos, struct span *out, size_t max) {
        size_t n = 0;
        for (; *pos < t->n; (*pos)++) {
                struct span l = t->lines[*pos];
                if (is_stack_start(l)) {
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

static size_t find_line(const struct tctx *t, size_t from, const char *needle) {
        for (size_t i = from; i < t->n; i++)
                if (span_has(t->lines[i], needle))
                        return i;
        return t->n;
}

/* Non-generic RIP function at or after from; *ret_pos is the RIP line. */
static bool rip_func(struct tctx *t, size_t from, struct span *ret, size_t *ret_pos) {
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
                return !skipped(t, f.func);
        }
        if (ret_pos)
                *ret_pos = t->n;
        return false;
}

/* First non-generic frame of the first trace after from. */
static bool stack_func(struct tctx *t, size_t from, struct span *ret) {
        size_t pos = find_line(t, from, "Call Trace");
        if (pos == t->n)
                pos = find_line(t, from, "Call trace:");
        if (pos == t->n) {
                /* some traces have another heading ("backtrace:", arm "Backtrace:") */
                for (pos = from; pos < t->n && !is_stack_start(t->lines[pos]); pos++)
                        ;
                /* newer sanitizer reports print the frames right under the header */
                if (pos == t->n)
                        pos = from;
        }
        pos++;
        struct span frames[64];
        size_t n = collect_stack(t, &pos, frames, 64);
        for (size_t i = 0; i < n; i++)
                if (!skipped(t, frames[i])) {
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
static bool stack_func_at(struct tctx *t, size_t from, struct span *ret) {
        size_t pos = from;
        struct span frames[64];
        size_t n = collect_stack(t, &pos, frames, 64);
        for (size_t i = 0; i < n; i++)
                if (!skipped(t, frames[i])) {
                        *ret = frames[i];
                        return true;
                }
        return false;
}

/* The usual order: the faulting instruction, else the first real caller in the trace. */
static bool rip_then_stack(struct tctx *t, struct span *ret) {
        size_t pos;
        if (rip_func(t, 0, ret, &pos))
                return true;
        return stack_func(t, 0, ret);
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
static bool stall_func(struct tctx *t, size_t from, const struct span *seed, struct span *ret) {
        /* '^' marks an anchor that must start the name ("sock_sendmsg", not "llcp_sock_sendmsg") */
        static const char *const anchors[] = {
                "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
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
        struct span frames[128];
        for (;;) {
                size_t first = seed ? 1 : 0;
                if (seed)
                        frames[0] = *seed;
                size_t n = first + collect_stack(t, &pos, frames + first, 128 - first);
                seed = NULL;
                if (!n)
                        return false;
                size_t kept = 0;
                for (size_t i = 0; i < n; i++)
                        if (!skipped(t, frames[i]))
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
static size_t irq_entry_line(const struct tctx *t, size_t from) {
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
static bool nmi_interrupted_func(struct tctx *t, struct span *ret) {
        for (size_t i = 1; i < t->n; i++) {
                long k = span_find(t->lines[i], "EOE>");
                if (k < 0)
                        continue;
                struct span after_eoe = span_make(t->lines[i].ptr + k + 4, t->lines[i].len - (size_t) k - 4);
                while (after_eoe.len && after_eoe.ptr[0] == '>')
                        after_eoe = span_make(after_eoe.ptr + 1, after_eoe.len - 1);
                struct frame_view fv;
                bool ok = frame_parse(after_eoe, &fv) && fv.func.len && !skipped(t, fv.func);
                if (ok)
                        *ret = fv.func;
                else
                        ok = stack_func_at(t, i + 1, ret);
                if (ok)
                        t->why = "the code the NMI interrupted: the first frame after the end of the NMI stack";
                return ok;
        }
        return false;
}

/* Hung tasks wait in the scheduler: name the first frame that is not waiting machinery, or the
 * well-known bottlenecks everything queues behind. */
static bool hang_func(struct tctx *t, size_t from, struct span *ret) {
        size_t pos = find_line(t, from, "Call Trace");
        if (pos == t->n)
                pos = find_line(t, from, "Call trace:");
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
                if (!w && !skipped(t, frames[i])) {
                        *ret = frames[i];
                        t->why = "the first frame of the blocked task's trace that is not scheduler, waiting or "
                                 "locking machinery";
                        return true;
                }
        }
        return false;
}

/* Lockdep prints the lock being taken and the places it was taken before as "at: func+off". */
static bool lockdep_func(struct tctx *t, const char *after, struct span *ret) {
        size_t pos = after ? find_line(t, 0, after) : 0;
        for (size_t i = pos; i < t->n; i++) {
                struct span l = t->lines[i];
                long k = span_find(l, "at: ");
                if (k < 0)
                        continue;
                struct frame_view f;
                if (!frame_parse(span_make(l.ptr + k + 4, l.len - (size_t) k - 4), &f) || !f.func.len)
                        continue;
                if (!skipped(t, f.func)) {
                        *ret = f.func;
                        return true;
                }
        }
        return stack_func(t, pos, ret);
}

/* Lockdep's layout: after the marker line come n_at "..., at: func+off" lines (the locks
 * involved), then the trace of where the first one was taken; the first non-generic function
 * in that order names the report. */
static bool lockdep_parts_func(struct tctx *t, const char *marker, unsigned n_at, struct span *ret) {
        size_t i = find_line(t, 0, marker);
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
                if (!found && !skipped(t, f.func)) {
                        *ret = f.func;
                        found = true;
                }
        }
        if (found)
                return true;
        return stack_func_at(t, i, ret);
}

/* ---- title assembly ---------------------------------------------------------------------- */

struct tbuf {
        char *s;
        size_t n, cap;
};

static void tput(struct tbuf *b, const char *s, size_t n) {
        if (!s || !n)
                return;
        if (b->n + n >= b->cap)
                n = b->cap - 1 - b->n;
        memcpy(b->s + b->n, s, n);
        b->n += n;
        b->s[b->n] = 0;
}

static void tputs(struct tbuf *b, const char *s) {
        tput(b, s, strlen(s));
}

/* Function part of a title: canonical name, syscall prefix removed, or "corrupted". */
static void tfunc(struct tctx *t, struct tbuf *b, bool found, struct span f) {
        tputs(b, " in ");
        if (!found || !f.len) {
                tputs(b, "corrupted");
                if (!t->corrupted) {
                        t->corrupted = true;
                        t->reason = "no usable frame in the report";
                }
                return;
        }
        bool add_sys;
        struct span c = strip_syscall_prefix(frame_canonical(f, NULL), &add_sys);
        size_t start = b->n;
        if (add_sys)
                tputs(b, "sys_");
        tput(b, c.ptr, c.len);
        t->guilty = span_make(b->s + start, b->n - start);
}

/* Text of the header after a prefix, up to a delimiter (or end), trimmed. */
static struct span after(struct span h, const char *prefix, const char *until) {
        long k = span_find(h, prefix);
        if (k < 0)
                return span_make(NULL, 0);
        struct span r = span_make(h.ptr + k + strlen(prefix), h.len - (size_t) k - strlen(prefix));
        if (until) {
                long u = span_find(r, until);
                if (u >= 0)
                        r.len = (size_t) u;
        }
        return span_trim(r);
}

static void set_corrupted(struct tctx *t, const char *reason) {
        if (!t->corrupted) {
                t->corrupted = true;
                t->reason = reason;
        }
}

static bool has_stack(const struct tctx *t) {
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
static bool header_func(const struct tctx *t, const char *marker, struct span *ret) {
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

static void title_bug(struct tctx *t, struct tbuf *b, struct title_result *res) {
        struct span rest = span_trim(after(t->header, "BUG:", NULL));
        struct span f = {};
        bool ok;
        res->type = FSD_REPORT_BUG;
        if (span_starts(rest, "KASAN: ") || span_starts(rest, "KFENCE: ")) {
                bool kfence = rest.ptr[1] == 'F';
                res->type = FSD_REPORT_KASAN;
                struct span kind = after(rest, ": ", " in ");
                if (span_has(kind, " on address"))
                        kind = after(rest, ": ", " on address");
                static const char *const free_skip[] = { "kmem_", "slab_", "kfree", "vunmap", "vfree", NULL };
                bool invalid_free = span_has(kind, "invalid-free") || span_has(kind, "double-free");
                if (invalid_free)
                        t->skip = free_skip;
                /* the header names the function only when the trace behind it was printed too:
                 * a report cut after its first lines is named "corrupted" */
                if (kfence)
                        ok = stack_func_at(t, 1, &f);
                else {
                        ok = header_func(t, " in ", &f) && !skipped(t, f) && has_stack(t);
                        if (!ok)
                                ok = stack_func(t, 0, &f);
                }
                tputs(b, kfence ? "KFENCE: " : "KASAN: ");
                if (invalid_free && !kfence) {
                        tputs(b, "invalid-free");
                } else {
                        tput(b, kind.ptr, kind.len);
                        if (!kfence) {
                                const char *access = NULL;
                                for (size_t i = 0; i < t->n && !access; i++) {
                                        struct span l = span_ltrim(t->lines[i]);
                                        if (span_starts(l, "Read of size") || span_starts(l, "Read at addr"))
                                                access = " Read";
                                        else if (span_starts(l, "Write of size") || span_starts(l, "Write at addr"))
                                                access = " Write";
                                }
                                if (!access && !invalid_free) {
                                        /* no "Read/Write of size" line: the report was cut right
                                         * after its header, which is all there is to name it */
                                        b->n = 0;
                                        b->s[0] = 0;
                                        tputs(b, "KASAN: ");
                                        tput(b, rest.ptr + 7, rest.len - 7);
                                        t->no_stack = true;
                                        set_corrupted(t, "the access line of the report is missing");
                                        return;
                                }
                                if (access)
                                        tputs(b, access);
                                if (!span_has(t->header, " in ") && access) {
                                                        /* "wild-memory-access on address": no function to name */
                                        t->no_stack = true;
                                        return;
                                }
                        }
                }
                tfunc(t, b, ok, f);
                return;
        }
        if (span_starts(rest, "KMSAN: ")) {
                res->type = FSD_REPORT_KASAN;
                struct span kind = after(rest, ": ", " in ");
                tputs(b, "KMSAN: ");
                tput(b, kind.ptr, kind.len);
                static const char *const usb_skip[] = { "usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg",
                                                        "usb_interrupt_msg", "usb_control_msg", NULL };
                if (span_has(kind, "usb"))
                        t->skip = usb_skip;
                ok = stack_func(t, 0, &f);
                t->no_stack = true;
                tfunc(t, b, ok, f);
                return;
        }
        if (span_starts(rest, "KCSAN: ")) {
                res->type = FSD_REPORT_KASAN;
                tputs(b, "KCSAN: ");
                t->no_stack = true;
                tput(b, rest.ptr + 7, rest.len - 7);
                return;
        }
        if (span_starts(rest, "unable to handle kernel paging request") ||
            span_starts(rest, "unable to handle page fault for address") ||
            span_starts(rest, "Unable to handle kernel data access")) {
                res->type = FSD_REPORT_OOPS;
                tputs(b, "BUG: unable to handle kernel paging request");
                tfunc(t, b, rip_then_stack(t, &f), f);
                return;
        }
        if (span_starts(rest, "unable to handle kernel NULL pointer dereference") ||
            span_starts(rest, "kernel NULL pointer dereference") ||
            span_starts(rest, "Kernel NULL pointer dereference")) {
                res->type = FSD_REPORT_OOPS;
                tputs(b, "BUG: unable to handle kernel NULL pointer dereference");
                tfunc(t, b, rip_then_stack(t, &f), f);
                return;
        }
        if (span_starts(rest, "unable to handle kernel") || span_starts(rest, "Unable to handle kernel")) {
                res->type = FSD_REPORT_OOPS;
                tputs(b, "BUG: unable to handle kernel");
                set_corrupted(t, "the second half of the fault message is missing");
                return;
        }
        if (span_starts(rest, "spinlock ") || span_starts(rest, "rwlock ")) {
                static const char *const sk[] = { "spin_", "_lock", "_unlock", NULL };
                t->skip = sk;
                bool rw = rest.ptr[0] == 'r';
                struct span what = after(rest, rw ? "rwlock " : "spinlock ", " on CPU");
                long k = span_find(what, " on ");
                if (k >= 0)
                        what.len = (size_t) k;
                tputs(b, rw ? "BUG: rwlock " : "BUG: spinlock ");
                tput(b, what.ptr, what.len);
                tfunc(t, b, stack_func(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "NMI Watchdog detected LOCKUP")) {
                /* 2.6.x x86 die_nmi(): the registers that follow are the interrupted code's */
                res->type = FSD_REPORT_STALL;
                tputs(b, "BUG: hard lockup");
                tfunc(t, b, rip_then_stack(t, &f), f);
                return;
        }
        if (span_starts(rest, "soft lockup")) {
                res->type = FSD_REPORT_STALL;
                static const char *const sk[] = { "apic_timer_interrupt", NULL };
                t->skip = sk;
                tputs(b, "BUG: soft lockup");
                /* the looping function (RIP) first, then the trace of the interrupted task */
                size_t pos;
                struct span rip = {};
                bool have_rip = rip_func(t, 0, &rip, &pos);
                ok = stall_func(t, pos < t->n ? pos : 0, have_rip ? &rip : NULL, &f);
                tfunc(t, b, ok, f);
                return;
        }
        if (span_has(rest, "still has locks held!")) {
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "BUG: still has locks held");
                tfunc(t, b, lockdep_func(t, NULL, &f), f);
                return;
        }
        if (span_starts(rest, "lock held when returning to user space")) {
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "BUG: lock held when returning to user space");
                t->no_stack = true;
                tfunc(t, b, lockdep_func(t, "leaving the kernel with locks still held", &f), f);
                return;
        }
        if (span_starts(rest, "Invalid wait context")) {
                /* lockdep's print_lock_invalid_wait_context(), banner "[ BUG: Invalid wait context ]":
                 * a lock taken in a context that may not sleep that long; named after the caller
                 * of the locking primitive */
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "WARNING: locking bug");
                tfunc(t, b, stack_func(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "bad unlock balance detected")) {
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "BUG: bad unlock balance");
                tfunc(t, b, lockdep_func(t, "is trying to release lock", &f), f);
                return;
        }
        if (span_starts(rest, "held lock freed")) {
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "BUG: held lock freed");
                tfunc(t, b, lockdep_func(t, NULL, &f), f);
                return;
        }
        if (span_starts(rest, "Dentry ") && span_has(rest, "still in use")) {
                if (span_has(rest, "[unmount of ")) {
                        tputs(b, "BUG: Dentry still in use in unmount");
                        t->no_stack = true;
                        return;
                }
                struct span fs = after(rest, "[unmount of ", "]");
                tputs(b, "BUG: Dentry still in use [unmount of ");
                t->no_stack = true;
                tput(b, fs.ptr, fs.len);
                tputs(b, "]");
                return;
        }
        if (span_starts(rest, "memory leak")) {
                res->type = FSD_REPORT_LEAK;
                static const char *const sk[] = { "kmemleak", "kmalloc", "kcalloc", "kzalloc", "vmalloc", "mmap",
                                                  "kmem", "slab", "alloc", "create_object", "idr_get",
                                                  "list_lru_init", "kasprintf", "kvasprintf", "pcpu_create",
                                                  "strdup", "strndup", "memdup", NULL };
                t->skip = sk;
                tputs(b, "memory leak");
                tfunc(t, b, stack_func(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "sleeping function called from invalid context")) {
                tputs(b, "BUG: sleeping function called from invalid context");
                tfunc(t, b, stack_func(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "using ") && span_has(rest, "() in preemptible")) {
                static const char *const sk[] = { "dump_stack", "preemption", "preempt", "debug_",
                                                  "processor_id", "this_cpu", NULL };
                t->skip = sk;
                struct span what = after(rest, "using ", "()");
                tputs(b, "BUG: using ");
                tput(b, what.ptr, what.len);
                tputs(b, "() in preemptible code");
                tfunc(t, b, stack_func(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "scheduling while atomic")) {
                static const char *const sk[] = { "schedule", NULL };
                t->skip = sk;
                tputs(b, "BUG: scheduling while atomic");
                tfunc(t, b, stack_func(t, 0, &f), f);
                return;
        }
        if (span_has(rest, "stack guard page was hit")) {
                tputs(b, "BUG: stack guard page was hit");
                t->no_stack = true;
                tfunc(t, b, rip_func(t, 0, &f, NULL), f);
                return;
        }
        if (span_starts(rest, "Bad page map")) {
                /* printed by print_bad_pte(): the page table entry, not a caller, identifies it */
                tputs(b, "BUG: Bad page map");
                return;
        }
        if (span_starts(rest, "Bad page state") || span_starts(rest, "Bad page cache")) {
                struct span what = span_make(rest.ptr, span_starts(rest, "Bad page cache") ? 14 : 14);
                if (span_starts(rest, "Bad page map"))
                        what.len = 12;
                tputs(b, "BUG: ");
                tput(b, what.ptr, what.len);
                /* with page_owner, dump_page() shows who allocated the page ("page last allocated
                 * via order N ..." and its stack): the bug is the allocator's, not the freeing
                 * path that noticed it */
                size_t k = find_line(t, 0, "page last allocated");
                if (k < t->n) {
                        static const char *const sk[] = { "free_page", "put_page", "get_page", "update_page",
                                                          "release_page", "free_unref", "^folio", "truncate_inode_pages",
                                                          "page_frag_free", "alloc", "vmap", "page_owner", NULL };
                        t->skip = sk;
                        if (stack_func_at(t, k + 1, &f)) {
                                tfunc(t, b, true, f);
                                return;
                        }
                        t->skip = NULL;
                }
                /* bad_page() is called from the page allocator's own checks, on the way out
                 * (free_pages_prepare, free_page_is_bad, free_unref_page, __folio_put, ...) or in
                 * (check_new_page, get_page_from_freelist): the caller that freed or allocated the
                 * page is the first frame outside them */
                static const char *const page_path[] = { "^free_page", "^free_pages", "^free_unref", "^free_pcp",
                                                         "^free_one_page", "^free_compound", "^folio_put",
                                                         "^folio_put", "^put_page", "^release_pages",
                                                         "^destroy_compound", "^check_new_page", "^check_free_page",
                                                         "^get_page_from_freelist", "^free_the_page",
                                                         "^page_frag_free", NULL };
                t->skip = page_path;
                tfunc(t, b, stack_func(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "workqueue lockup")) {
                res->type = FSD_REPORT_STALL;
                tputs(b, "BUG: workqueue lockup");
                t->no_stack = true;
                return;
        }
        if (span_starts(rest, "workqueue leaked lock or atomic")) {
                tputs(b, "BUG: workqueue leaked lock or atomic");
                t->no_stack = true;
                size_t k = find_line(t, 0, "last function: ");
                if (k < t->n) {
                        struct span fn = after(t->lines[k], "last function: ", NULL);
                        size_t i = 0;
                        while (i < fn.len && fn.ptr[i] != ' ' && fn.ptr[i] != '\t')
                                i++;
                        tfunc(t, b, true, span_make(fn.ptr, i));
                }
                return;
        }
        if (span_starts(rest, "Bad rss-counter state") || span_starts(rest, "non-zero nr_ptes on freeing mm") ||
            span_starts(rest, "non-zero nr_pmds on freeing mm")) {
                t->no_stack = true;
                struct span what = rest;
                long k = span_find(what, " mm:");
                if (k >= 0)
                        what.len = (size_t) k;
                tputs(b, "BUG: ");
                tput(b, what.ptr, what.len);
                return;
        }
        if (!rest.len) {
                tputs(b, "BUG: corrupted");
                set_corrupted(t, "the report header is empty");
                return;
        }
        /* unknown BUG: its own words are the best title */
        tputs(b, "BUG: ");
        tput(b, rest.ptr, rest.len);
        t->no_stack = true;
        t->free_form = true;
}

/* "WARNING: CPU: 1 PID: 2 at lib/refcount.c:25 refcount_warn_saturate+0x1/0x2" */
static bool warning_src_func(const struct tctx *t, struct span *ret_src, struct span *ret_func) {
        long k = span_find(t->header, " at ");
        if (k < 0)
                return false;
        struct span before = span_trim(after(t->header, "WARNING:", " at "));
        if (before.len && !span_has(before, " ") && span_has(before, ":") && span_has(before, ".")) {
                /* 6.19+: the location comes first, the function after " at " */
                *ret_src = before;
                struct span fn = span_ltrim(span_make(t->header.ptr + k + 4, t->header.len - (size_t) k - 4));
                size_t j = 0;
                while (j < fn.len && fn.ptr[j] != '+' && fn.ptr[j] != ' ' && fn.ptr[j] != ',' && fn.ptr[j] != '(')
                        j++;
                *ret_func = frame_canonical(span_make(fn.ptr, j), NULL);
                return true;
        }
        struct span r = span_trim(span_make(t->header.ptr + k + 4, t->header.len - (size_t) k - 4));
        size_t i = 0;
        while (i < r.len && r.ptr[i] != ' ')
                i++;
        *ret_src = span_make(r.ptr, i);
        if (!span_has(*ret_src, ":"))
                return false;
        struct span fn = span_ltrim(span_make(r.ptr + i, r.len - i));
        size_t j = 0;
        while (j < fn.len && fn.ptr[j] != '+' && fn.ptr[j] != ' ' && fn.ptr[j] != '(')
                j++;
        *ret_func = frame_canonical(span_make(fn.ptr, j), NULL);
        return true;
}

/* "kmalloc", "kvmalloc", "vmalloc", "kmalloc_node": the allocator's own entry points, not helpers
 * that merely have malloc in their name ("free_large_kmalloc", "__vmalloc_node_range") */
static bool is_malloc_entry(struct span f) {
        for (size_t skip = 0; skip <= 2 && skip < f.len; skip++)
                if (span_starts(span_make(f.ptr + skip, f.len - skip), "malloc"))
                        return skip == 0 || f.ptr[0] == 'k' || skip == 1;
        return false;
}

static void title_lockdep(struct tctx *t, struct tbuf *b, struct title_result *res, struct span rest) {
        struct span f = {};
        res->type = FSD_REPORT_LOCKDEP;
        static const char *const wq_skip[] = { "process_one_work", "flush_workqueue", "drain_workqueue",
                                               "destroy_workqueue", NULL };
        if (span_starts(rest, "possible circular locking dependency detected")) {
                t->skip = wq_skip;
                size_t k = find_line(t, 0, "is trying to acquire lock");
                if (k == t->n) {
                        tputs(b, "WARNING: possible circular locking dependency detected");
                        set_corrupted(t, "the lock chain is missing");
                        return;
                }
                tputs(b, "possible deadlock");
                /* the old banner form ("[ INFO: ... ]", before 4.9) names the first lock's place as
                 * printed, however generic */
                bool ok;
                if (t->header.len && t->header.ptr > t->lines[0].ptr && t->header.ptr[-1] == ' ' &&
                    t->header.ptr - t->lines[0].ptr >= 2 && t->header.ptr[-2] == '[') {
                        ok = false;
                        for (size_t i = find_line(t, 0, "is trying to acquire lock"); i < t->n && !ok; i++) {
                                long at = span_find(t->lines[i], "at: ");
                                struct frame_view fv;
                                if (at >= 0 && frame_parse(span_make(t->lines[i].ptr + at + 4, t->lines[i].len - (size_t) at - 4), &fv) &&
                                    fv.func.len) {
                                        f = fv.func;
                                        ok = true;
                                }
                        }
                } else
                        ok = lockdep_parts_func(t, "is trying to acquire lock", 2, &f);
                tfunc(t, b, ok, f);
        } else if (span_starts(rest, "possible irq lock inversion dependency detected")) {
                tputs(b, "possible deadlock");
                tfunc(t, b, lockdep_func(t, "just changed the state of lock", &f), f);
        } else if (span_has(rest, "-safe -> ") && span_has(rest, "-unsafe lock order detected")) {
                tputs(b, "possible deadlock");
                /* the deadlock needs the interrupt that takes the irq-safe lock: name the place
                 * that made it irq-safe (the trace under "which became X-irq-safe at:") */
                size_t k = find_line(t, 0, "-irq-safe at:");
                bool ok = k < t->n && stack_func_at(t, k + 1, &f);
                if (!ok)
                        ok = lockdep_func(t, "is trying to acquire", &f);
                tfunc(t, b, ok, f);
        } else if (span_starts(rest, "possible recursive locking detected")) {
                tputs(b, "possible deadlock");
                tfunc(t, b, lockdep_func(t, "is trying to acquire lock", &f), f);
        } else if (span_starts(rest, "inconsistent lock state")) {
                tputs(b, "inconsistent lock state");
                tfunc(t, b, lockdep_parts_func(t, "takes", 1, &f), f);
        } else if (span_starts(rest, "suspicious RCU usage")) {
                static const char *const sk[] = { "rcu", "kmem", "slab", "kmalloc", "vmalloc", "kcalloc",
                                                  "kzalloc", NULL };
                t->skip = sk;
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "suspicious RCU usage");
                /* lockdep_rcu_suspicious() prints "file.c:N <message>" next: without it the report
                 * was cut after its banner and has no function to name */
                bool src = false;
                for (size_t i = 1; i < t->n && !src; i++) {
                        long k = span_find(t->lines[i], ".h:");
                        if (k < 0)
                                k = span_find(t->lines[i], ".c:");
                        src = k > 0 && (size_t) k + 3 < t->lines[i].len && t->lines[i].ptr[k + 3] >= '0' &&
                              t->lines[i].ptr[k + 3] <= '9';
                }
                if (!src) {
                        set_corrupted(t, "no stack trace in report");
                        return;
                }
                tfunc(t, b, stack_func(t, 0, &f), f);
        } else if (span_starts(rest, "bad unlock balance detected")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "bad unlock balance");
                tfunc(t, b, lockdep_func(t, "is trying to release lock", &f), f);
        } else if (span_starts(rest, "held lock freed")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "held lock freed");
                tfunc(t, b, lockdep_func(t, NULL, &f), f);
        } else if (span_starts(rest, "nested lock was not taken") || span_starts(rest, "Nested lock was not taken")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "nested lock was not taken");
                tfunc(t, b, lockdep_func(t, NULL, &f), f);
        } else if (span_has(rest, "still has locks held")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "still has locks held");
                tfunc(t, b, lockdep_func(t, NULL, &f), f);
        } else if (span_starts(rest, "lock held when returning to user space")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "lock held when returning to user space");
                t->no_stack = true;
                tfunc(t, b, lockdep_func(t, "leaving the kernel with locks still held", &f), f);
        } else if (span_starts(rest, "trying to register non-static key")) {
                static const char *const sk[] = { "stack", "lock", "IRQ", NULL };
                t->skip = sk;
                tputs(b, "INFO: trying to register non-static key");
                tfunc(t, b, stack_func(t, 0, &f), f);
        } else
                res->type = FSD_REPORT_UNKNOWN;
}

static bool is_lockdep_text(struct span rest) {
        static const char *const l[] = {
                "possible circular locking dependency detected", "possible irq lock inversion dependency detected",
                "possible recursive locking detected", "inconsistent lock state", "suspicious RCU usage",
                "bad unlock balance detected", "held lock freed", "nested lock was not taken", "Nested lock was not taken",
                "lock held when returning to user space", "trying to register non-static key",
        };
        for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
                if (span_starts(rest, l[i]))
                        return true;
        return span_has(rest, "still has locks held") ||
               (span_has(rest, "-safe -> ") && span_has(rest, "-unsafe lock order detected"));
}

static void title_warning(struct tctx *t, struct tbuf *b, struct title_result *res) {
        struct span rest = span_trim(after(t->header, "WARNING:", NULL));
        struct span src = {}, hf = {}, f = {};
        res->type = FSD_REPORT_WARNING;
        if (is_lockdep_text(rest)) {
                title_lockdep(t, b, res, rest);
                return;
        }
        if (span_starts(rest, "kernel stack regs at ") && span_has(rest, "has bad '")) {
                struct span reg = after(rest, "has bad '", "'");
                tputs(b, "WARNING: kernel stack regs has bad ");
                t->no_stack = true;
                if (reg.len && !(reg.len == 2 && memcmp(reg.ptr, "bp", 2) == 0)) {
                        tputs(b, "'");
                        tput(b, reg.ptr, reg.len);
                        tputs(b, "' ");
                }
                tputs(b, "value");
                return;
        }
        if (span_starts(rest, "kernel stack frame pointer at ")) {
                /* only the hex-address form is the frame-pointer report proper; with "(ptrval)"
                 * (hashed pointers, 4.15+) it reads as the regs variant */
                struct span addr = span_ltrim(span_make(rest.ptr + 30, rest.len - 30));
                bool hex = addr.len && ((addr.ptr[0] >= '0' && addr.ptr[0] <= '9') || (addr.ptr[0] >= 'a' && addr.ptr[0] <= 'f'));
                tputs(b, hex ? "WARNING: kernel stack frame pointer has bad value" : "WARNING: kernel stack regs has bad value");
                t->no_stack = true;
                return;
        }
        if (!rest.len) {
                tputs(b, "WARNING: corrupted");
                set_corrupted(t, "the report header is empty");
                return;
        }
        if (!warning_src_func(t, &src, &hf)) {
                /* free-form WARNING text from a driver */
                t->no_stack = true;
                t->free_form = true;
                tputs(b, "WARNING: ");
                tput(b, rest.ptr, rest.len);
                return;
        }
        static const char *const odebug[] = { "debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "kmem_",
                                              "slab_", "kfree", "vunmap", "vfree", "__free_", "debug_check",
                                              "kobject_", NULL };
        static const char *const usercopy[] = { "usercopy", "__check", NULL };
        static const char *const kobject[] = { "kobject_", NULL };
        static const char *const refcount[] = { "refcount", "kobject_", NULL };
        static const char *const locking[] = { "lock_sock", "release_sock", NULL };
        static const char *const kmalloc[] = { "kmalloc", "kcalloc", "kzalloc", "krealloc", "vmalloc", "slab",
                                               "kmem", NULL };
        static const char *const procreg[] = { "proc_", NULL };
        /* 6.19+ prints "WARNING: lib/debugobjects.c:615 at 0x0, CPU#1: comm" when it has no
         * symbol for the WARN site: the RIP line names the function */
        if (span_starts(hf, "0x") || !hf.len) {
                for (size_t i = 1; i < t->n; i++) {
                        struct frame_view fv;
                        bool user;
                        if (frame_parse_rip(t->lines[i], &fv, &user)) {
                                if (!user)
                                        hf = fv.func;
                                break;
                        }
                }
        }
        const char *prefix = "WARNING";
        if (span_starts(src, "lib/debugobjects.c") && (span_starts(hf, "debug_print") || span_starts(hf, "debug_check"))) {
                prefix = "WARNING: ODEBUG bug";
                t->skip = odebug;
        } else if (span_starts(src, "mm/usercopy.c") && span_has(hf, "usercopy")) {
                prefix = "WARNING: bad usercopy";
                t->skip = usercopy;
        } else if (span_starts(src, "lib/kobject.c") && span_starts(hf, "kobject_")) {
                prefix = "WARNING: kobject bug";
                t->skip = kobject;
        } else if (span_starts(src, "fs/proc/generic.c") && span_starts(hf, "proc_register")) {
                prefix = "WARNING: proc registration bug";
                t->skip = procreg;
        } else if ((span_starts(src, "lib/refcount.c") || span_has(hf, "refcount_warn")) && span_has(hf, "refcount")) {
                prefix = "WARNING: refcount bug";
                t->skip = refcount;
        } else if (span_starts(src, "kernel/locking/lockdep.c") && span_has(hf, "lock")) {
                prefix = "WARNING: locking bug";
                t->skip = locking;
                res->type = FSD_REPORT_LOCKDEP;
        } else if (span_starts(src, "mm/vmalloc.c") && (span_has(rest, "zero-size") || span_starts(hf, "__vmalloc_node"))) {
                /* __vmalloc_node_range() WARNs only on a zero size */
                prefix = "WARNING: zero-size vmalloc";
        } else if (span_starts(src, "mm/") && is_malloc_entry(hf)) {
                prefix = "WARNING: kmalloc bug";
                t->skip = kmalloc;
        }
        /* 3.x reported a hard lockup with WARN() from the NMI watchdog's perf callback: the
         * interrupted code follows the end of the NMI stack ("<<EOE>>", "<EOE>") */
        if (span_eq(hf, "watchdog_overflow_callback") || find_line(t, 1, "Watchdog detected hard LOCKUP") < t->n) {
                res->type = FSD_REPORT_STALL;
                tputs(b, "BUG: hard lockup");
                bool ok = nmi_interrupted_func(t, &f);
                if (!ok)
                        ok = rip_then_stack(t, &f);
                tfunc(t, b, ok, f);
                return;
        }
        tputs(b, prefix);
        /* the function that WARNed, unless it is generic machinery: then its caller */
        /* the WARNING line's own function is where WARN() sits, often a helper (kmalloc, refcount):
         * the title names the first real function of the RIP line or the trace instead */
        bool ok = rip_func(t, 0, &f, NULL);
        if (!ok)
                ok = stack_func(t, 0, &f);
        if (ok && span_has(hf, "usb_submit_urb") && prefix[7] == 0) {
                tputs(b, " in ");
                struct span c = frame_canonical(f, NULL);
                tput(b, c.ptr, c.len);
                tputs(b, "/usb_submit_urb");
                return;
        }
        tfunc(t, b, ok, f);
}

static void title_info(struct tctx *t, struct tbuf *b, struct title_result *res) {
        struct span rest = span_trim(after(t->header, "INFO:", NULL));
        struct span f = {};
        if (is_lockdep_text(rest)) {
                title_lockdep(t, b, res, rest);
                if (res->type != FSD_REPORT_UNKNOWN)
                        return;
        }
        if ((span_starts(rest, "rcu_preempt ") || span_starts(rest, "rcu_sched ") || span_starts(rest, "rcu_bh ") ||
             span_starts(rest, "RCU detected CPU")) &&
            span_has(rest, "detected") && (span_has(rest, "stall") || span_has(rest, "CPU"))) {
                res->type = FSD_REPORT_STALL;
                static const char *const sk[] = { "apic_timer_interrupt", "rcu", NULL };
                t->skip = sk;
                tputs(b, "INFO: rcu detected stall");
                /* the stalled CPU's own stack is the one the timer interrupt cut into: the
                 * interrupted function (pc after the interrupt entry), then the trace under it;
                 * an NMI backtrace of another CPU prints its pc and trace directly */
                size_t pos = irq_entry_line(t, 0);
                bool ok = false;
                if (pos < t->n) {
                        size_t rpos;
                        struct span rip = {};
                        bool have_rip = rip_func(t, pos, &rip, &rpos);
                        if (rpos < t->n)
                                ok = stall_func(t, rpos, have_rip ? &rip : NULL, &f);
                        if (!ok)
                                ok = stall_func(t, pos + 1, NULL, &f);
                }
                if (ok && pos < t->n)
                        t->why = "the code the timer interrupt cut into (first frame after the interrupt entry), "
                                 "named by the operation it ran for (the frame right above its dispatcher)";
                tfunc(t, b, ok, f);
                return;
        }
        if (span_starts(rest, "task ") && span_has(rest, " blocked for more than ")) {
                res->type = FSD_REPORT_HANG;
                tputs(b, "INFO: task hung");
                tfunc(t, b, hang_func(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "task ") && span_has(rest, "can't die for more than")) {
                res->type = FSD_REPORT_HANG;
                static const char *const sk[] = { "schedule", NULL };
                t->skip = sk;
                tputs(b, "INFO: task can't die");
                tfunc(t, b, stack_func(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "Freed in ") || span_starts(rest, "Allocated in ")) {
                res->type = FSD_REPORT_KASAN;
                tputs(b, rest.ptr[0] == 'F' ? "INFO: Freed" : "INFO: Allocated");
                struct span fn = after(rest, " in ", NULL);
                size_t i = 0;
                while (i < fn.len && fn.ptr[i] != ' ' && fn.ptr[i] != '+')
                        i++;
                tfunc(t, b, i > 0, span_make(fn.ptr, i));
                /* SLUB's "age=N cpu=N pid=N" after the symbol is part of the message */
                while (i < fn.len && fn.ptr[i] != ' ')
                        i++;
                tput(b, fn.ptr + i, fn.len - i);
                set_corrupted(t, "an old-style slab report without its header");
                return;
        }
        res->type = FSD_REPORT_OTHER;
        if (!rest.len) {
                tputs(b, "INFO: corrupted");
                set_corrupted(t, "the report header is empty");
                return;
        }
        tputs(b, "INFO: ");
        tput(b, rest.ptr, rest.len);
        t->no_stack = true;
        t->free_form = true;
}

static void title_panic(struct tctx *t, struct tbuf *b, struct title_result *res) {
        struct span msg = span_trim(after(t->header, "not syncing", NULL));
        struct span f = {};
        if (msg.len && msg.ptr[0] == ':')
                msg = span_trim(span_make(msg.ptr + 1, msg.len - 1));
        res->type = FSD_REPORT_PANIC;
        if (span_starts(msg, "stack-protector:")) {
                static const char *const sk[] = { "stack_chk", NULL };
                t->skip = sk;
                tputs(b, "kernel panic: stack is corrupted");
                struct span fn = after(msg, "corrupted in:", NULL);
                size_t i = 0;
                while (i < fn.len && fn.ptr[i] != ' ' && fn.ptr[i] != '+')
                        i++;
                fn.len = i;
                bool is_addr = fn.len > 0;
                for (size_t k = 0; k < fn.len; k++)
                        if (!((fn.ptr[k] >= '0' && fn.ptr[k] <= '9') || (fn.ptr[k] >= 'a' && fn.ptr[k] <= 'f') || fn.ptr[k] == 'x'))
                                is_addr = false;
                if (fn.len && !is_addr) {
                        t->no_stack = true;
                        tfunc(t, b, true, fn);
                        return;
                }
                tfunc(t, b, stack_func(t, 0, &f), f);
                return;
        }
        if (span_starts(msg, "corrupted stack end detected inside scheduler")) {
                static const char *const sk[] = { "schedule", "retint_kernel", NULL };
                t->skip = sk;
                tputs(b, "kernel panic: corrupted stack end");
                tfunc(t, b, stall_func(t, 0, NULL, &f), f);
                return;
        }
        static const char *const fixed[] = { "Fatal exception", "Attempted to kill init!", "panic_on_warn set",
                                             "hung_task: blocked tasks" };
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
                if (span_starts(msg, fixed[i])) {
                        tputs(b, "kernel panic: ");
                        tputs(b, fixed[i]);
                        t->no_stack = true;
                        if (i == 1 && stack_func(t, 0, &f))
                                t->guilty_only = f;
                        if (i != 1)
                                set_corrupted(t, "the panic follows a report that is not in the log");
                        return;
                }
        if (span_starts(msg, "Couldn't open N_TTY ldisc")) {
                tputs(b, "kernel panic: Couldn't open N_TTY ldisc");
                return;
        }
        tputs(b, "kernel panic: ");
        tput(b, msg.ptr, msg.len);
        t->no_stack = true;
        /* the title is the panic's message, as kernel developers name panics; the trace still
         * names the function that called panic(), or for a hard lockup (hardlockup_panic) the
         * code the NMI interrupted */
        if ((span_has(msg, "hard LOCKUP") || span_has(msg, "Hard LOCKUP")) &&
            (nmi_interrupted_func(t, &f) || rip_func(t, 0, &f, NULL)))
                t->guilty_only = f;
        else if (stack_func(t, 0, &f))
                t->guilty_only = f;
        if (span_starts(msg, "Fatal exception") || span_starts(msg, "panic_on_warn set") ||
            span_starts(msg, "hung_task: blocked tasks"))
                set_corrupted(t, "the panic follows a report that is not in the log");
}

/* Syzkaller-style normalisation: numbers that differ per run become NUM/ADDR so that equal bugs
 * get equal titles. Word-internal digits ("ip6_fragment", "ext4") stay. */
static void normalize_title(char *s) {
        char out[REPORT_MAX_TITLE + 1];
        size_t o = 0;
        for (size_t i = 0; s[i] && o < REPORT_MAX_TITLE;) {
                char c = s[i];
                bool word_before = i > 0 && (s[i - 1] == '_' || (s[i - 1] >= 'a' && s[i - 1] <= 'z') ||
                                             (s[i - 1] >= 'A' && s[i - 1] <= 'Z') || (s[i - 1] >= '0' && s[i - 1] <= '9'));
                if (c >= '0' && c <= '9' && !word_before) {
                        size_t j = i;
                        bool hex = s[j] == '0' && s[j + 1] == 'x';
                        if (hex)
                                j += 2;
                        size_t digits = 0;
                        while ((s[j] >= '0' && s[j] <= '9') || ((hex || true) && ((s[j] >= 'a' && s[j] <= 'f')))) {
                                j++;
                                digits++;
                        }
                        bool word_after = s[j] == '_' || (s[j] >= 'g' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z');
                        if (!word_after) {
                                bool all_dec = true;
                                for (size_t k = i; k < j; k++)
                                        if (!(s[k] >= '0' && s[k] <= '9'))
                                                all_dec = false;
                                const char *rep = all_dec ? "NUM" : (hex || digits >= 6 ? "ADDR" : NULL);
                                if (rep) {
                                        size_t rl = strlen(rep);
                                        if (o + rl > REPORT_MAX_TITLE)
                                                break;
                                        memcpy(out + o, rep, rl);
                                        o += rl;
                                        i = j;
                                        continue;
                                }
                        }
                }
                /* digits inside a word name things ("ip6_fragment", "nl802154"), but a run this long
                 * is a per-run number glued to one ("syzkaller-testdir264563108") */
                if (c >= '0' && c <= '9' && word_before) {
                        size_t j = i;
                        while (s[j] >= '0' && s[j] <= '9')
                                j++;
                        if (j - i >= 7 && o + 3 <= REPORT_MAX_TITLE) {
                                memcpy(out + o, "NUM", 3);
                                o += 3;
                                i = j;
                                continue;
                        }
                }
                /* a bare kernel address ("at addr ffff88004ec29b58") */
                if (!word_before && ((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'))) {
                        size_t j = i, digits = 0;
                        while ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f')) {
                                digits += s[j] >= '0' && s[j] <= '9';
                                j++;
                        }
                        bool word_after = s[j] == '_' || (s[j] >= 'g' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z');
                        if (j - i >= 8 && digits && !word_after && o + 4 <= REPORT_MAX_TITLE) {
                                memcpy(out + o, "ADDR", 4);
                                o += 4;
                                i = j;
                                continue;
                        }
                }
                /* "fasync_free_rcu+0x14/0x20": the offset differs per build */
                if (c == '+' && s[i + 1] == '0' && s[i + 2] == 'x' && o > 0) {
                        size_t j = i + 3;
                        while ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f'))
                                j++;
                        if (s[j] == '/' && s[j + 1] == '0' && s[j + 2] == 'x') {
                                j += 3;
                                while ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f'))
                                        j++;
                                i = j;
                                continue;
                        }
                }
                /* control bytes and runs of spaces */
                if ((unsigned char) c < 0x20 || c == 0x7f) {
                        i++;
                        continue;
                }
                if (c == ' ' && o > 0 && out[o - 1] == ' ') {
                        i++;
                        continue;
                }
                out[o++] = c;
                i++;
        }
        while (o > 0 && out[o - 1] == ' ')
                o--;
        out[o] = 0;
        memcpy(s, out, o + 1);
}

/* The Go runtime follows "fatal error: " and "panic: " with the goroutine dump ("goroutine 1
 * [running]:") or, for errors on the system stack, "runtime stack:" first: without it the line
 * is someone's prose. */
static bool go_traceback_follows(const struct tctx *t) {
        for (size_t i = 1; i < t->n && i < 8; i++) {
                struct span l = t->lines[i];
                if (span_starts(l, "runtime stack:"))
                        return true;
                if (!span_starts(l, "goroutine "))
                        continue;
                size_t k = 10, d = 0;
                while (k < l.len && l.ptr[k] >= '0' && l.ptr[k] <= '9') {
                        k++;
                        d++;
                }
                if (d && k + 1 < l.len && l.ptr[k] == ' ' && l.ptr[k + 1] == '[')
                        return true;
        }
        return false;
}

void title_compute(const struct span *lines, size_t n_lines, enum header_kind kind, size_t header_at,
                   struct title_result *res) {
        *res = (struct title_result) { .type = FSD_REPORT_UNKNOWN };
        if (n_lines == 0)
                return;
        struct tctx t = {
                .lines = lines,
                .n = n_lines,
                .header = span_trim(span_make(lines[0].ptr + header_at, lines[0].len - header_at)),
        };
        struct tbuf b = { .s = res->title, .cap = sizeof res->title };
        struct span f = {};
        switch (kind) {
        case HDR_BUG:
                title_bug(&t, &b, res);
                break;
        case HDR_WARNING:
                title_warning(&t, &b, res);
                break;
        case HDR_INFO:
                title_info(&t, &b, res);
                break;
        case HDR_UNABLE:
                res->type = FSD_REPORT_OOPS;
                if (span_has(t.header, "NULL pointer dereference"))
                        tputs(&b, "BUG: unable to handle kernel NULL pointer dereference");
                else
                        tputs(&b, "BUG: unable to handle kernel paging request");
                tfunc(&t, &b, rip_then_stack(&t, &f), f);
                break;
        case HDR_GPF:
                res->type = FSD_REPORT_GPF;
                tputs(&b, "general protection fault");
                tfunc(&t, &b, rip_then_stack(&t, &f), f);
                break;
        case HDR_STACK_SEGMENT:
                res->type = FSD_REPORT_GPF;
                tputs(&b, "stack segment fault");
                tfunc(&t, &b, rip_then_stack(&t, &f), f);
                break;
        case HDR_PANIC:
                title_panic(&t, &b, res);
                break;
        case HDR_DOUBLE_FAULT:
                res->type = FSD_REPORT_OOPS;
                tputs(&b, "PANIC: double fault");
                tfunc(&t, &b, rip_func(&t, 0, &f, NULL), f);
                break;
        case HDR_KERNEL_BUG:
                res->type = FSD_REPORT_BUG;
                if (span_starts(t.header, "kernel BUG at mm/usercopy.c")) {
                        static const char *const sk[] = { "usercopy", "__check", NULL };
                        t.skip = sk;
                        tputs(&b, "BUG: bad usercopy");
                        tfunc(&t, &b, stack_func(&t, 0, &f), f);
                } else if (span_starts(t.header, "kernel BUG at lib/list_debug.c")) {
                        tputs(&b, "BUG: corrupted list");
                        tfunc(&t, &b, rip_then_stack(&t, &f), f);
                } else {
                        tputs(&b, "kernel BUG");
                        tfunc(&t, &b, rip_then_stack(&t, &f), f);
                }
                break;
        case HDR_DIVIDE:
                res->type = FSD_REPORT_OOPS;
                tputs(&b, "divide error");
                tfunc(&t, &b, rip_func(&t, 0, &f, NULL), f);
                break;
        case HDR_INVALID_OP:
                res->type = FSD_REPORT_OOPS;
                tputs(&b, "invalid opcode");
                tfunc(&t, &b, rip_func(&t, 0, &f, NULL), f);
                break;
        case HDR_UBSAN: {
                res->type = FSD_REPORT_KASAN;
                static const char *const sk[] = { "ubsan", "overflow", NULL };
                t.skip = sk;
                struct span what = after(t.header, "UBSAN:", " in ");
                tputs(&b, "UBSAN: ");
                if (span_starts(what, "Undefined behaviour"))
                        tputs(&b, "undefined-behaviour");
                else
                        tput(&b, what.ptr, what.len);
                tfunc(&t, &b, stack_func(&t, 0, &f), f);
                break;
        }
        case HDR_UNHANDLED:
                res->type = FSD_REPORT_OOPS;
                tputs(&b, "Unhandled fault");
                tfunc(&t, &b, rip_then_stack(&t, &f), f);
                break;
        case HDR_INTERNAL:
                res->type = FSD_REPORT_OOPS;
                if (span_has(t.header, "Oops - BUG"))
                        tputs(&b, "kernel BUG");
                else
                        tputs(&b, "Internal error");
                tfunc(&t, &b, rip_then_stack(&t, &f), f);
                break;
        case HDR_NETDEV:
                res->type = FSD_REPORT_HANG;
                tputs(&b, "unregister_netdevice: waiting for DEV to become free");
                t.no_stack = true;
                break;
        case HDR_VFS:
                res->type = FSD_REPORT_BUG;
                if (span_has(t.header, "Busy inodes"))
                        tputs(&b, "VFS: Busy inodes after unmount (use-after-free)");
                else
                        tputs(&b, "VFS: Close: file count is zero (use-after-free)");
                t.no_stack = true;
                break;
        case HDR_OOPS:
                /* die()'s line with nothing of the fault before it */
                res->type = FSD_REPORT_OOPS;
                tputs(&b, "Oops");
                tfunc(&t, &b, rip_then_stack(&t, &f), f);
                break;
        case HDR_BADNESS:
                res->type = FSD_REPORT_WARNING;
                tputs(&b, "WARNING");
                tfunc(&t, &b, rip_then_stack(&t, &f), f);
                break;
        case HDR_IRQ_NOBODY: {
                /* the trace is the interrupt path; the handlers that all said IRQ_NONE are listed
                 * after "handlers:" as "[<addr>] func" (2.6.x: "[<addr>] (func+0x0/0x40)") */
                res->type = FSD_REPORT_OTHER;
                tputs(&b, "irq: nobody cared");
                size_t k = find_line(&t, 1, "handlers:");
                bool ok = false;
                if (k + 1 < t.n) {
                        struct span l = span_ltrim(t.lines[k + 1]);
                        const char *p = l.ptr, *e = l.ptr + l.len;
                        const char *close = memchr(p, ']', (size_t) (e - p));
                        if (close) {
                                p = close + 1;
                                while (p < e && (*p == ' ' || *p == '('))
                                        p++;
                                const char *q = p;
                                while (q < e && (*q == '_' || *q == '.' || (*q >= 'a' && *q <= 'z') ||
                                                 (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
                                        q++;
                                f = frame_canonical(span_make(p, (size_t) (q - p)), NULL);
                                ok = f.len > 0;
                                if (ok)
                                        t.why = "the first interrupt handler of the line, which did not claim "
                                                "the interrupt (the \"handlers:\" list)";
                        }
                }
                tfunc(&t, &b, ok, f);
                break;
        }
        case HDR_SYSCTL: {
                /* dump_stack() from the table checker: the caller that registered the table */
                res->type = FSD_REPORT_BUG;
                static const char *const sk[] = { "^set_fail", "^sysctl_check", "^register_sysctl", "^register_sysctl",
                                                  "^__register_sysctl", NULL };
                t.skip = sk;
                /* since 3.x the checker prints one line and the registration fails: a report
                 * only where dump_stack() follows (2.6.x) */
                if (!has_stack(&t)) {
                        res->not_a_report = true;
                        break;
                }
                tputs(&b, "sysctl table check failed");
                tfunc(&t, &b, stack_func(&t, 0, &f), f);
                break;
        }
        case HDR_ALLOC_FAIL: {
                /* warn_alloc() then dump_stack(): the allocation path is machinery, the first
                 * caller outside it asked for the memory */
                res->type = FSD_REPORT_WARNING;
                static const char *const sk[] = { "^warn_alloc", "^alloc_pages", "^alloc_page", "^get_free_pages",
                                                  "^kmalloc", "^vmalloc", "^page_alloc", "^alloc_slab",
                                                  "^new_slab", "^allocate_slab", "^cache_grow", NULL };
                t.skip = sk;
                tputs(&b, "page allocation failure");
                tfunc(&t, &b, stack_func(&t, 0, &f), f);
                break;
        }
        case HDR_HARD_LOCKUP:
                res->type = FSD_REPORT_STALL;
                tputs(&b, "BUG: hard lockup");
                tfunc(&t, &b, rip_then_stack(&t, &f), f);
                break;
        case HDR_TRUSTY: {
                res->type = FSD_REPORT_PANIC;
                t.no_stack = true;
                /* LK's assert: panic("ASSERT FAILED at (%s:%d): %s\n", file, line, expression) */
                long k = span_find(t.header, " ASSERT FAILED");
                if (k >= 0) {
                        struct span rest = span_make(t.header.ptr + k, t.header.len - (size_t) k);
                        long close = span_find(rest, "): ");
                        struct span expr = close >= 0 ? span_trim(span_make(rest.ptr + close + 3, rest.len - (size_t) close - 3))
                                                      : span_make(NULL, 0);
                        tputs(&b, "trusty: ASSERT FAILED: ");
                        tput(&b, expr.ptr, expr.len);
                        if (!expr.len)
                                set_corrupted(&t, "the failed assertion is not on the panic line");
                        break;
                }
                struct span msg = after(t.header, "): ", NULL);
                tputs(&b, "trusty: panic: ");
                tput(&b, msg.ptr, msg.len);
                break;
        }
        case HDR_REBOOT:
                res->type = FSD_REPORT_OTHER;
                tputs(&b, "unexpected kernel reboot");
                t.no_stack = true;
                break;
        case HDR_HARNESS:
                /* the marker and its message are the whole report: "SYZFAIL: SIGBUS" */
                res->type = FSD_REPORT_HARNESS;
                tput(&b, t.header.ptr, t.header.len);
                t.no_stack = true;
                break;
        case HDR_GO_RUNTIME:
                res->type = FSD_REPORT_HARNESS;
                t.no_stack = true;
                if (!go_traceback_follows(&t)) {
                        res->not_a_report = true;
                        break;
                }
                if (span_starts(t.header, "fatal error:"))
                        tputs(&b, "go runtime error");
                else
                        tput(&b, t.header.ptr, t.header.len);
                break;
        case HDR_SLAB: {
                res->type = FSD_REPORT_BUG;
                if (span_has(t.header, "Object already free"))
                        tputs(&b, "BUG: Object already free");
                else
                        tputs(&b, "BUG: slab corruption");
                t.no_stack = true;
                /* the title names no function; the stack of the check that found the damage
                 * does: the allocator's debug checks (print_trailer, check_bytes_and_report,
                 * check_object, alloc/free_debug_processing) and its entry points are passed */
                static const char *const sk[] = { "^print_trailer", "^check_bytes", "^check_object", "^check_slab",
                                                  "^alloc_debug_processing", "^free_debug_processing",
                                                  "^free_to_partial_list", "^slab_", "^__slab", "^___slab",
                                                  "^kfree", "^kmem_cache", "^kmalloc", NULL };
                t.skip = sk;
                if (stack_func(&t, 0, &f))
                        t.guilty_only = f;
                break;
        }
        default:
                tputs(&b, "kernel report");
                t.no_stack = true;
                res->type = FSD_REPORT_OTHER;
                break;
        }
        /* a header glued behind another message's unfinished line */
        if (header_at > 0 && embedded_stamp_end(span_make(lines[0].ptr, header_at)) > 0)
                set_corrupted(&t, "the header line is merged with another message");
        /* a title that swallowed a console timestamp was merged with another line */
        if (strstr(res->title, "] ") && strchr(res->title, '['))
                set_corrupted(&t, "the title line is merged with another message");
        if (t.fault_injection)
                set_corrupted(&t, "a fault-injection stack is mixed into the report");
        if (!t.guilty.len && t.guilty_only.len) {
                bool add_sys;
                struct span c = strip_syscall_prefix(frame_canonical(t.guilty_only, NULL), &add_sys);
                if (!add_sys && c.len < sizeof res->guilty)
                        t.guilty = c;
        }
        if (t.guilty.len && t.guilty.len < sizeof res->guilty) {
                memcpy(res->guilty, t.guilty.ptr, t.guilty.len);
                res->guilty[t.guilty.len] = 0;
                res->has_guilty = true;
                res->guilty_why = t.why;
                res->guilty_skipped_unreliable = t.skipped_unreliable;
        }
        res->free_form = t.free_form;
        normalize_title(res->title);
        /* a report that needs a call trace but has none, or whose trace has no frame, was cut */
        if (!t.no_stack && !t.corrupted) {
                if (!has_stack(&t))
                        set_corrupted(&t, "no stack trace in report");
                else
                        for (size_t i = 0; i < t.n; i++) {
                                if (!is_stack_start(t.lines[i]))
                                        continue;
                                bool frame = false;
                                for (size_t k = i + 1; k < t.n && k <= i + 15 && !frame; k++) {
                                        struct frame_view fv;
                                        if (is_stack_start(t.lines[k]))
                                                break;
                                        frame = frame_parse(t.lines[k], &fv) || span_has(t.lines[k], "(stack is not available)");
                                }
                                if (!frame) {
                                        set_corrupted(&t, "a call trace has no frames");
                                        break;
                                }
                        }
        }
        res->corrupted = t.corrupted;
        res->corrupted_reason = t.reason;
}
