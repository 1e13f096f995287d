// From file:// the browser may not fetch other pages, so Sphinx's search shows results without
// the text snippets it would otherwise fetch (over http the snippets stay).
if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
