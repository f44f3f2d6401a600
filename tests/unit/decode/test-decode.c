/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Code: bytes disassembled: trap marking, instruction sync, register-dump notes, bad forms. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fsdoctor.h"

static const struct fsd_insn *trap_insn(const struct fsd_code_listing *l) {
        assert_true(l->trap_index >= 0);
        return &l->insns[l->trap_index];
}

/* The seed: WARN() in btrfs_abort_transaction's expansion, errno in R13. */
static void test_x86_warn_arguments(void **state) {
        struct fsd_report r = {
                .code = "44 89 e9 ba c8 1a 00 00 48 c7 c6 a0 aa 06 c1 e8 fc ba 09 00 e9 fe fa ff ff 0f 0b 44 89 ee "
                        "48 c7 c7 68 7c 07 c1 e8 14 e9 2d e5 <0f> 0b e9 ce fa ff ff 41 83 f8 29 0f 86 d6 01 00 00 48 8b 7c 24 08",
                .rip = "__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]",
                .registers = "RAX: 0000000000000000 RBX: 000000000000a0c9 RCX: 0000000000000006\n"
                             "R13: 00000000ffffffe4 R14: 0000000000000000 R15: 000000000003fc62",
        };
        struct fsd_code_listing *l = NULL;
        assert_int_equal(fsd_code_decode(&r, &l), 0);
        assert_string_equal(l->arch, "x86-64");
        assert_string_equal(l->function, "__btrfs_free_extent");
        const struct fsd_insn *t = trap_insn(l);
        assert_string_equal(t->mnemonic, "ud2");
        assert_int_equal(t->func_offset, 0x65c);
        assert_int_equal(t->note.kind, FSD_INSN_NOTE_TRAP);
        /* mov esi, r13d right before the call that precedes the trap: -28 */
        const struct fsd_insn *esi = &l->insns[l->trap_index - 3];
        assert_string_equal(esi->mnemonic, "mov");
        assert_int_equal(esi->note.kind, FSD_INSN_NOTE_ARG_REG);
        assert_int_equal(esi->note.arg, 2);
        assert_string_equal(esi->note.src_reg, "r13d");
        assert_int_equal(esi->note.err, -28);
        /* the other abort site laid out before it: line 6856 in edx */
        bool found_line = false;
        for (int i = 0; i < l->trap_index; i++)
                if (l->insns[i].note.kind == FSD_INSN_NOTE_ARG_IMM && l->insns[i].note.value == 6856)
                        found_line = l->insns[i].note.arg == 3;
        assert_true(found_line);
        fsd_code_listing_free(l);
}

static void decode_fault(const char *code, const char *regs, enum fsd_insn_note_kind want, int64_t disp,
                         const char *poison) {
        struct fsd_report r = { .code = code, .rip = "f+0x40/0x100", .registers = regs };
        struct fsd_code_listing *l = NULL;
        assert_int_equal(fsd_code_decode(&r, &l), 0);
        const struct fsd_insn *t = trap_insn(l);
        assert_int_equal(t->note.kind, want);
        assert_int_equal(t->note.disp, disp);
        if (poison)
                assert_string_equal(t->note.poison, poison);
        fsd_code_listing_free(l);
}

static void test_x86_null_and_poison(void **state) {
        /* mov rax, [rbx+0x28] with RBX 0, then with LIST_POISON1 and a non-canonical value */
        const char *code = "55 48 89 e5 53 <48> 8b 43 28 5b 5d c3";
        decode_fault(code, "RAX: 0000000000000001 RBX: 0000000000000000", FSD_INSN_NOTE_FAULT_NULL, 0x28, NULL);
        decode_fault(code, "RBX: dead000000000100", FSD_INSN_NOTE_FAULT_BAD, 0x28, "list-poison");
        decode_fault(code, "RBX: 6b6b6b6b6b6b6b6b", FSD_INSN_NOTE_FAULT_BAD, 0x28, "slab-free-poison");
        decode_fault(code, "RBX: 0000900000000000", FSD_INSN_NOTE_FAULT_BAD, 0x28, "non-canonical");
        decode_fault(code, "RBX: ffff888004a3c000", FSD_INSN_NOTE_FAULT_ADDR, 0x28, NULL);
}

/* Bytes before the marker start inside an instruction: the listing must still reach the marker
 * on an instruction boundary. */
static void test_x86_sync(void **state) {
        struct fsd_report r = {
                /* tail of "mov edx, imm32" then push rbx; mov rbx, rdi; <mov rax, [rbx+0x28]> */
                .code = "1a 00 00 53 48 89 fb <48> 8b 43 28 c3",
                .rip = "g+0x10/0x20",
                .registers = "RBX: 0000000000000000",
        };
        struct fsd_code_listing *l = NULL;
        assert_int_equal(fsd_code_decode(&r, &l), 0);
        const struct fsd_insn *t = trap_insn(l);
        assert_int_equal(t->offset, 0);
        assert_string_equal(t->mnemonic, "mov");
        assert_int_equal(t->note.kind, FSD_INSN_NOTE_FAULT_NULL);
        fsd_code_listing_free(l);
}

static void test_arm64(void **state) {
        /* ldr x1, [x1, #0x28] with x1 == 0 */
        decode_fault("f9400a80 b4000060 d2800000 d65f03c0 (f9401421)",
                     "x1 : 0000000000000000 x0 : ffff000012345678\nx29: ffff800010003d60 x28: 0000000000000000",
                     FSD_INSN_NOTE_FAULT_NULL, 0x28, NULL);
        /* brk #0x800: BUG() */
        struct fsd_report r = { .code = "d2800000 97fffe4d (d4210000) a9bf7bfd", .rip = "h+0x8/0x40",
                                .registers = "x29: ffff800010003d60 x0 : 0000000000000000" };
        struct fsd_code_listing *l = NULL;
        assert_int_equal(fsd_code_decode(&r, &l), 0);
        assert_string_equal(l->arch, "arm64");
        assert_string_equal(trap_insn(l)->mnemonic, "brk");
        assert_int_equal(trap_insn(l)->note.kind, FSD_INSN_NOTE_TRAP);
        fsd_code_listing_free(l);
}

static void test_bad_forms(void **state) {
        struct fsd_code_listing *l = NULL;
        struct fsd_report r = { .code = "Bad RIP value." };
        assert_int_equal(fsd_code_decode(&r, &l), -ENODATA);
        r.code = "Unable to access opcode bytes at 0xffffffff81000000.";
        assert_int_equal(fsd_code_decode(&r, &l), -ENODATA);
        r.code = "0f 0b e59f0010";
        assert_int_equal(fsd_code_decode(&r, &l), -EBADMSG);
        r.code = "<0f> <0b>";
        assert_int_equal(fsd_code_decode(&r, &l), -EBADMSG);
        r.code = NULL;
        assert_int_equal(fsd_code_decode(&r, &l), -ENODATA);
        assert_null(l);
        assert_null(fsd_code_listing_free(NULL));
}

static void test_json(void **state) {
        struct fsd_report r = { .code = "55 <48> 8b 43 28", .rip = "f+0x1/0x10", .registers = "RBX: 0000000000000000" };
        struct fsd_code_listing *l = NULL;
        assert_int_equal(fsd_code_decode(&r, &l), 0);
        char *json = NULL;
        assert_int_equal(fsd_code_listing_to_json(l, &json), 0);
        assert_non_null(strstr(json, "\"kind\":\"null-pointer\""));
        assert_non_null(strstr(json, "\"trap\":true"));
        free(json);
        fsd_code_listing_free(l);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_x86_warn_arguments), cmocka_unit_test(test_x86_null_and_poison),
                cmocka_unit_test(test_x86_sync),           cmocka_unit_test(test_arm64),
                cmocka_unit_test(test_bad_forms),          cmocka_unit_test(test_json),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
