/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capstone, loaded when the first Code: line is decoded rather than when fsdoctor starts.
 *
 * Linked the ordinary way, libcapstone is mapped and relocated by every run: its instruction
 * tables are arrays of pointers, and relocating them touches ~3 MiB of pages, more than all of
 * analyze's own memory on a large log (bench/bench-analyze.sh). Most runs decode no Code: line.
 * So the library is opened with dlopen() on first use and these definitions of the Capstone
 * functions code-decode.c calls forward to it; the callers stay as Capstone documents them.
 * Without the library at run time cs_open() fails with CS_ERR_MEM and the Code: line is left
 * undecoded, as for any other decoding failure. The definitions are local to libfsdoctor.so
 * (libfsdoctor.sym exports only fsd_*), so they never stand in for Capstone's own symbols. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <capstone/capstone.h>

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
/* Capstone's soname follows its API major version: libcapstone.so.4, libcapstone.so.5 */
#define CAPSTONE_SONAME "libcapstone.so." STRINGIFY(CS_API_MAJOR)

static struct {
        cs_err (*open)(cs_arch, cs_mode, csh *);
        cs_err (*close)(csh *);
        cs_err (*option)(csh, cs_opt_type, size_t);
        size_t (*disasm)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **);
        void (*free)(cs_insn *, size_t);
        cs_insn *(*malloc)(csh);
        bool (*disasm_iter)(csh, const uint8_t **, size_t *, uint64_t *, cs_insn *);
        const char *(*reg_name)(csh, unsigned);
} sym;
static bool loaded;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
        void *h = dlopen(CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!h)
                return;
        /* dlsym() returns void *; POSIX guarantees it converts to a function pointer */
#define RESOLVE(field, name) ((*(void **) &sym.field = dlsym(h, name)) != NULL)
        if (RESOLVE(open, "cs_open") && RESOLVE(close, "cs_close") && RESOLVE(option, "cs_option") &&
            RESOLVE(disasm, "cs_disasm") && RESOLVE(free, "cs_free") && RESOLVE(malloc, "cs_malloc") &&
            RESOLVE(disasm_iter, "cs_disasm_iter") && RESOLVE(reg_name, "cs_reg_name"))
                loaded = true;
        else
                dlclose(h);
#undef RESOLVE
}

cs_err cs_open(cs_arch arch, cs_mode mode, csh *handle) {
        pthread_once(&load_once, load);
        if (!loaded)
                return CS_ERR_MEM;
        return sym.open(arch, mode, handle);
}

/* The functions below are only reached with a handle from a successful cs_open(). */

cs_err cs_close(csh *handle) {
        return sym.close(handle);
}

cs_err cs_option(csh handle, cs_opt_type type, size_t value) {
        return sym.option(handle, type, value);
}

size_t cs_disasm(csh handle, const uint8_t *code, size_t code_size, uint64_t address, size_t count, cs_insn **insn) {
        return sym.disasm(handle, code, code_size, address, count, insn);
}

void cs_free(cs_insn *insn, size_t count) {
        if (loaded)
                sym.free(insn, count);
}

cs_insn *cs_malloc(csh handle) {
        return sym.malloc(handle);
}

bool cs_disasm_iter(csh handle, const uint8_t **code, size_t *size, uint64_t *address, cs_insn *insn) {
        return sym.disasm_iter(handle, code, size, address, insn);
}

const char *cs_reg_name(csh handle, unsigned int reg_id) {
        return sym.reg_name(handle, reg_id);
}
