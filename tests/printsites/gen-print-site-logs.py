#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write one synthetic console log per kernel print-site form and architecture.

Usage: gen-print-site-logs.py TABLE OUTDIR

TABLE is docs/print-sites.tsv. For every `start` row, for every architecture it lists and for
the oldest and the newest reference kernel of that row (they print the carrying lines
differently), the log is composed from the table's format strings: the header, the lines the
print site writes after it, the identification lines, the architecture's register and trace
lines of that kernel, and the end marker. `noise` rows (firmware on the same console) become
logs that must give no report. OUTDIR receives NNN-ID-ARCH-VERSION.log and expected.json, a list
of {"log", "id", "arch", "version", "kind", "title", "guilty"} (kind null: no report).

Nothing here is copied from a captured log: every line is a kernel printk format filled in."""
import json
import os
import re
import sys

VERSIONS = ['2.6.32', '3.10', '4.19', '5.10', '6.1', 'main']
# "all" in a start row: the architectures every form printed by generic code is tested on
CORE_ARCHES = ['x86_64', 'arm', 'arm64', 'powerpc', 's390', 'riscv']
# further architectures, tested on the start rows that name them (next to "all"); their carrying
# rows are checked only in 6.1, so their logs are composed for 6.1 alone
ARCHES = CORE_ARCHES + ['i386', 'mips', 'loongarch', 'parisc']
ARCH_ONLY = {'i386': ['6.1'], 'mips': ['6.1'], 'loongarch': ['6.1'], 'parisc': ['6.1']}
# first reference kernel that has the architecture (riscv's oops output took its current shape
# in 5.x; arm64 was merged in 3.7)
ARCH_FROM = {'arm64': '3.10', 'riscv': '5.10'}
X86 = ('x86_64', 'i386')
# the synthetic functions: a filesystem path, as in the reports fsdoctor is for
GUILTY = 'btrfs_example_extent_op'
CALLER = 'btrfs_example_run_refs'
TAIL = ['btrfs_example_commit', 'process_one_work', 'worker_thread', 'kthread', 'ret_from_fork']


def vindex(v):
    return VERSIONS.index(v)


def load(table):
    rows = []
    with open(table, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            if len(cols) != 14:
                sys.exit('%s:%d: %d columns, expected 14' % (table, n, len(cols)))
            keys = ['id', 'role', 'arches', 'versions', 'source', 'checked', 'format', 'args', 'kind',
                    'title', 'body', 'lines', 'lineargs', 'machinery']
            r = dict(zip(keys, cols))
            arches = []
            for a in r['arches'].split(','):
                arches += (CORE_ARCHES if r['role'] == 'start' else ARCHES) if a == 'all' else [a]
            r['arches'] = arches
            r['versions'] = [] if r['versions'] == '-' else r['versions'].split(',')
            for a in r['arches']:
                if a not in ARCHES:
                    sys.exit('%s:%d: unknown arch %s' % (table, n, a))
            for v in r['versions']:
                if v not in VERSIONS:
                    sys.exit('%s:%d: unknown version %s' % (table, n, v))
            rows.append(r)
    return rows


CONV = re.compile(r'%([-#0 +]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|z)?([diuxXscp%])')


class Ctx:
    def __init__(self, arch, version, rows=None):
        self.arch, self.version = arch, version
        self.rows = rows or []
        self.sym_n = 0

    def sym(self, name, offset=True):
        # ppc64 ELFv1 kernels (before the switch to ELFv2 in the 4.x era) print function
        # descriptors' text symbols with a leading dot
        if self.arch == 'powerpc' and vindex(self.version) <= vindex('3.10'):
            name = '.' + name
        if not offset:
            return name
        self.sym_n += 1
        return '%s+0x%x/0x%x' % (name, 0x10 + 4 * (self.sym_n % 29), 0x80 + 0x10 * (self.sym_n % 7))


def fill(fmt, args, ctx, syms):
    """printf the kernel way, with the few %p extensions report lines use."""
    vals = [] if args in ('-', '') else args.split('|')
    out, i, pos = [], 0, 0
    for m in CONV.finditer(fmt):
        out.append(fmt[pos:m.start()])
        pos = m.end()
        flags, width, _prec, _len, conv = m.groups()
        if conv == '%':
            out.append('%')
            continue
        ext = ''
        if conv == 'p':
            e = re.match(r'(S[bR]?|s|B|Gg|V|x|bl)', fmt[pos:])
            if e:
                ext = e.group(1)
                pos += len(ext)
        if width == '*':
            # the field width is an argument of its own (mips: "%0*lx", field, value)
            width = vals[i] if i < len(vals) else '16'
            i += 1
        v = vals[i] if i < len(vals) else '-'
        i += 1
        if v.startswith('@'):
            name = syms.get(v[1:], v[1:])
            if conv == 'p' and ext in ('S', 'SR', 'Sb', 'B'):
                v = ctx.sym(name)
            elif conv == 'p' and ext == 's':
                v = ctx.sym(name, offset=False)
            else:
                v = name
        elif v == '-':
            v = {'d': '1', 'i': '1', 'u': '1', 's': ''}.get(conv, 'ffff888012345678' if conv == 'p' else '0')
        if conv in 'xX' and width and flags and '0' in flags:
            v = v.rjust(int(width), '0')
        if conv == 'x' and flags and '#' in flags and not v.startswith('0x'):
            v = '0x' + v
        if conv == 'p' and ext in ('', 'x'):
            v = v.rjust(16, '0')
        out.append(v)
    out.append(fmt[pos:])
    return ''.join(out)


class Log:
    def __init__(self):
        self.lines = []
        self.t = 100.0

    def add(self, text):
        self.t += 0.000013
        self.lines.append('[%12.6f] %s' % (self.t, text))

    def raw(self, text):
        self.lines.append(text)


def rows_of(ctx):
    return ctx.rows


def row_for(rows, rid, ctx):
    for r in rows:
        if r['id'] == rid and ctx.arch in r['arches'] and ctx.version in r['versions']:
            return r
    return None


def emit(log, rows, ctx, rid, syms=None, args=None):
    r = row_for(rows, rid, ctx)
    if not r:
        return False
    log.add(fill(r['format'], r['args'] if args is None else args, ctx, syms or {}))
    return True


def emit_ident(log, rows, ctx):
    emit(log, rows, ctx, 'modules')
    if not emit(log, rows, ctx, 'cpu-pid'):
        emit(log, rows, ctx, 'pid-comm-old')
    emit(log, rows, ctx, 'hardware')


def emit_frames(log, rows, ctx, funcs, unreliable=()):
    """One trace line per function, in the arch's form for this kernel."""
    a = ctx.arch
    for k, f in enumerate(funcs):
        nxt = funcs[k + 1] if k + 1 < len(funcs) else 'ret_from_fork'
        syms = {'F': f, 'N': nxt, 'U': ' (unreliable)' if f in unreliable else ''}
        if a in X86:
            q = '? ' if f in unreliable else ''
            if not emit(log, rows, ctx, 'x86-frame', syms, '%s|@F' % q):
                emit(log, rows, ctx, 'x86-frame-old', syms, 'ffffffff81234567|%s|@F' % q)
        elif a == 'arm':
            if not emit(log, rows, ctx, 'arm-frame', syms):
                emit(log, rows, ctx, 'arm-frame-verbose', syms)
        elif a == 'arm64':
            if not emit(log, rows, ctx, 'arm64-frame', syms):
                emit(log, rows, ctx, 'arm64-frame-old', syms)
        elif a == 'powerpc':
            emit(log, rows, ctx, 'ppc-frame', syms)
        elif a == 's390':
            # before 5.x the first entry, a possibly stale return address, is in parentheses
            if not (k == 0 and emit(log, rows, ctx, 's390-frame-old', syms)):
                emit(log, rows, ctx, 's390-frame', syms)
        elif a == 'riscv':
            emit(log, rows, ctx, 'riscv-frame', syms)
        elif a in ('mips', 'loongarch'):
            emit(log, rows, ctx, 'mips-frame', syms)
        elif a == 'parisc':
            emit(log, rows, ctx, 'parisc-frame', syms)


def emit_trace_head(log, rows, ctx):
    for rid in ('x86-call-trace', 'arm64-call-trace', 'ppc-call-trace', 's390-call-trace', 'mips-call-trace',
                'parisc-backtrace'):
        if emit(log, rows, ctx, rid):
            return
    if ctx.arch == 'riscv':
        log.add('Call Trace:')


def emit_regs(log, rows, ctx, g, c):
    syms = {'G': g, 'C': c or TAIL[1]}
    a = ctx.arch
    if a == 'x86_64':
        if not emit(log, rows, ctx, 'x86-rip', syms):
            emit(log, rows, ctx, 'x86-rip-old', syms)
        log.add('Code: 48 89 df e8 a1 b2 c3 d4 48 8b 43 08 <0f> 0b 48 83 c4 08 5b 5d c3')
        emit(log, rows, ctx, 'x86-rsp', syms)
        log.add('RAX: 0000000000000000 RBX: ffff888012345678 RCX: 0000000000000000')
    elif a == 'arm':
        emit(log, rows, ctx, 'arm-pc', syms)
        emit(log, rows, ctx, 'arm-lr', syms)
        log.add('pc : [<c0123456>]    lr : [<c0234567>]    psr: 60000013')
        log.add('sp : c1a3fe40  ip : 00000000  fp : c1a3fe7c')
    elif a == 'arm64':
        if not emit(log, rows, ctx, 'arm64-pc', syms):
            emit(log, rows, ctx, 'arm64-pc-old', syms)
        if not emit(log, rows, ctx, 'arm64-lr', syms):
            emit(log, rows, ctx, 'arm64-lr-old', syms)
        log.add('sp : ffff80000800bd40')
        log.add('x29: ffff80000800bd40 x28: 0000000000000000 x27: 0000000000000000')
    elif a == 'powerpc':
        emit(log, rows, ctx, 'ppc-nip-regs', syms)
        log.add('REGS: c00000000fe3b8d0 TRAP: 0300   Not tainted')
        log.add('GPR00: c000000000234567 c00000000fe3bb70 c000000001a2b300 0000000000000000')
        emit(log, rows, ctx, 'ppc-nip', syms)
        emit(log, rows, ctx, 'ppc-lr', syms)
    elif a == 's390':
        emit(log, rows, ctx, 's390-psw', syms)
        log.add('           R:0 T:1 IO:1 EX:1 Key:0 M:1 W:0 P:0 AS:3 CC:0 PM:0 RI:0 EA:3')
        log.add('Krnl GPRS: 0000000000000000 0000000000000001 0000000000000000 0000000000000000')
    elif a == 'i386':
        emit(log, rows, ctx, 'i386-eip', syms)
        log.add('Code: 89 d8 e8 a1 b2 c3 d4 8b 43 08 <0f> 0b 83 c4 08 5b 5d c3')
        log.add('EAX: 00000000 EBX: c1234567 ECX: 00000000 EDX: 00000001')
    elif a == 'parisc':
        log.add('     YZrvWESTHLNXBCVMcbcbcbcbOGFRQPDI')
        log.add('PSW: 00001000000001001111111100001111 Not tainted')
        emit(log, rows, ctx, 'parisc-iaoq', syms)
        emit(log, rows, ctx, 'parisc-rp', syms)
    elif a in ('mips', 'loongarch'):
        log.add('$ 0   : 0000000000000000 0000000000000001 0000000000000000 0000000000000000')
        emit(log, rows, ctx, a + '-pc', syms)
        emit(log, rows, ctx, a + '-ra', syms)
    elif a == 'riscv':
        emit(log, rows, ctx, 'riscv-epc', syms)
        emit(log, rows, ctx, 'riscv-ra', syms)
        log.add('epc : ffffffff80123456 ra : ffffffff80234567 sp : ff2000000043bd40')
        log.add(' status: 0000000200000120 badaddr: 0000000000000000 cause: 000000000000000d')


def emit_die_bug(log, ctx):
    """What each architecture's trap handler prints after lib/bug.c's "kernel BUG at" line."""
    v = vindex(ctx.version)
    if ctx.arch in X86:
        log.add('%sinvalid opcode: 0000 [#1] SMP' % ('Oops: ' if ctx.version == 'main' else ''))
    elif ctx.arch == 'mips':
        emit(log, rows_of(ctx), ctx, 'mips-die', args='Kernel bug detected|1')
    elif ctx.arch == 'loongarch':
        emit(log, rows_of(ctx), ctx, 'mips-die', args='Oops - BUG|1')
    elif ctx.arch == 'arm':
        log.add('Internal error: Oops - BUG: 0 [#1] SMP ARM')
    elif ctx.arch == 'arm64':
        log.add('Internal error: Oops - BUG: %s [#1] PREEMPT SMP' % ('00000000f2000800' if v >= vindex('5.10') else '0'))
    elif ctx.arch == 'powerpc':
        log.add('Oops: Exception in kernel mode, sig: 5 [#1]')
    elif ctx.arch == 's390':
        log.add('monitor event: 0040 ilc:2 [#1] SMP')
    elif ctx.arch == 'riscv':
        log.add('Kernel BUG [#1]')


def emit_die_oops(log, ctx):
    if ctx.arch in ('arm', 'arm64'):
        if ctx.arch == 'arm64':
            log.add('Mem abort info:')
            log.add('  ESR = 0x0000000096000005')
        log.add('Internal error: Oops: %s [#1] PREEMPT SMP' % ('96000005' if ctx.arch == 'arm64' else '17'))
    elif ctx.arch == 'riscv':
        log.add('Oops [#1]')
    elif ctx.arch in ('mips', 'loongarch'):
        emit(log, rows_of(ctx), ctx, 'mips-die', args='Oops|1')


def task_open(log, rows, ctx):
    emit(log, rows, ctx, 'x86-stack-open', args='TASK')


def task_close(log, rows, ctx):
    emit(log, rows, ctx, 'x86-stack-close', args='TASK')


def body_regs(log, rows, ctx, form, g, c, tail):
    """An oops-style report: identification, registers with pc in g, the trace, the end."""
    kind = form['kind']
    emit_ident(log, rows, ctx)
    emit_regs(log, rows, ctx, g, c)
    emit_trace_head(log, rows, ctx)
    a = ctx.arch
    callers = ([c] if c else []) + tail
    if a in X86:
        # show_regs() of the interrupted context: the unwinder starts at its registers, so a
        # lockup's trace holds no watchdog frames
        task_open(log, rows, ctx)
        if kind == 'oops' or kind == 'gpf':
            emit_frames(log, rows, ctx, ['__die', 'die', 'do_trap', g], unreliable={'__die', 'die', 'do_trap', g})
        emit_frames(log, rows, ctx, callers)
        task_close(log, rows, ctx)
    elif a == 'powerpc':
        # the first entry is the interrupted function's own frame, its saved LR stale
        emit_frames(log, rows, ctx, [g], unreliable={g})
        emit_frames(log, rows, ctx, callers)
    else:
        emit_frames(log, rows, ctx, [g] + callers)
    if a == 'arm64' or a == 'arm':
        log.add('Code: d503233f a9be7bfd 910003fd f9000bf3 (b9400000)')
    if a == 's390':
        emit(log, rows, ctx, 's390-last-break')
        emit_frames(log, rows, ctx, [c or tail[0]])
    if kind not in ('stall',):
        emit(log, rows, ctx, 'end-trace')


def body_stack(log, rows, ctx, form, g, c, tail):
    """dump_stack() from the reporting machinery: machinery frames, then g and its callers."""
    machinery = [] if form['machinery'] == '-' else form['machinery'].split(',')
    emit_ident(log, rows, ctx)
    emit_trace_head(log, rows, ctx)
    task_open(log, rows, ctx)
    emit_frames(log, rows, ctx, machinery + [g, c] + tail)
    task_close(log, rows, ctx)
    if form['kind'] == 'warning' and form['id'].startswith('warn'):
        emit(log, rows, ctx, 'end-trace')


IRQ_PATH = {
    # the timer interrupt that the stall detector runs in, up to where it entered from the
    # interrupted code: the frame after it is the one that was looping
    'x86_64': ['rcu_sched_clock_irq', 'update_process_times', 'tick_sched_handle', 'tick_sched_timer',
               '__hrtimer_run_queues', 'hrtimer_interrupt', 'smp_apic_timer_interrupt', 'apic_timer_interrupt'],
    'arm': ['rcu_sched_clock_irq', 'update_process_times', 'tick_sched_timer', '__hrtimer_run_queues',
            'hrtimer_interrupt', 'arch_timer_handler_virt', 'handle_percpu_devid_irq', 'gic_handle_irq', '__irq_svc'],
    'arm64': ['rcu_sched_clock_irq', 'update_process_times', 'tick_sched_handle', 'tick_sched_timer',
              '__hrtimer_run_queues', 'hrtimer_interrupt', 'arch_timer_handler_virt', 'handle_percpu_devid_irq',
              'generic_handle_domain_irq', 'gic_handle_irq', 'call_on_irq_stack', 'do_interrupt_handler',
              'el1_interrupt', 'el1h_64_irq_handler', 'el1h_64_irq'],
    'powerpc': ['rcu_sched_clock_irq', 'update_process_times', 'tick_sched_handle', 'tick_sched_timer',
                '__hrtimer_run_queues', 'hrtimer_interrupt', 'timer_interrupt', 'decrementer_common_virt'],
    's390': ['rcu_sched_clock_irq', 'update_process_times', 'tick_sched_handle', 'tick_sched_timer',
             '__hrtimer_run_queues', 'hrtimer_interrupt', 'clock_comparator_work', 'do_ext_irq', 'ext_int_handler'],
    'riscv': ['rcu_sched_clock_irq', 'update_process_times', 'tick_sched_handle', 'tick_sched_timer',
              '__hrtimer_run_queues', 'hrtimer_interrupt', 'riscv_timer_interrupt', 'handle_percpu_devid_irq',
              'generic_handle_domain_irq', 'riscv_intc_irq', 'handle_riscv_irq', 'do_irq', 'handle_exception'],
}


def body_irq(log, rows, ctx, form, g, c, tail):
    """A report printed from the timer interrupt that cut into g (RCU stalls)."""
    a = ctx.arch
    if a == 'x86_64' and vindex(ctx.version) >= vindex('5.10'):
        log.add('NMI backtrace for cpu 1')
    emit_ident(log, rows, ctx)
    emit_trace_head(log, rows, ctx)
    machinery = ['dump_stack_lvl', 'nmi_cpu_backtrace', 'nmi_trigger_cpumask_backtrace', 'rcu_dump_cpu_stacks']
    irq = IRQ_PATH[a]
    if a == 'x86_64':
        new = vindex(ctx.version) >= vindex('5.10')
        if new:
            emit(log, rows, ctx, 'x86-stack-open', args='IRQ')
            irq = irq[:-2] + ['__sysvec_apic_timer_interrupt', 'sysvec_apic_timer_interrupt']
        emit_frames(log, rows, ctx, machinery + irq)
        if new:
            emit(log, rows, ctx, 'x86-stack-close', args='IRQ')
            task_open(log, rows, ctx)
            emit_frames(log, rows, ctx, ['asm_sysvec_apic_timer_interrupt'])
        else:
            log.add(' </IRQ>')
        emit_regs(log, rows, ctx, g, c)
        emit_frames(log, rows, ctx, ([c] if c else []) + tail)
        task_close(log, rows, ctx)
    elif a == 'powerpc':
        emit_frames(log, rows, ctx, machinery + irq)
        if not emit(log, rows, ctx, 'ppc-interrupt', {'G': g}):
            log.add('--- Exception: 901 at %s' % ctx.sym(g))
        emit_regs(log, rows, ctx, g, c)
        emit_frames(log, rows, ctx, ([c] if c else []) + tail)
    else:
        emit_frames(log, rows, ctx, machinery + irq + [g] + ([c] if c else []) + tail)


def body_lockdep(log, rows, ctx, form, g, c, tail, takes=False):
    old = form['format'].startswith('[')
    addr = '' if old else 'ffff888012345678 '
    at = (lambda f: 'at: [<ffffffff81234567>] %s' % ctx.sym(f)) if old else (lambda f: 'at: %s' % ctx.sym(f))
    log.add('%s #1 Not tainted' % ('2.6.32' if old else '6.1.0'))
    log.add('-' * 54)
    if takes:
        log.add('inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage.')
        log.add('kworker/1:2/4242 [HC0[0]:SC0[0]:HE1:SE1] takes:')
        log.add('%s(&fs_info->example_lock){+.?.}-{2:2}, %s' % (addr, at(g)))
        log.add('{IN-SOFTIRQ-W} state was registered at:')
        emit_frames(log, rows, ctx, ['lock_acquire', '_raw_spin_lock', 'btrfs_example_end_io', 'blk_update_request'])
    else:
        log.add('kworker/1:2/4242 is trying to acquire lock:')
        log.add('%s(&fs_info->example_mutex){+.+.}-{3:3}, %s' % (addr, at(g)))
        log.add('')
        log.add('but task is already holding lock:')
        log.add('%s(&fs_info->example_sem){++++}-{3:3}, %s' % (addr, at(c)))
    log.add('')
    log.add('other info that might help us debug this:')
    log.add('stack backtrace:')
    emit(log, rows, ctx, 'cpu-pid') or emit(log, rows, ctx, 'pid-comm-old')
    emit(log, rows, ctx, 'hardware')
    emit_trace_head(log, rows, ctx)
    task_open(log, rows, ctx)
    emit_frames(log, rows, ctx, ['dump_stack_lvl', 'print_usage_bug' if takes else 'check_noncircular',
                                 '__lock_acquire', 'lock_acquire', '__mutex_lock', 'mutex_lock_nested', g, c] + tail)
    task_close(log, rows, ctx)


def body_nmi_warn(log, rows, ctx, form, g, c, tail):
    """A hard lockup reported with WARN() from the NMI (3.x): the NMI's frames, then the
    interrupted code after the end-of-NMI-stack marker."""
    emit_ident(log, rows, ctx)
    emit_trace_head(log, rows, ctx)
    log.add(' <NMI>  [<ffffffff81634567>] dump_stack+0x19/0x1b')
    machinery = form['machinery'].split(',') if form['machinery'] != '-' else \
        ['warn_slowpath_common', 'warn_slowpath_fmt', 'watchdog_overflow_callback', '__perf_event_overflow',
         'perf_event_overflow', 'intel_pmu_handle_irq', 'perf_event_nmi_handler', 'nmi_handle', 'do_nmi',
         'end_repeat_nmi']
    emit_frames(log, rows, ctx, machinery)
    log.add(' <<EOE>>  [<ffffffff81234567>] %s' % ctx.sym(g))
    emit_frames(log, rows, ctx, tail)
    emit(log, rows, ctx, 'end-trace')


def body_slub(log, rows, ctx, form, g, c, tail):
    """SLUB's debug report: the object's history, then the stack of the check that found it."""
    log.add('-' * 77)
    log.add('')
    log.add('INFO: 0xffff888012345678-0xffff88801234567f @offset=1656. First byte 0x0 instead of 0x6b')
    log.add('INFO: Allocated in %s age=2 cpu=1 pid=4242' % ctx.sym(c))
    log.add('INFO: Freed in %s age=1 cpu=1 pid=4242' % ctx.sym(g))
    log.add('INFO: Slab 0xffffea0000123400 objects=21 used=21 fp=0x0000000000000000 flags=0x200')
    log.add('')
    emit_ident(log, rows, ctx)
    emit_trace_head(log, rows, ctx)
    task_open(log, rows, ctx)
    emit_frames(log, rows, ctx, ['dump_stack_lvl', 'print_trailer', 'check_bytes_and_report', 'check_object',
                                 'alloc_debug_processing', '___slab_alloc', '__kmalloc', g, c] + tail)
    task_close(log, rows, ctx)
    log.add('FIX kmalloc-64: Restoring Poison 0xffff888012345678-0xffff88801234567f=0x6b')


def body_kfence(log, rows, ctx, form, g, c, tail):
    log.add('')
    log.add('Use-after-free read at 0x000000004a2b1c3d (in kfence-#72):')
    emit_frames(log, rows, ctx, [g, c] + tail)
    log.add('')
    log.add('kfence-#72: 0x00000000a1b2c3d4-0x00000000e5f6a7b8, size=32, cache=kmalloc-32')
    log.add('')
    emit_ident(log, rows, ctx)
    log.add('=' * 66)


def body_kmsan(log, rows, ctx, form, g, c, tail):
    """KMSAN: the stack of the use right under the header, then where the value was created."""
    emit_frames(log, rows, ctx, [g, c] + tail)
    log.add('')
    log.add('Uninit was created at:')
    emit_frames(log, rows, ctx, ['__kmalloc', 'btrfs_example_alloc', c])
    log.add('')
    emit(log, rows, ctx, 'cpu-pid')
    emit(log, rows, ctx, 'hardware')
    log.add('=' * 53)


def body_kcsan(log, rows, ctx, form, g, c, tail):
    """KCSAN: the two racing accesses, each with its stack, then the reporting CPU."""
    log.add('')
    log.add('write to 0xffff888012345678 of 8 bytes by task 4242 on cpu 1:')
    emit_frames(log, rows, ctx, [g] + tail)
    log.add('')
    log.add('read to 0xffff888012345678 of 8 bytes by task 4243 on cpu 0:')
    emit_frames(log, rows, ctx, [c] + tail)
    log.add('')
    log.add('Reported by Kernel Concurrency Sanitizer on:')
    emit(log, rows, ctx, 'cpu-pid')
    emit(log, rows, ctx, 'hardware')
    log.add('=' * 66)


def compose(rows, form, arch, version):
    ctx = Ctx(arch, version, rows)
    log = Log()
    g, c, tail = GUILTY, CALLER, list(TAIL)
    if form['kind'] == 'stall':
        # a lockup names the operation that looped: the frame right above the dispatcher
        c, tail = None, TAIL[1:]
    if form['body'] in ('kfence', 'kcsan'):
        log.add('=' * 66)
    if form['body'] == 'kmsan':
        log.add('=' * 53)
    if form['id'] == 'ubsan':
        log.add('=' * 80)
    if form['id'].startswith('lockdep'):
        log.add('=' * 54)
    if form['body'] in ('regs',) and form['kind'] in ('warning', 'bug'):
        log.add('------------[ cut here ]------------')
    log.add(fill(form['format'], form['args'], ctx, {'G': g, 'C': c or TAIL[1], 'W': 'watchdog_overflow_callback'}))
    if form['lines'] != '-':
        vals = [] if form['lineargs'] == '-' else form['lineargs'].split('|')
        for fmt in form['lines'].split('|'):
            if fmt == '@die-oops':
                emit_die_oops(log, ctx)
                continue
            if fmt == '@die-bug':
                emit_die_bug(log, ctx)
                continue
            if fmt == '@irq-handlers':
                continue
            k = len(CONV.findall(fmt.replace('%%', '')))
            log.add(fill(fmt, '|'.join(vals[:k]) or '-', ctx, {'G': g, 'C': c}))
            vals = vals[k:]
    body = form['body']
    if body == 'regs':
        body_regs(log, rows, ctx, form, g, c, tail)
    elif body == 'stack':
        body_stack(log, rows, ctx, form, g, c, tail)
        if form['lines'] == '@irq-handlers':
            log.add('handlers:')
            if not emit(log, rows, ctx, 'irq-handlers', {'G': g}):
                emit(log, rows, ctx, 'irq-handlers-old', {'G': g})
            log.add('Disabling IRQ #19')
    elif body == 'irq':
        body_irq(log, rows, ctx, form, g, c, tail)
    elif body == 'lockdep':
        body_lockdep(log, rows, ctx, form, g, c, tail)
    elif body == 'lockdep-takes':
        body_lockdep(log, rows, ctx, form, g, c, tail, takes=True)
    elif body == 'kfence':
        body_kfence(log, rows, ctx, form, g, c, tail)
    elif body == 'nmi-warn':
        body_nmi_warn(log, rows, ctx, form, g, c, tail)
    elif body == 'slub':
        body_slub(log, rows, ctx, form, g, c, tail)
    elif body == 'kmsan':
        body_kmsan(log, rows, ctx, form, g, c, tail)
    elif body == 'kcsan':
        body_kcsan(log, rows, ctx, form, g, c, tail)
    # something ordinary after the report, as on any console
    log.add('systemd-journald[312]: Received SIGTERM from PID 1 (systemd).')
    return log.lines, g


def compose_noise(rows, form, arch):
    """Firmware lines before the kernel starts, then an ordinary boot: no report. A kernel print
    site (a source path of the kernel tree) is written among ordinary kernel lines instead."""
    ctx = Ctx(arch, '6.1')
    if form['source'].split('/')[0] in ('fs', 'kernel', 'mm', 'lib', 'drivers', 'arch'):
        log = Log()
        log.add('systemd[1]: Started Journal Service.')
        log.add(fill(form['format'], form['args'], ctx, {}))
        log.add('systemd[1]: Mounted /boot.')
        return log.lines
    lines = ['', 'NOTICE:  BL31: v2.8(release):v2.8', fill(form['format'], form['args'], ctx, {}),
             'NOTICE:  BL31: Built : 10:00:00, Jan  1 2024', '']
    log = Log()
    log.add('Booting Linux on physical CPU 0x0000000000 [0x410fd034]')
    log.add('Linux version 6.1.0-13-arm64 (debian-kernel@lists.debian.org) #1 SMP Debian 6.1.55-1')
    return lines + log.lines


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = load(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    expected = []
    n = 0
    for form in rows:
        if form['role'] not in ('start', 'noise'):
            continue
        for arch in form['arches']:
            if form['role'] == 'noise':
                versions = ['-']
            else:
                have = [v for v in form['versions'] if vindex(v) >= vindex(ARCH_FROM.get(arch, '2.6.32')) and
                        v in ARCH_ONLY.get(arch, VERSIONS)]
                versions = sorted({have[0], have[-1]}, key=vindex) if have else []
            for v in versions:
                n += 1
                name = '%03d-%s-%s-%s.log' % (n, form['id'], arch, v)
                if form['role'] == 'noise':
                    lines, g = compose_noise(rows, form, arch), None
                    exp = {'kind': None, 'title': None, 'guilty': None}
                else:
                    lines, g = compose(rows, form, arch, v)
                    title = form['title'].replace('{G}', g).replace('{C}', CALLER)
                    # a data race names both sides: neither is the guilty one
                    exp = {'kind': form['kind'], 'title': title, 'guilty': None if form['body'] == 'kcsan' else
                           g if '{G}' in form['title'] or
                           form['body'] in ('stack', 'irq', 'regs', 'slub', 'nmi-warn', 'kmsan') else None}
                with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
                    f.write('\n'.join(lines) + '\n')
                expected.append(dict(log=name, id=form['id'], arch=arch, version=v, **exp))
    with open(os.path.join(out, 'expected.json'), 'w', encoding='utf-8') as f:
        json.dump(expected, f, indent=1)
    print('%d logs from %d forms' % (n, len({e['id'] for e in expected})))


if __name__ == '__main__':
    main()
