"""Browser test of the built site: `python .ci/docs.py browser` (Selenium; Debian's chromium, chromium-driver).

Every page of docs/ (subfolders too) over http at 1,400 px, and index and search also from file://: no JS errors or
failed requests, a title, all math typeset by MathJax, images loaded, links to pages and anchors that exist. The API
docs readable: no private names (`_x`, `_X.y`, `X._y`) in the page's TOC or the sidebar, no duplicate HTML ids, no
`NoneType` and no raw reStructuredText (`:param`, `.. note::`, ``` ``x`` ```) outside code cells, no signature block
(nor the page) that scrolls sideways; on every page the sidebar's sections and pages as .ci/docs/sidebar.toml orders
them. The search for "BatchBALD" finds results. index.html and batchbald.html at 420 px: nothing scrolls sideways.
Screenshots in .ci/_screenshots/: every page; index and batchbald at 1,400 and 420 px (`<page>_<width>.png`), and
batchbald's `get_batchbald_batch` signature (`batchbald_signature_<width>.png`). $CHROMIUM and $CHROMEDRIVER override
the binaries. `python .ci/browser_test.py [DOCS_DIR]` tests another build (e.g. an old one, for counts to compare).
"""
import functools, http.server, os, re, shutil, sys, threading
from pathlib import Path
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
DOCS, SHOTS = ROOT / "docs", ROOT / ".ci" / "_screenshots"
WIDE, NARROW, HEIGHT = 1400, 420, 900
SHOT_PAGES, SIGNATURE = ("index.html", "batchbald.html"), ("batchbald.html", "get_batchbald_batch")
INFO_JS = r"""const done = arguments[arguments.length - 1];
const art = document.querySelector('article') || document.body;
const textOf = (drop) => { const c = art.cloneNode(true); c.querySelectorAll(drop).forEach(e => e.remove());
                           return c.textContent; };
const scrolls = (pres) => pres.filter(p => p.scrollWidth > p.clientWidth + 1).length;
const pres = [...art.querySelectorAll('pre')];
// a signature: show_doc's code block (outside the notebook's code cells) that starts with def/class
const sigs = pres.filter(p => !p.closest('div.cell') && /^\s*(async def|def|class) /.test(p.textContent));
(window.MathJax ? MathJax.startup.promise : Promise.resolve()).then(() => done({
  title: document.title, h1: document.querySelector('h1')?.textContent.replace('¶', '').trim() || '',
  math: document.querySelectorAll('.math').length, typeset: document.querySelectorAll('.math mjx-container').length,
  mathErrors: document.querySelectorAll('mjx-merror').length,
  images: [...document.images].map(i => [i.src, i.complete && i.naturalWidth > 0]),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  toc: [...document.querySelectorAll('.toc-tree a, .sidebar-tree a')].map(a => a.textContent.trim()),
  sidebar: [...document.querySelectorAll('.sidebar-tree > *')].flatMap(e => e.matches('p.caption')
    ? [['caption', e.textContent.trim()]]
    : [...e.querySelectorAll(':scope > li > a')].map(a => ['page', a.href.split('#')[0]])),
  prose: textOf('div.cell, script, style'),  // show_doc and markdown: what NoneType is looked for in
  proseText: textOf('div.cell, script, style, pre, code, .math, mjx-container'),  // ... and raw RST
  pres: pres.length, presScrolling: scrolls(pres), sigs: sigs.length, sigsScrolling: scrolls(sigs),
  pageScrolls: document.documentElement.scrollWidth > window.innerWidth}));"""
SCROLL_JS = """document.documentElement.style.scrollBehavior = 'auto';  // furo's is smooth: not for a screenshot
const top = document.getElementById(arguments[0]).closest('section').getBoundingClientRect().top;
window.scrollTo(0, top - (document.querySelector('.mobile-header')?.offsetHeight || 0));  // below a phone's header"""
PRIVATE = re.compile(r"(^|\.)_(?!_)\w")  # `_x`, `_X.y`, `X._y`; not dunders (`X.__call__`)
RST = re.compile(r"(^|\s)(:(param|type|returns?|rtype|raises?|class|meth|func|attr|mod|obj|ref|data|exc)\b[:`\w]"
                 r"|\.\. [\w-]+::)|``", re.M)


def driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={WIDE},{HEIGHT}"): opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors, failed requests
    path = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(options=opts, service=webdriver.ChromeService(path))


def viewport(d, width):
    "The page's viewport `width` CSS px wide (a phone's at NARROW), whatever the window's frame takes."
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": width <= NARROW})


def errors(d): return [f"JS: {e['message']}" for e in d.get_log("browser") if e["level"] == "SEVERE"]


def expected_sidebar():
    "The sidebar .ci/docs/sidebar.toml asks for: [('caption', title), ('page', 'path.html'), ...], top to bottom."
    sys.path.insert(0, str(ROOT / ".ci"))
    import docs
    sections, _ = docs.sidebar(docs.notebooks())
    return [x for title, pages in sections for x in
            [("caption", title)] + [("page", f"{page}.html") for _, page in pages]]


def readability(info):
    "What makes a page's API docs hard to read (see the module docstring), as problems, and counts for the summary."
    dup = sorted({i for i in info["ids"] if info["ids"].count(i) > 1})
    private = [t for t in info["toc"] + [x for k, x in info["sidebar"] if k == "caption"] if PRIVATE.search(t)]
    rst = sorted({m.group(0).strip() for m in RST.finditer(info["proseText"])})
    counts = dict(private=len(private), dup_ids=len(dup), nonetype=info["prose"].count("NoneType"), rst=len(rst),
                  sigs=info["sigs"], sigs_scrolling=info["sigsScrolling"], pres=info["pres"],
                  pres_scrolling=info["presScrolling"])
    probs = [f"private names in the TOC: {', '.join(private)}"] * bool(private)
    probs += [f"{len(dup)} duplicate ids: {', '.join(dup[:8])}{' ...' * (len(dup) > 8)}"] * bool(dup)
    probs += [f"'NoneType' {counts['nonetype']} times outside code cells"] * bool(counts["nonetype"])
    probs += [f"raw reStructuredText: {', '.join(rst)}"] * bool(rst)
    probs += [f"{info['sigsScrolling']} of {info['sigs']} signatures scroll sideways"] * bool(info["sigsScrolling"])
    return probs + ["the page scrolls sideways"] * info["pageScrolls"], counts


def check_page(d, url, shot):
    "The problems of one page, and what it holds, once MathJax is done."
    d.get(url)
    info = d.execute_async_script(INFO_JS)
    d.save_screenshot(str(shot))
    no_title = not info["title"] or info["h1"] not in info["title"]
    probs = errors(d) + [f"no title: {info['title']!r} for h1 {info['h1']!r}"] * no_title
    probs += [f"{info['math'] - info['typeset']} of {info['math']} math not typeset"] * (info["typeset"] < info["math"])
    probs += [f"{info['mathErrors']} MathJax errors"] * bool(info["mathErrors"])
    return probs + [f"image not loaded: {src}" for src, ok in info["images"] if not ok], info


def screenshots(d, base):
    "SHOT_PAGES at both widths, and SIGNATURE's block scrolled into view; at NARROW: nothing scrolls sideways."
    probs = []
    for width in (WIDE, NARROW):
        viewport(d, width)
        for page in SHOT_PAGES:
            d.get(base + page)
            info = d.execute_async_script(INFO_JS)
            d.save_screenshot(str(SHOTS / f"{page[:-5]}_{width}.png"))
            if width == NARROW:
                probs += [f"{page} at {width} px: the page scrolls sideways"] * info["pageScrolls"]
                probs += [f"{page} at {width} px: {info['sigsScrolling']} of {info['sigs']} signatures scroll"
                          ] * bool(info["sigsScrolling"])
        page, name = SIGNATURE
        d.get(base + page)
        d.execute_async_script(INFO_JS)  # MathJax done: the heading's place is final
        d.execute_script(SCROLL_JS, name)
        d.save_screenshot(str(SHOTS / f"{page[:-5]}_signature_{width}.png"))
    viewport(d, WIDE)
    return probs


def main(docs=DOCS):
    docs = Path(docs).resolve()
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(quiet, directory=str(docs)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base, d, failures, ids, links = f"http://127.0.0.1:{httpd.server_address[1]}/", driver(), [], {}, set()
    totals, index_sidebar, want = {}, [], expected_sidebar()
    try:
        viewport(d, WIDE)
        pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.html")
                       if not any(part.startswith(("_", ".")) for part in p.relative_to(docs).parts))
        for url in [base + p for p in pages] + [(docs / p).as_uri() for p in ("index.html", "search.html")]:
            http_ = url.startswith(base)
            page = url.removeprefix(base) if http_ else url.rsplit("/", 1)[1]
            shot = SHOTS / f"{page[:-5].replace('/', '__')}{'' if http_ else '_file'}.png"
            probs, info = check_page(d, url, shot)
            if http_ and page != "search.html":
                more, counts = readability(info)
                probs += more
                totals = {k: totals.get(k, 0) + v for k, v in counts.items()}
                got = [(k, v.removeprefix(base) if k == "page" else v) for k, v in info["sidebar"]]
                index_sidebar = got if page == "index.html" else index_sidebar
                probs += ["the sidebar is not .ci/docs/sidebar.toml's (see below)"] * (got != want)
            print(f"{'FAIL' if probs else 'ok  '} {url}: math {info['typeset']}/{info['math']}, "
                  f"images {len(info['images'])}, signatures scrolling {info['sigsScrolling']}/{info['sigs']}")
            failures += [f"{url}: {p}" for p in probs]
            if http_: ids[page], links = set(info["ids"]), links | {(page, l.removeprefix(base)) for l in info["links"]}
        for page, link in sorted(links):  # the links within the site: to pages and anchors that exist
            target, _, anchor = link.partition("#")
            if re.fullmatch(r"[\w/-]+\.html", target) and (target not in ids or anchor not in ids[target] | {""}):
                failures.append(f"{page}: broken link {link}")
        got = index_sidebar
        print(f"{'ok  ' if got == want else 'FAIL'} sidebar (index.html): "
              f"{' | '.join(v for k, v in got if k == 'caption') or '(no sections)'}")
        if got != want: failures.append(f"sidebar: want .ci/docs/sidebar.toml's\n  {want}\ngot\n  {got}")
        for url in (base + "search.html?q=BatchBALD", (docs / "search.html").as_uri() + "?q=BatchBALD"):
            d.get(url)
            done = lambda d: re.search("finished|did not match", d.find_element("id", "search-results").text)  # noqa
            WebDriverWait(d, 30).until(done)
            hits, errs = d.find_elements("css selector", "#search-results li"), errors(d)
            print(f"{'FAIL' if errs or not hits else 'ok  '} search 'BatchBALD' ({url[:4]}): {len(hits)} results")
            failures += [f"search ({url}): {e}" for e in errs + ["no results"] * (not hits)]
        narrow = screenshots(d, base)
        print(f"{'FAIL' if narrow else 'ok  '} {', '.join(SHOT_PAGES)} at {NARROW} px; screenshots in {SHOTS}")
        failures += narrow
    finally:
        d.quit()
        httpd.shutdown()
    print(f"readability, all pages at {WIDE} px: {totals.get('private', 0)} private names in TOCs, "
          f"{totals.get('dup_ids', 0)} duplicate ids, {totals.get('nonetype', 0)} NoneType, "
          f"{totals.get('rst', 0)} raw RST markers, signatures scrolling {totals.get('sigs_scrolling', 0)} of "
          f"{totals.get('sigs', 0)}, all code blocks scrolling {totals.get('pres_scrolling', 0)} of "
          f"{totals.get('pres', 0)}")
    print("\n".join(["ERROR: browser test:", *failures]) if failures else f"OK: browser test, {len(pages)} pages")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
