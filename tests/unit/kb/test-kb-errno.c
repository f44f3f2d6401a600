/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The errno table: every number Linux defines has a name and a meaning in both languages, the
 * numbers agree with the host's <errno.h> (Linux, generic numbering), and the kernel-internal
 * codes that glibc does not know are there too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "kb/kb-internal.h"

#define HOST(e) { #e, e }
static const struct {
        const char *name;
        int value;
} host_errnos[] = {
        HOST(EPERM), HOST(ENOENT), HOST(ESRCH), HOST(EINTR), HOST(EIO), HOST(ENXIO), HOST(E2BIG),
        HOST(ENOEXEC), HOST(EBADF), HOST(ECHILD), HOST(EAGAIN), HOST(ENOMEM), HOST(EACCES), HOST(EFAULT),
        HOST(ENOTBLK), HOST(EBUSY), HOST(EEXIST), HOST(EXDEV), HOST(ENODEV), HOST(ENOTDIR), HOST(EISDIR),
        HOST(EINVAL), HOST(ENFILE), HOST(EMFILE), HOST(ENOTTY), HOST(ETXTBSY), HOST(EFBIG), HOST(ENOSPC),
        HOST(ESPIPE), HOST(EROFS), HOST(EMLINK), HOST(EPIPE), HOST(EDOM), HOST(ERANGE), HOST(EDEADLK),
        HOST(ENAMETOOLONG), HOST(ENOLCK), HOST(ENOSYS), HOST(ENOTEMPTY), HOST(ELOOP), HOST(ENOMSG),
        HOST(EIDRM), HOST(ECHRNG), HOST(EL2NSYNC), HOST(EL3HLT), HOST(EL3RST), HOST(ELNRNG), HOST(EUNATCH),
        HOST(ENOCSI), HOST(EL2HLT), HOST(EBADE), HOST(EBADR), HOST(EXFULL), HOST(ENOANO), HOST(EBADRQC),
        HOST(EBADSLT), HOST(EBFONT), HOST(ENOSTR), HOST(ENODATA), HOST(ETIME), HOST(ENOSR), HOST(ENONET),
        HOST(ENOPKG), HOST(EREMOTE), HOST(ENOLINK), HOST(EADV), HOST(ESRMNT), HOST(ECOMM), HOST(EPROTO),
        HOST(EMULTIHOP), HOST(EDOTDOT), HOST(EBADMSG), HOST(EOVERFLOW), HOST(ENOTUNIQ), HOST(EBADFD),
        HOST(EREMCHG), HOST(ELIBACC), HOST(ELIBBAD), HOST(ELIBSCN), HOST(ELIBMAX), HOST(ELIBEXEC),
        HOST(EILSEQ), HOST(ERESTART), HOST(ESTRPIPE), HOST(EUSERS), HOST(ENOTSOCK), HOST(EDESTADDRREQ),
        HOST(EMSGSIZE), HOST(EPROTOTYPE), HOST(ENOPROTOOPT), HOST(EPROTONOSUPPORT), HOST(ESOCKTNOSUPPORT),
        HOST(EOPNOTSUPP), HOST(EPFNOSUPPORT), HOST(EAFNOSUPPORT), HOST(EADDRINUSE), HOST(EADDRNOTAVAIL),
        HOST(ENETDOWN), HOST(ENETUNREACH), HOST(ENETRESET), HOST(ECONNABORTED), HOST(ECONNRESET),
        HOST(ENOBUFS), HOST(EISCONN), HOST(ENOTCONN), HOST(ESHUTDOWN), HOST(ETOOMANYREFS), HOST(ETIMEDOUT),
        HOST(ECONNREFUSED), HOST(EHOSTDOWN), HOST(EHOSTUNREACH), HOST(EALREADY), HOST(EINPROGRESS),
        HOST(ESTALE), HOST(EUCLEAN), HOST(ENOTNAM), HOST(ENAVAIL), HOST(EISNAM), HOST(EREMOTEIO),
        HOST(EDQUOT), HOST(ENOMEDIUM), HOST(EMEDIUMTYPE), HOST(ECANCELED), HOST(ENOKEY), HOST(EKEYEXPIRED),
        HOST(EKEYREVOKED), HOST(EKEYREJECTED), HOST(EOWNERDEAD), HOST(ENOTRECOVERABLE), HOST(ERFKILL),
        HOST(EHWPOISON),
};

static void test_every_generic_number(void **state) {
        (void) state;
        /* 1..133 except the two numbers the generic table leaves out (41, 58: aliases elsewhere) */
        for (int e = 1; e <= 133; e++) {
                if (e == 41 || e == 58) {
                        assert_null(fsd_errno_name(-e));
                        continue;
                }
                const char *name = fsd_errno_name(-e);
                assert_non_null(name);
                assert_true(name[0] == 'E');
                assert_non_null(fsd_errno_meaning(-e, false));
                assert_non_null(fsd_errno_meaning(-e, true));
                assert_string_equal(fsd_errno_name(e), name); /* either sign */
                assert_int_equal(kb_errno_from_name(name), -e);
        }
}

static void test_matches_host_errno(void **state) {
        (void) state;
        for (size_t i = 0; i < sizeof host_errnos / sizeof host_errnos[0]; i++) {
                const char *name = fsd_errno_name(-host_errnos[i].value);
                assert_non_null(name);
                assert_string_equal(name, host_errnos[i].name);
        }
}

static void test_kernel_internal(void **state) {
        (void) state;
        assert_string_equal(fsd_errno_name(-524), "ENOTSUPP");
        assert_string_equal(fsd_errno_name(-512), "ERESTARTSYS");
        assert_string_equal(fsd_errno_name(-517), "EPROBE_DEFER");
        assert_string_equal(fsd_errno_name(-531), "ENOGRACE");
        assert_null(fsd_errno_name(-520)); /* a hole in include/linux/errno.h */
        assert_null(fsd_errno_name(-532));
        assert_null(fsd_errno_name(-4000));
        assert_null(fsd_errno_meaning(-9999, true));
        assert_int_equal(kb_errno_from_name("EFSCORRUPTED"), -117);
        assert_int_equal(kb_errno_from_name("EFSBADCRC"), -74);
        assert_int_equal(kb_errno_from_name("EWOULDBLOCK"), -11);
        assert_int_equal(kb_errno_from_name("ENOSUCHNAME"), 0);
}

/* The Chinese meanings are Chinese: each has at least one CJK character. */
static void test_zh_is_chinese(void **state) {
        (void) state;
        for (int e = 1; e <= 531; e++) {
                const char *zh = fsd_errno_meaning(-e, true);
                if (!zh)
                        continue;
                bool cjk = false;
                for (const unsigned char *p = (const unsigned char *) zh; *p; p++)
                        if (*p >= 0xe4 && *p <= 0xe9)
                                cjk = true;
                if (!cjk)
                        fail_msg("errno %d: zh meaning '%s' has no Chinese", e, zh);
                assert_string_not_equal(zh, fsd_errno_meaning(-e, false));
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_every_generic_number),
                cmocka_unit_test(test_matches_host_errno),
                cmocka_unit_test(test_kernel_internal),
                cmocka_unit_test(test_zh_is_chinese),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
