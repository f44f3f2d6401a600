# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks shared by the HTML page tests: make the pages, read them as a parser does, and compare
what they hold with what `--format=json` says about the same input."""
import base64
import hashlib
import html.parser
import json
import os
import subprocess
import sys

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)
    return cond


def finish(name):
    if FAILURES:
        print(f"{name}: {len(FAILURES)} checks failed", file=sys.stderr)
        sys.exit(1)
    print(f"{name}: all checks passed")
    sys.exit(0)


def run(fsdoctor, args, out_path=None):
    """fsdoctor ARGS; stdout to out_path (or returned). Exit 0 and 1 are results, 2 an error."""
    p = subprocess.run([fsdoctor] + args, capture_output=True)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"fsdoctor {' '.join(args)}: exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    if out_path:
        with open(out_path, 'wb') as f:
            f.write(p.stdout)
    return p.stdout


def json_lines(data):
    return [json.loads(line) for line in data.decode().splitlines() if line.strip()]


class Page(html.parser.HTMLParser):
    """The parts of a page the checks need: every start tag with its attributes, the style
    element's text, the text content, the CSP."""

    def __init__(self, data):
        super().__init__(convert_charrefs=True)
        self.tags = []           # (tag, attrs dict)
        self.text = []
        self.styles = []
        self._in_style = False
        self.feed(data)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == 'style'
        if tag == 'style':
            self.styles.append('')

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == 'style':
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles[-1] += data
        else:
            self.text.append(data)

    def all(self, tag=None, cls=None):
        out = []
        for t, a in self.tags:
            if tag and t != tag:
                continue
            if cls and cls not in (a.get('class') or '').split():
                continue
            out.append(a)
        return out

    def content(self):
        return ''.join(self.text)


def check_page_safety(page, raw, name):
    """What every page must be: one style sheet allowed by hash, no script, no handler, no style
    attribute, no link out of the page, unique ids, every in-page link resolving."""
    check(raw.startswith(b'<!DOCTYPE html>'), f"{name}: starts with the doctype")
    try:
        raw.decode('utf-8')
    except UnicodeDecodeError as e:
        check(False, f"{name}: not valid UTF-8: {e}")
    metas = page.all('meta')
    csp = [m.get('content', '') for m in metas if (m.get('http-equiv') or '').lower() == 'content-security-policy']
    check(len(csp) == 1, f"{name}: one Content-Security-Policy meta element")
    check(len(page.styles) == 1, f"{name}: exactly one style element (found {len(page.styles)})")
    if csp and page.styles:
        digest = base64.b64encode(hashlib.sha256(page.styles[0].encode()).digest()).decode()
        check(f"style-src 'sha256-{digest}'" in csp[0], f"{name}: the CSP allows the style sheet by its hash")
        check("default-src 'none'" in csp[0], f"{name}: the CSP denies everything by default")
        check('script-src' not in csp[0] and 'unsafe' not in csp[0], f"{name}: the CSP allows no script")
    check(not page.all('script'), f"{name}: no script element")
    for bad in ('img', 'iframe', 'object', 'embed', 'link', 'base', 'form', 'input', 'meta http-equiv=refresh'):
        check(not page.all(bad), f"{name}: no {bad} element")
    ids = set()
    for tag, attrs in page.tags:
        for k, v in attrs.items():
            check(not k.startswith('on'), f"{name}: event handler attribute {k} on <{tag}>")
            check(k != 'style', f"{name}: style attribute on <{tag}> (the CSP would block it)")
            if k in ('href', 'src', 'xlink:href', 'action', 'formaction'):
                check(v is not None and v.startswith('#'), f"{name}: <{tag} {k}={v!r}> leaves the page")
        if 'id' in attrs:
            check(attrs['id'] not in ids, f"{name}: duplicate id {attrs['id']}")
            ids.add(attrs['id'])
    for tag, attrs in page.tags:
        href = attrs.get('href')
        if href and href.startswith('#'):
            check(href[1:] in ids, f"{name}: link {href} has no target")
    return ids


def check_analyze_page(page, records, name, lang='en'):
    """The analyze page holds what the JSON holds: every incident with its events in order,
    its code path, and every report."""
    incidents = [r for r in records if r.get('type') == 'incident']
    reports = [r for r in records if r.get('type') == 'report']
    htmls = page.all('html')
    check(htmls and htmls[0].get('lang') == lang, f"{name}: <html lang={lang}>")
    sections = page.all('section', 'incident')
    check([int(s['data-incident']) for s in sections] == sorted(i['id'] for i in incidents),
          f"{name}: incident sections {[s.get('data-incident') for s in sections]} vs JSON ids")
    chain = page.all('li', 'ev')
    want_lines = [e['first_line'] for i in sorted(incidents, key=lambda i: i['id']) for e in i['events']]
    check([int(li['data-line']) for li in chain] == want_lines, f"{name}: chain evidence lines match the JSON")
    circles = page.all('circle', 'tl-pt')
    check(len(circles) == sum(len(i['events']) + len(i['reports']) for i in incidents),
          f"{name}: one timeline point per event and report ({len(circles)})")
    steps = [a for t, a in page.tags if t == 'li' and (a.get('class') or '').startswith('cp-')]
    check(len(steps) == sum(len(i['diagnosis'].get('code_path') or []) for i in incidents),
          f"{name}: every code-path step is shown")
    details = page.all('details', 'report')
    check(sorted(int(d['data-first-line']) for d in details) == sorted(r['first_line'] for r in reports),
          f"{name}: every kernel report is on the page once, folded")
    toc = [a['href'] for t, a in page.tags if t == 'a' and a.get('href', '').startswith('#incident-')]
    for i in incidents:
        check(f"#incident-{i['id']}" in toc, f"{name}: the contents link to incident {i['id']}")
    return sections


def make_btrfs_image(path, size='512M'):
    """A fresh btrfs image made by mkfs.btrfs in a regular file: no root, no loop device."""
    with open(path, 'wb') as f:
        f.truncate(1)
    os.truncate(path, {'M': 1 << 20, 'G': 1 << 30}[size[-1]] * int(size[:-1]))
    p = subprocess.run(['mkfs.btrfs', '-q', '-f', path], capture_output=True)
    return p.returncode == 0


def check_inspect_page(page, model, name):
    """The inspect page holds the verdict, every block group once and exactly the plan's groups
    marked for relocation."""
    verdict = page.all('section', 'verdict')
    check(verdict and verdict[0].get('data-risk') == model['risk']['level'],
          f"{name}: the verdict says {model['risk']['level']}")
    reasons = [a['data-reason'] for t, a in page.tags if t == 'li' and 'data-reason' in a]
    check(reasons == [r['code'] for r in model['risk']['reasons']], f"{name}: the reasons {reasons} match")
    cells = [a for t, a in page.tags if t == 'i' and 'data-start' in a]
    check(sorted(int(c['data-start']) for c in cells) == sorted(bg['start'] for bg in model['block_groups']),
          f"{name}: one map cell per block group ({len(cells)} vs {len(model['block_groups'])})")
    marked = sorted(int(c['data-start']) for c in cells if 'reloc' in c.get('class', '').split())
    plan = model.get('reclaim_plan') or {}
    check(marked == sorted(bg['start'] for bg in plan.get('block_groups') or []),
          f"{name}: the cells marked for relocation are the plan's ({len(marked)})")
    devices = [a for t, a in page.tags if t == 'tr' and 'data-devid' in a]
    check(len(devices) == len(model['devices']), f"{name}: one row per device")
    return cells


# Hostile log text: markup, a style-sheet breaker, quotes that would close attributes, a terminal
# escape, a bell, invalid UTF-8, a right-to-left override, a NUL byte, and a host name and a
# process name that are markup themselves, inside a btrfs incident and a WARNING report.
HOSTILE_SCRIPT = '<script>window.__pwned=1</script>'
HOSTILE_STYLE = '</style><style>body{display:none}</style>'
HOSTILE_QUOTES = '"\'><img src=x onerror="window.__pwned=2">'


def write_hostile_log(path):
    host = b'<svg/onload=alert(3)>'
    pre = b'Dec  8 15:25:17 ' + host + b' kernel: '
    body = [
        b'[  100.000000] WARNING: CPU: 1 PID: 4242 at fs/btrfs/extent-tree.c:6805 __btrfs_free_extent+0x65c/0xbd0 [btrfs]',
        b'[  100.000000] CPU: 1 PID: 4242 Comm: <b>"q\'</b> Tainted: G        W         4.19.90-17.ky10.x86_64 #1',
        b'[  100.000000] Hardware name: ' + HOSTILE_SCRIPT.encode() + b' BIOS 1.0',
        b'[  100.000000] RIP: 0010:__btrfs_free_extent+0x65c/0xbd0 [btrfs]',
        b'[  100.000000] Call Trace:',
        b'[  100.000000]  __btrfs_run_delayed_refs+0x4f8/0x1150 [btrfs]',
        b'[  100.000000]  btrfs_run_delayed_refs+0xe7/0x1b0 [btrfs]',
        b'[  100.000000]  btrfs_evict_inode+0x496/0x4f0 [btrfs]',
        b'[  100.000000] ---[ end trace 0123456789abcdef ]---',
        b'[  100.000001] BTRFS: error (device dm-9) in __btrfs_free_extent:6805: errno=-28 No space left ' + HOSTILE_SCRIPT.encode(),
        b'[  100.000002] BTRFS info (device dm-9): forced readonly ' + HOSTILE_STYLE.encode(),
        b'[  100.000003] BTRFS: error (device dm-9) in btrfs_run_delayed_refs:2935: errno=-28 No space left ' +
        HOSTILE_QUOTES.encode() + b' \x1b[31mred\x07 \xff\xfe bad \xc3\x28 \xe2\x80\xae reversed \x00 nul ' + b'A' * 5000,
    ]
    with open(path, 'wb') as f:
        f.write(b''.join(pre + line + b'\n' for line in body))


def make_pages(fsdoctor, root, outdir):
    """The pages every HTML test looks at, each with the JSON of the same run: the seed incident
    in both languages, two hosts in one syslog, three episodes on one device, the hostile log,
    and a fresh btrfs image (when mkfs.btrfs is there)."""
    os.makedirs(outdir, exist_ok=True)
    pages = []
    seed = os.path.join(root, 'examples', 'seed-kylin-4.19.90-btrfs-enospc.log')
    hostile = os.path.join(outdir, 'hostile.log')
    write_hostile_log(hostile)
    analyze = [
        ('seed', seed, 'en'),
        ('seed-zh', seed, 'zh'),
        ('two-hosts', os.path.join(root, 'tests', 'cases', '0012-two-hosts-one-syslog', 'input.log'), 'en'),
        ('three-episodes', os.path.join(root, 'tests', 'cases', '0011-three-episodes-one-loop-device', 'input.log'), 'en'),
        ('hostile', hostile, 'en'),
    ]
    for name, log, lang in analyze:
        path = os.path.join(outdir, f'analyze-{name}.html')
        run(fsdoctor, ['analyze', f'--lang={lang}', '--quiet', '--format=html', log], path)
        records = json_lines(run(fsdoctor, ['analyze', f'--lang={lang}', '--quiet', '--format=json', log]))
        pages.append({'name': f'analyze-{name}', 'kind': 'analyze', 'path': path, 'records': records,
                      'lang': 'zh-CN' if lang == 'zh' else 'en'})
    image = os.path.join(outdir, 'fresh.img')
    if make_btrfs_image(image):
        path = os.path.join(outdir, 'inspect-fresh.html')
        run(fsdoctor, ['inspect', '--offline', '--format=html', image], path)
        model = json.loads(run(fsdoctor, ['inspect', '--offline', '--format=json', image]))
        pages.append({'name': 'inspect-fresh', 'kind': 'inspect', 'path': path, 'model': model, 'lang': 'en'})
        os.unlink(image)
    else:
        print("mkfs.btrfs is missing or failed: no inspect page checked", file=sys.stderr)
    return pages


def check_in_browser(b, p, outdir):
    """Load one page of make_pages() in the browser b (cdp.Browser) and check it; leaves a
    screenshot in outdir."""
    name = p['name']
    url = 'file://' + os.path.abspath(p['path'])
    b.load(url)
    problems = b.problems(url)
    check(not problems, f"{name}: loads cleanly, but: {problems}")
    check(b.requests() == [url], f"{name}: no request but the page itself: {b.requests()}")
    js = b.evaluate
    check(js('document.scripts.length') == 0, f"{name}: no script in the DOM")
    check(js('typeof window.__pwned') == 'undefined', f"{name}: nothing from the log ran")
    check(js('document.styleSheets.length') == 1 and js('document.styleSheets[0].cssRules.length') > 50,
          f"{name}: the style sheet is applied (allowed by its CSP hash)")
    check(js("getComputedStyle(document.body).display") != 'none' and js('document.body.offsetHeight') > 200,
          f"{name}: the body is shown")
    check(js("document.documentElement.lang") == p['lang'], f"{name}: lang is {p['lang']}")
    check(js("[...document.querySelectorAll('*')].every(e => ![...e.attributes].some(a => a.name.startsWith('on')))"),
          f"{name}: no element has an event handler")
    check(js("[...document.querySelectorAll('a[href]')].every(a => a.getAttribute('href').startsWith('#') && "
             "document.getElementById(a.getAttribute('href').slice(1)))"),
          f"{name}: every link stays in the page and finds its target")
    if p['kind'] == 'analyze':
        incidents = [r for r in p['records'] if r.get('type') == 'incident']
        reports = [r for r in p['records'] if r.get('type') == 'report']
        ids = js("[...document.querySelectorAll('section.incident')].map(s => +s.dataset.incident)")
        check(ids == sorted(i['id'] for i in incidents), f"{name}: incidents in the DOM {ids}")
        lines = js("[...document.querySelectorAll('section.incident')].map(s => "
                   "[...s.querySelectorAll('ol.chain > li')].map(li => +li.dataset.line))")
        want = [[e['first_line'] for e in i['events']] for i in sorted(incidents, key=lambda i: i['id'])]
        check(lines == want, f"{name}: each incident's chain holds its evidence lines {lines} vs {want}")
        check(js("document.querySelectorAll('details.report').length") == len(reports),
              f"{name}: every kernel report is in the DOM")
        check(js("[...document.querySelectorAll('details.report')].every(d => !d.open)"),
              f"{name}: kernel reports start folded")
        check(js("[...document.querySelectorAll('figure.timeline svg')].every(s => s.getBoundingClientRect().height > 60)"),
              f"{name}: the timelines are drawn")
        if len(incidents) > 1:
            last = max(i['id'] for i in incidents)
            js(f"location.hash = '#incident-{last}'")
            check(js("window.scrollY") > 0, f"{name}: the contents link scrolls to incident {last}")
            js("window.scrollTo(0, 0)")
        if name == 'analyze-hostile':
            text = js("document.body.textContent")
            for s in (HOSTILE_SCRIPT, HOSTILE_STYLE, HOSTILE_QUOTES):
                check(s in text, f"{name}: {s!r} is shown as text")
            check(js("document.querySelectorAll('img, svg[onload], b').length") == 0, f"{name}: no injected element")
    else:
        model = p['model']
        starts = js("[...document.querySelectorAll('.bgmap > i[data-start]')].map(i => +i.dataset.start)")
        check(sorted(starts) == sorted(bg['start'] for bg in model['block_groups']),
              f"{name}: one cell per block group in the DOM ({len(starts)})")
        check(js("document.querySelector('#verdict').dataset.risk") == model['risk']['level'],
              f"{name}: the verdict comes first and says {model['risk']['level']}")
        check(js("document.querySelector('#verdict').getBoundingClientRect().top") < 400,
              f"{name}: the verdict is at the top of the page")
        marked = js("[...document.querySelectorAll('.bgmap > i.reloc[data-start]')].map(i => +i.dataset.start)")
        plan = model.get('reclaim_plan') or {}
        check(sorted(marked) == sorted(bg['start'] for bg in plan.get('block_groups') or []),
              f"{name}: the plan's block groups are the marked cells ({len(marked)})")
        check(js("[...document.querySelectorAll('.bgmap > i.reloc[data-start]')].every(i => getComputedStyle(i).outlineStyle == 'solid')"),
              f"{name}: the marked cells are outlined")
        check(js("new Set([...document.querySelectorAll('.bgmap > i[data-start]')].map(i => getComputedStyle(i).width)).size") == 1,
              f"{name}: the map cells are drawn")
    timing = js("JSON.stringify(performance.getEntriesByType('navigation')[0].loadEventEnd)")
    shot = os.path.join(outdir, f'{name}.png')
    data = b.screenshot(shot)
    check(data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 10000, f"{name}: screenshot {shot}")
    print(f"{name}: {os.path.getsize(p['path'])} bytes, loaded in {float(timing):.0f} ms, screenshot {shot}")
