"""Independent reference for pairedBlockBootstrapRatio (numpy 1.24, Debian bookworm python3).

Re-implements the algorithm from its description: blocks numbered by first
appearance, each of 2000 resamples draws K blocks with replacement using the
mulberry32 stream (re-written here from its published definition), ratio =
sqrt(sum sq err A / sum sq err B), percentile interval by numpy.percentile
(linear). Run: /usr/bin/python3 test/unit/stats/reference/paired_bootstrap.py
"""
import csv, os
import numpy as np

M = 0xFFFFFFFF
def imul(a, b): return (a * b) & M
class Mulberry32:
    def __init__(self, seed): self.state = seed & M
    def u32(self):
        self.state = (self.state + 0x6D2B79F5) & M
        t = self.state
        t = imul(t ^ (t >> 15), t | 1)
        t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & M)) & M
        return (t ^ (t >> 14)) & M
    def int(self, n): return int(np.floor(self.u32() / 4294967296 * n))

here = os.path.dirname(__file__)
path = os.path.join(here, '..', 'fixtures', 'paired-bootstrap.csv')
if not os.path.exists(path):
    rng = np.random.default_rng(7)
    n_blocks, rows = 30, 6
    truth = np.round(rng.gamma(2, 50, size=n_blocks * rows))
    champ = np.round(truth + rng.normal(0, 20, size=truth.size), 3)
    chal = np.round(truth + rng.normal(0, 17, size=truth.size), 3)
    with open(path, 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['block', 'truth', 'champion', 'challenger'])
        for i in range(truth.size):
            b = i // rows
            w.writerow([f'c{b % 5}-d{b // 5}', f'{truth[i]:.0f}', f'{champ[i]:.3f}', f'{chal[i]:.3f}'])

with open(path) as f:
    rows = list(csv.DictReader(f))
blocks = [r['block'] for r in rows]
truth = np.array([float(r['truth']) for r in rows])
eB = np.array([float(r['champion']) for r in rows]) - truth
eA = np.array([float(r['challenger']) for r in rows]) - truth
ids = {}
idx = np.array([ids.setdefault(b, len(ids)) for b in blocks])
K = len(ids)
sa = np.bincount(idx, eA ** 2, minlength=K)
sb = np.bincount(idx, eB ** 2, minlength=K)
for seed in (2024, 1):
    g = Mulberry32(seed)
    stats = []
    for _ in range(2000):
        pick = [g.int(K) for _ in range(K)]
        stats.append(np.sqrt(sa[pick].sum() / sb[pick].sum()))
    print(f'seed {seed}: ratio {np.sqrt((eA**2).sum() / (eB**2).sum())!r} lo {np.percentile(stats, 2.5)!r} hi {np.percentile(stats, 97.5)!r}')
