#!/usr/bin/env python
"""Run every ```python block of README.md as a reader would: `python .ci/readme_blocks.py [README.md]`.

Each block runs alone, as written, in a fresh interpreter (`python -c`-like: nothing from the blocks before it, so its
imports must be shown), with the repository root as the working directory and $BATCHBALD_DATA_DIR set as .ci/test
sets it. Like a notebook cell (the README is index.ipynb's cells), a block that ends with an expression also prints
that expression's repr. Where a plain ``` block follows it (only blank lines between), that block is the output the
README promises: the block's stdout must equal it, line by line after stripping trailing whitespace. An HTML comment
`<!-- output: loose -->` right before a block (only blank lines between) marks its output as not reproducible
(timings): then it only has to run. Prints PASS/FAIL per block and `N passed, M failed`; exit status 1 on any
failure, 3 (skipped) where the README has no python block.
"""
import os, re, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = int(os.environ.get("README_BLOCK_TIMEOUT", "600"))  # seconds per block
# A fenced block: its opening fence (``` or more, or ~~~), info string, body, closing fence of the same kind.
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$\n?", re.M | re.S)
LOOSE = re.compile(r"<!--\s*output:\s*loose\s*-->\s*\Z")
# Run in the fresh interpreter: the block's statements, then (a notebook's display) the repr of a final expression.
RUNNER = """import ast, sys
src = sys.stdin.read()
tree = ast.parse(src, "<README block>")
last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
ns = {"__name__": "__main__"}
exec(compile(tree, "<README block>", "exec"), ns)
if last is not None:
    value = eval(compile(ast.Expression(last.value), "<README block>", "eval"), ns)
    if value is not None: print(repr(value))
"""


def blocks(text):
    """The ```python blocks of a markdown `text`, in order: dicts with `code`, `line` (of the opening fence, from 1),
    `expected` (the plain block right after it, or None) and `loose` (marked `<!-- output: loose -->`)."""
    fences, out = list(FENCE.finditer(text)), []
    for i, m in enumerate(fences):
        if m["info"].strip().split(" ")[0].lower() not in ("python", "py", "python3"): continue
        nxt = fences[i + 1] if i + 1 < len(fences) else None
        follows = nxt is not None and not text[m.end():nxt.start()].strip() and not nxt["info"].strip()
        before = text[fences[i - 1].end() if i else 0:m.start()]
        out.append(dict(code=m["body"], line=text.count("\n", 0, m.start()) + 1,
                        expected=nxt["body"] if follows else None, loose=bool(LOOSE.search(before))))
    return out


def normalize(s): return "\n".join(line.rstrip() for line in s.rstrip().splitlines())


def run(block, env=None, timeout=TIMEOUT):
    "Run one block in a fresh interpreter: (ok, what went wrong or '', seconds)."
    t0 = time.time()
    try:
        r = subprocess.run([sys.executable, "-c", RUNNER], input=block["code"], capture_output=True, text=True,
                           cwd=ROOT, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout} s", time.time() - t0
    secs = time.time() - t0
    if r.returncode:
        err = r.stderr.strip().splitlines()
        return False, f"exit {r.returncode}: {err[-1] if err else '(no message)'}\n" + "\n".join(err[-12:]), secs
    if block["expected"] is None or block["loose"]: return True, "", secs
    got, want = normalize(r.stdout), normalize(block["expected"])
    if got == want: return True, "", secs
    return False, f"printed\n{got}\ninstead of the README's\n{want}", secs


def main(readme=ROOT / "README.md"):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.setdefault("BATCHBALD_DATA_DIR", str((ROOT.parent / "shared" / "data").resolve()))  # as .ci/test sets it
    bs, failed = blocks(Path(readme).read_text()), 0
    for i, b in enumerate(bs, 1):
        ok, why, secs = run(b, env)
        check = "runs (output: loose)" if b["loose"] else "runs, no output shown" if b["expected"] is None \
            else "output as shown"
        print(f"{'PASS' if ok else 'FAIL'} README block {i} (line {b['line']}): {check} ({secs:.1f} s)")
        if not ok:
            failed += 1
            print("    " + why.replace("\n", "\n    "))
    if failed:
        print(f"ERROR: {failed} of the {len(bs)} python blocks of {Path(readme).name} do not run as written in a fresh "
              "interpreter (each alone: its imports must be in the block) or print other than the README shows")
    print(f"{len(bs) - failed} passed, {failed} failed")
    return 1 if failed else 0 if bs else 3  # 3: skipped, no python blocks


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
