"""The training pack in a real browser: headless Chromium, no network, the self-check revealed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import refstatus
from refstatus.training import load_examples, write_pack

CHROMIUM = Path("/usr/bin/chromium")
HOW_TO_INSTALL = "install Chromium and Playwright: `apt-get install chromium chromium-driver` and `pip install '.[browser]'`"
EXAMPLE = "nk-food-sur-place"


def _playwright() -> Any:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found; {HOW_TO_INSTALL}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(f"the playwright package is not installed; {HOW_TO_INSTALL}")
    return sync_playwright


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    write_pack(refstatus.load_definitions(), out, force=True)
    return out


def test_self_check_in_headless_chromium(pack: Path, tmp_path: Path) -> None:
    sync_playwright = _playwright()
    defs = refstatus.load_definitions()
    example = load_examples(defs, EXAMPLE)[0]
    det = refstatus.evaluate(example.case, defs)
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh user-data-dir
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
            viewport={"width": 1000, "height": 900},
        )
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto((pack / f"{EXAMPLE}.html").as_uri())

            # Before revealing: the script has hidden every piece of reasoning.
            assert page.locator(".reasoning:visible").count() == 0
            assert page.locator("#teaching-note").is_hidden()
            # The stylesheet beside the page was applied (file:// is allowed by the page's policy).
            assert page.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "flex"

            # Pick answers: the law's answer for elements, a wrong one for the first claim.
            items = page.locator("li.item[data-answer]")
            n = items.count()
            assert n == len(refstatus.STABLE_IDS) + len(det.framings)
            wrong = "holds" if det.framings["economic_migrants"].status.value != "holds" else "fails"
            for cid in refstatus.STABLE_IDS:
                page.check(f"#item-{cid} input[value={det[cid].status.value}]")
            page.check(f"#item-economic_migrants input[value={wrong}]")
            page.click("#reveal")

            # The revealed reasoning is the engine's, element by element.
            for cid in refstatus.STABLE_IDS:
                r = det[cid]
                row = page.locator(f"#item-{cid}")
                assert row.locator(".reasoning").is_visible()
                assert row.locator(".answer").get_attribute("data-status") == r.status.value
                assert row.locator(".answer").inner_text() == r.status.words
                assert row.locator(".reason").inner_text() == r.reason
                assert row.locator(".mark").inner_text() == "Correct."
                if r.sources:
                    sources = row.locator(".sources").inner_text()
                    assert all(c.text in sources for c in r.sources)
            for fid, f in det.framings.items():
                row = page.locator(f"#item-{fid}")
                assert row.locator(".answer").get_attribute("data-status") == f.status.value
                assert row.locator(".reason").inner_text() == f.reason
            assert page.locator("#item-economic_migrants .mark").inner_text() == "Not quite."
            assert "wrong" in (page.locator("#item-economic_migrants").get_attribute("class") or "")
            unanswered = len(det.framings) - 1
            assert page.locator("#score").inner_text() == f"You got {n - 1 - unanswered} of {n} right."
            assert page.locator("#teaching-note").is_visible()
            shot = tmp_path / "self-check-revealed.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            # A screen-sized view of the claims and the score, easier to look at than the whole page.
            page.evaluate("window.scrollTo(0, document.querySelector('#item-economic_migrants').offsetTop - 80)")
            page.screenshot(path=str(tmp_path / "self-check-claims.png"))

            # "Start again" hides everything and clears the answers.
            page.click("#reset")
            assert page.locator(".reasoning:visible").count() == 0
            assert page.locator("input:checked").count() == 0

            # The other pages open and the links inside the pack resolve.
            page.goto((pack / "index.html").as_uri())
            page.click(f"a[href='{EXAMPLE}-key.html']")
            assert "Answer key" in page.content() or "answer key" in page.content()
        finally:
            browser.close()
    assert not errors, errors
    assert requests, "the page was loaded"
    outside = [u for u in requests if not u.startswith("file://")]
    assert not outside, f"requests left the pack: {outside}"
