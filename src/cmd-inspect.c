/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsdoctor inspect: btrfs space the way an expert reads it, and how close it is to an ENOSPC abort. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "basic/cleanup.h"
#include "fsdoctor.h"
#include "render-html.h"
#include "render-inspect.h"
#include "shared/i18n.h"
#include "shared/options.h"
#include "shared/term.h"
#include "shared/verbs.h"

enum inspect_mode { MODE_AUTO, MODE_ONLINE, MODE_OFFLINE };

static struct {
        enum output_format format;
        enum color_mode color;
        enum inspect_mode mode;
        bool quiet, bytes, block_groups;
        const char *kernel;
} arg_inspect;

DEFINE_FREEP(struct fsd_btrfs_space, fsd_btrfs_space_free)
DEFINE_FREEP(struct fsd_btrfs_assessment, fsd_btrfs_assessment_free)
DEFINE_FREEP(struct fsd_mountinfo, fsd_mountinfo_free)

static void inspect_help(void) {
        printf("%s", _("Usage: fsdoctor inspect [OPTIONS] PATH...\n"
                       "\n"
                       "Show a btrfs filesystem's space as btrfs-progs' 'filesystem usage' does, a histogram of\n"
                       "block-group fill levels, the risk of a metadata ENOSPC abort (which forces the\n"
                       "filesystem read-only), and the smallest balance that restores unallocated space.\n"
                       "PATH is a mount point or any path in a mounted btrfs (read online through the kernel's\n"
                       "ioctls; needs root for per-block-group data), or an image file or block device that is\n"
                       "not mounted read-write (read offline, read-only; give every device of a multi-device\n"
                       "filesystem).\n"
                       "\n"
                       "Options:\n"
                       "      --online          read through the kernel (PATH must be on a mounted btrfs)\n"
                       "      --offline         read the on-disk format of PATH... directly\n"
                       "      --format=FMT      text (default), json (schema fsdoctor.inspect/1, see fsdoctor(1))\n"
                       "                        or html (one page with a block-group map)\n"
                       "      --kernel=RELEASE  judge the risk for this kernel release (default: the running\n"
                       "                        kernel online, unknown offline)\n"
                       "  -b, --bytes           print sizes in bytes\n"
                       "      --block-groups    list every block group\n"
                       "      --color=WHEN      auto (default), always or never\n"
                       "      --lang=LANG       en or zh (default: from the locale)\n"
                       "  -q, --quiet           print only the verdict\n"
                       "  -h, --help            show this help\n"
                       "\n"
                       "Exit status: 0 risk ok, 1 risk watch, high or critical, 2 error.\n"));
}

static int parse_args(int argc, char **argv) {
        enum { OPT_FORMAT = 0x100, OPT_COLOR, OPT_LANG, OPT_ONLINE, OPT_OFFLINE, OPT_KERNEL, OPT_BLOCK_GROUPS };
        static const struct option options[] = {
                { "format", required_argument, NULL, OPT_FORMAT },
                { "color", required_argument, NULL, OPT_COLOR },
                { "colour", required_argument, NULL, OPT_COLOR },
                { "lang", required_argument, NULL, OPT_LANG },
                { "online", no_argument, NULL, OPT_ONLINE },
                { "offline", no_argument, NULL, OPT_OFFLINE },
                { "kernel", required_argument, NULL, OPT_KERNEL },
                { "block-groups", no_argument, NULL, OPT_BLOCK_GROUPS },
                { "bytes", no_argument, NULL, 'b' },
                { "quiet", no_argument, NULL, 'q' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        memset(&arg_inspect, 0, sizeof arg_inspect);
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "bqh", options, NULL)) >= 0) {
                switch (c) {
                case OPT_FORMAT:
                        if (parse_format_arg(optarg, FORMATS_WITH_HTML, &arg_inspect.format) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        break;
                case OPT_COLOR:
                        if (parse_color_arg(optarg, &arg_inspect.color) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        break;
                case OPT_LANG: break; /* handled in main() */
                case OPT_ONLINE: arg_inspect.mode = MODE_ONLINE; break;
                case OPT_OFFLINE: arg_inspect.mode = MODE_OFFLINE; break;
                case OPT_KERNEL: {
                        unsigned major, minor;
                        if (strlen(optarg) > 64 || sscanf(optarg, "%u.%u", &major, &minor) != 2)
                                return log_error(_("invalid --kernel '%s' (expected a release such as 4.19.90)"), optarg);
                        arg_inspect.kernel = optarg;
                        break;
                }
                case OPT_BLOCK_GROUPS: arg_inspect.block_groups = true; break;
                case 'b': arg_inspect.bytes = true; break;
                case 'q': arg_inspect.quiet = true; break;
                case 'h': inspect_help(); return -1;
                default: return EXIT_USAGE_OR_ERROR;
                }
        }
        if (optind >= argc)
                return log_error("%s", _("inspect: a PATH is required (see fsdoctor inspect --help)"));
        return 0;
}

/* Is this block device the source of a read-write btrfs mount? Fills ret_mnt with its mount
 * point. Only the device the kernel names as the mount source is found: other members of a
 * multi-device filesystem are read offline (read-only, so harmless). */
static bool block_device_mounted_rw(dev_t rdev, char *ret_mnt, size_t mnt_size) {
        _cleanup_(fsd_mountinfo_freep) struct fsd_mountinfo *mounts = NULL;
        if (fsd_mountinfo_read(NULL, &mounts) < 0)
                return false;
        const struct fsd_mount *m = fsd_mountinfo_find_device(mounts, "btrfs", major(rdev), minor(rdev), true);
        if (!m)
                return false;
        snprintf(ret_mnt, mnt_size, "%s", m->mount_point);
        return true;
}

/* Pick online or offline from what PATH is; ret_online_path gets the path to open online. A
 * regular file without any btrfs superblock is tried online (it may live on a mounted btrfs);
 * *ret_probe_detail then says where no superblock was found, for the error if that fails too. */
static int decide_mode(char **paths, int n, enum inspect_mode *ret_mode, char *online_path, size_t size,
                       char **ret_probe_detail) {
        if (arg_inspect.mode != MODE_AUTO) {
                *ret_mode = arg_inspect.mode;
                snprintf(online_path, size, "%s", paths[0]);
                return 0;
        }
        struct stat st;
        if (stat(paths[0], &st) < 0)
                return log_error(_("%s: cannot access: %s"), paths[0], strerror(errno));
        snprintf(online_path, size, "%s", paths[0]);
        if (n > 1) {
                *ret_mode = MODE_OFFLINE;
                return 0;
        }
        if (S_ISDIR(st.st_mode))
                *ret_mode = MODE_ONLINE;
        else if (S_ISBLK(st.st_mode))
                *ret_mode = block_device_mounted_rw(st.st_rdev, online_path, size) ? MODE_ONLINE : MODE_OFFLINE;
        else if (S_ISREG(st.st_mode))
                /* an image carries the magic; a file that merely lives on a btrfs does not */
                *ret_mode = fsd_btrfs_probe(paths[0], ret_probe_detail) > 0 ? MODE_OFFLINE : MODE_ONLINE;
        else
                return log_error(_("%s: not a directory, image file or block device"), paths[0]);
        return 0;
}

/* balance wants a directory on the filesystem: the path itself, or a file's directory */
static void balance_path(const char *path, char *ret, size_t size) {
        char resolved[PATH_MAX];
        if (!realpath(path, resolved)) {
                snprintf(ret, size, "%s", path);
                return;
        }
        struct stat st;
        if (stat(resolved, &st) == 0 && !S_ISDIR(st.st_mode)) {
                char *slash = strrchr(resolved, '/');
                if (slash && slash != resolved)
                        *slash = '\0';
                else
                        strcpy(resolved, "/");
        }
        snprintf(ret, size, "%s", resolved);
}

int verb_inspect(int argc, char **argv) {
        int r = parse_args(argc, argv);
        if (r < 0)
                return 0; /* --help */
        if (r > 0)
                return r;
        char **paths = argv + optind;
        int n_paths = argc - optind;

        enum inspect_mode mode = MODE_AUTO;
        char online_path[PATH_MAX];
        _cleanup_free_ char *probe_detail = NULL;
        r = decide_mode(paths, n_paths, &mode, online_path, sizeof online_path, &probe_detail);
        if (r > 0)
                return r;
        if (mode == MODE_ONLINE && n_paths > 1)
                return log_error("%s", _("inspect --online takes one PATH"));

        _cleanup_(fsd_btrfs_space_freep) struct fsd_btrfs_space *space = NULL;
        char mount_path[PATH_MAX] = "";
        if (mode == MODE_ONLINE) {
                r = fsd_btrfs_space_read_online(online_path, &space);
                if ((r == -FSD_E_NOT_BTRFS || r == -ENOTTY) && probe_detail)
                        return log_error(_("%s: not a btrfs image (%s), nor a file on a mounted btrfs filesystem"),
                                         online_path, probe_detail);
                if (r == -FSD_E_NOT_BTRFS || r == -ENOTTY)
                        return log_error(_("%s: not on a mounted btrfs filesystem"), online_path);
                if (r == -EPERM || r == -EACCES)
                        return log_error(_("%s: reading the chunk and block-group trees needs root (CAP_SYS_ADMIN)"),
                                         online_path);
                if (r < 0)
                        return log_error(_("%s: cannot read btrfs space: %s"), online_path, fsd_strerror(r));
                balance_path(online_path, mount_path, sizeof mount_path);
        } else {
                _cleanup_free_ char *detail = NULL;
                r = fsd_btrfs_space_read_offline((const char *const *) paths, (size_t) n_paths, &space, &detail);
                if (r < 0) {
                        if (detail)
                                return log_error(_("%s: cannot read btrfs offline: %s (%s)"), paths[0],
                                                 fsd_strerror(r), detail);
                        return log_error(_("%s: cannot read btrfs offline: %s"), paths[0], fsd_strerror(r));
                }
        }

        FSD_OPTS(fsd_btrfs_assess_opts, aopts, .kernel_release = arg_inspect.kernel,
                 .mount_path = mount_path[0] ? mount_path : NULL);
        _cleanup_(fsd_btrfs_assessment_freep) struct fsd_btrfs_assessment *assessment = NULL;
        r = fsd_btrfs_assess(space, &aopts, &assessment);
        if (r < 0)
                return log_error(_("cannot assess the filesystem: %s"), fsd_strerror(r));

        if (arg_inspect.format == OUTPUT_JSON) {
                _cleanup_free_ char *json = NULL;
                r = fsd_btrfs_space_to_json(space, assessment, &json);
                if (r < 0)
                        return log_error(_("cannot format JSON: %s"), fsd_strerror(r));
                fputs(json, stdout);
                fputc('\n', stdout);
        } else if (arg_inspect.format == OUTPUT_HTML) {
                r = render_inspect_html(stdout, mode == MODE_ONLINE ? online_path : paths[0], space, assessment);
                if (r < 0)
                        return log_error(_("cannot write the HTML page: %s"), fsd_strerror(r));
        } else {
                struct inspect_render_opts ro = {
                        .out = stdout,
                        .pal = palette_get(color_enabled(arg_inspect.color, stdout)),
                        .bytes = arg_inspect.bytes,
                        .block_groups = arg_inspect.block_groups,
                        .quiet = arg_inspect.quiet,
                };
                render_inspect_text(&ro, space, assessment);
        }
        if (fflush(stdout) != 0 || ferror(stdout))
                return log_error(_("write error on standard output: %s"), strerror(errno));
        return assessment->risk == FSD_BTRFS_RISK_OK ? EXIT_NOTHING_FOUND : EXIT_FOUND;
}
