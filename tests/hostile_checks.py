"""Detectors for the hostile-feed tests: in the browser, and over HTML strings.

`TRIPWIRES` is installed with `add_init_script`, so it runs in every document
before any of the page's own code. It records in `window.__pwned`:

- a call of alert, confirm, prompt or print (the usual proof of XSS);
- a Content-Security-Policy violation (an injected inline script or handler
  that the CSP stopped is still an injection);
- any <script> not loaded from the app's /static/ folder, any on* attribute,
  any javascript:/vbscript:/data: URL in a link, source or form attribute,
  and the elements that can run or navigate (iframe, object, embed, base,
  meta refresh, style), whether present at load or added later.

`executable_markup(html)` applies the same rules to an HTML string, for feeds
and the API.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

TRIPWIRES = r"""
(() => {
  const found = [];
  Object.defineProperty(window, "__pwned", { value: found, configurable: false });
  const hit = (what) => found.push(String(what).slice(0, 200));
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const trap = (...args) => { hit(`${name}(${args.join(",")})`); return null; };
    Object.defineProperty(window, name, { value: trap, writable: false, configurable: false });
  }
  window.addEventListener("securitypolicyviolation",
    (e) => hit(`csp:${e.violatedDirective}:${e.sample || e.blockedURI}`), true);
  const URL_ATTRS = ["href", "src", "action", "formaction", "xlink:href", "data", "poster",
                     "background", "cite", "srcset"];
  const BAD_URL = /^(javascript|vbscript|data:(?!image\/(png|gif|jpeg|webp);))/i;
  const RUNNERS = ["IFRAME", "FRAME", "OBJECT", "EMBED", "APPLET", "BASE", "STYLE"];
  const check = (el) => {
    const tag = el.tagName.toUpperCase();
    if (tag === "SCRIPT" && !/^\/static\//.test(el.getAttribute("src") || "")) {
      hit(`script:${el.getAttribute("src") || el.textContent}`);
    }
    if (RUNNERS.includes(tag)) hit(`element:${tag}:${el.outerHTML.slice(0, 80)}`);
    if (tag === "META" && el.hasAttribute("http-equiv")) hit(`meta:${el.getAttribute("content")}`);
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020\u200b]/g, "");
      if (name.startsWith("on")) hit(`handler:${tag}.${name}=${attr.value}`);
      if (name === "srcdoc") hit(`srcdoc:${attr.value}`);
      if (URL_ATTRS.includes(name) && BAD_URL.test(value)) hit(`url:${tag}.${name}=${attr.value}`);
      if (name === "style" && /url\s*\(|expression\s*\(|behavior/i.test(attr.value)) {
        hit(`style:${attr.value}`);
      }
    }
  };
  const scan = (node) => {
    if (node.nodeType !== 1) return;
    check(node);
    node.querySelectorAll("*").forEach(check);
  };
  new MutationObserver((records) => records.forEach((r) => {
    r.addedNodes.forEach(scan);
    if (r.type === "attributes" && r.target.nodeType === 1) check(r.target);
  })).observe(document, { childList: true, subtree: true, attributes: true });
})();
"""

FORBIDDEN = frozenset(
    "script iframe frame frameset object embed applet base meta form style link svg math "
    "template noscript input button textarea select isindex xss".split()
)
URL_ATTRS = frozenset("href src action formaction xlink:href data poster background cite".split())
_BAD_URL = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\u200b\ufeff]")
_SCRIPT_TAG = re.compile(r"<\s*script", re.IGNORECASE)
_TAG = re.compile(r"""<[a-z](?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_HANDLER = re.compile(r"""[\s/]on\w+\s*=""", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"""=\s*["']?\s*(javascript|vbscript):""", re.IGNORECASE)


class _Collector(HTMLParser):
    """Every start tag with its attributes, entities decoded as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRS and _BAD_URL.match(_INVISIBLE.sub("", value or "")):
                self.problems.append(f"<{tag} {name}={value!r}>")


def executable_markup(html: str) -> list[str]:
    """What in `html` could run script or navigate; empty when the HTML is safe."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    problems = collector.problems
    if _SCRIPT_TAG.search(html):
        problems.append("<script")
    for tag in _TAG.findall(html):
        # Outside its quoted values a tag holds names only: "on...=" there is a handler.
        if _HANDLER.search(_QUOTED.sub('""', tag)):
            problems.append(f"on*= in {tag[:60]}")
        if _SCRIPT_URL.search(tag):
            problems.append(f"javascript: in {tag[:60]}")
    return problems


_TAG_LIKE = re.compile(r"<\s*/?\s*[a-z!]", re.IGNORECASE)


def tag_like(text: str) -> bool:
    """Whether plain text holds something a reader rendering it as HTML would parse as a tag."""
    return bool(_TAG_LIKE.search(text))


def feed_parts(body: bytes, ext: str) -> tuple[list[str], list[str], list[str]]:
    """(HTML contents, plain-text titles, links) of a feed document."""
    if ext == "json":
        items = json.loads(body)["items"]
        return ([i.get("content_html", "") for i in items], [i["title"] for i in items],
                [i["url"] for i in items])  # fmt: skip
    root = ElementTree.fromstring(body)
    if ext == "rss":
        html = [i.findtext("description", "") for i in root.iter("item")]
        titles = [t.text or "" for t in root.iter("title")]
        return html, titles, [t.text or "" for t in root.iter("link")]
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    html = [e.findtext("a:summary", "", ns) + e.findtext("a:content", "", ns) for e in entries]
    links = [link.get("href", "") for e in entries for link in e.findall("a:link", ns)]
    return html, [e.findtext("a:title", "", ns) for e in entries], links
