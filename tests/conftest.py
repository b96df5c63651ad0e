import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from tests.factories.network import (
    OutletFactory,
    PartnerCompanyFactory,
    StaffFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


def _redis_reachable() -> str | None:
    """Return why Redis cannot be used, or None when it can."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return "needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/15"
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2).close()
    except OSError as exc:
        return f"needs Redis at {parsed.hostname}:{parsed.port or 6379}: {exc}"
    return None


def _postgres_missing() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms"
    return None


WQY_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def _pdftools_missing() -> str | None:
    if not shutil.which("pdftotext") or not os.path.isfile(WQY_FONT):
        return (
            "needs pdftotext and the WenQuanYi font: "
            "apt-get install poppler-utils fonts-wqy-microhei"
        )
    return None


CHROMIUM = "/usr/bin/chromium"


def _browser_missing() -> str | None:
    import importlib.util

    if not os.access(CHROMIUM, os.X_OK):
        return f"needs chromium at {CHROMIUM}: apt-get install chromium"
    if importlib.util.find_spec("playwright") is None:
        return 'needs the playwright package: pip install -e ".[dev]"'
    return None


def pytest_runtest_setup(item):
    reasons = []
    if item.get_closest_marker("postgres"):
        reasons.append(_postgres_missing())
    if item.get_closest_marker("redis"):
        reasons.append(_redis_reachable())
    if item.get_closest_marker("pdftools"):
        reasons.append(_pdftools_missing())
    if item.get_closest_marker("browser"):
        reasons.append(_browser_missing())
    reasons = [r for r in reasons if r]
    if reasons:
        message = "; ".join(reasons)
        if IN_CI:
            # CI runs these on purpose: a missing server there is a failure, not a skip.
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _language_of_settings():
    # A request in Chinese leaves Chinese active in the thread; each test starts in English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def warm_site_roots(db):
    """
    Wagtail keeps the site roots in the cache, warm in a running site: a query count taken in a
    test that follows a cache.clear() would otherwise count the one query that fills it.
    """
    from wagtail.models import Site

    def warm():
        Site.get_site_root_paths()

    return warm


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def partner_company(db):
    return PartnerCompanyFactory()


@pytest.fixture
def partner_outlet(partner_company):
    return OutletFactory(partner=True, partner_company=partner_company)


@pytest.fixture
def other_outlet(db):
    return OutletFactory(partner=True)


@pytest.fixture
def manager(partner_outlet):
    return StaffFactory(role="outlet_manager", outlet=partner_outlet)


@pytest.fixture
def auditor(db):
    return StaffFactory(role="auditor", outlet=None)
