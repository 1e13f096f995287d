"""Browser test of the built site: `python .ci/docs.py browser` (Selenium; Debian's chromium, chromium-driver).

Every page of docs/ over http, and index and search also from file://: no JS errors or failed requests, a
title, all math typeset by MathJax, images loaded, links to pages and anchors that exist; the search for
"BatchBALD" finds results. $CHROMIUM and $CHROMEDRIVER override the binaries. Screenshots: .ci/_screenshots/.
"""
import functools, http.server, os, re, shutil, threading
from pathlib import Path
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
DOCS, SHOTS = ROOT / "docs", ROOT / ".ci" / "_screenshots"
INFO_JS = """const done = arguments[arguments.length - 1];
(window.MathJax ? MathJax.startup.promise : Promise.resolve()).then(() => done({
  title: document.title, h1: document.querySelector('h1')?.textContent.replace('¶', '').trim() || '',
  math: document.querySelectorAll('.math').length, typeset: document.querySelectorAll('.math mjx-container').length,
  mathErrors: document.querySelectorAll('mjx-merror').length,
  images: [...document.images].map(i => [i.src, i.complete && i.naturalWidth > 0]),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  links: [...document.querySelectorAll('a[href]')].map(a => a.href)}));"""


def driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"): opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors, failed requests
    path = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(options=opts, service=webdriver.ChromeService(path))


def errors(d): return [f"JS: {e['message']}" for e in d.get_log("browser") if e["level"] == "SEVERE"]


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


def main():
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(quiet, directory=str(DOCS)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base, d, failures, ids, links = f"http://127.0.0.1:{httpd.server_address[1]}/", driver(), [], {}, set()
    try:
        pages = sorted(p.name for p in DOCS.glob("*.html"))
        for url in [base + p for p in pages] + [(DOCS / p).as_uri() for p in ("index.html", "search.html")]:
            page, http_ = url.rsplit("/", 1)[1], url.startswith(base)
            probs, info = check_page(d, url, SHOTS / f"{page[:-5]}{'' if http_ else '_file'}.png")
            print(f"{'FAIL' if probs else 'ok  '} {url}: math {info['typeset']}/{info['math']}, "
                  f"images {len(info['images'])}")
            failures += [f"{url}: {p}" for p in probs]
            if http_: ids[page], links = set(info["ids"]), links | {(page, l.removeprefix(base)) for l in info["links"]}
        for page, link in sorted(links):  # the links within the site: to pages and anchors that exist
            target, _, anchor = link.partition("#")
            if re.fullmatch(r"[\w-]+\.html", target) and (target not in ids or anchor not in ids[target] | {""}):
                failures.append(f"{page}: broken link {link}")
        for url in (base + "search.html?q=BatchBALD", (DOCS / "search.html").as_uri() + "?q=BatchBALD"):
            d.get(url)
            done = lambda d: re.search("finished|did not match", d.find_element("id", "search-results").text)  # noqa
            WebDriverWait(d, 30).until(done)
            hits, errs = d.find_elements("css selector", "#search-results li"), errors(d)
            print(f"{'FAIL' if errs or not hits else 'ok  '} search 'BatchBALD' ({url[:4]}): {len(hits)} results")
            failures += [f"search ({url}): {e}" for e in errs + ["no results"] * (not hits)]
    finally:
        d.quit()
        httpd.shutdown()
    print("\n".join(["ERROR: browser test:", *failures]) if failures else f"OK: browser test, {len(pages)} pages")
    return 1 if failures else 0
