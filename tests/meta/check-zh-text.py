#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Chinese output as a Chinese-reading SRE sees it: render every golden case with --lang=zh and
flag English words left in the text. What may stay Latin: log lines quoted from the input,
commands, paths and identifiers (anything with a digit, '_', '/', '.', '-', ':' ...), acronyms
(ENOSPC, RAID1, CPU), product and kernel names, and the words in ALLOW below, which Chinese
engineers write in Latin letters too. Words that come from knowledge-base rule texts, which this
project keeps in rules/ (owned apart from the program), are listed in zh-latin-known.txt with
their source: the test fails on any other word, so new English in a Chinese screen is caught.

Usage: check-zh-text.py FSDOCTOR CASES_DIR [KNOWN_FILE] [--list]"""
import os
import re
import shlex
import subprocess
import sys

REFERENCE_TIME = '1767225600'

# Words written in Latin letters in Chinese technical text: filesystem, kernel and storage terms
# that have no settled translation, product names, units.
ALLOW = set('''
btrfs xfs ext ext2 ext3 ext4 jbd jbd2 inode inodes extent extents dentry bio iomap
kernel oops panic lockdep kasan ubsan kdump vmcore
dm thin loop raid mdadm lvm multipath iscsi nvme scsi sata sas ata usb virtio ebs
balance scrub qgroup qgroups subvolume subvolumes snapshot snapshots chunk chunks
evict truncate fsync sync commit cow
linux debian ubuntu fedora centos rhel kylin gentoo arch suse docker kubernetes
github bugzilla lore patchwork commit stable mainline upstream backport
dmesg syslog journalctl kmsg errno transid bytenr debuginfo
dput fput
xfsprogs smartmontools btrfsmaintenance containerd smartd
corruption shutdown

tag pid uid tid ioctl sysfs procfs debugfs
'''.split())

# (kernel function names without '_' (dput, fput); packages and daemons; event kind names
# that the confidence reasons list as identifiers.)

# Commands that may appear inline in Chinese sentences: a command word starts a command span
# that runs to the next Chinese character.
COMMANDS = set('''
btrfs xfs_repair xfs_io xfs_db xfs_info xfs_growfs mkfs fsck e2fsck tune2fs dumpe2fs debugfs
lvextend lvs lvcreate lvresize vgs pvs dmsetup multipath multipathd iscsiadm nvme smartctl lsblk
losetup fstrim mount umount dmesg journalctl grep cat echo sudo modprobe blockdev hdparm sg_sense
sg_inq badblocks ddrescue fallocate lsscsi memtest86 memtester mcelog ras-mc-ctl edac-util rasdaemon uname rpm
dpkg apt dnf yum fsdoctor systemctl sysctl sync df du findmnt stat ls rm cp mv dd
'''.split())

CJK = re.compile(r'[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]')
QUOTED = re.compile(r'“[^”]*”|"[^"]*"|\'[^\']*\'|「[^」]*」|`[^`]*`|‘[^’]*’')
WORD = re.compile(r'[A-Za-z][A-Za-z0-9_.\-/:+=#@*]*')


def run_case(fsdoctor, case):
    inputs = sorted(f for f in os.listdir(case) if f.startswith('input'))
    if not inputs:
        return None, None
    argfile = os.path.join(case, 'args')
    line = open(argfile).read().strip() if os.path.exists(argfile) else 'analyze {input}'
    words = shlex.split(line)
    stdin = subprocess.DEVNULL
    if len(words) >= 2 and words[-2] == '<':
        stdin = open(os.path.join(case, words[-1].replace('{input}', inputs[0])), 'rb')
        words = words[:-2]
    words = [w.replace('{input}', inputs[0]) for w in words
             if not w.startswith('--format') and not w.startswith('--lang') and w != '--quiet']
    env = dict(os.environ, LC_ALL='C.UTF-8', TZ='UTC', FSDOCTOR_REFERENCE_TIME=REFERENCE_TIME)
    env.pop('LANGUAGE', None)
    p = subprocess.run([fsdoctor] + words + ['--lang=zh', '--color=never', '--quiet'], cwd=case, stdin=stdin,
                       capture_output=True, env=env, timeout=120)
    return p.stdout.decode('utf-8', 'replace') + p.stderr.decode('utf-8', 'replace'), read_log(case, inputs[0])


def read_log(case, name):
    """The input as one string without blanks or quoting: a quoted line, joined from wrapped
    pieces or not, is then a substring of it."""
    path = os.path.join(case, name)
    try:
        if name.endswith('.xz'):
            import lzma
            raw = lzma.open(path).read()
        elif name.endswith('.gz'):
            import gzip
            raw = gzip.open(path).read()
        elif name.endswith('.zst'):
            raw = subprocess.run(['zstd', '-dc', path], capture_output=True).stdout
        else:
            raw = open(path, 'rb').read()
    except (OSError, ValueError):
        return ''
    return squeeze(raw.decode('utf-8', 'replace'))


def squeeze(text):
    return re.sub(r'[\s>\u00a0]+', '', text)


def is_log_quote(text, log):
    t = text.strip()
    if t.endswith('...'):
        t = t[:-3]
    t = squeeze(t)
    return len(t) >= 6 and t in log


# Report titles are kernel text ("WARNING in __btrfs_free_extent"), like syzkaller's.
REPORT_TITLE = re.compile(r'^(WARNING|BUG|KASAN|UBSAN|KFENCE|INFO|Oops|kernel BUG|general protection fault|'
                          r'Kernel panic|kernel panic|watchdog|rcu|unable to handle|divide error|invalid opcode)\b')
DEVICE = re.compile(r'^(sd|vd|xvd|hd|nvme|dm|md|loop|mmcblk|sr|nbd|rbd|zram|bcache)[a-z]*$')


def strip_commands(text):
    """Remove command spans: from a command word to the next Chinese character."""
    out, i = [], 0
    for m in re.finditer(r'(?<![A-Za-z0-9_./-])([a-z][a-z0-9_.-]*)', text):
        if m.start() < i:
            continue
        if m.group(1) in COMMANDS:
            out.append(text[i:m.start()])
            cjk = CJK.search(text, m.end())
            i = cjk.start() if cjk else len(text)
    out.append(text[i:])
    return ''.join(out)


# An English gloss after a Chinese term, "延迟引用（delayed refs）", is how Chinese technical text
# names the original term; so are command options and what follows them ("-o ro,usebackuproot").
GLOSS = re.compile(r'（[A-Za-z][A-Za-z \-]*）')
OPTION = re.compile(r'(?<![A-Za-z0-9])--?[A-Za-z][^\u3000-\u9fff\uff00-\uffef]*')


def latin_words(line):
    line = QUOTED.sub(' ', line)
    line = GLOSS.sub(' ', line)
    line = strip_commands(line)
    line = OPTION.sub(' ', line)
    found = []
    for m in WORD.finditer(line):
        w = m.group(0).rstrip('.:,;')
        if not w or re.search(r'[^A-Za-z]', w):
            continue           # identifiers, paths, versions, hex
        if w.isupper() or re.search(r'[a-z][A-Z]', w):
            continue           # acronyms, CamelCase names
        if w.lower() in ALLOW or w.lower() in COMMANDS or len(w) < 2 or DEVICE.match(w):
            continue
        found.append(w)
    return found


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    listing = '--list' in sys.argv
    fsdoctor, cases = os.path.abspath(args[0]), args[1]
    known_file = args[2] if len(args) > 2 else os.path.join(os.path.dirname(__file__), 'zh-latin-known.txt')
    known = {}
    if os.path.exists(known_file):
        for l in open(known_file, encoding='utf-8'):
            l = l.split('#', 1)[0].strip()
            if l:
                word, _, source = l.partition(' ')
                known[word] = source.strip()
    failed, seen = 0, {}
    for name in sorted(os.listdir(cases)):
        case = os.path.join(cases, name)
        if not os.path.isdir(case):
            continue
        out, log = run_case(fsdoctor, case)
        if out is None:
            continue
        # the host names the output's host fields give are names from the log, not English
        hosts = set(re.findall(r'^ +主机 +([^\s（]+)', out, re.M))
        # so are the process names (comm) of the process and task fields
        hosts |= set(re.findall(r'^ +进程 +([^\s（]+)', out, re.M))
        hosts |= set(re.findall(r'^ +任务 +.*（([^\s）]+)）', out, re.M))
        for line in out.splitlines():
            if not line.strip() or is_log_quote(line, log) or REPORT_TITLE.match(line.strip()):
                continue
            # a disassembled Code: line: location, bytes and instruction are machine text; only
            # the note after them is prose
            insn = re.match(r'^ {4}(?:>>| {2}) (\S+\+0x[0-9a-f]+|[+-]\d+) +((?:[0-9a-f]{2} ?)+) +', line)
            if insn:
                parts = re.split(r' {2,}', line[insn.end():].strip(), maxsplit=1)
                line = parts[1] if len(parts) > 1 else ''
                if not line:
                    continue
            # an upstream fix: "    <commit id or （无提交号）>  subsys: subject": the commit's
            # subject is its title as upstream wrote it, an identifier like the id beside it
            if re.match(r'^ {4}(?:[0-9a-f]{7,40}|（无提交号）) {2}[a-z0-9_/-]+: \S', line):
                continue
            # a header field: "  label       value", the value quoted from the log
            field = re.match(r'^  \S+ {2,}(.*)$', line)
            if field and is_log_quote(field.group(1), log):
                continue
            for w in latin_words(line):
                if w in hosts:
                    continue
                seen.setdefault(w, (name, line.strip()))
                if w not in known:
                    failed += 1
                    print(f"FAIL {name}: English word '{w}' in Chinese output: {line.strip()[:160]}")
    if listing:
        for w, (name, line) in sorted(seen.items()):
            print(f"{w}\t{name}\t{line[:140]}")
    stale = sorted(set(known) - set(seen))
    for w in stale:
        print(f"note: '{w}' in {os.path.basename(known_file)} no longer appears: remove it")
    if not failed:
        print(f"ok: Chinese output of every case has no English words outside the allowed forms "
              f"({len(known)} known, from rule texts)")
    return 1 if failed else 0


sys.exit(main())
