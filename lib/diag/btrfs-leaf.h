/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The leaf dumps btrfs prints next to a corruption or a failed back-reference lookup
 * (print-tree.c btrfs_print_leaf): the leaf's owner tree and the back references of its extent
 * items. They turn two messages into findings: "unable to find ref ... root R" next to a leaf
 * whose back reference for that extent names a root one bit away from R (a bit flip, not a lost
 * reference), and a corruption in a leaf of a tree that names its feature (the RAID stripe tree). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BTRFS_LEAF_MAX_REFS 256

struct btrfs_leaf_ref {
        uint64_t bytenr;         /* the extent item's key objectid */
        uint64_t root, objectid, offset; /* data backref (root, inode, file offset); tree: root only */
        uint64_t parent;         /* shared backrefs */
        enum { LEAF_REF_DATA, LEAF_REF_TREE, LEAF_REF_SHARED_DATA, LEAF_REF_SHARED_BLOCK } kind;
};

struct btrfs_leaf_dump {
        char device[32];         /* the device of the last leaf header */
        uint64_t owner;          /* the last leaf header's owner tree */
        bool have_owner;
        bool in_leaf;            /* item lines of that leaf may follow */
        bool have_item;          /* cur_bytenr is an extent item's bytenr */
        uint64_t cur_bytenr;
        struct btrfs_leaf_ref refs[BTRFS_LEAF_MAX_REFS];
        size_t n_refs;
        uint64_t n_dropped;      /* refs past BTRFS_LEAF_MAX_REFS */
};

/* One message. @return 1 when it was part of a leaf dump (header, item or back reference line),
 * else 0 and the dump is left as it is. */
int btrfs_leaf_note(struct btrfs_leaf_dump *d, const char *text, size_t len);

/* The tree an owner id names ("extent tree", "RAID stripe tree", "log tree", "subvolume"), NULL
 * for ids btrfs does not reserve below 256 (ctree.h / btrfs_tree.h objectids). */
const char *btrfs_tree_name(uint64_t owner);

/* For "unable to find ref byte nr B parent P root R owner O offset F": the dumped back reference
 * of extent B that differs from the one looked for in exactly one bit of one field. Writes
 * "backref root wanted R found X" (or objectid, offset, parent) to buf. @return whether one was found. */
bool btrfs_leaf_ref_flip(const struct btrfs_leaf_dump *d, const char *lookup, size_t len, char *buf, size_t size);
