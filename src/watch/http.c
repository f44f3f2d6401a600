/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include "http.h"

struct http_server {
        struct MHD_Daemon *mhd;
        struct metrics *metrics;
        unsigned port;
};

static enum MHD_Result respond_text(struct MHD_Connection *conn, unsigned status, const char *text) {
        struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(text), (void *) text, MHD_RESPMEM_PERSISTENT);
        if (!resp)
                return MHD_NO;
        MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
        enum MHD_Result ret = MHD_queue_response(conn, status, resp);
        MHD_destroy_response(resp);
        return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
        struct http_server *h = cls;
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
                return respond_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
        if (*upload_data_size)
                return respond_text(conn, MHD_HTTP_BAD_REQUEST, "no body expected\n");
        if (strcmp(url, "/") == 0)
                return respond_text(conn, MHD_HTTP_OK, "fsdoctor watch: metrics at /metrics\n");
        if (strcmp(url, "/metrics") != 0)
                return respond_text(conn, MHD_HTTP_NOT_FOUND, "not found\n");
        char *text = NULL;
        size_t len = 0;
        if (metrics_render(h->metrics, &text, &len) < 0)
                return respond_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
        struct MHD_Response *resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
        if (!resp) {
                free(text);
                return MHD_NO;
        }
        MHD_add_response_header(resp, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
        MHD_destroy_response(resp);
        return ret;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len) {
        const char *colon = strrchr(listen, ':');
        if (!colon || !colon[1])
                return -EINVAL;
        char *end;
        unsigned long port = strtoul(colon + 1, &end, 10);
        if (*end || port > 65535)
                return -EINVAL;
        char host[INET6_ADDRSTRLEN + 2];
        size_t hl = (size_t) (colon - listen);
        if (hl >= sizeof host)
                return -EINVAL;
        memcpy(host, listen, hl);
        host[hl] = 0;
        memset(ss, 0, sizeof *ss);
        if (hl == 0) {
                struct sockaddr_in *in = (struct sockaddr_in *) ss;
                in->sin_family = AF_INET;
                in->sin_port = htons((uint16_t) port);
                in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                *len = sizeof *in;
                return 0;
        }
        if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
                host[hl - 1] = 0;
                struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) ss;
                in6->sin6_family = AF_INET6;
                in6->sin6_port = htons((uint16_t) port);
                if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
                        return -EINVAL;
                *len = sizeof *in6;
                return 0;
        }
        struct sockaddr_in *in = (struct sockaddr_in *) ss;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t) port);
        if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
                return -EINVAL;
        *len = sizeof *in;
        return 0;
}

int http_server_start(const char *listen, struct metrics *m, struct http_server **ret, const char **reterr) {
        struct sockaddr_storage ss;
        socklen_t sl;
        if (parse_listen(listen, &ss, &sl) < 0) {
                *reterr = "expected ADDR:PORT, [ADDR]:PORT or :PORT";
                return -EINVAL;
        }
        struct http_server *h = calloc(1, sizeof *h);
        if (!h)
                return -ENOMEM;
        h->metrics = m;
        unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
        if (ss.ss_family == AF_INET6)
                flags |= MHD_USE_IPv6;
        h->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
                                  MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &ss,
                                  MHD_OPTION_CONNECTION_LIMIT, (unsigned) HTTP_MAX_CONNECTIONS,
                                  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned) HTTP_MAX_PER_ADDRESS,
                                  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned) HTTP_TIMEOUT_SEC,
                                  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) HTTP_MEMORY_LIMIT,
                                  MHD_OPTION_END);
        if (!h->mhd) {
                free(h);
                *reterr = "cannot listen (address in use or not available?)";
                return -EADDRNOTAVAIL;
        }
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
        h->port = info ? info->port : 0;
        *ret = h;
        return 0;
}

unsigned http_server_port(const struct http_server *h) {
        return h ? h->port : 0;
}

struct http_server *http_server_stop(struct http_server *h) {
        if (!h)
                return NULL;
        MHD_stop_daemon(h->mhd);
        free(h);
        return NULL;
}
