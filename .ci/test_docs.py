"""Unit tests of the docs translation functions in .ci/docs.py (exact outputs).

Run: `python .ci/test_docs.py` (no test runner needed) or `python -m pytest .ci/test_docs.py`.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docs as D  # noqa: E402

URL = "https://blackhc.github.io/batchbald_redux"
NAMES = {"01_entropy.ipynb": "entropy.html", "03_kernels.ipynb": "kernels.html", "index.ipynb": "index.html"}


def test_split_directives():
    assert D.split_directives("#| hide\nimport torch") == ({"hide": ""}, "import torch")
    assert D.split_directives("#| eval: false\n#|echo:false\n\nx = 1\n#| not a directive") == (
        {"eval": "false", "echo": "false"}, "x = 1\n#| not a directive")
    assert D.split_directives("#| default_exp entropy") == ({"default_exp": "entropy"}, "")
    assert D.split_directives("#| code-summary: \"Exported source\"\nf()") == ({"code-summary": "Exported source"}, "f()")
    assert D.split_directives("x = 1") == ({}, "x = 1")


def test_nb_html_name():
    assert D.nb_html_name("01_entropy.ipynb") == "entropy.html"
    assert D.nb_html_name("11_benchmark.ipynb") == "benchmark.html"
    assert D.nb_html_name("05_consistent_mc_dropout.ipynb") == "consistent_mc_dropout.html"
    assert D.nb_html_name("index.ipynb") == "index.html"
    assert D.nb_html_name("00a_Intro.ipynb") == "intro.html"


def test_pandoc_id():
    assert D.pandoc_id("compute_entropy") == "compute_entropy"
    assert D.pandoc_id("ExactJointEntropy.compute_batch") == "exactjointentropy.compute_batch"
    assert D.pandoc_id("The `tqdm` bars, 2nd try!") == "the-tqdm-bars-2nd-try"


def test_callouts_myst():
    md = ":::{.callout-note}\nA note with $x$.\n:::\n\n::: {.callout-warning}\n## Careful\nDo not.\n:::"
    assert D.translate_callouts(md) == ":::{note}\nA note with $x$.\n:::\n\n:::{admonition} Careful\n:class: warning\nDo not.\n:::"
    md = '::: {.callout-tip title="Faster"}\nUse float32.\n:::'
    assert D.translate_callouts(md) == ":::{admonition} Faster\n:class: tip\nUse float32.\n:::"
    # other fenced divs lose the fence, keep the content; code blocks are copied verbatim
    assert D.translate_callouts("::: {.column-margin}\nside\n:::\n```\n:::\n```") == "side\n```\n:::\n```"
    # nested: the outer admonition gets more colons than the inner one
    assert D.translate_callouts("::: {.callout-note}\n::: {.callout-tip}\nx\n:::\n:::") == ":::{note}\n::::{tip}\nx\n::::\n:::"


def test_callouts_gfm():
    md = "Intro\n\n::: {.callout-important}\n## Read this\nLine 1\n\nLine 2\n:::\nAfter"
    assert D.translate_callouts(md, "gfm") == "Intro\n\n> [!IMPORTANT]\n> **Read this**\n> Line 1\n>\n> Line 2\nAfter"


def test_fix_links():
    md = (f"[`compute_entropy`]({URL}/entropy.html#compute_entropy) and [kernels](03_kernels.ipynb#the-kernel), "
          f"[home]({URL}/), [ext](https://pytorch.org/x.html), [x](./01_entropy.ipynb), "
          '[source](https://github.com/blackhc/batchbald_redux/blob/main/a.py#L9){target="_blank" style="float:right"}')
    assert D.fix_links(md, URL, NAMES) == (
        "[`compute_entropy`](entropy.html#compute_entropy) and [kernels](kernels.html#the-kernel), "
        "[home](index.html), [ext](https://pytorch.org/x.html), [x](entropy.html), "
        "[source](https://github.com/blackhc/batchbald_redux/blob/main/a.py#L9)")
    assert D.fix_links("[k](03_kernels.ipynb) [e]({}/entropy.html)".format(URL), URL, NAMES, absolute=True) == (
        f"[k]({URL}/kernels.html) [e]({URL}/entropy.html)")
    assert D.fix_links(f'<a href="{URL}/entropy.html#x">x</a>', URL, NAMES) == '<a href="entropy.html#x">x</a>'


def test_clean_stream():
    bar = "\r  0%|          | 0/3 [00:00<?, ?it/s]\r100%|##########| 3/3 [00:00<00:00, 12.0it/s]\n"
    assert D.clean_stream(bar, "stderr") == ""
    assert D.clean_stream("scoring: 100%|##########| 10/10 [00:01<00:00,  9.50it/s]\nUserWarning: x\n", "stderr") == "UserWarning: x\n"
    assert D.clean_stream("epoch 1\repoch 2\rdone\nok\n", "stdout") == "done\nok\n"


def test_clean_outputs():
    outs = [
        {"output_type": "display_data", "data": {D.WIDGET_MIME: {"model_id": "a"}, "text/plain": ["  0%|  | 0/3"]}},
        {"output_type": "stream", "name": "stdout", "text": ["a\n"]},
        {"output_type": "stream", "name": "stderr", "text": ["\r 50%|#####     | 1/2 [00:00<00:00]"]},
        {"output_type": "stream", "name": "stdout", "text": "b\n"},
        {"output_type": "execute_result", "data": {"text/plain": ["2"]}, "metadata": {}, "execution_count": 3},
    ]
    assert D.clean_outputs(outs) == [
        {"output_type": "stream", "name": "stdout", "text": "a\nb\n"},
        {"output_type": "execute_result", "data": {"text/plain": ["2"]}, "metadata": {}, "execution_count": 3},
    ]


SHOWDOC = ('---\n\n[source](https://github.com/blackhc/batchbald_redux/blob/main/batchbald_redux/entropy.py#L9)'
           '{target="_blank" style="float:right; font-size:smaller"}\n\n### compute_entropy\n\n```python\n'
           'def compute_entropy(\n    log_probs_N_K_C:Tensor, # N x K x C\n)->Tensor:\n```\n\n*Entropy, in nats.*')


def test_showdoc_md():
    assert D.showdoc_md(SHOWDOC) == (
        '<a id="compute_entropy"></a>\n\n### compute_entropy\n\n::::{container} nbdev-showdoc\n'
        '<a class="nbdev-source" href="https://github.com/blackhc/batchbald_redux/blob/main/batchbald_redux/entropy.py#L9">source</a>\n\n'
        '```python\ndef compute_entropy(\n    log_probs_N_K_C:Tensor, # N x K x C\n)->Tensor:\n```\n\n*Entropy, in nats.*\n::::')


def test_frontmatter_and_images():
    assert D.frontmatter_md({"title": "Entropy", "description": "With $0 \\log 0 = 0$.", "output-file": "entropy.html"}) == (
        "# Entropy\n\n:::{container} description\nWith $0 \\log 0 = 0$.\n:::")
    assert D.frontmatter_md({"title": "Kernels"}) == "# Kernels"
    assert D.fix_image_paths('![plot](images/acc.png) ![w](https://x.org/a.png) <img src="images/b.png">', "nbs/") == (
        '![plot](nbs/images/acc.png) ![w](https://x.org/a.png) <img src="nbs/images/b.png">')


def _processed():
    fm = {"title": "Entropy", "description": "Entropies.", "output-file": "entropy.html"}
    cells = [
        {"cell_type": "raw", "source": "---\ntitle: Entropy\n---", "outputs": []},
        {"cell_type": "markdown", "source": "<!-- WARNING: THIS FILE WAS AUTOGENERATED! DO NOT EDIT! -->", "outputs": []},
        {"cell_type": "markdown", "source": ":::{.callout-note}\nSee [k](03_kernels.ipynb).\n:::", "outputs": []},
        {"cell_type": "code", "source": "#| echo: false\n#| output: asis\nshow_doc(compute_entropy)",
         "outputs": [{"output_type": "execute_result", "data": {"text/markdown": [SHOWDOC], "text/plain": ["x"]}}]},
        {"cell_type": "code", "source": "#| eval: false\nprint(1)", "outputs": [{"output_type": "stream", "name": "stdout", "text": ["1\n"]}]},
        {"cell_type": "code", "source": "#| echo: false\nplot()", "outputs": [{"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=", "text/plain": ["<Figure>"]}}]},
        {"cell_type": "code", "source": "#| include: false\nsecret()", "outputs": []},
        {"cell_type": "code", "source": "#| code-fold: true\n#| output: false\nf()", "outputs": [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}]},
        {"cell_type": "code", "source": "#| hide\nassert f() == 1", "outputs": []},
    ]
    return cells, fm


def test_translate_cells():
    cells, fm = _processed()
    out = D.translate_cells(cells, fm, URL, NAMES)
    assert [c["cell_type"] for c in out] == ["markdown", "markdown", "markdown", "code", "code", "code"]
    assert out[5]["metadata"] == {"tags": ["remove-output", "hide-input"]} and out[5]["source"] == "f()"
    assert out[0]["source"] == "# Entropy\n\n:::{container} description\nEntropies.\n:::"
    assert out[1]["source"] == ":::{note}\nSee [k](kernels.html).\n:::"
    assert out[2]["source"] == D.showdoc_md(SHOWDOC)
    assert out[3] == {"cell_type": "code", "execution_count": None, "metadata": {}, "source": "print(1)",
                      "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}]}
    assert out[4]["metadata"] == {"tags": ["remove-input"]} and out[4]["source"] == "plot()"


def test_fallback_title():
    cells = [{"cell_type": "markdown", "source": "Some text.", "outputs": []}]
    assert D.translate_cells(cells, {}, URL, NAMES, "Kernels")[0]["source"] == "# Kernels"
    cells = [{"cell_type": "markdown", "source": "# My title\n\ntext", "outputs": []}]
    assert [c["source"] for c in D.translate_cells(cells, {}, URL, NAMES, "Kernels")] == ["# My title\n\ntext"]


def test_readme_md():
    cells, fm = _processed()
    images = {}
    md = D.readme_md(cells, fm, URL, NAMES, "docs/readme_images", images)
    assert md == (
        "# Entropy\n\n> Entropies.\n\n"
        "<!-- WARNING: THIS FILE WAS AUTOGENERATED FROM nbs/index.ipynb BY `python .ci/docs.py build`! DO NOT EDIT! -->\n\n"
        f"> [!NOTE]\n> See [k]({URL}/kernels.html).\n\n"
        + SHOWDOC.replace('{target="_blank" style="float:right; font-size:smaller"}', "") + "\n\n"
        "```python\nprint(1)\n```\n\n```\n1\n```\n\n![](docs/readme_images/index_5_0.png)\n\n```python\nf()\n```\n")
    assert images == {"docs/readme_images/index_5_0.png": b"\x89PNG\r\n\x1a\n"}


if __name__ == "__main__":
    tests = [(k, v) for k, v in sorted(globals().items()) if k.startswith("test_") and callable(v)]
    failed = 0
    for name, f in tests:
        try: f(); print(f"PASS {name}")
        except Exception as e:
            failed += 1; print(f"FAIL {name}: {type(e).__name__}: {e}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
