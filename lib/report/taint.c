/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Taint letters as the kernel prints them after "Tainted: ", one position per flag
 * (Documentation/admin-guide/tainted-kernels.rst; kernel/panic.c taint_flags[]). */
#include <errno.h>
#include <stddef.h>
#include "report-internal.h"

static const struct {
        char letter;
        const char *description;
} taint_letters[] = {
        { 'P', "a proprietary module was loaded" },
        { 'F', "a module was force-loaded" },
        { 'S', "the kernel runs on an out-of-specification system" },
        { 'R', "a module was force-unloaded" },
        { 'M', "the processor reported a machine check exception" },
        { 'B', "a bad page was referenced or a page had unexpected flags" },
        { 'U', "taint requested by user space" },
        { 'D', "the kernel died recently (an oops or BUG earlier in this boot)" },
        { 'A', "an ACPI table was overridden by the user" },
        { 'W', "a warning was issued earlier in this boot" },
        { 'C', "a staging driver was loaded" },
        { 'I', "a workaround for a platform firmware bug was applied" },
        { 'O', "an externally built (out-of-tree) module was loaded" },
        { 'E', "an unsigned module was loaded" },
        { 'L', "a soft lockup occurred earlier in this boot" },
        { 'K', "the kernel was live-patched" },
        { 'X', "auxiliary taint, defined by distributions" },
        { 'T', "the kernel was built with the struct randomization plugin" },
        { 'N', "an in-kernel test (such as KUnit) has been run" },
        { 'J', "user space used a mutating debug operation through fwctl" },
};

const char *fsd_taint_letter_name(char letter) {
        if (letter == 'G')
                return "only GPL-compatible modules were loaded";
        for (size_t i = 0; i < sizeof taint_letters / sizeof taint_letters[0]; i++)
                if (taint_letters[i].letter == letter)
                        return taint_letters[i].description;
        return NULL;
}

int fsd_taint_describe(const char *taint, fsd_taint_fn fn, void *userdata) {
        if (!taint)
                return -EINVAL;
        int n = 0;
        /* 'G' is the absence of 'P', not a taint; blanks are flags that are not set */
        for (const char *p = taint; *p && n < 64; p++) {
                if (*p == ' ' || *p == 'G')
                        continue;
                const char *d = fsd_taint_letter_name(*p);
                if (!d)
                        continue;
                n++;
                if (fn)
                        fn(*p, d, userdata);
        }
        return n;
}
