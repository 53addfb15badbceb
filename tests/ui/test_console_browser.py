"""The web console end to end in headless Chromium against a real API process:
log in per role, review a flagged call (play, seek, confirm with a comment), appeal,
branch reports, the rule editor, and what each role must not see."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import PERIOD, SCREENSHOTS, Console, want_screenshots

pytestmark = pytest.mark.usefixtures("require_browser")
WAIT_S = 15


def wait(driver: Any, cond: Any, timeout: float = WAIT_S) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(cond)


def css(driver: Any, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, selector))


def shot(driver: Any, name: str) -> None:
    if want_screenshots():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def login(driver: Any, c: Console, role: str) -> None:
    driver.delete_all_cookies()
    driver.get(c.base + "/ui/login")
    css(driver, "#api_key").send_keys(c.keys[role])
    css(driver, "#login-submit").click()
    wait(driver, lambda d: "/ui/login" not in d.current_url)


def nav_items(driver: Any) -> set[str]:
    return set(driver.execute_script("return [...document.querySelectorAll('.mainnav a')].map(a => a.dataset.nav)"))


def card_text(driver: Any, finding_id: int) -> str:
    # Read in one script: the card is re-rendered after each action (a held element would go stale).
    return str(driver.execute_script(
        f"const c = document.querySelector(\".finding[data-id='{finding_id}']\"); return c ? c.innerText : ''"))


def open_call(driver: Any, c: Console, call_id: str) -> None:
    driver.get(f"{c.base}/ui/calls/{call_id}")
    wait(driver, lambda d: d.execute_script(
        "return document.getElementById('callpage').dataset.ready === '1' || !!document.querySelector('.alert-error')"))


def test_login_rejects_a_bad_key_and_needs_a_session(browser: Any, console: Console) -> None:
    browser.delete_all_cookies()
    browser.get(console.base + "/ui/queue")
    wait(browser, lambda d: "/ui/login" in d.current_url)  # no session: the login page, with a way back
    assert "next=%2Fui%2Fqueue" in browser.current_url
    shot(browser, "login")
    css(browser, "#api_key").send_keys("cs_not-a-real-key")
    css(browser, "#login-submit").click()
    assert "无效" in css(browser, "#login-error").text
    assert browser.get_cookie("callsight_session") is None


def test_qa_reviews_a_flagged_call(browser: Any, console: Console) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    login(browser, console, "qa")
    assert nav_items(browser) >= {"queue", "calls", "appeals", "rules"}
    assert "agent" not in nav_items(browser)
    browser.get(console.base + "/ui/queue")
    row_link = css(browser, f"a.qlink[href='/ui/calls/{console.audio_call}']")
    shot(browser, "queue")
    row_link.click()
    wait(browser, lambda d: d.execute_script("return document.getElementById('callpage')?.dataset.ready === '1'"))
    audio_ready = "const a = document.getElementById('player'); return a && a.readyState >= 1 && a.duration > 10"
    wait(browser, lambda d: d.execute_script(audio_ready))

    # Space plays (the page's shortcut), and the playing turn is highlighted.
    ActionChains(browser).send_keys(" ").perform()
    wait(browser, lambda d: d.execute_script("const a = document.getElementById('player');"
                                             "return !a.paused && a.currentTime > 0.3"))
    wait(browser, lambda d: d.execute_script("return !!document.querySelector('.turn.current')"))

    # Clicking a later turn seeks the player there.
    turns = browser.execute_script(
        "return [...document.querySelectorAll('.turn')].map(t => Number(t.dataset.start))")
    target = max(range(len(turns)), key=lambda i: turns[i] if turns[i] < 50 else -1)
    assert turns[target] > 20, turns
    browser.find_elements("css selector", ".turn")[target].click()
    now = wait(browser, lambda d: d.execute_script(
        f"const t = document.getElementById('player').currentTime; return t >= {turns[target] - 0.5} && t"))
    assert abs(now - turns[target]) < 3
    browser.execute_script("document.getElementById('player').pause()")

    # j selects the worst finding (fatal first); its evidence is marked in the text and on the timeline.
    ActionChains(browser).send_keys("j").perform()
    card = css(browser, ".finding.selected")
    finding_id = int(card.get_attribute("data-id"))
    rule = card.get_attribute("data-rule")
    assert rule == "forbidden_promise"
    assert browser.find_elements("css selector", "mark.ev.active")
    assert browser.find_elements("css selector", ".tl-mark.active")
    card.find_element("css selector", "textarea.comment").send_keys("坐席明确承诺保本，属实")
    shot(browser, "call")
    card.find_element("css selector", "button[data-act='confirmed']").click()
    wait(browser, lambda d: "已确认" in card_text(d, finding_id))

    # Persisted through the review API, with the comment.
    findings = console.api("qa", "GET", f"/v1/calls/{console.audio_call}/findings").json()["findings"]
    row = next(f for f in findings if f["id"] == finding_id)
    assert row["status"] == "confirmed"
    assert row["verdict_comment"] == "坐席明确承诺保本，属实"
    assert row["verdict_by"] == "王质检"

    # The page fits a 1366-pixel laptop and a large screen without sideways scrolling.
    for width, height in ((1366, 768), (1920, 1080)):
        browser.set_window_size(width, height)
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (width, overflow)
    browser.set_window_size(1366, 768)


def test_keyboard_dismisses_the_selected_finding(browser: Any, console: Console) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    login(browser, console, "qa2")
    call_id = console.calls["03_cx_recommend_no_disclosure"]
    open_call(browser, console, call_id)
    ActionChains(browser).send_keys("j").perform()
    finding_id = int(css(browser, ".finding.selected").get_attribute("data-id"))
    ActionChains(browser).send_keys("d").perform()
    wait(browser, lambda d: "已驳回" in card_text(d, finding_id))
    findings = console.api("qa", "GET", f"/v1/calls/{call_id}/findings").json()["findings"]
    assert next(f for f in findings if f["id"] == finding_id)["status"] == "dismissed"


def test_manager_reads_branch_reports_but_not_other_branches(browser: Any, console: Console) -> None:
    login(browser, console, "manager")
    assert "/ui/manager" in browser.current_url
    assert "rules" not in nav_items(browser)
    link = css(browser, "a.open-report")
    css(browser, ".agent-drill")  # agent scores, each a drill-down link
    shot(browser, "manager")
    link.click()
    frame = css(browser, "#report-frame")
    wait(browser, lambda d: d.execute_script(
        "const f = document.getElementById('report-frame'); return f.contentDocument &&"
        " f.contentDocument.readyState === 'complete' && f.contentDocument.body.innerText.includes('城东支行')"))
    # Figures in the report drill down to the console's call list.
    wait(browser, lambda d: d.execute_script(
        "return [...document.getElementById('report-frame').contentDocument.querySelectorAll('a')]"
        ".some(a => a.getAttribute('href').startsWith('/ui/calls?drill='))"))
    shot(browser, "report")
    browser.switch_to.frame(frame)
    drill = next(a for a in browser.find_elements("css selector", "a")
                 if (a.get_attribute("href") or "").count("/ui/calls?drill="))
    drill.click()
    browser.switch_to.default_content()
    wait(browser, lambda d: "/ui/calls?drill=" in d.current_url)
    css(browser, "#calls-table table")

    # Another branch's call and report: the API refuses, the page says so.
    open_call(browser, console, console.calls["04_gx_guaranteed_promise"])
    assert "403" in css(browser, ".alert-error").text
    browser.get(f"{console.base}/ui/reports/{PERIOD}/GX01")
    assert "无法打开报告" in css(browser, "#report-error .alert-error").text
    browser.get(console.base + "/ui/rules")
    assert "无权" in css(browser, "#denied-msg").text


def test_agent_sees_own_calls_appeals_and_nothing_else(browser: Any, console: Console) -> None:
    findings = console.api("qa", "GET", f"/v1/calls/{console.audio_call}/findings").json()["findings"]
    target = next(f for f in findings if f["rule"] == "suitability" and not f["passed"])
    # 王质检 reviews this call (it is assigned to him since the QA test); an admin rules on the appeal below.
    resp = console.api("qa", "POST", f"/v1/findings/{target['id']}/verdict", json={"verdict": "confirmed"})
    assert resp.status_code == 200, resp.text

    login(browser, console, "agent")
    assert "/ui/agent" in browser.current_url
    assert nav_items(browser) == {"agent", "calls", "appeals", "live"}
    css(browser, "#agent-actions .actions li")  # next-best actions from the results
    shot(browser, "agent")
    browser.get(console.base + "/ui/calls")
    css(browser, "#calls-table table")
    agents = browser.execute_script(
        "return [...document.querySelectorAll('#calls-table tbody tr')].map(r => r.cells[2].innerText)")
    assert agents and set(agents) == {"A1023"}

    open_call(browser, console, console.audio_call)
    # Suggested scripts are shown for each opening the result holds: the sample's agent
    # raised the idle money himself, so whether the customer opened anything is the
    # analysis's call; the page must show exactly the scripts the result suggests.
    result = console.api("agent", "GET", f"/v1/calls/{console.audio_call}/result").json()
    suggested = sum(len(o["suggestions"]) for o in result["upsell_openings"])
    assert bool(browser.find_elements("css selector", ".script")) == bool(suggested)
    card = css(browser, f".finding[data-id='{target['id']}']")
    assert not card.find_elements("css selector", "button[data-act='confirmed']")
    card.find_element("css selector", "textarea.comment").send_keys("客户已做过风险测评，转写遗漏")
    card.find_element("css selector", "button[data-act='appeal']").click()
    wait(browser, lambda d: "待裁决" in card_text(d, target['id']))
    appeals = console.api("qa", "GET", "/v1/appeals", params={"call_id": console.audio_call}).json()["items"]
    assert [a["reason"] for a in appeals if a["finding_id"] == target["id"]] == ["客户已做过风险测评，转写遗漏"]

    open_call(browser, console, console.calls["03_cx_recommend_no_disclosure"])  # agent A2051's call
    assert "403" in css(browser, ".alert-error").text
    # Live suggestions over WS /v1/live, authenticated by the session cookie.
    browser.get(console.base + "/ui/live")
    wait(browser, lambda d: "已连接" in d.find_element("css selector", "#live-status").text)
    css(browser, "#live-text").send_keys("我那个理财下个月十五号到期了，有三十万")
    css(browser, "#live-send").click()
    suggestion = wait(browser, lambda d: d.find_elements("css selector", ".live-suggestion .script"), timeout=30)[0]
    assert suggestion.text
    shot(browser, "live")
    browser.get(console.base + "/ui/manager")
    assert "无权" in css(browser, "#denied-msg").text


def test_admin_rules_on_the_appeal(browser: Any, console: Console) -> None:
    open_appeals = console.api("qa", "GET", "/v1/appeals", params={"status": "open"}).json()["items"]
    if not open_appeals:
        pytest.skip("no open appeal: the agent test did not run first")
    login(browser, console, "admin")  # the verdict's author (王质检) may not rule on it
    browser.get(console.base + "/ui/appeals")
    box = css(browser, f".ruling[data-id='{open_appeals[0]['id']}']")
    shot(browser, "appeals")
    box.find_element("css selector", "textarea").send_keys("复核录音后维持")
    box.find_element("css selector", "button[data-d='upheld']").click()
    wait(browser, lambda d: not d.find_elements("css selector", f".ruling[data-id='{open_appeals[0]['id']}']"))
    ruled = console.api("qa", "GET", "/v1/appeals", params={"call_id": open_appeals[0]["call_id"]}).json()["items"]
    assert next(a for a in ruled if a["id"] == open_appeals[0]["id"])["status"] == "upheld"


def test_rule_editor_tests_and_backtests_a_draft(browser: Any, console: Console) -> None:
    login(browser, console, "qa")
    browser.get(console.base + "/ui/rules")
    css(browser, "#rule-list a[data-id='forbidden_promise']").click()
    wait(browser, lambda d: "forbidden_promise" in d.find_element("css selector", "#yaml").get_attribute("value"))
    css(browser, "#dialogue").send_keys(
        "坐席：您好，我是理财经理小王，工号1023\n客户：这个产品有风险吗\n坐席：放心，这款产品保本，稳赚不赔")
    css(browser, "#run-test").click()
    assert "命中" in css(browser, "#test-result").text
    css(browser, "#run-backtest").click()
    result = wait(browser, lambda d: d.find_elements("css selector", "#backtest-result"), timeout=60)[0]
    assert "命中" in result.text
    shot(browser, "rules")
