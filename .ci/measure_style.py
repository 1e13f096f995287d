#!/usr/bin/env python
"""Measure the notebooks' style (issue 11): `python .ci/measure_style.py` prints markdown tables, exits 0.

Per notebook (nbs/*.ipynb, not `_*`): the export cells (`#| export`/`exports`/`exporti`) and their
lines (without `#|` lines): mean, median, max, how many are over 50 lines; the exported definitions
(top-level `def`/`class`) and, for each, the number of cells from its cell to the first later cell
that tests it (a code cell that asserts - `assert`, `test_eq`, `test_close`, `test_fail`, ... or
`raises` - and names it); the code lines over 120 characters. Then the lines over 120 characters
in `.ci/*.py` and `batchbald_redux/*.py` (not nbdev's `_modidx.py`), and the distance of every exported definition.
"""
import ast, json, re, statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = re.compile(r"^\s*assert\b|\b(test_\w+|raises|assert_\w+)\s*\(", re.M)
EXPORT = re.compile(r"^#\|\s*(export|exports|exporti)\s*$", re.M)


def _stats(xs): return [f"{statistics.mean(xs):.1f}", f"{statistics.median(xs):g}", str(max(xs))] if xs else ["-"] * 3


def notebook(path):
    cells = [("".join(c["source"]), c["cell_type"]) for c in json.loads(path.read_text())["cells"]]
    code = [(i, s) for i, (s, t) in enumerate(cells) if t == "code"]
    exports = [(i, s) for i, s in code if EXPORT.search(s)]
    lines = [len([l for l in s.splitlines() if not l.startswith("#|")]) for _, s in exports]
    dists = {}
    for i, s in exports:
        try: body = ast.parse(re.sub(r"^\s*[!%].*$", "", s, flags=re.M)).body
        except SyntaxError: continue
        for name in (n.name for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))):
            uses = re.compile(rf"\b{re.escape(name)}\b")
            dists[name] = next((j - i for j, t in code if j > i and TEST.search(t) and uses.search(t)), None)
    long = sum(len(l) > 120 for _, s in code for l in s.splitlines())
    return dict(exports=len(exports), lines=lines, dists=dists, long=long)


def main():
    nbs = sorted(p for p in (ROOT / "nbs").glob("*.ipynb") if not p.name.startswith("_"))
    res = {p.name: notebook(p) for p in nbs}
    allv = dict(exports=sum(r["exports"] for r in res.values()), lines=[x for r in res.values() for x in r["lines"]],
                dists={f"{k}:{n}": d for k, r in res.items() for n, d in r["dists"].items()},
                long=sum(r["long"] for r in res.values()))
    print("| notebook | export cells | lines mean | median | max | cells > 50 lines | exported defs | "
          "cells to first test: median | max | untested | code lines > 120 chars |\n" + "|---" * 11 + "|")
    for name, r in [*res.items(), ("**all**", allv)]:
        tested = [d for d in r["dists"].values() if d is not None]
        row = [name, r["exports"], *_stats(r["lines"]), sum(x > 50 for x in r["lines"]), len(r["dists"]),
               *_stats(tested)[1:], len(r["dists"]) - len(tested), r["long"]]
        print("| " + " | ".join(map(str, row)) + " |")
    print("\n| files | lines | lines > 120 chars |\n|---|---|---|")
    for pat in (".ci/*.py", "batchbald_redux/*.py"):
        ls = [l for f in sorted(ROOT.glob(pat)) if f.name != "_modidx.py" for l in f.read_text().splitlines()]
        print(f"| `{pat}` | {len(ls)} | {sum(len(l) > 120 for l in ls)} |")
    print("\n| exported definition | cells to its first test |\n|---|---|")
    for k, d in allv["dists"].items(): print(f"| {k} | {'untested' if d is None else d} |")


if __name__ == "__main__":
    main()
