/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Reading a report's "Code:" bytes and register dump (code-bytes.c) for the disassembler
 * (code-decode.c). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fsdoctor.h"

/* x86 prints 64 bytes, arm64 and arm 5 words: 128 is room for every kernel's form. */
#define CODE_BYTES_MAX 128
#define REGISTER_DUMP_MAX 48

struct code_bytes {
        uint8_t bytes[CODE_BYTES_MAX];
        size_t n;
        int trap;                /* index of the first byte of the marked instruction, -1 none */
        unsigned unit;           /* bytes per printed token: 1 (x86), 2 (thumb), 4 (arm, arm64) */
};

struct register_value {
        char name[8];            /* lower case, as printed: "rax", "r13", "x29", "pc" */
        uint64_t value;
};

struct register_dump {
        struct register_value regs[REGISTER_DUMP_MAX];
        size_t n;
};

enum code_arch {
        CODE_ARCH_UNKNOWN = 0,
        CODE_ARCH_X86_64,
        CODE_ARCH_X86_32,
        CODE_ARCH_ARM64,
        CODE_ARCH_ARM,
        CODE_ARCH_THUMB,
};

/* @return 0, -ENODATA when the line holds no bytes ("Bad RIP value."), -EBADMSG when it is not
 * one of the kernel's forms, -E2BIG past CODE_BYTES_MAX. */
int code_bytes_parse(const char *code, struct code_bytes *ret);
/* @return the number of registers read (0 when text is NULL). */
int register_dump_parse(const char *text, struct register_dump *ret);
bool register_dump_get(const struct register_dump *d, const char *name, uint64_t *ret);
enum code_arch code_arch_guess(const struct code_bytes *cb, const struct register_dump *d);

struct json_writer;
/* The listing as one JSON value into w (also used inside the report object). */
void code_listing_json(struct json_writer *w, const struct fsd_code_listing *l);
