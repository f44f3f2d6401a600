/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Titles in the style kernel developers use (syzkaller's conventions: "WARNING in f",
 * "KASAN: use-after-free Read in f", "INFO: task hung in f"): which report it is, what to call it,
 * whether it was cut short. The function a title names is chosen in guilty.c. Runs once per
 * complete report, never per log line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "guilty.h"

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
                        ok = guilty_stack_at(t, 1, &f);
                else {
                        ok = guilty_in_header(t, " in ", &f) && !guilty_skipped(t, f) && trace_has_stack(t);
                        if (!ok)
                                ok = guilty_stack(t, 0, &f);
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
                ok = guilty_stack(t, 0, &f);
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
                tfunc(t, b, guilty_rip_then_stack(t, &f), f);
                return;
        }
        if (span_starts(rest, "unable to handle kernel NULL pointer dereference") ||
            span_starts(rest, "kernel NULL pointer dereference") ||
            span_starts(rest, "Kernel NULL pointer dereference")) {
                res->type = FSD_REPORT_OOPS;
                tputs(b, "BUG: unable to handle kernel NULL pointer dereference");
                tfunc(t, b, guilty_rip_then_stack(t, &f), f);
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
                tfunc(t, b, guilty_stack(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "NMI Watchdog detected LOCKUP")) {
                /* 2.6.x x86 die_nmi(): the registers that follow are the interrupted code's */
                res->type = FSD_REPORT_STALL;
                tputs(b, "BUG: hard lockup");
                tfunc(t, b, guilty_rip_then_stack(t, &f), f);
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
                bool have_rip = guilty_rip(t, 0, &rip, &pos);
                ok = guilty_stall(t, pos < t->n ? pos : 0, have_rip ? &rip : NULL, &f);
                tfunc(t, b, ok, f);
                return;
        }
        if (span_has(rest, "still has locks held!")) {
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "BUG: still has locks held");
                tfunc(t, b, guilty_lockdep(t, NULL, &f), f);
                return;
        }
        if (span_starts(rest, "lock held when returning to user space")) {
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "BUG: lock held when returning to user space");
                t->no_stack = true;
                tfunc(t, b, guilty_lockdep(t, "leaving the kernel with locks still held", &f), f);
                return;
        }
        if (span_starts(rest, "Invalid wait context")) {
                /* lockdep's print_lock_invalid_wait_context(), banner "[ BUG: Invalid wait context ]":
                 * a lock taken in a context that may not sleep that long; named after the caller
                 * of the locking primitive */
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "WARNING: locking bug");
                tfunc(t, b, guilty_stack(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "bad unlock balance detected")) {
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "BUG: bad unlock balance");
                tfunc(t, b, guilty_lockdep(t, "is trying to release lock", &f), f);
                return;
        }
        if (span_starts(rest, "held lock freed")) {
                res->type = FSD_REPORT_LOCKDEP;
                tputs(b, "BUG: held lock freed");
                tfunc(t, b, guilty_lockdep(t, NULL, &f), f);
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
                tfunc(t, b, guilty_stack(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "sleeping function called from invalid context")) {
                tputs(b, "BUG: sleeping function called from invalid context");
                tfunc(t, b, guilty_stack(t, 0, &f), f);
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
                tfunc(t, b, guilty_stack(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "scheduling while atomic")) {
                static const char *const sk[] = { "schedule", NULL };
                t->skip = sk;
                tputs(b, "BUG: scheduling while atomic");
                tfunc(t, b, guilty_stack(t, 0, &f), f);
                return;
        }
        if (span_has(rest, "stack guard page was hit")) {
                tputs(b, "BUG: stack guard page was hit");
                t->no_stack = true;
                /* the overflow hits wherever the stack ran out (often the report's own stack
                 * walker): like a stall, the operation that recursed is named by the frame above
                 * its dispatcher (syzkaller's rule); the RIP when no dispatcher is in the trace */
                ok = guilty_stall(t, 0, NULL, &f);
                if (!ok)
                        ok = guilty_rip(t, 0, &f, NULL);
                tfunc(t, b, ok, f);
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
                size_t k = trace_find_line(t, 0, "page last allocated");
                if (k < t->n) {
                        static const char *const sk[] = { "free_page", "put_page", "get_page", "update_page",
                                                          "release_page", "free_unref", "^folio", "truncate_inode_pages",
                                                          "page_frag_free", "alloc", "vmap", "page_owner", NULL };
                        t->skip = sk;
                        if (guilty_stack_at(t, k + 1, &f)) {
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
                tfunc(t, b, guilty_stack(t, 0, &f), f);
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
                size_t k = trace_find_line(t, 0, "last function: ");
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
                size_t k = trace_find_line(t, 0, "is trying to acquire lock");
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
                        for (size_t i = trace_find_line(t, 0, "is trying to acquire lock"); i < t->n && !ok; i++) {
                                long at = span_find(t->lines[i], "at: ");
                                struct frame_view fv;
                                if (at >= 0 && frame_parse(span_make(t->lines[i].ptr + at + 4, t->lines[i].len - (size_t) at - 4), &fv) &&
                                    fv.func.len) {
                                        f = fv.func;
                                        ok = true;
                                }
                        }
                } else
                        ok = guilty_lockdep_parts(t, "is trying to acquire lock", 2, &f);
                tfunc(t, b, ok, f);
        } else if (span_starts(rest, "possible irq lock inversion dependency detected")) {
                tputs(b, "possible deadlock");
                tfunc(t, b, guilty_lockdep(t, "just changed the state of lock", &f), f);
        } else if (span_has(rest, "-safe -> ") && span_has(rest, "-unsafe lock order detected")) {
                tputs(b, "possible deadlock");
                /* the deadlock needs the interrupt that takes the irq-safe lock: name the place
                 * that made it irq-safe (the trace under "which became X-irq-safe at:") */
                size_t k = trace_find_line(t, 0, "-irq-safe at:");
                bool ok = k < t->n && guilty_stack_at(t, k + 1, &f);
                if (!ok)
                        ok = guilty_lockdep(t, "is trying to acquire", &f);
                tfunc(t, b, ok, f);
        } else if (span_starts(rest, "possible recursive locking detected")) {
                tputs(b, "possible deadlock");
                tfunc(t, b, guilty_lockdep(t, "is trying to acquire lock", &f), f);
        } else if (span_starts(rest, "inconsistent lock state")) {
                tputs(b, "inconsistent lock state");
                tfunc(t, b, guilty_lockdep_parts(t, "takes", 1, &f), f);
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
                tfunc(t, b, guilty_stack(t, 0, &f), f);
        } else if (span_starts(rest, "bad unlock balance detected")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "bad unlock balance");
                tfunc(t, b, guilty_lockdep(t, "is trying to release lock", &f), f);
        } else if (span_starts(rest, "held lock freed")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "held lock freed");
                tfunc(t, b, guilty_lockdep(t, NULL, &f), f);
        } else if (span_starts(rest, "nested lock was not taken") || span_starts(rest, "Nested lock was not taken")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "nested lock was not taken");
                tfunc(t, b, guilty_lockdep(t, NULL, &f), f);
        } else if (span_has(rest, "still has locks held")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "still has locks held");
                tfunc(t, b, guilty_lockdep(t, NULL, &f), f);
        } else if (span_starts(rest, "lock held when returning to user space")) {
                tput(b, t->header.ptr, (size_t) (rest.ptr - t->header.ptr));
                tputs(b, "lock held when returning to user space");
                t->no_stack = true;
                tfunc(t, b, guilty_lockdep(t, "leaving the kernel with locks still held", &f), f);
        } else if (span_starts(rest, "trying to register non-static key")) {
                static const char *const sk[] = { "stack", "lock", "IRQ", NULL };
                t->skip = sk;
                tputs(b, "INFO: trying to register non-static key");
                tfunc(t, b, guilty_stack(t, 0, &f), f);
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
        if (span_eq(hf, "watchdog_overflow_callback") || trace_find_line(t, 1, "Watchdog detected hard LOCKUP") < t->n) {
                res->type = FSD_REPORT_STALL;
                tputs(b, "BUG: hard lockup");
                bool ok = guilty_nmi_interrupted(t, &f);
                if (!ok)
                        ok = guilty_rip_then_stack(t, &f);
                tfunc(t, b, ok, f);
                return;
        }
        tputs(b, prefix);
        /* the function that WARNed, unless it is generic machinery: then its caller */
        /* the WARNING line's own function is where WARN() sits, often a helper (kmalloc, refcount):
         * the title names the first real function of the RIP line or the trace instead */
        bool ok = guilty_rip(t, 0, &f, NULL);
        if (!ok)
                ok = guilty_stack(t, 0, &f);
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
                size_t pos = trace_irq_entry_line(t, 0);
                bool ok = false;
                if (pos < t->n) {
                        size_t rpos;
                        struct span rip = {};
                        bool have_rip = guilty_rip(t, pos, &rip, &rpos);
                        if (rpos < t->n)
                                ok = guilty_stall(t, rpos, have_rip ? &rip : NULL, &f);
                        if (!ok)
                                ok = guilty_stall(t, pos + 1, NULL, &f);
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
                tfunc(t, b, guilty_hang(t, 0, &f), f);
                return;
        }
        if (span_starts(rest, "task ") && span_has(rest, "can't die for more than")) {
                res->type = FSD_REPORT_HANG;
                static const char *const sk[] = { "schedule", NULL };
                t->skip = sk;
                tputs(b, "INFO: task can't die");
                tfunc(t, b, guilty_stack(t, 0, &f), f);
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
                tfunc(t, b, guilty_stack(t, 0, &f), f);
                return;
        }
        if (span_starts(msg, "corrupted stack end detected inside scheduler")) {
                static const char *const sk[] = { "schedule", "retint_kernel", NULL };
                t->skip = sk;
                tputs(b, "kernel panic: corrupted stack end");
                tfunc(t, b, guilty_stall(t, 0, NULL, &f), f);
                return;
        }
        static const char *const fixed[] = { "Fatal exception", "Attempted to kill init!", "panic_on_warn set",
                                             "hung_task: blocked tasks" };
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
                if (span_starts(msg, fixed[i])) {
                        tputs(b, "kernel panic: ");
                        tputs(b, fixed[i]);
                        t->no_stack = true;
                        /* the title is the panic's (syzkaller's convention), but the trace
                         * under it still names the code that died: the function that oopsed
                         * or WARNed (die()/report_bug() are machinery), init's exit path; not
                         * for the hung-task watchdog, whose own thread is all its trace shows */
                        if (i != 3 && guilty_stack(t, 0, &f))
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
            (guilty_nmi_interrupted(t, &f) || guilty_rip(t, 0, &f, NULL)))
                t->guilty_only = f;
        else if (guilty_stack(t, 0, &f))
                t->guilty_only = f;
        if (span_starts(msg, "Fatal exception") || span_starts(msg, "panic_on_warn set") ||
            span_starts(msg, "hung_task: blocked tasks"))
                set_corrupted(t, "the panic follows a report that is not in the log");
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
                tfunc(&t, &b, guilty_rip_then_stack(&t, &f), f);
                break;
        case HDR_GPF:
                res->type = FSD_REPORT_GPF;
                tputs(&b, "general protection fault");
                tfunc(&t, &b, guilty_rip_then_stack(&t, &f), f);
                break;
        case HDR_STACK_SEGMENT:
                res->type = FSD_REPORT_GPF;
                tputs(&b, "stack segment fault");
                tfunc(&t, &b, guilty_rip_then_stack(&t, &f), f);
                break;
        case HDR_PANIC:
                title_panic(&t, &b, res);
                break;
        case HDR_DOUBLE_FAULT:
                res->type = FSD_REPORT_OOPS;
                tputs(&b, "PANIC: double fault");
                tfunc(&t, &b, guilty_rip(&t, 0, &f, NULL), f);
                break;
        case HDR_KERNEL_BUG:
                res->type = FSD_REPORT_BUG;
                if (span_starts(t.header, "kernel BUG at mm/usercopy.c")) {
                        static const char *const sk[] = { "usercopy", "__check", NULL };
                        t.skip = sk;
                        tputs(&b, "BUG: bad usercopy");
                        tfunc(&t, &b, guilty_stack(&t, 0, &f), f);
                } else if (span_starts(t.header, "kernel BUG at lib/list_debug.c")) {
                        tputs(&b, "BUG: corrupted list");
                        tfunc(&t, &b, guilty_rip_then_stack(&t, &f), f);
                } else {
                        tputs(&b, "kernel BUG");
                        tfunc(&t, &b, guilty_rip_then_stack(&t, &f), f);
                }
                break;
        case HDR_DIVIDE:
                res->type = FSD_REPORT_OOPS;
                tputs(&b, "divide error");
                tfunc(&t, &b, guilty_rip(&t, 0, &f, NULL), f);
                break;
        case HDR_INVALID_OP:
                res->type = FSD_REPORT_OOPS;
                tputs(&b, "invalid opcode");
                tfunc(&t, &b, guilty_rip(&t, 0, &f, NULL), f);
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
                tfunc(&t, &b, guilty_stack(&t, 0, &f), f);
                break;
        }
        case HDR_UNHANDLED:
                res->type = FSD_REPORT_OOPS;
                tputs(&b, "Unhandled fault");
                tfunc(&t, &b, guilty_rip_then_stack(&t, &f), f);
                break;
        case HDR_INTERNAL:
                res->type = FSD_REPORT_OOPS;
                if (span_has(t.header, "Oops - BUG"))
                        tputs(&b, "kernel BUG");
                else
                        tputs(&b, "Internal error");
                tfunc(&t, &b, guilty_rip_then_stack(&t, &f), f);
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
                tfunc(&t, &b, guilty_rip_then_stack(&t, &f), f);
                break;
        case HDR_BADNESS:
                res->type = FSD_REPORT_WARNING;
                tputs(&b, "WARNING");
                tfunc(&t, &b, guilty_rip_then_stack(&t, &f), f);
                break;
        case HDR_IRQ_NOBODY: {
                /* the trace is the interrupt path; the handlers that all said IRQ_NONE are listed
                 * after "handlers:" as "[<addr>] func" (2.6.x: "[<addr>] (func+0x0/0x40)") */
                res->type = FSD_REPORT_OTHER;
                tputs(&b, "irq: nobody cared");
                size_t k = trace_find_line(&t, 1, "handlers:");
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
                if (!trace_has_stack(&t)) {
                        res->not_a_report = true;
                        break;
                }
                tputs(&b, "sysctl table check failed");
                tfunc(&t, &b, guilty_stack(&t, 0, &f), f);
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
                tfunc(&t, &b, guilty_stack(&t, 0, &f), f);
                break;
        }
        case HDR_HARD_LOCKUP: {
                /* the registers are the interrupted code's; where its RIP is a lock or other
                 * machinery, its trace follows the NMI handler's own frames */
                res->type = FSD_REPORT_STALL;
                tputs(&b, "BUG: hard lockup");
                bool ok = guilty_rip(&t, 0, &f, NULL) || guilty_nmi_interrupted(&t, &f) || guilty_stack(&t, 0, &f);
                tfunc(&t, &b, ok, f);
                break;
        }
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
                if (guilty_stack(&t, 0, &f))
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
        title_normalize(res->title);
        /* a report that needs a call trace but has none, or whose trace has no frame, was cut */
        if (!t.no_stack && !t.corrupted) {
                if (!trace_has_stack(&t))
                        set_corrupted(&t, "no stack trace in report");
                else
                        for (size_t i = 0; i < t.n; i++) {
                                if (!trace_is_stack_start(t.lines[i]))
                                        continue;
                                bool frame = false;
                                for (size_t k = i + 1; k < t.n && k <= i + 15 && !frame; k++) {
                                        struct frame_view fv;
                                        if (trace_is_stack_start(t.lines[k]))
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
