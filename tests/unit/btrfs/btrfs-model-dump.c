/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Developer tool for the lab tests (built, not installed): read btrfs images or devices with
 * fsd_btrfs_space_read_offline() and print the space model as tab-separated lines, which the lab
 * scripts compare with btrfs-progs' dump-super and dump-tree output:
 *   super <field> <value>
 *   device <devid> <size> <allocated> <missing 0|1> <path>
 *   bg <start> <length> <used> <flags>
 *   space <flags> <total> <used>
 *   reserve <bytes> <exact 0|1>
 * Exit: 0 read, 2 clear error (reason on stderr as "error: <code>: <detail>"), 1 usage.
 * -v prints the library's debug log on stderr.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsdoctor.h"

static void log_to_stderr(int level, const char *msg, void *userdata) {
        fprintf(stderr, "<%d> %s\n", level, msg);
}

int main(int argc, char **argv) {
        struct fsd_btrfs_space *space = NULL;
        char *detail = NULL;
        int first = 1, r;

        if (argc > 1 && strcmp(argv[1], "-v") == 0) {
                fsd_set_log_fn(log_to_stderr, NULL);
                first = 2;
        }
        if (argc <= first) {
                fprintf(stderr, "usage: %s [-v] IMAGE-OR-DEVICE...\n", argv[0]);
                return 1;
        }
        r = fsd_btrfs_space_read_offline((const char *const *) argv + first, (size_t) (argc - first),
                                         &space, &detail);
        if (r < 0) {
                fprintf(stderr, "error: %d: %s\n", r, detail ? detail : fsd_strerror(r));
                free(detail);
                return 2;
        }
        printf("super\tgeneration\t%" PRIu64 "\n", space->generation);
        printf("super\ttotal_bytes\t%" PRIu64 "\n", space->super_total_bytes);
        printf("super\tbytes_used\t%" PRIu64 "\n", space->super_bytes_used);
        printf("super\tnum_devices\t%" PRIu64 "\n", space->num_devices);
        printf("super\tcsum_type\t%u\n", space->csum_type);
        printf("super\tnodesize\t%u\n", space->nodesize);
        printf("super\tsectorsize\t%u\n", space->sectorsize);
        printf("super\tincompat_flags\t%" PRIu64 "\n", space->incompat_flags);
        printf("super\tcompat_ro_flags\t%" PRIu64 "\n", space->compat_ro_flags);
        printf("super\tlabel\t%s\n", space->label);
        printf("super\tfsid\t");
        for (size_t i = 0; i < sizeof space->fsid; i++)
                printf("%02x%s", space->fsid[i], i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
        printf("\n");
        for (size_t i = 0; i < space->n_devices; i++) {
                const struct fsd_btrfs_device *d = &space->devices[i];
                printf("device\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%d\t%s\n", d->devid, d->size,
                       d->allocated, d->missing, d->path);
        }
        for (size_t i = 0; i < space->n_block_groups; i++) {
                const struct fsd_btrfs_block_group *bg = &space->block_groups[i];
                printf("bg\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n", bg->start, bg->length,
                       bg->used, bg->flags);
        }
        for (size_t i = 0; i < space->n_space_infos; i++) {
                const struct fsd_btrfs_space_info *s = &space->space_infos[i];
                printf("space\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n", s->flags, s->total, s->used);
        }
        printf("reserve\t%" PRIu64 "\t%d\n", space->global_reserve, space->global_reserve_exact);
        fsd_btrfs_space_free(space);
        return 0;
}
