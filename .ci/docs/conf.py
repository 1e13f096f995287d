# Sphinx configuration for the docs site built by `python .ci/docs.py build` (see that file).
# Values come from settings.ini through environment variables set by the build.
import os

project = os.environ.get("NBDOCS_TITLE", "batchbald_redux")
copyright = os.environ.get("NBDOCS_COPYRIGHT", "")
author = ""
language = "en"
root_doc = "index"
extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "jupyter_execute"]

# notebooks are shown with their stored outputs, never executed
nb_execution_mode = "off"
nb_merge_streams = True
nb_output_stderr = "show"
nb_render_markdown_format = "myst"  # text/markdown outputs may hold $math$
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "html_image"]
myst_dmath_double_inline = True
myst_all_links_external = True  # links were already rewritten to the final page URLs
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]

html_theme = "furo"
html_title = project
html_static_path = [os.environ["NBDOCS_STATIC"]] if "NBDOCS_STATIC" in os.environ else []
html_css_files = ["nbdev.css"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_use_index = False
html_domain_indices = False
html_theme_options = {
    "top_of_page_buttons": [],
    "footer_icons": [{"name": "GitHub", "url": os.environ.get("NBDOCS_GIT_URL", ""), "html": "GitHub", "class": ""}],
}
# MathJax 3, local copy (works offline and from file://): TeX -> SVG, no web fonts to fetch
mathjax_path = "mathjax/tex-svg-full.js"
mathjax3_config = {"svg": {"fontCache": "global"}, "options": {"enableMenu": False}}
html_js_files = ["nbdev.js"]
html_favicon = "favicon.svg"
