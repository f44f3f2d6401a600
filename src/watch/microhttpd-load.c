/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libmicrohttpd, loaded when `watch` starts its metrics endpoint rather than when fsdoctor starts.
 *
 * Linked the ordinary way, libmicrohttpd brings GnuTLS, p11-kit, nettle, gmp, libtasn1 and
 * libunistring into every run, and their load-time relocations and constructors cost ~2.4 MiB of
 * resident memory to `analyze` and every other verb that never serves HTTP
 * (bench/bench-analyze.sh). So the library is opened with dlopen() on first use and these
 * definitions of the functions http.c calls forward to it; http.c stays as libmicrohttpd
 * documents it. Without the library at run time MHD_start_daemon() fails (NULL) and watch reports
 * that the endpoint could not start. The definitions are in the fsdoctor executable, which
 * exports no symbols to the library it opens. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <microhttpd.h>

/* the soname of the 0.9 series, unchanged since 0.9.38 (2014) */
#define MICROHTTPD_SONAME "libmicrohttpd.so.12"

static struct {
        struct MHD_Daemon *(*start_daemon_va)(unsigned, uint16_t, MHD_AcceptPolicyCallback, void *,
                                              MHD_AccessHandlerCallback, void *, va_list);
        void (*stop_daemon)(struct MHD_Daemon *);
        const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
        struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
        enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
        enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned, struct MHD_Response *);
        void (*destroy_response)(struct MHD_Response *);
} sym;
static bool loaded;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
        void *h = dlopen(MICROHTTPD_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!h)
                return;
        /* dlsym() returns void *; POSIX guarantees it converts to a function pointer */
#define RESOLVE(field, name) ((*(void **) &sym.field = dlsym(h, name)) != NULL)
        if (RESOLVE(start_daemon_va, "MHD_start_daemon_va") && RESOLVE(stop_daemon, "MHD_stop_daemon") &&
            RESOLVE(get_daemon_info, "MHD_get_daemon_info") &&
            RESOLVE(create_response_from_buffer, "MHD_create_response_from_buffer") &&
            RESOLVE(add_response_header, "MHD_add_response_header") &&
            RESOLVE(queue_response, "MHD_queue_response") && RESOLVE(destroy_response, "MHD_destroy_response"))
                loaded = true;
        else
                dlclose(h);
#undef RESOLVE
}

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,
                                    MHD_AccessHandlerCallback dh, void *dh_cls, ...) {
        pthread_once(&load_once, load);
        if (!loaded)
                return NULL;
        va_list ap;
        va_start(ap, dh_cls);
        struct MHD_Daemon *d = sym.start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
        va_end(ap);
        return d;
}

/* The functions below are only reached with a daemon from a successful MHD_start_daemon(). */

void MHD_stop_daemon(struct MHD_Daemon *daemon) {
        sym.stop_daemon(daemon);
}

/* http.c asks for MHD_DAEMON_INFO_BIND_PORT, which takes no variable arguments: none are passed on. */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon, enum MHD_DaemonInfoType info_type, ...) {
        return sym.get_daemon_info(daemon, info_type);
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer, enum MHD_ResponseMemoryMode mode) {
        return sym.create_response_from_buffer(size, buffer, mode);
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header, const char *content) {
        return sym.add_response_header(response, header, content);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response) {
        return sym.queue_response(connection, status_code, response);
}

void MHD_destroy_response(struct MHD_Response *response) {
        sym.destroy_response(response);
}
