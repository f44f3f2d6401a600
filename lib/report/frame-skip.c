/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The skip list of guilty-frame selection: functions that are the machinery around a bug
 * (reporting, locking, allocation, string and list helpers), never its location. */
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
        /* x86's oops path between the fault and die(): it prints the oops */
        "oops_end", "oops_begin", "do_general_protection", "page_fault_oops", "kernelmode_fixup_or_oops",
        "__bad_area_nosemaphore", "no_context",
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
