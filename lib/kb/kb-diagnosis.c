/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building the diagnosis of a matched incident: the rule's texts with their placeholders filled,
 * the facts decoded from the incident (errno, taint, bit flips, space dump), the fixes with a
 * verdict for the incident's kernel, the steps and the evidence lines. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "basic/devname.h"
#include "basic/strbuf.h"
#include "kb-internal.h"
#include "kb.h"
#include "kb-match.h"

/* A diagnosis and everything it points to live in one arena. */
struct kb_diag_box {
        struct fsd_diagnosis d;
        struct arena arena;
};

void kb_diagnosis_free(struct fsd_diagnosis *d) {
        if (!d)
                return;
        struct kb_diag_box *box = (struct kb_diag_box *) d;
        arena_done(&box->arena);
        free(box);
}

/* ---- templates ---- */

struct fill_ctx {
        const struct match_ctx *m;
        const struct fsd_event *anchor;
        bool below_fs;           /* the rule is a device or block-layer rule (fs: none) */
        char time_buf[96], time_buf_zh[96];
        bool zh;                 /* the template being filled is the Chinese one */
};

static bool is_disk_or_partition(const char *part, const char *disk) {
        return strcmp(part, disk) == 0 || devname_is_partition_of(part, disk);
}

/* The device the text speaks of. A device rule speaks of the device that failed: the disk below a
 * dm or md device (ata4 below dm-1), not the filesystem's device; a disk and its partition are one. */

static const char *fill_device(const struct fill_ctx *f) {
        const struct fsd_incident *inc = f->m->inc;
        const struct fsd_event *e = f->anchor;
        if (f->below_fs && e && e->device && e->layer != FSD_LAYER_FS && inc->device &&
            !is_disk_or_partition(inc->device, e->device) && !is_disk_or_partition(e->device, inc->device))
                return e->device;
        return inc->device ? inc->device : e ? e->device : NULL;
}

static const char *placeholder_value(struct fill_ctx *f, const char *name, size_t n, char *buf, size_t bufsz) {
        const struct fsd_incident *inc = f->m->inc;
        const struct fsd_event *e = f->anchor;
        const struct fsd_report *r = kb_first_report(inc);
#define IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
        if (IS("device"))
                return fill_device(f);
        if (IS("dev_path")) {
                /* a path a command can take: never a bare name, never "(unknown)" */
                const char *dev = fill_device(f);
                if (dev && inc->device_path && dev == inc->device)
                        return inc->device_path;
                if (!dev)
                        return f->zh ? "<设备>" : "<device>";
                snprintf(buf, bufsz, "/dev/%s", dev);
                return buf;
        }
        if (IS("host"))
                return inc->host ? inc->host : r ? r->host : NULL;
        if (IS("kernel"))
                return f->m->kernel;
        if (IS("comm"))
                return inc->comm ? inc->comm : r ? r->comm : NULL;
        if (IS("pid")) {
                int pid = inc->pid >= 0 ? inc->pid : r ? r->pid : -1;
                if (pid < 0)
                        return NULL;
                snprintf(buf, bufsz, "%d", pid);
                return buf;
        }
        if (IS("fs"))
                return kb_fs_name(inc->fs);
        if (IS("function"))
                return e ? e->function : NULL;
        if (IS("src_line")) {
                if (!e || !e->src_line)
                        return NULL;
                snprintf(buf, bufsz, "%d", e->src_line);
                return buf;
        }
        if (IS("errno")) {
                if (!e || !e->error)
                        return NULL;
                snprintf(buf, bufsz, "%d", e->error);
                return buf;
        }
        if (IS("errno_name"))
                return e && e->error ? fsd_errno_name(e->error) : NULL;
        if (IS("error_text"))
                return e ? e->error_text : NULL;
        if (IS("time")) {
                const char *t = f->zh ? f->time_buf_zh : f->time_buf;
                return t[0] ? t : NULL;
        }
        if (IS("mount_point"))
                return inc->mount_point;
        if (IS("guilty"))
                return r ? r->guilty : NULL;
        if (IS("origin"))
                return inc->origin;
#undef IS
        return NULL;
}

static const char *fill(struct arena *a, struct fill_ctx *f, const char *tmpl, bool zh) {
        if (!tmpl)
                return NULL;
        if (!strchr(tmpl, '{'))
                return tmpl;    /* the rule's text outlives the diagnosis only through the kb; copy anyway below */
        struct strbuf b = STRBUF_INIT;
        for (const char *p = tmpl; *p; ) {
                const char *open = strchr(p, '{');
                if (!open) {
                        strbuf_puts(&b, p);
                        break;
                }
                strbuf_append(&b, p, (size_t) (open - p));
                if (open[1] == '{') {
                        strbuf_putc(&b, '{');
                        p = open + 2;
                        continue;
                }
                const char *close = strchr(open, '}');
                if (!close) {
                        strbuf_puts(&b, open);
                        break;
                }
                char buf[96];
                const char *v = placeholder_value(f, open + 1, (size_t) (close - open - 1), buf, sizeof buf);
                if (!v || !*v) {
                        /* "On host (unknown)" reads badly: dmesg output names no host */
                        bool is_host = close - open - 1 == 4 && memcmp(open + 1, "host", 4) == 0;
                        v = is_host ? (zh ? "本机" : "this host") : zh ? "（未知）" : "(unknown)";
                }
                strbuf_puts(&b, v);
                p = close + 1;
        }
        const char *s = strbuf_failed(&b) ? NULL : arena_strdup(a, strbuf_str(&b));
        strbuf_done(&b);
        return s;
}

static struct fsd_text fill_text(struct arena *a, struct fill_ctx *f, struct fsd_text t) {
        f->zh = false;
        const char *en = fill(a, f, t.en, false);
        f->zh = true;
        const char *zh = fill(a, f, t.zh, true);
        f->zh = false;
        return (struct fsd_text) { en, zh };
}

/* ---- decoded facts ---- */

struct fact_list {
        struct fsd_fact v[48];
        size_t n;
};

static void fact_add(struct fact_list *fl, const char *key, const char *en, const char *zh) {
        if (fl->n < ELEMENTSOF(fl->v) && en && zh)
                fl->v[fl->n++] = (struct fsd_fact) { key, { en, zh } };
}

static const struct {
        char letter;
        const char *en, *zh;
} taint_letters[] = {
        { 'P', "a proprietary module was loaded", "加载过专有（非 GPL）模块" },
        { 'F', "a module was force-loaded", "有模块被强制加载" },
        { 'S', "the kernel runs on hardware or in a mode outside its specification", "内核运行在超出规格的硬件或模式上" },
        { 'R', "a module was force-unloaded", "有模块被强制卸载" },
        { 'M', "a machine check exception occurred earlier (hardware error)", "之前发生过机器检查异常（硬件错误）" },
        { 'B', "a bad page was referenced, or a page had unexpected flags (memory corruption or bad RAM)", "访问过坏页或页标志异常（内存损坏或内存条故障）" },
        { 'U', "userspace requested the taint", "用户空间主动设置了污染标志" },
        { 'D', "the kernel died recently (an earlier oops or BUG in this boot)", "本次启动中内核之前发生过 oops 或 BUG" },
        { 'A', "an ACPI table was overridden", "ACPI 表被覆盖" },
        { 'W', "a kernel WARNING was issued earlier in this boot (not this report: a report's own taint is added after it prints)",
               "本次启动中更早时已出现过内核 WARNING（不是这一条：报告自身的污染标志在打印之后才加上）" },
        { 'C', "a staging driver was loaded", "加载过 staging 驱动" },
        { 'I', "the kernel works around a severe firmware bug", "内核在规避严重的固件缺陷" },
        { 'O', "an out-of-tree module was loaded", "加载过树外模块" },
        { 'E', "an unsigned module was loaded", "加载过未签名模块" },
        { 'L', "a soft lockup occurred earlier", "之前发生过软锁死（soft lockup）" },
        { 'K', "the kernel has been live-patched", "内核被热补丁修改过" },
        { 'X', "an auxiliary (distribution-defined) taint is set", "设置了发行版自定义的辅助污染标志" },
        { 'T', "the kernel was built with the structure-randomization plugin", "内核以结构体随机化插件构建" },
        { 'N', "an in-kernel test (such as KUnit) has run", "运行过内核内测试（如 KUnit）" },
};

static void decode_taint(struct arena *a, const struct fsd_report *r, struct fact_list *fl) {
        if (!r || !r->taint)
                return;
        struct strbuf en = STRBUF_INIT, zh = STRBUF_INIT;
        char letters[32] = "";
        size_t nl = 0;
        for (const char *p = r->taint; *p && nl < sizeof letters - 1; p++)
                if (*p != ' ' && *p != 'G' && !strchr(letters, *p))
                        letters[nl++] = *p, letters[nl] = 0;
        letters[nl] = 0;
        if (nl == 0) {
                strbuf_puts(&en, "Taint: none (G only: all modules are GPL-compatible, no earlier warning or oops).");
                strbuf_puts(&zh, "污染标志：无（仅 G：所有模块均兼容 GPL，之前没有 WARNING 或 oops）。");
        } else {
                strbuf_printf(&en, "Taint '%s':", letters);
                strbuf_printf(&zh, "污染标志 '%s'：", letters);
                for (size_t i = 0; i < nl; i++) {
                        bool known = false;
                        for (size_t k = 0; k < ELEMENTSOF(taint_letters); k++)
                                if (taint_letters[k].letter == letters[i]) {
                                        strbuf_printf(&en, " %c = %s;", letters[i], taint_letters[k].en);
                                        strbuf_printf(&zh, "%c = %s；", letters[i], taint_letters[k].zh);
                                        known = true;
                                }
                        if (!known) {
                                strbuf_printf(&en, " %c = unknown flag;", letters[i]);
                                strbuf_printf(&zh, "%c = 未知标志；", letters[i]);
                        }
                }
        }
        /* the list ends in a separator: make it a sentence */
        if (en.len && en.s[en.len - 1] == ';')
                en.s[en.len - 1] = '.';
        if (zh.len >= 3 && memcmp(zh.s + zh.len - 3, "；", 3) == 0)
                memcpy(zh.s + zh.len - 3, "。", 3);
        if (!strbuf_failed(&en) && !strbuf_failed(&zh))
                fact_add(fl, "taint", arena_strdup(a, strbuf_str(&en)), arena_strdup(a, strbuf_str(&zh)));
        strbuf_done(&en);
        strbuf_done(&zh);
}

static void decode_context(struct arena *a, const struct match_ctx *m, struct fact_list *fl) {
        const struct fsd_report *r = kb_first_report(m->inc);
        if (!r)
                return;
        const char *comm = m->inc->comm ? m->inc->comm : r->comm;
        int pid = m->inc->pid >= 0 ? m->inc->pid : r->pid;
        bool exit_path = kb_report_has_frame(r, "do_exit", NULL);
        bool signal = kb_report_has_frame(r, "get_signal", NULL);
        bool group = kb_report_has_frame(r, "do_group_exit", NULL);
        bool fput = kb_report_has_frame(r, "__fput", NULL) || kb_report_has_frame(r, "____fput", NULL);
        bool evict = kb_report_has_frame(r, "evict", NULL);
        bool dput = kb_report_has_frame(r, "dput", NULL);
        bool kthread = kb_report_has_frame(r, "kthread", NULL) || kb_report_has_frame(r, "ret_from_fork", NULL);
        bool syscall = kb_report_has_frame(r, "do_syscall_64", NULL) || kb_report_has_frame(r, "entry_SYSCALL_64_after_hwframe", NULL);
        char who[128];
        snprintf(who, sizeof who, "%s%s%s (PID %d)", comm ? "'" : "", comm ? comm : "?", comm ? "'" : "", pid);

        if (exit_path && signal)
                fact_add(fl, "exit_path",
                         arena_printf(a, "Process %s was exiting because of a fatal signal: do_signal -> get_signal -> %sdo_exit. "
                                      "While exiting, the kernel closed its open files (task_work_run -> __fput).",
                                      who, group ? "do_group_exit -> " : ""),
                         arena_printf(a, "进程 %s 因收到致命信号而退出：do_signal -> get_signal -> %sdo_exit。"
                                      "退出过程中内核关闭了它打开的文件（task_work_run -> __fput）。",
                                      who, group ? "do_group_exit -> " : ""));
        else if (exit_path)
                fact_add(fl, "exit_path",
                         arena_printf(a, "Process %s was exiting (do_exit); the kernel closed its open files on the way out.", who),
                         arena_printf(a, "进程 %s 正在退出（do_exit），内核在退出时关闭了它打开的文件。", who));
        else if (kthread && !syscall)
                fact_add(fl, "context",
                         arena_printf(a, "The report comes from kernel thread %s, not from a user process.", who),
                         arena_printf(a, "报告来自内核线程 %s，而不是用户进程。", who));
        else if (syscall)
                fact_add(fl, "context",
                         arena_printf(a, "The report comes from a system call made by process %s.", who),
                         arena_printf(a, "报告来自进程 %s 发起的系统调用。", who));
        if (fput && dput && evict)
                fact_add(fl, "last_close",
                         arena_strdup(a, "Closing that file dropped the last reference to an inode with no links left "
                                      "(a deleted file, or a file in a deleted subvolume): __fput -> dput -> evict -> the "
                                      "filesystem's evict_inode, which frees the file's extents there and then."),
                         arena_strdup(a, "关闭该文件释放了一个已无链接的 inode 的最后一个引用（已删除的文件，或已删除子卷中的文件）："
                                      "__fput -> dput -> evict -> 文件系统的 evict_inode，由它当场释放文件的所有 extent。"));
}

static void decode_errno(struct arena *a, const struct fsd_event *e, struct fact_list *fl) {
        if (!e || !e->error)
                return;
        const char *name = fsd_errno_name(e->error);
        const char *en = fsd_errno_meaning(e->error, false), *zh = fsd_errno_meaning(e->error, true);
        if (!name)
                fact_add(fl, "errno",
                         arena_printf(a, "errno %d is a number Linux defines no error code for%s%s.", e->error,
                                      e->function ? ", reported from " : "", e->function ? e->function : ""),
                         arena_printf(a, "errno %d 不是 Linux 定义的错误码%s%s。", e->error,
                                      e->function ? "，报告位置 " : "", e->function ? e->function : ""));
        else
                fact_add(fl, "errno",
                         arena_printf(a, "errno %d is %s (%s)%s%s.", e->error, name, en,
                                      e->function ? ", reported from " : "", e->function ? e->function : ""),
                         arena_printf(a, "errno %d 即 %s（%s）%s%s。", e->error, name, zh,
                                      e->function ? "，报告位置 " : "", e->function ? e->function : ""));
}

static void decode_bit_flips(struct arena *a, const struct match_ctx *m, struct fact_list *fl) {
        for (size_t i = 0; i < m->n_flips; i++) {
                const struct kb_value_pair *p = &m->flips[i];
                const struct fsd_event *e = m->flip_events[i];
                const char *what_en = m->flip_from_detail[i] ? "back reference looked for, against the leaf dumped beside it" :
                                      e->kind == FSD_EV_TRANSID_ERROR ? "parent transid check" :
                                      e->kind == FSD_EV_CSUM_ERROR ? "checksum check" : "corruption check";
                const char *what_zh = m->flip_from_detail[i] ? "所查找的反向引用与旁边转储的叶子相比" :
                                      e->kind == FSD_EV_TRANSID_ERROR ? "parent transid 校验" :
                                      e->kind == FSD_EV_CSUM_ERROR ? "校验和校验" : "损坏检查";
                char line[32] = "";
                if (e->line)
                        snprintf(line, sizeof line, " (line %" PRIu64 ")", e->line);
                fact_add(fl, "single_bit_difference",
                         arena_printf(a, "%s%s: %s %s, %s %s: the two values differ by a single bit (bit %u), which is typical "
                                      "of a memory bit flip, not of a lost or misdirected write. Run memtest86+ and check "
                                      "the EDAC counters (ras-mc-ctl --errors).", what_en, line, p->first_word, p->first, p->second_word,
                                      p->second, p->bit),
                         arena_printf(a, "%s%s：%s %s，%s %s：两个值仅相差一位（第 %u 位），这是内存位翻转的典型特征，"
                                      "而不是写入丢失或写错位置。请运行 memtest86+ 并检查 EDAC 计数（ras-mc-ctl --errors）。",
                                      what_zh, line[0] ? arena_printf(a, "（第 %" PRIu64 " 行）", e->line) : "",
                                      p->first_word, p->first, p->second_word, p->second, p->bit));
        }
}

static const char *human_bytes(struct arena *a, uint64_t v) {
        static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
        double d = (double) v;
        size_t u = 0;
        while (d >= 1024 && u + 1 < ELEMENTSOF(units)) {
                d /= 1024;
                u++;
        }
        return u ? arena_printf(a, "%.2f %s", d, units[u]) : arena_printf(a, "%" PRIu64 " B", v);
}

/* What a pasted btrfs usage said: profiles and unallocated space per device, and whether a new
 * chunk of the metadata profile can be placed. */
static void decode_pasted_usage(struct arena *a, const struct fsd_btrfs_space_dump *sp, struct fact_list *fl) {
        if (!sp->n_devices && !sp->metadata_profile[0] && !sp->data_profile[0])
                return;
        struct strbuf en = STRBUF_INIT, zh = STRBUF_INIT;
        strbuf_puts(&en, "The pasted btrfs usage says:");
        strbuf_puts(&zh, "粘贴的 btrfs 用量显示：");
        if (sp->data_profile[0] || sp->metadata_profile[0]) {
                strbuf_printf(&en, " data %s, metadata %s;", sp->data_profile[0] ? sp->data_profile : "?",
                              sp->metadata_profile[0] ? sp->metadata_profile : "?");
                strbuf_printf(&zh, "数据 %s，元数据 %s；", sp->data_profile[0] ? sp->data_profile : "?",
                              sp->metadata_profile[0] ? sp->metadata_profile : "?");
        }
        for (size_t i = 0; i < sp->n_devices; i++) {
                const char *h = human_bytes(a, sp->devices[i].unallocated);
                strbuf_printf(&en, "%s %s has %s unallocated", i ? "," : " unallocated space:", sp->devices[i].path, h);
                strbuf_printf(&zh, "%s%s 未分配 %s", i ? "，" : "", sp->devices[i].path, h);
        }
        unsigned need, have;
        if (kb_mirror_room(sp, &need, &have)) {
                strbuf_printf(&en, ". A new %s chunk needs unallocated space on %u devices at once; %u of %zu have more than 64 MiB",
                              sp->metadata_profile[0] ? sp->metadata_profile : sp->data_profile, need, have, sp->n_devices);
                strbuf_printf(&zh, "。新建 %s 块组需要 %u 个设备同时有未分配空间；%zu 个设备中有 %u 个超过 64 MiB",
                              sp->metadata_profile[0] ? sp->metadata_profile : sp->data_profile, need, sp->n_devices, have);
                if (have < need) {
                        strbuf_puts(&en, ": no such chunk can be allocated, and adding a single device is no remedy");
                        strbuf_puts(&zh, "：无法分配这样的块组，只添加一个设备也无济于事");
                }
        }
        strbuf_putc(&en, '.');
        strbuf_puts(&zh, "。");
        if (!strbuf_failed(&en) && !strbuf_failed(&zh))
                fact_add(fl, "pasted_usage", arena_strdup(a, strbuf_str(&en)), arena_strdup(a, strbuf_str(&zh)));
        strbuf_done(&en);
        strbuf_done(&zh);
}

/* The space dump btrfs printed (incident->btrfs_space), in words. */
static void decode_space_dump(struct arena *a, const struct fsd_incident *inc, struct fact_list *fl) {
        const struct fsd_btrfs_space_dump *sp = inc->btrfs_space;
        if (!sp)
                return;
        decode_pasted_usage(a, sp, fl);
        if (!sp->n_info && !sp->n_rsv && !sp->alloc_failed)
                return;
        struct strbuf en = STRBUF_INIT, zh = STRBUF_INIT;
        strbuf_puts(&en, "Space dump printed by btrfs:");
        strbuf_puts(&zh, "btrfs 打印的空间信息：");
        for (size_t i = 0; i < sp->n_info; i++) {
                const struct fsd_btrfs_dump_info *si = &sp->info[i];
                strbuf_printf(&en, "%s %s %s", i ? ";" : "", si->type,
                              si->full ? "is full (its last chunk allocation failed: no unallocated space for it)" : "is not full");
                strbuf_printf(&zh, "%s%s %s", i ? "；" : "", si->type, si->full ? "已满（最近一次为其分配块组失败：没有可用的未分配空间）" : "未满");
                if (si->have_totals) {
                        const char *t = human_bytes(a, si->total), *u = human_bytes(a, si->used), *pi = human_bytes(a, si->pinned),
                                   *r = human_bytes(a, si->reserved), *mu = human_bytes(a, si->may_use), *ro = human_bytes(a, si->readonly);
                        strbuf_printf(&en, ", total %s, used %s, pinned %s, reserved %s, may_use %s, readonly %s", t, u, pi, r, mu, ro);
                        strbuf_printf(&zh, "，总量 %s，已用 %s，pinned %s，reserved %s，may_use %s，readonly %s", t, u, pi, r, mu, ro);
                }
        }
        for (size_t i = 0; i < sp->n_rsv; i++)
                if (strcmp(sp->rsv[i].name, "global_block_rsv") == 0) {
                        const char *sz = human_bytes(a, sp->rsv[i].size), *rs = human_bytes(a, sp->rsv[i].reserved);
                        strbuf_printf(&en, "; global reserve %s, %s of it reserved", sz, rs);
                        strbuf_printf(&zh, "；全局预留 %s，其中 %s 已预留", sz, rs);
                }
        if (sp->alloc_failed) {
                static const char *const names[] = { "data", "system", "metadata", "raid0", "raid1", "dup",
                                                     "raid10", "raid5", "raid6", "raid1c3", "raid1c4" };
                char words[96] = "";
                size_t n = 0;
                for (size_t i = 0; i < ELEMENTSOF(names); i++)
                        if (sp->alloc_flags & (UINT64_C(1) << i))
                                n += (size_t) snprintf(words + n, sizeof words - n, "%s%s", n ? "|" : "", names[i]);
                strbuf_printf(&en, "; an allocation failed for block-group flags %" PRIu64 " (%s)", sp->alloc_flags, words);
                strbuf_printf(&zh, "；块组标志 %" PRIu64 "（%s）的分配失败", sp->alloc_flags, words);
        }
        strbuf_putc(&en, '.');
        strbuf_puts(&zh, "。");
        if (!strbuf_failed(&en) && !strbuf_failed(&zh))
                fact_add(fl, "space_dump", arena_strdup(a, strbuf_str(&en)), arena_strdup(a, strbuf_str(&zh)));
        strbuf_done(&en);
        strbuf_done(&zh);
}

static void fix_verdict(struct arena *a, const struct match_ctx *m, struct fsd_fix *fx) {
        struct kver first;
        if (!m->have_kv || kver_parse(fx->mainline, &first) < 0)
                return;
        const struct kver *k = &m->kv;
        char kbuf[32];
        snprintf(kbuf, sizeof kbuf, "%u.%u.%u", k->major, k->minor, k->patch);
        if (kver_cmp(k, &first) >= 0) {
                fx->verdict.en = arena_printf(a, "%s is at or after v%s, where this fix landed: it should be present "
                                              "(unless the vendor reverted it).", kbuf, fx->mainline);
                fx->verdict.zh = arena_printf(a, "%s 不早于该修复合入的 v%s，应已包含该修复（除非厂商回退了它）。", kbuf, fx->mainline);
                return;
        }
        for (size_t i = 0; i < fx->n_stable; i++) {
                struct kver s;
                if (kver_parse(fx->stable[i], &s) < 0 || s.major != k->major || s.minor != k->minor)
                        continue;
                if (k->patch >= s.patch) {
                        fx->verdict.en = arena_printf(a, "%s carries the %s stable backport.", kbuf, fx->stable[i]);
                        fx->verdict.zh = arena_printf(a, "%s 已包含 %s 稳定版回移植。", kbuf, fx->stable[i]);
                } else {
                        fx->verdict.en = arena_printf(a, "%s predates the %s stable backport: the fix is not in this kernel "
                                                      "unless the vendor backported it.", kbuf, fx->stable[i]);
                        fx->verdict.zh = arena_printf(a, "%s 早于 %s 稳定版回移植：除非厂商自行回移植，否则该内核不含此修复。",
                                                      kbuf, fx->stable[i]);
                }
                return;
        }
        fx->verdict.en = arena_printf(a, "%s predates v%s, where this fix landed, and the rule lists no %u.%u stable backport: "
                                      "the fix is not in this kernel unless the vendor backported it.",
                                      kbuf, fx->mainline, k->major, k->minor);
        fx->verdict.zh = arena_printf(a, "%s 早于该修复合入的 v%s，且规则中没有 %u.%u 稳定分支的回移植记录：除非厂商自行回移植，否则该内核不含此修复。",
                                      kbuf, fx->mainline, k->major, k->minor);
}

static int u64_cmp(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return x < y ? -1 : x > y;
}

/* The incident's start for the {time} placeholder, in each language: a wall time (marked when
 * its year is ours, not the log's), else the kernel's uptime stamp. */
static void format_time(const struct fsd_incident *inc, char *buf, char *buf_zh, size_t n) {
        buf[0] = buf_zh[0] = 0;
        if (inc->start_wall_usec >= 0) {
                time_t t = (time_t) (inc->start_wall_usec / 1000000);
                struct tm tm;
                if (!gmtime_r(&t, &tm))
                        return;
                size_t k = strftime(buf, n, inc->wall_local ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M:%S UTC", &tm);
                memcpy(buf_zh, buf, k + 1);
                if (inc->year_assumed) {
                        snprintf(buf + k, n - k, " (year assumed)");
                        snprintf(buf_zh + k, n - k, "（年份为推断）");
                }
        } else if (inc->start_mono_usec >= 0) {
                snprintf(buf, n, "%" PRId64 ".%06" PRId64 " s after boot", inc->start_mono_usec / 1000000,
                         inc->start_mono_usec % 1000000);
                snprintf(buf_zh, n, "开机后 %" PRId64 ".%06" PRId64 " 秒", inc->start_mono_usec / 1000000,
                         inc->start_mono_usec % 1000000);
        }
}

static int build(struct kb_diag_box *box, const struct match_ctx *m, const struct candidate *best) {
        struct arena *a = &box->arena;
        struct fsd_diagnosis *d = &box->d;
        const struct fsd_incident *inc = m->inc;
        struct fill_ctx f = { .m = m };
        format_time(inc, f.time_buf, f.time_buf_zh, sizeof f.time_buf);
        struct fact_list *facts = calloc(1, sizeof *facts);
        if (!facts)
                return -ENOMEM;

        size_t max_lines = inc->n_events + inc->n_reports + 64;
        uint64_t *lines = arena_alloc_array(a, max_lines, sizeof *lines);
        size_t n_lines = 0;
        if (!lines) {
                free(facts);
                return -ENOMEM;
        }

        if (best) {
                const struct kb_rule *rule = best->rule;
                d->rule_id = rule->info.id;
                d->severity = rule->info.severity;
                d->confidence = best->confidence;
                f.below_fs = rule->info.fs == FSD_FS_NONE;
                size_t nr = rule->n_require + rule->n_prefer;
                struct fsd_reason *reasons = arena_alloc_array(a, nr + 1, sizeof *reasons);
                if (!reasons)
                        goto oom;
                size_t k = 0;
                for (size_t i = 0; i < nr; i++) {
                        bool required = i < rule->n_require;
                        const struct kb_cond *c = required ? &rule->require[i] : &rule->prefer[i - rule->n_require];
                        uint64_t line = 0;
                        const struct fsd_event *e = NULL;
                        bool ok = kb_cond_holds(m, c, &line, &e);
                        if (required && e && !f.anchor)
                                f.anchor = e;
                        struct fsd_text why = c->why.en ? c->why : c->desc;
                        if (kb_cond_assumes_kernel(m, c)) {
                                /* the 'why' text would name a release the log does not give */
                                ok = false;
                                why.en = arena_printf(a, "the kernel release, which the log does not name: assumed %s", c->desc.en);
                                why.zh = arena_printf(a, "内核版本（日志中没有）：假定为%s", c->desc.zh);
                        }
                        reasons[k++] = (struct fsd_reason) { .matched = ok, .required = required, .line = line,
                                                             .weight = required ? 0 : c->boost, .text = why };
                        if (ok && line && n_lines < max_lines)
                                lines[n_lines++] = line;
                }
                /* reasons may use placeholders in 'why' texts: fill them once the anchor is known */
                for (size_t i = 0; i < k; i++)
                        reasons[i].text = fill_text(a, &f, reasons[i].text);
                if (best->kernel_assumed)
                        for (size_t i = 0; i < rule->n_require; i++)
                                if (kb_cond_assumes_kernel(m, &rule->require[i])) {
                                        const struct fsd_text *desc = &rule->require[i].desc;
                                        fact_add(facts, "kernel_assumed",
                                                 arena_printf(a, "The log does not name the kernel release. This diagnosis holds only "
                                                              "for %s: check `uname -r` on the host (or the boot's first lines, "
                                                              "`journalctl -k -b | head`); on another release it does not apply.", desc->en),
                                                 arena_printf(a, "日志中没有内核版本。此诊断仅适用于%s：请在主机上运行 `uname -r` 核对"
                                                              "（或查看本次启动的最初几行：`journalctl -k -b | head`）；其他版本不适用。", desc->zh));
                                        break;
                                }
                if (best->class_only)
                        reasons[k++] = (struct fsd_reason) {
                                .text = { "a message specific to this cause (only the kind of failure matched, so "
                                          "the confidence is held at 50% or less)",
                                          "指向这一原因的具体消息（只有故障类别相符，因此置信度不超过 50%）" },
                        };
                d->reasons = reasons;
                d->n_reasons = k;
                d->title = fill_text(a, &f, rule->info.title);
                d->explanation = fill_text(a, &f, rule->info.explanation);
                d->remediation = fill_text(a, &f, rule->info.remediation);
                d->prevention = fill_text(a, &f, rule->info.prevention);

                struct fsd_code_step *steps = arena_alloc_array(a, rule->info.n_code_path ? rule->info.n_code_path : 1, sizeof *steps);
                if (!steps)
                        goto oom;
                for (size_t i = 0; i < rule->info.n_code_path; i++) {
                        steps[i] = rule->info.code_path[i];
                        for (size_t r = 0; r < inc->n_reports && !steps[i].in_trace; r++)
                                steps[i].in_trace = inc->reports[r] && kb_report_has_frame(inc->reports[r], steps[i].function, NULL);
                        if (steps[i].note.en)
                                steps[i].note = fill_text(a, &f, steps[i].note);
                }
                d->code_path = steps;
                d->n_code_path = rule->info.n_code_path;

                struct fsd_fix *fixes = arena_alloc_array(a, rule->info.n_fixes ? rule->info.n_fixes : 1, sizeof *fixes);
                if (!fixes)
                        goto oom;
                for (size_t i = 0; i < rule->info.n_fixes; i++) {
                        fixes[i] = rule->info.fixes[i];
                        fix_verdict(a, m, &fixes[i]);
                }
                d->fixes = fixes;
                d->n_fixes = rule->info.n_fixes;

                for (size_t i = 0; i < rule->n_notes; i++)
                        if (kb_cond_holds(m, &rule->notes[i].when, NULL, NULL)) {
                                struct fsd_text t = fill_text(a, &f, rule->notes[i].text);
                                fact_add(facts, rule->notes[i].key, t.en, t.zh);
                        }
        } else {
                /* unrecognized: say so plainly; the incident still lists its events */
                d->severity = inc->read_only || inc->shutdown || inc->mount_failed ? FSD_SEVERITY_ERROR : FSD_SEVERITY_WARNING;
                d->confidence = 0;
                struct strbuf en = STRBUF_INIT, zh = STRBUF_INIT;
                uint64_t seen = 0;
                for (size_t i = 0; i < inc->n_events; i++) {
                        enum fsd_event_kind kind = inc->events[i].kind;
                        if ((unsigned) kind < 64 && !(seen & (UINT64_C(1) << kind))) {
                                seen |= UINT64_C(1) << kind;
                                strbuf_printf(&en, "%s%s", en.len ? ", " : "", kb_event_kind_name(kind));
                                strbuf_printf(&zh, "%s%s", zh.len ? "、" : "", kb_event_kind_name(kind));
                        }
                        if (inc->events[i].line && n_lines < max_lines)
                                lines[n_lines++] = inc->events[i].line;
                }
                d->title.en = arena_strdup(a, "Unrecognized filesystem incident");
                d->title.zh = arena_strdup(a, "未识别的文件系统事件");
                d->explanation.en = arena_printf(a, "No knowledge-base rule matches this incident (events: %s). "
                                                 "The events and kernel reports are shown as they were logged; "
                                                 "read them bottom-up from the lowest layer.", en.len ? strbuf_str(&en) : "none");
                d->explanation.zh = arena_printf(a, "知识库中没有规则匹配此事件（事件类型：%s）。"
                                                 "以下按日志原样列出事件和内核报告；请从最底层开始往上阅读。", zh.len ? strbuf_str(&zh) : "无");
                d->remediation.en = arena_strdup(a, "Keep the full kernel log of this boot (journalctl -k -b or dmesg) and "
                                                 "check the device below the filesystem (smartctl -a, dmsetup status, multipath -ll) "
                                                 "before remounting.");
                d->remediation.zh = arena_strdup(a, "保存本次启动的完整内核日志（journalctl -k -b 或 dmesg），并在重新挂载前检查"
                                                 "文件系统下层设备（smartctl -a、dmsetup status、multipath -ll）。");
                d->prevention.en = arena_strdup(a, "If this recurs, report it with the log so a rule can be written for it.");
                d->prevention.zh = arena_strdup(a, "如再次发生，请附上日志反馈，以便为其编写规则。");
                strbuf_done(&en);
                strbuf_done(&zh);
                for (size_t i = 0; i < inc->n_events && !f.anchor; i++)
                        if (inc->events[i].error)
                                f.anchor = &inc->events[i];
        }

        if (best)
                for (size_t i = 0; i < inc->n_events && n_lines < max_lines; i++)
                        if (inc->events[i].line)
                                lines[n_lines++] = inc->events[i].line;
        decode_errno(a, f.anchor, facts);
        decode_space_dump(a, inc, facts);
        decode_bit_flips(a, m, facts);
        decode_context(a, m, facts);
        decode_taint(a, kb_first_report(inc), facts);
        for (size_t i = 0; i < inc->n_reports && n_lines < max_lines; i++)
                if (inc->reports[i] && inc->reports[i]->first_line)
                        lines[n_lines++] = inc->reports[i]->first_line;

        struct fsd_fact *fv = arena_alloc_array(a, facts->n ? facts->n : 1, sizeof *fv);
        if (!fv)
                goto oom;
        memcpy(fv, facts->v, facts->n * sizeof *fv);
        d->facts = fv;
        d->n_facts = facts->n;
        free(facts);
        facts = NULL;

        qsort(lines, n_lines, sizeof *lines, u64_cmp);
        size_t u = 0;
        for (size_t i = 0; i < n_lines; i++)
                if (u == 0 || lines[u - 1] != lines[i])
                        lines[u++] = lines[i];
        d->evidence_lines = lines;
        d->n_evidence_lines = u;
        if (a->failed)
                return -ENOMEM;
        return 0;
oom:
        free(facts);
        return -ENOMEM;
}

int kb_diagnosis_build(const struct match_ctx *m, const struct candidate *best, struct fsd_diagnosis **ret_diag) {
        struct kb_diag_box *box = calloc(1, sizeof *box);
        if (!box)
                return -ENOMEM;
        int r = build(box, m, best);
        if (r < 0) {
                kb_diagnosis_free(&box->d);
                return r;
        }
        *ret_diag = &box->d;
        return 0;
}
