"""
Stored XSS, in a real browser: every text field a trainer, an importer, an auditor, a manager or
a learner can fill holds a payload that names its field (tests/browser/world.py), and each role
signs in and crawls what it can reach, the site breadth first and the admin page by page. Any
JavaScript dialog, Content-Security-Policy violation, uncaught script error, answer of 500 or
more, or markup a payload injected fails the test, with the role, the page and the field.
"""

import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from . import world as world_module
from .crawler import RECORD_VIOLATIONS, Crawl
from .payloads import Payloads

pytestmark = pytest.mark.browser

# Pages each role's crawl of the site opens at most; the admin's pages are listed, not crawled.
SITE_PAGES = 40
# The language each role reads in, so that the Chinese and the English fields are both shown.
LANGUAGES = {
    "anonymous": "en",
    "technician": "zh-CN,zh",
    "front_desk": "en",
    "outlet_manager": "zh-CN,zh",
    "partner_admin": "en",
    "trainer": "en",
    "auditor": "zh-CN,zh",
    "superuser": "en",
}
ADMIN_ROLES = ("trainer", "auditor", "superuser")


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_BACKEND = "accounts.sms.backends.locmem.SmsBackend"
    # Sign-in and verification limits count in the cache, which outlives the database.
    cache.clear()
    yield world_module.build(p=Payloads())
    cache.clear()


def _artifacts() -> Path | None:
    """Where to keep a screenshot per role and the pages visited, for a person to look at."""
    folder = os.environ.get("BROWSER_ARTIFACTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


def test_the_crawl_reports_every_kind_of_failure(browser):
    """The checks themselves, on pages made up to fail each one, with the site's two policies."""
    p = Payloads()
    site = "script-src 'self'; object-src 'none'"
    admin = "script-src 'self' 'unsafe-inline'; object-src 'none'"
    pages = {
        "/blocked/": (200, site, f"<p>{p.text('script')}</p><p>{p.text('handler')}</p>"),
        "/runs/": (200, admin, f"<p>{p.text('run under the admin policy')}</p>"),
        "/throws/": (200, admin, "<script>null.x()</script>"),
        "/link/": (200, site, f"<a href='{p.url('a link')}'>link</a>"),
        "/fails/": (500, site, "<p>Server error</p>"),
        "/open/": (200, None, "<p>No policy</p>"),
    }
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)

    def answer(route):
        status, policy, body = pages.get(urlsplit(route.request.url).path, (404, site, ""))
        route.fulfill(
            status=status,
            headers={"Content-Type": "text/html"}
            | ({"Content-Security-Policy": policy} if policy else {}),
            body=f"<!DOCTYPE html><html><body>{body}</body></html>",
        )

    context.route("http://canary.test/**", answer)
    crawl = Crawl(role="canary", context=context, base_url="http://canary.test", payloads=p)
    crawl.visit_all(list(pages))
    context.close()

    found = "\n".join(map(str, crawl.findings))
    # The script and the handler, each refused and each found in the page.
    assert found.count("[canary] /blocked/: CSP violation: script-src-elem blocked inline") == 1
    assert "[canary] /blocked/: CSP violation: script-src-attr blocked inline" in found
    assert "[canary] /blocked/: injected markup <script>alert" in found
    assert "[canary] /blocked/: injected markup <img onerror=" in found
    assert "payload of script (xss001)" in found
    assert "payload of handler (xss002)" in found
    assert (
        "[canary] /runs/: JavaScript alert dialog 'xss003' <- payload of run under the admin "
        "policy (xss003)" in found
    )
    assert "[canary] /throws/: uncaught script error: " in found
    assert (
        '[canary] /link/: injected markup <a href="javascript:alert(\\"xss004\\")"> <- '
        "payload of a link (xss004)" in found
    )
    assert "[canary] /fails/: answer 500 for /fails/" in found
    assert "[canary] /open/: answered without a Content-Security-Policy" in found
    assert found.count("without a Content-Security-Policy") == 1


def _crawl_as(crawl: Crawl, world) -> str:
    """Sign in as the crawl's role and open what it may reach; return what was opened."""
    role = crawl.role
    if role != "anonymous":
        crawl.sign_in(world.usernames[role], world_module.PASSWORD)
    crawl.crawl(world.site_starts[role], limit=SITE_PAGES)
    for form in world.forms.get(role, []):
        crawl.submit(**form)
    site_pages = len(crawl.visits)
    crawl.screenshot(f"{role}-site")
    if role in ADMIN_ROLES:
        crawl.visit_all([url for url, roles in world.admin_pages if role in roles])
        if role == "superuser":
            crawl.explore_pages()
        crawl.screenshot(f"{role}-admin")
    return f"{site_pages} site pages, {len(crawl.visits) - site_pages} admin pages"


@pytest.fixture
def requests_drained(live_server):
    """
    Wait, at the end, until the live server has answered every request the browser sent: one
    still running when the database is emptied after the test would write into the empty
    database (a session, a content type) and break the next test's restored data.
    """
    running = []
    lock = threading.Lock()

    def started(**kwargs):
        with lock:
            running.append(1)

    def finished(**kwargs):
        with lock:
            if running:
                running.pop()

    request_started.connect(started, dispatch_uid="xss-drain-started")
    request_finished.connect(finished, dispatch_uid="xss-drain-finished")
    yield
    deadline = time.monotonic() + 60
    while running and time.monotonic() < deadline:
        time.sleep(0.1)
    request_started.disconnect(dispatch_uid="xss-drain-started")
    request_finished.disconnect(dispatch_uid="xss-drain-finished")
    assert not running, "the live server still answered requests after the browser closed"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_stored_payload_runs_for_any_role(
    browser, live_server, world, subtests, requests_drained
):
    p = world.payloads
    seen: set[str] = set()
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    for role in ["anonymous", *world_module.ROLES]:
        started = time.monotonic()
        headers = {"Accept-Language": LANGUAGES[role]}
        if role != "anonymous":
            # The browser's name is stored with each sign-in and shown on the person's record.
            headers["User-Agent"] = p.text(f"browser of the {role}'s sign-in", max_length=300)
        crawl = Crawl(
            role=role,
            context=context,
            base_url=live_server.url,
            payloads=p,
            headers=headers,
            screenshot_dir=_artifacts(),
        )
        with subtests.test(msg=role):
            try:
                opened = _crawl_as(crawl, world)
            finally:
                crawl.close()
                seen |= crawl.tokens_seen
            if _artifacts():
                with open(_artifacts() / "visited.txt", "a") as log:
                    log.write(f"{role}: {opened}, {time.monotonic() - started:.1f} s\n")
                    log.writelines(f"  {v.status} {v.seconds:.2f} {v.url}\n" for v in crawl.visits)
            assert not crawl.findings, "\n".join(map(str, crawl.findings))
    context.close()

    with subtests.test(msg="every payload was shown somewhere"):
        unseen = [
            f"{payload.field} ({token})"
            for token, payload in p.by_token.items()
            if payload.expect_seen and token not in seen
        ]
        assert not unseen, "no crawled page showed: " + "; ".join(unseen)
