"""Browser test of the built docs site: `python .ci/docs.py browser [--docs DIR] [--shots DIR]`.

Opens every page of docs/ in headless Chromium (Debian's `chromium`), over http (a server on
127.0.0.1) and the home page and search also from file://, driven through the Chrome DevTools
Protocol (websocket-client). Fails on: console errors, uncaught exceptions, failed requests,
math left untypeset or MathJax errors, broken images, module pages without `show_doc` signature
blocks, a search for "BatchBALD" without results. Saves screenshots to .ci/_screenshots/.
"""
from __future__ import annotations

import argparse, base64, functools, http.server, json, os, re, shutil, subprocess, sys, tempfile, threading, time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--hide-scrollbars", "--mute-audio", "--remote-allow-origins=*", "--window-size=1280,900"]


class CDP:
    "A minimal Chrome DevTools Protocol client: one page target, commands and collected events."
    def __init__(self, ws_url):
        import websocket
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True, enable_multithread=True)
        self.n, self.events = 0, []

    def __call__(self, method, timeout=60, **params):
        self.n += 1
        my = self.n
        self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        end = time.time() + timeout
        while time.time() < end:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my:
                if "error" in msg: raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg: self.events.append(msg)
        raise TimeoutError(method)

    def wait_event(self, name, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            for e in self.events:
                if e["method"] == name: return e
            self.ws.settimeout(max(0.1, end - time.time()))
            try: msg = json.loads(self.ws.recv())
            except Exception: break
            if "method" in msg: self.events.append(msg)
        raise TimeoutError(name)

    def js(self, expr, timeout=30):
        r = self("Runtime.evaluate", timeout=timeout, expression=expr, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in r: raise RuntimeError(f"JS error in {expr[:80]}: {r['exceptionDetails']}")
        return r["result"].get("value")


def start_chromium(chromium):
    udd = tempfile.mkdtemp(prefix="chromium-profile-")
    proc = subprocess.Popen([chromium, *FLAGS, f"--user-data-dir={udd}", "--remote-debugging-port=0", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = Path(udd) / "DevToolsActivePort"
    for _ in range(300):
        if port_file.exists() and port_file.read_text().strip(): break
        if proc.poll() is not None: raise RuntimeError(f"{chromium} exited with {proc.returncode}")
        time.sleep(0.1)
    port = int(port_file.read_text().split()[0])
    for _ in range(100):
        try:
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
            page = next(t for t in targets if t["type"] == "page")
            return proc, udd, page["webSocketDebuggerUrl"]
        except (StopIteration, OSError):
            time.sleep(0.1)
    raise RuntimeError("no page target in chromium")


WAIT_JS = """(async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await new Promise(r => setTimeout(r, 100));
  const imgs = [...document.images];
  await Promise.all(imgs.map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })));
  return true;
})()"""

INFO_JS = """(() => ({
  title: document.title,
  math: document.querySelectorAll('.math').length,
  mjx: document.querySelectorAll('mjx-container').length,
  mjxErrors: [...document.querySelectorAll('mjx-merror')].map(e => e.getAttribute('data-mjx-error') || e.textContent).slice(0, 5),
  untypeset: [...document.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 60)).slice(0, 5),
  showdoc: document.querySelectorAll('div.nbdev-showdoc').length,
  signatures: document.querySelectorAll('div.nbdev-showdoc div.highlight pre').length,
  sidebar: document.querySelectorAll('.sidebar-tree a.reference').length,
  brokenImages: [...document.images].filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src')),
  cells: document.querySelectorAll('div.cell').length,
  outputs: document.querySelectorAll('div.cell_output').length,
  height: document.documentElement.scrollHeight,
}))()"""

SEARCH_JS = """(async () => {
  for (let i = 0; i < 100; i++) {
    const hits = document.querySelectorAll('#search-results ul.search li');
    const status = document.querySelector('#search-results p.search-summary');
    if (hits.length || (status && /did not match/.test(status.textContent))) return hits.length;
    await new Promise(r => setTimeout(r, 100));
  }
  return -1;
})()"""


def errors_of(events):
    errs = []
    for e in events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            errs.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errs.append("console.error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
            errs.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        elif m == "Network.loadingFailed" and not p.get("canceled"):
            errs.append(f"request failed: {p.get('errorText')} ({p.get('requestId')})")
        elif m == "Network.responseReceived" and p["response"].get("status", 200) >= 400:
            errs.append(f"HTTP {p['response']['status']}: {p['response']['url']}")
    return errs


def visit(cdp, url, shot=None, full=False):
    cdp.events.clear()
    cdp("Page.navigate", url=url)
    cdp.wait_event("Page.loadEventFired", timeout=60)
    cdp.js(WAIT_JS, timeout=60)
    info = cdp.js(INFO_JS)
    if shot:
        shot.parent.mkdir(parents=True, exist_ok=True)
        params = dict(format="png")
        if full:
            h = min(int(info["height"]), 6000)
            params.update(captureBeyondViewport=True, clip=dict(x=0, y=0, width=1280, height=h, scale=0.6))
        shot.write_bytes(base64.b64decode(cdp("Page.captureScreenshot", **params)["data"]))
    time.sleep(0.05)
    cdp.js("1")  # flush pending events
    info["errors"] = errors_of(cdp.events)
    return info


def module_pages(docs: Path) -> set[str]:
    "Pages that must show API blocks: notebooks exporting public functions/classes (nbdev show_docs them)."
    sys.path.insert(0, str(ROOT / ".ci"))
    import docs as D
    import ast
    res = set()
    nbs = ROOT / "nbs"
    for p in D._notebooks(nbs):
        nb = json.loads(p.read_text())
        for c in nb["cells"]:
            if c["cell_type"] != "code": continue
            dirs, code = D.split_directives("".join(c["source"]))
            if not ({"export", "exports"} & set(dirs)) or "hide" in dirs: continue
            try: tree = ast.parse(code)
            except SyntaxError: continue
            if any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and not n.name.startswith("_")
                   for n in tree.body):
                res.add(str(p.relative_to(nbs).parent / D.nb_html_name(p.name)).removeprefix("./"))
                break
    return res


def main(argv=()):
    ap = argparse.ArgumentParser(prog="python .ci/docs.py browser")
    ap.add_argument("--docs", default=str(ROOT / "docs"))
    ap.add_argument("--shots", default=str(ROOT / ".ci" / "_screenshots"))
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium")
    a = ap.parse_args(list(argv))
    docs, shots = Path(a.docs).resolve(), Path(a.shots)
    if not Path(a.chromium).exists():
        print(f"ERROR: no Chromium at {a.chromium} (Debian: apt-get install -y chromium)"); return 1
    shutil.rmtree(shots, ignore_errors=True)
    t0 = time.time()
    handler = functools.partial(type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}),
                                directory=str(docs))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    proc, udd, ws = start_chromium(a.chromium)
    failures, lines = [], []
    try:
        cdp = CDP(ws)
        for dom in ("Page", "Runtime", "Log", "Network"): cdp(f"{dom}.enable")
        cdp("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        pages = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.html"))
        api_pages, math_pages = module_pages(docs), []
        for page in pages:
            name = page[:-5].replace("/", "_")
            info = visit(cdp, base + page, shots / f"{name}.png")
            if page not in ("search.html", "genindex.html"):
                visit(cdp, base + page, shots / f"{name}_full.png", full=True)
            for what, sel in (("api", "div.nbdev-showdoc"), ("plot", "div.cell_output img"), ("math", "div.math")):
                if cdp.js(f"(() => {{ const e = document.querySelector('{sel}'); if (!e) return false; "
                          "e.scrollIntoView({block: 'center', behavior: 'instant'}); return true; })()"):
                    time.sleep(0.2)
                    shot = cdp("Page.captureScreenshot", format="png")["data"]
                    (shots / f"{name}_{what}.png").write_bytes(base64.b64decode(shot))
            if info["math"]: math_pages.append(page)
            probs = list(info["errors"])
            if info["math"] and info["mjx"] < info["math"]: probs.append(f"{info['math']} math elements but {info['mjx']} typeset")
            if info["untypeset"]: probs.append(f"untypeset math: {info['untypeset']}")
            if info["mjxErrors"]: probs.append(f"MathJax errors: {info['mjxErrors']}")
            if info["brokenImages"]: probs.append(f"broken images: {info['brokenImages']}")
            if page in api_pages and not info["signatures"]: probs.append("module page without show_doc signature blocks")
            if page not in ("search.html", "genindex.html") and not info["sidebar"]: probs.append("no sidebar navigation")
            lines.append(f"{'FAIL' if probs else 'ok  '} {page}: math {info['mjx']}/{info['math']}, API blocks {info['showdoc']}, "
                         f"cells {info['cells']} (outputs {info['outputs']}), sidebar links {info['sidebar']}")
            failures += [f"{page}: {p}" for p in probs]
        for where, url in (("http", base + "search.html?q=BatchBALD"),
                           ("file", (docs / "search.html").as_uri() + "?q=BatchBALD")):
            info = visit(cdp, url, shots / f"search_{where}.png")
            n = cdp.js(SEARCH_JS, timeout=30)
            shot = cdp("Page.captureScreenshot", format="png")["data"]
            (shots / f"search_{where}.png").write_bytes(base64.b64decode(shot))
            errs = info["errors"] + errors_of(cdp.events)
            lines.append(f"{'FAIL' if n <= 0 or errs else 'ok  '} search 'BatchBALD' over {where}: {n} results")
            if n <= 0: failures.append(f"search over {where}: no results for 'BatchBALD'")
            failures += [f"search over {where}: {e}" for e in errs]
        for page in dict.fromkeys(["index.html"] + math_pages[:1] + sorted(api_pages & set(pages))[:1]):
            info = visit(cdp, (docs / page).as_uri(), shots / f"{page[:-5].replace('/', '_')}_file.png")
            probs = info["errors"] + (["untypeset math"] if info["math"] > info["mjx"] else [])
            probs += ["broken images"] if info["brokenImages"] else []
            lines.append(f"{'FAIL' if probs else 'ok  '} {page} over file://: math {info['mjx']}/{info['math']}, "
                         f"API blocks {info['showdoc']}")
            failures += [f"file://{page}: {p}" for p in probs]
    finally:
        proc.terminate()
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()
        shutil.rmtree(udd, ignore_errors=True)
        httpd.shutdown()
    print("\n".join(lines))
    print(f"browser test: {len(pages)} pages, screenshots in {shots.relative_to(ROOT) if shots.is_relative_to(ROOT) else shots}, "
          f"{time.time() - t0:.0f} s")
    if failures:
        print("ERROR: browser test failed:\n  " + "\n  ".join(dict.fromkeys(failures)))
        return 1
    print("OK: browser test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
