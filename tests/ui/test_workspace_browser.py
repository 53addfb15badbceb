"""The QA workspace of issue 14 in headless Chromium, as each role: evidence links seek
to their own evidence, a fatal finding fails the service score everywhere, no raw rule
ids on any page, transcript search with highlighted hits, saved views, bulk verdicts,
export, calibration and rule-precision pages, playback speed and number keys,
accessibility basics, and /docs + /redoc rendered from bundled assets."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import Console
from tests.ui.test_console_browser import css, login, open_call, shot, wait

pytestmark = pytest.mark.usefixtures("require_browser")

AUDIO_READY = "const a = document.getElementById('player'); return a && a.readyState >= 1 && a.duration > 10"
PLAYER_AT = "return document.getElementById('player').currentTime"


def rule_ids(c: Console) -> list[str]:
    return [r["id"] for r in c.api("admin", "GET", "/v1/rules").json()["rules"]]


def visible_text(driver: Any) -> str:
    return str(driver.execute_script("return document.body.innerText"))


def test_every_evidence_link_seeks_to_its_own_evidence(browser: Any, console: Console) -> None:
    login(browser, console, "qa")
    open_call(browser, console, console.audio_call)
    wait(browser, lambda d: d.execute_script(AUDIO_READY))
    links = browser.execute_script(
        "return [...document.querySelectorAll('.finding .evlink')].map(a => ["
        "a.closest('.finding').dataset.f, Number(a.dataset.t)])")
    per_card: dict[str, list[float]] = {}
    for card, t in links:
        per_card.setdefault(card, []).append(t)
    # The bug needs a finding with evidence at two different times; the sample call has one.
    assert any(len(set(ts)) > 1 for ts in per_card.values()), per_card
    for i, (_, t) in enumerate(links):
        browser.execute_script("document.getElementById('player').currentTime = 0")
        wait(browser, lambda d: d.execute_script(PLAYER_AT) < 0.5)
        browser.execute_script(
            f"const a = document.querySelectorAll('.finding .evlink')[{i}]; a.scrollIntoView({{block: 'center'}});")
        browser.find_elements("css selector", ".finding .evlink")[i].click()
        try:
            wait(browser, lambda d, want=t: abs(d.execute_script(PLAYER_AT) - want) < 0.6)
        except Exception:  # report where the player went instead
            pytest.fail(f"evidence link {i} ({t} s) left the player at {browser.execute_script(PLAYER_AT)} s")


def test_number_keys_and_playback_speed(browser: Any, console: Console) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    login(browser, console, "qa2")
    open_call(browser, console, console.audio_call)
    wait(browser, lambda d: d.execute_script(AUDIO_READY))
    first = browser.execute_script(
        "return Number(document.querySelector('#finding-1 .evlink, #finding-0 .evlink').dataset.t)")
    n = browser.execute_script("return document.querySelectorAll('.finding').length")
    key = "2" if n > 1 and browser.find_elements("css selector", "#finding-1 .evlink") else "1"
    ActionChains(browser).send_keys(key).perform()
    css(browser, f"#finding-{int(key) - 1}.selected")
    wait(browser, lambda d: abs(d.execute_script(PLAYER_AT) - first) < 1.0 or not d.execute_script(
        "return document.getElementById('player').paused"))
    ActionChains(browser).send_keys("p").perform()  # replays the selected finding
    browser.execute_script("document.getElementById('player').pause()")
    ActionChains(browser).send_keys("=").perform()
    wait(browser, lambda d: d.execute_script("return document.getElementById('player').playbackRate") == 1.25)
    from selenium.webdriver.support.ui import Select

    Select(css(browser, "#speed")).select_by_value("2")
    wait(browser, lambda d: d.execute_script("return document.getElementById('player').playbackRate") == 2)
    # Passed checks are listed by title, not hidden behind a count.
    passed = css(browser, "#passed-checks")
    assert passed.find_elements("css selector", "li.passed-item")
    assert "✓ 通过" in passed.text


def test_a_fatal_finding_fails_the_service_score_everywhere(browser: Any, console: Console) -> None:
    call = console.audio_call
    body = console.api("qa", "GET", f"/v1/calls/{call}/findings").json()
    assert any(f["fatal"] and not f["passed"] for f in body["findings"])
    assert body["service_score"] == 0.0  # the API: pending or confirmed, the fatal item vetoes the card
    login(browser, console, "qa")
    open_call(browser, console, call)
    svc = css(browser, "#svc-score")
    assert svc.text.startswith("0.0") and "不合格" in svc.text  # in words, not colour only
    browser.get(console.base + "/ui/queue?state=all")
    cell = wait(browser, lambda d: d.execute_script(
        f"const a = document.querySelector(\"a.qlink[href='/ui/calls/{call}']\");"
        "return a && a.closest('tr').cells[7].innerText"))
    assert cell.startswith("0.0") and "不合格" in cell
    login(browser, console, "agent")  # the call's agent: the workbench lists it failing
    browser.get(console.base + "/ui/agent")
    agent_cell = wait(browser, lambda d: d.execute_script(
        f"const a = document.querySelector(\"#agent-calls a[href='/ui/calls/{call}']\");"
        "return a && a.closest('tr').cells[4].innerText"))
    assert agent_cell.startswith("0.0") and "不合格" in agent_cell
    shot(browser, "agent-workbench")


@pytest.mark.parametrize("role,pages", [
    ("qa", ["/ui/queue?state=all", "/ui/appeals?status=", "/ui/precision", "/ui/calibration", "/ui/search?q=保本",
            "/ui/manager"]),
    ("manager", ["/ui/queue?state=all", "/ui/appeals?status=", "/ui/manager", "/ui/search?q=理财"]),
    ("agent", ["/ui/agent", "/ui/appeals?status="]),
])
def test_no_raw_rule_ids_on_any_page(browser: Any, console: Console, role: str, pages: list[str]) -> None:
    ids = rule_ids(console)
    login(browser, console, role)
    for path in [*pages, f"/ui/calls/{console.audio_call}"]:
        browser.get(console.base + path)
        wait(browser, lambda d: not d.find_elements("css selector", ".loading"), timeout=20)
        text = visible_text(browser)
        leaked = [r for r in ids if r in text]
        assert not leaked, (role, path, leaked)


def test_console_search_finds_a_sample_word(browser: Any, console: Console) -> None:
    login(browser, console, "qa")
    browser.get(console.base + "/ui/search")
    css(browser, "#f-q").send_keys("保本")
    css(browser, "#search-submit").click()
    # Read in one script: the list may be re-rendered meanwhile (a held element would go stale).
    marks = wait(browser, lambda d: d.execute_script(
        "return [...document.querySelectorAll('.searchhit mark.hit')].map(m => m.innerText)"))
    assert set(marks) == {"保本"}
    assert "/ui/search?q=" in browser.current_url  # the search is in the URL: a link, a saved view
    shot(browser, "search")
    # The branch filter is honoured (the API used to ignore branch=).
    hits = console.api("qa", "GET", "/v1/search", params={"q": "保本"}).json()["hits"]
    branches = {h["branch"] for h in hits}
    assert len(branches) > 1, branches
    one = sorted(b for b in branches if b)[0]
    browser.get(console.base + "/ui/search?" + f"q=保本&branch={one}")
    wait(browser, lambda d: d.find_elements("css selector", ".searchhit"))
    shown = browser.execute_script("return [...document.querySelectorAll('.searchhit .muted')].map(e => e.innerText)")
    assert shown and all(s.startswith(one) for s in shown), shown
    # Saved view: the current search under a name, one click later.
    css(browser, "#view-name").send_keys("保本话术")
    css(browser, "#view-save").click()
    chip = css(browser, "a.view-open[data-name='保本话术']")
    browser.get(console.base + "/ui/search")
    css(browser, "a.view-open[data-name='保本话术']").click()
    wait(browser, lambda d: d.find_elements("css selector", ".searchhit mark.hit"))
    assert chip is not None
    # A hit opens the call at that turn.
    link = css(browser, ".searchhit a.hitlink")
    t = float(link.get_attribute("href").split("?t=")[1])
    link.click()
    wait(browser, lambda d: d.execute_script("return document.getElementById('callpage')?.dataset.ready === '1'"))
    current = wait(browser, lambda d: d.execute_script(
        "const c = document.querySelector('.turn.current'); return c && Number(c.dataset.start)"))
    assert current <= t + 0.05
    # Search, then review: the hit calls join the queue assigned to the reviewer.
    browser.back()
    wait(browser, lambda d: d.find_elements("css selector", ".searchhit mark.hit"))
    hit_calls = set(browser.execute_script(
        "return [...document.querySelectorAll('.searchhit a.hitlink')].map(a => a.pathname.split('/').pop())"))
    css(browser, "#claim-hits").click()
    wait(browser, lambda d: "已领取" in d.find_element("css selector", "#toast").text)
    mine = console.api("qa", "GET", "/v1/review/queue", params={"state": "all", "assignee": "me", "limit": 500})
    assert hit_calls <= {it["call_id"] for it in mine.json()["items"]}
    # Export of the same search: CSV and XLSX through the session cookie.
    for fmt, ctype in (("csv", "text/csv"), ("xlsx", "spreadsheetml")):
        got = browser.execute_async_script(
            "const done = arguments[0]; fetch('/v1/search/export?q=%E4%BF%9D%E6%9C%AC&format=" + fmt + "')"
            ".then(r => done([r.status, r.headers.get('content-type')]))")
        assert got[0] == 200 and ctype in got[1], got

    # The call list keeps views too.
    browser.get(console.base + "/ui/calls?agent=A1023")
    css(browser, "#view-name").send_keys("A1023 的通话")
    css(browser, "#view-save").click()
    css(browser, "a.view-open[data-name='A1023 的通话']")
    assert [v["query"] for v in console.api("qa", "GET", "/v1/views", params={"page": "calls"}).json()] == [
        "agent=A1023"]

    login(browser, console, "manager")  # 城东支行 only
    browser.get(console.base + "/ui/search?q=理财")
    wait(browser, lambda d: d.find_elements("css selector", ".searchhit") or "没有命中" in visible_text(d))
    shown = browser.execute_script("return [...document.querySelectorAll('.searchhit .muted')].map(e => e.innerText)")
    assert all(s.startswith("城东支行") for s in shown), shown


def test_queue_bulk_verdicts_views_export_and_calibration(browser: Any, console: Console) -> None:
    # A seeded call with open failed items that no other test reviews.
    others = {console.audio_call, console.calls["03_cx_recommend_no_disclosure"]}
    queued = console.api("qa", "GET", "/v1/review/queue", params={"state": "all", "limit": 500}).json()["items"]
    item = next(it for it in queued if it["call_id"] not in others and it["branch"]
                and any(f["status"] == "auto" for f in it["failed_rules"]))
    call, branch = item["call_id"], item["branch"]
    open_ids = [f["finding_id"] for f in item["failed_rules"] if f["status"] == "auto"]
    login(browser, console, "qa")
    browser.get(console.base + f"/ui/queue?branch={branch}&state=all")
    box = css(browser, f"input.sel[data-id='{call}']")
    box.click()
    assert "已选 1 通" in css(browser, "#bulk-count").text
    css(browser, "#bulk-comment").send_keys("批量复核：坐席已做风险提示")
    shot(browser, "queue-bulk")
    css(browser, "button[data-bulk='dismissed']").click()
    wait(browser, lambda d: "已批量驳回" in d.find_element("css selector", "#toast").text)
    after = console.api("qa", "GET", f"/v1/calls/{call}/findings").json()["findings"]
    assert {f["status"] for f in after if f["id"] in open_ids} == {"dismissed"}
    assert {f["verdict_comment"] for f in after if f["id"] in open_ids} == {"批量复核：坐席已做风险提示"}

    # Every failed item of the call is judged now: the call page closes its review.
    open_call(browser, console, call)
    css(browser, "#close-review").click()
    wait(browser, lambda d: d.execute_script(  # the head is re-rendered: read it in one script
        "const e = document.getElementById('review-state'); return e && e.innerText") == "已结案")
    assert console.api("qa", "GET", f"/v1/calls/{call}/findings").json()["review_state"] == "closed"
    browser.get(console.base + f"/ui/queue?branch={branch}&state=all")
    css(browser, "input.sel")
    # Saved view of the queue's filters.
    css(browser, "#view-name").send_keys("本网点全部")
    css(browser, "#view-save").click()
    css(browser, "a.view-open[data-name='本网点全部']")
    # Export of the queue.
    got = browser.execute_async_script(
        "const done = arguments[0]; fetch('/v1/review/queue/export?format=xlsx&state=all')"
        ".then(r => r.arrayBuffer().then(b => done([r.status, b.byteLength])))")
    assert got[0] == 200 and got[1] > 500

    # Calibration from the selection (王质检 is a senior reviewer), rated blind by 王质检 and 赵质检.
    browser.get(console.base + "/ui/queue?state=all")
    css(browser, "input.sel").click()
    css(browser, "#bulk-calibrate").click()
    css(browser, "#cal-title").send_keys("浏览器校准")
    for cb in browser.find_elements("css selector", ".cal-who"):
        if cb.find_element("xpath", "..").text.strip() in ("王质检", "赵质检"):
            cb.click()
    css(browser, "#cal-start").click()
    wait(browser, lambda d: "/ui/calibration?id=" in d.current_url)
    cal_id = int(browser.current_url.split("id=")[1])
    assert "浏览器校准" in css(browser, "#calibration-detail h2").text
    n_items = len(wait(browser, lambda d: d.find_elements("css selector", "#cal-items tbody tr")))
    for role, verdict in (("qa", "confirmed"), ("qa2", "confirmed")):
        login(browser, console, role)
        browser.get(console.base + f"/ui/calibration?id={cal_id}")
        for i in range(n_items):
            css(browser, f"#cal-items tbody tr:nth-child({i + 1}) button.cal-vote[data-v='{verdict}']").click()
            wait(browser, lambda d, k=i: d.find_elements(
                "css selector", f"#cal-items tbody tr:nth-child({k + 1}) button.cal-vote.btn-primary"))
        if role == "qa2":  # blind while open: 赵质检 sees only his own verdicts
            assert "王质检" not in browser.execute_script("return document.getElementById('cal-items').innerText")
    login(browser, console, "qa")
    browser.get(console.base + f"/ui/calibration?id={cal_id}")
    css(browser, "#cal-close").click()
    wait(browser, lambda d: "已结束" in d.execute_script(
        "const h = document.querySelector('#calibration-detail h2'); return h ? h.innerText : ''"))
    assert browser.execute_script("return document.getElementById('agreement').innerText")  # agreement per rule
    shot(browser, "calibration")
    cal = console.api("qa", "GET", f"/v1/review/calibrations/{cal_id}").json()
    assert cal["status"] == "closed" and cal["overall"]["items"] == n_items

    browser.get(console.base + "/ui/precision")
    rows = wait(browser, lambda d: d.find_elements("css selector", "#precision tbody tr"))
    assert rows and all("%" in r.text or "–" in r.text for r in rows)
    shot(browser, "precision")


@pytest.mark.parametrize("path,ready", [
    ("/docs", ".swagger-ui .info .title"),
    ("/redoc", "h1"),
])
def test_api_docs_render_offline(browser: Any, console: Console, path: str, ready: str) -> None:
    browser.get(console.base + path)
    title = wait(browser, lambda d: d.execute_script(
        f"const e = document.querySelector('{ready}'); return e && e.innerText.includes('callsight') && e.innerText"),
        timeout=30)
    assert "callsight" in title
    # Every asset came from this server (the machine has no route out; a CDN would leave the page blank).
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls and all(u.startswith(console.base) for u in urls), urls
    if path == "/docs":  # parameters carry descriptions
        assert "only calls of this branch" in browser.execute_script(
            "return fetch('/openapi.json').then(r => r.text())")
    shot(browser, path.strip("/"))


def test_accessibility_basics(browser: Any, console: Console) -> None:
    login(browser, console, "qa")
    for path in ("/ui/queue", "/ui/search", "/ui/precision", "/ui/calibration", "/ui/appeals",
                 f"/ui/calls/{console.audio_call}", "/ui/rules"):
        browser.get(console.base + path)
        wait(browser, lambda d: not d.find_elements("css selector", ".loading"), timeout=20)
        assert browser.find_elements("css selector", "h1"), path
        unlabeled = browser.execute_script(
            "return [...document.querySelectorAll('textarea, input:not([type=hidden]), select')]"
            ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.outerHTML)")
        assert not unlabeled, (path, unlabeled)
    open_call(browser, console, console.audio_call)
    sev = browser.execute_script("return [...document.querySelectorAll('.finding .sev')].map(e => e.innerText)")
    assert sev and set(sev) <= {"致命", "严重", "一般"}  # severity in words
    # A phone: the navigation wraps onto its own row; every item keeps its whole label.
    browser.set_window_size(390, 844)
    try:
        browser.get(console.base + "/ui/queue")
        css(browser, ".mainnav a")
        squashed = browser.execute_script(
            "return [...document.querySelectorAll('.mainnav a')].filter(a => a.scrollWidth > a.clientWidth + 1"
            " || a.getBoundingClientRect().height > 40).map(a => a.innerText)")
        assert not squashed, squashed
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        shot(browser, "phone-queue")
    finally:
        browser.set_window_size(1366, 768)
