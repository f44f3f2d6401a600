/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decodecode, built in: the "Code:" bytes of a report disassembled with Capstone, the trapping
 * instruction marked, and what the register dump says about it — the base register of a faulting
 * memory operand, the arguments loaded before the calls that precede a BUG()/WARN() trap. */
#include <capstone/capstone.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "basic/json-writer.h"
#include "basic/strbuf.h"
#include "decode-internal.h"

#define LISTING_MAX 64

struct listing_storage {
        struct fsd_code_listing pub;
        struct fsd_insn insns[LISTING_MAX];
        char mnemonic[LISTING_MAX][32];
        char operands[LISTING_MAX][160];
        char regs[LISTING_MAX][2][16];
        char function[128];
};

/* Where the report says the CPU was: "func.isra.0+0x65c/0xbd0 [mod]" -> func, 0x65c, 0xbd0. */
static bool rip_parse(const char *rip, char *func, size_t func_size, uint64_t *ret_off, uint64_t *ret_size) {
        if (!rip)
                return false;
        const char *plus = strchr(rip, '+');
        if (!plus || plus == rip)
                return false;
        char *end;
        errno = 0;
        uint64_t off = strtoull(plus + 1, &end, 16);
        if (errno || *end != '/')
                return false;
        uint64_t size = strtoull(end + 1, &end, 16);
        if (errno)
                return false;
        size_t n = (size_t) (plus - rip);
        const char *dot = memchr(rip, '.', n);   /* compiler suffix: not part of the name */
        if (dot)
                n = (size_t) (dot - rip);
        if (n >= func_size)
                return false;
        memcpy(func, rip, n);
        func[n] = 0;
        *ret_off = off;
        *ret_size = size;
        return true;
}

static const char *arch_name(enum code_arch a) {
        switch (a) {
        case CODE_ARCH_X86_64: return "x86-64";
        case CODE_ARCH_X86_32: return "x86";
        case CODE_ARCH_ARM64:  return "arm64";
        case CODE_ARCH_ARM:    return "arm";
        case CODE_ARCH_THUMB:  return "thumb";
        default:               return "unknown";
        }
}

/* The name under which the register dump prints the register that holds cs_reg: x86 sub-registers
 * map to their 64-bit (or 32-bit) parent, arm64 w registers to x, arm's aliases to rN. */
static void dump_name(enum code_arch arch, const char *reg, char *out, size_t size) {
        static const char *const x86_families[][5] = {
                { "rax", "eax", "ax", "al", "ah" }, { "rbx", "ebx", "bx", "bl", "bh" },
                { "rcx", "ecx", "cx", "cl", "ch" }, { "rdx", "edx", "dx", "dl", "dh" },
                { "rsi", "esi", "si", "sil", NULL }, { "rdi", "edi", "di", "dil", NULL },
                { "rbp", "ebp", "bp", "bpl", NULL }, { "rsp", "esp", "sp", "spl", NULL },
        };
        snprintf(out, size, "%s", reg);
        if (arch == CODE_ARCH_X86_64 || arch == CODE_ARCH_X86_32) {
                for (size_t i = 0; i < ELEMENTSOF(x86_families); i++)
                        for (size_t j = 0; j < 5 && x86_families[i][j]; j++)
                                if (strcmp(reg, x86_families[i][j]) == 0) {
                                        snprintf(out, size, "%s", x86_families[i][arch == CODE_ARCH_X86_64 ? 0 : 1]);
                                        return;
                                }
                size_t n = strlen(reg);  /* r8d, r13w, r15b -> r8, r13, r15 */
                if (reg[0] == 'r' && n >= 3 && strchr("dwb", reg[n - 1]) && reg[1] >= '0' && reg[1] <= '9')
                        snprintf(out, size, "%.*s", (int) (n - 1), reg);
        } else if (arch == CODE_ARCH_ARM64) {
                if (reg[0] == 'w')
                        snprintf(out, size, "x%s", reg + 1);
        } else if (strcmp(reg, "sb") == 0)
                snprintf(out, size, "r9");
        else if (strcmp(reg, "sl") == 0)
                snprintf(out, size, "r10");
}

static bool reg_value(enum code_arch arch, const struct register_dump *d, const char *reg, unsigned size, uint64_t *ret) {
        char name[16];
        dump_name(arch, reg, name, sizeof name);
        uint64_t v;
        if (!register_dump_get(d, name, &v))
                return false;
        if (size == 4)
                v &= 0xffffffffu;
        else if (size == 2)
                v &= 0xffffu;
        else if (size == 1)
                v &= 0xffu;
        *ret = v;
        return true;
}

/* A value the kernel would pass as an error: -1 .. -MAX_ERRNO (4095) in the operand's width. */
static int as_errno(uint64_t v, unsigned size) {
        int64_t s = size == 4 ? (int64_t) (int32_t) (uint32_t) v : (int64_t) v;
        return s < 0 && s >= -4095 ? (int) s : 0;
}

static bool is_arg_register(enum code_arch arch, const char *dump_reg, unsigned *ret_arg) {
        static const char *const sysv[] = { "rdi", "rsi", "rdx", "rcx", "r8", "r9" };
        if (arch == CODE_ARCH_X86_64) {
                for (unsigned i = 0; i < ELEMENTSOF(sysv); i++)
                        if (strcmp(dump_reg, sysv[i]) == 0) {
                                *ret_arg = i + 1;
                                return true;
                        }
                return false;
        }
        if (arch == CODE_ARCH_ARM64 && dump_reg[0] == 'x' && dump_reg[1] >= '0' && dump_reg[1] <= '7' && !dump_reg[2]) {
                *ret_arg = (unsigned) (dump_reg[1] - '0') + 1;
                return true;
        }
        if ((arch == CODE_ARCH_ARM || arch == CODE_ARCH_THUMB) && dump_reg[0] == 'r' && dump_reg[1] >= '0' &&
            dump_reg[1] <= '3' && !dump_reg[2]) {
                *ret_arg = (unsigned) (dump_reg[1] - '0') + 1;
                return true;
        }
        return false;
}

/* Why a pointer is no pointer: the kernel's poison values and x86-64's non-canonical hole. */
static const char *bad_pointer(enum code_arch arch, uint64_t v) {
        if ((v & 0xffffffffffff0000ull) == 0xdead000000000000ull)
                return "list-poison";             /* LIST_POISON1/2: a deleted list entry */
        if (v == 0x6b6b6b6b6b6b6b6bull)
                return "slab-free-poison";        /* POISON_FREE: memory already freed */
        if (v == 0x5a5a5a5a5a5a5a5aull)
                return "slab-inuse-poison";       /* POISON_INUSE: never initialised */
        if (arch == CODE_ARCH_X86_64 && v >= 0x0000800000000000ull && v < 0xffff800000000000ull)
                return "non-canonical";           /* #GP, not a page fault */
        return NULL;
}

static cs_err open_capstone(enum code_arch arch, csh *ret) {
        switch (arch) {
        case CODE_ARCH_X86_64: return cs_open(CS_ARCH_X86, CS_MODE_64, ret);
        case CODE_ARCH_X86_32: return cs_open(CS_ARCH_X86, CS_MODE_32, ret);
        case CODE_ARCH_ARM64:  return cs_open(CS_ARCH_ARM64, CS_MODE_ARM, ret);
        case CODE_ARCH_ARM:    return cs_open(CS_ARCH_ARM, CS_MODE_ARM, ret);
        case CODE_ARCH_THUMB:  return cs_open(CS_ARCH_ARM, CS_MODE_THUMB, ret);
        default:               return CS_ERR_ARCH;
        }
}

/* A Capstone handle costs about as much to open as decoding a whole Code: line, and a log holds
 * hundreds of reports: each thread keeps one handle per architecture (a handle is not safe to
 * share between threads), closed when the thread ends. */
struct capstone_handles {
        csh h[CODE_ARCH_THUMB + 1];
};

static pthread_key_t handles_key;
static pthread_once_t handles_once = PTHREAD_ONCE_INIT;
static bool handles_key_ok;

static void handles_free(void *p) {
        struct capstone_handles *c = p;
        for (size_t i = 0; i < ELEMENTSOF(c->h); i++)
                if (c->h[i])
                        cs_close(&c->h[i]);
        free(c);
}

static void handles_key_create(void) {
        handles_key_ok = pthread_key_create(&handles_key, handles_free) == 0;
}

/* This thread's handle for arch, with operand details off; 0 when Capstone cannot open it. */
static csh capstone_handle(enum code_arch arch) {
        if (arch <= CODE_ARCH_UNKNOWN || arch > CODE_ARCH_THUMB)
                return 0;
        pthread_once(&handles_once, handles_key_create);
        if (!handles_key_ok)
                return 0;
        struct capstone_handles *c = pthread_getspecific(handles_key);
        if (!c) {
                c = calloc(1, sizeof *c);
                if (!c || pthread_setspecific(handles_key, c) != 0) {
                        free(c);
                        return 0;
                }
        }
        if (!c->h[arch] && open_capstone(arch, &c->h[arch]) != CS_ERR_OK)
                c->h[arch] = 0;
        if (c->h[arch])
                cs_option(c->h[arch], CS_OPT_DETAIL, CS_OPT_OFF);
        return c->h[arch];
}

/* Capstone 4 (Debian 12) reads 0f b9, ud1 ("UD1 r32, r/m32", which has a ModRM byte), as a
 * two-byte "ud2b": the bytes after it then decode out of step, and a trap marked after it is
 * missed. ud1 has the operand form of imul r32, r/m32 (0f af /r): that decoded in its place
 * gives the length and the operands. Capstone 5 decodes ud1 right and is left alone.
 * @return true when in was fixed (bytes: the code at in, avail of them). */
static bool x86_fix_ud1(csh h, cs_insn *in, const uint8_t *bytes, size_t avail) {
        size_t n = in->size;
        if (in->id != X86_INS_UD2B || n < 2 || n > avail || bytes[n - 2] != 0x0f || bytes[n - 1] != 0xb9)
                return false;
        uint8_t buf[16];
        size_t k = MIN(avail, sizeof buf);
        memcpy(buf, bytes, k);
        buf[n - 1] = 0xaf;
        cs_insn *as = NULL;
        /* a ud1 cut off by the end of the Code: line stays as Capstone read it */
        if (cs_disasm(h, buf, k, in->address, 1, &as) != 1)
                return false;
        bool ok = as->id == X86_INS_IMUL && as->size > n && as->size <= sizeof in->bytes;
        if (ok) {
                in->size = as->size;
                memcpy(in->bytes, bytes, as->size);
                snprintf(in->mnemonic, sizeof in->mnemonic, "ud1");
                snprintf(in->op_str, sizeof in->op_str, "%s", as->op_str);
        }
        cs_free(as, 1);
        return ok;
}

/* Instructions of one Code: line: Capstone's arrays, restarted after each ud1 it misreads. */
#define DECODE_MAX_PARTS 16
struct decoded {
        cs_insn *v;              /* shallow copies; details belong to parts */
        size_t n;
        cs_insn *parts[DECODE_MAX_PARTS];
        size_t part_n[DECODE_MAX_PARTS];
        size_t n_parts;
};

static void decoded_done(struct decoded *d) {
        for (size_t i = 0; i < d->n_parts; i++)
                cs_free(d->parts[i], d->part_n[i]);
        free(d->v);
}

static int decode_all(csh h, enum code_arch arch, const uint8_t *bytes, size_t n, uint64_t addr, struct decoded *d) {
        size_t off = 0;
        while (off < n && d->n_parts < DECODE_MAX_PARTS) {
                cs_insn *p = NULL;
                size_t k = cs_disasm(h, bytes + off, n - off, addr + off, 0, &p);
                if (k == 0)
                        break;
                d->parts[d->n_parts] = p;
                d->part_n[d->n_parts++] = k;
                size_t take = k;
                bool fixed = false;
                for (size_t i = 0; i < k && arch != CODE_ARCH_ARM64 && arch != CODE_ARCH_ARM; i++) {
                        size_t at = (size_t) (p[i].address - addr);
                        if (x86_fix_ud1(h, &p[i], bytes + at, n - at)) {
                                take = i + 1;
                                fixed = true;
                                off = at + p[i].size;
                                break;
                        }
                }
                cs_insn *v = realloc(d->v, (d->n + take) * sizeof *v);
                if (!v)
                        return -ENOMEM;
                d->v = v;
                memcpy(d->v + d->n, p, take * sizeof *p);
                d->n += take;
                if (!fixed)
                        break;
        }
        return 0;
}

/* The length of the instruction at off, decoded on first use and kept in len[] (-1: not yet
 * decoded, 0: no instruction there). */
static int insn_len_at(csh h, const struct code_bytes *cb, size_t off, cs_insn *insn, int16_t *len) {
        if (len[off] < 0) {
                const uint8_t *code = cb->bytes + off;
                size_t size = cb->n - off;
                uint64_t addr = off;
                len[off] = 0;
                if (cs_disasm_iter(h, &code, &size, &addr, insn)) {
                        x86_fix_ud1(h, insn, cb->bytes + off, cb->n - off);
                        len[off] = (int16_t) insn->size;
                }
        }
        return len[off];
}

/* x86 bytes before the marker may start inside an instruction. Take the first start offset from
 * which the instructions decode without a gap and one of them begins exactly at the marker.
 * An instruction decodes the same whichever walk reaches it, so each offset is decoded at most
 * once however many starts are tried. */
static size_t sync_start(csh h, const struct code_bytes *cb) {
        if (cb->trap <= 0 || cb->unit != 1)
                return 0;
        size_t trap = (size_t) cb->trap;
        int16_t len[CODE_BYTES_MAX];
        for (size_t i = 0; i < trap; i++)
                len[i] = -1;
        cs_insn *insn = cs_malloc(h);
        if (!insn)
                return 0;
        size_t found = 0;
        for (size_t s = 0; s < trap; s++) {
                size_t at = s;
                int l;
                while (at < trap && (l = insn_len_at(h, cb, at, insn, len)) > 0)
                        at += (size_t) l;
                if (at == trap) {
                        found = s;
                        break;
                }
        }
        cs_free(insn, 1);
        return found;
}

static bool is_call(enum code_arch arch, const cs_insn *in) {
        if (arch == CODE_ARCH_X86_64 || arch == CODE_ARCH_X86_32)
                return in->id == X86_INS_CALL;
        if (arch == CODE_ARCH_ARM64)
                return in->id == ARM64_INS_BL || in->id == ARM64_INS_BLR;
        return in->id == ARM_INS_BL || in->id == ARM_INS_BLX;
}

/* Control leaves the straight line here: the argument set-up before it belongs to it. */
static bool is_transfer(enum code_arch arch, const cs_insn *in) {
        if (is_call(arch, in))
                return true;
        if (arch == CODE_ARCH_X86_64 || arch == CODE_ARCH_X86_32)
                return in->id == X86_INS_JMP || in->id == X86_INS_RET || in->id == X86_INS_UD2 || in->id == X86_INS_UD2B;
        if (arch == CODE_ARCH_ARM64)
                return in->id == ARM64_INS_B || in->id == ARM64_INS_RET || in->id == ARM64_INS_BRK;
        return in->id == ARM_INS_B || in->id == ARM_INS_BX;
}

static bool is_trap_insn(enum code_arch arch, const cs_insn *in) {
        if (arch == CODE_ARCH_X86_64 || arch == CODE_ARCH_X86_32)
                return in->id == X86_INS_UD2 || in->id == X86_INS_UD0 || in->id == X86_INS_UD2B ||
                       in->id == X86_INS_INT3;
        if (arch == CODE_ARCH_ARM64)
                return in->id == ARM64_INS_BRK;
        return in->id == ARM_INS_UDF || in->id == ARM_INS_BKPT;
}

/* Destination register and source (register or immediate) of a register load, or false. */
static bool reg_load(enum code_arch arch, const cs_insn *in, const char **dst, const char **src, uint64_t *imm,
                     unsigned *size, csh h) {
        if (arch == CODE_ARCH_X86_64 || arch == CODE_ARCH_X86_32) {
                const cs_x86 *x = &in->detail->x86;
                if ((in->id != X86_INS_MOV && in->id != X86_INS_MOVABS) || x->op_count != 2 || x->operands[0].type != X86_OP_REG)
                        return false;
                *dst = cs_reg_name(h, x->operands[0].reg);
                *size = x->operands[0].size;
                if (x->operands[1].type == X86_OP_REG) {
                        *src = cs_reg_name(h, x->operands[1].reg);
                        return true;
                }
                if (x->operands[1].type == X86_OP_IMM) {
                        *src = NULL;
                        *imm = (uint64_t) x->operands[1].imm;
                        if (*size == 4)
                                *imm &= 0xffffffffu;
                        return true;
                }
                return false;
        }
        if (arch == CODE_ARCH_ARM64) {
                const cs_arm64 *a = &in->detail->arm64;
                if (in->id != ARM64_INS_MOV || a->op_count != 2 || a->operands[0].type != ARM64_OP_REG)
                        return false;
                *dst = cs_reg_name(h, a->operands[0].reg);
                *size = (*dst)[0] == 'w' ? 4 : 8;
                if (a->operands[1].type == ARM64_OP_REG) {
                        *src = cs_reg_name(h, a->operands[1].reg);
                        return true;
                }
                if (a->operands[1].type == ARM64_OP_IMM) {
                        *src = NULL;
                        *imm = (uint64_t) a->operands[1].imm;
                        return true;
                }
                return false;
        }
        const cs_arm *a = &in->detail->arm;
        if (in->id != ARM_INS_MOV || a->op_count != 2 || a->operands[0].type != ARM_OP_REG)
                return false;
        *dst = cs_reg_name(h, a->operands[0].reg);
        *size = 4;
        if (a->operands[1].type == ARM_OP_REG) {
                *src = cs_reg_name(h, a->operands[1].reg);
                return true;
        }
        if (a->operands[1].type == ARM_OP_IMM) {
                *src = NULL;
                *imm = (uint32_t) a->operands[1].imm;
                return true;
        }
        return false;
}

/* The memory operand of a faulting instruction: base register and displacement. */
static bool mem_operand(enum code_arch arch, const cs_insn *in, csh h, const char **base, int64_t *disp) {
        if (arch == CODE_ARCH_X86_64 || arch == CODE_ARCH_X86_32) {
                const cs_x86 *x = &in->detail->x86;
                for (unsigned i = 0; i < x->op_count; i++)
                        if (x->operands[i].type == X86_OP_MEM && x->operands[i].mem.base != X86_REG_INVALID &&
                            x->operands[i].mem.base != X86_REG_RIP) {
                                *base = cs_reg_name(h, x->operands[i].mem.base);
                                *disp = x->operands[i].mem.disp;
                                return true;
                        }
                return false;
        }
        if (arch == CODE_ARCH_ARM64) {
                const cs_arm64 *a = &in->detail->arm64;
                for (unsigned i = 0; i < a->op_count; i++)
                        if (a->operands[i].type == ARM64_OP_MEM && a->operands[i].mem.base != ARM64_REG_INVALID) {
                                *base = cs_reg_name(h, a->operands[i].mem.base);
                                *disp = a->operands[i].mem.disp;
                                return true;
                        }
                return false;
        }
        const cs_arm *a = &in->detail->arm;
        for (unsigned i = 0; i < a->op_count; i++)
                if (a->operands[i].type == ARM_OP_MEM && a->operands[i].mem.base != ARM_REG_INVALID) {
                        *base = cs_reg_name(h, a->operands[i].mem.base);
                        *disp = a->operands[i].mem.disp;
                        return true;
                }
        return false;
}

static bool call_target(enum code_arch arch, const cs_insn *in, uint64_t *ret) {
        if (arch == CODE_ARCH_X86_64 || arch == CODE_ARCH_X86_32) {
                const cs_x86 *x = &in->detail->x86;
                if (x->op_count == 1 && x->operands[0].type == X86_OP_IMM) {
                        *ret = (uint64_t) x->operands[0].imm;
                        return true;
                }
        } else if (arch == CODE_ARCH_ARM64) {
                const cs_arm64 *a = &in->detail->arm64;
                if (a->op_count == 1 && a->operands[0].type == ARM64_OP_IMM) {
                        *ret = (uint64_t) a->operands[0].imm;
                        return true;
                }
        } else {
                const cs_arm *a = &in->detail->arm;
                if (a->op_count == 1 && a->operands[0].type == ARM_OP_IMM) {
                        *ret = (uint32_t) a->operands[0].imm;
                        return true;
                }
        }
        return false;
}

static void annotate(struct listing_storage *st, size_t idx, const cs_insn *all, size_t n_all, size_t k,
                     enum code_arch arch, const struct register_dump *d, csh h, uint64_t base_off,
                     bool have_func, uint64_t func_size) {
        const cs_insn *in = &all[k];
        struct fsd_insn_note *note = &st->insns[idx].note;
        char *reg0 = st->regs[idx][0], *reg1 = st->regs[idx][1];

        if (!st->insns[idx].trap && is_trap_insn(arch, in)) {
                note->kind = FSD_INSN_NOTE_TRAP;  /* another BUG()/WARN() site laid out nearby */
                return;
        }
        if (st->insns[idx].trap) {
                if (is_trap_insn(arch, in)) {
                        note->kind = FSD_INSN_NOTE_TRAP;
                        return;
                }
                const char *base;
                int64_t disp;
                if (mem_operand(arch, in, h, &base, &disp)) {
                        snprintf(reg0, 16, "%s", base);
                        note->reg = reg0;
                        note->disp = disp;
                        note->value_known = reg_value(arch, d, base, 8, &note->value);
                        if (!note->value_known)
                                note->kind = FSD_INSN_NOTE_FAULT_ADDR;
                        else if (note->value < 4096)
                                note->kind = FSD_INSN_NOTE_FAULT_NULL;
                        else if ((note->poison = bad_pointer(arch, note->value)))
                                note->kind = FSD_INSN_NOTE_FAULT_BAD;
                        else
                                note->kind = FSD_INSN_NOTE_FAULT_ADDR;
                }
                return;
        }
        if (is_call(arch, in)) {
                uint64_t t;
                note->kind = FSD_INSN_NOTE_CALL;
                if (call_target(arch, in, &t)) {
                        note->value_known = true;
                        note->target = (int64_t) (t - base_off);
                        note->target_inside = have_func && note->target >= 0 && (uint64_t) note->target < func_size;
                }
                return;
        }
        /* an argument register loaded right before a call: walk to the next transfer */
        size_t j = k + 1;
        while (j < n_all && !is_transfer(arch, &all[j]))
                j++;
        if (j >= n_all || !is_call(arch, &all[j]))
                return;
        const char *dst, *src = NULL;
        uint64_t imm = 0;
        unsigned size = 8;
        if (!reg_load(arch, in, &dst, &src, &imm, &size, h))
                return;
        char dst_dump[16];
        dump_name(arch, dst, dst_dump, sizeof dst_dump);
        unsigned arg;
        if (!is_arg_register(arch, dst_dump, &arg))
                return;
        snprintf(reg0, 16, "%s", dst);
        note->reg = reg0;
        note->arg = arg;
        if (src) {
                snprintf(reg1, 16, "%s", src);
                note->src_reg = reg1;
                note->kind = FSD_INSN_NOTE_ARG_REG;
                note->value_known = reg_value(arch, d, src, size, &note->value);
        } else {
                note->kind = FSD_INSN_NOTE_ARG_IMM;
                note->value = imm;
                note->value_known = true;
        }
        if (note->value_known)
                note->err = as_errno(note->value, size);
}

int fsd_code_decode(const struct fsd_report *r, struct fsd_code_listing **ret_listing) {
        if (!r || !ret_listing)
                return -EINVAL;
        struct code_bytes cb;
        int k = code_bytes_parse(r->code, &cb);
        if (k < 0)
                return k;
        struct register_dump d;
        register_dump_parse(r->registers, &d);
        enum code_arch arch = code_arch_guess(&cb, &d);
        if (arch == CODE_ARCH_UNKNOWN)
                return -EOPNOTSUPP;

        csh h = capstone_handle(arch);
        if (!h)
                return -EOPNOTSUPP;

        _cleanup_free_ struct listing_storage *st = calloc(1, sizeof *st);
        if (!st)
                return -ENOMEM;
        uint64_t rip_off = 0, func_size = 0;
        bool have_func = rip_parse(r->rip, st->function, sizeof st->function, &rip_off, &func_size);
        /* address the bytes by their offset in the reported function, so call targets read as
         * offsets too; without a RIP, by their offset from the first byte */
        int trap = cb.trap;
        uint64_t base_off = have_func && trap >= 0 && rip_off >= (uint64_t) trap ? rip_off - (uint64_t) trap : 0;
        bool offsets_known = have_func && trap >= 0 && rip_off >= (uint64_t) trap;

        /* the search for the first instruction start needs only ids and sizes: Capstone's operand
         * details would cost most of the decode, for up to one try per byte before the marker */
        size_t start = sync_start(h, &cb);
        cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
        _cleanup_(decoded_done) struct decoded dec = {};
        k = decode_all(h, arch, cb.bytes + start, cb.n - start, base_off + start, &dec);
        if (k < 0)
                return k;
        cs_insn *insns = dec.v;
        size_t n = dec.n;
        if (n == 0)
                return -EBADMSG;

        st->pub.arch = arch_name(arch);
        st->pub.function = have_func ? st->function : NULL;
        st->pub.trap_index = -1;
        size_t out = 0;
        for (size_t i = 0; i < n && out < LISTING_MAX; i++) {
                struct fsd_insn *fi = &st->insns[out];
                int64_t byte_index = (int64_t) (insns[i].address - base_off);
                fi->offset = trap >= 0 ? byte_index - trap : byte_index;
                fi->func_offset = offsets_known ? (int64_t) insns[i].address : -1;
                fi->size = (uint8_t) MIN(insns[i].size, sizeof fi->bytes);
                memcpy(fi->bytes, insns[i].bytes, fi->size);
                snprintf(st->mnemonic[out], sizeof st->mnemonic[out], "%s", insns[i].mnemonic);
                snprintf(st->operands[out], sizeof st->operands[out], "%s", insns[i].op_str);
                fi->mnemonic = st->mnemonic[out];
                fi->operands = st->operands[out];
                fi->trap = trap >= 0 && byte_index == trap;
                if (fi->trap)
                        st->pub.trap_index = (int) out;
                annotate(st, out, insns, n, i, arch, &d, h, base_off, have_func, func_size);
                out++;
        }
        st->pub.insns = st->insns;
        st->pub.n_insns = out;
        *ret_listing = &TAKE_PTR(st)->pub;
        return 0;
}

struct fsd_code_listing *fsd_code_listing_free(struct fsd_code_listing *l) {
        /* pub is the first member of its storage */
        free(l);
        return NULL;
}

const char *fsd_insn_note_kind_name(enum fsd_insn_note_kind k) {
        static const char *const names[] = {
                [FSD_INSN_NOTE_NONE] = "none",         [FSD_INSN_NOTE_TRAP] = "trap",
                [FSD_INSN_NOTE_FAULT_NULL] = "null-pointer", [FSD_INSN_NOTE_FAULT_BAD] = "bad-pointer",
                [FSD_INSN_NOTE_FAULT_ADDR] = "memory-operand", [FSD_INSN_NOTE_ARG_REG] = "argument-register",
                [FSD_INSN_NOTE_ARG_IMM] = "argument-constant", [FSD_INSN_NOTE_CALL] = "call",
        };
        return (unsigned) k < ELEMENTSOF(names) && names[k] ? names[k] : "unknown";
}

static void note_json(struct json_writer *w, const struct fsd_insn_note *n) {
        json_key(w, "note");
        json_object_begin(w);
        json_kv_string(w, "kind", fsd_insn_note_kind_name(n->kind));
        json_kv_string(w, "register", n->reg);
        json_kv_string(w, "source_register", n->src_reg);
        if (n->arg)
                json_kv_uint(w, "argument", n->arg);
        if (n->value_known && n->kind != FSD_INSN_NOTE_CALL) {
                char hex[24];
                snprintf(hex, sizeof hex, "0x%llx", (unsigned long long) n->value);
                json_kv_string(w, "value", hex);
        }
        if (n->kind == FSD_INSN_NOTE_FAULT_NULL || n->kind == FSD_INSN_NOTE_FAULT_BAD || n->kind == FSD_INSN_NOTE_FAULT_ADDR)
                json_kv_int(w, "displacement", n->disp);
        if (n->err)
                json_kv_int(w, "errno", n->err);
        json_kv_string(w, "poison", n->poison);
        if (n->kind == FSD_INSN_NOTE_CALL && n->value_known) {
                json_kv_int(w, "target_offset", n->target);
                json_kv_bool(w, "target_inside", n->target_inside);
        }
        json_object_end(w);
}

void code_listing_json(struct json_writer *w, const struct fsd_code_listing *l) {
        json_object_begin(w);
        json_kv_string(w, "arch", l->arch);
        json_kv_string(w, "function", l->function);
        json_key(w, "instructions");
        json_array_begin(w);
        for (size_t i = 0; i < l->n_insns; i++) {
                const struct fsd_insn *in = &l->insns[i];
                json_object_begin(w);
                json_kv_int(w, "offset", in->offset);
                if (in->func_offset >= 0)
                        json_kv_int(w, "function_offset", in->func_offset);
                char hex[3 * sizeof in->bytes + 1];
                for (size_t b = 0; b < in->size; b++)
                        snprintf(hex + 2 * b, 3, "%02x", in->bytes[b]);
                hex[2 * in->size] = 0;
                json_kv_string(w, "bytes", hex);
                json_kv_string(w, "mnemonic", in->mnemonic);
                json_kv_string(w, "operands", in->operands);
                if (in->trap)
                        json_kv_bool(w, "trap", true);
                if (in->note.kind != FSD_INSN_NOTE_NONE)
                        note_json(w, &in->note);
                json_object_end(w);
        }
        json_array_end(w);
        json_object_end(w);
}

int fsd_code_listing_to_json(const struct fsd_code_listing *l, char **ret_json) {
        if (!l || !ret_json)
                return -EINVAL;
        struct strbuf b = { 0 };
        struct json_writer w;
        json_writer_init(&w, &b);
        code_listing_json(&w, l);
        if (strbuf_failed(&b)) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        *ret_json = strbuf_steal(&b);
        return 0;
}
