import os
import shutil
from collections.abc import Iterator

import pytest

from dealercrm.testing import Personas, build_personas

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def personas(db) -> Personas:
    return build_personas()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's chromium driven by Playwright (its own browser download does not work here)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test body still uses the ORM.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_divisions(transactional_db) -> None:
    """Reload the divisions that a data migration put in: a live-server test's flush empties
    every table, and pytest-django runs such tests after the others on each worker."""
    from dealercrm.regions.divisions import division_rows
    from dealercrm.regions.models import Division

    if not Division.objects.exists():
        Division.objects.bulk_create(
            Division(
                code=row.code,
                name=row.name,
                short_name=row.short_name,
                level=int(row.level),
                parent_id=row.parent_code,
            )
            for row in division_rows()
        )


@pytest.fixture
def browser_page(chromium, live_server, live_divisions):
    """A fresh browser context (desktop size) whose relative URLs go to the live server."""
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium, live_server, live_divisions):
    """A fresh browser context the size of a phone."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
