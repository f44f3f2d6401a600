/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gen-syslog: write a large, deterministic, realistic /var/log/messages-style file for the analyze
 * benchmark.
 *
 * Several hosts log into one file, as on a central syslog server: systemd, sshd, cron, dockerd,
 * kubelet and friends, kernel lines with "[uptime]" (network, audit, usb, conntrack, ...), and,
 * sprinkled in, kernel reports (WARNING, NULL pointer dereference oops, general protection fault,
 * hung task, now and then a panic followed by a reboot) and filesystem episodes (btrfs ENOSPC
 * abort, thin-pool exhaustion under btrfs and ext4, disk I/O error storms ending in an XFS or ext4
 * failure, XFS shutdowns, btrfs checksum errors). Each kernel prints its own generation's shapes
 * (3.10 el7 address frames, 4.19 "unable to handle", 5.x/6.x "#PF:" lines and <TASK> markers).
 *
 * Also planted on purpose, because real logs have them: lines from user space that contain
 * "WARNING:" and "I/O error", and OOM-killer dumps with a call trace. None of them is a kernel
 * report; an analyzer that counts them is wrong, and the benchmark says so.
 *
 * The same size and seed always give the same bytes from the same build. (Many calls draw several
 * random numbers in their arguments, whose order of evaluation C leaves to the compiler: gcc and
 * clang builds write different, equally valid files.) At the end the planted counts go to stderr
 * as key=value words, which bench-analyze.sh reads.
 *
 * Speed matters (2 GiB in a few seconds): lines are formatted by a small printf subset straight
 * into an 8 MiB buffer written with write(2), and the syslog date is formatted once per second.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "basic/cleanup.h"

#define GEN_VERSION 1               /* bump when the output for a given size and seed changes */
#define OUT_BUF_SIZE (8u << 20)
#define LINE_ROOM (64u << 10)       /* no single line we write comes near this */
#define MAX_SIZE_MIB (1u << 20)     /* 1 TiB: a typo guard, not a technical limit */

/* ---------------------------------------------------------------------------------------------
 * Output: one big buffer, flushed with write(2)
 * ------------------------------------------------------------------------------------------- */

static struct {
        int fd;
        char *buf;
        size_t pos;
        uint64_t bytes;          /* flushed + buffered */
        uint64_t lines;
        int error;               /* first write error, negative errno */
} out = { .fd = -1 };

static void out_flush(void) {
        size_t done = 0;
        while (done < out.pos && out.error == 0) {
                ssize_t n = write(out.fd, out.buf + done, out.pos - done);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        out.error = -errno;
                        break;
                }
                done += (size_t) n;
        }
        out.pos = 0;
}

static inline void put_mem(const char *s, size_t n) {
        memcpy(out.buf + out.pos, s, n);
        out.pos += n;
}

static inline void put_pad(char c, size_t n) {
        memset(out.buf + out.pos, c, n);
        out.pos += n;
}

static void put_number(unsigned long long v, unsigned base, bool negative, size_t width, char pad, bool left) {
        char tmp[24];
        char *end = tmp + sizeof tmp, *p = end;
        if (base == 16)
                do {
                        *--p = "0123456789abcdef"[v & 15];
                        v >>= 4;
                } while (v);
        else
                do {
                        *--p = (char) ('0' + v % 10);
                        v /= 10;
                } while (v);
        if (negative)
                *--p = '-';
        size_t n = (size_t) (end - p);
        if (!left && width > n)
                put_pad(pad, width - n);
        put_mem(p, n);
        if (left && width > n)
                put_pad(' ', width - n);
}

/* A printf subset: flags '-' '0', a width, length 'l' 'll' 'z', conversions d u x s c %.
 * Declared as printf so that the compiler checks every call's argument types. */
static void vputf(const char *fmt, va_list ap) {
        for (const char *p = fmt; *p; ) {
                if (*p != '%') {
                        const char *q = strchrnul(p, '%');
                        put_mem(p, (size_t) (q - p));
                        p = q;
                        continue;
                }
                p++;
                bool left = false;
                char pad = ' ';
                for (;; p++) {
                        if (*p == '-')
                                left = true;
                        else if (*p == '0')
                                pad = '0';
                        else
                                break;
                }
                size_t width = 0;
                while (*p >= '0' && *p <= '9')
                        width = width * 10 + (size_t) (*p++ - '0');
                int longs = 0;
                bool size = false;
                for (;; p++) {
                        if (*p == 'l')
                                longs++;
                        else if (*p == 'z')
                                size = true;
                        else
                                break;
                }
                char conv = *p++;
                switch (conv) {
                case 'd': {
                        long long v = size ? (long long) va_arg(ap, ssize_t) :
                                      longs >= 2 ? va_arg(ap, long long) :
                                      longs == 1 ? va_arg(ap, long) : va_arg(ap, int);
                        put_number(v < 0 ? 0ULL - (unsigned long long) v : (unsigned long long) v, 10,
                                   v < 0, width, pad, left);
                        break;
                }
                case 'u':
                case 'x': {
                        unsigned long long v = size ? va_arg(ap, size_t) :
                                               longs >= 2 ? va_arg(ap, unsigned long long) :
                                               longs == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
                        put_number(v, conv == 'x' ? 16 : 10, false, width, pad, left);
                        break;
                }
                case 's': {
                        const char *s = va_arg(ap, const char *);
                        size_t n = strlen(s);
                        if (!left && width > n)
                                put_pad(' ', width - n);
                        put_mem(s, n);
                        if (left && width > n)
                                put_pad(' ', width - n);
                        break;
                }
                case 'c':
                        out.buf[out.pos++] = (char) va_arg(ap, int);
                        break;
                case '%':
                        out.buf[out.pos++] = '%';
                        break;
                default:
                        abort(); /* a bug in a format string of this file */
                }
        }
}

static void putf(const char *fmt, ...) _printf_(1, 2);
static void putf(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vputf(fmt, ap);
        va_end(ap);
}

/* ---------------------------------------------------------------------------------------------
 * Deterministic randomness (splitmix64: tiny, fast, good enough for text)
 * ------------------------------------------------------------------------------------------- */

static uint64_t rng_state;

static inline uint64_t rnd64(void) {
        uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
        z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
        return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static inline unsigned rnd(unsigned n) {
        return (unsigned) (((rnd64() >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline unsigned rnd_in(unsigned lo, unsigned hi) {
        return lo + rnd(hi - lo + 1);
}

static inline bool chance(unsigned percent) {
        return rnd(100) < percent;
}

#define PICK(array) ((array)[rnd(ELEMENTSOF(array))])

/* ---------------------------------------------------------------------------------------------
 * Clock: one wall clock for the whole file, moving forward line by line
 * ------------------------------------------------------------------------------------------- */

/* 2 Jan 2026 00:00:00 UTC: early in a year, so that even a 16 GiB file stays inside it and the
 * year-less syslog dates need no guessing across New Year. */
#define START_WALL_USEC (INT64_C(1767312000) * 1000000)

static int64_t now_usec = START_WALL_USEC;
static int64_t date_cached_sec = -1;
static char date_cached[32];
static size_t date_cached_len;

static void tick(unsigned max_usec) {
        now_usec += 1 + rnd(max_usec);
}

/* "2026-01-02T03:04:05.123456789+08:00": the local time dockerd and containerd print. */
static void put_iso_time(void) {
        int64_t local_sec = now_usec / 1000000 + 8 * 3600;
        time_t t = (time_t) local_sec;
        struct tm tm;
        gmtime_r(&t, &tm);
        putf("%d-%02d-%02dT%02d:%02d:%02d.%06u%03u+08:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, (unsigned) (now_usec % 1000000), rnd(1000));
}

static void put_syslog_date(void) {
        int64_t sec = now_usec / 1000000;
        if (sec != date_cached_sec) {
                static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
                time_t t = (time_t) sec;
                struct tm tm;
                gmtime_r(&t, &tm);
                date_cached_len = (size_t) snprintf(date_cached, sizeof date_cached, "%s %2d %02d:%02d:%02d",
                                                    months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
                                                    tm.tm_sec);
                date_cached_sec = sec;
        }
        put_mem(date_cached, date_cached_len);
}

/* ---------------------------------------------------------------------------------------------
 * Hosts and their kernels
 * ------------------------------------------------------------------------------------------- */

enum kernel_era {
        ERA_3_10,    /* el7: "[<ffffffff...>] func+0x/0x" frames, "blk_update_request: I/O error" */
        ERA_4_19,    /* "BUG: unable to handle kernel NULL pointer dereference at", "print_req_error" */
        ERA_5_10,    /* "#PF:" lines, "blk_update_request: I/O error, dev X, sector N op ..." */
        ERA_5_14,    /* RHEL 9: "I/O error, dev", <TASK> markers */
        ERA_6_X,     /* "end trace 0000000000000000", "Tainted: [W]=WARN" legend */
};

struct kernel_profile {
        const char *release;
        const char *build;        /* what follows the release on the CPU: line */
        enum kernel_era era;
        const char *banner;       /* "Linux version ..." after the release */
        const char *modules;      /* "Modules linked in:" list */
};

static const struct kernel_profile k_kylin = {
        "4.19.90-17.ky10.x86_64", "#1", ERA_4_19,
        "(mockbuild@build-x86-64) (gcc version 7.3.0 (GCC)) #1 SMP Sun Jun 28 15:41:49 CST 2020",
        "rpcsec_gss_krb5 auth_rpcgss nfsv4 dns_resolver nfs lockd grace fscache xt_nat veth nf_conntrack_netlink "
        "xt_conntrack br_netfilter bridge xt_addrtype iptable_nat nf_nat_ipv4 nf_nat iptable_filter bonding 8021q "
        "garp mrp stp llc ip_set nfnetlink ip_vs nf_conntrack nf_defrag_ipv6 nf_defrag_ipv4 sunrpc amd64_edac_mod "
        "edac_mce_amd btrfs xor zstd_decompress zstd_compress raid6_pq libcrc32c kvm_amd ccp kvm irqbypass ast ttm "
        "drm_kms_helper igb dca drm i2c_piix4 k10temp ipmi_si ipmi_devintf ipmi_msghandler ip_tables ext4 mbcache "
        "jbd2 sd_mod crc32c_intel ahci libahci megaraid_sas libata dm_mirror dm_region_hash dm_log dm_mod",
};
static const struct kernel_profile k_el7 = {
        "3.10.0-1160.95.1.el7.x86_64", "#1", ERA_3_10,
        "(mockbuild@kbuilder.bsys.centos.org) (gcc version 4.8.5 20150623 (Red Hat 4.8.5-44) (GCC) ) #1 SMP "
        "Mon Jul 24 13:59:37 UTC 2023",
        "xfs libcrc32c nf_conntrack_netlink nfnetlink xt_conntrack nf_conntrack ipt_REJECT nf_reject_ipv4 "
        "iptable_filter sb_edac intel_powerclamp coretemp intel_rapl iosf_mbi kvm_intel kvm irqbypass "
        "crc32_pclmul ghash_clmulni_intel aesni_intel lrw gf128mul glue_helper ablk_helper cryptd ipmi_ssif "
        "pcspkr joydev mei_me mei lpc_ich ipmi_si ipmi_devintf ipmi_msghandler acpi_power_meter ip_tables ext4 "
        "mbcache jbd2 sd_mod crc_t10dif crct10dif_generic mgag200 i2c_algo_bit drm_kms_helper syscopyarea "
        "sysfillrect sysimgblt fb_sys_fops ttm ahci drm libahci tg3 libata megaraid_sas crct10dif_pclmul "
        "crct10dif_common crc32c_intel ptp pps_core dm_mirror dm_region_hash dm_log dm_mod",
};
static const struct kernel_profile k_debian = {
        "5.10.0-28-amd64", "#1 Debian 5.10.209-2", ERA_5_10,
        "(debian-kernel@lists.debian.org) (gcc-10 (Debian 10.2.1-6) 10.2.1 20210110, GNU ld (GNU Binutils for "
        "Debian) 2.35.2) #1 SMP Debian 5.10.209-2 (2024-01-31)",
        "tcp_diag inet_diag nft_chain_nat nf_nat nft_counter nf_tables nfnetlink_cttimeout nfnetlink "
        "intel_rapl_msr intel_rapl_common skx_edac nfit libnvdimm x86_pkg_temp_thermal intel_powerclamp "
        "coretemp kvm_intel kvm irqbypass ghash_clmulni_intel aesni_intel libaes crypto_simd cryptd "
        "glue_helper rapl ipmi_ssif intel_cstate mgag200 drm_kms_helper cec drm evdev ipmi_si ipmi_devintf "
        "ipmi_msghandler acpi_power_meter button loop fuse configfs ip_tables x_tables autofs4 ext4 crc16 "
        "mbcache jbd2 crc32c_generic dm_mod sd_mod t10_pi crc_t10dif crct10dif_generic ahci libahci libata "
        "megaraid_sas i40e crct10dif_pclmul crct10dif_common crc32_pclmul crc32c_intel scsi_mod",
};
static const struct kernel_profile k_openeuler = {
        "5.10.0-136.12.0.86.oe2203sp1.x86_64", "#1", ERA_5_10,
        "(root@dc-64g.compass-ci) (gcc_old (GCC) 10.3.1, GNU ld (GNU Binutils) 2.37) #1 SMP Tue Dec 27 "
        "17:50:15 CST 2022",
        "xt_conntrack nft_chain_nat xt_MASQUERADE nf_nat nf_conntrack_netlink nf_conntrack nf_defrag_ipv6 "
        "nf_defrag_ipv4 xt_addrtype nft_compat nf_tables nfnetlink br_netfilter bridge stp llc overlay "
        "dm_thin_pool dm_persistent_data dm_bio_prison dm_bufio intel_rapl_msr intel_rapl_common kvm_intel kvm "
        "irqbypass virtio_balloon i2c_piix4 sch_fq_codel ip_tables ext4 mbcache jbd2 virtio_net net_failover "
        "failover virtio_blk crc32c_intel serio_raw virtio_pci virtio_pci_legacy_dev virtio_pci_modern_dev "
        "dm_mirror dm_region_hash dm_log dm_mod",
};
static const struct kernel_profile k_rhel9 = {
        "5.14.0-362.8.1.el9_3.x86_64", "#1", ERA_5_14,
        "(mockbuild@x86-vm-07.build.eng.bos.redhat.com) (gcc (GCC) 11.4.1 20230605 (Red Hat 11.4.1-2), GNU ld "
        "version 2.35.2-42.el9) #1 SMP PREEMPT_DYNAMIC Tue Oct 3 11:12:36 EDT 2023",
        "dm_multipath scsi_dh_rdac scsi_dh_emc scsi_dh_alua qla2xxx nvme_fc nvme_fabrics nvme_core scsi_transport_fc "
        "intel_rapl_msr intel_rapl_common isst_if_common skx_edac nfit libnvdimm x86_pkg_temp_thermal "
        "intel_powerclamp coretemp kvm_intel kvm irqbypass rapl intel_cstate ipmi_ssif mei_me mei "
        "acpi_ipmi ipmi_si ipmi_devintf ipmi_msghandler acpi_power_meter xfs libcrc32c sd_mod t10_pi sg "
        "mgag200 i2c_algo_bit drm_shmem_helper drm_kms_helper syscopyarea sysfillrect sysimgblt ahci libahci "
        "drm libata megaraid_sas crct10dif_pclmul crc32_pclmul crc32c_intel i40e ghash_clmulni_intel dm_mod",
};
static const struct kernel_profile k_ubuntu = {
        "6.8.0-45-generic", "#45-Ubuntu", ERA_6_X,
        "(buildd@lcy02-amd64-115) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU "
        "Binutils for Ubuntu) 2.42) #45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024",
        "xt_conntrack xt_MASQUERADE nf_conntrack_netlink xfrm_user xfrm_algo xt_addrtype nft_compat "
        "nf_tables br_netfilter bridge stp llc overlay nls_iso8859_1 intel_rapl_msr intel_rapl_common "
        "kvm_amd ccp kvm crct10dif_pclmul polyval_clmulni polyval_generic ghash_clmulni_intel sha256_ssse3 "
        "sha1_ssse3 aesni_intel crypto_simd cryptd rapl binfmt_misc ena input_leds serio_raw sch_fq_codel "
        "dm_multipath msr efi_pstore nfnetlink dmi_sysfs ip_tables x_tables autofs4 btrfs blake2b_generic "
        "raid10 raid456 async_raid6_recov async_memcpy async_pq async_xor async_tx xor raid6_pq libcrc32c "
        "raid1 raid0 nvme nvme_core nvme_auth",
};
static const struct kernel_profile k_612 = {
        "6.12.48+deb13-amd64", "#1 Debian 6.12.48-1", ERA_6_X,
        "(debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0, GNU ld (GNU "
        "Binutils for Debian) 2.44) #1 SMP PREEMPT_DYNAMIC Debian 6.12.48-1 (2025-09-20)",
        "dm_thin_pool dm_persistent_data dm_bio_prison dm_bufio btrfs blake2b_generic xor raid6_pq "
        "nft_chain_nat nf_nat nft_ct nf_conntrack nf_defrag_ipv6 nf_defrag_ipv4 nf_tables intel_rapl_msr "
        "intel_rapl_common kvm_amd kvm irqbypass ghash_clmulni_intel sha512_ssse3 sha256_ssse3 aesni_intel "
        "gf128mul crypto_simd cryptd rapl virtio_balloon button evdev loop efi_pstore configfs nfnetlink "
        "ip_tables x_tables autofs4 ext4 crc16 mbcache jbd2 crc32c_generic dm_mod virtio_net net_failover "
        "failover virtio_blk virtio_pci virtio_pci_legacy_dev virtio_pci_modern_dev virtio virtio_ring",
};

enum fs_kind { FS_BTRFS, FS_EXT4, FS_XFS };

struct host {
        const char *name;
        const struct kernel_profile *k;
        const char *hardware;
        unsigned n_cpus;
        const char *disk;          /* whole disk that can fail: "sdb", "nvme0n1" */
        const char *disk_scsi;     /* its SCSI address, NULL for NVMe */
        const char *btrfs_dev, *ext4_dev, *xfs_dev; /* NULL when the host has none */
        bool ext4_thin, btrfs_thin; /* on a thin LV (or a loop file) whose backing store can run out */
        bool docker;               /* runs containers: veth churn, dockerd/kubelet noise */
        unsigned weight;           /* share of the noise lines */
        /* state */
        int64_t boot_usec;         /* wall clock of the last boot: the uptime's zero */
        unsigned pid_next;
};

static struct host hosts[] = {
        { "pjdhcpaasnap8pn", &k_kylin, "Sugon H620-G30/65N32-US, BIOS 0SSSX245 06/07/2020", 64,
          "sdb", "0:2:1:0", "dm-9", "sda3", NULL, false, false, true, 14, 0, 0 },
        { "kylin-docker-12", &k_kylin, "Inspur NF5280M5/YZMB-00882-10E, BIOS 4.1.13 11/05/2019", 48,
          "sdc", "0:0:2:0", "dm-5", "sda2", NULL, false, true, true, 10, 0, 0 },
        { "legacy-app-02", &k_el7, "HP ProLiant DL380 Gen9/ProLiant DL380 Gen9, BIOS P89 10/21/2019", 24,
          "sdb", "2:0:0:1", NULL, "sda1", "dm-2", false, false, false, 8, 0, 0 },
        { "web-01", &k_debian, "Dell Inc. PowerEdge R640/0W23H8, BIOS 2.12.2 07/09/2021", 32,
          "sda", "0:2:0:0", NULL, "sda1", NULL, false, false, false, 12, 0, 0 },
        { "oe-edge-21", &k_openeuler, "QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.0-4.oe2203 04/01/2014", 8,
          "vdb", NULL, NULL, "dm-3", NULL, true, false, true, 9, 0, 0 },
        { "db-prod-03", &k_rhel9, "Lenovo ThinkSystem SR650 -[7X06CTO1WW]-/-[7X06CTO1WW]-, BIOS -[IVE164L-2.80]- 05/24/2022", 56,
          "sdd", "1:0:0:3", NULL, "sda2", "dm-2", false, false, false, 11, 0, 0 },
        { "k8s-node-117", &k_ubuntu, "Amazon EC2 m6a.2xlarge/, BIOS 1.0 10/16/2017", 8,
          "nvme1n1", NULL, "nvme1n1p1", "nvme0n1p1", NULL, false, false, true, 22, 0, 0 },
        { "ci-runner-08", &k_612, "QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014", 16,
          "vdc", NULL, "loop0", "dm-4", NULL, true, true, true, 14, 0, 0 },
};

static unsigned host_weight_total;

static struct host *pick_host(void) {
        unsigned w = rnd(host_weight_total);
        for (size_t i = 0; i < ELEMENTSOF(hosts); i++) {
                if (w < hosts[i].weight)
                        return &hosts[i];
                w -= hosts[i].weight;
        }
        return &hosts[0];
}

static struct host *pick_other_host(const struct host *h) {
        struct host *o;
        do
                o = pick_host();
        while (o == h);
        return o;
}

static unsigned next_pid(struct host *h) {
        h->pid_next += 1 + rnd(40);
        if (h->pid_next > 4000000)
                h->pid_next = 1000 + rnd(1000);
        return h->pid_next;
}

/* ---------------------------------------------------------------------------------------------
 * Counters: what we planted, so the benchmark can check the analyzer's answer
 * ------------------------------------------------------------------------------------------- */

static struct {
        uint64_t warnings, oopses, gpfs, hangs, panics;
        uint64_t events;          /* kernel messages that are filesystem/block events */
        uint64_t fs_episodes;     /* filesystem or device failure episodes: one incident each */
        uint64_t reboots, oom_kills, user_space_traps;
} planted;

static uint64_t planted_reports(void) {
        return planted.warnings + planted.oopses + planted.gpfs + planted.hangs + planted.panics;
}

/* ---------------------------------------------------------------------------------------------
 * Line starts
 * ------------------------------------------------------------------------------------------- */

/* Inside a multi-line kernel message block, other hosts keep logging and local programs too: a
 * central syslog file interleaves them. Percent chance per line, set by --interleave. */
static unsigned interleave_percent = 3;
static bool in_block;
static void noise_line_plain(struct host *h);

static void line_end(void) {
        out.buf[out.pos++] = '\n';
        out.lines++;
        if (out.pos > OUT_BUF_SIZE - LINE_ROOM) {
                out.bytes += out.pos;
                out_flush();
        }
}

static void put_uptime(const struct host *h) {
        int64_t up = now_usec - h->boot_usec;
        putf("[%5lld.%06lld] ", (long long) (up / 1000000), (long long) (up % 1000000));
}

/* "Jan  2 03:04:05 host kernel: [ 1234.567890] " */
static void kbegin(struct host *h) {
        if (in_block && interleave_percent && chance(interleave_percent)) {
                in_block = false;
                noise_line_plain(chance(50) ? pick_other_host(h) : h);
                in_block = true;
        }
        tick(in_block ? 40 : 200000);
        put_syslog_date();
        putf(" %s kernel: ", h->name);
        put_uptime(h);
}

static void kline(struct host *h, const char *fmt, ...) _printf_(2, 3);
static void kline(struct host *h, const char *fmt, ...) {
        kbegin(h);
        va_list ap;
        va_start(ap, fmt);
        vputf(fmt, ap);
        va_end(ap);
        line_end();
}

/* A kernel line that is a filesystem/block event: counted. */
static void kevent(struct host *h, const char *fmt, ...) _printf_(2, 3);
static void kevent(struct host *h, const char *fmt, ...) {
        kbegin(h);
        va_list ap;
        va_start(ap, fmt);
        vputf(fmt, ap);
        va_end(ap);
        line_end();
        planted.events++;
}

/* "Jan  2 03:04:05 host prog[pid]: " */
static void pbegin(struct host *h, const char *prog, unsigned pid) {
        tick(in_block ? 40 : 200000);
        put_syslog_date();
        if (pid)
                putf(" %s %s[%u]: ", h->name, prog, pid);
        else
                putf(" %s %s: ", h->name, prog);
}

/* ---------------------------------------------------------------------------------------------
 * Vocabulary
 * ------------------------------------------------------------------------------------------- */

static const char *const users[] = { "root", "deploy", "ansible", "zhangwei", "liuyang", "ops", "jenkins", "wangfang" };
static const char *const comms[] = { "java", "python3", "nginx", "mysqld", "dockerd", "containerd-shim", "kubelet",
                                     "httpWorkerThrea", "postgres", "redis-server", "node", "rsync", "tar", "gzip",
                                     "kworker/u64:3", "kworker/12:1", "jbd2/dm-3-8", "btrfs-transacti", "xfsaild/dm-2",
                                     "containerd", "runc:[2:INIT]", "etcd", "prometheus", "filebeat", "sshd" };
static const char *const nics[] = { "eth0", "eth1", "ens192", "enp59s0f0", "bond0", "eno1" };
static const char *const nic_drivers[] = { "igb", "ixgbe", "i40e", "mlx5_core", "ena", "virtio_net" };
static const char *const pci_addrs[] = { "0000:3b:00.0", "0000:18:00.1", "0000:af:00.0", "0000:00:05.0", "0000:5e:00.0" };

/* n random lowercase hex digits (container ids, hashes): the generator's most frequent field. */
static void put_hex_id(unsigned n) {
        static const char hex[16] = "0123456789abcdef";
        char *p = out.buf + out.pos;
        for (unsigned i = 0; i < n; i += 16) {
                uint64_t v = rnd64();
                for (unsigned j = 0; j < 16 && i + j < n; j++, v >>= 4)
                        *p++ = hex[v & 15];
        }
        out.pos += n;
}

static const char *ip_pool[] = { "10.12.4.", "10.244.3.", "172.16.8.", "192.168.10.", "10.0.128." };

static void put_ip(void) {
        putf("%s%u", PICK(ip_pool), rnd_in(2, 254));
}

/* ---------------------------------------------------------------------------------------------
 * Ordinary lines
 * ------------------------------------------------------------------------------------------- */

static void noise_systemd(struct host *h) {
        static const char *const units[] = { "logrotate.service", "sysstat-collect.service", "man-db.service",
                                             "dnf-makecache.service", "apt-daily.service", "fstrim.service",
                                             "systemd-tmpfiles-clean.service", "node_exporter.service",
                                             "chronyd.service", "NetworkManager-dispatcher.service" };
        static const char *const descs[] = { "Rotate log files", "system activity accounting tool",
                                             "Daily man-db regeneration", "dnf makecache",
                                             "Daily apt download activities", "Discard unused blocks on filesystems",
                                             "Cleanup of Temporary Directories", "Prometheus exporter for machine metrics",
                                             "NTP client/server", "Network Manager Script Dispatcher Service" };
        unsigned i = rnd(ELEMENTSOF(units));
        pbegin(h, "systemd", 1);
        switch (rnd(h->docker ? 9 : 6)) {
        case 0: putf("Started Session %u of User %s.", rnd_in(1, 90000), PICK(users)); break;
        case 1: putf("session-%u.scope: Deactivated successfully.", rnd_in(1, 90000)); break;
        case 2: putf("Starting %s...", descs[i]); break;
        case 3: putf("%s: Deactivated successfully.", units[i]); break;
        case 4: putf("Finished %s.", descs[i]); break;
        case 5: putf("Created slice User Slice of UID %u.", rnd_in(1000, 1010)); break;
        case 6: putf("docker-"); put_hex_id(64); putf(".scope: Deactivated successfully."); break;
        case 7: putf("var-lib-docker-overlay2-"); put_hex_id(64); putf("-merged.mount: Deactivated successfully."); break;
        default: putf("run-containerd-runc-k8s.io-"); put_hex_id(64); putf("-runc.Xb3kQ2.mount: Deactivated successfully."); break;
        }
        line_end();
}

static void noise_sshd(struct host *h) {
        unsigned pid = next_pid(h);
        pbegin(h, "sshd", pid);
        switch (rnd(6)) {
        case 0:
                putf("Accepted publickey for %s from ", PICK(users));
                put_ip();
                putf(" port %u ssh2: RSA SHA256:", rnd_in(30000, 65000));
                put_hex_id(43);
                break;
        case 1: putf("pam_unix(sshd:session): session opened for user %s(uid=0) by (uid=0)", PICK(users)); break;
        case 2: putf("pam_unix(sshd:session): session closed for user %s", PICK(users)); break;
        case 3:
                putf("Received disconnect from ");
                put_ip();
                putf(" port %u:11: disconnected by user", rnd_in(30000, 65000));
                break;
        case 4:
                putf("Invalid user %s from 203.0.113.%u port %u", PICK(users), rnd_in(1, 254), rnd_in(30000, 65000));
                break;
        default:
                putf("Connection closed by authenticating user root 198.51.100.%u port %u [preauth]",
                     rnd_in(1, 254), rnd_in(30000, 65000));
                break;
        }
        line_end();
}

static void noise_cron(struct host *h) {
        static const char *const jobs[] = { "run-parts /etc/cron.hourly", "/usr/lib64/sa/sa1 1 1",
                                            "/usr/local/bin/backup-db.sh >/dev/null 2>&1",
                                            "[ -x /usr/lib/php/sessionclean ] && /usr/lib/php/sessionclean",
                                            "/opt/monitor/collect.sh" };
        pbegin(h, chance(50) ? "CROND" : "CRON", next_pid(h));
        putf("(root) CMD (%s)", PICK(jobs));
        line_end();
}

static void noise_containers(struct host *h) {
        static const char *const kube_msgs[] = {
                "\"Cleaned up orphaned pod volumes dir\" podUID=\"%s\" path=\"/var/lib/kubelet/pods/volumes\"",
                "\"SyncLoop (PLEG): event for pod\" pod=\"default/api-%s\" event=ContainerStarted",
                "\"Probe failed\" probeType=\"Readiness\" pod=\"monitoring/node-exporter-%s\" podUID=x containerName=\"node-exporter\" probeResult=\"failure\" output=\"Get \\\"http://10.244.3.17:9100/metrics\\\": context deadline exceeded\"",
                "\"RemoveContainer\" containerID=\"containerd://%s\"",
        };
        unsigned pid = 900 + (unsigned) (h - hosts) * 7;
        int64_t s = now_usec / 1000000;
        switch (rnd(4)) {
        case 0: {
                pbegin(h, "kubelet", pid);
                time_t t = (time_t) s;
                struct tm tm;
                gmtime_r(&t, &tm);
                putf("I%02d%02d %02d:%02d:%02d.%06u %7u %s:%u] ", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, rnd(1000000), pid,
                     chance(50) ? "kubelet_volumes.go" : "kuberuntime_manager.go", rnd_in(100, 1200));
                const char *m = PICK(kube_msgs);
                const char *pct = strstr(m, "%s");
                put_mem(m, (size_t) (pct - m));
                put_hex_id(12);
                putf("%s", pct + 2);
                break;
        }
        case 1:
                pbegin(h, "dockerd", pid + 1);
                putf("time=\"");
                put_iso_time();
                putf("\" level=info msg=\"ignoring event\" container=");
                put_hex_id(64);
                putf(" module=libcontainerd namespace=moby topic=/tasks/delete type=\"*events.TaskDelete\"");
                break;
        case 2:
                pbegin(h, "containerd", pid + 2);
                putf("time=\"");
                put_iso_time();
                putf("\" level=info msg=\"shim disconnected\" id=");
                put_hex_id(64);
                putf(" namespace=k8s.io");
                break;
        default:
                pbegin(h, "dockerd", pid + 1);
                putf("time=\"");
                put_iso_time();
                putf("\" level=warning msg=\"Your kernel does not support swap limit capabilities or the cgroup is "
                     "not mounted. Memory limited without swap.\"");
                break;
        }
        line_end();
}

static void noise_misc_program(struct host *h) {
        switch (rnd(40)) {
        case 0:
                pbegin(h, "chronyd", 700 + (unsigned) (h - hosts));
                putf("Selected source %s%u (ntp%u.example.net)", PICK(ip_pool), rnd_in(2, 9), rnd_in(1, 4));
                break;
        case 1:
                pbegin(h, "NetworkManager", 810);
                putf("<info>  [%u.%04u] dhcp4 (%s): state changed new lease, address=", (unsigned) (now_usec / 1000000),
                     rnd(10000), PICK(nics));
                put_ip();
                break;
        case 2:
                pbegin(h, "rsyslogd", 1020);
                putf("imjournal: %u messages lost due to rate-limiting (20000 allowed within 600 seconds)",
                     rnd_in(100, 50000));
                break;
        case 3:
        case 6 ... 9:
                pbegin(h, "smartd", 880);
                putf("Device: /dev/%s [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed from %u to %u",
                     h->disk, rnd_in(30, 40), rnd_in(30, 40));
                break;
        case 4:
                /* User-space text that contains report and event markers: grep counts these, an analyzer
                 * that reads only kernel messages must not. */
                planted.user_space_traps++;
                pbegin(h, "python3", next_pid(h));
                putf("WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after "
                     "connection broken by 'NewConnectionError(\"Failed to establish a new connection: [Errno 111] "
                     "Connection refused\")': /simple/requests/");
                break;
        case 5:
                planted.user_space_traps++;
                pbegin(h, "postgres", next_pid(h));
                putf("[%u-1] ", rnd_in(1, 99));
                put_iso_time();
                putf(" [%u] WARNING:  could not write block %u of base/16384/%u: I/O error", next_pid(h), rnd(100000),
                     rnd(90000));
                break;
        case 10 ... 24:
                pbegin(h, "chronyd", 700 + (unsigned) (h - hosts));
                putf("Source %s%u replaced with %s%u (ntp%u.example.net)", PICK(ip_pool), rnd_in(2, 9), PICK(ip_pool),
                     rnd_in(2, 9), rnd_in(1, 4));
                break;
        default:
                pbegin(h, "auditd", 1104);
                putf("Audit daemon rotating log files");
                break;
        }
        line_end();
}

static void noise_kernel(struct host *h) {
        const char *nic = PICK(nics);
        switch (rnd(h->docker ? 16 : 11)) {
        case 0:
                kline(h, "%s %s %s: %s NIC Link is Up %u Mbps Full Duplex, Flow Control: RX/TX", PICK(nic_drivers),
                      PICK(pci_addrs), nic, nic, chance(50) ? 1000u : 10000u);
                break;
        case 1:
                kline(h, "audit: type=1400 audit(%u.%03u:%u): apparmor=\"DENIED\" operation=\"open\" profile=\"snap.lxd\" "
                      "name=\"/proc/%u/mounts\" pid=%u comm=\"%s\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0",
                      (unsigned) (now_usec / 1000000), rnd(1000), rnd(900000), next_pid(h), next_pid(h), PICK(comms));
                break;
        case 2:
                kline(h, "audit: type=1130 audit(%u.%03u:%u): pid=1 uid=0 auid=4294967295 ses=4294967295 "
                      "subj=system_u:system_r:init_t:s0 msg='unit=sysstat-collect comm=\"systemd\" "
                      "exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'",
                      (unsigned) (now_usec / 1000000), rnd(1000), rnd(900000));
                break;
        case 3:
                kline(h, "usb 1-1.%u: new high-speed USB device number %u using xhci_hcd", rnd_in(1, 4), rnd_in(2, 30));
                break;
        case 4:
                kline(h, "usb 1-1.%u: New USB device found, idVendor=0781, idProduct=5583, bcdDevice= 1.00",
                      rnd_in(1, 4));
                break;
        case 5:
                kline(h, "nf_conntrack: nf_conntrack: table full, dropping packet");
                break;
        case 6:
                kline(h, "TCP: request_sock_TCP: Possible SYN flooding on port %u. Sending cookies.  Check SNMP counters.",
                      chance(50) ? 8080u : 443u);
                break;
        case 7:
                kline(h, "perf: interrupt took too long (%u > %u), lowering kernel.perf_event_max_sample_rate to %u",
                      rnd_in(2501, 9000), 2500u, rnd_in(20000, 79000));
                break;
        case 8:
                kline(h, "IPv4: martian source %s%u from %s%u, on dev %s", PICK(ip_pool), rnd_in(2, 254), PICK(ip_pool),
                      rnd_in(2, 254), nic);
                break;
        case 9:
                kline(h, "nfs: server nfs%02u.example.net not responding, still trying", rnd_in(1, 4));
                break;
        case 10:
                kline(h, "usb 1-1.%u: USB disconnect, device number %u", rnd_in(1, 4), rnd_in(2, 30));
                break;
        case 11: {
                unsigned port = rnd_in(1, 40);
                unsigned long long v = rnd64() & 0xfffffffULL;
                kline(h, "docker0: port %u(veth%07llx) entered %s state", port, v,
                      chance(50) ? "blocking" : "forwarding");
                break;
        }
        case 12:
                kline(h, "IPv6: ADDRCONF(NETDEV_CHANGE): veth%07llx: link becomes ready",
                      (unsigned long long) (rnd64() & 0xfffffffULL));
                break;
        case 13:
                kline(h, "device veth%07llx entered promiscuous mode", (unsigned long long) (rnd64() & 0xfffffffULL));
                break;
        case 14:
                kline(h, "overlayfs: upperdir is in-use as upperdir/workdir of another mount, accessing files from both "
                      "mounts will result in undefined behavior.");
                break;
        default:
                kline(h, "cgroup: fork rejected by pids controller in /kubepods.slice/kubepods-burstable.slice/"
                      "kubepods-burstable-pod%08x_%04x.slice", (unsigned) rnd64(), rnd(65536));
                break;
        }
}

/* Healthy filesystem chatter: grep's markers match it, it is no failure. */
static void noise_fs_chatter(struct host *h) {
        if (h->btrfs_dev && chance(60)) {
                const char *d = h->btrfs_dev;
                switch (rnd(4)) {
                case 0: kline(h, "BTRFS info (device %s): balance: start -dusage=%u", d, rnd_in(10, 60)); break;
                case 1:
                        kline(h, "BTRFS info (device %s): relocating block group %llu flags data", d,
                              (unsigned long long) (rnd64() & 0xffffffffffULL) << 20);
                        break;
                case 2: kline(h, "BTRFS info (device %s): found %u extents, stage: move data extents", d, rnd_in(1, 9000)); break;
                default: kline(h, "BTRFS info (device %s): balance: ended with status: 0", d); break;
                }
        } else if (h->xfs_dev && chance(50))
                kline(h, "XFS (%s): Quotacheck: Done.", h->xfs_dev);
        else
                kline(h, "EXT4-fs (%s): re-mounted. Opts: errors=remount-ro%s", h->ext4_dev,
                      h->k->era >= ERA_6_X ? ". Quota mode: none." : "");
}

static void noise_line_plain(struct host *h) {
        unsigned w = rnd(100);
        if (w < 16)
                noise_systemd(h);
        else if (w < 24)
                noise_sshd(h);
        else if (w < 28)
                noise_cron(h);
        else if (w < 48 && h->docker)
                noise_containers(h);
        else if (w < 52)
                noise_misc_program(h);
        else
                noise_kernel(h);
}

/* ---------------------------------------------------------------------------------------------
 * Pieces of reports
 * ------------------------------------------------------------------------------------------- */

struct frame_def {
        const char *func;
        const char *module;      /* NULL = vmlinux */
};

static void frame(struct host *h, const struct frame_def *f, bool unreliable) {
        unsigned size = rnd_in(0x40, 0x1800);
        unsigned off = rnd(size);
        kbegin(h);
        if (h->k->era == ERA_3_10)
                putf(" [<ffffffff%08x>] %s%s+0x%x/0x%x", (unsigned) (0x81000000u + rnd(0x3f000000u)),
                     unreliable ? "? " : "", f->func, off, size);
        else
                putf(" %s%s+0x%x/0x%x", unreliable ? "? " : "", f->func, off, size);
        if (f->module)
                putf(" [%s]", f->module);
        line_end();
}

static void frames(struct host *h, const struct frame_def *fs, size_t n) {
        for (size_t i = 0; i < n; i++) {
                frame(h, &fs[i], false);
                if (h->k->era <= ERA_4_19 && chance(8)) {
                        static const struct frame_def noise = { "__switch_to_asm", NULL };
                        frame(h, &noise, true);
                }
        }
}

static void put_taint(const struct host *h, bool warned) {
        if (!warned && chance(60))
                putf("Not tainted ");
        else
                putf("Tainted: G        %s  %s      ", warned ? "W" : " ", chance(30) ? "OE" : "  ");
}

static void cpu_line(struct host *h, unsigned cpu, unsigned pid, const char *comm, bool warned) {
        kbegin(h);
        putf("CPU: %u PID: %u Comm: %s ", cpu, pid, comm);
        if (h->k->era == ERA_4_19)
                putf("Kdump: loaded ");
        put_taint(h, warned);
        putf("%s %s", h->k->release, h->k->build);
        line_end();
        if (h->k->era >= ERA_6_X && warned)
                kline(h, "Tainted: [W]=WARN");
        kline(h, "Hardware name: %s", h->hardware);
}

static void put_code_bytes(void) {
        unsigned mark = rnd_in(38, 44);
        for (unsigned i = 0; i < 64; i++) {
                unsigned b = rnd(256);
                if (i == mark)
                        putf("<%02x> ", b);
                else
                        putf("%02x%s", b, i == 63 ? "" : " ");
        }
}

static unsigned long long kaddr(void) {
        return 0xffff800000000000ULL | (rnd64() & 0x00007fffffffffffULL);
}

static void registers(struct host *h, const char *rip_func, const char *rip_module, bool user) {
        if (h->k->era == ERA_3_10) {
                kline(h, "task: ffff%012llx ti: ffff%012llx task.ti: ffff%012llx", rnd64() & 0xffffffffffffULL,
                      rnd64() & 0xffffffffffffULL, rnd64() & 0xffffffffffffULL);
                kline(h, "RIP: 0010:[<ffffffff%08x>]  [<ffffffff%08x>] %s+0x%x/0x%x%s%s%s", 0x81234567u, 0x81234567u,
                      rip_func, rnd(0x200), rnd_in(0x200, 0x400), rip_module ? " [" : "",
                      rip_module ? rip_module : "", rip_module ? "]" : "");
        } else {
                kline(h, "RIP: 0010:%s+0x%x/0x%x%s%s%s", rip_func, rnd(0x200), rnd_in(0x200, 0x400),
                      rip_module ? " [" : "", rip_module ? rip_module : "", rip_module ? "]" : "");
                kbegin(h);
                putf("Code: ");
                put_code_bytes();
                line_end();
        }
        kline(h, "RSP: %s:%016llx EFLAGS: %08x", user ? "002b" : "0018", kaddr(), 0x10200u + rnd(0x100));
        kline(h, "RAX: %016llx RBX: %016llx RCX: %016llx", kaddr(), kaddr(), (unsigned long long) rnd(100));
        kline(h, "RDX: %016llx RSI: %016llx RDI: %016llx", (unsigned long long) rnd(10), kaddr(), kaddr());
        kline(h, "RBP: %016llx R08: %016llx R09: %016llx", kaddr(), (unsigned long long) rnd(1 << 20), 4ULL);
        kline(h, "R10: %016llx R11: %016llx R12: %016llx", 0xffffffe4ULL, 1ULL, kaddr());
        kline(h, "R13: %016llx R14: %016llx R15: %016llx", kaddr(), 0ULL, (unsigned long long) rnd(1 << 20));
        if (!user) {
                kline(h, "FS:  %016llx(0000) GS:%016llx(0000) knlGS:0000000000000000",
                      0x7f0000000000ULL | (rnd64() & 0xffffffffffULL), kaddr());
                kline(h, "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033");
                kline(h, "CR2: %016llx CR3: %016llx CR4: %016x", 0x7f0000000000ULL | (rnd64() & 0xffffffffffULL),
                      rnd64() & 0xfffffff000ULL, 0x3606e0u);
        }
}

static void call_trace_open(struct host *h) {
        kline(h, "Call Trace:");
        if (h->k->era >= ERA_5_14)
                kline(h, " <TASK>");
}

static void call_trace_close(struct host *h) {
        if (h->k->era >= ERA_5_14)
                kline(h, " </TASK>");
}

static void end_trace(struct host *h) {
        if (h->k->era >= ERA_6_X)
                kline(h, "---[ end trace 0000000000000000 ]---");
        else
                kline(h, "---[ end trace %016llx ]---", (unsigned long long) rnd64());
}

static void modules_line(struct host *h) {
        kline(h, "Modules linked in: %s", h->k->modules);
}

/* ---------------------------------------------------------------------------------------------
 * Kernel reports
 * ------------------------------------------------------------------------------------------- */

struct warning_def {
        const char *file;
        unsigned line;
        const char *func;
        const char *module;
        enum { WARN_ON_ONLY, WARN_NETDEV_WATCHDOG, WARN_WQ_RECLAIM } message; /* text WARN() prints first */
        bool irq;                /* the trace runs in interrupt context */
        struct frame_def trace[10];
};

static const struct warning_def warning_defs[] = {
        { "net/sched/sch_generic.c", 477, "dev_watchdog", NULL, WARN_NETDEV_WATCHDOG, true,
          { { "call_timer_fn", NULL }, { "__run_timers.part.0", NULL }, { "run_timer_softirq", NULL },
            { "__do_softirq", NULL }, { "irq_exit_rcu", NULL }, { "sysvec_apic_timer_interrupt", NULL },
            { "asm_sysvec_apic_timer_interrupt", NULL }, { "cpuidle_enter_state", NULL }, { "cpuidle_enter", NULL },
            { "do_idle", NULL } } },
        { "fs/iomap/buffered-io.c", 1453, "iomap_writepage_map", NULL, WARN_ON_ONLY, false,
          { { "iomap_do_writepage", NULL }, { "write_cache_pages", NULL }, { "iomap_writepages", NULL },
            { "xfs_vm_writepages", "xfs" }, { "do_writepages", NULL }, { "__writeback_single_inode", NULL },
            { "writeback_sb_inodes", NULL }, { "wb_writeback", NULL }, { "wb_workfn", NULL },
            { "process_one_work", NULL } } },
        { "mm/page_alloc.c", 4596, "__alloc_pages_slowpath.constprop.0", NULL, WARN_ON_ONLY, false,
          { { "__alloc_pages", NULL }, { "kmalloc_large", NULL }, { "__kmalloc_node", NULL },
            { "kvmalloc_node", NULL }, { "seq_read_iter", NULL }, { "seq_read", NULL }, { "vfs_read", NULL },
            { "ksys_read", NULL }, { "do_syscall_64", NULL }, { "entry_SYSCALL_64_after_hwframe", NULL } } },
        { "fs/btrfs/block-group.c", 4342, "btrfs_free_block_groups", "btrfs", WARN_ON_ONLY, false,
          { { "close_ctree", "btrfs" }, { "generic_shutdown_super", NULL }, { "kill_anon_super", NULL },
            { "btrfs_kill_super", "btrfs" }, { "deactivate_locked_super", NULL }, { "cleanup_mnt", NULL },
            { "task_work_run", NULL }, { "exit_to_user_mode_prepare", NULL }, { "syscall_exit_to_user_mode", NULL },
            { "do_syscall_64", NULL } } },
        { "kernel/workqueue.c", 3096, "check_flush_dependency", NULL, WARN_WQ_RECLAIM, false,
          { { "__flush_work.isra.0", NULL }, { "xlog_cil_push_now.isra.0", "xfs" }, { "xlog_cil_force_seq", "xfs" },
            { "xfs_log_force", "xfs" }, { "xfs_log_worker", "xfs" }, { "process_one_work", NULL },
            { "worker_thread", NULL }, { "kthread", NULL }, { "ret_from_fork", NULL }, { "ret_from_fork_asm", NULL } } },
        { "drivers/gpu/drm/ast/ast_mode.c", 1028, "ast_crtc_helper_atomic_check", "ast", WARN_ON_ONLY, false,
          { { "drm_atomic_helper_check_planes", "drm_kms_helper" }, { "drm_atomic_helper_check", "drm_kms_helper" },
            { "drm_atomic_check_only", "drm" }, { "drm_atomic_commit", "drm" }, { "drm_client_modeset_commit_atomic", "drm" },
            { "drm_client_modeset_commit_locked", "drm" }, { "drm_fb_helper_set_par", "drm_kms_helper" },
            { "fb_set_var", NULL }, { "fbcon_blank", NULL }, { "do_unblank_screen", NULL } } },
};

static void report_warning(struct host *h) {
        const struct warning_def *w = &warning_defs[rnd(ELEMENTSOF(warning_defs))];
        unsigned cpu = rnd(h->n_cpus);
        bool idle = w->irq;
        unsigned pid = idle ? 0 : next_pid(h);
        char comm[32];
        if (idle)
                snprintf(comm, sizeof comm, "swapper/%u", cpu);
        else
                snprintf(comm, sizeof comm, "%s", comms[rnd(ELEMENTSOF(comms))]);

        in_block = true;
        kline(h, "------------[ cut here ]------------");
        if (w->message == WARN_NETDEV_WATCHDOG)
                kline(h, "NETDEV WATCHDOG: %s (%s): transmit queue %u timed out", PICK(nics), PICK(nic_drivers), rnd(8));
        else if (w->message == WARN_WQ_RECLAIM)
                kline(h, "workqueue: WQ_MEM_RECLAIM xfs-sync/%s:xfs_log_worker [xfs] is flushing !WQ_MEM_RECLAIM "
                      "events:xfs_flush_inodes_worker", h->xfs_dev ? h->xfs_dev : "dm-0");
        kline(h, "WARNING: CPU: %u PID: %u at %s:%u %s+0x%x/0x%x%s%s%s", cpu, pid, w->file, w->line, w->func,
              rnd(0x300), rnd_in(0x300, 0x600), w->module ? " [" : "", w->module ? w->module : "",
              w->module ? "]" : "");
        modules_line(h);
        cpu_line(h, cpu, pid, comm, false);
        registers(h, w->func, w->module, false);
        call_trace_open(h);
        if (w->irq && h->k->era >= ERA_5_10)
                kline(h, " <IRQ>");
        frames(h, w->trace, w->irq ? 7 : ELEMENTSOF(w->trace));
        if (w->irq && h->k->era >= ERA_5_10)
                kline(h, " </IRQ>");
        if (w->irq)
                frames(h, w->trace + 7, 3);
        call_trace_close(h);
        end_trace(h);
        in_block = false;
        planted.warnings++;
}

static const struct frame_def null_deref_traces[][8] = {
        { { "nfs4_do_reclaim", "nfsv4" }, { "nfs4_state_manager", "nfsv4" }, { "nfs4_run_state_manager", "nfsv4" },
          { "kthread", NULL }, { "ret_from_fork", NULL } },
        { { "ext4_find_extent", "ext4" }, { "ext4_ext_map_blocks", "ext4" }, { "ext4_map_blocks", "ext4" },
          { "ext4_writepages", "ext4" }, { "do_writepages", NULL }, { "__writeback_single_inode", NULL },
          { "writeback_sb_inodes", NULL }, { "wb_writeback", NULL } },
        { { "ipvlan_queue_xmit", "ipvlan" }, { "ipvlan_start_xmit", "ipvlan" }, { "dev_hard_start_xmit", NULL },
          { "__dev_queue_xmit", NULL }, { "ip_finish_output2", NULL }, { "ip_output", NULL },
          { "__tcp_transmit_skb", NULL }, { "tcp_write_xmit", NULL } },
};
static const char *const null_deref_rip[] = { "nfs4_reclaim_open_state", "ext4_ext_binsearch", "ipvlan_xmit_mode_l3" };
static const char *const null_deref_mod[] = { "nfsv4", "ext4", "ipvlan" };

static void report_null_deref(struct host *h) {
        unsigned i = rnd(ELEMENTSOF(null_deref_rip));
        unsigned cpu = rnd(h->n_cpus), pid = next_pid(h);
        unsigned long long addr = 8ULL * rnd(64);
        in_block = true;
        if (h->k->era <= ERA_4_19) {
                kline(h, "BUG: unable to handle kernel NULL pointer dereference at %016llx", addr);
                if (h->k->era == ERA_3_10)
                        kline(h, "IP: [<ffffffffc0%06x>] %s+0x%x/0x%x [%s]", rnd(0x1000000), null_deref_rip[i],
                              rnd(0x100), rnd_in(0x100, 0x300), null_deref_mod[i]);
                else
                        kline(h, "PGD 0 P4D 0 ");
        } else {
                kline(h, "BUG: kernel NULL pointer dereference, address: %016llx", addr);
                kline(h, "#PF: supervisor read access in kernel mode");
                kline(h, "#PF: error_code(0x0000) - not-present page");
                kline(h, "PGD 0 P4D 0 ");
        }
        kline(h, "Oops: 0000 [#1] %sSMP %s", h->k->era >= ERA_5_14 ? "PREEMPT " : "",
              h->k->era == ERA_3_10 ? "" : "NOPTI");
        modules_line(h);
        cpu_line(h, cpu, pid, PICK(comms), false);
        registers(h, null_deref_rip[i], null_deref_mod[i], false);
        call_trace_open(h);
        size_t n = 0;
        while (n < 8 && null_deref_traces[i][n].func)
                n++;
        frames(h, null_deref_traces[i], n);
        call_trace_close(h);
        if (h->k->era == ERA_3_10)
                kline(h, "Code: 48 8b 47 08 48 85 c0 74 1b 48 8b 57 10 <48> 8b 40 08 48 89 c7 ");
        kline(h, "CR2: %016llx", addr);
        end_trace(h);
        in_block = false;
        planted.oopses++;
}

static void report_gpf(struct host *h) {
        static const struct frame_def trace[] = {
                { "list_del", NULL }, { "__dentry_kill", NULL }, { "shrink_dentry_list", NULL },
                { "prune_dcache_sb", NULL }, { "super_cache_scan", NULL }, { "do_shrink_slab", NULL },
                { "shrink_slab", NULL }, { "shrink_node", NULL }, { "balance_pgdat", NULL }, { "kswapd", NULL },
                { "kthread", NULL }, { "ret_from_fork", NULL },
        };
        unsigned cpu = rnd(h->n_cpus);
        unsigned pid = rnd_in(80, 400);
        char comm[16];
        snprintf(comm, sizeof comm, "kswapd%u", rnd(2));
        in_block = true;
        if (h->k->era <= ERA_4_19)
                kline(h, "general protection fault: 0000 [#1] SMP %s", h->k->era == ERA_3_10 ? "" : "PTI");
        else
                kline(h, "%sgeneral protection fault, probably for non-canonical address 0x%016llx: 0000 [#1] %sSMP NOPTI",
                      h->k->era >= ERA_6_X ? "Oops: " : "", 0xdead000000000100ULL + 8 * rnd(8),
                      h->k->era >= ERA_5_14 ? "PREEMPT " : "");
        modules_line(h);
        cpu_line(h, cpu, pid, comm, chance(30));
        registers(h, "__list_del_entry_valid", NULL, false);
        call_trace_open(h);
        frames(h, trace, ELEMENTSOF(trace));
        call_trace_close(h);
        end_trace(h);
        in_block = false;
        planted.gpfs++;
}

static void report_hang(struct host *h) {
        static const struct frame_def trace_jbd2[] = {
                { "__schedule", NULL }, { "schedule", NULL }, { "io_schedule", NULL }, { "bit_wait_io", NULL },
                { "__wait_on_bit", NULL }, { "out_of_line_wait_on_bit", NULL },
                { "jbd2_journal_commit_transaction", "jbd2" }, { "kjournald2", "jbd2" }, { "kthread", NULL },
                { "ret_from_fork", NULL },
        };
        static const struct frame_def trace_xfs[] = {
                { "__schedule", NULL }, { "schedule", NULL }, { "schedule_timeout", NULL },
                { "__down_common", NULL }, { "down", NULL }, { "xfs_buf_lock", "xfs" }, { "xfs_buf_find", "xfs" },
                { "xfs_buf_get_map", "xfs" }, { "xfs_buf_read_map", "xfs" }, { "xfs_trans_read_buf_map", "xfs" },
                { "xfs_read_agi", "xfs" }, { "xfs_iunlink", "xfs" },
        };
        static const struct frame_def trace_wb[] = {
                { "__schedule", NULL }, { "schedule", NULL }, { "rwsem_down_write_slowpath", NULL },
                { "btrfs_commit_transaction", "btrfs" }, { "btrfs_sync_fs", "btrfs" }, { "sync_filesystem", NULL },
                { "generic_shutdown_super", NULL }, { "kill_anon_super", NULL }, { "btrfs_kill_super", "btrfs" },
        };
        const struct frame_def *trace;
        size_t n;
        char comm[32];
        switch (rnd(3)) {
        case 0:
                trace = trace_jbd2, n = ELEMENTSOF(trace_jbd2);
                snprintf(comm, sizeof comm, "jbd2/%s-8", h->ext4_dev);
                break;
        case 1:
                trace = trace_xfs, n = ELEMENTSOF(trace_xfs);
                snprintf(comm, sizeof comm, "%s", PICK(comms));
                break;
        default:
                trace = trace_wb, n = ELEMENTSOF(trace_wb);
                snprintf(comm, sizeof comm, "umount");
                break;
        }
        unsigned pid = next_pid(h);
        unsigned secs = 120 + 123 * rnd(6);
        if (h->k->era >= ERA_5_14)
                secs += 2;
        in_block = true;
        kline(h, "INFO: task %s:%u blocked for more than %u seconds.", comm, pid, secs);
        kbegin(h);
        putf("      ");
        put_taint(h, false);
        putf("%s %s", h->k->release, h->k->build);
        line_end();
        kline(h, "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.");
        if (h->k->era >= ERA_5_14)
                kline(h, "task:%-15s state:D stack:0     pid:%-6u ppid:2      flags:0x00004000", comm, pid);
        else if (h->k->era == ERA_5_10)
                kline(h, "task:%-15s state:D stack:    0 pid:%5u ppid:     2 flags:0x00004000", comm, pid);
        else
                kline(h, "%-15s D    0 %5u      2 0x80000000", comm, pid);
        call_trace_open(h);
        frames(h, trace, n);
        call_trace_close(h);
        in_block = false;
        planted.hangs++;
}

static void boot_lines(struct host *h);

static void report_panic(struct host *h) {
        static const struct frame_def trace_new[] = {
                { "dump_stack_lvl", NULL }, { "panic", NULL }, { "do_exit.cold", NULL }, { "do_group_exit", NULL },
                { "get_signal", NULL }, { "arch_do_signal_or_restart", NULL }, { "exit_to_user_mode_prepare", NULL },
                { "irqentry_exit_to_user_mode", NULL }, { "asm_exc_page_fault", NULL },
        };
        static const struct frame_def trace_old[] = {
                { "dump_stack", NULL }, { "panic", NULL }, { "do_exit", NULL }, { "do_group_exit", NULL },
                { "get_signal", NULL }, { "do_signal", NULL }, { "exit_to_usermode_loop", NULL },
                { "prepare_exit_to_usermode", NULL }, { "retint_user", NULL },
        };
        _Static_assert(ELEMENTSOF(trace_new) == ELEMENTSOF(trace_old), "panic traces differ in length");
        const struct frame_def *trace = h->k->era >= ERA_5_10 ? trace_new : trace_old;
        unsigned code = chance(50) ? 0x0000000bu : 0x00000009u;
        unsigned cpu = rnd(h->n_cpus);
        in_block = true;
        kline(h, "Kernel panic - not syncing: Attempted to kill init! exitcode=0x%08x", code);
        cpu_line(h, cpu, 1, "systemd", false);
        call_trace_open(h);
        frames(h, trace, ELEMENTSOF(trace_new));
        call_trace_close(h);
        kline(h, "Kernel Offset: 0x%x000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)",
              rnd_in(1, 0x3e));
        kline(h, "---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x%08x ]---", code);
        in_block = false;
        planted.panics++;
        /* The machine comes back a few minutes later with a fresh uptime. */
        now_usec += (int64_t) rnd_in(60, 600) * 1000000;
        h->boot_usec = now_usec;
        in_block = true; /* the first boot messages come microseconds apart */
        boot_lines(h);
        in_block = false;
        planted.reboots++;
}

/* Not a kernel report: the OOM killer prints a call trace as information. */
static void oom_kill(struct host *h) {
        static const struct frame_def trace[] = {
                { "dump_stack_lvl", NULL }, { "dump_header", NULL }, { "oom_kill_process.cold", NULL },
                { "out_of_memory", NULL }, { "mem_cgroup_out_of_memory", NULL }, { "try_charge_memcg", NULL },
                { "charge_memcg", NULL }, { "__mem_cgroup_charge", NULL }, { "do_anonymous_page", NULL },
                { "__handle_mm_fault", NULL }, { "handle_mm_fault", NULL }, { "do_user_addr_fault", NULL },
                { "exc_page_fault", NULL }, { "asm_exc_page_fault", NULL },
        };
        unsigned pid = next_pid(h);
        const char *comm = chance(50) ? "java" : "python3";
        in_block = true;
        kline(h, "%s invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=%u", comm,
              chance(50) ? 0u : 999u);
        cpu_line(h, rnd(h->n_cpus), pid, comm, false);
        call_trace_open(h);
        frames(h, trace, ELEMENTSOF(trace));
        kline(h, "RIP: 0033:0x7f%010llx", rnd64() & 0xffffffffffULL);
        registers(h, "", NULL, true);
        call_trace_close(h);
        unsigned long long limit = 1048576ULL * rnd_in(1, 16);
        kline(h, "memory: usage %llukB, limit %llukB, failcnt %u", limit, limit, rnd_in(1, 100000));
        kline(h, "swap: usage 0kB, limit 0kB, failcnt 0");
        kline(h, "Tasks state (memory values in pages):");
        kline(h, "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
        kline(h, "[%7u]     0 %5u  %7u   %6u  %7u        0             0 %s", pid, pid, rnd_in(100000, 2000000),
              rnd_in(100000, 600000), rnd_in(1000000, 9000000), comm);
        kline(h, "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/"
              "burstable/pod%08x,task_memcg=/kubepods/burstable/pod%08x,task=%s,pid=%u,uid=0",
              (unsigned) rnd64(), (unsigned) rnd64(), comm, pid);
        kline(h, "Memory cgroup out of memory: Killed process %u (%s) total-vm:%ukB, anon-rss:%llukB, file-rss:0kB, "
              "shmem-rss:0kB, UID:0 pgtables:%ukB oom_score_adj:0", pid, comm, rnd_in(1000000, 9000000), limit,
              rnd_in(1000, 9000));
        in_block = false;
        planted.oom_kills++;
}

/* ---------------------------------------------------------------------------------------------
 * Boots and mounts
 * ------------------------------------------------------------------------------------------- */

static void mount_lines(struct host *h, enum fs_kind fs, const char *dev) {
        switch (fs) {
        case FS_BTRFS:
                if (h->k->era >= ERA_6_X) {
                        kevent(h, "BTRFS info (device %s): first mount of filesystem %08x-%04x-%04x-%04x-%08x%04x", dev,
                               (unsigned) rnd64(), rnd(65536), rnd(65536), rnd(65536), (unsigned) rnd64(), rnd(65536));
                        kline(h, "BTRFS info (device %s): using crc32c (crc32c-intel) checksum algorithm", dev);
                } else
                        kline(h, "BTRFS info (device %s): disk space caching is enabled", dev);
                kline(h, "BTRFS info (device %s): enabling ssd optimizations", dev);
                break;
        case FS_EXT4:
                if (h->k->era >= ERA_6_X)
                        kevent(h, "EXT4-fs (%s): mounted filesystem %08x-%04x-%04x-%04x-%08x%04x r/w with ordered data "
                               "mode. Quota mode: none.", dev, (unsigned) rnd64(), rnd(65536), rnd(65536), rnd(65536),
                               (unsigned) rnd64(), rnd(65536));
                else
                        kevent(h, "EXT4-fs (%s): mounted filesystem with ordered data mode. Opts: (null)", dev);
                break;
        case FS_XFS:
                kevent(h, "XFS (%s): Mounting V5 Filesystem %08x-%04x-%04x-%04x-%08x%04x", dev, (unsigned) rnd64(),
                       rnd(65536), rnd(65536), rnd(65536), (unsigned) rnd64(), rnd(65536));
                kline(h, "XFS (%s): Ending clean mount", dev);
                break;
        }
}

static void boot_lines(struct host *h) {
        kline(h, "Linux version %s %s", h->k->release, h->k->banner);
        kline(h, "Command line: BOOT_IMAGE=/vmlinuz-%s root=/dev/mapper/rootvg-root ro crashkernel=auto "
              "rd.lvm.lv=rootvg/root rhgb quiet", h->k->release);
        kline(h, "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'");
        kline(h, "DMI: %s", h->hardware);
        now_usec += 4000000;
        mount_lines(h, FS_EXT4, h->ext4_dev);
        if (h->xfs_dev)
                mount_lines(h, FS_XFS, h->xfs_dev);
        if (h->btrfs_dev)
                mount_lines(h, FS_BTRFS, h->btrfs_dev);
}

/* ---------------------------------------------------------------------------------------------
 * Filesystem and device failure episodes: each is one incident
 * ------------------------------------------------------------------------------------------- */

static void io_error_line(struct host *h, const char *dev, unsigned long long sector, bool write, bool space) {
        const char *what = space ? "critical space allocation error" : "I/O error";
        if (h->k->era == ERA_3_10)
                kevent(h, "blk_update_request: %s, dev %s, sector %llu", what, dev, sector);
        else if (h->k->era == ERA_4_19)
                kevent(h, "print_req_error: %s, dev %s, sector %llu", what, dev, sector);
        else if (h->k->era == ERA_5_10)
                kevent(h, "blk_update_request: %s, dev %s, sector %llu op 0x%x:(%s) flags 0x%x phys_seg %u prio class 0",
                       what, dev, sector, write ? 1u : 0u, write ? "WRITE" : "READ", write ? 0x800u : 0x80700u,
                       rnd_in(1, 32));
        else
                kevent(h, "%s, dev %s, sector %llu op 0x%x:(%s) flags 0x%x phys_seg %u prio class 2", what, dev, sector,
                       write ? 1u : 0u, write ? "WRITE" : "READ", write ? 0x4000u : 0x80700u, rnd_in(1, 32));
}

static void suppressed_line(struct host *h, const char *who) {
        kevent(h, "%s: %u callbacks suppressed", who, rnd_in(2, 50000));
}

/* The seed: ENOSPC while running delayed refs, inside a WARNING, then read-only. */
static void episode_btrfs_enospc(struct host *h) {
        static const struct frame_def trace[] = {
                { "__btrfs_run_delayed_refs", "btrfs" }, { "btrfs_run_delayed_refs", "btrfs" },
                { "btrfs_truncate_inode_items", "btrfs" }, { "btrfs_evict_inode", "btrfs" }, { "evict", NULL },
                { "__dentry_kill", NULL }, { "dentry_kill", NULL }, { "dput", NULL }, { "__fput", NULL },
                { "task_work_run", NULL }, { "do_exit", NULL }, { "do_group_exit", NULL }, { "get_signal", NULL },
                { "do_signal", NULL }, { "exit_to_usermode_loop", NULL }, { "do_syscall_64", NULL },
                { "entry_SYSCALL_64_after_hwframe", NULL },
        };
        const char *dev = h->btrfs_dev;
        unsigned cpu = rnd(h->n_cpus), pid = next_pid(h);
        unsigned line = 6805 + rnd(3);
        in_block = true;
        kline(h, "------------[ cut here ]------------");
        kline(h, "WARNING: CPU: %u PID: %u at fs/btrfs/extent-tree.c:%u __btrfs_free_extent.isra.%u+0x%x/0xbd0 [btrfs]",
              cpu, pid, line, rnd_in(60, 80), rnd_in(0x600, 0x6ff));
        modules_line(h);
        cpu_line(h, cpu, pid, PICK(comms), true);
        registers(h, "__btrfs_free_extent.isra.71", "btrfs", false);
        call_trace_open(h);
        frames(h, trace, ELEMENTSOF(trace));
        kline(h, "RIP: 0033:0x7f%010llx", rnd64() & 0xffffffffffULL);
        kline(h, "Code: Bad RIP value.");
        registers(h, "", NULL, true);
        call_trace_close(h);
        end_trace(h);
        in_block = false;
        planted.warnings++;
        kevent(h, "BTRFS: error (device %s) in __btrfs_free_extent:%u: errno=-28 No space left", dev, line);
        kevent(h, "BTRFS info (device %s): forced readonly", dev);
        kevent(h, "BTRFS: error (device %s) in btrfs_run_delayed_refs:%u: errno=-28 No space left", dev, 2935u);
}

/* Backing store of a thin LV or loop file runs out under btrfs (lab-6.18-btrfs-thin-exhausted). */
static void episode_btrfs_thin(struct host *h) {
        const char *dev = h->btrfs_dev;
        bool dm = strncmp(dev, "dm-", 3) == 0;
        unsigned long long sector = rnd_in(100000, 4000000);
        if (dm && h->k->era <= ERA_4_19) {
                /* The pool is its own device-mapper device, created just before the thin volume. */
                unsigned pool_minor = (unsigned) atoi(dev + 3) - 1;
                kevent(h, "device-mapper: thin: 253:%u: switching pool to out-of-data-space (queue IO) mode", pool_minor);
                now_usec += 60000000;
                kevent(h, "device-mapper: thin: 253:%u: switching pool to out-of-data-space (error IO) mode", pool_minor);
        }
        if (chance(70))
                suppressed_line(h, h->k->era >= ERA_5_14 ? "blk_print_req_error" : "print_req_error");
        unsigned n = rnd_in(3, 30);
        for (unsigned i = 0; i < n; i++, sector += 2560)
                io_error_line(h, dev, sector, true, true);
        const char *st = h->k->era >= ERA_6_X ? " state E" : "";
        const char *sta = h->k->era >= ERA_6_X ? " state EA" : "";
        kevent(h, "BTRFS: error (device %s) in btrfs_commit_transaction:%u: errno=-5 IO failure (Error while writing "
               "out transaction)", dev, 2546u);
        kevent(h, "BTRFS info (device %s%s): forced readonly", dev, st);
        kevent(h, "BTRFS warning (device %s%s): Skipping commit of aborted transaction.", dev, st);
        kevent(h, "BTRFS error (device %s%s): Transaction aborted (error -5)", dev, sta);
        kevent(h, "BTRFS: error (device %s%s) in cleanup_transaction:%u: errno=-5 IO failure", dev, sta, 2038u);
}

/* Same under ext4 (lab-6.18-ext4-thin-exhausted). */
static void episode_ext4_thin(struct host *h) {
        const char *dev = h->ext4_dev;
        unsigned inode = rnd_in(12, 500000);
        unsigned long long block = rnd_in(60000, 900000);
        unsigned n = rnd_in(4, 40);
        for (unsigned i = 0; i < n; i++) {
                unsigned k = rnd(10);
                if (k < 5)
                        kevent(h, "EXT4-fs warning (device %s): ext4_end_bio:%u: I/O error %u writing to inode %u "
                               "starting block %llu)", dev, h->k->era >= ERA_6_X ? 368u : 343u, h->k->era >= ERA_6_X ? 3u : 10u,
                               inode, block + 2048ULL * i);
                else if (k < 8)
                        kevent(h, "Buffer I/O error on device %s, logical block %llu", dev, block + i);
                else if (k < 9)
                        kevent(h, "EXT4-fs (%s): failed to convert unwritten extents to written extents -- potential "
                               "data loss!  (inode %u, error -5)", dev, inode);
                else
                        suppressed_line(h, "buffer_io_error");
        }
        kevent(h, "Buffer I/O error on dev %s, logical block %u, lost sync page write", dev, 262145u);
        kevent(h, "Aborting journal on device %s-8.", dev);
        kevent(h, "EXT4-fs error (device %s): ext4_journal_check_start:%u: comm %s: Detected aborted journal", dev,
               h->k->era >= ERA_6_X ? 87u : 61u, PICK(comms));
        kevent(h, "EXT4-fs (%s): Remounting filesystem read-only", dev);
}

static void scsi_error_lines(struct host *h, unsigned long long sector) {
        unsigned tag = rnd(1024);
        if (strncmp(h->disk, "vd", 2) == 0)
                return; /* virtio-blk prints only the block layer's I/O error */
        if (!h->disk_scsi) {
                kevent(h, "nvme%cn1: I/O Cmd(0x2) @ LBA %llu, 8 blocks, I/O Error (sct 0x2 / sc 0x81) MORE DNR",
                       h->disk[4], sector);
                return;
        }
        kevent(h, "sd %s: [%s] tag#%u FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_SENSE%s", h->disk_scsi, h->disk,
               tag, h->k->era >= ERA_5_10 ? " cmd_age=3s" : "");
        kline(h, "sd %s: [%s] tag#%u Sense Key : Medium Error [current] ", h->disk_scsi, h->disk, tag);
        kline(h, "sd %s: [%s] tag#%u Add. Sense: Unrecovered read error - auto reallocate failed", h->disk_scsi,
              h->disk, tag);
        kline(h, "sd %s: [%s] tag#%u CDB: Read(10) 28 00 %02x %02x %02x %02x 00 00 08 00", h->disk_scsi, h->disk, tag,
              (unsigned) (sector >> 24) & 0xff, (unsigned) (sector >> 16) & 0xff, (unsigned) (sector >> 8) & 0xff,
              (unsigned) sector & 0xff);
}

/* A disk dies: SCSI/NVMe errors, an I/O error storm, and whatever filesystem sits on it. */
static void episode_disk_storm(struct host *h) {
        const char *disk = h->disk;
        unsigned long long sector = rnd64() % 1000000000ULL;
        unsigned n = rnd_in(5, 120);
        unsigned consequence = rnd(3); /* 0: none, 1: xfs shutdown, 2: ext4 read-only */
        char part[32];
        /* partition 3: no host keeps another filesystem there */
        snprintf(part, sizeof part, "%s%s3", disk, strncmp(disk, "nvme", 4) == 0 ? "p" : "");
        for (unsigned i = 0; i < n; i++) {
                if (i % 8 == 0)
                        scsi_error_lines(h, sector);
                if (i == 16)
                        suppressed_line(h, h->k->era >= ERA_5_14 ? "blk_print_req_error" : "print_req_error");
                io_error_line(h, disk, sector, rnd(3) == 0, false);
                sector += 8 * rnd_in(1, 64);
        }
        if (consequence == 1) {
                kevent(h, "XFS (%s): metadata I/O error in \"xfs_buf_ioend+0x%x/0x%x [xfs]\" at daddr 0x%llx len 8 error 5",
                       part, rnd(0x200), rnd_in(0x200, 0x600), sector);
                kevent(h, "XFS (%s): log I/O error -5", part);
                if (h->k->era >= ERA_5_10)
                        kevent(h, "XFS (%s): Log I/O Error (0x2) detected at xlog_ioend_work+0x%x/0x%x [xfs] "
                               "(fs/xfs/xfs_log.c:%u).  Shutting down filesystem.", part, rnd(0x80), 0x80u, 1297u);
                else
                        kevent(h, "XFS (%s): xfs_do_force_shutdown(0x2) called from line 1271 of file fs/xfs/xfs_log.c.  "
                               "Return address = 0x%016llx", part, kaddr());
                kline(h, "XFS (%s): Please unmount the filesystem and rectify the problem(s)", part);
        } else if (consequence == 2) {
                kevent(h, "EXT4-fs error (device %s): ext4_find_entry:%u: inode #2: comm %s: reading directory lblock 0",
                       part, 1455u, PICK(comms));
                kevent(h, "Buffer I/O error on dev %s, logical block 0, lost sync page write", part);
                kevent(h, "EXT4-fs (%s): I/O error while writing superblock", part);
                kevent(h, "EXT4-fs (%s): Remounting filesystem read-only", part);
        }
}

/* xfs_io -x -c "shutdown -f" (lab-6.18-xfs-user-shutdown). */
static void episode_xfs_user_shutdown(struct host *h, const char *dev) {
        kevent(h, "XFS (%s): User initiated shutdown received.", dev);
        kevent(h, "XFS (%s): Metadata I/O Error (0x4) detected at xfs_fs_goingdown+0x%x/0xb0 [xfs] "
               "(fs/xfs/xfs_fsops.c:%u).  Shutting down filesystem.", dev, rnd_in(0x40, 0x90), 472u);
        kline(h, "XFS (%s): Please unmount the filesystem and rectify the problem(s)", dev);
}

static void episode_xfs_corruption(struct host *h, const char *dev) {
        unsigned long long ino = rnd64() & 0xfffffffULL;
        kevent(h, "XFS (%s): Metadata corruption detected at xfs_dinode_verify+0x%x/0x%x [xfs], inode 0x%llx dinode",
               dev, rnd(0x400), rnd_in(0x400, 0x800), ino);
        kline(h, "XFS (%s): Unmount and run xfs_repair", dev);
        kline(h, "XFS (%s): First 128 bytes of corrupted metadata buffer:", dev);
        for (unsigned off = 0; off < 128; off += 16) {
                kbegin(h);
                putf("%08x: ", off);
                for (unsigned i = 0; i < 16; i++)
                        putf("%02x%s", off == 0 && i < 2 ? (i ? 0x4eu : 0x49u) : rnd(256), i == 15 ? "  " : " ");
                putf("IN..............");
                line_end();
        }
        kevent(h, "XFS (%s): Corruption of in-memory data (0x8) detected at xfs_trans_cancel+0x%x/0x%x [xfs] "
               "(fs/xfs/xfs_trans.c:%u).  Shutting down filesystem.", dev, rnd(0x100), 0x150u, 1097u);
        kline(h, "XFS (%s): Please unmount the filesystem and rectify the problem(s)", dev);
}

static void episode_btrfs_csum(struct host *h) {
        const char *dev = h->btrfs_dev;
        unsigned n = rnd_in(1, 6);
        unsigned ino = rnd_in(257, 900000);
        for (unsigned i = 0; i < n; i++) {
                kevent(h, "BTRFS warning (device %s): csum failed root 5 ino %u off %llu csum 0x%08x expected csum "
                       "0x%08x mirror 1", dev, ino, 4096ULL * rnd(1000000), (unsigned) rnd64(), (unsigned) rnd64());
                kevent(h, "BTRFS error (device %s): bdev /dev/%s errs: wr 0, rd 0, flush 0, corrupt %u, gen 0", dev, dev,
                       i + 1);
        }
}

static void remount_after(struct host *h, enum fs_kind fs, const char *dev) {
        /* Someone notices, repairs and mounts again: the next trouble is a new episode. */
        now_usec += (int64_t) rnd_in(300, 3600) * 1000000;
        mount_lines(h, fs, dev);
}

static void plant_episode(void) {
        struct host *h = pick_host();
        for (;;) {
                switch (rnd(8)) {
                case 0:
                        if (!h->btrfs_dev || h->k->era > ERA_4_19)
                                break;
                        episode_btrfs_enospc(h);
                        remount_after(h, FS_BTRFS, h->btrfs_dev);
                        goto done;
                case 1:
                        if (!h->btrfs_dev || !h->btrfs_thin)
                                break;
                        episode_btrfs_thin(h);
                        remount_after(h, FS_BTRFS, h->btrfs_dev);
                        goto done;
                case 2:
                        if (!h->ext4_thin)
                                break;
                        episode_ext4_thin(h);
                        remount_after(h, FS_EXT4, h->ext4_dev);
                        goto done;
                case 3:
                case 4:
                        episode_disk_storm(h);
                        goto done;
                case 5:
                        if (!h->xfs_dev)
                                break;
                        episode_xfs_user_shutdown(h, h->xfs_dev);
                        remount_after(h, FS_XFS, h->xfs_dev);
                        goto done;
                case 6:
                        if (!h->xfs_dev)
                                break;
                        episode_xfs_corruption(h, h->xfs_dev);
                        remount_after(h, FS_XFS, h->xfs_dev);
                        goto done;
                default:
                        if (!h->btrfs_dev)
                                break;
                        episode_btrfs_csum(h);
                        goto done;
                }
        }
done:
        planted.fs_episodes++;
}

static void plant_report(void) {
        struct host *h = pick_host();
        unsigned w = rnd(100);
        if (w < 40)
                report_warning(h);
        else if (w < 60)
                report_null_deref(h);
        else if (w < 70)
                report_gpf(h);
        else if (w < 97)
                report_hang(h);
        else
                report_panic(h);
}

/* ---------------------------------------------------------------------------------------------
 * Main loop
 * ------------------------------------------------------------------------------------------- */

static void help(void) {
        printf("Usage: gen-syslog [OPTIONS]\n"
               "\n"
               "Write a deterministic, realistic multi-host /var/log/messages-style log with kernel\n"
               "reports and filesystem failure episodes sprinkled in. Planted counts go to stderr.\n"
               "\n"
               "  -s, --size=MIB             stop after at least MIB MiB (default 64)\n"
               "  -S, --seed=N               PRNG seed (default 1)\n"
               "  -o, --output=PATH          output file, '-' for standard output (default)\n"
               "  -r, --reports-per-gib=N    kernel reports per GiB on average (default 1000)\n"
               "  -e, --episodes-per-gib=N   filesystem/device failure episodes per GiB (default 500)\n"
               "  -i, --interleave=PERCENT   chance that another line cuts into a multi-line report (default 3)\n"
               "  -h, --help                 show this help\n");
}

static int parse_u64(const char *s, uint64_t max, uint64_t *ret) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || end == s || *end || v > max || s[0] == '-')
                return -EINVAL;
        *ret = v;
        return 0;
}

int main(int argc, char **argv) {
        static const struct option options[] = {
                { "size", required_argument, NULL, 's' },
                { "seed", required_argument, NULL, 'S' },
                { "output", required_argument, NULL, 'o' },
                { "reports-per-gib", required_argument, NULL, 'r' },
                { "episodes-per-gib", required_argument, NULL, 'e' },
                { "interleave", required_argument, NULL, 'i' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        uint64_t size_mib = 64, seed = 1, reports_per_gib = 1000, episodes_per_gib = 500, interleave = 3;
        const char *output = "-";
        int c;
        while ((c = getopt_long(argc, argv, "s:S:o:r:e:i:h", options, NULL)) >= 0) {
                int r = 0;
                switch (c) {
                case 's': r = parse_u64(optarg, MAX_SIZE_MIB, &size_mib); break;
                case 'S': r = parse_u64(optarg, UINT64_MAX, &seed); break;
                case 'o': output = optarg; break;
                case 'r': r = parse_u64(optarg, 1000000, &reports_per_gib); break;
                case 'e': r = parse_u64(optarg, 1000000, &episodes_per_gib); break;
                case 'i': r = parse_u64(optarg, 50, &interleave); break;
                case 'h': help(); return 0;
                default: return 2;
                }
                if (r < 0) {
                        fprintf(stderr, "gen-syslog: invalid value '%s' for -%c\n", optarg, c);
                        return 2;
                }
        }
        if (optind < argc || size_mib == 0) {
                fprintf(stderr, "gen-syslog: bad arguments (see --help)\n");
                return 2;
        }
        interleave_percent = (unsigned) interleave;
        rng_state = seed * UINT64_C(0x2545f4914f6cdd1d) + GEN_VERSION;

        _cleanup_close_ int fd = -1;
        if (strcmp(output, "-") == 0)
                out.fd = STDOUT_FILENO;
        else {
                fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0) {
                        fprintf(stderr, "gen-syslog: %s: %s\n", output, strerror(errno));
                        return 1;
                }
                out.fd = fd;
        }
        _cleanup_free_ char *buf = malloc(OUT_BUF_SIZE);
        if (!buf) {
                fprintf(stderr, "gen-syslog: out of memory\n");
                return 1;
        }
        out.buf = buf;

        for (size_t i = 0; i < ELEMENTSOF(hosts); i++) {
                host_weight_total += hosts[i].weight;
                /* Long-running machines: up between a day and half a year. */
                hosts[i].boot_usec = now_usec - (int64_t) rnd_in(86400, 180 * 86400) * 1000000 - rnd(1000000);
                hosts[i].pid_next = 1000 + rnd(100000);
        }

        const uint64_t target = size_mib << 20;
        const uint64_t gib = UINT64_C(1) << 30;
        /* Mean distance between plants in bytes; the actual gap is uniform in [0, 2 * mean]. */
        uint64_t report_gap = reports_per_gib ? gib / reports_per_gib : UINT64_MAX;
        uint64_t episode_gap = episodes_per_gib ? gib / episodes_per_gib : UINT64_MAX;
        uint64_t oom_gap = 16ULL << 20, chatter_gap = 256ULL << 10;
        uint64_t next_report = report_gap == UINT64_MAX ? UINT64_MAX : rnd64() % (2 * report_gap);
        uint64_t next_episode = episode_gap == UINT64_MAX ? UINT64_MAX : rnd64() % (2 * episode_gap);
        uint64_t next_oom = rnd64() % (2 * oom_gap), next_chatter = rnd64() % (2 * chatter_gap);

        for (;;) {
                uint64_t written = out.bytes + out.pos;
                if (written >= target || out.error)
                        break;
                if (written >= next_report) {
                        plant_report();
                        next_report = written + rnd64() % (2 * report_gap);
                } else if (written >= next_episode) {
                        plant_episode();
                        next_episode = written + rnd64() % (2 * episode_gap);
                } else if (written >= next_oom) {
                        oom_kill(pick_host());
                        next_oom = written + rnd64() % (2 * oom_gap);
                } else if (written >= next_chatter) {
                        noise_fs_chatter(pick_host());
                        next_chatter = written + rnd64() % (2 * chatter_gap);
                } else
                        noise_line_plain(pick_host());
        }
        out.bytes += out.pos;
        out_flush();
        if (out.error) {
                fprintf(stderr, "gen-syslog: write failed: %s\n", strerror(-out.error));
                return 1;
        }

        fprintf(stderr,
                "gen-syslog: bytes=%" PRIu64 " lines=%" PRIu64 " seed=%" PRIu64 " version=%d\n"
                "gen-syslog: reports=%" PRIu64 " warnings=%" PRIu64 " oopses=%" PRIu64 " gpfs=%" PRIu64
                " hangs=%" PRIu64 " panics=%" PRIu64 "\n"
                "gen-syslog: events=%" PRIu64 " fs_episodes=%" PRIu64 " reboots=%" PRIu64 " oom_kills=%" PRIu64
                " user_space_traps=%" PRIu64 "\n",
                out.bytes, out.lines, seed, GEN_VERSION, planted_reports(), planted.warnings, planted.oopses,
                planted.gpfs, planted.hangs, planted.panics, planted.events, planted.fs_episodes, planted.reboots,
                planted.oom_kills, planted.user_space_traps);
        return 0;
}
