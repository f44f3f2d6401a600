/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Debuginfo files (vmlinux, module .ko/.ko.debug, directories of them) opened with elfutils'
 * libdwfl in offline mode, and one frame "func+0xOFF/0xLEN [mod]" resolved to file:line and its
 * inline chain, as eu-addr2line -i does. */
#include <stdarg.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <elfutils/debuginfod.h>
#include <errno.h>
#include <ftw.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "basic/cleanup.h"
#include "basic/strbuf.h"
#include "symbolize-internal.h"

/* A directory such as /usr/lib/debug holds a few thousand candidates; more than this is not a
 * debuginfo tree and walking on would only cost time. */
#define DIR_MAX_ENTRIES 200000
#define CHAIN_MAX 64

struct debuginfo_file {
        char *name;              /* module name, '-' read as '_'; "vmlinux" for the kernel image */
        char *path;
        Dwfl_Module *mod;        /* NULL until reported (files found in directories are reported lazily) */
        bool failed;             /* reporting it failed: not tried again */
};

struct fsd_debuginfo {
        Dwfl *dwfl;
        char *debuginfo_path;    /* for dwfl_standard_find_debuginfo: default search path */
        Dwfl_Callbacks callbacks;
        struct debuginfo_file *files;
        size_t n_files, cap_files;
        char *build_id_root;     /* fsd_debuginfo_add_release()'s root: ROOT/.build-id/xx/yyyy.debug */
        bool debuginfod;         /* fsd_debuginfo_add_release() with DEBUGINFOD_URLS set */
        char *tried[64];         /* build ids no server had: asked once */
        size_t n_tried;
};

static char *detail_printf(char **ret_detail, const char *fmt, ...) _printf_(2, 3);
static char *detail_printf(char **ret_detail, const char *fmt, ...) {
        if (!ret_detail)
                return NULL;
        va_list ap;
        va_start(ap, fmt);
        char *s = strdup_vprintf(fmt, ap);
        va_end(ap);
        free(*ret_detail);
        *ret_detail = s;
        return s;
}

/* "btrfs.ko.debug" -> "btrfs", "nf-tables.ko.xz" -> "nf_tables", "vmlinux-6.1.0-9-amd64" ->
 * "vmlinux"; NULL when the name is neither a module nor a kernel image. */
static char *module_name_of(const char *path) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (strncmp(base, "vmlinux", 7) == 0)
                return strdup("vmlinux");
        const char *ko = strstr(base, ".ko");
        if (!ko || ko == base)
                return NULL;
        const char *rest = ko + 3;
        static const char *const tails[] = { "", ".debug", ".xz", ".zst", ".gz" };
        bool ok = false;
        for (size_t i = 0; i < ELEMENTSOF(tails); i++)
                if (strcmp(rest, tails[i]) == 0)
                        ok = true;
        if (!ok)
                return NULL;
        char *name = strndup(base, (size_t) (ko - base));
        if (name)
                for (char *p = name; *p; p++)
                        if (*p == '-')
                                *p = '_';
        return name;
}

int fsd_debuginfo_new(struct fsd_debuginfo **ret) {
        if (!ret)
                return -EINVAL;
        struct fsd_debuginfo *di = calloc(1, sizeof *di);
        if (!di)
                return -ENOMEM;
        di->callbacks = (Dwfl_Callbacks) {
                .find_debuginfo = dwfl_standard_find_debuginfo,
                .section_address = dwfl_offline_section_address,
                .debuginfo_path = &di->debuginfo_path,
        };
        di->dwfl = dwfl_begin(&di->callbacks);
        if (!di->dwfl) {
                free(di);
                return -ENOMEM;
        }
        *ret = di;
        return 0;
}

struct fsd_debuginfo *fsd_debuginfo_free(struct fsd_debuginfo *di) {
        if (!di)
                return NULL;
        for (size_t i = 0; i < di->n_files; i++) {
                free(di->files[i].name);
                free(di->files[i].path);
        }
        free(di->files);
        free(di->build_id_root);
        for (size_t i = 0; i < di->n_tried; i++)
                free(di->tried[i]);
        dwfl_end(di->dwfl);
        free(di);
        return NULL;
}

static struct debuginfo_file *file_find(struct fsd_debuginfo *di, const char *name) {
        for (size_t i = 0; i < di->n_files; i++)
                if (strcmp(di->files[i].name, name) == 0 && !di->files[i].failed)
                        return &di->files[i];
        return NULL;
}

/* takes name; the first file of a module wins (explicit paths are added before a directory's) */
static int file_add(struct fsd_debuginfo *di, char *name, const char *path, struct debuginfo_file **ret) {
        if (di->n_files == di->cap_files) {
                size_t cap = di->cap_files ? di->cap_files * 2 : 16;
                struct debuginfo_file *f = realloc(di->files, cap * sizeof *f);
                if (!f) {
                        free(name);
                        return -ENOMEM;
                }
                di->files = f;
                di->cap_files = cap;
        }
        char *p = strdup(path);
        if (!p) {
                free(name);
                return -ENOMEM;
        }
        di->files[di->n_files] = (struct debuginfo_file) { .name = name, .path = p };
        if (ret)
                *ret = &di->files[di->n_files];
        di->n_files++;
        return 0;
}

/* Reports the file to libdwfl and checks it has a symbol table and DWARF.
 * @return 0, or -EBADMSG with the reason in *ret_detail */
static int file_report(struct fsd_debuginfo *di, struct debuginfo_file *f, char **ret_detail) {
        if (f->mod)
                return 0;
        if (f->failed)
                return -EBADMSG;
        f->failed = true;
        dwfl_report_begin_add(di->dwfl);
        /* offline reporting: an ET_REL .ko gets its sections laid out and its DWARF relocated */
        Dwfl_Module *mod = dwfl_report_offline(di->dwfl, f->name, f->path, -1);
        if (dwfl_report_end(di->dwfl, NULL, NULL) != 0 || !mod) {
                detail_printf(ret_detail, "%s: not a usable ELF file: %s", f->path, dwfl_errmsg(-1));
                return -EBADMSG;
        }
        if (dwfl_module_getsymtab(mod) <= 0) {
                detail_printf(ret_detail, "%s: no symbol table (%s)", f->path, dwfl_errmsg(-1));
                return -EBADMSG;
        }
        Dwarf_Addr bias;
        if (!dwfl_module_getdwarf(mod, &bias)) {
                detail_printf(ret_detail, "%s: no DWARF debug information (a stripped file? use the "
                              "debug package's copy)", f->path);
                return -EBADMSG;
        }
        f->mod = mod;
        f->failed = false;
        return 0;
}

static struct fsd_debuginfo *walk_target;
static int walk_result;
static size_t walk_count;

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        if (++walk_count > DIR_MAX_ENTRIES)
                return 1;
        if (type != FTW_F || !S_ISREG(st->st_mode))
                return 0;
        char *name = module_name_of(path);
        if (!name)
                return 0;
        if (file_find(walk_target, name)) {
                free(name);
                return 0;
        }
        int r = file_add(walk_target, name, path, NULL);
        if (r < 0) {
                walk_result = r;
                return 1;
        }
        return 0;
}

int fsd_debuginfo_add(struct fsd_debuginfo *di, const char *path, char **ret_detail) {
        if (!di || !path)
                return -EINVAL;
        struct stat st;
        if (stat(path, &st) < 0) {
                int r = -errno;
                detail_printf(ret_detail, "%s: %s", path, strerror(-r));
                return r;
        }
        if (S_ISDIR(st.st_mode)) {
                size_t before = di->n_files;
                /* nftw has no userdata: the walk is not reentrant, as libdwfl offline use is not */
                walk_target = di;
                walk_result = 0;
                walk_count = 0;
                int k = nftw(path, walk_one, 16, FTW_PHYS);
                walk_target = NULL;
                if (walk_result < 0)
                        return walk_result;
                if (k < 0) {
                        int r = -errno;
                        detail_printf(ret_detail, "%s: %s", path, strerror(-r));
                        return r;
                }
                if (walk_count > DIR_MAX_ENTRIES) {
                        detail_printf(ret_detail, "%s: more than %d entries: not a debuginfo directory",
                                      path, DIR_MAX_ENTRIES);
                        return -E2BIG;
                }
                if (di->n_files == before) {
                        detail_printf(ret_detail, "%s: no vmlinux* or *.ko, *.ko.debug file in this directory",
                                      path);
                        return -ENOENT;
                }
                return 0;
        }
        if (!S_ISREG(st.st_mode)) {
                detail_printf(ret_detail, "%s: not a regular file or a directory", path);
                return -EINVAL;
        }
        char *name = module_name_of(path);
        if (!name) {
                detail_printf(ret_detail, "%s: expected a vmlinux*, *.ko or *.ko.debug file, or a directory",
                              path);
                return -EINVAL;
        }
        struct debuginfo_file *f;
        int r = file_add(di, name, path, &f);
        if (r < 0)
                return r;
        r = file_report(di, f, ret_detail);
        if (r < 0) {
                /* a file given by name that cannot be read is the user's error: forget it */
                di->n_files--;
                free(f->name);
                free(f->path);
                return r;
        }
        return 0;
}

int fsd_debuginfo_use_debuginfod(struct fsd_debuginfo *di) {
        if (!di)
                return -EINVAL;
        /* the servers the user configured, through libdw's client: none when unset */
        const char *urls = getenv("DEBUGINFOD_URLS");
        if (!urls || !*urls)
                return 0;
        di->debuginfod = true;
        return 1;
}

int fsd_debuginfo_add_release(struct fsd_debuginfo *di, const char *root, const char *release, char **ret_detail) {
        if (!di || !release || !*release || strchr(release, '/') || strcmp(release, "..") == 0 || strlen(release) > 200)
                return -EINVAL;
        if (!root)
                root = "/usr/lib/debug";
        _cleanup_free_ char *modules = NULL, *image = NULL;
        if (asprintf(&modules, "%s/lib/modules/%s", root, release) < 0 || asprintf(&image, "%s/boot/vmlinux-%s", root, release) < 0)
                return -ENOMEM;
        struct stat st;
        bool found = false;
        /* debug packages also index every file by build id (ROOT/.build-id/): lookups of modules
         * the directories lack, where the log prints their build id */
        _cleanup_free_ char *ids = NULL;
        if (asprintf(&ids, "%s/.build-id", root) < 0)
                return -ENOMEM;
        if (!di->build_id_root && stat(ids, &st) == 0 && S_ISDIR(st.st_mode)) {
                di->build_id_root = strdup(root);
                if (!di->build_id_root)
                        return -ENOMEM;
                found = true;
        }
        if (di->debuginfod)
                found = true;
        /* the image first: a module directory may hold a vmlinux of its own only by accident */
        if (stat(image, &st) == 0 && S_ISREG(st.st_mode)) {
                int r = fsd_debuginfo_add(di, image, ret_detail);
                if (r < 0)
                        return r;
                found = true;
        }
        if (stat(modules, &st) == 0 && S_ISDIR(st.st_mode)) {
                int r = fsd_debuginfo_add(di, modules, ret_detail);
                if (r < 0 && r != -ENOENT)
                        return r;
                found = found || r >= 0;
        }
        if (!found) {
                detail_printf(ret_detail, "no debuginfo for kernel %s: neither %s nor %s exists", release, modules,
                              image);
                return -ENOENT;
        }
        return 0;
}

/* ---- one frame --------------------------------------------------------------------------- */

struct fsd_frame_lines *fsd_frame_lines_free(struct fsd_frame_lines *fl) {
        if (!fl)
                return NULL;
        for (size_t i = 0; i < fl->n_lines; i++) {
                free((char *) fl->lines[i].function);
                free((char *) fl->lines[i].file);
        }
        free((struct fsd_source_line *) fl->lines);
        free((char *) fl->debuginfo);
        free(fl);
        return NULL;
}
DEFINE_FREEP(struct fsd_frame_lines, fsd_frame_lines_free)

/* The DIE's name, following DW_AT_abstract_origin/DW_AT_specification (inlined copies and
 * .isra/.constprop clones carry theirs in the abstract instance). */
static const char *die_function_name(Dwarf_Die *die) {
        Dwarf_Attribute attr;
        const char *name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
        return name ? name : "??";
}

/* Kernel objects are built with relative names under the build directory: print those
 * ("fs/btrfs/ctree.c"), not the builder's absolute path. */
static char *relative_path(const char *file, const char *comp_dir) {
        if (!file)
                return strdup("??");
        size_t n = comp_dir ? strlen(comp_dir) : 0;
        if (n && strncmp(file, comp_dir, n) == 0 && file[n] == '/')
                return strdup(file + n + 1);
        return strdup(file);
}

static int lines_push(struct fsd_source_line *lines, size_t *n, const char *function, const char *file,
                      int line, int column, const char *comp_dir) {
        if (*n >= CHAIN_MAX)
                return 0;
        char *fn = strdup(function), *fl = relative_path(file, comp_dir);
        if (!fn || !fl) {
                free(fn);
                free(fl);
                return -ENOMEM;
        }
        lines[*n] = (struct fsd_source_line) { .function = fn, .file = fl, .line = line, .column = column };
        (*n)++;
        return 0;
}

/* file:line at addr and the chain of inlined calls around it, innermost first */
static int resolve_address(Dwfl_Module *mod, Dwarf_Addr addr, const char *symbol, struct fsd_frame_lines *fl,
                           char **ret_detail) {
        Dwarf_Addr bias = 0;
        Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, &bias);
        if (!cu) {
                detail_printf(ret_detail, "no DWARF compilation unit covers the address");
                return -ENODATA;
        }
        Dwarf_Attribute attr;
        const char *comp_dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr));
        Dwfl_Line *line = dwfl_module_getsrc(mod, addr);
        int lineno = 0, col = 0;
        const char *file = line ? dwfl_lineinfo(line, NULL, &lineno, &col, NULL, NULL) : NULL;
        if (!file) {
                detail_printf(ret_detail, "no line information at the address");
                return -ENODATA;
        }
        struct fsd_source_line *lines = calloc(CHAIN_MAX, sizeof *lines);
        if (!lines)
                return -ENOMEM;
        fl->lines = lines;
        /* dwarf_getscopes() continues an inline instance with its abstract origin's scopes; the
         * chain of concrete DIEs containing the innermost one is what says where it was
         * inlined (as eu-addr2line -i does) */
        Dwarf_Die *scopes = NULL;
        int n = dwarf_getscopes(cu, addr - bias, &scopes);
        if (n > 0) {
                Dwarf_Die innermost = scopes[0];
                free(scopes);
                scopes = NULL;
                n = dwarf_getscopes_die(&innermost, &scopes);
        }
        Dwarf_Files *files = NULL;
        if (dwarf_getsrcfiles(cu, &files, NULL) != 0)
                files = NULL;
        /* scopes run innermost first: lexical blocks, inlined_subroutine, ..., subprogram, CU.
         * The first function-like scope is the function at the address with the line table's
         * file:line; each inlined_subroutine's call_file:call_line is the line in the next one. */
        const char *cur_file = file;
        int cur_line = lineno, cur_col = col;
        int r = 0;
        bool have = false;
        for (int i = 0; i < n && r == 0; i++) {
                int tag = dwarf_tag(&scopes[i]);
                if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
                        continue;
                r = lines_push(lines, &fl->n_lines, die_function_name(&scopes[i]), cur_file, cur_line, cur_col,
                               comp_dir);
                have = true;
                if (tag == DW_TAG_subprogram)
                        break;
                Dwarf_Word v;
                cur_file = NULL;
                if (files && dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &v) == 0)
                        cur_file = dwarf_filesrc(files, v, NULL, NULL);
                cur_line = dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &v) == 0 ? (int) v : 0;
                cur_col = dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_column, &attr), &v) == 0 ? (int) v : 0;
        }
        free(scopes);
        /* code without a DWARF function (assembly): named by its symbol, as eu-addr2line does */
        if (r == 0 && !have)
                r = lines_push(lines, &fl->n_lines, symbol, file, lineno, col, comp_dir);
        return r;
}

/* The file's GNU build id as lowercase hex into buf; "" when it has no build-id note. */
static void module_build_id(Dwfl_Module *mod, char *buf, size_t size) {
        const unsigned char *bits = NULL;
        GElf_Addr vaddr;
        int n = dwfl_module_build_id(mod, &bits, &vaddr);
        buf[0] = 0;
        for (int i = 0; i < n && bits && (size_t) (2 * i + 2) < size; i++)
                snprintf(buf + 2 * i, 3, "%02x", bits[i]);
}

/* The build id the log prints for the module against the file's note. A file without a note
 * cannot be checked this way: the function size still is. */
static int check_build_id(const struct debuginfo_file *f, const char *want, char **ret_detail) {
        if (!want || !*want)
                return 0;
        char have[2 * 64 + 1];
        module_build_id(f->mod, have, sizeof have);
        if (!have[0] || strcasecmp(have, want) == 0)
                return 0;
        detail_printf(ret_detail, "%s does not belong to the log's kernel: the log prints build id %s for %s, "
                      "this file's build id is %s", f->path, want, f->name, have);
        return -ESTALE;
}

/* ROOT/.build-id/ab/cdef....debug, the layout debug packages install, then the debuginfod
 * servers of DEBUGINFOD_URLS (their cache holds the file). A file found so has the log's build
 * id by its name; check_build_id() still reads its note. */
static int file_by_build_id(struct fsd_debuginfo *di, const char *name, const char *build_id,
                            struct debuginfo_file **ret) {
        size_t n = strlen(build_id);
        if (n < 4 || n > 128 || strspn(build_id, "0123456789abcdef") != n)
                return -ENOENT;
        _cleanup_free_ char *path = NULL;
        struct stat st;
        if (di->build_id_root) {
                if (asprintf(&path, "%s/.build-id/%.2s/%s.debug", di->build_id_root, build_id, build_id + 2) < 0)
                        return -ENOMEM;
                if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
                        free(path);
                        path = NULL;
                }
        }
        if (!path && di->debuginfod) {
                for (size_t i = 0; i < di->n_tried; i++)
                        if (strcmp(di->tried[i], build_id) == 0)
                                return -ENOENT;
                debuginfod_client *c = dwfl_get_debuginfod_client(di->dwfl);
                unsigned char bits[64];
                for (size_t i = 0; i < n / 2; i++) {
                        unsigned v;
                        if (sscanf(build_id + 2 * i, "%2x", &v) != 1)
                                return -ENOENT;
                        bits[i] = (unsigned char) v;
                }
                char *fetched = NULL;
                int fd = c ? debuginfod_find_debuginfo(c, bits, (int) (n / 2), &fetched) : -ENOSYS;
                if (fd >= 0)
                        close(fd);
                if (fd < 0 || !fetched) {
                        free(fetched);
                        if (di->n_tried < ELEMENTSOF(di->tried) && (di->tried[di->n_tried] = strdup(build_id)))
                                di->n_tried++;
                        return -ENOENT;
                }
                path = fetched;
        }
        if (!path)
                return -ENOENT;
        char *nm = strdup(name);
        if (!nm)
                return -ENOMEM;
        return file_add(di, nm, path, ret);
}

static bool symbol_matches(const char *name, const char *symbol) {
        return strcmp(name, symbol) == 0;
}

int fsd_debuginfo_lookup(struct fsd_debuginfo *di, const struct fsd_debuginfo_query *q,
                         struct fsd_frame_lines **ret, char **ret_detail) {
        if (!di || !q || !q->symbol || !ret)
                return -EINVAL;
        _cleanup_free_ char *want = strdup(q->module ? q->module : "vmlinux");
        if (!want)
                return -ENOMEM;
        for (char *p = want; *p; p++)
                if (*p == '-')
                        *p = '_';
        struct debuginfo_file *f = file_find(di, want);
        if (!f && q->build_id && (di->build_id_root || di->debuginfod)) {
                int k = file_by_build_id(di, want, q->build_id, &f);
                if (k < 0 && k != -ENOENT)
                        return k;
        }
        if (!f) {
                detail_printf(ret_detail, "no debuginfo for %s", want);
                return -ENOENT;
        }
        int r = file_report(di, f, ret_detail);
        if (r < 0)
                return r;
        r = check_build_id(f, q->build_id, ret_detail);
        if (r < 0)
                return r;
        int n = dwfl_module_getsymtab(f->mod);
        GElf_Sym sym = {};
        GElf_Addr sym_addr = 0;
        bool found = false;
        for (int i = 1; i < n; i++) {
                GElf_Sym s;
                GElf_Addr a;
                const char *name = dwfl_module_getsym_info(f->mod, i, &s, &a, NULL, NULL, NULL);
                if (!name || GELF_ST_TYPE(s.st_info) != STT_FUNC || !symbol_matches(name, q->symbol))
                        continue;
                sym = s;
                sym_addr = a;
                found = true;
                /* a function defined twice (static in two files) is ambiguous: the size decides */
                if (q->size == 0 || s.st_size == q->size)
                        break;
        }
        if (!found) {
                detail_printf(ret_detail, "%s: no function %s", f->path, q->symbol);
                return -ENOENT;
        }
        /* the size the log prints is the symbol's size in the running kernel: another build
         * (other config, compiler or source) almost always differs */
        if (q->size && sym.st_size != q->size) {
                detail_printf(ret_detail, "%s does not belong to the log's kernel: %s is 0x%" PRIx64
                              " bytes in the log but 0x%" PRIx64 " bytes in this file",
                              f->path, q->symbol, q->size, (uint64_t) sym.st_size);
                return -ESTALE;
        }
        if (q->size && q->offset >= q->size) {
                detail_printf(ret_detail, "%s+0x%" PRIx64 " lies outside the function (0x%" PRIx64 " bytes)",
                              q->symbol, q->offset, q->size);
                return -ERANGE;
        }
        _cleanup_(fsd_frame_lines_freep) struct fsd_frame_lines *fl = calloc(1, sizeof *fl);
        if (!fl)
                return -ENOMEM;
        fl->debuginfo = strdup(f->path);
        if (!fl->debuginfo)
                return -ENOMEM;
        /* a caller frame's offset is the return address, the instruction after the call, which
         * may belong to the next line or even to code after the function's last call */
        uint64_t off = q->offset;
        if (q->return_address && off > 0)
                off--;
        fl->offset = off;
        fl->return_address = q->return_address && q->offset > 0;
        r = resolve_address(f->mod, sym_addr + off, q->symbol, fl, ret_detail);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(fl);
        return 0;
}
