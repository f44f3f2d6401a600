/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The metrics endpoint: libmicrohttpd in its own thread, GET /metrics only. Connection count,
 * per-address connections, header memory and idle time are capped, so slow or hostile clients
 * cost at most those slots and never the log reader (which only takes the registry's mutex to
 * update numbers). */
#include "metrics.h"

#define HTTP_MAX_CONNECTIONS 64
#define HTTP_MAX_PER_ADDRESS 32
#define HTTP_TIMEOUT_SEC 5
#define HTTP_MEMORY_LIMIT (16 * 1024)   /* request line + headers; larger ones get 431/413 */

struct http_server;

/* listen: "ADDR:PORT", "[V6ADDR]:PORT" or ":PORT" (loopback). On failure *reterr (static) says why. */
int http_server_start(const char *listen, struct metrics *m, struct http_server **ret, const char **reterr);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const struct http_server *h);
struct http_server *http_server_stop(struct http_server *h);
