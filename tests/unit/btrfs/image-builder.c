/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "btrfs/accessors.h"
#include "btrfs/csum.h"
#include "image-builder.h"

static const uint8_t test_fsid[16] = { 0xf5, 0xd0, 0xc7, 0x04, 0x11, 0x22, 0x43, 0x44,
                                       0x85, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc };
static const uint8_t test_dev_uuid[16] = { 0xde, 0xe1, 0x1d, 0xde, 0x01, 0x02, 0x43, 0x04,
                                           0x85, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c };

uint8_t *img_block(uint8_t *buf, uint64_t logical) {
        return buf + IMG_SYS_PHYSICAL + (logical - IMG_SYS_LOGICAL);
}

struct leaf {
        uint8_t *b;
        uint32_t n, data_end;
        int level;
};

static struct leaf block_init(uint8_t *buf, uint64_t logical, uint64_t owner, int level) {
        uint8_t *b = img_block(buf, logical);
        struct btrfs_header *h = (struct btrfs_header *) b;

        memset(b, 0, IMG_NODESIZE);
        memcpy(h->fsid, test_fsid, 16);
        btrfs_put_le64(&h->bytenr, logical);
        btrfs_put_le64(&h->flags, 1);
        btrfs_put_le64(&h->generation, 7);
        btrfs_put_le64(&h->owner, owner);
        h->level = (uint8_t) level;
        return (struct leaf) { .b = b, .data_end = IMG_NODESIZE - sizeof(struct btrfs_header), .level = level };
}

static void put_key(struct btrfs_disk_key *k, uint64_t objectid, uint8_t type, uint64_t offset) {
        btrfs_put_le64(&k->objectid, objectid);
        k->type = type;
        btrfs_put_le64(&k->offset, offset);
}

static void leaf_add(struct leaf *l, uint64_t objectid, uint8_t type, uint64_t offset, const void *data,
                     uint32_t size) {
        struct btrfs_item *it = (struct btrfs_item *) (l->b + sizeof(struct btrfs_header)) + l->n;

        put_key(&it->key, objectid, type, offset);
        l->data_end -= size;
        btrfs_put_le32(&it->offset, l->data_end);
        btrfs_put_le32(&it->size, size);
        memcpy(l->b + sizeof(struct btrfs_header) + l->data_end, data, size);
        l->n++;
        btrfs_put_le32(&((struct btrfs_header *) l->b)->nritems, l->n);
}

static void node_add(struct leaf *l, uint64_t objectid, uint8_t type, uint64_t offset, uint64_t blockptr) {
        struct btrfs_key_ptr *p = (struct btrfs_key_ptr *) (l->b + sizeof(struct btrfs_header)) + l->n;

        put_key(&p->key, objectid, type, offset);
        btrfs_put_le64(&p->blockptr, blockptr);
        btrfs_put_le64(&p->generation, 7);
        l->n++;
        btrfs_put_le32(&((struct btrfs_header *) l->b)->nritems, l->n);
}

void img_fix_block_csum(uint8_t *buf, uint16_t csum_type, uint64_t logical) {
        uint8_t *b = img_block(buf, logical);
        btrfs_csum_compute(csum_type, b + BTRFS_CSUM_SIZE, IMG_NODESIZE - BTRFS_CSUM_SIZE, b);
}

void img_fix_super_csum(uint8_t *buf, uint16_t csum_type, uint64_t at) {
        btrfs_csum_compute(csum_type, buf + at + BTRFS_CSUM_SIZE, BTRFS_SUPER_INFO_SIZE - BTRFS_CSUM_SIZE, buf + at);
}

/* chunk item with stripes on devid 1 */
static size_t make_chunk(uint8_t *out, uint64_t length, uint64_t type, unsigned num_stripes,
                         const uint64_t *physical) {
        struct btrfs_chunk *c = (struct btrfs_chunk *) out;
        struct btrfs_stripe *s = (struct btrfs_stripe *) (out + sizeof *c);

        memset(out, 0, sizeof *c + num_stripes * sizeof *s);
        btrfs_put_le64(&c->length, length);
        btrfs_put_le64(&c->owner, BTRFS_EXTENT_TREE_OBJECTID);
        btrfs_put_le64(&c->stripe_len, BTRFS_STRIPE_LEN);
        btrfs_put_le64(&c->type, type);
        btrfs_put_le32(&c->io_align, 65536);
        btrfs_put_le32(&c->io_width, 65536);
        btrfs_put_le32(&c->sector_size, 4096);
        btrfs_put_le16(&c->num_stripes, num_stripes);
        btrfs_put_le16(&c->sub_stripes, 1);
        for (unsigned i = 0; i < num_stripes; i++) {
                btrfs_put_le64(&s[i].devid, 1);
                btrfs_put_le64(&s[i].offset, physical[i]);
                memcpy(s[i].dev_uuid, test_dev_uuid, 16);
        }
        return sizeof *c + num_stripes * sizeof *s;
}

static void make_root_item(struct btrfs_root_item *ri, uint64_t bytenr, uint64_t bytes_used, uint8_t level) {
        memset(ri, 0, sizeof *ri);
        btrfs_put_le64(&ri->generation, 7);
        btrfs_put_le64(&ri->bytenr, bytenr);
        btrfs_put_le64(&ri->bytes_used, bytes_used);
        btrfs_put_le32(&ri->refs, 1);
        ri->level = level;
}

static void make_bg(struct btrfs_block_group_item *bg, uint64_t used, uint64_t flags) {
        btrfs_put_le64(&bg->used, used);
        btrfs_put_le64(&bg->chunk_objectid, BTRFS_FIRST_CHUNK_TREE_OBJECTID);
        btrfs_put_le64(&bg->flags, flags);
}

void img_build(uint8_t *buf, const struct img_opts *opts) {
        struct btrfs_super_block *sb = (struct btrfs_super_block *) (buf + BTRFS_SUPER_INFO_OFFSET);
        uint8_t chunk[sizeof(struct btrfs_chunk) + 4 * sizeof(struct btrfs_stripe)];
        const uint64_t sys_phys[] = { IMG_SYS_PHYSICAL };
        const uint64_t meta_phys[] = { UINT64_C(0x1000000), UINT64_C(0x1800000) };
        const uint64_t data_phys[] = { UINT64_C(0x2000000) };
        const uint64_t sys_type = BTRFS_BLOCK_GROUP_SYSTEM;
        const uint64_t meta_type = BTRFS_BLOCK_GROUP_METADATA | BTRFS_BLOCK_GROUP_DUP;
        const uint64_t data_type = BTRFS_BLOCK_GROUP_DATA;
        struct btrfs_block_group_item bg;
        struct btrfs_root_item ri;
        struct btrfs_dev_item di;
        size_t n;

        memset(buf, 0, IMG_SIZE);

        /* superblock */
        memcpy(sb->fsid, test_fsid, 16);
        btrfs_put_le64(&sb->bytenr, BTRFS_SUPER_INFO_OFFSET);
        btrfs_put_le64(&sb->flags, 1);
        btrfs_put_le64(&sb->magic, BTRFS_MAGIC);
        btrfs_put_le64(&sb->generation, 7);
        btrfs_put_le64(&sb->root, IMG_ROOT_TREE);
        btrfs_put_le64(&sb->chunk_root, IMG_CHUNK_ROOT);
        btrfs_put_le64(&sb->total_bytes, UINT64_C(1) << 30);
        btrfs_put_le64(&sb->bytes_used, IMG_SYS_USED + IMG_META_USED + IMG_DATA_USED);
        btrfs_put_le64(&sb->root_dir_objectid, 6);
        btrfs_put_le64(&sb->num_devices, 1);
        btrfs_put_le32(&sb->sectorsize, 4096);
        btrfs_put_le32(&sb->nodesize, IMG_NODESIZE);
        btrfs_put_le32(&sb->unused_leafsize, IMG_NODESIZE);
        btrfs_put_le32(&sb->stripesize, 4096);
        btrfs_put_le64(&sb->chunk_root_generation, 7);
        btrfs_put_le64(&sb->compat_ro_flags, opts->block_group_tree ? BTRFS_FEATURE_COMPAT_RO_BLOCK_GROUP_TREE : 0);
        btrfs_put_le64(&sb->incompat_flags, 0x341);
        btrfs_put_le16(&sb->csum_type, opts->csum_type);
        memset(&di, 0, sizeof di);
        btrfs_put_le64(&di.devid, 1);
        btrfs_put_le64(&di.total_bytes, UINT64_C(1) << 30);
        btrfs_put_le64(&di.bytes_used, IMG_SYS_LENGTH + 3 * IMG_CHUNK_LENGTH);
        btrfs_put_le32(&di.sector_size, 4096);
        memcpy(di.uuid, test_dev_uuid, 16);
        memcpy(di.fsid, test_fsid, 16);
        sb->dev_item = di;
        strcpy(sb->label, "constructed");
        put_key((struct btrfs_disk_key *) sb->sys_chunk_array, BTRFS_FIRST_CHUNK_TREE_OBJECTID,
                BTRFS_CHUNK_ITEM_KEY, IMG_SYS_LOGICAL);
        n = make_chunk(sb->sys_chunk_array + sizeof(struct btrfs_disk_key), IMG_SYS_LENGTH, sys_type, 1, sys_phys);
        btrfs_put_le32(&sb->sys_chunk_array_size, sizeof(struct btrfs_disk_key) + n);

        /* chunk tree: the device, then the three chunks in logical order */
        struct leaf l = block_init(buf, IMG_CHUNK_ROOT, BTRFS_CHUNK_TREE_OBJECTID, 0);
        leaf_add(&l, BTRFS_DEV_ITEMS_OBJECTID, BTRFS_DEV_ITEM_KEY, 1, &di, sizeof di);
        n = make_chunk(chunk, IMG_SYS_LENGTH, sys_type, 1, sys_phys);
        leaf_add(&l, BTRFS_FIRST_CHUNK_TREE_OBJECTID, BTRFS_CHUNK_ITEM_KEY, IMG_SYS_LOGICAL, chunk, n);
        n = make_chunk(chunk, IMG_CHUNK_LENGTH, meta_type, 2, meta_phys);
        leaf_add(&l, BTRFS_FIRST_CHUNK_TREE_OBJECTID, BTRFS_CHUNK_ITEM_KEY, IMG_METADATA_LOGICAL, chunk, n);
        n = make_chunk(chunk, IMG_CHUNK_LENGTH, data_type, 1, data_phys);
        leaf_add(&l, BTRFS_FIRST_CHUNK_TREE_OBJECTID, BTRFS_CHUNK_ITEM_KEY, IMG_DATA_LOGICAL, chunk, n);
        img_fix_block_csum(buf, opts->csum_type, IMG_CHUNK_ROOT);

        /* root tree */
        l = block_init(buf, IMG_ROOT_TREE, BTRFS_ROOT_TREE_OBJECTID, 0);
        make_root_item(&ri, IMG_EXTENT_TREE, opts->two_level_extent ? 3 * IMG_NODESIZE : IMG_NODESIZE,
                       opts->two_level_extent ? 1 : 0);
        leaf_add(&l, BTRFS_EXTENT_TREE_OBJECTID, BTRFS_ROOT_ITEM_KEY, 0, &ri, sizeof ri);
        make_root_item(&ri, IMG_BG_TREE, IMG_NODESIZE, 0);
        if (opts->block_group_tree)
                leaf_add(&l, BTRFS_BLOCK_GROUP_TREE_OBJECTID, BTRFS_ROOT_ITEM_KEY, 0, &ri, sizeof ri);
        img_fix_block_csum(buf, opts->csum_type, IMG_ROOT_TREE);

        /* block-group items, in whichever tree holds them */
        struct { uint64_t start, used, flags; } bgs[] = {
                { IMG_SYS_LOGICAL, IMG_SYS_USED, sys_type },
                { IMG_METADATA_LOGICAL, IMG_META_USED, meta_type },
                { IMG_DATA_LOGICAL, IMG_DATA_USED, data_type },
        };
        uint64_t lengths[] = { IMG_SYS_LENGTH, IMG_CHUNK_LENGTH, IMG_CHUNK_LENGTH };
        if (opts->block_group_tree) {
                l = block_init(buf, IMG_BG_TREE, BTRFS_BLOCK_GROUP_TREE_OBJECTID, 0);
                for (int i = 0; i < 3; i++) {
                        make_bg(&bg, bgs[i].used, bgs[i].flags);
                        leaf_add(&l, bgs[i].start, BTRFS_BLOCK_GROUP_ITEM_KEY, lengths[i], &bg, sizeof bg);
                }
                img_fix_block_csum(buf, opts->csum_type, IMG_BG_TREE);
                l = block_init(buf, IMG_EXTENT_TREE, BTRFS_EXTENT_TREE_OBJECTID, 0); /* empty */
                img_fix_block_csum(buf, opts->csum_type, IMG_EXTENT_TREE);
        } else if (!opts->two_level_extent) {
                l = block_init(buf, IMG_EXTENT_TREE, BTRFS_EXTENT_TREE_OBJECTID, 0);
                for (int i = 0; i < 3; i++) {
                        make_bg(&bg, bgs[i].used, bgs[i].flags);
                        leaf_add(&l, bgs[i].start, BTRFS_BLOCK_GROUP_ITEM_KEY, lengths[i], &bg, sizeof bg);
                }
                img_fix_block_csum(buf, opts->csum_type, IMG_EXTENT_TREE);
        } else {
                /* extent items before and after each block-group item, as in a real extent tree;
                 * the node splits the keys so the data block group sits in the second leaf */
                uint8_t extent_item[24] = { 1 };
                struct leaf l1 = block_init(buf, IMG_EXTENT_LEAF1, BTRFS_EXTENT_TREE_OBJECTID, 0);
                leaf_add(&l1, IMG_SYS_LOGICAL, BTRFS_BLOCK_GROUP_ITEM_KEY, IMG_SYS_LENGTH,
                         (make_bg(&bg, bgs[0].used, bgs[0].flags), &bg), sizeof bg);
                leaf_add(&l1, IMG_SYS_LOGICAL + 0x4000, BTRFS_METADATA_ITEM_KEY, 0, extent_item, sizeof extent_item);
                leaf_add(&l1, IMG_METADATA_LOGICAL, BTRFS_METADATA_ITEM_KEY, 0, extent_item, sizeof extent_item);
                leaf_add(&l1, IMG_METADATA_LOGICAL, BTRFS_BLOCK_GROUP_ITEM_KEY, IMG_CHUNK_LENGTH,
                         (make_bg(&bg, bgs[1].used, bgs[1].flags), &bg), sizeof bg);
                leaf_add(&l1, IMG_METADATA_LOGICAL + 0x4000, BTRFS_METADATA_ITEM_KEY, 0, extent_item, sizeof extent_item);
                img_fix_block_csum(buf, opts->csum_type, IMG_EXTENT_LEAF1);
                struct leaf l2 = block_init(buf, IMG_EXTENT_LEAF2, BTRFS_EXTENT_TREE_OBJECTID, 0);
                leaf_add(&l2, IMG_DATA_LOGICAL, BTRFS_EXTENT_ITEM_KEY, 0x1000, extent_item, sizeof extent_item);
                leaf_add(&l2, IMG_DATA_LOGICAL, BTRFS_BLOCK_GROUP_ITEM_KEY, IMG_CHUNK_LENGTH,
                         (make_bg(&bg, bgs[2].used, bgs[2].flags), &bg), sizeof bg);
                leaf_add(&l2, IMG_DATA_LOGICAL + 0x1000, BTRFS_EXTENT_ITEM_KEY, 0x1000, extent_item, sizeof extent_item);
                img_fix_block_csum(buf, opts->csum_type, IMG_EXTENT_LEAF2);
                l = block_init(buf, IMG_EXTENT_TREE, BTRFS_EXTENT_TREE_OBJECTID, 1);
                node_add(&l, IMG_SYS_LOGICAL, BTRFS_BLOCK_GROUP_ITEM_KEY, IMG_SYS_LENGTH, IMG_EXTENT_LEAF1);
                node_add(&l, IMG_DATA_LOGICAL, BTRFS_EXTENT_ITEM_KEY, 0x1000, IMG_EXTENT_LEAF2);
                img_fix_block_csum(buf, opts->csum_type, IMG_EXTENT_TREE);
        }
        img_fix_super_csum(buf, opts->csum_type, BTRFS_SUPER_INFO_OFFSET);
}
