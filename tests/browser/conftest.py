"""Browser tests: Playwright for Python driving Debian's Chromium, headless.

Never a Playwright browser download: the executable is Debian's (``/usr/bin/chromium``, or
``PLAYWRIGHT_CHROMIUM_EXECUTABLE``). As root Chromium needs ``--no-sandbox``; background
networking is off because the machine has no network (and deployments none either).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the tests' database calls are
# synchronous and safe here (pytest-django's documented workaround).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh context per test (own cookies), phone-sized: 360 x 740."""
    context = browser.new_context(viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shot(page: object, name: str) -> None:
    """Save a screenshot when SHOUWANG_SCREENSHOTS names a folder (for looking, not asserting)."""
    folder = os.environ.get("SHOUWANG_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        # A full-page screenshot of a form with a focused input left the next click
        # without effect in headless Chromium; blur first so the page is left as it was.
        page.evaluate("document.activeElement && document.activeElement.blur()")  # type: ignore[attr-defined]
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
