#!/usr/bin/env python
"""The package on the Pythons it claims (settings.ini: 3.10-3.13), without warnings.

    python .ci/python_versions.py compile       # every module compiles with -W error on each of 3.10-3.13 here
    python .ci/python_versions.py smoke [3.12]  # fresh venv: install torch==2.13.0 and the package, import every
                                                # module with -W error, get_batchbald_batch on a small random pool

A Python that this machine lacks (not on PATH, not in pyenv's versions) is skipped with a line that says so; so is the
smoke test where pip finds no CPU build of torch==2.13.0 for that Python (only the multi-GB CUDA build: it prints why).
The smoke test reuses pip's cache. Exit status: 0 passed, 1 failed, 3 skipped (nothing here to run it on).
"""
import glob, json, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSIONS, TORCH = ("3.10", "3.11", "3.12", "3.13"), "torch==2.13.0"
COMPILE = r"""import pathlib, sys, warnings
bad = []
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.py"))
for f in files:
    try: compile(f.read_bytes(), str(f), "exec", dont_inherit=True)
    except (SyntaxError, Warning) as e: bad.append(f"{f.name}: {type(e).__name__}: {e}")
print(f"{len(files) - len(bad)} of {len(files)} modules compile with -W error", *bad, sep="\n    ")
sys.exit(1 if bad else 0)
"""
SMOKE = r"""import importlib, pkgutil, torch
import batchbald_redux
mods = [m.name for m in pkgutil.walk_packages(batchbald_redux.__path__, "batchbald_redux.")]
for m in mods: importlib.import_module(m)
from batchbald_redux.batchbald import get_batchbald_batch
g = torch.Generator().manual_seed(0)
log_probs_N_K_C = torch.log_softmax(torch.randn(20, 5, 3, generator=g), dim=-1)
batch = get_batchbald_batch(log_probs_N_K_C, 4, 1000, generator=g, progress=False)
assert len(set(batch.indices)) == 4 and all(0 <= i < 20 for i in batch.indices), batch
assert all(a <= b + 1e-12 for a, b in zip(batch.scores, batch.scores[1:])), batch  # the batch MI only grows
print(f"batchbald_redux {batchbald_redux.__version__}, torch {torch.__version__}: {len(mods)} modules imported "
      f"with -W error; get_batchbald_batch picked {batch.indices}")
"""


def python(version):
    "The interpreter of `version` on this machine: `pythonX.Y` on PATH (if it runs), else pyenv's newest X.Y.*."
    exe = shutil.which(f"python{version}")
    if exe and subprocess.run([exe, "-c", ""], capture_output=True).returncode == 0: return exe
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = glob.glob(f"{root}/versions/{version}.*/bin/python{version}")
    key = lambda p: [int(x) for x in re.findall(r"\d+", Path(p).parent.parent.name)]  # noqa: E731
    return max(found, key=key) if found else None


def compile_all():
    failed = ran = 0
    for v in VERSIONS:
        if not (exe := python(v)):
            print(f"SKIP Python {v}: not on this machine (no working python{v} on PATH or in pyenv's versions)")
            continue
        ran += 1
        r = subprocess.run([exe, "-W", "error", "-c", COMPILE, str(ROOT / "batchbald_redux")], capture_output=True,
                           text=True)
        ver = subprocess.run([exe, "-c", "import platform; print(platform.python_version())"], capture_output=True,
                             text=True).stdout.strip()
        print(f"{'PASS' if r.returncode == 0 else 'FAIL'} Python {ver}: {(r.stdout + r.stderr).strip()}")
        failed += r.returncode != 0
    return 1 if failed else 0 if ran else 3


def smoke(version="3.12"):
    t0 = time.time()
    if not (exe := python(version)):
        print(f"SKIP smoke test on Python {version}: not on this machine")
        return 3
    with tempfile.TemporaryDirectory(prefix="bbr-smoke-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([exe, "-m", "venv", venv], check=True)
        py, env = str(venv / "bin" / "python"), dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
        pip = [py, "-m", "pip", "-q", "--no-input"]
        report = Path(tmp) / "torch.json"  # the torch wheel pip would pick, from its metadata, without downloading it
        r = subprocess.run(pip + ["install", "--dry-run", "--no-deps", "--report", str(report), TORCH],
                           capture_output=True, text=True, env=env)
        if r.returncode:
            print(f"SKIP smoke test on Python {version}: pip finds no {TORCH} for it: {r.stderr.strip()[-300:]}")
            return 3
        torch = json.loads(report.read_text())["install"][0]["metadata"]
        cuda = sorted({re.split(r"[\s\[;<>=!~]", d)[0] for d in torch.get("requires_dist", [])
                       if d.lower().startswith(("nvidia-", "cuda-", "triton"))})
        if cuda:
            print(f"SKIP smoke test on Python {version}: the only {TORCH} that pip finds for it here is the CUDA "
                  f"build {torch['version']} (it needs {', '.join(cuda[:3])}, ...: several GB); put a CPU wheel "
                  f"(torch-2.13.0+cpu-cp{version.replace('.', '')}-...) in pip's find-links to run it")
            return 3
        for args in (["install", TORCH], ["install", str(ROOT)]):  # torch first: pip would pick a CUDA build
            r = subprocess.run(pip + args, capture_output=True, text=True, env=env)
            if r.returncode:
                print(f"FAIL smoke test on Python {version}: pip {' '.join(args)}:\n{r.stderr.strip()[-2000:]}")
                return 1
        r = subprocess.run([py, "-W", "error", "-c", SMOKE], capture_output=True, text=True, cwd=tmp, env=env)
        out = (r.stdout + r.stderr).strip()
        print(f"{'PASS' if r.returncode == 0 else 'FAIL'} smoke test on Python {version}, installed from the checkout "
              f"into a fresh venv ({time.time() - t0:.0f} s): {out if r.returncode == 0 else chr(10) + out[-3000:]}")
        return 1 if r.returncode else 0


if __name__ == "__main__":
    cmd, *args = sys.argv[1:] or ["compile"]
    if cmd == "compile": sys.exit(compile_all())
    elif cmd == "smoke": sys.exit(smoke(*args))
    else: sys.exit(__doc__)
