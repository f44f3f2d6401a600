/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libdebuginfod, opened when --debuginfo-auto first asks a server rather than linked.
 *
 * Linked the ordinary way, libdebuginfod brings libcurl, GnuTLS, Kerberos and LDAP: some forty
 * libraries mapped and relocated by every run of every verb, which costs each run more start-up
 * work than analyze spends on a small log and triples the resident memory of `fsdoctor --version`.
 * libdw itself opens libdebuginfod with dlopen() when it creates the client
 * (dwfl_get_debuginfod_client()), so the one function called directly here is looked up in the
 * same library the same way. Without the library that call fails with -ENOSYS, as when no client
 * could be made. The definition is local to libfsdoctor.so (libfsdoctor.sym exports only fsd_*). */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <elfutils/debuginfod.h>

#define DEBUGINFOD_SONAME "libdebuginfod.so.1"

static int (*find_debuginfo)(debuginfod_client *, const unsigned char *, int, char **);
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
        void *h = dlopen(DEBUGINFOD_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!h)
                return;
        /* dlsym() returns void *; POSIX guarantees it converts to a function pointer */
        if (!(*(void **) &find_debuginfo = dlsym(h, "debuginfod_find_debuginfo")))
                dlclose(h);
}

int debuginfod_find_debuginfo(debuginfod_client *client, const unsigned char *build_id, int build_id_len,
                              char **path) {
        pthread_once(&load_once, load);
        if (!find_debuginfo)
                return -ENOSYS;
        return find_debuginfo(client, build_id, build_id_len, path);
}
