"""
A bounded crawl of the site (or a list of admin pages) in a real browser, as one person, that
records what must never happen on a page: a JavaScript dialog, a Content-Security-Policy
violation, an uncaught script error, an answer of 500 or more, markup that a payload injected.
"""

import re
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from .payloads import Payloads

TOKEN = re.compile(r"xss\d{3}")
# Added to every document before its own scripts run; not subject to the page's policy.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(
    e.violatedDirective + " blocked " + (e.blockedURI || "?") + " at " + (e.sourceFile || "?")
    + ":" + e.lineNumber + (e.sample ? " sample " + JSON.stringify(e.sample) : "")
  );
});
"""
# Everything a page is checked for, in one call: the violations recorded, the markup a payload
# may have injected whether or not it ran (handlers and scripts carrying a token, iframes written
# by srcdoc, javascript: URLs in links, frames and forms), the page's HTML and its links.
PAGE_STATE = r"""
() => {
  const injected = [];
  const token = /xss\d{3}/;
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value;
      if ((name.startsWith("on") || name === "srcdoc") && token.test(value)) {
        injected.push(`<${tag} ${name}=${JSON.stringify(value)}>`);
      }
      if (["href", "src", "action", "formaction", "data"].includes(name)
          && /^\s*javascript:/i.test(value)) {
        injected.push(`<${tag} ${name}=${JSON.stringify(value)}>`);
      }
    }
    if (tag === "script" && token.test(el.textContent) && !el.type.includes("json")) {
      injected.push(`<script>${el.textContent.slice(0, 80)}`);
    }
  }
  return {
    violations: window.__violations || [],
    injected: injected,
    html: document.documentElement.outerHTML,
    links: Array.from(document.querySelectorAll("a[href]"), (a) => a.href),
  };
}
"""
# Links a crawl of the site never follows: leaving, changing the language, files to download,
# machine answers, and the admin, which is visited page by page.
SKIP_PREFIXES = (
    "/admin/",
    "/accounts/logout/",
    "/i18n/",
    "/documents/",
    "/media/",
    "/static/",
    "/api/",
    "/.well-known/",
    "/assessments/evidence/",
)
SKIP_SUFFIXES = (".pdf", ".zip", ".csv", ".xlsx", ".json", ".png", ".jpg", ".webp")
SKIP_PARTS = ("/download/", "/status/", "/activation-slips/")


@dataclass(frozen=True)
class Finding:
    role: str
    url: str
    what: str

    def __str__(self):
        return f"[{self.role}] {self.url}: {self.what}"


@dataclass
class Visit:
    url: str
    status: int | None
    seconds: float = 0.0


@dataclass
class Crawl:
    """One person's browser: their pages, what went wrong on them, the tokens they showed."""

    role: str
    context: object
    base_url: str
    payloads: Payloads
    headers: dict[str, str] = field(default_factory=dict)
    screenshot_dir: Path | None = None
    findings: list[Finding] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    tokens_seen: set[str] = field(default_factory=set)

    def __post_init__(self):
        # One browser context serves every role in turn, so that the static files each page
        # loads are fetched once: a role starts without the cookies of the one before.
        self.context.clear_cookies()
        self.page = self.context.new_page()
        self.page.set_extra_http_headers(self.headers)
        self.page.set_default_timeout(15_000)
        self._console_csp: list[str] = []
        self.page.on("dialog", self._on_dialog)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("response", self._on_response)

    # --- What the browser reports while a page is open.
    def _add(self, what: str, url: str | None = None):
        fields = self.payloads.fields_in(what)
        if fields:
            what = f"{what} <- payload of {fields}"
        finding = Finding(self.role, self._path(url or self.page.url), what)
        if finding not in self.findings:
            self.findings.append(finding)

    def _on_dialog(self, dialog):
        self._add(f"JavaScript {dialog.type} dialog {dialog.message!r}")
        dialog.dismiss()

    def _on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self._console_csp.append(text)

    def _on_page_error(self, error):
        self._add(f"uncaught script error: {error}")

    def _on_response(self, response):
        document = response.request.resource_type == "document"
        # A page's own answer comes before the browser shows it: name the page it is.
        page = response.url if document else None
        if response.status >= 500:
            self._add(f"answer {response.status} for {self._path(response.url)}", page)
        if (
            document
            and response.url.startswith(self.base_url)
            and "content-security-policy" not in response.headers
        ):
            self._add("answered without a Content-Security-Policy", page)

    def _path(self, url: str) -> str:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.base_url:
            return url
        return parts.path + (f"?{parts.query}" if parts.query else "")

    # --- Pages.
    def sign_in(self, username: str, password: str):
        """Sign in through the site's sign-in form, as a person does."""
        self.visit("/accounts/login/")
        self.page.fill("input[name=login]", username)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation():
            self.page.click("form [type=submit]")
        self._check_page()
        assert "/accounts/login/" not in self.page.url, f"{self.role} could not sign in"

    def visit(self, url: str) -> list[str]:
        """Open `url`, check it, and return the same-site links on it."""
        self._console_csp = []
        started = time.monotonic()
        try:
            response = self.page.goto(urljoin(self.base_url, url), wait_until="load")
        except Exception as exc:  # a download, a timeout: say so, and go on
            self._add(f"could not be opened: {str(exc).splitlines()[0]}", url)
            return []
        links = self._check_page()
        seconds = time.monotonic() - started
        self.visits.append(Visit(url, response.status if response else None, seconds))
        return links

    def _check_page(self) -> list[str]:
        """Record what is wrong with the open page; return its same-site links."""
        try:
            state = self.page.evaluate(PAGE_STATE)
        except Exception as exc:  # the page navigated away by itself meanwhile
            self._add(f"could not be checked: {str(exc).splitlines()[0]}")
            return []
        for violation in state["violations"]:
            self._add(f"CSP violation: {violation}")
        if not state["violations"]:
            for text in self._console_csp:
                self._add(f"CSP violation (console): {text}")
        for markup in state["injected"]:
            self._add(f"injected markup {markup}")
        self.tokens_seen |= set(TOKEN.findall(state["html"]))
        return [link for link in state["links"] if link.startswith(self.base_url)]

    def screenshot(self, name: str):
        if self.screenshot_dir is not None:
            self.page.screenshot(path=str(self.screenshot_dir / f"{name}.png"), full_page=True)

    def crawl(self, starts: list[str], *, limit: int) -> None:
        """
        The site, breadth first from `starts`, at most `limit` pages. Pages are told apart by
        their path and the names of their query parameters, so that sorting and paging a list is
        one page.
        """
        queue = deque(starts)
        done: set[tuple] = set()
        while queue and len(done) < limit:
            url = queue.popleft()
            key = _key(url)
            if key in done or _skipped(url):
                continue
            done.add(key)
            for link in self.visit(url):
                link = self._path(link.split("#")[0])
                if _key(link) not in done:
                    queue.append(link)

    def submit(self, url: str, *, form: str, fields=None, files=None) -> None:
        """
        Open `url`, fill the form that holds the element `form` selects as a person would, send
        it, and check the page that answers: a form shown again with what was typed, or a report.
        """
        self.visit(url)
        target = self.page.locator(form).locator("xpath=ancestor-or-self::form")
        for name, value in (fields or {}).items():
            target.locator(f"[name={name}]").fill(value)
        for name, (filename, content) in (files or {}).items():
            target.locator(f"[name={name}]").set_input_files(
                {"name": filename, "mimeType": "application/octet-stream", "buffer": content}
            )
        self._console_csp = []
        with self.page.expect_navigation():
            target.locator("[type=submit]").first.click()
        self.visits.append(Visit(f"{url} (sent)", None))
        self._check_page()

    def explore_pages(self) -> None:
        """
        Open the admin sidebar's page explorer down to the home page's children: it draws the
        titles by script, from the admin's API, not from a template.
        """
        self.visit("/admin/")
        page = self.page
        page.click(".sidebar-page-explorer-item > button")
        page.click(".c-page-explorer__item__action:not(.c-page-explorer__item__action--small)")
        titles = page.locator(".c-page-explorer__item__title", has_text=TOKEN)
        titles.first.wait_for()
        self.visits.append(Visit("/admin/ (page explorer)", None))
        self._check_page()

    def visit_all(self, urls: list[str]) -> None:
        for url in urls:
            self.visit(url)

    def close(self):
        self.page.close()


def _key(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.path, tuple(sorted({name for name, _ in parse_qsl(parts.query)}))


def _skipped(url: str) -> bool:
    path = urlsplit(url).path
    return (
        path.startswith(SKIP_PREFIXES)
        or path.lower().endswith(SKIP_SUFFIXES)
        or any(part in path for part in SKIP_PARTS)
    )
