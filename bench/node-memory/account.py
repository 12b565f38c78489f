#!/usr/bin/env python3
"""Where a node's resident memory goes, from what `PROFILE_DIR=DIR NMT=detail bench/node-memory/run.sh`
saved: each mapping of /proc/PID/smaps is matched against the regions of `jcmd VM.native_memory
detail`. A mapping inside a JVM region is that region; file mappings are grouped by library; the
rest is glibc (its main arena [heap], other arenas, large blocks) holding the JVM's mallocs (NMT's
malloc total) and everyone else's (RocksDB, JDK native libraries).
Usage: bench/node-memory/account.py DIR/callee [DIR/caller ...]"""
import collections
import re
import sys


def nmt_regions(path):
    regions = []
    for line in open(path):
        m = re.match(r'\[0x([0-9a-f]+) - 0x([0-9a-f]+)\] reserved \d+KB for (.+?)(?: from)?\s*$',
                     line.strip())
        if m:
            regions.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3).strip()))
    return regions


def nmt_summary(path):
    text = open(path).read()
    out = {m.group(1).strip(): int(m.group(2)) for m in
           re.finditer(r'-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB\)', text)}
    m = re.search(r'malloc: (\d+)KB', text)
    out['malloc'] = int(m.group(1)) if m else 0
    return out


def mappings(path):
    maps, current = [], None
    for line in open(path):
        m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$', line)
        if m:
            current = [int(m.group(1), 16), int(m.group(2), 16), m.group(3).strip(), 0]
            maps.append(current)
        elif line.startswith('Rss:'):
            current[3] = int(line.split()[1])
    return maps


def file_group(path):
    name = path.split('/')[-1]
    if 'rocksdb' in name:
        return 'file: librocksdbjni'
    if name == 'libjvm.so':
        return 'file: libjvm.so'
    if name.endswith('.jsa'):
        return 'file: CDS archive'
    if name.endswith('.so') or '.so.' in name:
        return 'file: other .so'
    return 'file: ' + name


def account(prefix):
    regions = nmt_regions(prefix + '-nmt.txt')
    summary = nmt_summary(prefix + '-nmt.txt')
    groups = collections.Counter()
    for start, end, path, rss in mappings(prefix + '-smaps.txt'):
        if rss == 0:
            continue
        if path and not path.startswith('['):
            groups[file_group(path)] += rss
            continue
        best, overlap = None, 0
        for rs, re_, what in regions:
            o = min(end, re_) - max(start, rs)
            if o > overlap:
                best, overlap = what, o
        if best and overlap >= (end - start) / 2:
            groups['JVM: ' + best] += rss
        elif path == '[heap]':
            groups['glibc main arena [heap]'] += rss
        else:
            groups['anonymous outside the JVM (glibc arenas, large blocks)'] += rss
    print(f'{prefix}: Rss {sum(groups.values()) / 1024:.1f} MiB; '
          f'of the malloc, the JVM\'s own (NMT) {summary["malloc"] / 1024:.1f} MiB')
    for what, kib in groups.most_common():
        if kib >= 100:
            print(f'  {kib / 1024:7.1f} MiB  {what}')


for p in sys.argv[1:]:
    account(p)
