# Sphinx configuration of the docs site built by `python .ci/docs.py build` (see there).
import re
from pathlib import Path
from docutils import nodes
from nbdev.config import get_config

cfg = get_config(path=Path(__file__).resolve().parents[2])
project, copyright, html_title = cfg.title, cfg.copyright, cfg.title
extensions = ["myst_nb", "sphinx.ext.githubpages"]  # githubpages: docs/.nojekyll
nb_execution_mode = "off"  # the outputs stored in the notebooks are shown
nb_merge_streams, nb_output_stderr = True, "remove"  # stderr: progress bars
nb_render_markdown_format = "myst"  # show_doc markdown holds $math$
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "attrs_inline"]
myst_dmath_double_inline = True  # `$$x$$` inside a paragraph, as pandoc reads it
myst_all_links_external = True  # doc links are `page.html#anchor`
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]
html_theme = "furo"
html_static_path = ["_static", "../_build/static"]  # the latter: MathJax, put there by docs.py
html_css_files, html_js_files, html_favicon = ["nbdev.css"], ["nbdev.js"], "favicon.svg"
html_copy_source = html_show_sourcelink = html_use_index = html_domain_indices = False
html_theme_options = {"top_of_page_buttons": [], "footer_icons": [{"name": "GitHub", "url": cfg.git_url,
                                                                    "html": "GitHub"}]}
mathjax_path = "mathjax/tex-svg-full.js"  # local (offline, file://), see docs.py
mathjax3_config = {"svg": {"fontCache": "global"}, "options": {"enableMenu": False}}


def nbdev_anchors(app, doctree):
    """nbdev links to `page.html#name` for a show_doc heading `### Name` (pandoc's id): add that id, to show_doc's
    heading (plain text; not a prose heading that links to the name) and only where no element has it already."""
    used = {i for n in doctree.findall(nodes.Element) for i in n["ids"]}
    for s in doctree.findall(nodes.section):
        t, plain = s[0].astext(), all(isinstance(c, nodes.Text) for c in s[0].children)
        if plain and re.fullmatch(r"[\w.]+", t) and t.lower() not in used:
            s["ids"].append(t.lower())
            used.add(t.lower())


def setup(app): app.connect("doctree-read", nbdev_anchors)
