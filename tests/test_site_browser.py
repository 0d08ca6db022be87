"""The built documentation in a real browser: every jurisdiction's page loads, a Chinese search finds the right
page, the charts are drawn and the copy button copies commands only.

The site is built with ``mkdocs build --strict`` and served on 127.0.0.1 (a free port); the browser is the
system's Chromium (Debian's ``chromium`` package), driven by Playwright for Python (in the ``docs`` extra) with
``executable_path``: Playwright's own browser downloads are not used. Without Chromium, Playwright or MkDocs
the tests are skipped, saying which is missing, unless ``TUOYU_BROWSER_TESTS=required`` (as CI sets it where it
could install Chromium): then they fail.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""The system browsers tried, in order (``TUOYU_CHROMIUM`` names another)."""


def chromium() -> str | None:
    """The path of the system's Chromium, or None."""
    named = os.environ.get("TUOYU_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _missing() -> str | None:
    if importlib.util.find_spec("mkdocs") is None:
        return "the docs extra is not installed (pip install -e '.[docs]')"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install -e '.[docs]')"
    if chromium() is None:
        return "no Chromium found (apt-get install chromium, or set TUOYU_CHROMIUM)"
    return None


REQUIRED = os.environ.get("TUOYU_BROWSER_TESTS") == "required"
"""Fail, not skip, when something the tests need is missing."""

pytestmark = pytest.mark.skipif(_missing() is not None and not REQUIRED, reason=str(_missing()))


def test_what_the_browser_tests_need_is_there() -> None:
    missing = _missing()
    assert missing is None, f"TUOYU_BROWSER_TESTS=required, but {missing}"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on standard error."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site, built and served: its base URL (ends with ``/``)."""
    folder = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium())
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    """A fresh page; the test fails on any script error or console error it meets."""
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    yield tab
    context.close()
    assert not problems, problems


@pytest.mark.parametrize("jurisdiction", tr.list_jurisdictions())
def test_every_jurisdiction_page_loads(page: Any, site: str, jurisdiction: str) -> None:
    policy = tr.get_policy(jurisdiction)
    response = page.goto(f"{site}jurisdictions/{jurisdiction}/")
    assert response is not None
    assert response.status == 200
    heading = page.locator("article h1").inner_text()
    assert policy.name_zh in heading
    assert page.locator("article h2").count() > 0


def test_chinese_search_finds_xiamen(page: Any, site: str) -> None:
    """建设补助 (construction subsidy) is Xiamen's: the search index holds Chinese text in words (jieba), so a
    search for the term finds the Xiamen page."""
    page.goto(site)
    page.locator("input.md-search__input").fill("建设补助")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))")
    assert any("/jurisdictions/xiamen/" in link for link in links), links


def test_charts_are_shown(page: Any, site: str) -> None:
    page.goto(f"{site}how-to/charts/")
    images = page.locator("article img[src$='.svg']")
    assert images.count() >= 1
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        assert image.is_visible()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        width = image.evaluate("img => img.naturalWidth")
        assert width > 0, image.get_attribute("src")


def test_copy_button_copies_commands_only(page: Any, site: str) -> None:
    """A terminal session's copy button copies its commands, without ``$`` and without the output."""
    page.goto(f"{site}how-to/charts/")
    block = page.locator("article div.highlight", has=page.locator("span.gp")).first
    block.hover()
    block.locator("button.md-code__button[data-md-type=copy], button.md-clipboard").first.click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.length > 0)")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "tuoyu budget --example portfolio_xiamen --on 2024-06-01 --chart budget.svg"
