#!/usr/bin/env python3
"""Metamorphic test: the diagnosis of a real incident must not depend on the shape of the log.

For every case NNN-slug/input.log of the real-incident corpus (../shared, read only) it runs
`fsdoctor analyze --format=json` on the log as posted and records the set of incidents as
(filesystem, device, rule id). Then it re-renders the SAME kernel messages in the shapes people
paste logs in and checks that the set stays the same, in both directions: a shape must neither
lose an incident nor create one.

Shapes that change the prefix (dmesg, syslog, journalctl, dmesg -T, bare messages) convert only
the lines the original shows as kernel lines (a dmesg stamp, a syslog/journal "kernel:" prefix);
every other line (a wrapped piece, "...", a blank) is kept as it was. The message text after the
prefix is never changed, except as the shape itself dictates (rsyslog's template puts no second
blank before a message that starts with one). Times come from the original where it prints them;
where it prints none they are made up, the same for every shape. Cases whose original shows no
prefix at all get only the shapes that do not need one ('-' in the table).

The table prints case x shape: '.' same set, 'X' mismatch, 'k' a known failure (KNOWN_FAILURES,
each with the reason the reader cannot fix it), '-' not applicable. Exit 1 on a mismatch that is
not a known failure, 77 when the corpus is absent.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import re
import subprocess
import sys

# (case number, shape) -> why the reader cannot give the same answer. Keep this list short: a
# mismatch the reader can fix is fixed in lib/log, not listed here.
_NO_TIME_BEFORE_FIRST_STAMP = (
    "the original is dmesg -H whose first ten lines come before any absolute stamp: their time is "
    "unknown, so the mount-time error counters of sdb1 join the incident of its abort two hours "
    "later. A shape that prints a monotonic stamp on every line must make times up for them and "
    "the quiet gap then parts them: the shape carries what the original does not say")
KNOWN_FAILURES = {
    ("024", "dmesg"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "syslog-stamp"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "dmesg-nbsp"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "dmesg-wrap72"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "dmesg-quote"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "journal-monotonic"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "dmesg-x-delta"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "grep-n"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "busybox"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "logread"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "journal-json-seq"): _NO_TIME_BEFORE_FIRST_STAMP,
    ("024", "journal-json-pretty"): _NO_TIME_BEFORE_FIRST_STAMP,
}

BASE_WALL = datetime.datetime(2024, 3, 25, 10, 0, 0)
BASE_MONO = 100.0
ZONE = "+0100"
DEFAULT_HOST = "myhost"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# month names of syslog/journalctl lines from hosts in other locales, as far as the corpus has them
LOCAL_MONTHS = {"mai": 4, "mär": 2, "okt": 9, "dez": 11, "janv.": 0, "févr.": 1, "mars": 2, "avr.": 3, "juin": 5,
                "juil.": 6, "août": 7, "sept.": 8, "déc.": 11}


def month_index(name):
    """0..11 for an English or LOCAL_MONTHS name, else None."""
    if name in MONTHS:
        return MONTHS.index(name)
    return LOCAL_MONTHS.get(name.lower())

# ---- reading the original -------------------------------------------------------------------

RE_DMESG = re.compile(r"^\[ *(\d+)[.,](\d+)\] ?(.*)$", re.S)
RE_HUMAN_ABS = re.compile(r"^\[([A-Z][a-z]{2}) ?(\d{1,2}) (\d\d):(\d\d)\] ?(.*)$", re.S)
RE_HUMAN_REL = re.compile(r"^\[ *\+(\d+)[.,](\d+)\] ?(.*)$", re.S)
RE_CTIME = re.compile(r"^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?(.*)$", re.S)
RE_SYSLOG = re.compile(r"^(\w{3,5}\.?) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.\d+)? (\S+) kernel: ?(.*)$", re.S)
RE_ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)? (\S+) kernel: ?(.*)$",
                    re.S)
RE_KERNEL_TAG = re.compile(r"^kernel: ?(.*)$", re.S)
RE_EMBEDDED_MONO = re.compile(r"^\[ *(\d+)[.,](\d+)\] ?(.*)$", re.S)


def frac(digits):
    return int(digits) / 10 ** len(digits)


class KernelLine:
    def __init__(self, msg, mono=None, wall=None, host=None):
        self.msg, self.mono, self.wall, self.host = msg, mono, wall, host


def classify(line, prev_wall):
    """A KernelLine if the line is shown as a kernel line, else None."""
    m = RE_DMESG.match(line)
    if m:
        return KernelLine(m[3], mono=int(m[1]) + frac(m[2]))
    m = RE_HUMAN_ABS.match(line)
    if m and m[1] in MONTHS:
        wall = datetime.datetime(BASE_WALL.year, MONTHS.index(m[1]) + 1, int(m[2]), int(m[3]), int(m[4]))
        return KernelLine(m[5], wall=wall)
    m = RE_HUMAN_REL.match(line)
    if m:
        if prev_wall is None:
            # before the log's first "[Mon dd hh:mm]": placed once that one is known
            k = KernelLine(m[3])
            k.rel = int(m[1]) + frac(m[2])
            return k
        return KernelLine(m[3], wall=prev_wall + datetime.timedelta(seconds=int(m[1]) + frac(m[2])))
    m = RE_CTIME.match(line)
    if m and m[1] in MONTHS:
        wall = datetime.datetime(int(m[6]), MONTHS.index(m[1]) + 1, int(m[2]), int(m[3]), int(m[4]), int(m[5]))
        return KernelLine(m[7], wall=wall)
    m = RE_SYSLOG.match(line)
    if m and month_index(m[1]) is not None:
        wall = datetime.datetime(BASE_WALL.year, month_index(m[1]) + 1, int(m[2]), int(m[3]), int(m[4]), int(m[5]))
        k = KernelLine(m[7], wall=wall, host=m[6])
        e = RE_EMBEDDED_MONO.match(k.msg)
        if e:
            k.msg, k.mono = e[3], int(e[1]) + frac(e[2])
        return k
    m = RE_ISO.match(line)
    if m:
        wall = datetime.datetime(*(int(m[i]) for i in range(1, 7)))
        return KernelLine(m[8], wall=wall, host=m[7])
    m = RE_KERNEL_TAG.match(line)
    if m:
        k = KernelLine(m[1])
        e = RE_EMBEDDED_MONO.match(k.msg)
        if e:
            k.msg, k.mono = e[3], int(e[1]) + frac(e[2])
        return k
    return None


# Lines a poster put between excerpts: never a piece of the kernel line before them.
RE_EDITORIAL = re.compile(r"^\s*$|^\s*\[\s*(\.\.\.|~|snip|cut)|^\s*\.\.\.|^\s*-{3,}\s*$|^\s*<snip", re.I)


def read_original(text):
    """The log as a list of KernelLine or str (a line kept as it is). In a log whose kernel lines
    carry a prefix, a line without one that follows a kernel line is the rest of it, wrapped by
    the poster's mail client or tracker: kept in .pieces, joined into .msg for the shapes that
    print the message again (what dmesg, syslog and journalctl print is not wrapped)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    prev_wall = None
    last = None
    for line in lines:
        if line.endswith("\r"):
            line = line[:-1]
        # a paste's non-breaking spaces in the padding of a stamp ("[\xa0 +0.007587]")
        k = classify(line.replace("\u00a0", " "), prev_wall)
        if k is None:
            if last is not None and not RE_EDITORIAL.match(line):
                last.pieces.append(line)
                sep = "" if last.msg.endswith(" ") or line.startswith(" ") else " "
                last.msg += sep + line
                continue
            last = None
            out.append(line)
            continue
        if k.wall is not None:
            prev_wall = k.wall
        k.raw = line
        k.pieces = []
        last = k
        out.append(k)
    kernel = [e for e in out if isinstance(e, KernelLine)]
    place_leading_relative(kernel)
    fill_times(kernel)
    # lines posted without their host are the host's that the other lines name
    host = next((k.host for k in kernel if k.host), None)
    for k in kernel:
        k.default_host = host or DEFAULT_HOST
    return out


def place_leading_relative(kernel):
    """dmesg -H lines before the first absolute stamp: their time is unknown; put the last of
    them one second before the first absolute stamp (or at BASE_WALL), the others before it as
    their relative stamps say, so that no gap is made up."""
    lead = [k for k in kernel if getattr(k, "rel", None) is not None]
    if not lead:
        return
    anchor = next((k.wall for k in kernel if k.wall is not None), None)
    total = sum(k.rel for k in lead)
    t = (anchor - datetime.timedelta(seconds=1 + total)) if anchor else BASE_WALL
    for k in lead:
        t += datetime.timedelta(seconds=k.rel)
        k.wall = t


def fill_times(kernel):
    """Gives every kernel line both clocks: the original's where it prints one, else derived
    from the other clock (one offset per boot), else the previous line's."""
    offset = None  # wall - mono, seconds
    for k in kernel:
        if k.mono is not None and k.wall is not None:
            offset = (k.wall - BASE_WALL).total_seconds() - k.mono
            break
    # lines before the first one that prints a time get that line's times
    first = next((i for i, k in enumerate(kernel) if k.mono is not None or k.wall is not None), 0)
    prev = None
    for k in kernel[first:] + kernel[:first]:
        if k is kernel[0] and first > 0:
            prev = None
        if k.mono is not None and prev is not None and k.mono + 1 < prev.mono and k.wall is None:
            # the monotonic clock went back: a new boot, a minute after the last line
            offset = (prev.wall - BASE_WALL).total_seconds() + 60 - k.mono
        if offset is None:
            if k.mono is not None:
                offset = -k.mono
            elif k.wall is not None:
                offset = (k.wall - BASE_WALL).total_seconds() - BASE_MONO
        if k.wall is None and k.mono is not None:
            k.wall = BASE_WALL + datetime.timedelta(seconds=offset + k.mono)
        elif k.mono is None and k.wall is not None:
            k.mono = max(0.0, (k.wall - BASE_WALL).total_seconds() - offset)
        elif k.wall is None and k.mono is None:
            src = prev or kernel[first]
            k.wall = src.wall if src.wall is not None else BASE_WALL
            k.mono = src.mono if src.mono is not None else BASE_MONO
        prev = k


# ---- shapes ---------------------------------------------------------------------------------


def mono_stamp(k):
    usec = int(round(k.mono * 1e6))
    return "[%5d.%06d]" % (usec // 1000000, usec % 1000000)


def syslog_date(k, pad="space"):
    day = "%2d" % k.wall.day if pad == "space" else "%02d" % k.wall.day
    return "%s %s %s" % (MONTHS[k.wall.month - 1], day, k.wall.strftime("%H:%M:%S"))


def rsyslog_msg(msg):
    # rsyslog's traditional template: "%syslogtag%%msg:::sp-if-no-1st-sp%"
    return msg if msg.startswith(" ") else " " + msg


def nbsp_lead(line):
    """A line as a web page shows it: a blank that is not a single one between two words is a
    non-breaking space (HTML would collapse it otherwise)."""
    return re.sub(r"(?<= ) | (?= )|^ ", "\u00a0", line)


def prefix_shape(render):
    def shape(entries):
        return [render(e) if isinstance(e, KernelLine) else e for e in entries]
    shape.needs_kernel_lines = True
    return shape


def host_of(k):
    return k.host or k.default_host


def journal_json(k, indent=None):
    usec = int(round((k.wall - datetime.datetime(1970, 1, 1)).total_seconds() * 1e6))
    obj = {"_TRANSPORT": "kernel", "__REALTIME_TIMESTAMP": str(usec),
           "__MONOTONIC_TIMESTAMP": str(int(round(k.mono * 1e6))), "_HOSTNAME": host_of(k),
           "SYSLOG_IDENTIFIER": "kernel", "MESSAGE": k.msg}
    return json.dumps(obj, indent=indent, separators=(",", " : ") if indent else None)


PREFIX_SHAPES = {
    "dmesg": prefix_shape(lambda k: "%s %s" % (mono_stamp(k), k.msg)),
    "syslog": prefix_shape(lambda k: "%s %s kernel:%s" % (syslog_date(k), host_of(k), rsyslog_msg(k.msg))),
    # klogd/imklog reading /proc/kmsg keeps the kernel's stamp in the message
    "syslog-stamp": prefix_shape(lambda k: "%s %s kernel: %s %s" % (syslog_date(k), host_of(k), mono_stamp(k), k.msg)),
    "syslog-emptyhost": prefix_shape(lambda k: "%s  kernel:%s" % (syslog_date(k), rsyslog_msg(k.msg))),
    "syslog-nohost": prefix_shape(lambda k: "%s kernel:%s" % (syslog_date(k), rsyslog_msg(k.msg))),
    "journal-short": prefix_shape(lambda k: "%s %s kernel: %s" % (syslog_date(k, "zero"), host_of(k), k.msg)),
    "journal-iso": prefix_shape(lambda k: "%s%s %s kernel: %s" % (k.wall.strftime("%Y-%m-%dT%H:%M:%S"), ZONE,
                                                                  host_of(k), k.msg)),
    "dmesg-T": prefix_shape(lambda k: "[%s %s %2d %s %d] %s" % (k.wall.strftime("%a"), MONTHS[k.wall.month - 1],
                                                                k.wall.day, k.wall.strftime("%H:%M:%S"),
                                                                k.wall.year, k.msg)),
    # copied from a web page: the padding in the stamp, the blank after it and the message's
    # own indent (a call trace's) come as U+00A0
    "dmesg-nbsp": prefix_shape(lambda k: nbsp_lead("%s %s" % (mono_stamp(k), k.msg))),
    "syslog-nbsp": prefix_shape(lambda k: nbsp_lead("%s %s kernel:%s" % (syslog_date(k), host_of(k),
                                                                           rsyslog_msg(k.msg)))),
    # rsyslog's RSYSLOG_FileFormat (high-precision ISO dates, the default of newer distributions)
    "rsyslog-iso": prefix_shape(lambda k: "%s.%06d+01:00 %s kernel:%s" % (
        k.wall.strftime("%Y-%m-%dT%H:%M:%S"), k.wall.microsecond, host_of(k), rsyslog_msg(k.msg))),
    "journal-monotonic": prefix_shape(lambda k: "%s %s kernel: %s" % (mono_stamp(k), host_of(k), k.msg)),
    "journal-full": prefix_shape(lambda k: "%s CET %s kernel: %s" % (k.wall.strftime("%a %Y-%m-%d %H:%M:%S"),
                                                                      host_of(k), k.msg)),
    "journal-precise": prefix_shape(lambda k: "%s.%06d %s kernel: %s" % (syslog_date(k, "zero"),
                                                                          k.wall.microsecond, host_of(k), k.msg)),
    # util-linux dmesg's other time formats: --time-format=iso (a comma before the microseconds),
    # -x -d (facility and level, the delta since the message before; the delta is made up, it
    # does not enter the comparison)
    "dmesg-iso": prefix_shape(lambda k: "%s,%06d+01:00 %s" % (k.wall.strftime("%Y-%m-%dT%H:%M:%S"),
                                                              k.wall.microsecond, k.msg)),
    "dmesg-x-delta": prefix_shape(lambda k: "kern  :err   : [%s <    0.000100>] %s" % (mono_stamp(k)[1:-1].strip(),
                                                                                     k.msg)),
    "journal-unix": prefix_shape(lambda k: "%.6f %s kernel: %s" % (
        (k.wall - datetime.datetime(1970, 1, 1)).total_seconds(), host_of(k), k.msg)),
    # BusyBox syslogd (facility.level between host and tag), OpenWrt logread (ctime with the year)
    "busybox": prefix_shape(lambda k: "%s %s kern.err kernel: %s %s" % (syslog_date(k), host_of(k), mono_stamp(k),
                                                                       k.msg)),
    "logread": prefix_shape(lambda k: "%s %s %2d %s %d kern.warn kernel: %s %s" % (
        k.wall.strftime("%a"), MONTHS[k.wall.month - 1], k.wall.day, k.wall.strftime("%H:%M:%S"), k.wall.year,
        mono_stamp(k), k.msg)),
    # grep -H over rotated files, grep -n, cat -n: what a search through /var/log puts in front
    "grep-H": prefix_shape(lambda k: "/var/log/kern.log.1:%s %s kernel:%s" % (syslog_date(k), host_of(k),
                                                                             rsyslog_msg(k.msg))),
    "grep-n": prefix_shape(lambda k: "%d:%s %s" % (4000 + int(k.mono or 0), mono_stamp(k), k.msg)),
    "cat-n": prefix_shape(lambda k: "%6d\t%s %s kernel:%s" % (100 + int(k.mono or 0), syslog_date(k), host_of(k),
                                                              rsyslog_msg(k.msg))),
    # journalctl -o json-seq (RS before each object) and json-pretty (an object over lines)
    "journal-json-seq": prefix_shape(lambda k: "\x1e" + journal_json(k)),
    "journal-json-pretty": prefix_shape(lambda k: journal_json(k, indent="\t")),
    "bare": prefix_shape(lambda k: k.msg),
}


def lines_of(entries):
    """The original's lines as they were posted."""
    out = []
    for e in entries:
        if isinstance(e, KernelLine):
            out.append(e.raw)
            out.extend(e.pieces)
        else:
            out.append(e)
    return out


def wrap_line(line, width, flowed=False):
    """A mail client's wrap: break at the last blank at or before the column (dropping it, or
    keeping one at the end of the line with format=flowed), a longer word stays whole; never
    inside the line's leading blanks."""
    out = []
    while len(line) > width:
        lead = len(line) - len(line.lstrip(" "))
        cut = line.rfind(" ", lead, width + 1)
        if cut <= lead:
            cut = line.find(" ", width + 1)
            if cut < 0:
                break
        head = line[:cut].rstrip(" ")
        if not head.strip():
            break
        out.append(head + " " if flowed else head)
        line = line[cut:].lstrip(" ")
    out.append(line)
    return out


PROSE_BEFORE = [
    "Hi all,",
    "",
    "one of our machines had its filesystem go read-only last night while the nightly",
    "backup was running. Nothing was changed on it recently. Below is what the kernel",
    "printed around that time, in case someone can tell what happened:",
    "",
    "$ uname -a",
    "Linux myhost 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux",
    "",
]
PROSE_AFTER = [
    "",
    "After a reboot it mounted again, but I would like to know whether the disk is to",
    "blame before I put it back into service. Thanks in advance for any pointers.",
    "",
    "Regards,",
    "Jo",
]


def text_shape(transform):
    def shape(entries):
        return transform(entries)
    shape.needs_kernel_lines = False
    return shape


TEXT_SHAPES = {
    "quote": text_shape(lambda en: ["> " + l if l else ">" for l in lines_of(en)]),
    "quote2": text_shape(lambda en: [">> " + l if l else ">>" for l in lines_of(en)]),
    "indent": text_shape(lambda en: ["    " + l if l else l for l in lines_of(en)]),
    "indent1": text_shape(lambda en: [" " + l if l else l for l in lines_of(en)]),
    "indent-tab": text_shape(lambda en: ["\t" + l if l else l for l in lines_of(en)]),
    "trailing-blank": text_shape(lambda en: [l + " " for l in lines_of(en)]),
    "tabs": text_shape(lambda en: [l.expandtabs(8) for l in lines_of(en)]),
    "wrap72": text_shape(lambda en: [w for l in lines_of(en) for w in wrap_line(l, 72)]),
    "wrap80": text_shape(lambda en: [w for l in lines_of(en) for w in wrap_line(l, 80)]),
    "prose": text_shape(lambda en: PROSE_BEFORE + lines_of(en) + PROSE_AFTER),
    # a chat or tracker comment: no blank line between the prose and the log
    "prose-tight": text_shape(lambda en: ["Here is dmesg from when it happened:"] + lines_of(en) +
                              ["After that the filesystem stayed read-only until a reboot."]),
    # a mail client wrapping with format=flowed keeps the blank at each soft break
    "flowed72": text_shape(lambda en: [w for l in lines_of(en) for w in wrap_line(l, 72, flowed=True)]),
    # a reply quoting a mail that was wrapped
    "wrap72-quote": text_shape(lambda en: ["> " + w if w else ">" for l in lines_of(en) for w in wrap_line(l, 72)]),
}
# a shape of a shape: the syslog lines are the longest, the ones mail wraps most
COMPOSED = {
    "syslog-wrap72": (PREFIX_SHAPES["syslog"], lambda ls: [w for l in ls for w in wrap_line(l, 72)]),
    "syslog-wrap80": (PREFIX_SHAPES["syslog"], lambda ls: [w for l in ls for w in wrap_line(l, 80)]),
    "dmesg-wrap72": (PREFIX_SHAPES["dmesg"], lambda ls: [w for l in ls for w in wrap_line(l, 72)]),
    "dmesg-quote": (PREFIX_SHAPES["dmesg"], lambda ls: ["> " + l if l else ">" for l in ls]),
    "dmesg-T-wrap80": (PREFIX_SHAPES["dmesg-T"], lambda ls: [w for l in ls for w in wrap_line(l, 80)]),
    "journal-iso-wrap72": (PREFIX_SHAPES["journal-iso"], lambda ls: [w for l in ls for w in wrap_line(l, 72)]),
}
LINE_END_SHAPES = {"crlf": "\r\n"}


def all_shapes():
    names = list(PREFIX_SHAPES) + list(TEXT_SHAPES) + list(COMPOSED) + list(LINE_END_SHAPES)
    return names


def render(shape, entries):
    """The text of the log in the shape, or None when the shape does not apply."""
    has_kernel = any(isinstance(e, KernelLine) for e in entries)
    if shape in PREFIX_SHAPES:
        if not has_kernel:
            return None
        return "\n".join(PREFIX_SHAPES[shape](entries)) + "\n"
    if shape in TEXT_SHAPES:
        return "\n".join(TEXT_SHAPES[shape](entries)) + "\n"
    if shape in COMPOSED:
        first, then = COMPOSED[shape]
        if not has_kernel:
            return None
        return "\n".join(then(first(entries))) + "\n"
    if shape in LINE_END_SHAPES:
        end = LINE_END_SHAPES[shape]
        return end.join(lines_of(entries)) + end
    raise KeyError(shape)


# ---- running --------------------------------------------------------------------------------


def incidents(fsdoctor, data, path=None, timeout=60):
    """The set of (fs, device, rule id) of the incidents, or a one-element set naming the
    failure (exit 2: nothing recognised)."""
    args = [fsdoctor, "analyze", "--quiet", "--format=json", path or "-"]
    p = subprocess.run(args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if p.returncode not in (0, 1):
        first = p.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        return frozenset({("error", "exit %d" % p.returncode, first[0] if first else "")})
    out = set()
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        o = json.loads(line)
        if o.get("type") != "incident":
            continue
        diag = o.get("diagnosis") or {}
        out.add((o.get("fs") or "?", o.get("device") or "?", diag.get("rule_id") or "unrecognized"))
    return frozenset(out)


def fmt(key):
    return "%s/%s:%s" % key


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fsdoctor", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--case", action="append", help="only cases whose name starts with this (repeatable)")
    ap.add_argument("--shape", action="append", help="only these shapes (repeatable)")
    ap.add_argument("--dump", metavar="DIR", help="write every rendered log to DIR/CASE.SHAPE.log")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args()

    if not os.path.isdir(args.corpus):
        print("corpus %s absent: skipped" % args.corpus)
        return 77
    cases = sorted(d for d in os.listdir(args.corpus) if os.path.isfile(os.path.join(args.corpus, d, "input.log")))
    if args.case:
        cases = [c for c in cases if any(c.startswith(p) for p in args.case)]
    shapes = args.shape or all_shapes()
    if not cases:
        print("no case in %s" % args.corpus)
        return 77

    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for case in cases:
            path = os.path.join(args.corpus, case, "input.log")
            with open(path, "rb") as f:
                raw = f.read()
            jobs[(case, "original")] = pool.submit(incidents, args.fsdoctor, None, path)
            entries = read_original(raw.decode("utf-8", "surrogateescape"))
            for shape in shapes:
                text = render(shape, entries)
                if text is None:
                    continue
                data = text.encode("utf-8", "surrogateescape")
                if args.dump:
                    os.makedirs(args.dump, exist_ok=True)
                    with open(os.path.join(args.dump, "%s.%s.log" % (case[:3], shape)), "wb") as f:
                        f.write(data)
                jobs[(case, shape)] = pool.submit(incidents, args.fsdoctor, data)
        results = {k: f.result() for k, f in jobs.items()}

    failed = []
    stale = []
    width = max(len(s) for s in shapes)
    print("case  " + " ".join("%2d" % (i + 1) for i in range(len(shapes))) + "   incidents of the original")
    counts = {"same": 0, "mismatch": 0, "known": 0}
    details = []
    for case in cases:
        want = results[(case, "original")]
        cells = []
        for shape in shapes:
            got = results.get((case, shape))
            known = KNOWN_FAILURES.get((case[:3], shape))
            if got is None:
                cells.append(" -")
            elif got == want:
                cells.append(" .")
                counts["same"] += 1
                if known:
                    stale.append((case, shape))
            else:
                lost = sorted(want - got)
                extra = sorted(got - want)
                details.append("%s %-*s lost %s; extra %s%s" % (
                    case[:3], width, shape, ", ".join(map(fmt, lost)) or "-", ", ".join(map(fmt, extra)) or "-",
                    "  (known: %s)" % known if known else ""))
                if known:
                    cells.append(" k")
                    counts["known"] += 1
                else:
                    cells.append(" X")
                    counts["mismatch"] += 1
                    failed.append((case, shape))
        print("%-5s %s   %s" % (case[:3], " ".join(c[1:].rjust(2) for c in cells),
                                ", ".join(map(fmt, sorted(want))) or "(none)"))
    print()
    for i, s in enumerate(shapes):
        print("%2d %s" % (i + 1, s))
    print()
    for d in details:
        print(d)
    for case, shape in stale:
        print("%s %s: listed as a known failure but now gives the same incidents: remove it from KNOWN_FAILURES"
              % (case[:3], shape))
    print()
    print("shapes: %d same, %d mismatch, %d known failure (%d cases x %d shapes)"
          % (counts["same"], counts["mismatch"], counts["known"], len(cases), len(shapes)))
    print("%d passed, %d failed" % (counts["same"] + counts["known"], counts["mismatch"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
