"""The complaint sample in headless Chromium (issues 12 and 14): a customer who threatens
the regulator (samples/calls/05_cx_complaint_12378) gets no product pitch on the call
page, only service recovery, and the next action is the complaint's follow-up; the page
no longer says 未发现违规 next to a 大额存单 script. The recovery steps are shown from the
follow-up action, so they stay on the page when the opening filter keeps no opening."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import Console
from tests.ui.test_console_browser import css, login, shot, wait

pytestmark = pytest.mark.usefixtures("require_browser")
PRODUCTS = ("大额存单", "理财产品", "基金", "定投")


@pytest.mark.parametrize("role", ["qa", "admin"])
def test_the_complaint_sample_shows_service_recovery_not_a_pitch(browser: Any, console: Console, role: str) -> None:
    call_id = console.calls["05_cx_complaint_12378"]
    result = console.api(role, "GET", f"/v1/calls/{call_id}/result").json()
    assert result["complaint_risk"]["level"] == "high"
    login(browser, console, role)
    browser.get(f"{console.base}/ui/calls/{call_id}")
    upsell = css(browser, "#upsell")
    wait(browser, lambda d: d.find_element("css selector", "#upsell").text.strip())
    actions = wait(browser, lambda d: d.find_element("css selector", "#actions").text.strip()
                   and d.find_element("css selector", "#actions"))
    note = css(browser, "#findings .risk-note")  # flagged above the (passing) rule verdicts
    assert "投诉风险" in note.text and "高" in note.text
    shot(browser, f"complaint-call-{role}")
    # The recovery steps come from the complaint's follow-up action (next_actions[].steps),
    # shown whether or not an opening survived the filter; no 产品 / 邀约 suggestion.
    steps = [s["text"] for a in result["next_actions"] for s in a.get("steps", [])]
    assert len(steps) == 3
    badges = [b.text for b in upsell.find_elements("css selector", ".script .badge")]
    assert badges and all(b == "服务补救" for b in badges), badges
    shown = [p.text for p in upsell.find_elements("css selector", ".recovery .script p")]
    assert shown == steps, shown
    scripts = [s for o in result["upsell_openings"] for s in o["suggestions"]]
    assert all(s["kind"] == "recovery" and s["product"] is None for s in scripts), scripts
    assert not any(p in upsell.text for p in PRODUCTS), upsell.text
    assert "投诉" in actions.text and "营销" not in actions.text.replace("不做产品营销", ""), actions.text
