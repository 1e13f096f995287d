#!/usr/bin/env python
"""Picks and scores of every acquisition function on the real prediction files and the benchmark's synthetic pools,
written exactly (float.hex) so that a refactoring can be checked to change nothing:

    python .ci/bit_identity.py write before.json     # on the commit before the change
    python .ci/bit_identity.py compare before.json   # after it: exit 1 and list every difference
    python .ci/bit_identity.py picks before.json     # compare the picks (indices) only, not the scores

BatchBALD runs with `saturation="greedy"` where the package has it: the plain greedy loop, whose picks are those of
the commits before saturation handling (the default policies change the picks after a batch saturates).
"""
import inspect, json, os, sys
from pathlib import Path

import torch

torch.set_num_threads(1)
from batchbald_redux.batchbald import get_bald_batch, get_batchbald_batch  # noqa: E402
try:
    from batchbald_redux.benchmarks.reference import make_log_probs  # noqa: E402
except ImportError:  # a commit before the benchmarks moved to batchbald_redux.benchmarks
    from batchbald_redux.benchmark import make_log_probs  # noqa: E402
from batchbald_redux.stochastic_acquisition import get_powerbald_batch, get_softmaxbald_batch  # noqa: E402


def pools():
    root = Path(os.environ.get("BATCHBALD_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data"))
    for path in sorted((root / "predictions").glob("*.pt")):
        yield path.name, torch.load(path, weights_only=True)["log_probs_N_K_C"]
    for N, K, C in [(1000, 20, 10), (2000, 100, 10), (500, 20, 100)]:
        yield f"synthetic_{N}_{K}_{C}", make_log_probs(N, K, C, seed=0)


SIGNATURE = inspect.signature(get_batchbald_batch)


def results():
    out = {}
    for name, log_probs_N_K_C in pools():
        gen = lambda: torch.Generator().manual_seed(0)  # noqa: E731
        plain = {"saturation": "greedy", "warn": False} if "saturation" in SIGNATURE.parameters else {}
        runs = {
            "batchbald": get_batchbald_batch(log_probs_N_K_C, 10, 10_000, generator=gen(), progress=False, **plain),
            "batchbald_full": get_batchbald_batch(log_probs_N_K_C, 6, 1_000, generator=gen(), progress=False,
                                                  lazy=False, **plain),
            "bald": get_bald_batch(log_probs_N_K_C, 20, progress=False),
            "powerbald": get_powerbald_batch(log_probs_N_K_C, 10, generator=gen(), progress=False),
            "softmaxbald": get_softmaxbald_batch(log_probs_N_K_C, 10, generator=gen(), progress=False),
        }
        out[name] = {k: {"indices": v.indices, "scores": [float(s).hex() for s in v.scores]} for k, v in runs.items()}
        print(name, "done", file=sys.stderr, flush=True)
    return out


if __name__ == "__main__":
    mode, path = sys.argv[1], Path(sys.argv[2])
    now = results()
    if mode == "write":
        path.write_text(json.dumps(now, indent=1))
        sys.exit(0)
    before = json.loads(path.read_text())
    key = (lambda run: run and run["indices"]) if mode == "picks" else (lambda run: run)
    diffs = [(pool, fn) for pool in before for fn in before[pool]
             if key(now.get(pool, {}).get(fn)) != key(before[pool][fn])]
    for pool, fn in diffs:
        print(f"DIFFERENT: {pool} {fn}: {before[pool][fn]} -> {now.get(pool, {}).get(fn)}")
    print(f"{sum(len(v) for v in before.values()) - len(diffs)} identical, {len(diffs)} different")
    sys.exit(1 if diffs else 0)
