#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""fsdoctor analyze --source against Debian's linux-source-6.1 tarball.

Only the top Makefile, fs/btrfs, fs/ext4 and one header are extracted from
/usr/src/linux-source-6.1.tar.xz (package linux-source-6.1), once, into the build directory.
Where a line must land is worked out here from the extracted source by a plain scan (a function
starts at column 0 with its name and ends at the next line "}"), independently of the indexers
fsdoctor runs. Checked:
  - the seed (4.19) trace gives the candidate paths __btrfs_run_delayed_refs -> ... ->
    run_delayed_tree_ref / run_delayed_data_ref -> __btrfs_free_extent, the hidden steps marked
    source-candidate, and the 4.19 lines are reported as not this tree (release "other");
  - a 6.1 WARNING and "BTRFS: error ... in __btrfs_free_extent:LINE" written from the 6.1 print
    site land inside __btrfs_free_extent, an ext4 "ext4_lookup:LINE" inside ext4_lookup;
  - an ext4_lookup line outside ext4_lookup is reported as outside, naming the function it is in;
  - a second run reuses the cached index (no new cache entry, same output);
  - hostile trees: not a tree, missing directory, a symlink loop, a symlink out of the tree, a
    huge one-line file, a missing file, and ctags/cscope missing from PATH: clear errors, no crash.
Exit 77 when the tarball, ctags or cscope is missing.
"""
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TARBALL = '/usr/src/linux-source-6.1.tar.xz'
TOP = 'linux-source-6.1'

fsdoctor, seed, workdir = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures.append(what)


def skip(why):
    print('SKIP: ' + why)
    sys.exit(77)


if not os.path.exists(TARBALL):
    skip(TARBALL + ' is absent (Debian package linux-source-6.1)')
for tool in ('ctags', 'cscope', 'tar', 'xz'):
    if not shutil.which(tool):
        skip(tool + ' is not installed')


def extract():
    """The directories the tests read, once per build directory (about 15 s of xz)."""
    dest = os.path.join(workdir, 'linux-6.1-extract')
    tree = os.path.join(dest, TOP)
    stamp = os.path.join(dest, '.complete')
    if os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(TARBALL):
        return tree
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    subprocess.run(['tar', '-xJf', TARBALL, '-C', dest, '--wildcards', TOP + '/Makefile', TOP + '/fs/btrfs/*',
                    TOP + '/fs/ext4/*', TOP + '/include/linux/kernel.h'], check=True)
    open(stamp, 'w').close()
    return tree


def function_range(path, name):
    """First and last line of a function as kernel style writes it: the name at column 0 after its
    type, "{" alone on a line after the parameters (a prototype ends in ";" first), the closing
    brace alone at column 0."""
    start, body = None, False
    with open(path, encoding='utf-8', errors='replace') as f:
        for no, line in enumerate(f, 1):
            if start is None:
                if re.match(r'^[a-z].*\b' + re.escape(name) + r'\(', line):
                    start = no
                    if line.rstrip().endswith(';'):
                        start = None
            elif not body:
                if line.rstrip() == '{':
                    body = True
                elif line.rstrip().endswith(';'):
                    start = None
            elif line.startswith('}'):
                return start, no
    raise SystemExit('cannot find %s in %s' % (name, path))


def first_line_in(path, lo, hi, needle):
    with open(path, encoding='utf-8', errors='replace') as f:
        for no, line in enumerate(f, 1):
            if lo <= no <= hi and needle in line:
                return no
    raise SystemExit('no %r in %s:%d-%d' % (needle, path, lo, hi))


def analyze(args, log_text=None, log_file=None, env_extra=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    env['FSDOCTOR_REFERENCE_TIME'] = '1767225600'
    if log_text is not None:
        log_file = os.path.join(tmp, 'input.log')
        with open(log_file, 'w') as f:
            f.write(log_text)
    p = subprocess.run([fsdoctor, 'analyze', '--quiet'] + args + [log_file], capture_output=True, text=True,
                       env=env, timeout=300)
    if p.returncode < 0 or p.returncode > 2:
        failures.append('fsdoctor crashed or exited %d on %s' % (p.returncode, args))
    return p


def objects(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def sources(objs):
    return [o['source'] for o in objs if 'source' in o]


tree = extract()
tmp = tempfile.mkdtemp(prefix='fsdoctor-source-')
atexit.register(shutil.rmtree, tmp, True)
cache = os.path.join(tmp, 'cache')
env = {'XDG_CACHE_HOME': cache}
try:
    # ---- the seed (4.19) against 6.1 ----
    p = analyze(['--format=json', '--source=' + tree], log_file=seed, env_extra=env)
    check(p.returncode == 1, 'seed: exit 1 (found), stderr: ' + p.stderr.strip()[:300])
    objs = objects(p.stdout)
    srcs = sources(objs)
    check(len(srcs) >= 2, 'seed: a "source" member on the report and on the incident')
    rep = next((o for o in objs if o.get('type') == 'report' or 'frames' in o), None)
    rs = rep.get('source', {}) if rep else {}
    check(rs.get('release_match') == 'other' and rs.get('tree_release', '').startswith('6.1.'),
          'seed: tree 6.1 vs log 4.19 is "other" (%s, %s)' % (rs.get('tree_release'), rs.get('release_match')))
    pair = [c for c in rs.get('candidate_paths', [])
            if c['caller'] == '__btrfs_run_delayed_refs' and c['callee'] == '__btrfs_free_extent']
    check(len(pair) == 1, 'seed: candidates between __btrfs_run_delayed_refs and __btrfs_free_extent')
    paths = pair[0]['paths'] if pair else []
    names = [[s['function'] for s in path] for path in paths]
    for leaf in ('run_delayed_tree_ref', 'run_delayed_data_ref'):
        check(any(leaf in n and 'run_one_delayed_ref' in n and n.index('run_one_delayed_ref') < n.index(leaf)
                  for n in names), 'seed: a path through run_one_delayed_ref -> %s (%s)' % (leaf, names))
    check(all(s['source'] == ('trace' if i in (0, len(path) - 1) else 'source-candidate')
              for path in paths for i, s in enumerate(path)) and paths,
          'seed: frames marked trace, hidden steps source-candidate')
    check(all(n[0] == '__btrfs_run_delayed_refs' and n[-1] == '__btrfs_free_extent' for n in names),
          'seed: every path runs from the caller frame to the callee frame')
    # each step's call line is inside that step's function in the tree
    ext = os.path.join(tree, 'fs/btrfs/extent-tree.c')
    ok = True
    for path in paths:
        for s in path[:-1]:
            lo, hi = function_range(os.path.join(tree, s['file']), s['function'])
            ok &= lo <= s['call_line'] <= hi
    check(ok and paths, 'seed: every call line lies inside its calling function')
    site = [e for e in rs.get('excerpts', []) if e['why'] == 'report-site']
    check(site and site[0]['line'] == 6805 and site[0]['check'] in ('no-such-line', 'outside'),
          'seed: the 4.19 WARNING line 6805 is not a line of 6.1\'s __btrfs_free_extent (%s)'
          % (site[0]['check'] if site else None))
    inc = next((o for o in objs if 'source' in o and o is not rep), {})
    # the incident's merged code path carries the candidates, one chain per path
    cp = (inc.get('diagnosis') or {}).get('code_path', [])
    cands = [s for s in cp if s.get('source') == 'source-candidate']
    chains = {}
    for s in cands:
        chains.setdefault(s.get('alternative'), []).append(s['function'])
    check(any(c[-2:] == ['run_one_delayed_ref', 'run_delayed_tree_ref'] for c in chains.values()) and
          any(c[-2:] == ['run_one_delayed_ref', 'run_delayed_data_ref'] for c in chains.values()),
          'seed: the code path holds both chains as source-candidate steps (%s)' % chains)
    names_cp = [s['function'] for s in cp]
    check('__btrfs_run_delayed_refs' in names_cp and cands and
          names_cp.index('__btrfs_run_delayed_refs') < names_cp.index(cands[0]['function']) <
          names_cp.index('__btrfs_free_extent'),
          'seed: the candidates sit between __btrfs_run_delayed_refs and __btrfs_free_extent')
    ex = {e['line']: e for e in inc.get('source', {}).get('excerpts', [])}
    check(2935 in ex and ex[2935]['check'] in ('outside', 'no-such-function'),
          'seed: "in btrfs_run_delayed_refs:2935" is reported as not inside it in 6.1 (%s)'
          % (ex.get(2935, {}).get('check')))

    # ---- a 6.1 log written from the 6.1 print sites ----
    lo, hi = function_range(ext, '__btrfs_free_extent')
    abort = first_line_in(ext, lo, hi, 'btrfs_abort_transaction(')
    namei = os.path.join(tree, 'fs/ext4/namei.c')
    elo, ehi = function_range(namei, 'ext4_lookup')
    bad_ino = first_line_in(namei, elo, ehi, 'EXT4_ERROR_INODE(')
    outside = elo - 3
    log = f'''[  100.000000] ------------[ cut here ]------------
[  100.000001] BTRFS: Transaction aborted (error -28)
[  100.000002] WARNING: CPU: 1 PID: 1234 at fs/btrfs/extent-tree.c:{abort} __btrfs_free_extent+0x5d0/0xa50 [btrfs]
[  100.000003] Modules linked in: btrfs xor raid6_pq
[  100.000004] CPU: 1 PID: 1234 Comm: btrfs-transacti Not tainted 6.1.0-13-amd64 #1  Debian 6.1.55-1
[  100.000005] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
[  100.000006] RIP: 0010:__btrfs_free_extent+0x5d0/0xa50 [btrfs]
[  100.000007] Call Trace:
[  100.000008]  <TASK>
[  100.000009]  __btrfs_run_delayed_refs+0x2d5/0x1180 [btrfs]
[  100.000010]  btrfs_run_delayed_refs+0x6e/0x1c0 [btrfs]
[  100.000011]  btrfs_commit_transaction+0x6c/0xc20 [btrfs]
[  100.000012]  transaction_kthread+0x154/0x1c0 [btrfs]
[  100.000013]  kthread+0xd7/0x100
[  100.000014]  ret_from_fork+0x22/0x30
[  100.000015]  </TASK>
[  100.000016] ---[ end trace 0000000000000000 ]---
[  100.000017] BTRFS: error (device loop0: state A) in __btrfs_free_extent:{abort}: errno=-28 No space left
[  100.000018] BTRFS info (device loop0: state EA): forced readonly
[  200.000000] EXT4-fs error (device sdb1): ext4_lookup:{bad_ino}: inode #2: comm ls: bad inode number: 12345
[  200.000001] EXT4-fs error (device sdb1): ext4_lookup:{outside}: inode #2: comm ls: bad inode number: 12346
[  200.000002] EXT4-fs (sdb1): Remounting filesystem read-only
'''
    p = analyze(['--format=json', '--source=' + tree], log_text=log, env_extra=env)
    objs = objects(p.stdout)
    allex = [e for s in sources(objs) for e in s['excerpts']]
    site = [e for e in allex if e['why'] == 'report-site']
    check(site and site[0]['check'] == 'inside' and site[0]['enclosing']['function'] == '__btrfs_free_extent'
          and site[0]['enclosing']['start'] == lo and site[0]['enclosing']['end'] == hi,
          '6.1: WARNING at extent-tree.c:%d is inside __btrfs_free_extent %d-%d' % (abort, lo, hi))
    check(site and 'btrfs_abort_transaction(' in site[0]['text'][site[0]['line'] - site[0]['first_line']],
          '6.1: the excerpt marks the abort line itself')
    msg = [e for e in allex if e['why'] == 'error-message' and e['function'] == '__btrfs_free_extent']
    check(msg and msg[0]['check'] == 'inside' and msg[0]['line'] == abort,
          '6.1: "in __btrfs_free_extent:%d" lands inside it' % abort)
    e4 = {e['line']: e for e in allex if e.get('function') == 'ext4_lookup'}
    check(bad_ino in e4 and e4[bad_ino]['check'] == 'inside' and e4[bad_ino]['file'] == 'fs/ext4/namei.c',
          '6.1: ext4_lookup:%d is inside ext4_lookup in fs/ext4/namei.c' % bad_ino)
    check(outside in e4 and e4[outside]['check'] == 'outside' and
          e4[outside].get('enclosing', {}).get('function') != 'ext4_lookup',
          '6.1: ext4_lookup:%d (before the function) is reported outside it, in %s'
          % (outside, e4.get(outside, {}).get('enclosing')))
    rs = next((s for s in sources(objs) if s['candidate_paths']), {})
    check(rs.get('release_match') == 'same', '6.1: 6.1.0-13-amd64 matches the 6.1 tree (%s)' % rs.get('release_match'))
    cands = {(c['caller'], c['callee']): c for c in rs.get('candidate_paths', [])}
    c = cands.get(('btrfs_run_delayed_refs', '__btrfs_run_delayed_refs'))
    check(c and c['direct'], '6.1: btrfs_run_delayed_refs calls __btrfs_run_delayed_refs directly')
    # text and Chinese renderings carry the same verdicts
    p = analyze(['--source=' + tree, '--color=never'], log_text=log, env_extra=env)
    check('NOT inside ext4_lookup' in p.stdout and 'run_delayed_tree_ref' in p.stdout,
          'text: the mismatch and the candidate paths are printed')
    p = analyze(['--lang=zh', '--source=' + tree, '--color=never'], log_text=log, env_extra=env)
    check('不在 ext4_lookup 之内' in p.stdout and '候选路径' in p.stdout, 'zh: the same in Chinese')

    p = analyze(['--format=html', '--source=' + tree], log_text=log, env_extra=env)
    check(p.returncode == 1 and 'class="trace candidate-paths"' in p.stdout and
          '>run_delayed_tree_ref</span>' in p.stdout and 'class="trace source-excerpt"' in p.stdout,
          'html: the excerpts and the candidate paths are on the page')

    # ---- the cache: a second run builds nothing ----
    base = os.path.join(cache, 'fsdoctor', 'srctree')
    before = sorted(os.listdir(base))
    p1 = analyze(['--format=json', '--source=' + tree], log_text=log, env_extra=env)
    check(sorted(os.listdir(base)) == before and len(before) == 2,
          'cache: one index per directory (fs/btrfs, fs/ext4), reused (%s)' % before)
    p2 = analyze(['--format=json', '--source=' + tree], log_text=log, env_extra=env)
    check(p2.stdout == p1.stdout and p1.stdout, 'cache: the cached index gives the same answer')
finally:
    pass

# ---- hostile trees ----
fake = os.path.join(tmp, 'fake')
os.makedirs(os.path.join(fake, 'fs', 'btrfs'))
os.makedirs(os.path.join(fake, 'include'))
with open(os.path.join(fake, 'Makefile'), 'w') as f:
    f.write('VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\n')
with open(os.path.join(fake, 'fs', 'btrfs', 'Makefile'), 'w') as f:
    f.write('obj-y := extent-tree.o\n')
with open(os.path.join(fake, 'fs', 'btrfs', 'extent-tree.c'), 'w') as f:
    f.write('static int helper(int x)\n{\n\treturn x;\n}\n\nint __btrfs_free_extent(int x)\n{\n'
            '\tif (x)\n\t\treturn helper(x);\n\treturn 0;\n}\n')
with open(os.path.join(fake, 'fs', 'btrfs', 'huge.c'), 'w') as f:
    f.write('int huge(void) { return 0; } /* ' + 'x' * (8 << 20) + ' */\n')
os.symlink('.', os.path.join(fake, 'fs', 'btrfs', 'loop'))
os.makedirs(os.path.join(tmp, 'outside'))
with open(os.path.join(tmp, 'outside', 'secret.c'), 'w') as f:
    f.write('int secret;\n')
os.symlink(os.path.join(tmp, 'outside'), os.path.join(fake, 'fs', 'btrfs', 'escape'))


def warning_at(site, func='__btrfs_free_extent'):
    return f'''[  100.000002] WARNING: CPU: 1 PID: 1234 at {site} {func}+0x5d0/0xa50 [btrfs]
[  100.000003] Modules linked in: btrfs
[  100.000004] CPU: 1 PID: 1234 Comm: t Not tainted 6.1.0-13-amd64 #1
[  100.000006] RIP: 0010:{func}+0x5d0/0xa50 [btrfs]
[  100.000007] Call Trace:
[  100.000009]  __btrfs_run_delayed_refs+0x2d5/0x1180 [btrfs]
[  100.000010]  btrfs_run_delayed_refs+0x6e/0x1c0 [btrfs]
[  100.000016] ---[ end trace 0000000000000000 ]---
'''


p = analyze(['--source=' + tmp], log_text=warning_at('fs/btrfs/extent-tree.c:9'), env_extra=env)
check(p.returncode == 2 and 'not a kernel source tree' in p.stderr, 'hostile: a directory that is not a tree: '
      + p.stderr.strip()[:200])
p = analyze(['--source=' + os.path.join(tmp, 'nonexistent')], log_text=warning_at('fs/btrfs/extent-tree.c:9'),
            env_extra=env)
check(p.returncode == 2 and 'nonexistent' in p.stderr, 'hostile: a missing directory: ' + p.stderr.strip()[:200])
for site, want in (('fs/btrfs/extent-tree.c:9', 'inside'), ('fs/btrfs/extent-tree.c:3', 'in-inlined-callee'),
                   ('fs/btrfs/nosuch.c:10', 'no-such-line'), ('fs/btrfs/loop/loop/extent-tree.c:9', 'inside'),
                   ('fs/btrfs/escape/secret.c:1', 'no-such-line'), ('fs/btrfs/huge.c:1', 'unchecked'),
                   ('fs/btrfs/extent-tree.c:99999999', 'no-such-line')):
    p = analyze(['--format=json', '--source=' + fake], log_text=warning_at(site), env_extra=env)
    s = sources(objects(p.stdout))
    got = s[0]['excerpts'][0] if s and s[0]['excerpts'] else {}
    check(p.returncode == 1 and got.get('check') == want,
          'hostile: %s gives %s (%s; %s)' % (site, want, got.get('check'), p.stderr.strip()[:200]))
    if site.startswith('fs/btrfs/huge.c'):
        check(len(got['text'][0]) <= 400, 'hostile: a huge line is cut for display')
    if 'escape' in site:
        check(not got.get('text'), 'hostile: nothing outside the tree is shown')
# a cold cache and no indexer in PATH: the excerpt is still shown, the check says why it is missing
p = analyze(['--format=json', '--source=' + fake], log_text=warning_at('fs/btrfs/extent-tree.c:9'),
            env_extra={'XDG_CACHE_HOME': os.path.join(tmp, 'cold'), 'PATH': '/nonexistent'})
s = sources(objects(p.stdout))
check(p.returncode == 1 and s and s[0]['excerpts'][0]['check'] == 'unchecked' and
      any('ctags is not installed' in x for x in s[0].get('problems', [])),
      'hostile: ctags missing is named in problems (%s)' % (s[0].get('problems') if s else p.stderr))
# a changed file is a new cache key
base = os.path.join(tmp, 'cache', 'fsdoctor', 'srctree')
before = set(os.listdir(base))
os.utime(os.path.join(fake, 'fs', 'btrfs', 'extent-tree.c'), (1, 1))
analyze(['--format=json', '--source=' + fake], log_text=warning_at('fs/btrfs/extent-tree.c:9'), env_extra=env)
check(len(set(os.listdir(base)) - before) == 1, 'cache: a file whose mtime changed makes a new index')

shutil.rmtree(tmp, ignore_errors=True)
if failures:
    print('%d failures' % len(failures))
    sys.exit(1)
print('all passed')
