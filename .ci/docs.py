#!/usr/bin/env python
"""Build the docs site and README.md from the notebooks, without Quarto.

    python .ci/docs.py build    # notebooks -> docs/ (static HTML site) and README.md
    python .ci/docs.py check    # build, then fail if docs/ or README.md changed (CI)
    python .ci/docs.py browser  # open every page of docs/ in headless Chromium (CI)
    python .ci/docs.py test     # unit tests of the translation functions (.ci/test_docs.py)

Pipeline: nbdev's own notebook processors (`nbdev.processors.FilterDefaults`, what
`nbdev_proc_nbs` runs before Quarto: front matter, `show_doc` rendered to markdown, `#| hide` and
`#| export` cells dropped, doc links added) -> the translation functions below (what Quarto would
understand but Sphinx does not) -> MyST-NB notebooks in `.ci/_build/src` -> Sphinx (furo theme,
no execution: the stored outputs are shown) -> `docs/`. Deterministic: building twice gives
byte-identical output, so CI can check that `docs/` and `README.md` are current.
"""
from __future__ import annotations

import base64, hashlib, json, os, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / ".ci"
BUILD = CI / "_build"
MATHJAX_VERSION = "3.2.2"
MATHJAX_FILE = "tex-svg-full.js"  # one file: all TeX extensions, SVG output (no font files to load)
MATHJAX_SHA256 = "a4354ff94fd868aea0cc6eaaa79a57fda0588646fc46ee3700a349ee0a11cbe6"

# ------------------------------------------------------------------------------------------------
# Translation functions (pure; unit-tested in .ci/test_docs.py)
# ------------------------------------------------------------------------------------------------

_re_directive = re.compile(r"^\s*#\s*\|\s*(.*?)\s*$")


def split_directives(source: str) -> tuple[dict, str]:
    """Split leading `#| key: value` lines off a code cell: ({key: value}, remaining source).
    A directive without a value (`#| hide`) maps to ''."""
    lines = source.splitlines()
    dirs, i = {}, 0
    while i < len(lines):
        m = _re_directive.match(lines[i])
        if not m:
            if lines[i].strip() == "": i += 1; continue
            break
        body = m.group(1)
        if ":" in body:
            k, v = body.split(":", 1)
            dirs[k.strip()] = v.strip().strip("'\"")
        elif body:
            k, *rest = body.split(None, 1)
            dirs[k] = rest[0] if rest else ""
        i += 1
    return dirs, "\n".join(lines[i:]).strip("\n")


def pandoc_id(heading: str) -> str:
    """The anchor id Quarto/pandoc gives a heading (what nbdev's doc links point at):
    lower case, markup and punctuation other than `_-.` removed, spaces to hyphens."""
    s = re.sub(r"[`*]", "", heading).strip().lower()
    s = re.sub(r"[^\w\s.\-]", "", s)
    s = re.sub(r"\s+", "-", s)
    return s.lstrip("0123456789.-_") or "section"


_CALLOUTS = {"note", "tip", "warning", "important", "caution"}
_re_fence_open = re.compile(r"^(:{3,})\s*\{([^}]*)\}\s*$|^(:{3,})\s*([\w-]+)\s*$")
_re_fence_close = re.compile(r"^(:{3,})\s*$")


def translate_callouts(md: str, target: str = "myst") -> str:
    """Quarto fenced divs -> MyST admonitions (`target='myst'`) or GitHub alerts (`'gfm'`).
    `:::{.callout-note}` / `::: {.callout-warning title="T"}` with an optional `## T` first line.
    Other fenced divs (`::: {.column-margin}`) keep their content and lose the fence."""
    out, stack = [], []  # stack: (colons, kind) kind in {'callout', 'div'}
    lines = md.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```") or line.lstrip().startswith("~~~"):  # copy code blocks verbatim
            fence = line.lstrip()[:3]
            out.append(line if not (stack and stack[-1][1] == "gfm") else "> " + line)
            i += 1
            while i < len(lines):
                out.append(lines[i] if not (stack and stack[-1][1] == "gfm") else "> " + lines[i])
                if lines[i].lstrip().startswith(fence): break
                i += 1
            i += 1
            continue
        m = _re_fence_open.match(line.strip())
        if m:
            colons = m.group(1) or m.group(3)
            attrs = m.group(2) if m.group(1) else "." + m.group(4)
            kind = re.search(r"\.callout-(\w+)", attrs)
            if kind and kind.group(1) in _CALLOUTS:
                ctype = kind.group(1)
                t = re.search(r'title\s*=\s*"([^"]*)"', attrs)
                title = t.group(1) if t else None
                if title is None and i + 1 < len(lines) and re.match(r"^#{1,6}\s+\S", lines[i + 1]):
                    title = re.sub(r"^#{1,6}\s+", "", lines[i + 1]).strip()
                    i += 1
                if target == "gfm":
                    out.append(f"> [!{ctype.upper()}]")
                    if title: out.append(f"> **{title}**")
                    stack.append((len(colons), "gfm"))
                else:
                    c = ":" * max(4, len(colons) + 1) if stack else ":" * len(colons)
                    if title: out += [f"{c}{{admonition}} {title}", f":class: {ctype}"]
                    else: out.append(f"{c}{{{ctype}}}")
                    stack.append((len(c), "callout"))
            else:
                stack.append((len(colons), "div"))
            i += 1
            continue
        if _re_fence_close.match(line.strip()) and stack:
            n, kind = stack.pop()
            if kind == "callout": out.append(":" * n)
            i += 1
            continue
        out.append(("> " + line).rstrip() if any(k == "gfm" for _, k in stack) else line)
        i += 1
    while stack:  # unclosed fences: close what we opened
        n, kind = stack.pop()
        if kind == "callout": out.append(":" * n)
    return "\n".join(out)


def nb_html_name(nb_name: str) -> str:
    """nbdev's output-file name for a notebook: `01_entropy.ipynb` -> `entropy.html`."""
    return re.sub(r"^\d+[a-zA-Z0-9]*_", "", nb_name.lower()).rsplit(".", 1)[0] + ".html"


def fix_links(md: str, doc_url: str, nb_names: dict[str, str], absolute: bool = False) -> str:
    """Rewrite links for the static site: absolute doc links (`{doc_url}/entropy.html#x`, what
    nbdev's doc-link lookup writes) -> relative (`entropy.html#x`); links to notebooks
    (`01_entropy.ipynb#x`, `./01_entropy.ipynb`) -> their page (`entropy.html#x`); Quarto link
    attributes (`](url){target="_blank"}`) dropped. With `absolute=True` (README) notebook
    links become absolute doc links instead and absolute doc links stay."""
    doc_url = doc_url.rstrip("/")

    def nb_link(m):
        pre, target, anchor = m.group(1), m.group(2), m.group(3) or ""
        name = target.split("/")[-1]
        if name not in nb_names: return m.group(0)
        page = nb_names[name]
        return f"{pre}{doc_url + '/' if absolute else ''}{page}{anchor})"

    md = re.sub(r"(\]\()(?:\./)?([\w./-]*\.ipynb)(#[^)\s]*)?\)", nb_link, md)
    md = re.sub(r"(\]\([^)\s]*\))\{[^}\n]*\}", r"\1", md)
    if not absolute:
        md = re.sub(r"(\]\()" + re.escape(doc_url) + r"/([^)\s]*)\)",
                    lambda m: f"{m.group(1)}{m.group(2) or 'index.html'})", md)
        md = md.replace(f'href="{doc_url}/', 'href="')
    return md


_re_tqdm = re.compile(r"^.*\d{1,3}%\|.*\|\s*[\d.?]+[kMGT]?/[\d.?]+[kMGT]?\s*\[.*$")


def clean_stream(text: str, name: str = "stdout") -> str:
    """Drop progress-bar noise from a stream: on stderr, lines redrawn with carriage returns and
    tqdm bar lines; on both, a line's text before its last `\\r` (what a terminal overwrites)."""
    out = []
    for line in text.split("\n"):
        if name == "stderr" and ("\r" in line or _re_tqdm.match(line)):
            continue
        if "\r" in line: line = line.rstrip("\r").rsplit("\r", 1)[-1]
        out.append(line)
    return "\n".join(out)


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def clean_outputs(outputs: list) -> list:
    """Stored outputs as the site shows them: widget outputs (tqdm.auto bars) dropped, streams
    cleaned by `clean_stream` and dropped when empty, consecutive same-name streams merged."""
    res = []
    for o in outputs:
        o = dict(o)
        if o.get("output_type") in ("display_data", "execute_result"):
            data = o.get("data", {})
            if WIDGET_MIME in data: continue
        if o.get("output_type") == "stream":
            text = "".join(o["text"]) if isinstance(o["text"], list) else o["text"]
            text = clean_stream(text, o.get("name", "stdout"))
            if not text.strip(): continue
            if res and res[-1].get("output_type") == "stream" and res[-1].get("name") == o.get("name"):
                res[-1] = dict(res[-1], text=res[-1]["text"] + text)
                continue
            o["text"] = text
        res.append(o)
    return res


def _text(v) -> str:
    return "".join(v) if isinstance(v, list) else (v or "")


_re_sd_source = re.compile(r"^\[source\]\(([^)\s]+)\)(?:\{[^}\n]*\})?\s*$", re.MULTILINE)
_re_heading = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)


def showdoc_md(md: str) -> str:
    """A `show_doc` markdown output -> MyST for the page: the heading keeps its place in the
    section tree (and the table of contents) and gets the anchor nbdev's links use
    (`#compute_entropy`, `#exactjointentropy.compute`); the source link, signature and docstring
    go into a `nbdev-showdoc` box."""
    md = md.strip("\n")
    md = re.sub(r"^---\s*\n", "", md)
    src = _re_sd_source.search(md)
    if src: md = md[:src.start()] + md[src.end():]
    h = _re_heading.search(md)
    if not h:
        head, body = "", md
    else:
        name = h.group(2)
        head = f'<a id="{pandoc_id(name)}"></a>\n\n{h.group(1)} {name}\n\n'
        body = md[:h.start()] + md[h.end():]
    body = body.strip("\n")
    link = f'<a class="nbdev-source" href="{src.group(1)}">source</a>\n\n' if src else ""
    return f"{head}::::{{container}} nbdev-showdoc\n{link}{body}\n::::"


def frontmatter_md(fm: dict) -> str:
    """Front matter (`# Title` + `> description` cell, as nbdev parsed it) -> page heading."""
    s = f"# {fm.get('title', 'Untitled')}"
    if fm.get("description"): s += f"\n\n:::{{container}} description\n{fm['description']}\n:::"
    return s


def fix_image_paths(md: str, prefix: str) -> str:
    """Relative image paths in markdown/HTML (`images/x.png`) -> `prefix/images/x.png` (README)."""
    md = re.sub(r"(!\[[^\]]*\]\()(?!https?:|/|#|data:)([^)\s]+)", lambda m: m.group(1) + prefix + m.group(2), md)
    return re.sub(r'(<img\b[^>]*\bsrc=")(?!https?:|/|#|data:)([^"]+)', lambda m: m.group(1) + prefix + m.group(2), md)


def translate_cells(cells: list, fm: dict, doc_url: str, nb_names: dict, fallback_title: str = "") -> list:
    """nbdev-processed cells -> MyST-NB cells (list of nbformat dicts). A notebook without a title
    (no `# Title` front-matter cell) gets `fallback_title` unless it starts with a `# ` heading."""
    res = []
    first_md = next((_text(c.get("source")) for c in cells if c["cell_type"] == "markdown"
                     and not _text(c.get("source")).startswith("<!-- WARNING")), "")
    if "title" not in fm and fallback_title and not first_md.lstrip().startswith("# "):
        fm = dict(fm, title=fallback_title)
    if fm.get("title"): res.append(dict(cell_type="markdown", metadata={}, source=frontmatter_md(fm)))
    for c in cells:
        src = _text(c.get("source"))
        if c["cell_type"] == "raw": continue  # YAML front matter (already in fm)
        if c["cell_type"] == "markdown":
            if src.strip().startswith("<!-- WARNING: THIS FILE WAS AUTOGENERATED"): continue
            src = translate_callouts(fix_links(src, doc_url, nb_names))
            res.append(dict(cell_type="markdown", metadata={}, source=src))
            continue
        dirs, code = split_directives(src)
        if dirs.get("include") == "false" or "hide" in dirs: continue
        outputs = clean_outputs(c.get("outputs", []))
        if dirs.get("output") == "asis":  # show_doc: its markdown becomes part of the page
            for o in outputs:
                data = o.get("data", {})
                if "text/markdown" in data:
                    md = fix_links(_text(data["text/markdown"]), doc_url, nb_names)
                    res.append(dict(cell_type="markdown", metadata={}, source=showdoc_md(md)))
                elif o.get("output_type") == "stream":
                    res.append(dict(cell_type="markdown", metadata={}, source=o["text"]))
            continue
        tags = []
        if dirs.get("echo") == "false": tags.append("remove-input")
        if dirs.get("output") == "false": tags.append("remove-output")
        if dirs.get("code-fold") == "true": tags.append("hide-input")  # folded; `show` = unfolded
        if not code.strip() and not outputs: continue
        if not code.strip(): tags.append("remove-input")
        for o in outputs:  # links in markdown/html outputs
            for k in ("text/markdown", "text/html"):
                if k in o.get("data", {}): o["data"] = dict(o["data"], **{k: fix_links(_text(o["data"][k]), doc_url, nb_names)})
        res.append(dict(cell_type="code", execution_count=None, metadata={"tags": tags} if tags else {},
                        source=code, outputs=outputs))
    return res


def readme_md(cells: list, fm: dict, doc_url: str, nb_names: dict, img_dir: str, images: dict) -> str:
    """nbdev-processed cells of index.ipynb -> GitHub markdown (what `nbdev_readme` makes):
    markdown as written, code in python blocks, stored outputs as text, plots as PNG files
    (`images[path] = bytes` is filled in; the caller writes them)."""
    parts = []
    if fm:
        parts.append(f"# {fm.get('title', '')}")
        if fm.get("description"): parts.append(f"> {fm['description']}")
    parts.append("<!-- WARNING: THIS FILE WAS AUTOGENERATED FROM nbs/index.ipynb BY `python .ci/docs.py build`! DO NOT EDIT! -->")
    for ci, c in enumerate(cells):
        src = _text(c.get("source"))
        if c["cell_type"] == "raw": continue
        if c["cell_type"] == "markdown":
            if src.strip().startswith("<!-- WARNING: THIS FILE WAS AUTOGENERATED"): continue
            parts.append(fix_image_paths(translate_callouts(fix_links(src, doc_url, nb_names, absolute=True), "gfm"), "nbs/"))
            continue
        dirs, code = split_directives(src)
        if dirs.get("include") == "false" or "hide" in dirs: continue
        outputs = clean_outputs(c.get("outputs", []))
        asis = dirs.get("output") == "asis"
        if code.strip() and dirs.get("echo") != "false" and not asis:
            parts.append(f"```python\n{code}\n```")
        if dirs.get("output") == "false": continue
        for oi, o in enumerate(outputs):
            data = o.get("data", {})
            if o.get("output_type") == "stream":
                parts.append(o["text"].rstrip("\n") if asis else f"```\n{o['text'].rstrip()}\n```")
            elif "text/markdown" in data:
                parts.append(fix_links(_text(data["text/markdown"]), doc_url, nb_names, absolute=True).strip())
            elif "image/png" in data:
                name = f"{img_dir}/index_{ci}_{oi}.png"
                images[name] = base64.b64decode(_text(data["image/png"]))
                parts.append(f"![]({name})")
            elif "text/plain" in data:
                parts.append(f"```\n{_text(data['text/plain']).rstrip()}\n```")
            elif "text/html" in data:
                parts.append(_text(data["text/html"]).strip())
            elif o.get("output_type") == "error":
                parts.append(f"```\n{o.get('ename')}: {o.get('evalue')}\n```")
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


# ------------------------------------------------------------------------------------------------
# Build
# ------------------------------------------------------------------------------------------------

def _cfg():
    from nbdev.config import get_config
    cfg = get_config(path=ROOT)
    return cfg


def _proc_nb(args):
    """Run nbdev's docs processors on one notebook (in a fresh process, as `nbdev_proc_nbs` does);
    returns (cells, frontmatter). `show_doc` cells are executed (with the cells they need) for their
    markdown; every other cell keeps the outputs stored in the notebook."""
    path, root = Path(args[0]).resolve(), Path(args[1])
    os.chdir(path.parent)  # relative paths in cells resolve as in Jupyter and nbdev_test
    sys.path.insert(0, str(root))
    os.environ["IN_TEST"] = "1"
    import warnings
    warnings.filterwarnings("ignore", message="Found cells containing imports")
    from execnb.nbio import read_nb
    from nbdev import processors as P

    lean = os.environ.get("NBDOCS_EXEC", "lean") != "nbdev"
    sd_cell = P._is_showdoc
    skip_flags = set(str(P.get_config().get("tst_flags", "")).split())

    class keep_stored_outputs(P.exec_show_docs):
        """nbdev's `exec_show_docs` (runs exported cells, imports and `show_doc` cells), except that only
        `show_doc` cells take the fresh outputs (the others keep what the notebook stored) and that a
        failing non-`show_doc` cell (e.g. a test cell that also imports) is reported, not fatal."""
        def __call__(self, cell):
            if not self.nb.has_docs_ or not hasattr(self, "k"): return
            if P.str2bool(getattr(self.nb, "frontmatter_", {}).get("skip_showdoc", False)): return
            if not P._do_eval(cell): return
            if lean and not sd_cell(cell) and not _defines_or_imports_only(cell): return
            if set(cell.directives_) & skip_flags: return  # `#| slow` cells are never re-run for the docs
            saved, sd = cell.get("outputs"), P._is_showdoc(cell)
            self.k.cell(cell)
            if self.k.exc:
                msg = f"{path.name}: cell {cell.idx_} failed while rendering the docs ({type(self.k.exc).__name__}: {self.k.exc})"
                msg = msg.splitlines()[0]
                if sd:  # e.g. a signature naming a class defined further down: retry once all cells ran
                    print(f"WARNING: {msg}; retried at the end of the notebook (nbdev_docs would fail here)", file=sys.stderr)
                    self.deferred.append(cell)
                else:
                    print(f"WARNING: {msg}; its stored outputs are shown", file=sys.stderr)
                self.k.exc = None
            if not sd and saved is not None: cell["outputs"] = saved

        def begin(self):
            super().begin()
            self.deferred = []

        def end(self):
            for cell in getattr(self, "deferred", []):
                self.k.cell(cell)
                if self.k.exc:
                    raise RuntimeError(f"{path.name}: `{cell.source.splitlines()[-1]}` failed while rendering the docs "
                                       f"({type(self.k.exc).__name__}: {self.k.exc})") from self.k.exc
            super().end()

    class Filter(P.FilterDefaults):
        def base_procs(self):
            return [keep_stored_outputs if p is P.exec_show_docs else p for p in super().base_procs()]

    nb = read_nb(path)
    nb.path_ = str(path)
    Filter()(nb)
    cells = [dict(cell_type=c.cell_type, source=c.get("source") or "", outputs=[dict(o) for o in c.get("outputs", [])])
             for c in nb.cells if c.get("source") is not None]
    cells = json.loads(json.dumps(cells, default=lambda o: dict(o)))
    return cells, dict(getattr(nb, "frontmatter_", {}) or {})


def _defines_or_imports_only(cell) -> bool:
    """Is this a cell nbdev runs for `show_doc` that only imports/defines (exported cells, import
    cells)? Cells that also run code (tests that import something) are skipped: they are slow and
    `show_doc` does not need them (set NBDOCS_EXEC=nbdev to run them as nbdev does)."""
    import ast
    d = cell.directives_
    if {"export", "exports", "exporti", "exec_doc"} & set(d): return True
    try: tree = ast.parse(cell.source)
    except SyntaxError: return False
    return all(isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
               for n in tree.body)


def _notebooks(nbs: Path) -> list[Path]:
    return sorted(p for p in nbs.rglob("*.ipynb")
                  if not any(part.startswith(("_", ".")) for part in p.relative_to(nbs).parts))


def _mathjax(dest: Path):
    """Put MathJax's single-file TeX->SVG build at dest: from the build cache, the committed
    docs/, or npm (`npm pack mathjax@3.2.2`), checked against its SHA-256."""
    cache = BUILD / "mathjax" / MATHJAX_FILE
    for cand in (cache, ROOT / "docs" / "_static" / "mathjax" / MATHJAX_FILE):
        if cand.exists() and hashlib.sha256(cand.read_bytes()).hexdigest() == MATHJAX_SHA256:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cand, dest)
            return
    tmp = BUILD / "npm"
    shutil.rmtree(tmp, ignore_errors=True); tmp.mkdir(parents=True)
    subprocess.run(["npm", "pack", f"mathjax@{MATHJAX_VERSION}", "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    import tarfile
    with tarfile.open(next(tmp.glob("mathjax-*.tgz"))) as t:
        data = t.extractfile(f"package/es5/{MATHJAX_FILE}").read()
    if hashlib.sha256(data).hexdigest() != MATHJAX_SHA256:
        sys.exit(f"ERROR: mathjax@{MATHJAX_VERSION}/es5/{MATHJAX_FILE} from npm has an unexpected SHA-256")
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(data)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cache, dest)


def build(jobs: int = 2) -> None:
    import time
    t0 = time.time()
    cfg = _cfg()
    nbs = ROOT / cfg.nbs_path.relative_to(cfg.config_path)
    docs = ROOT / cfg.doc_path.relative_to(cfg.config_path)
    doc_url = (cfg.doc_host.rstrip("/") + "/" + cfg.doc_baseurl.strip("/")).rstrip("/")
    paths = _notebooks(nbs)
    rel = {p: p.relative_to(nbs) for p in paths}
    nb_names = {p.name: str(rel[p].parent / nb_html_name(p.name)).removeprefix("./") for p in paths}
    nb_names.update({str(rel[p]): v for p, v in zip(paths, nb_names.values())})

    # 1. nbdev's processors, one fresh process per notebook (show_doc imports the package)
    env_pp = os.environ.get("PYTHONPATH", "")
    penv = dict(os.environ, PYTHONPATH=str(ROOT) + (os.pathsep + env_pp if env_pp else ""))
    tmp = BUILD / "proc"
    shutil.rmtree(tmp, ignore_errors=True); tmp.mkdir(parents=True)
    outs = [tmp / f"{k:03d}.json" for k in range(len(paths))]
    running, failed = [], []
    for p, o in zip(paths, outs):
        while len(running) >= max(1, jobs):
            q = running.pop(0)
            if q[0].wait(): failed.append(q[1])
        running.append((subprocess.Popen([sys.executable, __file__, "_proc", str(p), str(o)], env=penv,
                                        stdout=subprocess.DEVNULL, stderr=o.with_suffix(".err").open("w")), p))
    for q in running:
        if q[0].wait(): failed.append(q[1])
    for p, o in zip(paths, outs):
        if p not in failed:
            sys.stderr.writelines(l for l in o.with_suffix(".err").read_text().splitlines(True) if l.startswith("WARNING"))
    for p in list(failed):  # lean execution missed something show_doc needs: run the cells nbdev runs
        print(f"NOTE: retrying {p.name} with every cell nbdev runs for show_doc (NBDOCS_EXEC=nbdev)", file=sys.stderr)
        o = outs[paths.index(p)]
        if not subprocess.run([sys.executable, __file__, "_proc", str(p), str(o)], stdout=subprocess.DEVNULL,
                              env=dict(penv, NBDOCS_EXEC="nbdev")).returncode:
            failed.remove(p)
    if failed: sys.exit(f"ERROR: nbdev's processing failed for {', '.join(str(p.relative_to(ROOT)) for p in failed)}")
    procd = [tuple(json.loads(o.read_text())) for o in outs]

    # 2. translate to MyST-NB notebooks named after nbdev's output files
    src = BUILD / "src"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(nbs, src, ignore=shutil.ignore_patterns("*.ipynb", "_*", ".*"))
    pages = []
    for p, (cells, fm) in zip(paths, procd):
        page = nb_names[p.name][:-len(".html")]
        if p.name == "index.ipynb" and rel[p].parent == Path("."): page = "index"
        else: pages.append(page)
        out = translate_cells(cells, fm, doc_url, nb_names, fallback_title=Path(page).name.replace("_", " ").capitalize())
        nb = dict(nbformat=4, nbformat_minor=5, cells=out, metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "pygments_lexer": "ipython3"}})
        for i, c in enumerate(nb["cells"]): c["id"] = f"c{i}"
        (src / page).parent.mkdir(parents=True, exist_ok=True)
        (src / f"{page}.ipynb").write_text(json.dumps(nb, indent=1, sort_keys=True) + "\n")
    index = src / "index.ipynb"
    if not index.exists(): sys.exit("ERROR: nbs/index.ipynb is missing (it is the home page and README)")
    toc = "```{toctree}\n:hidden:\n:maxdepth: 1\n\n" + "\n".join(pages) + "\n```"
    nb = json.loads(index.read_text())
    nb["cells"].append(dict(cell_type="markdown", metadata={}, source=toc, id="toc"))
    index.write_text(json.dumps(nb, indent=1, sort_keys=True) + "\n")

    # 3. Sphinx
    static = BUILD / "static"
    shutil.rmtree(static, ignore_errors=True)
    shutil.copytree(CI / "docs" / "_static", static)
    _mathjax(static / "mathjax" / MATHJAX_FILE)
    html = BUILD / "html"
    shutil.rmtree(html, ignore_errors=True)
    shutil.rmtree(BUILD / "doctrees", ignore_errors=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", PYTHONHASHSEED="0",
               NBDOCS_TITLE=str(cfg.title), NBDOCS_COPYRIGHT=str(cfg.copyright), NBDOCS_STATIC=str(static),
               NBDOCS_GIT_URL=str(cfg.git_url), NBDOCS_DESCRIPTION=str(cfg.description))
    r = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", "-a", "-j", "1",
                        "-c", str(CI / "docs"), "-d", str(BUILD / "doctrees"), str(src), str(html)], env=env)
    if r.returncode: sys.exit(f"ERROR: sphinx-build failed ({r.returncode})")
    for junk in (".buildinfo", ".buildinfo.bak", "_sources", ".doctrees"):
        p = html / junk
        if p.is_dir(): shutil.rmtree(p)
        elif p.exists(): p.unlink()
    for p in html.rglob("*.map"): p.unlink()  # source maps of the theme's minified files
    for p in html.rglob("*"):  # no absolute paths of this machine in the site
        if p.suffix in (".html", ".js") and str(ROOT) in p.read_text(errors="ignore"):
            sys.exit(f"ERROR: {p} contains the absolute path {ROOT}")

    # 4. docs/ := the site (+ .nojekyll so GitHub Pages serves _static/)
    if docs.exists(): shutil.rmtree(docs)
    shutil.copytree(html, docs)
    (docs / ".nojekyll").write_text("")

    # 5. README.md from index.ipynb
    i = next(k for k, p in enumerate(paths) if p.name == "index.ipynb" and rel[p].parent == Path("."))
    images = {}
    md = readme_md(procd[i][0], procd[i][1], doc_url, nb_names, "docs/readme_images", images)
    for name, data in images.items():
        (ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / name).write_bytes(data)
    (ROOT / "README.md").write_text(md)
    n = sum(1 for _ in docs.rglob("*.html"))
    size = sum(p.stat().st_size for p in docs.rglob("*") if p.is_file())
    print(f"built {len(paths)} notebooks -> {docs.relative_to(ROOT)}/ ({n} html pages, {size / 1e6:.1f} MB) "
          f"and README.md in {time.time() - t0:.0f} s")


def check() -> int:
    build()
    r = subprocess.run(["git", "status", "--porcelain", "--", "docs", "README.md"], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    if r.stdout.strip():
        print("ERROR: docs/ or README.md are not current with the notebooks. Run\n"
              "    python .ci/docs.py build\nand commit docs/ and README.md. Changed:")
        print(r.stdout)
        return 1
    print("OK: docs/ and README.md are current")
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "build"
    if cmd == "build": build()
    elif cmd == "check": sys.exit(check())
    elif cmd == "test":
        sys.exit(subprocess.run([sys.executable, str(CI / "test_docs.py")]).returncode)
    elif cmd == "_proc":  # internal: one notebook through nbdev's processors -> JSON
        Path(sys.argv[3]).write_text(json.dumps(_proc_nb((sys.argv[2], ROOT))))
    elif cmd == "browser":
        sys.path.insert(0, str(CI))
        import browser_test
        sys.exit(browser_test.main(sys.argv[2:]))
    else: sys.exit(__doc__)
