/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading btrfs leaf dumps (print-tree.c btrfs_print_leaf, 4.x to 6.x):
 *   BTRFS info (device D): leaf B gen G total ptrs N free space F owner O   (4.x: no gen, no owner)
 *   \titem I key (OBJECTID TYPE OFFSET) itemoff X itemsize Y
 *   \t\textent refs R gen G flags F
 *   \t\tref#K: extent data backref root R objectid O offset F count C        (4.x: no "ref#K: ")
 *   \t\tref#K: tree block backref root R
 *   \t\tref#K: shared data backref parent P count C / shared block backref parent P
 * Syslog daemons print the tabs as "#011"; mail clients turn them into spaces. */
#include <stdio.h>
#include <string.h>
#include "btrfs-leaf.h"
#include "basic/span.h"

/* key types (btrfs_tree.h) */
enum {
        KEY_EXTENT_ITEM = 168,
        KEY_METADATA_ITEM = 169,
        KEY_TREE_BLOCK_REF = 176,   /* key (bytenr 176 root) */
        KEY_EXTENT_DATA_REF = 178,  /* key (bytenr 178 hash): the root is printed on the next line */
        KEY_SHARED_BLOCK_REF = 182, /* key (bytenr 182 parent) */
        KEY_SHARED_DATA_REF = 184,  /* key (bytenr 184 parent) */
};

static const char *skip_indent(const char *p, const char *end) {
        for (;;) {
                if (p < end && (*p == ' ' || *p == '\t'))
                        p++;
                else if (end - p >= 4 && memcmp(p, "#011", 4) == 0)
                        p += 4;
                else
                        return p;
        }
}

static void add_ref(struct btrfs_leaf_dump *d, struct btrfs_leaf_ref ref) {
        if (d->n_refs == BTRFS_LEAF_MAX_REFS) {
                d->n_dropped++;
                return;
        }
        d->refs[d->n_refs++] = ref;
}

/* "leaf B [gen G ]total ptrs N free space F[ owner O]" after the btrfs prefix */
static int note_header(struct btrfs_leaf_dump *d, const char *text, const char *end) {
        const char *dev = SCAN_FIND(text, end, "(device ");
        const char *m = SCAN_FIND(text, end, "): leaf ");
        if (!dev || !m || dev > m)
                return 0;
        const char *p = m + 8;
        uint64_t block;
        if (!scan_u64(&p, end, &block) || !SCAN_FIND(p, end, " total ptrs "))
                return 0;
        dev += 8;
        size_t n = 0;
        while (dev + n < m && dev[n] != ':' && dev[n] != ')' && n < sizeof d->device - 1)
                n++;
        memcpy(d->device, dev, n);
        d->device[n] = 0;
        d->have_owner = false;
        const char *o = SCAN_FIND(p, end, " owner ");
        if (o) {
                o += 7;
                d->have_owner = scan_u64(&o, end, &d->owner);
        }
        d->in_leaf = true;
        d->have_item = false;
        d->n_refs = 0;
        d->n_dropped = 0;
        return 1;
}

/* "item I key (A T B) itemoff ..." */
static int note_item(struct btrfs_leaf_dump *d, const char *p, const char *end) {
        uint64_t idx, objectid, type, offset;
        if (!SCAN_EAT(&p, end, "item ") || !scan_u64(&p, end, &idx) || !SCAN_EAT(&p, end, " key (") ||
            !scan_u64(&p, end, &objectid) || !SCAN_EAT(&p, end, " ") || !scan_u64(&p, end, &type) ||
            !SCAN_EAT(&p, end, " ") || !scan_u64(&p, end, &offset))
                return 0;
        d->have_item = type == KEY_EXTENT_ITEM || type == KEY_METADATA_ITEM || type == KEY_EXTENT_DATA_REF;
        d->cur_bytenr = objectid;
        if (type == KEY_TREE_BLOCK_REF)
                add_ref(d, (struct btrfs_leaf_ref) { .bytenr = objectid, .root = offset, .kind = LEAF_REF_TREE });
        else if (type == KEY_SHARED_BLOCK_REF)
                add_ref(d, (struct btrfs_leaf_ref) { .bytenr = objectid, .parent = offset, .kind = LEAF_REF_SHARED_BLOCK });
        else if (type == KEY_SHARED_DATA_REF)
                add_ref(d, (struct btrfs_leaf_ref) { .bytenr = objectid, .parent = offset, .kind = LEAF_REF_SHARED_DATA });
        return 1;
}

/* the back reference lines of the current extent item */
static int note_ref(struct btrfs_leaf_dump *d, const char *p, const char *end) {
        if (SCAN_EAT(&p, end, "ref#")) {
                uint64_t k;
                if (!scan_u64(&p, end, &k) || !SCAN_EAT(&p, end, ": "))
                        return 0;
        }
        struct btrfs_leaf_ref ref = { .bytenr = d->cur_bytenr };
        if (SCAN_EAT(&p, end, "extent data backref root ")) {
                ref.kind = LEAF_REF_DATA;
                if (!scan_u64(&p, end, &ref.root) || !SCAN_EAT(&p, end, " objectid ") || !scan_u64(&p, end, &ref.objectid) ||
                    !SCAN_EAT(&p, end, " offset ") || !scan_u64(&p, end, &ref.offset))
                        return 0;
        } else if (SCAN_EAT(&p, end, "tree block backref root ")) {
                ref.kind = LEAF_REF_TREE;
                if (!scan_u64(&p, end, &ref.root))
                        return 0;
        } else if (SCAN_EAT(&p, end, "shared data backref parent ")) {
                ref.kind = LEAF_REF_SHARED_DATA;
                if (!scan_u64(&p, end, &ref.parent))
                        return 0;
        } else if (SCAN_EAT(&p, end, "shared block backref parent ")) {
                ref.kind = LEAF_REF_SHARED_BLOCK;
                if (!scan_u64(&p, end, &ref.parent))
                        return 0;
        } else
                return SCAN_STARTS(p, end, "extent refs ") || SCAN_STARTS(p, end, "tree block key (");
        if (d->have_item)
                add_ref(d, ref);
        return 1;
}

int btrfs_leaf_note(struct btrfs_leaf_dump *d, const char *text, size_t len) {
        if (!d || !text || len < 8)
                return 0;
        const char *end = text + len;
        if (text[0] == 'B' && SCAN_STARTS(text, end, "BTRFS")) {
                if (note_header(d, text, end))
                        return 1;
                d->in_leaf = false;     /* another btrfs message: the dump is over, what it said stays */
                return 0;
        }
        if (!d->in_leaf)
                return 0;
        const char *p = skip_indent(text, end);
        if (p < end && *p == 'i')
                return note_item(d, p, end);
        return note_ref(d, p, end);
}

const char *btrfs_tree_name(uint64_t owner) {
        static const char *const names[] = {
                [1] = "root tree", [2] = "extent tree", [3] = "chunk tree", [4] = "device tree",
                [5] = "top-level subvolume (FS tree)", [7] = "checksum tree", [8] = "quota tree", [9] = "UUID tree",
                [10] = "free space tree", [11] = "block group tree", [12] = "RAID stripe tree",
        };
        if (owner < sizeof names / sizeof names[0])
                return names[owner];
        if (owner == UINT64_MAX - 5)    /* -6 */
                return "log tree";
        if (owner == UINT64_MAX - 7)    /* -8 */
                return "relocation tree";
        if (owner == UINT64_MAX - 8)    /* -9 */
                return "data relocation tree";
        if (owner >= 256 && owner <= UINT64_MAX - 255)
                return "subvolume";
        return NULL;
}

static bool one_bit(uint64_t a, uint64_t b) {
        return a != b && __builtin_popcountll(a ^ b) == 1;
}

bool btrfs_leaf_ref_flip(const struct btrfs_leaf_dump *d, const char *lookup, size_t len, char *buf, size_t size) {
        if (!d || !lookup || !d->n_refs)
                return false;
        const char *end = lookup + len;
        const char *p = SCAN_FIND(lookup, end, "unable to find ref byte nr ");
        uint64_t bytenr, parent, root, owner, offset;
        if (!p)
                return false;
        p += sizeof("unable to find ref byte nr ") - 1;
        if (!scan_u64(&p, end, &bytenr) || !SCAN_EAT(&p, end, " parent ") || !scan_u64(&p, end, &parent) ||
            !SCAN_EAT(&p, end, " root ") || !scan_u64(&p, end, &root))
                return false;
        scan_spaces(&p, end);   /* 6.x prints two spaces before "owner" */
        if (!SCAN_EAT(&p, end, "owner ") || !scan_u64(&p, end, &owner) || !SCAN_EAT(&p, end, " offset ") ||
            !scan_u64(&p, end, &offset))
                return false;
        /* owner below 256 is a tree block's level: its reference names only a root or a parent */
        bool data = owner >= 256;
        for (size_t i = 0; i < d->n_refs; i++) {
                const struct btrfs_leaf_ref *r = &d->refs[i];
                if (r->bytenr != bytenr)
                        continue;
                const char *field = NULL;
                uint64_t found = 0, wanted = 0;
                if (parent) {
                        if ((r->kind == LEAF_REF_SHARED_DATA || r->kind == LEAF_REF_SHARED_BLOCK) && one_bit(r->parent, parent))
                                field = "parent", wanted = parent, found = r->parent;
                } else if (data && r->kind == LEAF_REF_DATA) {
                        int same = (r->root == root) + (r->objectid == owner) + (r->offset == offset);
                        if (same == 2) {
                                if (one_bit(r->root, root))
                                        field = "root", wanted = root, found = r->root;
                                else if (one_bit(r->objectid, owner))
                                        field = "objectid", wanted = owner, found = r->objectid;
                                else if (one_bit(r->offset, offset))
                                        field = "offset", wanted = offset, found = r->offset;
                        }
                } else if (!data && r->kind == LEAF_REF_TREE && one_bit(r->root, root))
                        field = "root", wanted = root, found = r->root;
                if (field) {
                        snprintf(buf, size, "backref %s wanted %llu found %llu", field, (unsigned long long) wanted,
                                 (unsigned long long) found);
                        return true;
                }
        }
        return false;
}
