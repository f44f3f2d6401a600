/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule files (YAML, see docs/rules.md) -> struct kb_rule. Every error names file, line, column and
 * what was expected, because rule authors fix rules from that sentence alone. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "basic/strbuf.h"
#include "kb-internal.h"

struct loader {
        struct arena *a;
        const char *path;
        yaml_document_t doc;
        char *err;               /* malloc'd */
};

_printf_(3, 4)
static int fail(struct loader *l, const yaml_node_t *n, const char *fmt, ...) {
        if (l->err)
                return -FSD_E_RULE;
        struct strbuf b = STRBUF_INIT;
        if (n)
                strbuf_printf(&b, "%s:%zu:%zu: ", l->path, n->start_mark.line + 1, n->start_mark.column + 1);
        else
                strbuf_printf(&b, "%s: ", l->path);
        va_list ap;
        va_start(ap, fmt);
        strbuf_vprintf(&b, fmt, ap);
        va_end(ap);
        l->err = strbuf_steal(&b);
        return -FSD_E_RULE;
}

static int oom(struct loader *l) {
        return l->a->failed && l->a->total >= KB_MAX_ARENA_BYTES - 16384 ? -FSD_E_LIMIT : -ENOMEM;
}

static yaml_node_t *node_at(struct loader *l, int idx) {
        return yaml_document_get_node(&l->doc, idx);
}

static const char *scalar(const yaml_node_t *n) {
        return n && n->type == YAML_SCALAR_NODE ? (const char *) n->data.scalar.value : NULL;
}

static const char *node_kind(const yaml_node_t *n) {
        if (!n)
                return "nothing";
        switch (n->type) {
        case YAML_SCALAR_NODE: return "a scalar";
        case YAML_SEQUENCE_NODE: return "a list";
        case YAML_MAPPING_NODE: return "a mapping";
        default: return "nothing";
        }
}

static int get_string(struct loader *l, const yaml_node_t *n, const char *what, const char **ret) {
        const char *s = scalar(n);
        if (!s)
                return fail(l, n, "%s: expected a string, got %s", what, node_kind(n));
        if (!*s)
                return fail(l, n, "%s: expected a non-empty string", what);
        *ret = arena_strdup(l->a, s);
        return *ret ? 0 : oom(l);
}

static int check_placeholders(struct loader *l, const yaml_node_t *n, const char *what, const char *s) {
        for (const char *p = s; (p = strchr(p, '{')); ) {
                if (p[1] == '{') {
                        p += 2;
                        continue;
                }
                const char *end = strchr(p, '}');
                if (!end)
                        return fail(l, n, "%s: '{' without a closing '}' (write '{{' for a literal brace)", what);
                if (!kb_placeholder_known(p + 1, (size_t) (end - p - 1)))
                        return fail(l, n, "%s: unknown placeholder {%.*s} (expected one of device, host, kernel, comm, "
                                    "pid, fs, function, src_line, errno, errno_name, error_text, time, mount_point, dev_path, "
                                    "guilty, origin)", what, (int) (end - p - 1), p + 1);
                p = end + 1;
        }
        return 0;
}

static int get_text(struct loader *l, const yaml_node_t *n, const char *what, struct fsd_text *ret) {
        if (!n || n->type != YAML_MAPPING_NODE)
                return fail(l, n, "%s: expected a mapping with keys 'en' and 'zh', got %s", what, node_kind(n));
        struct fsd_text t = {};
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
                yaml_node_t *k = node_at(l, p->key), *v = node_at(l, p->value);
                const char *key = scalar(k);
                const char **dst;
                if (key && strcmp(key, "en") == 0)
                        dst = &t.en;
                else if (key && strcmp(key, "zh") == 0)
                        dst = &t.zh;
                else
                        return fail(l, k, "%s: unknown key '%s' (expected 'en' and 'zh')", what, key ? key : "?");
                int r = get_string(l, v, what, dst);
                if (r < 0)
                        return r;
                r = check_placeholders(l, v, what, *dst);
                if (r < 0)
                        return r;
        }
        if (!t.en || !t.zh)
                return fail(l, n, "%s: both 'en' and 'zh' are required (missing '%s')", what, t.en ? "zh" : "en");
        *ret = t;
        return 0;
}

/* A scalar or a list of scalars. */
static int get_string_list(struct loader *l, const yaml_node_t *n, const char *what, const char ***ret, size_t *ret_n) {
        if (n && n->type == YAML_SCALAR_NODE) {
                const char **v = arena_alloc_array(l->a, 1, sizeof *v);
                if (!v)
                        return oom(l);
                int r = get_string(l, n, what, &v[0]);
                if (r < 0)
                        return r;
                *ret = v;
                *ret_n = 1;
                return 0;
        }
        if (!n || n->type != YAML_SEQUENCE_NODE)
                return fail(l, n, "%s: expected a string or a list of strings, got %s", what, node_kind(n));
        size_t count = (size_t) (n->data.sequence.items.top - n->data.sequence.items.start);
        if (count == 0 || count > KB_MAX_LIST)
                return fail(l, n, "%s: expected 1 to %u entries, got %zu", what, KB_MAX_LIST, count);
        const char **v = arena_alloc_array(l->a, count, sizeof *v);
        if (!v)
                return oom(l);
        for (size_t i = 0; i < count; i++) {
                int r = get_string(l, node_at(l, n->data.sequence.items.start[i]), what, &v[i]);
                if (r < 0)
                        return r;
        }
        *ret = v;
        *ret_n = count;
        return 0;
}

static int get_double(struct loader *l, const yaml_node_t *n, const char *what, double lo, double hi, double *ret) {
        const char *s = scalar(n);
        char *end;
        double v = s ? strtod(s, &end) : 0;
        if (!s || !*s || *end || v < lo || v > hi)
                return fail(l, n, "%s: expected a number from %g to %g", what, lo, hi);
        *ret = v;
        return 0;
}

static int get_bool(struct loader *l, const yaml_node_t *n, const char *what, bool *ret) {
        const char *s = scalar(n);
        if (s && (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0))
                *ret = true;
        else if (s && (strcmp(s, "false") == 0 || strcmp(s, "no") == 0))
                *ret = false;
        else
                return fail(l, n, "%s: expected true or false", what);
        return 0;
}

static int get_kver(struct loader *l, const yaml_node_t *n, const char *what, struct kver *ret) {
        const char *s = scalar(n);
        if (!s || kver_parse(s, ret) < 0)
                return fail(l, n, "%s: expected a kernel version such as \"5.0\" or \"4.19.120\" (quoted)", what);
        return 0;
}

static size_t seq_len(const yaml_node_t *n) {
        return (size_t) (n->data.sequence.items.top - n->data.sequence.items.start);
}

/* ---- conditions ---- */

static const char *const event_keys[] = { "event", "function", "errno", "text", "detail", "fs", "layer", "before", "after",
                                          "after_failure" };
static const char *const report_keys[] = { "frame", "report" };
static const char *const incident_keys[] = { "kernel", "read_only", "shutdown", "aborted", "bit_flip", "mirror_short",
                                             "pinned_share" };
static const char *const common_keys[] = { "absent", "weight", "boost", "why" };

static bool in_list(const char *const *list, size_t n, const char *s) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(list[i], s) == 0)
                        return true;
        return false;
}

static void join(struct strbuf *b, const char *const *v, size_t n) {
        for (size_t i = 0; i < n; i++) {
                if (i)
                        strbuf_puts(b, n > 2 ? ", " : "");
                if (i && i == n - 1)
                        strbuf_puts(b, n > 2 ? "or " : " or ");
                strbuf_puts(b, v[i]);
        }
}

static void join_zh(struct strbuf *b, const char *const *v, size_t n) {
        for (size_t i = 0; i < n; i++) {
                if (i)
                        strbuf_puts(b, i == n - 1 ? " 或 " : "、");
                strbuf_puts(b, v[i]);
        }
}

/* "the btrfs space dump shows pinned bytes ... at least 50% of the METADATA space ..." */
static void describe_pinned_share(const struct kb_pinned_share *p, bool any, struct strbuf *en, struct strbuf *zh) {
        static const char *const names[] = { "DATA", "SYSTEM", "METADATA" };
        const char *types[ELEMENTSOF(names)];
        size_t nt = 0;
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (p->types & (1u << i))
                        types[nt++] = names[i];
        strbuf_printf(en, "%sthe btrfs space dump shows pinned bytes (freed, reusable only after a transaction commit) of at least %.0f%% of ",
                      any ? ", " : "", p->min * 100);
        strbuf_printf(zh, "%sbtrfs 空间信息显示 pinned 字节（已释放、但要等事务提交后才能重用）至少占", any ? "，" : "");
        if (nt) {
                strbuf_puts(en, "the ");
                join(en, types, nt);
                join_zh(zh, types, nt);
                strbuf_puts(en, " space");
                strbuf_puts(zh, " 空间");
        } else {
                strbuf_puts(en, "one space_info's space");
                strbuf_puts(zh, "某个 space_info 空间");
        }
        strbuf_printf(zh, "中未存放有效数据部分的 %.0f%%", p->min * 100);
        strbuf_puts(en, " not holding live data, and more than it shows free");
        strbuf_puts(zh, "，且多于其显示的剩余空间");
        if (p->min_bytes) {
                bool mib = p->min_bytes % (UINT64_C(1) << 20) == 0;
                uint64_t n = mib ? p->min_bytes >> 20 : p->min_bytes;
                strbuf_printf(en, " (at least %" PRIu64 " %s)", n, mib ? "MiB" : "bytes");
                strbuf_printf(zh, "（至少 %" PRIu64 " %s）", n, mib ? "MiB" : "字节");
        }
}

static void describe_cond(const struct kb_cond *c, struct strbuf *en, struct strbuf *zh) {
        if (c->absent) {
                strbuf_puts(en, "no ");
                strbuf_puts(zh, "没有");
        }
        if (c->kind == COND_EVENT) {
                const char *kinds[_FSD_EV_MAX];
                size_t nk = 0;
                for (int k = 0; k < _FSD_EV_MAX; k++)
                        if (c->kinds & (UINT64_C(1) << k))
                                kinds[nk++] = kb_event_kind_name(k);
                if (c->event_fs >= 0) {
                        strbuf_printf(en, "%s ", kb_fs_name(c->event_fs));
                        strbuf_printf(zh, "%s ", kb_fs_name(c->event_fs));
                }
                strbuf_puts(en, nk ? "" : "any event");
                strbuf_puts(zh, nk ? "事件 " : "任一事件");
                join(en, kinds, nk);
                join_zh(zh, kinds, nk);
                if (nk)
                        strbuf_puts(en, " event");
                if (c->n_errnos) {
                        strbuf_puts(en, " with errno ");
                        strbuf_puts(zh, "，errno 为 ");
                        for (size_t i = 0; i < c->n_errnos; i++) {
                                const char *name = fsd_errno_name(c->errnos[i]);
                                strbuf_printf(en, "%s%d%s%s%s", i ? "/" : "", c->errnos[i], name ? " (" : "", name ? name : "", name ? ")" : "");
                                strbuf_printf(zh, "%s%d%s%s%s", i ? "/" : "", c->errnos[i], name ? " (" : "", name ? name : "", name ? ")" : "");
                        }
                }
                if (c->n_functions) {
                        strbuf_puts(en, " in ");
                        strbuf_puts(zh, "，位于 ");
                        join(en, c->functions, c->n_functions);
                        join_zh(zh, c->functions, c->n_functions);
                }
                if (c->n_texts) {
                        strbuf_puts(en, " whose message contains \"");
                        strbuf_puts(zh, "，消息包含 \"");
                        for (size_t i = 0; i < c->n_texts; i++) {
                                strbuf_printf(en, "%s%s", i ? "\" or \"" : "", c->texts[i]);
                                strbuf_printf(zh, "%s%s", i ? "\" 或 \"" : "", c->texts[i]);
                        }
                        strbuf_putc(en, '"');
                        strbuf_putc(zh, '"');
                }
                if (c->n_details) {
                        strbuf_puts(en, " reading \"");
                        strbuf_puts(zh, "，解读为 \"");
                        for (size_t i = 0; i < c->n_details; i++) {
                                strbuf_printf(en, "%s%s", i ? "\" or \"" : "", c->details[i]);
                                strbuf_printf(zh, "%s%s", i ? "\" 或 \"" : "", c->details[i]);
                        }
                        strbuf_putc(en, '"');
                        strbuf_putc(zh, '"');
                }
                if (c->after_failure >= 0) {
                        strbuf_puts(en, c->after_failure ? " printed after the filesystem failed (a consequence)"
                                                         : " printed before the filesystem failed");
                        strbuf_puts(zh, c->after_failure ? "（在文件系统出错之后打印：属于后果）" : "（在文件系统出错之前打印）");
                }
                if (c->layer >= 0) {
                        static const char *const layers[] = { "hardware", "device", "block", "filesystem" };
                        static const char *const layers_zh[] = { "硬件", "设备", "块设备", "文件系统" };
                        strbuf_printf(en, " at the %s layer", layers[c->layer]);
                        strbuf_printf(zh, "（%s层）", layers_zh[c->layer]);
                }
                if (c->before) {
                        strbuf_puts(en, ", followed later by ");
                        strbuf_puts(zh, "，且之后出现");
                        describe_cond(c->before, en, zh);
                }
                if (c->after) {
                        strbuf_puts(en, ", after ");
                        strbuf_puts(zh, "，且之前出现");
                        describe_cond(c->after, en, zh);
                }
        } else if (c->kind == COND_REPORT) {
                const char *types[_FSD_REPORT_TYPE_MAX];
                size_t nt = 0;
                for (int t = 0; t < _FSD_REPORT_TYPE_MAX; t++)
                        if (c->report_types & (UINT32_C(1) << t))
                                types[nt++] = kb_report_type_name(t);
                if (nt) {
                        strbuf_puts(en, "a kernel ");
                        join(en, types, nt);
                        strbuf_puts(en, " report");
                        strbuf_puts(zh, "内核报告 ");
                        join_zh(zh, types, nt);
                } else {
                        strbuf_puts(en, "a kernel report");
                        strbuf_puts(zh, "内核报告");
                }
                if (c->n_frames) {
                        strbuf_puts(en, " whose call trace shows ");
                        strbuf_puts(zh, "，其调用栈包含 ");
                        join(en, c->frames, c->n_frames);
                        join_zh(zh, c->frames, c->n_frames);
                }
        } else {
                bool any = false;
                if (c->has_kmin || c->has_kbelow) {
                        strbuf_puts(en, "kernel release");
                        strbuf_puts(zh, "内核版本");
                        if (c->has_kmin) {
                                strbuf_printf(en, " at least %u.%u.%u", c->kmin.major, c->kmin.minor, c->kmin.patch);
                                strbuf_printf(zh, "不低于 %u.%u.%u", c->kmin.major, c->kmin.minor, c->kmin.patch);
                        }
                        if (c->has_kbelow) {
                                strbuf_printf(en, "%s below %u.%u", c->has_kmin ? " and" : "", c->kbelow.major, c->kbelow.minor);
                                if (c->kbelow.patch)
                                        strbuf_printf(en, ".%u", c->kbelow.patch);
                                strbuf_printf(zh, "%s低于 %u.%u", c->has_kmin ? "且" : "", c->kbelow.major, c->kbelow.minor);
                                if (c->kbelow.patch)
                                        strbuf_printf(zh, ".%u", c->kbelow.patch);
                        }
                        any = true;
                }
                static const char *const flag_en[] = { "forced read-only", "shut down", "transaction/journal aborted" };
                static const char *const flag_zh[] = { "被强制只读", "已关闭（shutdown）", "事务/日志已中止" };
                const int flags[] = { c->read_only, c->shutdown, c->aborted };
                for (size_t i = 0; i < ELEMENTSOF(flags); i++) {
                        if (flags[i] < 0)
                                continue;
                        strbuf_printf(en, "%sfilesystem %s%s", any ? ", " : "", flags[i] ? "" : "not ", flag_en[i]);
                        strbuf_printf(zh, "%s文件系统%s%s", any ? "，" : "", flags[i] ? "" : "未", flag_zh[i]);
                        any = true;
                }
                if (c->bit_flip >= 0) {
                        strbuf_printf(en, "%sthe two values a corruption message prints %s in exactly one bit",
                                      any ? ", " : "", c->bit_flip ? "differ" : "do not differ");
                        strbuf_printf(zh, "%s损坏消息打印的两个值%s仅相差一位", any ? "，" : "", c->bit_flip ? "" : "并非");
                        any = true;
                }
                if (c->mirror_short >= 0) {
                        strbuf_printf(en, "%sthe pasted btrfs usage shows %s devices with unallocated space than the metadata profile needs",
                                      any ? ", " : "", c->mirror_short ? "fewer" : "at least as many");
                        strbuf_printf(zh, "%s粘贴的 btrfs 用量显示有未分配空间的设备数%s元数据配置所需", any ? "，" : "",
                                      c->mirror_short ? "少于" : "不少于");
                        any = true;
                }
                if (c->pinned.min >= 0)
                        describe_pinned_share(&c->pinned, any, en, zh);
        }
}

static int parse_cond(struct loader *l, const yaml_node_t *n, const char *what, bool nested, struct kb_cond *c);

/* "33554432", "32M", "32MiB", "1G": bytes, binary multiples */
static int get_bytes(struct loader *l, const yaml_node_t *n, const char *what, uint64_t *ret) {
        const char *s = scalar(n);
        char *end;
        if (!s || *s < '0' || *s > '9')
                return fail(l, n, "%s: expected a byte count such as 33554432, 32MiB or 1GiB", what);
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        static const char *const units = "KMGT";
        unsigned shift = 0;
        const char *u = *end ? strchr(units, *end) : NULL;
        if (u) {
                shift = 10 * (unsigned) (u - units + 1);
                end++;
                if (strcmp(end, "iB") == 0)
                        end += 3;
        }
        if (errno || *end || (shift && v > (UINT64_MAX >> shift)))
                return fail(l, n, "%s: expected a byte count such as 33554432, 32MiB or 1GiB, got '%s'", what, s);
        *ret = (uint64_t) v << shift;
        return 0;
}

/* pinned_share: {min: 0.5, min_bytes: 32MiB, type: metadata} */
static int parse_pinned_share(struct loader *l, const yaml_node_t *v, struct kb_pinned_share *ret) {
        static const char *const type_names[] = { "data", "system", "metadata" };
        if (!v || v->type != YAML_MAPPING_NODE)
                return fail(l, v, "pinned_share: expected a mapping with 'min' and optionally 'min_bytes' and 'type', got %s",
                            node_kind(v));
        struct kb_pinned_share p = { .min = -1 };
        int r;
        for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
                yaml_node_t *kn = node_at(l, q->key), *val = node_at(l, q->value);
                const char *k = scalar(kn);
                if (k && strcmp(k, "min") == 0) {
                        /* 0 would hold with nothing pinned; above 1 never holds */
                        if ((r = get_double(l, val, "pinned_share.min", 0.01, 1, &p.min)) < 0)
                                return r;
                } else if (k && strcmp(k, "min_bytes") == 0) {
                        if ((r = get_bytes(l, val, "pinned_share.min_bytes", &p.min_bytes)) < 0)
                                return r;
                } else if (k && strcmp(k, "type") == 0) {
                        const char **names;
                        size_t nn;
                        if ((r = get_string_list(l, val, "pinned_share.type", &names, &nn)) < 0)
                                return r;
                        for (size_t i = 0; i < nn; i++) {
                                size_t t = 0;
                                while (t < ELEMENTSOF(type_names) && strcmp(type_names[t], names[i]) != 0)
                                        t++;
                                if (t == ELEMENTSOF(type_names))
                                        return fail(l, val, "pinned_share.type: expected data, system or metadata, got '%s'", names[i]);
                                p.types |= 1u << t;
                        }
                } else
                        return fail(l, kn, "pinned_share: unknown key '%s' (expected min, min_bytes or type)", k ? k : "?");
        }
        if (p.min < 0)
                return fail(l, v, "pinned_share: 'min' is required (the share of the space not holding live data, 0.01 to 1)");
        *ret = p;
        return 0;
}

static int parse_nested(struct loader *l, const yaml_node_t *v, const char *what, struct kb_cond **ret) {
        struct kb_cond *c = arena_alloc(l->a, sizeof *c);
        if (!c)
                return oom(l);
        int r = parse_cond(l, v, what, true, c);
        if (r < 0)
                return r;
        if (c->kind != COND_EVENT)
                return fail(l, v, "%s: expected an event condition (keys event, function, errno, text, fs, layer)", what);
        *ret = c;
        return 0;
}

static int parse_cond(struct loader *l, const yaml_node_t *n, const char *what, bool nested, struct kb_cond *c) {
        if (!n || n->type != YAML_MAPPING_NODE)
                return fail(l, n, "%s: expected a condition mapping (e.g. {event: transaction_abort, errno: ENOSPC}), got %s",
                            what, node_kind(n));
        *c = (struct kb_cond) { .event_fs = -1, .layer = -1, .after_failure = -1, .read_only = -1, .shutdown = -1, .aborted = -1, .bit_flip = -1, .mirror_short = -1, .pinned.min = -1,
                                .weight = 1, .boost = 0.05, .yaml_line = (unsigned) n->start_mark.line + 1 };
        bool has_event = false, has_report = false, has_incident = false;
        int r;
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
                yaml_node_t *kn = node_at(l, p->key), *v = node_at(l, p->value);
                const char *key = scalar(kn);
                if (!key)
                        return fail(l, kn, "%s: condition keys must be strings", what);
                if (in_list(event_keys, ELEMENTSOF(event_keys), key))
                        has_event = true;
                else if (in_list(report_keys, ELEMENTSOF(report_keys), key))
                        has_report = true;
                else if (in_list(incident_keys, ELEMENTSOF(incident_keys), key))
                        has_incident = true;
                else if (!in_list(common_keys, ELEMENTSOF(common_keys), key) || (nested && strcmp(key, "absent") != 0))
                        return fail(l, kn, "%s: unknown condition key '%s' (expected event, function, errno, text, detail, fs, "
                                    "layer, before, after, after_failure, frame, report, kernel, read_only, shutdown, aborted, bit_flip, mirror_short, "
                                    "pinned_share, absent%s)",
                                    what, key, nested ? "" : ", weight, boost, why");

                if (strcmp(key, "event") == 0) {
                        const char **names;
                        size_t nn;
                        if ((r = get_string_list(l, v, "event", &names, &nn)) < 0)
                                return r;
                        for (size_t i = 0; i < nn; i++) {
                                int k = kb_event_kind_from_name(names[i]);
                                if (k < 0)
                                        return fail(l, v, "event: unknown event kind '%s' (see docs/rules.md for the list)", names[i]);
                                c->kinds |= UINT64_C(1) << k;
                        }
                } else if (strcmp(key, "function") == 0) {
                        if ((r = get_string_list(l, v, "function", &c->functions, &c->n_functions)) < 0)
                                return r;
                } else if (strcmp(key, "text") == 0) {
                        if ((r = get_string_list(l, v, "text", &c->texts, &c->n_texts)) < 0)
                                return r;
                } else if (strcmp(key, "detail") == 0) {
                        if ((r = get_string_list(l, v, "detail", &c->details, &c->n_details)) < 0)
                                return r;
                } else if (strcmp(key, "after_failure") == 0) {
                        bool b;
                        if ((r = get_bool(l, v, key, &b)) < 0)
                                return r;
                        c->after_failure = b;
                } else if (strcmp(key, "errno") == 0) {
                        const char **names;
                        if ((r = get_string_list(l, v, "errno", &names, &c->n_errnos)) < 0)
                                return r;
                        c->errnos = arena_alloc_array(l->a, c->n_errnos, sizeof *c->errnos);
                        if (!c->errnos)
                                return oom(l);
                        for (size_t i = 0; i < c->n_errnos; i++) {
                                char *end;
                                long e = strtol(names[i], &end, 10);
                                if (*end || end == names[i])
                                        e = kb_errno_from_name(names[i]);
                                if (e == 0 || e < -4095 || e > 4095)
                                        return fail(l, v, "errno: expected an errno name (ENOSPC, EIO, EUCLEAN, ...) or number, got '%s'", names[i]);
                                c->errnos[i] = e > 0 ? (int) -e : (int) e;
                        }
                } else if (strcmp(key, "fs") == 0) {
                        const char *s;
                        if ((r = get_string(l, v, "fs", &s)) < 0)
                                return r;
                        if ((c->event_fs = kb_fs_from_name(s)) < 0)
                                return fail(l, v, "fs: expected btrfs, ext4, xfs, none or other, got '%s'", s);
                } else if (strcmp(key, "layer") == 0) {
                        static const char *const layers[] = { "hardware", "device", "block", "fs" };
                        const char *s = scalar(v);
                        c->layer = -1;
                        for (size_t i = 0; s && i < ELEMENTSOF(layers); i++)
                                if (strcmp(layers[i], s) == 0)
                                        c->layer = (int) i;
                        if (c->layer < 0)
                                return fail(l, v, "layer: expected hardware, device, block or fs");
                } else if (strcmp(key, "before") == 0) {
                        if ((r = parse_nested(l, v, "before", &c->before)) < 0)
                                return r;
                } else if (strcmp(key, "after") == 0) {
                        if ((r = parse_nested(l, v, "after", &c->after)) < 0)
                                return r;
                } else if (strcmp(key, "frame") == 0) {
                        if ((r = get_string_list(l, v, "frame", &c->frames, &c->n_frames)) < 0)
                                return r;
                } else if (strcmp(key, "report") == 0) {
                        const char **names;
                        size_t nn;
                        if ((r = get_string_list(l, v, "report", &names, &nn)) < 0)
                                return r;
                        for (size_t i = 0; i < nn; i++) {
                                int t = kb_report_type_from_name(names[i]);
                                if (t < 0)
                                        return fail(l, v, "report: unknown report type '%s' (expected warning, bug, oops, gpf, panic, hang, ...)", names[i]);
                                c->report_types |= UINT32_C(1) << t;
                        }
                } else if (strcmp(key, "kernel") == 0) {
                        if (!v || v->type != YAML_MAPPING_NODE)
                                return fail(l, v, "kernel: expected a mapping with 'min' and/or 'below'");
                        for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
                                const char *kk = scalar(node_at(l, q->key));
                                if (kk && strcmp(kk, "min") == 0) {
                                        if ((r = get_kver(l, node_at(l, q->value), "kernel.min", &c->kmin)) < 0)
                                                return r;
                                        c->has_kmin = true;
                                } else if (kk && strcmp(kk, "below") == 0) {
                                        if ((r = get_kver(l, node_at(l, q->value), "kernel.below", &c->kbelow)) < 0)
                                                return r;
                                        c->has_kbelow = true;
                                } else if (kk && strcmp(kk, "unknown") == 0) {
                                        const char *how = scalar(node_at(l, q->value));
                                        if (!how || (strcmp(how, "assume") != 0 && strcmp(how, "fail") != 0))
                                                return fail(l, node_at(l, q->value), "kernel.unknown: expected 'assume' or 'fail'");
                                        c->kernel_if_unknown = strcmp(how, "assume") == 0;
                                } else
                                        return fail(l, node_at(l, q->key), "kernel: unknown key '%s' (expected min, below or unknown)", kk ? kk : "?");
                        }
                        if (!c->has_kmin && !c->has_kbelow)
                                return fail(l, v, "kernel: expected 'min' and/or 'below'");
                } else if (strcmp(key, "read_only") == 0 || strcmp(key, "shutdown") == 0 || strcmp(key, "aborted") == 0) {
                        bool b;
                        if ((r = get_bool(l, v, key, &b)) < 0)
                                return r;
                        int *dst = key[0] == 'r' ? &c->read_only : key[0] == 's' ? &c->shutdown : &c->aborted;
                        *dst = b;
                } else if (strcmp(key, "bit_flip") == 0) {
                        bool b;
                        if ((r = get_bool(l, v, key, &b)) < 0)
                                return r;
                        c->bit_flip = b;
                } else if (strcmp(key, "mirror_short") == 0) {
                        bool b;
                        if ((r = get_bool(l, v, key, &b)) < 0)
                                return r;
                        c->mirror_short = b;
                } else if (strcmp(key, "pinned_share") == 0) {
                        if ((r = parse_pinned_share(l, v, &c->pinned)) < 0)
                                return r;
                } else if (strcmp(key, "absent") == 0) {
                        if ((r = get_bool(l, v, "absent", &c->absent)) < 0)
                                return r;
                } else if (strcmp(key, "weight") == 0) {
                        double w;
                        if ((r = get_double(l, v, "weight", 0, 100, &w)) < 0)
                                return r;
                        c->weight = (unsigned) w;
                } else if (strcmp(key, "boost") == 0) {
                        if ((r = get_double(l, v, "boost", 0, 1, &c->boost)) < 0)
                                return r;
                } else if (strcmp(key, "why") == 0) {
                        if ((r = get_text(l, v, "why", &c->why)) < 0)
                                return r;
                }
        }
        if (has_event + has_report + has_incident != 1)
                return fail(l, n, "%s: a condition tests exactly one thing: an event (event, function, errno, text, detail, "
                            "fs, layer, before, after, after_failure), a report (frame, report) or the incident (kernel, read_only, "
                            "shutdown, aborted, bit_flip, mirror_short, pinned_share)%s", what, (has_event + has_report + has_incident) ? "; this one mixes them" : "");
        c->kind = has_event ? COND_EVENT : has_report ? COND_REPORT : COND_INCIDENT;
        struct strbuf en = STRBUF_INIT, zh = STRBUF_INIT;
        describe_cond(c, &en, &zh);
        c->desc.en = arena_strdup(l->a, strbuf_str(&en));
        c->desc.zh = arena_strdup(l->a, strbuf_str(&zh));
        bool failed = strbuf_failed(&en) || strbuf_failed(&zh);
        strbuf_done(&en);
        strbuf_done(&zh);
        return failed || !c->desc.en || !c->desc.zh ? oom(l) : 0;
}

static int parse_cond_list(struct loader *l, const yaml_node_t *n, const char *what, struct kb_cond **ret, size_t *ret_n) {
        if (!n || n->type != YAML_SEQUENCE_NODE)
                return fail(l, n, "match.%s: expected a list of conditions, got %s", what, node_kind(n));
        size_t count = seq_len(n);
        if (count > KB_MAX_LIST)
                return fail(l, n, "match.%s: at most %u conditions", what, KB_MAX_LIST);
        struct kb_cond *v = arena_alloc_array(l->a, count ? count : 1, sizeof *v);
        if (!v)
                return oom(l);
        char label[32];
        snprintf(label, sizeof label, "match.%s", what);
        for (size_t i = 0; i < count; i++) {
                int r = parse_cond(l, node_at(l, n->data.sequence.items.start[i]), label, false, &v[i]);
                if (r < 0)
                        return r;
        }
        *ret = v;
        *ret_n = count;
        return 0;
}

static int parse_match(struct loader *l, const yaml_node_t *n, struct kb_rule *rule) {
        if (!n || n->type != YAML_MAPPING_NODE)
                return fail(l, n, "match: expected a mapping with 'require' and optionally 'prefer' and 'exclude'");
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
                yaml_node_t *kn = node_at(l, p->key), *v = node_at(l, p->value);
                const char *key = scalar(kn);
                int r;
                if (key && strcmp(key, "require") == 0)
                        r = parse_cond_list(l, v, "require", &rule->require, &rule->n_require);
                else if (key && strcmp(key, "prefer") == 0)
                        r = parse_cond_list(l, v, "prefer", &rule->prefer, &rule->n_prefer);
                else if (key && strcmp(key, "exclude") == 0)
                        r = parse_cond_list(l, v, "exclude", &rule->exclude, &rule->n_exclude);
                else
                        r = fail(l, kn, "match: unknown key '%s' (expected require, prefer or exclude)", key ? key : "?");
                if (r < 0)
                        return r;
        }
        if (rule->n_require == 0)
                return fail(l, n, "match.require: expected at least one condition");
        for (size_t i = 0; i < rule->n_require; i++)
                rule->require[i].weight = rule->require[i].weight > 1 ? rule->require[i].weight : 3;
        return 0;
}

static int parse_code_path(struct loader *l, const yaml_node_t *n, struct kb_rule *rule) {
        if (!n || n->type != YAML_SEQUENCE_NODE || seq_len(n) == 0 || seq_len(n) > KB_MAX_LIST)
                return fail(l, n, "code_path: expected a list of 1 to %u steps", KB_MAX_LIST);
        size_t count = seq_len(n);
        struct fsd_code_step *v = arena_alloc_array(l->a, count, sizeof *v);
        if (!v)
                return oom(l);
        for (size_t i = 0; i < count; i++) {
                yaml_node_t *s = node_at(l, n->data.sequence.items.start[i]);
                if (!s || s->type != YAML_MAPPING_NODE)
                        return fail(l, s, "code_path: expected a mapping {function, file, visibility, note}");
                for (yaml_node_pair_t *p = s->data.mapping.pairs.start; p < s->data.mapping.pairs.top; p++) {
                        yaml_node_t *kn = node_at(l, p->key), *val = node_at(l, p->value);
                        const char *key = scalar(kn);
                        int r;
                        if (key && strcmp(key, "function") == 0)
                                r = get_string(l, val, "code_path.function", &v[i].function);
                        else if (key && strcmp(key, "file") == 0)
                                r = get_string(l, val, "code_path.file", &v[i].file);
                        else if (key && strcmp(key, "note") == 0)
                                r = get_text(l, val, "code_path.note", &v[i].note);
                        else if (key && strcmp(key, "visibility") == 0) {
                                const char *vis = scalar(val);
                                r = 0;
                                if (vis && strcmp(vis, "shown") == 0)
                                        v[i].visibility = FSD_PATH_SHOWN;
                                else if (vis && strcmp(vis, "hidden") == 0)
                                        v[i].visibility = FSD_PATH_HIDDEN;
                                else if (vis && strcmp(vis, "inlined") == 0)
                                        v[i].visibility = FSD_PATH_INLINED;
                                else
                                        r = fail(l, val, "code_path.visibility: expected shown, hidden or inlined");
                        } else
                                r = fail(l, kn, "code_path: unknown key '%s' (expected function, file, visibility, note)", key ? key : "?");
                        if (r < 0)
                                return r;
                }
                if (!v[i].function)
                        return fail(l, s, "code_path: every step needs 'function'");
        }
        rule->info.code_path = v;
        rule->info.n_code_path = count;
        return 0;
}

static int parse_fixes(struct loader *l, const yaml_node_t *n, struct kb_rule *rule) {
        if (!n || n->type != YAML_SEQUENCE_NODE || seq_len(n) > KB_MAX_LIST)
                return fail(l, n, "fixes: expected a list of up to %u fixes", KB_MAX_LIST);
        size_t count = seq_len(n);
        struct fsd_fix *v = arena_alloc_array(l->a, count ? count : 1, sizeof *v);
        if (!v)
                return oom(l);
        for (size_t i = 0; i < count; i++) {
                yaml_node_t *s = node_at(l, n->data.sequence.items.start[i]);
                bool has_status = false;
                if (!s || s->type != YAML_MAPPING_NODE)
                        return fail(l, s, "fixes: expected a mapping {commit, subject, mainline, stable, status, note}");
                for (yaml_node_pair_t *p = s->data.mapping.pairs.start; p < s->data.mapping.pairs.top; p++) {
                        yaml_node_t *kn = node_at(l, p->key), *val = node_at(l, p->value);
                        const char *key = scalar(kn);
                        int r = 0;
                        if (key && strcmp(key, "commit") == 0) {
                                r = get_string(l, val, "fixes.commit", &v[i].commit);
                                size_t len = r < 0 ? 0 : strlen(v[i].commit);
                                if (r == 0 && (len < 7 || len > 40 || strspn(v[i].commit, "0123456789abcdef") != len))
                                        r = fail(l, val, "fixes.commit: expected 7 to 40 lowercase hex digits");
                        } else if (key && strcmp(key, "subject") == 0)
                                r = get_string(l, val, "fixes.subject", &v[i].subject);
                        else if (key && strcmp(key, "mainline") == 0) {
                                struct kver kv;
                                r = get_kver(l, val, "fixes.mainline", &kv);
                                if (r == 0)
                                        r = get_string(l, val, "fixes.mainline", &v[i].mainline);
                        } else if (key && strcmp(key, "stable") == 0) {
                                const char **list;
                                size_t nl;
                                r = get_string_list(l, val, "fixes.stable", &list, &nl);
                                for (size_t j = 0; r == 0 && j < nl; j++) {
                                        struct kver kv;
                                        if (kver_parse(list[j], &kv) < 0)
                                                r = fail(l, val, "fixes.stable: '%s' is not a kernel version", list[j]);
                                }
                                if (r == 0) {
                                        v[i].stable = list;
                                        v[i].n_stable = nl;
                                }
                        } else if (key && strcmp(key, "status") == 0) {
                                const char *st = scalar(val);
                                has_status = true;
                                if (st && strcmp(st, "verified") == 0)
                                        v[i].status = FSD_FIX_VERIFIED;
                                else if (st && strcmp(st, "inferred") == 0)
                                        v[i].status = FSD_FIX_INFERRED;
                                else
                                        r = fail(l, val, "fixes.status: expected verified or inferred");
                        } else if (key && strcmp(key, "note") == 0)
                                r = get_text(l, val, "fixes.note", &v[i].note);
                        else
                                r = fail(l, kn, "fixes: unknown key '%s' (expected commit, subject, mainline, stable, status, note)", key ? key : "?");
                        if (r < 0)
                                return r;
                }
                if (!v[i].subject || !v[i].mainline || !has_status)
                        return fail(l, s, "fixes: every fix needs 'subject', 'mainline' and 'status'");
        }
        rule->info.fixes = v;
        rule->info.n_fixes = count;
        return 0;
}

static int parse_notes(struct loader *l, const yaml_node_t *n, struct kb_rule *rule) {
        if (!n || n->type != YAML_SEQUENCE_NODE || seq_len(n) > KB_MAX_LIST)
                return fail(l, n, "notes: expected a list of up to %u notes", KB_MAX_LIST);
        size_t count = seq_len(n);
        struct kb_note *v = arena_alloc_array(l->a, count ? count : 1, sizeof *v);
        if (!v)
                return oom(l);
        for (size_t i = 0; i < count; i++) {
                yaml_node_t *s = node_at(l, n->data.sequence.items.start[i]);
                bool has_when = false;
                if (!s || s->type != YAML_MAPPING_NODE)
                        return fail(l, s, "notes: expected a mapping {key, when, text}");
                for (yaml_node_pair_t *p = s->data.mapping.pairs.start; p < s->data.mapping.pairs.top; p++) {
                        yaml_node_t *kn = node_at(l, p->key), *val = node_at(l, p->value);
                        const char *key = scalar(kn);
                        int r;
                        if (key && strcmp(key, "key") == 0)
                                r = get_string(l, val, "notes.key", &v[i].key);
                        else if (key && strcmp(key, "when") == 0) {
                                r = parse_cond(l, val, "notes.when", false, &v[i].when);
                                has_when = true;
                        } else if (key && strcmp(key, "text") == 0)
                                r = get_text(l, val, "notes.text", &v[i].text);
                        else
                                r = fail(l, kn, "notes: unknown key '%s' (expected key, when, text)", key ? key : "?");
                        if (r < 0)
                                return r;
                }
                if (!v[i].key || !has_when || !v[i].text.en)
                        return fail(l, s, "notes: every note needs 'key', 'when' and 'text'");
        }
        rule->notes = v;
        rule->n_notes = count;
        return 0;
}

static bool id_valid(const char *id) {
        size_t n = strlen(id);
        return n > 0 && n < 128 && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-/") == n && strchr(id, '/') &&
               id[0] != '/' && id[n - 1] != '/';
}

static int parse_rule_doc(struct loader *l, struct kb_rule *rule, const char *expected_id) {
        yaml_node_t *root = yaml_document_get_root_node(&l->doc);
        if (!root)
                return fail(l, NULL, "empty file: expected one rule (a mapping with id, fs, severity, title, ...)");
        if (root->type != YAML_MAPPING_NODE)
                return fail(l, root, "expected the rule as a mapping, got %s", node_kind(root));
        bool seen_match = false, seen_conf = false;
        rule->base_confidence = 0.6;
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
                yaml_node_t *kn = node_at(l, p->key), *v = node_at(l, p->value);
                const char *key = scalar(kn);
                int r;
                if (!key)
                        return fail(l, kn, "rule keys must be strings");
                if (strcmp(key, "id") == 0) {
                        r = get_string(l, v, "id", &rule->info.id);
                        if (r == 0 && !id_valid(rule->info.id))
                                r = fail(l, v, "id: expected '<fs>/<name>' in lowercase letters, digits and '-'");
                        if (r == 0 && expected_id && strcmp(expected_id, rule->info.id) != 0)
                                r = fail(l, v, "id: '%s' does not match the file's path, which implies '%s'", rule->info.id, expected_id);
                } else if (strcmp(key, "fs") == 0) {
                        const char *s;
                        r = get_string(l, v, "fs", &s);
                        if (r == 0) {
                                int fs = kb_fs_from_name(s);
                                if (fs < 0)
                                        r = fail(l, v, "fs: expected btrfs, ext4, xfs, none or other, got '%s'", s);
                                rule->info.fs = fs < 0 ? FSD_FS_NONE : (enum fsd_fs_type) fs;
                        }
                } else if (strcmp(key, "severity") == 0) {
                        const char *s = scalar(v);
                        r = -1;
                        for (int i = 0; s && i < _FSD_SEVERITY_MAX; i++)
                                if (strcmp(s, fsd_severity_name(i)) == 0) {
                                        rule->info.severity = i;
                                        r = 0;
                                }
                        if (r < 0)
                                r = fail(l, v, "severity: expected info, warning, error or critical");
                } else if (strcmp(key, "confidence") == 0) {
                        r = get_double(l, v, "confidence", 0.05, 0.99, &rule->base_confidence);
                        seen_conf = true;
                } else if (strcmp(key, "priority") == 0) {
                        double d;
                        r = get_double(l, v, "priority", -100, 100, &d);
                        rule->priority = (int) d;
                } else if (strcmp(key, "title") == 0)
                        r = get_text(l, v, "title", &rule->info.title);
                else if (strcmp(key, "explanation") == 0)
                        r = get_text(l, v, "explanation", &rule->info.explanation);
                else if (strcmp(key, "remediation") == 0)
                        r = get_text(l, v, "remediation", &rule->info.remediation);
                else if (strcmp(key, "prevention") == 0)
                        r = get_text(l, v, "prevention", &rule->info.prevention);
                else if (strcmp(key, "match") == 0) {
                        r = parse_match(l, v, rule);
                        seen_match = true;
                } else if (strcmp(key, "code_path") == 0)
                        r = parse_code_path(l, v, rule);
                else if (strcmp(key, "fixes") == 0)
                        r = parse_fixes(l, v, rule);
                else if (strcmp(key, "notes") == 0)
                        r = parse_notes(l, v, rule);
                else if (strcmp(key, "sources") == 0)
                        r = get_string_list(l, v, "sources", &rule->sources, &rule->n_sources);
                else
                        r = fail(l, kn, "unknown key '%s' (expected id, fs, severity, confidence, priority, title, "
                                 "explanation, remediation, prevention, match, notes, code_path, fixes, sources)", key);
                if (r < 0)
                        return r;
        }
        static const char *const required[] = { "id", "fs", "severity", "title", "explanation", "remediation", "prevention", "match" };
        const bool have[] = { rule->info.id, true, true, rule->info.title.en, rule->info.explanation.en,
                              rule->info.remediation.en, rule->info.prevention.en, seen_match };
        for (size_t i = 0; i < ELEMENTSOF(required); i++)
                if (!have[i])
                        return fail(l, root, "missing required key '%s'", required[i]);
        (void) seen_conf;

        /* the public view lists every scoring condition in words */
        size_t nc = rule->n_require + rule->n_prefer + rule->n_exclude;
        struct fsd_text *conds = arena_alloc_array(l->a, nc ? nc : 1, sizeof *conds);
        bool *req = arena_alloc_array(l->a, nc ? nc : 1, sizeof *req);
        if (!conds || !req)
                return oom(l);
        size_t k = 0;
        for (size_t i = 0; i < rule->n_require; i++, k++) {
                conds[k] = rule->require[i].desc;
                req[k] = true;
        }
        for (size_t i = 0; i < rule->n_prefer; i++, k++)
                conds[k] = rule->prefer[i].desc;
        for (size_t i = 0; i < rule->n_exclude; i++, k++) {
                const struct kb_cond *c = &rule->exclude[i];
                conds[k].en = arena_printf(l->a, "excluded when: %s", c->desc.en);
                conds[k].zh = arena_printf(l->a, "排除条件：%s", c->desc.zh);
                if (!conds[k].en || !conds[k].zh)
                        return oom(l);
        }
        rule->info.conditions = conds;
        rule->info.condition_required = req;
        rule->info.n_conditions = nc;
        rule->info.sources = rule->sources;
        rule->info.n_sources = rule->n_sources;
        return 0;
}

int kb_parse_rule(struct arena *a, const char *path, const char *expected_id, const char *text, size_t len,
                  struct kb_rule *ret_rule, char **reterr_detail) {
        struct loader l = { .a = a, .path = path };
        struct kb_rule rule = {};
        yaml_parser_t parser;
        int r;

        if (len > KB_MAX_FILE_BYTES) {
                fail(&l, NULL, "file is %zu bytes, more than the %u allowed for a rule", len, KB_MAX_FILE_BYTES);
                r = -FSD_E_LIMIT;
                goto out;
        }
        if (!yaml_parser_initialize(&parser)) {
                r = -ENOMEM;
                goto out;
        }
        yaml_parser_set_input_string(&parser, (const unsigned char *) text, len);
        if (!yaml_parser_load(&parser, &l.doc)) {
                r = fail(&l, NULL, "%zu:%zu: YAML syntax error: %s%s%s", parser.problem_mark.line + 1,
                         parser.problem_mark.column + 1, parser.problem ? parser.problem : "unknown problem",
                         parser.context ? " " : "", parser.context ? parser.context : "");
                /* fail() prefixed "path: "; the marks come from the parser, not a node */
                yaml_parser_delete(&parser);
                goto out;
        }
        yaml_parser_delete(&parser);
        rule.info.source = arena_strdup(a, path);
        r = rule.info.source ? parse_rule_doc(&l, &rule, expected_id) : -ENOMEM;
        yaml_document_delete(&l.doc);
        if (r == 0 && a->failed)
                r = oom(&l);
out:
        if (r < 0) {
                if (!l.err && r == -ENOMEM)
                        l.err = strdup("out of memory");
                if (reterr_detail) {
                        /* the syntax error message reads "path: line:col: ..."; make it "path:line:col: ..." */
                        if (l.err) {
                                size_t pl = strlen(path);
                                if (strncmp(l.err, path, pl) == 0 && l.err[pl] == ':' && l.err[pl + 1] == ' ' &&
                                    l.err[pl + 2] >= '0' && l.err[pl + 2] <= '9')
                                        memmove(l.err + pl + 1, l.err + pl + 2, strlen(l.err + pl + 2) + 1);
                        }
                        *reterr_detail = l.err;
                } else
                        free(l.err);
                return r;
        }
        *ret_rule = rule;
        return 0;
}
