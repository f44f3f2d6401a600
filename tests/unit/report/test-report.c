/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report parser on facts: the seed incident's kernel log, and small logs for each shape a
 * report takes (cut short, interleaved, old-style traces, no trace, panic, hung task, KASAN). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "fsdoctor.h"

/* The seed log (corpus/seed-kylin-4.19.90-btrfs-enospc.log), syslog and timestamp prefixes
 * removed as the reader does. */
static const char *const seed_lines[] = {
        "------------[ cut here ]------------",
        "WARNING: CPU: 42 PID: 460094 at fs/btrfs/extent-tree.c:6805 __btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]",
        "Modules linked in: rpcsec_gss_krb5 auth_rpcgss nfsv4 dns_resolver nfs lockd grace fscache fuse xt_nat veth nf_conntrack_netlink xt_conntrack br_netfilter bridge sch_htb xt_addrtype xt_set ipt_MASQUERADE xt_mark ip_set_hash_ipportnet ip_set_bitmap_port ip_set_hash_ipportip ip_set_hash_ipport dummy xt_comment iptable_nat nf_nat_ipv4 nf_nat iptable_filter nls_utf8 isofs bonding 8021q garp mrp stp llc ip_set nfnetlink ip_vs_sh ip_vs_wrr ip_vs_rr ip_vs nf_conntrack nf_defrag_ipv6 nf_defrag_ipv4 sunrpc amd64_edac_mod edac_mce_amd btrfs xor zstd_decompress zstd_compress raid6_pq libcrc32c kvm_amd ccp kvm irqbypass ipmi_ssif ast ttm drm_kms_helper syscopyarea sysfillrect igb sysimgblt i2c_algo_bit fb_sys_fops pcspkr txgbe sg dca drm i2c_piix4 k10temp ipmi_si ipmi_devintf ipmi_msghandler binfmt_misc",
        " ip_tables ext4 mbcache jbd2 sd_mod crc32c_intel ahci libahci megaraid_sas libata dm_mirror dm_region_hash dm_log dm_mod",
        "CPU: 42 PID: 460094 Comm: httpWorkerThrea Kdump: loaded Tainted: G        W         4.19.90-17.ky10.x86_64 #1",
        "Hardware name: Sugon H620-G30/65N32-US, BIOS 0SSSX245 06/07/2020",
        "RIP: 0010:__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]",
        "Code: 44 89 e9 ba c8 1a 00 00 48 c7 c6 a0 aa 06 c1 e8 fc ba 09 00 e9 fe fa ff ff 0f 0b 44 89 ee 48 c7 c7 68 7c 07 c1 e8 14 e9 2d e5 <0f> 0b e9 ce fa ff ff 41 83 f8 29 0f 86 d6 01 00 00 48 8b 7c 24 08",
        "RSP: 0018:ffffae7f9f6e78c8 EFLAGS: 00010286",
        "RAX: 0000000000000000 RBX: 000000000000a0c9 RCX: 0000000000000006",
        "RDX: 0000000000000007 RSI: 0000000000000092 RDI: ffff90a4ffa96850",
        "RBP: 00000470931db000 R08: 000000000210773e R09: 0000000000000004",
        "R10: 00000000ffffffe4 R11: 0000000000000001 R12: ffff909b302e2a80",
        "R13: 00000000ffffffe4 R14: 0000000000000000 R15: 000000000003fc62",
        "FS:  00007f4aedae2700(0000) GS:ffff90a4ffa80000(0000) knlGS:0000000000000000",
        "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033",
        "CR2: 00007efce4073ff0 CR3: 0000006413d3c000 CR4: 00000000003406e0",
        "Call Trace:",
        " __btrfs_run_delayed_refs+0x4f8/0x1150 [btrfs]",
        " btrfs_run_delayed_refs+0xe7/0x1b0 [btrfs]",
        " btrfs_truncate_inode_items+0xa56/0xeb0 [btrfs]",
        " btrfs_evict_inode+0x496/0x4f0 [btrfs]",
        " evict+0xd2/0x1a0",
        " __dentry_kill+0xdd/0x180",
        " dentry_kill+0x4d/0x260",
        " dput+0x183/0x200",
        " __fput+0x118/0x1f0",
        " task_work_run+0x8a/0xb0",
        " do_exit+0x2ec/0xbf0",
        " do_group_exit+0x3a/0xa0",
        " get_signal+0x13f/0x7a0",
        " do_signal+0x36/0x610",
        " exit_to_usermode_loop+0x71/0xe0",
        " do_syscall_64+0x1a3/0x1d0",
        " entry_SYSCALL_64_after_hwframe+0x44/0xa9",
        "RIP: 0033:0x7f4b12fae10c",
        "Code: Bad RIP value.",
        "RSP: 002b:00007f4aedae1550 EFLAGS: 00000246 ORIG_RAX: 00000000000000ca",
        "RAX: fffffffffffffe00 RBX: 00007f4b0d1914e0 RCX: 00007f4b12fae10c",
        "RDX: 0000000000000000 RSI: 0000000000000080 RDI: 00007f4b0d19150c",
        "RBP: 0000000000000000 R08: 0000000000000000 R09: 0000000794039ff8",
        "R10: 0000000000000000 R11: 0000000000000246 R12: 00007f4b0d1914b8",
        "R13: 0000000000008223 R14: 0000000000000000 R15: 00007f4b0d19150c",
        "---[ end trace 74a7f2461a0f9473 ]---",
        "BTRFS: error (device dm-9) in __btrfs_free_extent:6805: errno=-28 No space left",
        "BTRFS info (device dm-9): forced readonly",
        "BTRFS: error (device dm-9) in btrfs_run_delayed_refs:2935: errno=-28 No space left",
};

#define MAX_KEPT 16

struct collected {
        struct fsd_report *reports[MAX_KEPT];
        size_t n;
};

static int keep_report(const struct fsd_report *r, void *userdata) {
        struct collected *c = userdata;
        if (c->n >= MAX_KEPT)
                return -ENOSPC;
        assert_int_equal(fsd_report_dup(r, &c->reports[c->n]), 0);
        c->n++;
        return 0;
}

static void collected_free(struct collected *c) {
        for (size_t i = 0; i < c->n; i++)
                c->reports[i] = fsd_report_free(c->reports[i]);
        c->n = 0;
}

/* Feed lines; a line may start with "@host:boot@" to carry a host and boot (as a central syslog
 * does), then "T12|" or "C3|" to carry a printk caller id. */
static void feed_lines(const char *const *lines, size_t n, struct collected *c) {
        struct fsd_report_parser *p = NULL;
        assert_int_equal(fsd_report_parser_new(&p), 0);
        for (size_t i = 0; i < n; i++) {
                const char *text = lines[i];
                struct fsd_record rec = {
                        .origin = "test.log", .line = i + 1, .mono_usec = -1, .wall_usec = -1, .priority = -1,
                };
                char host[64];
                if (text[0] == '@') {
                        const char *colon = strchr(text, ':'), *at = strchr(text + 1, '@');
                        assert_non_null(colon);
                        assert_non_null(at);
                        snprintf(host, sizeof host, "%.*s", (int) (colon - text - 1), text + 1);
                        rec.host = host;
                        rec.boot = (uint32_t) strtoul(colon + 1, NULL, 10);
                        text = at + 1;
                }
                if ((text[0] == 'T' || text[0] == 'C') && strchr(text, '|')) {
                        rec.caller_kind = text[0];
                        rec.caller_id = (uint32_t) strtoul(text + 1, NULL, 10);
                        text = strchr(text, '|') + 1;
                }
                rec.text = text;
                rec.len = strlen(text);
                assert_int_equal(fsd_report_parser_feed(p, &rec, keep_report, c), 0);
        }
        assert_int_equal(fsd_report_parser_finish(p, keep_report, c), 0);
        assert_null(fsd_report_parser_free(p));
}

static void test_seed_warning(void **state) {
        struct collected c = {};
        feed_lines(seed_lines, sizeof seed_lines / sizeof seed_lines[0], &c);
        assert_int_equal(c.n, 1);
        const struct fsd_report *r = c.reports[0];
        assert_int_equal(r->type, FSD_REPORT_WARNING);
        assert_string_equal(fsd_report_type_name(r->type), "warning");
        assert_string_equal(r->title, "WARNING in __btrfs_free_extent");
        assert_string_equal(r->guilty, "__btrfs_free_extent");
        assert_string_equal(r->src_file, "fs/btrfs/extent-tree.c");
        assert_int_equal(r->src_line, 6805);
        assert_int_equal(r->cpu, 42);
        assert_int_equal(r->pid, 460094);
        assert_string_equal(r->comm, "httpWorkerThrea");
        assert_string_equal(r->taint, "G        W");
        assert_string_equal(r->kernel, "4.19.90-17.ky10.x86_64");
        assert_string_equal(r->hardware, "Sugon H620-G30/65N32-US, BIOS 0SSSX245 06/07/2020");
        assert_string_equal(r->rip, "__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]");
        assert_string_equal(r->rip_user, "0x7f4b12fae10c");
        assert_non_null(strstr(r->modules, "rpcsec_gss_krb5 auth_rpcgss"));
        assert_non_null(strstr(r->modules, "binfmt_misc ip_tables ext4"));
        assert_non_null(strstr(r->modules, "dm_log dm_mod"));
        assert_non_null(strstr(r->registers, "RSP: 0018:ffffae7f9f6e78c8"));
        assert_null(strstr(r->registers, "RSP: 002b")); /* the user-space register set is not the kernel's */
        assert_true(strncmp(r->code, "44 89 e9", 8) == 0);
        assert_false(r->corrupted);
        assert_false(r->panicked);
        /* the Call Trace has 17 frames: __btrfs_run_delayed_refs .. entry_SYSCALL_64_after_hwframe */
        assert_int_equal(r->n_frames, 17);
        const struct fsd_frame *f = &r->frames[0];
        assert_string_equal(f->func, "__btrfs_run_delayed_refs");
        assert_null(f->suffix);
        assert_int_equal(f->offset, 0x4f8);
        assert_int_equal(f->size, 0x1150);
        assert_string_equal(f->module, "btrfs");
        assert_false(f->unreliable);
        assert_string_equal(f->trace_name, "Call Trace");
        assert_string_equal(r->frames[4].func, "evict");
        assert_null(r->frames[4].module);
        assert_string_equal(r->frames[16].func, "entry_SYSCALL_64_after_hwframe");
        /* from "[ cut here ]" to "---[ end trace" */
        size_t end = 0;
        for (size_t i = 0; i < sizeof seed_lines / sizeof seed_lines[0]; i++)
                if (strstr(seed_lines[i], "---[ end trace"))
                        end = i + 1;
        assert_int_equal(r->first_line, 1);
        assert_int_equal(r->last_line, end);
        collected_free(&c);
}

static void test_seed_suffix_and_json(void **state) {
        static const char *const lines[] = {
                "WARNING: CPU: 3 PID: 77 at fs/btrfs/extent-tree.c:6805 __btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]",
                "CPU: 3 UID: 0 PID: 77 Comm: kworker/u8:2 Not tainted 6.18.0 #1",
                "RIP: 0010:__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]",
                "Call Trace:",
                " <TASK>",
                " ? __warn+0x7d/0x140",
                " run_delayed_data_ref.constprop.0.cold+0x12/0x40 [btrfs]",
                " btrfs_run_delayed_refs+0xe7/0x1b0 [btrfs]",
                " </TASK>",
                "---[ end trace 0000000000000000 ]---",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        assert_int_equal(c.n, 1);
        const struct fsd_report *r = c.reports[0];
        assert_string_equal(r->title, "WARNING in __btrfs_free_extent");
        assert_int_equal(r->uid, 0);
        assert_null(r->taint);
        assert_string_equal(r->kernel, "6.18.0");
        assert_string_equal(r->comm, "kworker/u8:2");
        assert_int_equal(r->n_frames, 3);
        assert_true(r->frames[0].unreliable);
        assert_string_equal(r->frames[0].func, "__warn");
        assert_string_equal(r->frames[1].func, "run_delayed_data_ref");
        assert_string_equal(r->frames[1].suffix, ".constprop.0.cold");
        assert_string_equal(r->frames[1].stack, "TASK");
        char *json = NULL;
        assert_int_equal(fsd_report_to_json(r, &json), 0);
        assert_non_null(strstr(json, "{\"type\":\"report\",\"version\":1,"));
        assert_non_null(strstr(json, "\"title\":\"WARNING in __btrfs_free_extent\""));
        assert_non_null(strstr(json, "\"suffix\":\".constprop.0.cold\""));
        assert_non_null(strstr(json, "\"unreliable\":true"));
        free(json);
        collected_free(&c);
}

static void test_cut_short(void **state) {
        static const char *const lines[] = {
                "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008",
                "IP: btrfs_evict_inode+0x20/0x4f0 [btrfs]",
                "PGD 0 P4D 0",
                "Oops: 0000 [#1] SMP NOPTI",
                "CPU: 2 PID: 10 Comm: kswapd0 Tainted: G      D    O      4.19.0 #1",
                "Call Trace:",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        assert_int_equal(c.n, 1);
        const struct fsd_report *r = c.reports[0];
        assert_int_equal(r->type, FSD_REPORT_OOPS);
        assert_string_equal(r->title, "BUG: unable to handle kernel NULL pointer dereference in btrfs_evict_inode");
        assert_true(r->corrupted);
        assert_non_null(r->corrupted_reason);
        assert_string_equal(r->taint, "G      D    O");
        collected_free(&c);
}

static void test_interleaved_cpus(void **state) {
        static const char *const lines[] = {
                "T100|WARNING: CPU: 0 PID: 100 at fs/ext4/inode.c:10 ext4_foo+0x1/0x10",
                "T200|general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN",
                "T100|RIP: 0010:ext4_foo+0x1/0x10",
                "T200|CPU: 1 PID: 200 Comm: b Not tainted 6.1.0 #1",
                "T200|RIP: 0010:xfs_bar+0x10/0x20",
                "T100|Call Trace:",
                "T200|Call Trace:",
                "T100| ext4_caller+0x5/0x50",
                "T200| xfs_caller+0x5/0x50",
                "T100|---[ end trace 0000000000000000 ]---",
                "T200|---[ end trace 0000000000000001 ]---",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        assert_int_equal(c.n, 2);
        assert_string_equal(c.reports[0]->title, "WARNING in ext4_foo");
        assert_int_equal(c.reports[0]->n_frames, 1);
        assert_string_equal(c.reports[0]->frames[0].func, "ext4_caller");
        assert_string_equal(c.reports[1]->title, "general protection fault in xfs_bar");
        assert_int_equal(c.reports[1]->n_frames, 1);
        assert_string_equal(c.reports[1]->frames[0].func, "xfs_caller");
        assert_int_equal(c.reports[1]->caller_id, 200);
        collected_free(&c);
}

/* A central syslog: another host's lines (with another boot index and no trace) come between the
 * lines of one host's report; they neither cut it short nor join it. */
static void test_interleaved_hosts(void **state) {
        static const char *const lines[] = {
                "@web1:0@WARNING: CPU: 3 PID: 77 at fs/btrfs/extent-tree.c:6805 __btrfs_free_extent+0x65c/0xbd0 [btrfs]",
                "@db2:4@e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex",
                "@web1:0@RIP: 0010:__btrfs_free_extent+0x65c/0xbd0 [btrfs]",
                "@db2:4@usb 1-1: new high-speed USB device number 2 using xhci_hcd",
                "@web1:0@Call Trace:",
                "@db2:4@ some_unrelated_text_that_looks_like_a_frame+0x1/0x2",
                "@web1:0@ __btrfs_run_delayed_refs+0x4f8/0x1150 [btrfs]",
                "@web1:0@ btrfs_run_delayed_refs+0xe7/0x1b0 [btrfs]",
                "@web1:0@---[ end trace 74a7f2461a0f9473 ]---",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.reports[0]->title, "WARNING in __btrfs_free_extent");
        assert_false(c.reports[0]->corrupted);
        assert_string_equal(c.reports[0]->host, "web1");
        assert_int_equal(c.reports[0]->n_frames, 2);
        assert_string_equal(c.reports[0]->frames[0].func, "__btrfs_run_delayed_refs");
        assert_string_equal(c.reports[0]->frames[1].func, "btrfs_run_delayed_refs");
        collected_free(&c);
}

static void test_old_style_trace(void **state) {
        static const char *const lines[] = {
                "------------[ cut here ]------------",
                "WARNING: at fs/xfs/xfs_aops.c:1234 xfs_vm_releasepage+0xcb/0x100 [xfs]()",
                "Modules linked in: xfs libcrc32c",
                "Pid: 4321, comm: kswapd0 Tainted: G        W  --------------- T 2.6.32-504.el6.x86_64 #1",
                "Call Trace:",
                " [<ffffffff81074df7>] ? warn_slowpath_common+0x87/0xc0",
                " [<ffffffff81074e4a>] warn_slowpath_null+0x1a/0x20",
                " [<ffffffffa0271f4b>] xfs_vm_releasepage+0xcb/0x100 [xfs]",
                " [<ffffffff811225d0>] try_to_release_page+0x30/0x60",
                "---[ end trace 2c6cb2ad5a1e1e7b ]---",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        assert_int_equal(c.n, 1);
        const struct fsd_report *r = c.reports[0];
        assert_string_equal(r->title, "WARNING in xfs_vm_releasepage");
        assert_int_equal(r->pid, 4321);
        assert_string_equal(r->comm, "kswapd0");
        assert_int_equal(r->n_frames, 4);
        assert_true(r->frames[0].unreliable);
        assert_int_equal(r->frames[0].address, 0xffffffff81074df7ULL);
        assert_string_equal(r->frames[2].module, "xfs");
        assert_int_equal(r->frames[2].address, 0xffffffffa0271f4bULL);
        assert_false(r->frames[1].unreliable);
        collected_free(&c);
}

static void test_no_trace_and_mention(void **state) {
        static const char *const lines[] = {
                "EXT4-fs (sda1): WARNING: mount option \"nobh\" is deprecated",
                "Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on",
                "systemd[1]: a unit printed BUG: in its own text",
                "kernel BUG at fs/btrfs/ctree.c:1234!",
                "invalid opcode: 0000 [#1] SMP",
                "CPU: 0 PID: 1 Comm: init Not tainted 5.10.0 #1",
                "RIP: 0010:btrfs_search_slot+0x9/0x100 [btrfs]",
                "Code: 00 00 <0f> 0b",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        /* only the kernel BUG: the mentions are not reports; invalid opcode continues it */
        assert_int_equal(c.n, 1);
        const struct fsd_report *r = c.reports[0];
        assert_int_equal(r->type, FSD_REPORT_BUG);
        assert_string_equal(r->title, "kernel BUG in btrfs_search_slot");
        assert_string_equal(r->src_file, "fs/btrfs/ctree.c");
        assert_int_equal(r->src_line, 1234);
        assert_true(r->corrupted); /* no call trace at all */
        collected_free(&c);
}

static void test_panic_and_hang(void **state) {
        static const char *const lines[] = {
                "INFO: task btrfs-transacti:612 blocked for more than 120 seconds.",
                "      Not tainted 5.15.0 #1",
                "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                "task:btrfs-transacti state:D stack:    0 pid:  612 ppid:     2 flags:0x00004000",
                "Call Trace:",
                " <TASK>",
                " __schedule+0x2cd/0x890",
                " schedule+0x4e/0xb0",
                " wait_for_commit+0x58/0x80 [btrfs]",
                " btrfs_commit_transaction+0x8f0/0xa80 [btrfs]",
                " transaction_kthread+0x13a/0x1a0 [btrfs]",
                " kthread+0x127/0x150",
                " </TASK>",
                "Kernel panic - not syncing: hung_task: blocked tasks",
                "CPU: 1 PID: 35 Comm: khungtaskd Not tainted 5.15.0 #1",
                "Call Trace:",
                " panic+0x10/0x2c0",
                "---[ end Kernel panic - not syncing: hung_task: blocked tasks ]---",
                "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)",
                "CPU: 0 PID: 1 Comm: swapper/0 Not tainted 5.15.0 #1",
                "Call Trace:",
                " dump_stack_lvl+0x34/0x44",
                " panic+0x102/0x2c0",
                " mount_block_root+0x1a0/0x220",
                "---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        assert_int_equal(c.n, 2);
        const struct fsd_report *h = c.reports[0];
        assert_int_equal(h->type, FSD_REPORT_HANG);
        assert_string_equal(h->title, "INFO: task hung in btrfs_commit_transaction");
        assert_true(h->panicked);
        assert_string_equal(h->panic, "hung_task: blocked tasks");
        assert_false(h->corrupted);
        const struct fsd_report *p = c.reports[1];
        assert_int_equal(p->type, FSD_REPORT_PANIC);
        assert_string_equal(p->title, "kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)");
        collected_free(&c);

        /* a panic whose oops was lost keeps its title; its trace still names what oopsed */
        static const char *const fatal[] = {
                "Kernel panic - not syncing: Fatal exception",
                "CPU: 1 PID: 4242 Comm: kworker/1:2 Tainted: G      D           6.1.0 #1",
                "Call Trace:",
                " <TASK>",
                " dump_stack_lvl+0x44/0x5c",
                " panic+0x118/0x2ed",
                " oops_end.cold+0x9/0x4b",
                " exc_general_protection+0x1a4/0x3e0",
                " asm_exc_general_protection+0x22/0x30",
                " btrfs_example_extent_op+0x14/0x90",
                " </TASK>",
                "---[ end Kernel panic - not syncing: Fatal exception ]---",
        };
        struct collected f = {};
        feed_lines(fatal, sizeof fatal / sizeof fatal[0], &f);
        assert_int_equal(f.n, 1);
        assert_string_equal(f.reports[0]->title, "kernel panic: Fatal exception");
        assert_true(f.reports[0]->corrupted);
        assert_non_null(f.reports[0]->guilty);
        assert_string_equal(f.reports[0]->guilty, "btrfs_example_extent_op");
        collected_free(&f);
}

static void test_kasan(void **state) {
        static const char *const lines[] = {
                "==================================================================",
                "BUG: KASAN: use-after-free in btrfs_put_block_group+0x2a/0x90",
                "Read of size 4 at addr ffff8880123 by task kworker/1:2/77",
                "",
                "CPU: 1 PID: 77 Comm: kworker/1:2 Not tainted 5.10.0 #1",
                "Call Trace:",
                " dump_stack+0x107/0x163",
                " print_address_description.constprop.0.cold+0x5b/0x2f8",
                " kasan_report.cold+0x7c/0xd8",
                " btrfs_put_block_group+0x2a/0x90",
                " btrfs_free_block_groups+0x3c0/0x800",
                "",
                "Allocated by task 1:",
                " kasan_save_stack+0x1b/0x40",
                " btrfs_create_block_group_cache+0x40/0x300",
                "",
                "Freed by task 2:",
                " kfree+0xd0/0x3b0",
                " btrfs_remove_block_group+0x5a0/0x900",
                "==================================================================",
                "BTRFS info (device loop0): unrelated",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        assert_int_equal(c.n, 1);
        const struct fsd_report *r = c.reports[0];
        assert_int_equal(r->type, FSD_REPORT_KASAN);
        assert_string_equal(r->title, "KASAN: use-after-free Read in btrfs_put_block_group");
        assert_false(r->corrupted);
        assert_int_equal(r->n_frames, 9);
        assert_int_equal(r->frames[5].trace, 1);
        assert_string_equal(r->frames[5].trace_name, "Allocated by task 1");
        assert_int_equal(r->frames[8].trace, 2);
        assert_int_equal(r->last_line, 19);
        collected_free(&c);
}

static void test_taint(void **state) {
        unsigned n = 0;
        assert_int_equal(fsd_taint_describe("G        W  O", NULL, NULL), 2);
        assert_int_equal(fsd_taint_describe("P      D", NULL, NULL), 2);
        assert_string_equal(fsd_taint_letter_name('W'), "a warning was issued earlier in this boot");
        assert_null(fsd_taint_letter_name('Z'));
        assert_int_equal(fsd_taint_describe(NULL, NULL, NULL), -EINVAL);
        (void) n;
}

/* One report from lines; returns its title in buf (and corrupted flag). */
static void title_of(const char *const *lines, size_t n, char *buf, size_t cap, bool *ret_corrupted) {
        struct collected c = {};
        feed_lines(lines, n, &c);
        assert_true(c.n >= 1);
        snprintf(buf, cap, "%s", c.reports[0]->title);
        if (ret_corrupted)
                *ret_corrupted = c.reports[0]->corrupted;
        collected_free(&c);
}

static void test_title_rules(void **state) {
        char t[256];
        bool corrupted;
        /* a WARNING cut after its header line: nothing names the function */
        static const char *const cut_warning[] = {
                "WARNING: CPU: 0 PID: 0 at net/sched/sch_generic.c:316 dev_watchdog+0x648/0x770",
        };
        title_of(cut_warning, 1, t, sizeof t, &corrupted);
        assert_string_equal(t, "WARNING in corrupted");
        assert_true(corrupted);
        /* the RIP names it, allocator helpers are skipped */
        static const char *const alloc_warning[] = {
                "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:4944 __alloc_pages_nodemask+0x8cc/0xfb0",
                "RIP: 0010:__alloc_pages_nodemask+0x8cc/0xfb0",
                "Call Trace:",
                " kmalloc_order+0x1a/0x60",
                " kmalloc_order_trace+0x1d/0x120",
                " squashfs_read_table+0x41/0x1a0",
                " squashfs_fill_super+0x5d0/0x1660",
        };
        title_of(alloc_warning, 7, t, sizeof t, &corrupted);
        assert_string_equal(t, "WARNING in squashfs_read_table");
        /* KFENCE: the access stack under the header, not the header's function */
        static const char *const kfence[] = {
                "BUG: KFENCE: use-after-free read in memcmp+0x57/0x150",
                "",
                "Use-after-free read at 0xffff88823bc8cf68 (in kfence-#69):",
                " memcmp+0x57/0x150",
                " find_uprobe+0x57/0x150",
                " uprobe_apply+0x26/0x130",
                "",
                "CPU: 0 PID: 1 Comm: x Not tainted 5.11.0 #1",
                "RIP: 0010:memcmp+0x57/0x150",
                "Call Trace:",
                " ? other+0x1/0x2",
        };
        title_of(kfence, 11, t, sizeof t, NULL);
        assert_string_equal(t, "KFENCE: use-after-free read in find_uprobe");
        /* rcu stall: the interrupted RIP, then the anchor above it */
        static const char *const stall[] = {
                "INFO: rcu_sched self-detected stall on CPU",
                "Call Trace:",
                " <IRQ>",
                " rcu_check_callbacks+0x2e4/0xe20",
                " apic_timer_interrupt+0x8e/0xa0",
                " </IRQ>",
                "RIP: 0010:lo_ioctl+0x15e4/0x1b50",
                "RSP: 0018:ffff88003fc07bb0 EFLAGS: 00000246",
                " lo_compat_ioctl+0xb3/0x140",
                " compat_blkdev_ioctl+0x39c/0x1950",
                " do_fast_syscall_32+0x3c1/0xbf1",
        };
        title_of(stall, 11, t, sizeof t, NULL);
        assert_string_equal(t, "INFO: rcu detected stall in lo_ioctl");
        /* no timer interrupt: the stalled CPU's stack is not in the report */
        static const char *const stall_nostack[] = {
                "INFO: rcu_preempt detected stalls on CPUs/tasks:",
                "Call Trace:",
                " schedule_timeout+0x1/0x2",
                " rcu_gp_kthread+0x1/0x2",
                " kthread+0x1/0x2",
        };
        title_of(stall_nostack, 5, t, sizeof t, &corrupted);
        assert_string_equal(t, "INFO: rcu detected stall in corrupted");
        assert_true(corrupted);
        /* lock-order reports name the place that made the lock irq-safe */
        static const char *const order[] = {
                "WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected",
                "syz/1 [HC0[0]:SC0[0]:HE0:SE1] is trying to acquire:",
                "ffff8880120b9168 (&new->fa_lock){.?.+}-{2:2}, at: kill_fasync+0x14b/0x460",
                "... which became HARDIRQ-irq-safe at:",
                "  lock_acquire+0x29d/0x740",
                "  _raw_spin_lock_irqsave+0x39/0x50",
                "  input_event+0x7b/0xb0",
                "stack backtrace:",
                "Call Trace:",
                " dump_stack+0x1/0x2",
        };
        title_of(order, 10, t, sizeof t, NULL);
        assert_string_equal(t, "possible deadlock in input_event");
        /* inconsistent lock state: the "takes" lock's place, else its registration trace */
        static const char *const incons[] = {
                "WARNING: inconsistent lock state",
                "ksoftirqd/1/19 [HC0[0]:SC1[3]:HE1:SE0] takes:",
                "ffffffff8c9dd960 (fs_reclaim){+.?.}-{0:0}, at: kmem_cache_alloc_node+0x46/0x340",
                "{SOFTIRQ-ON-W} state was registered at:",
                "  lock_acquire+0x19f/0x4d0",
                "  fs_reclaim_acquire+0x77/0x110",
                "stack backtrace:",
                "Call Trace:",
                " dump_stack+0x1/0x2",
        };
        title_of(incons, 9, t, sizeof t, NULL);
        assert_string_equal(t, "inconsistent lock state in fs_reclaim_acquire");
        /* KASAN cut before its access line; offsets and addresses normalised */
        static const char *const kasan_cut[] = {
                "BUG: KASAN: slab-out-of-bounds in ip6_fragment+0x1052/0x2d80 at addr ffff88004ec29b58",
        };
        title_of(kasan_cut, 1, t, sizeof t, &corrupted);
        assert_string_equal(t, "KASAN: slab-out-of-bounds in ip6_fragment at addr ADDR");
        assert_true(corrupted);
        /* old slab debugging */
        static const char *const freed[] = { "INFO: Freed in fasync_free_rcu+0x14/0x20 age=624 cpu=0 pid=3" };
        title_of(freed, 1, t, sizeof t, NULL);
        assert_string_equal(t, "INFO: Freed in fasync_free_rcu age=NUM cpu=NUM pid=NUM");
        /* lockdep's invalid wait context banner: a locking bug, named after the lock's taker */
        static const char *const wait_ctx[] = {
                "=============================",
                "[ BUG: Invalid wait context ]",
                "5.9.0 #15 Not tainted",
                "dhcpcd/4115 is trying to lock:",
                "ffff000041e68118 (&mm->mmap_lock){++++}-{3:3}, at: __might_fault+0x108/0x1b0",
                "stack backtrace:",
                "Call trace:",
                " dump_backtrace+0x0/0x4d0",
                " __lock_acquire+0x1a04/0x4930",
                " lock_acquire+0x278/0xb88",
                " __might_fault+0x138/0x1b0",
                " kernel_wait4+0x174/0x368",
        };
        title_of(wait_ctx, 12, t, sizeof t, &corrupted);
        assert_string_equal(t, "WARNING: locking bug in kernel_wait4");
        assert_false(corrupted);
        /* the Trusty TEE's assertion, relayed by the trusty-log driver */
        static const char *const trusty[] = {
                "trusty: panic (caller 0xffffffffe000fbb8): ASSERT FAILED at (trusty/kernel/lib/trusty/ipc.c:472): !list_in_list(&chan->node)",
                "trusty: HALT: (reason = 9)",
                "trusty crashed",
                "trusty: nop_work_func: call failed",
        };
        title_of(trusty, 4, t, sizeof t, &corrupted);
        assert_string_equal(t, "trusty: ASSERT FAILED: !list_in_list(&chan->node)");
        assert_false(corrupted);
        static const char *const trusty_split[] = {
                "trusty: panic (caller 0xffffffffe000fbb8): ASSERT FAILED at (trusty/kernel/lib/trusty/ipc.c:472): ",
                "trusty: !list_in_list(&chan->node)",
        };
        title_of(trusty_split, 2, t, sizeof t, &corrupted);
        assert_string_equal(t, "trusty: ASSERT FAILED:");
        assert_true(corrupted);
        /* arm64 WARN: the BRK exception path is machinery */
        static const char *const arm64_warn[] = {
                "WARNING: CPU: 0 PID: 4 at drivers/trusty/trusty.c:215 trusty_std_call32+0x220/0x240",
                "Call trace:",
                "[<ffff200008091958>] dump_backtrace+0x0/0x440",
                "[<ffff200008092174>] bug_handler.part.2+0x3c/0xf8",
                "[<ffff200008092278>] bug_handler+0x48/0x68",
                "[<ffff200008085c3c>] brk_handler+0x1e4/0x2e0",
                "[<ffff200008081a78>] do_debug_exception+0xd0/0x230",
                "[<ffff200008081b78>] trusty_std_call32+0x220/0x240",
        };
        title_of(arm64_warn, 8, t, sizeof t, NULL);
        assert_string_equal(t, "WARNING in trusty_std_call32");
        /* arm64 symbolized RIP lines are not frames ("pc : f x.h:1 [inline]"), page-cache and
         * wait helpers are machinery, a function merely ending in "write" is not an MMIO accessor */
        static const char *const arm64_null[] = {
                "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008",
                "pc : _compound_head include/linux/page-flags.h:253 [inline]",
                "pc : unlock_page+0x18/0xb8 mm/folio-compat.c:20",
                "lr : unlock_page+0x18/0xb8 mm/folio-compat.c:19",
                "Call trace:",
                " unlock_page+0x18/0xb8 mm/folio-compat.c:19",
                " ni_readpage_cmpr+0x328/0x7cc fs/ntfs3/frecord.c:2139",
                " ntfs_read_folio+0xd8/0x128 fs/ntfs3/inode.c:697",
        };
        title_of(arm64_null, 8, t, sizeof t, NULL);
        assert_string_equal(t, "BUG: unable to handle kernel NULL pointer dereference in ni_readpage_cmpr");
        static const char *const list_bug[] = {
                "kernel BUG at lib/list_debug.c:53!",
                "RIP: 0010:__list_del_entry_valid+0x1/0x2",
                "Call Trace:",
                " wait_for_completion_timeout+0x1/0x2",
                " ath9k_htc_wait_for_target+0x1/0x2",
        };
        title_of(list_bug, 5, t, sizeof t, NULL);
        assert_string_equal(t, "BUG: corrupted list in ath9k_htc_wait_for_target");
        static const char *const mmio[] = {
                "BUG: unable to handle kernel paging request at ffffffffa4493138",
                "RIP: 0010:writel+0x1/0x2",
                "Call Trace:",
                " snd_pcm_oss_write+0x1/0x2",
        };
        title_of(mmio, 4, t, sizeof t, NULL);
        assert_string_equal(t, "BUG: unable to handle kernel paging request in snd_pcm_oss_write");
        /* Bad page state with page_owner: the allocator of the page, past the allocator itself */
        static const char *const bad_page[] = {
                "BUG: Bad page state in process syz.3.584  pfn:7071f",
                "page last allocated via order 0, migratetype Unmovable, gfp_mask 0x102820(GFP_ATOMIC), pid 8978",
                " post_alloc_hook+0x1f3/0x230",
                " get_page_from_freelist+0x2e4c/0x2f10",
                " __folio_alloc+0x1/0x2",
                " page_pool_alloc_pages+0xcb/0x150",
                " bpf_test_run_xdp_live+0x939/0x2110",
                "page last free pid 8932 tgid 8930 stack trace:",
                " free_unref_page+0xd22/0xea0",
                "Call Trace:",
                " free_unref_page+0xd22/0xea0",
        };
        title_of(bad_page, 11, t, sizeof t, NULL);
        assert_string_equal(t, "BUG: Bad page state in bpf_test_run_xdp_live");
        /* __vmalloc_node_range() WARNs only on a zero size */
        static const char *const zero_vmalloc[] = {
                "WARNING: CPU: 1 PID: 15973 at mm/vmalloc.c:3108 __vmalloc_node_range+0x1036/0x1300 mm/vmalloc.c:3108",
                "RIP: 0010:__vmalloc_node_range+0x1036/0x1300 mm/vmalloc.c:3108",
                "Call Trace:",
                " __vmalloc_node mm/vmalloc.c:3227 [inline]",
                " vzalloc+0x6b/0x80 mm/vmalloc.c:3300",
                " bpf_check+0x4e1/0x19630 kernel/bpf/verifier.c:15392",
        };
        title_of(zero_vmalloc, 6, t, sizeof t, NULL);
        assert_string_equal(t, "WARNING: zero-size vmalloc in bpf_check");
        /* 6.19+ WARNING without a symbol for the site: the RIP line tells it is debugobjects */
        static const char *const odebug_new[] = {
                "WARNING: lib/debugobjects.c:615 at 0x0, CPU#1: kworker/1:3/17677",
                "RIP: 0010:debug_check_no_obj_freed+0x44a/0x550",
                "Call Trace:",
                " kfree+0x13b/0x660",
                " rose_timer_expiry+0x4cb/0x600",
                " call_timer_fn+0x16e/0x590",
                " run_timer_softirq+0xb7/0x180",
                " handle_softirqs+0x27d/0x850",
        };
        title_of(odebug_new, 8, t, sizeof t, NULL);
        assert_string_equal(t, "WARNING: ODEBUG bug in handle_softirqs");
        /* a deprecation notice is not a report */
        static const char *const notice[] = { "WARNING: the mand mount option is being deprecated and" };
        struct collected c = {};
        feed_lines(notice, 1, &c);
        assert_int_equal(c.n, 0);
        (void) state;
}

/* Stacks that other messages print (fault injection) end the text of a report without caller ids. */
static void test_info_stack_cuts(void **state) {
        static const char *const lines[] = {
                "WARNING: suspicious RCU usage",
                "4.15.0+ #222 Not tainted",
                "FAULT_INJECTION: forcing a failure.",
                "./include/linux/rcupdate.h:302 Illegal context switch in RCU read-side critical section!",
                "stack backtrace:",
                "Call Trace:",
                " dump_stack+0x194/0x257",
                " should_fail+0x8c0/0xa40",
        };
        char t[256];
        bool corrupted;
        title_of(lines, sizeof lines / sizeof lines[0], t, sizeof t, &corrupted);
        assert_string_equal(t, "WARNING: suspicious RCU usage");
        assert_true(corrupted);
        (void) state;
}

/* Headers behind noise: a Go log stamp from the harness that relays the console, and a message
 * glued behind another one's unfinished line (corrupted). A relay's own "kernel: [ts] " prefix
 * before a subsystem note is neither. */
/* Stalls, lockups and stack overflows name the operation: the frame above the dispatcher it was
 * entered from, on every architecture's syscall entry. */
static void test_stall_dispatchers(void **state) {
        char t[256];
        bool corrupted;
        static const char *const arm64_panic[] = {
                "Kernel panic - not syncing: corrupted stack end detected inside scheduler",
                "CPU: 185 PID: 11718 Comm: dbus-daemon Tainted: G        W         4.20.0-rc2+ #4",
                "Call trace:",
                " dump_backtrace+0x0/0x2c8",
                " panic+0x1b8/0x31c",
                " schedule+0x0/0x240",
                " kmem_cache_alloc+0x2e0/0x3f8",
                " sock_alloc+0x30/0x108",
                " __sys_socket+0xc8/0x178",
                " __arm64_sys_socket+0x4c/0x60",
                " el0_svc_handler+0xd4/0x198",
                " el0_svc+0x8/0xc",
        };
        title_of(arm64_panic, 12, t, sizeof t, &corrupted);
        assert_string_equal(t, "kernel panic: corrupted stack end in sys_socket");
        /* the overflow hit in the report's own stack walker, deep under the operation */
        const char *guard[400];
        size_t n = 0;
        guard[n++] = "BUG: TASK stack guard page was hit at ffffc9000e4aff58 (stack is ffffc9000e4b0000..ffffc9000e4b8000)";
        guard[n++] = "stack guard page: 0000 [#1] PREEMPT SMP KASAN";
        guard[n++] = "RIP: 0010:arch_stack_walk+0x57/0xe0";
        guard[n++] = "Call Trace:";
        while (n < 300)
                guard[n++] = " recursive_helper+0x10/0x20";
        guard[n++] = " rtnl_newlink+0x64/0xa0";
        guard[n++] = " rtnetlink_rcv_msg+0x44e/0xb70";
        guard[n++] = " netlink_rcv_skb+0x15/0x40";
        title_of(guard, n, t, sizeof t, &corrupted);
        assert_string_equal(t, "BUG: stack guard page was hit in rtnl_newlink");
        /* a hard lockup spinning on a lock: the NMI handler's own frames come first in the trace,
         * the interrupted code after "</NMI>" */
        static const char *const hard[] = {
                "NMI watchdog: Watchdog detected hard LOCKUP on cpu 1",
                "CPU: 1 PID: 4242 Comm: kworker/1:2 Not tainted 5.10.0 #1",
                "RIP: 0010:native_queued_spin_lock_slowpath+0x60/0x200",
                "Call Trace:",
                " <NMI>",
                " watchdog_overflow_callback.cold+0x1e/0x70",
                " __perf_event_overflow+0x52/0xf0",
                " perf_event_nmi_handler+0x28/0x50",
                " nmi_handle+0x5e/0x120",
                " default_do_nmi+0x40/0x100",
                " exc_nmi+0x13d/0x160",
                " </NMI>",
                " _raw_spin_lock+0x1a/0x20",
                " btrfs_example_extent_op+0x14/0x90",
        };
        title_of(hard, sizeof hard / sizeof hard[0], t, sizeof t, &corrupted);
        assert_string_equal(t, "BUG: hard lockup in btrfs_example_extent_op");
        (void) state;
}

static void test_header_prefixes(void **state) {
        char t[256];
        bool corrupted;
        static const char *const go_stamp[] = {
                "2018/01/09 14:28:48 BUG: memory leak",
                "unreferenced object 0xffff880039a55260 (size 64):",
                "  backtrace:",
                "    [<ffffffff848a2f5f>] sock_kmalloc+0x7f/0xc0 net/core/sock.c:1774",
                "    [<ffffffff84e5bea0>] do_ipv6_setsockopt.isra.7+0x15d0/0x2830 net/ipv6/ipv6_sockglue.c:483",
        };
        title_of(go_stamp, 5, t, sizeof t, &corrupted);
        assert_string_equal(t, "memory leak in do_ipv6_setsockopt");
        assert_false(corrupted);
        static const char *const glued[] = {
                "vmalloc: allocation failure: 34359738352 bytes[   76.471107] BUG: unable to handle kernel paging request at ffffffffa4493138",
                "IP: [<ffffffff824164eb>] foo_ioctl+0x129b/0x2280",
                "Call Trace:",
                " [<ffffffff81000000>] do_vfs_ioctl+0x1/0x2",
        };
        title_of(glued, 4, t, sizeof t, &corrupted);
        assert_string_equal(t, "BUG: unable to handle kernel paging request in foo_ioctl");
        assert_true(corrupted);
        /* glued with no stamp between: die()'s "[#N]" marks where the header starts */
        static const char *const glued_die[] = {
                "kasan: GPF could be caused by NULL-ptr deref or user memory accessgeneral protection fault: 0000 [#1] SMP",
                "RIP: 0010:[<ffffffff81d64236>]  [<ffffffff81d64236>] __list_del_entry+0x86/0x1d0",
                "Call Trace:",
                " [<ffffffff83a1b2c3>] xfrm_state_walk_done+0x93/0x180",
                " [<ffffffff83a2c4d5>] xfrm_dump_sa_done+0x45/0x60",
        };
        title_of(glued_die, 5, t, sizeof t, &corrupted);
        assert_string_equal(t, "general protection fault in xfrm_state_walk_done");
        /* an error code and counter alone are no header */
        static const char *const not_die[] = { "usb 1-1: reset: 0000 [#1] done" };
        struct collected nd = {};
        feed_lines(not_die, 1, &nd);
        assert_int_equal(nd.n, 0);
        static const char *const relay[] = {
                "Dec  4 15:56:12 host kern.info kernel: [   64.026827] capability: WARNING: uses v2 capabilities",
        };
        struct collected c = {};
        feed_lines(relay, 1, &c);
        assert_int_equal(c.n, 0);
        (void) state;
}

/* What else ends a console capture: the machine booting again unannounced, and the harness's
 * own failures, which are typed as such and never as kernel bugs. */
static void test_console_endings(void **state) {
        struct collected c = {};
        static const char *const syzfail[] = { "SYZFAIL: SIGBUS", "handler:0x123 pc:0x7f88 (errno 9)" };
        feed_lines(syzfail, 2, &c);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.reports[0]->title, "SYZFAIL: SIGBUS");
        assert_string_equal(fsd_report_type_name(c.reports[0]->type), "harness");
        collected_free(&c);
        static const char *const gostamp[] = {
                "2022/10/02 11:34:15 SYZFATAL: executor 4 failed 11 times: mkdir ./syzkaller-testdir264563108: read-only file system",
        };
        feed_lines(gostamp, 1, &c);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.reports[0]->title, "SYZFATAL: executor NUM failed NUM times: mkdir ./syzkaller-testdirNUM: read-only file system");
        collected_free(&c);
        /* the Go runtime's banner counts only with the goroutine dump after it */
        static const char *const go_fatal[] = { "fatal error: out of memory", "", "goroutine 1 [running]:", "runtime.throw()" };
        feed_lines(go_fatal, 4, &c);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.reports[0]->title, "go runtime error");
        collected_free(&c);
        static const char *const prose[] = { "fatal error: config file missing", "exiting" };
        feed_lines(prose, 2, &c);
        assert_int_equal(c.n, 0);
        static const char *const driver[] = { "snd_hda: fatal error: codec timeout", "goroutine 1 [running]:" };
        feed_lines(driver, 2, &c);
        assert_int_equal(c.n, 0);
        collected_free(&c);
        (void) state;
}

/* "Booting the kernel." after kernel output that never announced a restart is a reboot nobody
 * asked for; at the start of a capture or after "reboot: Restarting system" it is expected. */
static void test_unexpected_reboot(void **state) {
        static const struct {
                const char *before;
                size_t expected;
        } cases[] = {
                { NULL, 0 },
                { "EFER = 0x0000000000000d01", 1 },
                { "reboot: Restarting system", 0 },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                struct collected c = {};
                struct fsd_report_parser *p = NULL;
                assert_int_equal(fsd_report_parser_new(&p), 0);
                const char *lines[] = { cases[i].before, "SeaBIOS (version 1.8.2)", "Booting the kernel.",
                                        "Linux version 4.20.0" };
                for (size_t k = 0; k < 4; k++) {
                        if (!lines[k])
                                continue;
                        struct fsd_record rec = {
                                .origin = "console.log", .line = k + 1, .mono_usec = k == 0 ? 500000000 : -1,
                                .wall_usec = -1, .priority = -1, .text = lines[k], .len = strlen(lines[k]),
                        };
                        assert_int_equal(fsd_report_parser_feed(p, &rec, keep_report, &c), 0);
                }
                assert_int_equal(fsd_report_parser_finish(p, keep_report, &c), 0);
                assert_null(fsd_report_parser_free(p));
                assert_int_equal(c.n, cases[i].expected);
                if (c.n) {
                        assert_string_equal(c.reports[0]->title, "unexpected kernel reboot");
                        assert_false(c.reports[0]->corrupted);
                        assert_int_equal(c.reports[0]->first_line, 3);
                }
                collected_free(&c);
        }
        (void) state;
}

/* On a stamped console, unstamped lines between a report's lines are another program's output:
 * they neither join the report nor push its trace past the panic_on_warn tail limit. */
static void test_unstamped_interleave(void **state) {
        const char *lines[48];
        size_t n = 0;
        lines[n++] = "WARNING: CPU: 0 PID: 28200 at lib/refcount.c:152 refcount_inc+0x47/0x50";
        for (int i = 0; i < 30; i++)
                lines[n++] = "setsockopt$inet_sctp6_SCTP_EVENTS(r2, 0x84, 0xb, &(0x7f00002f6000-0xb)={0x0}, 0xb)";
        lines[n++] = "Kernel panic - not syncing: panic_on_warn set ...";
        lines[n++] = "Call Trace:";
        lines[n++] = " dump_stack+0x194/0x257";
        lines[n++] = " panic+0x1e4/0x417";
        lines[n++] = "RIP: 0010:refcount_inc+0x47/0x50";
        lines[n++] = " dev_activate+0x7d3/0xaa0";
        lines[n++] = " __dev_open+0x227/0x330";
        struct collected c = {};
        struct fsd_report_parser *p = NULL;
        assert_int_equal(fsd_report_parser_new(&p), 0);
        for (size_t i = 0; i < n; i++) {
                bool program = lines[i][0] == 's';
                struct fsd_record rec = {
                        .origin = "console.log", .line = i + 1, .mono_usec = program ? -1 : 359000000 + (int64_t) i,
                        .wall_usec = -1, .priority = -1, .text = lines[i], .len = strlen(lines[i]),
                };
                assert_int_equal(fsd_report_parser_feed(p, &rec, keep_report, &c), 0);
        }
        assert_int_equal(fsd_report_parser_finish(p, keep_report, &c), 0);
        assert_null(fsd_report_parser_free(p));
        assert_int_equal(c.n, 1);
        assert_string_equal(c.reports[0]->title, "WARNING: refcount bug in dev_activate");
        assert_false(c.reports[0]->corrupted);
        collected_free(&c);
        (void) state;
}

/* Frame and pc lines of arm, s390 and powerpc, written from their show_regs()/dump_backtrace()
 * formats (docs/print-sites.tsv). */
static void test_arch_frame_forms(void **state) {
        static const char *const arm[] = {
                "Unable to handle kernel NULL pointer dereference at virtual address 00000000",
                "Internal error: Oops: 17 [#1] SMP ARM",
                "CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1",
                "PC is at ext4_fill_super+0x1c/0x60",
                "LR is at mount_bdev+0x10/0x40",
                "pc : [<c0123456>]    lr : [<c0234567>]    psr: 60000013",
                " ext4_fill_super from mount_bdev+0x10/0x40",
                " mount_bdev from legacy_get_tree+0x28/0x50",
                "[<c0345678>] (vfs_get_tree) from [<c0456789>] (path_mount+0x3c0/0xa00)",
                "---[ end trace 0000000000000000 ]---",
        };
        struct collected c = {};
        feed_lines(arm, sizeof arm / sizeof arm[0], &c);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.reports[0]->title, "BUG: unable to handle kernel NULL pointer dereference in ext4_fill_super");
        assert_int_equal(c.reports[0]->n_frames, 3);
        assert_string_equal(c.reports[0]->frames[0].func, "ext4_fill_super");
        assert_string_equal(c.reports[0]->frames[2].func, "vfs_get_tree");
        assert_non_null(strstr(c.reports[0]->guilty_reason, "instruction pointer"));
        assert_int_equal(c.reports[0]->guilty_frame, 0);
        collected_free(&c);

        static const char *const s390[] = {
                "Unable to handle kernel pointer dereference in virtual kernel address space",
                "Oops: 0004 ilc:3 [#1] SMP",
                "CPU: 1 PID: 42 Comm: kworker/1:2 Not tainted 4.19.0 #1",
                "Krnl PSW : 0704c00180000000 000000000012a3b4 (xfs_buf_ioend+0x1c/0x60)",
                "Call Trace:",
                "([<000000000012a3b4>] xfs_buf_ioend+0x1c/0x60)",
                " [<000000000012a400>] xfs_buf_ioend_work+0x10/0x20 ",
                "---[ end trace 0000000000000000 ]---",
        };
        feed_lines(s390, sizeof s390 / sizeof s390[0], &c);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.reports[0]->guilty, "xfs_buf_ioend");
        assert_int_equal(c.reports[0]->n_frames, 2);
        assert_true(c.reports[0]->frames[0].unreliable);
        assert_false(c.reports[0]->frames[1].unreliable);
        collected_free(&c);

        static const char *const ppc[] = {
                "BUG: Kernel NULL pointer dereference on read at 0x00000000",
                "Oops: Kernel access of bad area, sig: 11 [#1]",
                "NIP:  c000000000123456 LR: c000000000234567 CTR: 0000000000000000",
                "NIP [c000000000123456] btrfs_search_slot+0x1c/0x60",
                "LR [c000000000234567] btrfs_lookup_inode+0x10/0x40",
                "Call Trace:",
                "[c00000000fe3bb30] [c000000000234567] btrfs_search_slot+0x1c/0x60 (unreliable)",
                "[c00000000fe3bb90] [c000000000234600] btrfs_lookup_inode+0x10/0x40",
        };
        feed_lines(ppc, sizeof ppc / sizeof ppc[0], &c);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.reports[0]->title, "BUG: unable to handle kernel NULL pointer dereference in btrfs_search_slot");
        assert_true(c.reports[0]->frames[0].unreliable);
        collected_free(&c);
}

/* Firmware on the same serial console prints WARNING:/INFO: too: not a report without a stamp,
 * a caller id, a device prefix or anything of a report after it. */
static void test_firmware_noise(void **state) {
        static const char *const lines[] = {
                "NOTICE:  BL31: v2.8(release):v2.8",
                "WARNING: BL31: cortex_a53: CPU workaround for erratum 855873 was missing!",
                "INFO:    BL31: Initializing runtime services",
                "NOTICE:  BL31: Preparing for EL3 exit to normal world",
                "Booting Linux on physical CPU 0x0000000000 [0x410fd034]",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        assert_int_equal(c.n, 0);
        static const char *const driver[] = {
                "usb 5-1: New USB device found, idVendor=13b1, idProduct=0042",
                "usb 5-1: WARNING: ath10k USB support is incomplete, don't expect anything to work!",
                "usb 5-1: new high-speed USB device number 109 using dummy_hcd",
        };
        feed_lines(driver, sizeof driver / sizeof driver[0], &c);
        assert_int_equal(c.n, 1);
        collected_free(&c);
}

/* A trace pasted into mail keeps its frames and stack markers; '?' frames are passed over and
 * the JSON says so. */
static void test_quoted_trace_and_reason(void **state) {
        static const char *const lines[] = {
                "BUG: kernel NULL pointer dereference, address: 0000000000000008",
                "CPU: 3 PID: 77 Comm: kworker/3:1 Not tainted 6.1.0 #1",
                "Call Trace:",
                "> <TASK>",
                ">  ? __die+0x23/0x70",
                ">  ? ext4_es_insert_extent+0x11/0x90",
                ">  ext4_map_blocks+0x1a/0x80",
                "> > ext4_writepages+0x2b/0x300",
                ">  </TASK>",
        };
        struct collected c = {};
        feed_lines(lines, sizeof lines / sizeof lines[0], &c);
        assert_int_equal(c.n, 1);
        const struct fsd_report *r = c.reports[0];
        assert_int_equal(r->n_frames, 4);
        assert_string_equal(r->frames[2].func, "ext4_map_blocks");
        assert_string_equal(r->frames[2].stack, "TASK");
        assert_string_equal(r->guilty, "ext4_map_blocks");
        assert_int_equal(r->guilty_frame, 2);
        assert_non_null(strstr(r->guilty_reason, "'?'"));
        collected_free(&c);
}

static void test_dup_null(void **state) {
        assert_null(fsd_report_free(NULL));
        struct fsd_report *copy = NULL;
        assert_int_equal(fsd_report_dup(NULL, &copy), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_seed_warning),
                cmocka_unit_test(test_seed_suffix_and_json),
                cmocka_unit_test(test_cut_short),
                cmocka_unit_test(test_interleaved_cpus),
                cmocka_unit_test(test_interleaved_hosts),
                cmocka_unit_test(test_old_style_trace),
                cmocka_unit_test(test_no_trace_and_mention),
                cmocka_unit_test(test_panic_and_hang),
                cmocka_unit_test(test_kasan),
                cmocka_unit_test(test_taint),
                cmocka_unit_test(test_dup_null),
                cmocka_unit_test(test_title_rules),
                cmocka_unit_test(test_info_stack_cuts),
                cmocka_unit_test(test_stall_dispatchers),
                cmocka_unit_test(test_header_prefixes),
                cmocka_unit_test(test_console_endings),
                cmocka_unit_test(test_unexpected_reboot),
                cmocka_unit_test(test_unstamped_interleave),
                cmocka_unit_test(test_arch_frame_forms),
                cmocka_unit_test(test_firmware_noise),
                cmocka_unit_test(test_quoted_trace_and_reason),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
