"""Managers' reports, firm summary and deployment-zone times in headless Chromium
(issue 14): any period can be typed and generated from the console with a progress
bar, the firm summary opens for firm-wide users, report prose and alerts carry no
p-values or raw field names, and the call list shows Beijing times that match the
stored start times whatever the browser's own zone (the test machine runs in UTC)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.ui.conftest import PERIOD, Console
from tests.ui.test_console_browser import css, login, shot, wait

pytestmark = pytest.mark.usefixtures("require_browser")
BEIJING = ZoneInfo("Asia/Shanghai")
RAW = ("p<0.", "p=0.", "total:", "product:", "intent:", "complaint_category:")


def frame_text(driver: Any) -> str:
    return str(driver.execute_script(
        "const f = document.getElementById('report-frame');"
        " return f && f.contentDocument && f.contentDocument.body ? f.contentDocument.body.innerText : ''"))


def test_call_list_shows_beijing_times_of_the_stored_starts(browser: Any, console: Console) -> None:
    login(browser, console, "manager")
    listed = console.api("manager", "GET", "/v1/calls", params={"limit": 100}).json()["items"]
    stored = {c["id"]: c["started_at"] for c in listed if c.get("started_at")}
    assert stored, "the seeded calls carry start times"
    browser.get(console.base + "/ui/calls")
    css(browser, "#calls-table table")
    rows = browser.execute_script(
        "return [...document.querySelectorAll('#calls-table tbody tr')].map(r => r.innerText)")
    shot(browser, "manager-calls")
    for call_id, iso in stored.items():
        at = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        assert at.tzinfo is not None, f"{iso}: the API must say which instant it is"
        local = at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
        assert any(call_id[:12] in r and local in r for r in rows), (call_id, local, rows)
    # The uploaded sample started at 10:00 Beijing time (02:00 UTC): shown as 10:00, not 02:00.
    upload = console.api("admin", "GET", f"/v1/calls/{console.audio_call}").json()
    assert datetime.fromisoformat(upload["started_at"].replace("Z", "+00:00")).astimezone(BEIJING).hour == 10


def test_manager_generates_any_period_with_progress(browser: Any, console: Console) -> None:
    login(browser, console, "manager")
    browser.get(console.base + "/ui/manager")
    css(browser, "a.open-report")
    css(browser, "#mgr-chart-calls svg")  # charts on the overview
    assert not browser.find_elements("css selector", "#open-firm")  # the firm summary is not a manager's
    page = browser.find_element("css selector", "main").text
    assert not any(raw in page for raw in RAW), page
    shot(browser, "manager-overview")
    box = css(browser, "#period")
    box.clear()
    box.send_keys("2026-W46")
    css(browser, "#generate").click()
    wait(browser, lambda d: d.find_elements("css selector", "#gen-done"), timeout=60)
    assert "2026-W46" in browser.current_url
    link = css(browser, "a.open-report[href*='/ui/reports/2026-W46/']")
    shot(browser, "manager-generated")
    link.click()
    wait(browser, lambda d: "城东支行" in frame_text(d))
    text = frame_text(browser)
    assert "2026年第46周" in text or "W46" in text
    assert not any(raw in text for raw in RAW)
    assert "+00:00" not in text and "北京时间" in text
    shot(browser, "manager-report-week")


def test_admin_opens_the_firm_summary(browser: Any, console: Console) -> None:
    login(browser, console, "admin")
    browser.get(f"{console.base}/ui/manager?period={PERIOD}")
    firm = css(browser, "#open-firm")
    css(browser, "#mgr-chart-calls svg")
    css(browser, "#mgr-agents table")
    shot(browser, "admin-overview")
    firm.click()
    wait(browser, lambda d: "全辖网点汇总报告" in frame_text(d))
    text = frame_text(browser)
    assert "unknown branch" not in text and not any(raw in text for raw in RAW)
    assert "样本不足" in text  # a handful of sample calls: no branch has 30 openings to be ranked on
    shot(browser, "admin-firm-report")
    login(browser, console, "manager")
    browser.get(f"{console.base}/ui/reports/{PERIOD}/firm")
    assert "无法打开报告" in css(browser, "#report-error .alert-error").text


def test_agent_marks_next_actions_done_and_reads_plain_scripts(browser: Any, console: Console) -> None:
    login(browser, console, "agent")
    item = css(browser, "#agent-actions .actions li")
    text = item.text
    assert "客户" in text and "截止" in text  # who to call back, by when
    due = item.find_element("css selector", ".act-due").text
    assert due and due != "–"
    shot(browser, "agent-workbench")
    box = item.find_element("css selector", "input.act-done")
    call_id, key = box.get_attribute("data-call"), box.get_attribute("data-key")
    box.click()
    wait(browser, lambda d: d.execute_script(  # re-rendered from the API after the PUT
        "const b = [...document.querySelectorAll('input.act-done')]"
        ".find(x => x.dataset.call === arguments[0] && x.dataset.key === arguments[1]);"
        " return b && b.checked && b.closest('li').innerText.includes('已完成')",
        call_id, key))
    listed = console.api("agent", "GET", "/v1/agents/me/next-actions").json()["items"]
    assert any(i["call_id"] == call_id and i["key"] == key and i["done"] for i in listed)
    shot(browser, "agent-action-done")
    # Scripts are plain text for agents: no script ids, no A/B variant letters.
    browser.get(f"{console.base}/ui/calls/{console.audio_call}")
    result = console.api("agent", "GET", f"/v1/calls/{console.audio_call}/result").json()
    shown = [s for o in result["upsell_openings"] for s in o["suggestions"]]
    css(browser, "#upsell")
    scripts = wait(browser, lambda d: d.find_elements("css selector", ".script")) if shown else []
    for s in scripts:
        assert not s.find_elements("css selector", ".muted"), s.text
        assert "." not in s.find_element("css selector", ".small").text  # e.g. maturity.meeting
    console.api("agent", "PUT", f"/v1/agents/me/next-actions/{call_id}/{key}", json={"done": False})


def test_voice_of_the_customer_in_the_console(browser: Any, console: Console) -> None:
    import re

    login(browser, console, "qa")
    assert "topics" in set(browser.execute_script(
        "return [...document.querySelectorAll('.mainnav a')].map(a => a.dataset.nav)"))
    browser.get(f"{console.base}/ui/topics?from=2026-11-01&to=2026-11-30")
    wait(browser, lambda d: not d.find_elements("css selector", "#topics .loading"), timeout=60)
    api = console.api("qa", "GET", "/v1/topics", params={"from": "2026-11-01", "to": "2026-11-30"}).json()
    text = css(browser, "#topics").text
    shot(browser, "qa-topics")
    assert "请求失败" not in text
    assert not any(name in text for name in ("黄志明", "吴海燕", "建国")), text  # customers' names in the samples
    for t in api["topics"]:
        assert t["label"] in text and "·" not in t["label"]
        assert all(len(w) >= 2 for w in t["label"].split("、"))
        for e in t["examples"]:
            assert not re.search(r"\d{3,}", e), e  # ID and card tails masked
    if not api["topics"]:
        assert "不足以归纳话题" in text
