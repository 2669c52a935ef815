"""The desk in a real browser: Playwright driving Debian's headless Chromium (no browser is downloaded)."""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import HOSTILE, PASSWORD, Desk

CHROMIUM = "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api", reason="playwright (the Python package) is not installed")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and shutil.which("chromium") is None,
        reason="chromium is not installed (apt-get install -y chromium); .ci/run installs it",
    ),
]
PAGES = [
    "/",
    "/queue",
    "/voices",
    "/voices/1",
    "/post?uid=csv:evil-1",
    "/search?q=water",
    "/digest",
    "/digest/view",
    "/audit",
]
# Distinct colours a page's screenshot must show: a blank or unstyled page has one or two.
MIN_COLOURS = 12
COUNT_COLOURS = """async (b64) => {
  const img = new Image();
  img.src = "data:image/png;base64," + b64;
  await img.decode();
  const c = document.createElement("canvas");
  c.width = img.width; c.height = img.height;
  const g = c.getContext("2d");
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < d.length; i += 4) { seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); }
  return seen.size;
}"""
UNLABELLED = """() => Array.from(document.querySelectorAll("input, select, textarea, button")).filter(el =>
  el.type !== "hidden" && !(el.labels && el.labels.length) && !el.getAttribute("aria-label") &&
  !(el.tagName === "BUTTON" && el.textContent.trim())).map(el => el.outerHTML)"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            headless=True,
            args=["--disable-background-networking", "--disable-component-update", "--no-sandbox", "--disable-gpu"],
        )
        yield b
        b.close()


class Watched:
    """A page whose dialogs (an alert a hostile post would raise) and CSP violations are recorded."""

    def __init__(self, browser: Any, desk: Desk) -> None:
        self.context = browser.new_context(base_url=desk.url, viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(90_000)  # a loaded CI machine: a page may wait for a core that long
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)

    def login(self, name: str) -> Any:
        """Sign in with the keyboard alone."""
        page = self.page
        page.goto("/login")
        # The name field takes the focus by `autofocus`, which Chromium may apply after the load event on a busy
        # machine: typing before it lands would put the name nowhere and the password in the name field.
        # (a locator's wait, not wait_for_function: the page's CSP forbids the eval that one polls with)
        page.locator("#name:focus").wait_for()
        page.keyboard.type(name)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/")
        return page


@pytest.fixture
def editor(browser: Any, desk: Desk) -> Iterator[Watched]:
    w = Watched(browser, desk)
    w.login("editor1")
    yield w
    w.context.close()


def test_correct_a_label_in_the_queue_then_see_it_on_the_post_and_in_the_audit_log(editor: Watched) -> None:
    page = editor.page
    page.goto("/queue?label=casualties")
    page.keyboard.press("j")  # the first post takes the focus
    first = page.locator("article.qpost").first
    uid = first.get_attribute("data-uid")
    assert page.evaluate("document.activeElement.dataset.uid") == uid
    page.keyboard.press("e")  # the label menu of that post
    assert page.evaluate("document.activeElement.tagName") == "SELECT"
    first.locator("select.pick").select_option("missing")
    page.keyboard.press("Tab")  # to the Correct button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"/post?uid={uid}")
    human = page.locator("td.hl").all_inner_texts()
    assert "missing" in human
    assert "editor1" in page.locator("section[aria-labelledby=labels-h] table").inner_text()
    page.goto("/audit?action=label.correct")
    row = page.locator("table.audit tbody tr").first.inner_text()
    assert "editor1" in row and "label.correct" in row and "missing" in row


def test_confirm_with_one_key(editor: Watched, desk: Desk) -> None:
    import sqlite3

    page = editor.page
    page.goto("/queue?label=shortages&unreviewed=1")
    page.keyboard.press("j")
    uid = page.evaluate("document.activeElement.dataset.uid")
    with page.expect_navigation():
        page.keyboard.press("c")
    with sqlite3.connect(desk.ws / "vigil.db") as conn:
        got = conn.execute("SELECT label, set_by FROM human_labels WHERE uid = ?", (uid,)).fetchall()
    assert ("shortages", "editor1") in got or any(by == "editor1" for _, by in got)


def test_acknowledge_a_silence(editor: Watched) -> None:
    page = editor.page
    page.goto("/voices?status=silent")
    name = page.locator("table.voices tbody tr").first.locator("td").first.inner_text()
    with page.expect_navigation():
        page.locator("table.voices tbody tr").first.get_by_role("button", name="Acknowledge").click()
    row = page.locator("table.voices tbody tr", has_text=name).first.inner_text()
    assert "acknowledged by editor1" in row
    page.goto("/audit?action=silence.ack")
    assert "editor1" in page.locator("table.audit tbody tr").first.inner_text()


def test_the_now_page_reloads_itself_until_unticked(editor: Watched) -> None:
    page = editor.page
    page.goto("/")
    live = page.locator("#live")
    assert live.is_visible() and live.is_checked()
    with page.expect_navigation(timeout=15_000):  # a one-second period instead of a minute
        page.evaluate("window.stale = true; document.getElementById('live').dataset.every = '1'")
    assert page.evaluate("window.stale === undefined")  # a new document
    live.uncheck()
    page.evaluate("window.stale = true; document.getElementById('live').dataset.every = '1'")
    page.wait_for_timeout(3_000)
    assert page.evaluate("window.stale === true")  # unticked: no reload
    page.reload()
    assert not page.locator("#live").is_checked()  # the choice is remembered
    page.locator("#live").check()


def test_a_viewer_is_refused(browser: Any, desk: Desk) -> None:
    w = Watched(browser, desk)
    page = w.login("viewer1")
    page.goto("/queue")
    assert page.locator("form[action='/queue/label']").count() == 0
    token = page.locator("form[action='/logout'] input[name=csrf]").get_attribute("value")
    uid = page.locator("article.qpost").first.get_attribute("data-uid")
    status = page.evaluate(
        """async ([token, uid]) => {
          const body = new URLSearchParams({csrf: token, uid: uid, action: "correct", label: "plea"});
          const r = await fetch("/queue/label", {method: "POST", body: body, redirect: "manual"});
          return r.status;
        }""",
        [token, uid],
    )
    assert status == 403
    page.goto(f"/post?uid={uid}")
    assert "viewer1" not in page.locator("section[aria-labelledby=history-h]").inner_text()
    w.context.close()


def test_a_hostile_post_is_shown_as_text(editor: Watched) -> None:
    page = editor.page
    page.goto("/post?uid=csv:evil-1")
    text = page.locator(".verbatim p.text").first
    assert text.inner_text() == HOSTILE
    assert text.get_attribute("dir") == "auto" and text.get_attribute("lang") == "en"
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    page.goto("/search?q=hostilemarker")
    assert page.locator("ol.hits mark").first.inner_text() == "hostilemarker"
    page.goto("/queue?priority=")
    assert editor.dialogs == []


def test_every_page_renders_without_csp_errors_and_labels_its_controls(editor: Watched, tmp_path: Path) -> None:
    page = editor.page
    counter = editor.context.new_page()  # about:blank: counts a screenshot's colours in a canvas
    for path in PAGES:
        editor.console.clear()
        page.goto(path)
        page.wait_for_load_state("networkidle")
        shot = page.screenshot(full_page=False)
        (tmp_path / (path.strip("/").replace("/", "_").replace("?", "_") or "now")).with_suffix(".png").write_bytes(
            shot
        )
        colours = counter.evaluate(COUNT_COLOURS, base64.b64encode(shot).decode())
        assert colours >= MIN_COLOURS, (path, colours)
        assert not [m for m in editor.console if "Content Security Policy" in m], (path, editor.console)
        if path != "/digest/view":  # the digest is its own document, written by `vigil digest`
            assert page.evaluate(UNLABELLED) == [], path
            assert page.locator("html").get_attribute("lang") == "en"
    assert editor.dialogs == []


def test_the_queue_is_usable_by_keyboard_alone(editor: Watched) -> None:
    page = editor.page
    page.goto("/queue")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("j")
    page.keyboard.press("j")
    second = page.locator("article.qpost").nth(1).get_attribute("data-uid")
    assert page.evaluate("document.activeElement.dataset.uid") == second
    page.keyboard.press("x")
    assert page.locator("article.qpost").nth(1).locator("input.sel").is_checked()
