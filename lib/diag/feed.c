/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The feed pump: records from a source into an analyzer, on one thread or two.
 *
 * Reading (I/O, line splitting, prefix parsing) and analysing (reports, events, incidents) each
 * take about half of the time on a large file. With a second core they overlap: a reader thread
 * copies records into batches, the calling thread feeds them to the analyzer. A ring of a few
 * batches bounds the memory; a batch is handed over under a mutex, so locking costs once per
 * thousands of records. Followed inputs, /dev/kmsg and the journal stay on one thread: there
 * latency matters, not throughput, and sd-journal objects are best kept on the thread that
 * opened them. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "fsdoctor.h"
#include "log/log-internal.h"

/* Resident memory is what a batch has touched: 2048 records (192 KiB) and their texts (~220 KiB
 * on a syslog) per batch. The text area holds one record of FSD_FEED_THREAD_MAX_LINE, but only a
 * long line touches it all. The reader is the slower side on a syslog, so the analyzer sleeps once
 * per batch: with 512 records that was 4,600 voluntary context switches per GiB and 15% more CPU
 * and wall time than with 2048 (1,340 switches; 1 GiB of the bench-analyze.sh log, 8 runs taking
 * turns), for 1.3 MiB less RSS. */
#define FEED_BATCH_RECORDS 2048
#define FEED_BATCH_TEXT (512u * 1024)
#define FEED_RING 4
#define FEED_PROGRESS_MASK 0x3fff

struct feed_batch {
        struct fsd_record recs[FEED_BATCH_RECORDS];
        size_t n, used;
        int status;              /* after the last record: 1 more follows, 0 end of input, < 0 error */
        uint64_t done, total;    /* progress when the batch was full */
        char text[FEED_BATCH_TEXT]; /* texts, host names and boot ids, NUL-terminated */
};

struct feed_ring {
        pthread_mutex_t lock;
        pthread_cond_t cond;
        struct feed_batch *slots[FEED_RING];
        unsigned head, count;    /* full batches: slots[head], ... count of them */
        bool stop;               /* the consumer gave up: the reader ends */
        struct fsd_source *src;
};

static char *batch_copy(struct feed_batch *b, const char *str, size_t len) {
        char *dst = b->text + b->used;
        memcpy(dst, str, len);
        dst[len] = 0;
        b->used += len + 1;
        return dst;
}

/* Copies rec into b. @return false when it does not fit. */
static bool batch_add(struct feed_batch *b, const struct fsd_record *rec) {
        size_t host_len = rec->host ? strlen(rec->host) : 0;
        size_t boot_id_len = rec->boot_id ? strlen(rec->boot_id) : 0;
        if (b->n == FEED_BATCH_RECORDS || FEED_BATCH_TEXT - b->used < rec->len + host_len + boot_id_len + 3)
                return false;
        struct fsd_record *copy = &b->recs[b->n++];
        *copy = *rec;
        /* the source reuses its buffers on the next call and its host table may move: copy */
        copy->text = batch_copy(b, rec->text, rec->len);
        copy->host = rec->host ? batch_copy(b, rec->host, host_len) : NULL;
        copy->boot_id = rec->boot_id ? batch_copy(b, rec->boot_id, boot_id_len) : NULL;
        return true;
}

/* The next batch to fill, once one is free; NULL when told to stop. */
static struct feed_batch *ring_take_free(struct feed_ring *ring) {
        pthread_mutex_lock(&ring->lock);
        while (ring->count == FEED_RING && !ring->stop)
                pthread_cond_wait(&ring->cond, &ring->lock);
        bool stop = ring->stop;
        unsigned i = (ring->head + ring->count) % FEED_RING;
        pthread_mutex_unlock(&ring->lock);
        return stop ? NULL : ring->slots[i];
}

static void ring_publish(struct feed_ring *ring) {
        pthread_mutex_lock(&ring->lock);
        ring->count++;
        pthread_cond_broadcast(&ring->cond);
        pthread_mutex_unlock(&ring->lock);
}

static void *feed_reader_thread(void *userdata) {
        struct feed_ring *ring = userdata;
        struct fsd_record rec;
        bool held = false;       /* rec was read but did not fit into the last batch */
        for (;;) {
                struct feed_batch *b = ring_take_free(ring);
                if (!b)
                        return NULL;
                b->n = b->used = 0;
                b->status = 1;
                if (held) {
                        batch_add(b, &rec); /* fits: an empty batch holds any record up to the cap */
                        held = false;
                }
                while (b->status > 0) {
                        int r = fsd_source_next(ring->src, &rec);
                        if (r <= 0)
                                b->status = r;
                        else if (!batch_add(b, &rec)) {
                                held = true;
                                break;
                        }
                }
                fsd_source_get_progress(ring->src, &b->done, &b->total);
                int status = b->status;
                ring_publish(ring);
                if (status <= 0)
                        return NULL;
        }
}

static int feed_one(struct fsd_analyzer *a, const struct fsd_record *rec, const struct fsd_feed_opts *o) {
        if (o->on_record) {
                int r = o->on_record(rec, o->userdata);
                if (r < 0)
                        return r;
        }
        return fsd_analyzer_feed(a, rec);
}

static int feed_threaded(struct fsd_analyzer *a, struct fsd_source *src, const struct fsd_feed_opts *o,
                         uint64_t *ret_line) {
        struct feed_ring ring = { .src = src };
        int r = 0;
        for (size_t i = 0; i < FEED_RING; i++) {
                ring.slots[i] = malloc(sizeof *ring.slots[i]);
                if (!ring.slots[i])
                        r = -ENOMEM;
        }
        pthread_t reader;
        bool started = false;
        if (r >= 0) {
                pthread_mutex_init(&ring.lock, NULL);
                pthread_cond_init(&ring.cond, NULL);
                r = -pthread_create(&reader, NULL, feed_reader_thread, &ring);
                started = r == 0;
        }
        while (started) {
                pthread_mutex_lock(&ring.lock);
                while (ring.count == 0)
                        pthread_cond_wait(&ring.cond, &ring.lock);
                struct feed_batch *b = ring.slots[ring.head];
                pthread_mutex_unlock(&ring.lock);

                int status = b->status;
                for (size_t i = 0; i < b->n && r >= 0; i++) {
                        *ret_line = b->recs[i].line;
                        r = feed_one(a, &b->recs[i], o);
                }
                if (o->on_progress)
                        o->on_progress(b->done, b->total, o->userdata);

                pthread_mutex_lock(&ring.lock);
                ring.head = (ring.head + 1) % FEED_RING;
                ring.count--;
                if (r < 0)
                        ring.stop = true;
                pthread_cond_broadcast(&ring.cond);
                pthread_mutex_unlock(&ring.lock);
                if (r < 0)
                        break;
                if (status <= 0) {
                        r = status;
                        break;
                }
        }
        if (started) {
                pthread_join(reader, NULL);
                pthread_cond_destroy(&ring.cond);
                pthread_mutex_destroy(&ring.lock);
        }
        for (size_t i = 0; i < FEED_RING; i++)
                free(ring.slots[i]);
        return r;
}

static int feed_simple(struct fsd_analyzer *a, struct fsd_source *src, const struct fsd_feed_opts *o,
                       uint64_t *ret_line) {
        struct fsd_record rec;
        int r;
        while ((r = fsd_source_next(src, &rec)) > 0) {
                *ret_line = rec.line;
                r = feed_one(a, &rec, o);
                if (r < 0)
                        break;
                if ((rec.line & FEED_PROGRESS_MASK) == 0 && o->on_progress) {
                        uint64_t done, total;
                        fsd_source_get_progress(src, &done, &total);
                        o->on_progress(done, total, o->userdata);
                }
        }
        return r;
}

int fsd_analyzer_feed_source(struct fsd_analyzer *a, struct fsd_source *src, const struct fsd_feed_opts *opts,
                             uint64_t *ret_line) {
        if (!a || !src)
                return -EINVAL;
        struct fsd_feed_opts o = {};
        if (opts) {
                size_t n = opts->sz < sizeof o ? opts->sz : sizeof o;
                memcpy(&o, opts, n);
        }
        uint64_t line = 0;
        /* a record must fit into one batch */
        bool threaded = o.threaded && src->max_line <= FSD_FEED_THREAD_MAX_LINE && src->reader->threadable;
        int r = threaded ? feed_threaded(a, src, &o, &line) : feed_simple(a, src, &o, &line);
        if (ret_line)
                *ret_line = line;
        return r;
}
