"""Pure parts: periods, count tests, prose wording, charts."""

from __future__ import annotations

from datetime import date

import pytest
from scipy.stats import binomtest

from callsight.errors import InvalidInput
from callsight.reports import charts, honest, prose
from callsight.reports.periods import parse_period, previous_complete
from callsight.reports.sections import ComplaintLinks, ComplaintsSection, IntentItem, StaffItem
from callsight.reports.stats import poisson_rate_test, proportion_test


def test_periods() -> None:
    m = parse_period("2026-10")
    assert (m.start, m.end, m.days, m.previous().key) == (date(2026, 10, 1), date(2026, 11, 1), 31, "2026-09")
    assert parse_period("2026-01").previous().key == "2025-12"
    w = parse_period("2026-W43")
    assert (w.start, w.end, w.previous().key) == (date(2026, 10, 19), date(2026, 10, 26), "2026-W42")
    assert parse_period("2026-w01").previous().key == "2025-W52"
    c = parse_period("2026-10-01..2026-10-10")
    assert c.days == 10 and c.previous().end == c.start
    # latest: the last complete month with calls, never the running month.
    assert parse_period("latest", latest_day=date(2026, 11, 20), today=date(2026, 11, 25)).key == "2026-10"
    assert parse_period("latest", latest_day=date(2026, 8, 3), today=date(2026, 11, 25)).key == "2026-08"
    assert previous_complete("week", date(2026, 10, 26)).key == "2026-W43"


@pytest.mark.parametrize("bad", ["2026-13", "2026-W54", "26-10", "october", "", "2026-10-05..2026-10-01",
                                 "2026-02-30..2026-03-02", "latest"])
def test_bad_periods_name_the_problem(bad: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_period(bad)
    assert err.value.code == "bad_period" and err.value.status_code == 422


def test_poisson_rate_test_matches_exact_conditional_binomial() -> None:
    v = poisson_rate_test(60, 90, 30, 90)
    assert v.significant and v.direction == "up" and v.expected == 30
    exact = binomtest(60, 150, 0.25, alternative="greater").pvalue
    assert v.p_value == pytest.approx(min(1.0, 2 * exact), rel=1e-6)
    down = poisson_rate_test(5, 120, 30, 90)
    assert down.significant and down.direction == "down"


def test_poisson_minimum_volume_and_effect() -> None:
    # Tripled, but from 2 to 6 calls: too few to say anything.
    assert poisson_rate_test(6, 6, 30, 90).reason == "volume below minimum"
    # Huge volumes: a 5 % rise is "significant" but not worth an alert.
    big = poisson_rate_test(10500, 30000, 30, 90)
    assert big.p_value < 0.001 and not big.significant and big.reason == "change below minimum effect"
    assert not poisson_rate_test(35, 90, 30, 90).significant  # noise
    with pytest.raises(ValueError):
        poisson_rate_test(-1, 3, 30, 90)


def test_proportion_test() -> None:
    v = proportion_test(30, 100, 15, 300)
    assert v.significant and v.direction == "up"
    assert not proportion_test(8, 100, 21, 300).significant  # 8 % vs 7 %
    assert proportion_test(5, 10, 0, 300).reason == "volume below minimum"
    assert proportion_test(0, 200, 60, 300).direction == "down"


def test_trend_words_follow_the_data() -> None:
    assert prose.trend_word(0.30, 0.10, share=True) == "成倍增长"
    assert prose.trend_word(0.14, 0.10, share=True) == "大幅上升"
    assert prose.trend_word(0.112, 0.10, share=True) == "明显上升"
    assert prose.trend_word(0.104, 0.10, share=True) == "基本持平"  # under one point
    assert prose.trend_word(104, 100) == "小幅上升"
    assert prose.trend_word(100, 101) == "基本持平"
    assert prose.trend_word(95, 100) == "小幅下降"
    assert prose.trend_word(0.05, 0.10, share=True) == "大幅下降"
    assert prose.trend_word(3, 0) == "新出现"
    assert [prose.rank_word(r, 10) for r in (1, 4, 6, 10)] == ["名列前茅", "处于中上游", "处于中游", "排名靠后"]


def _item(intent: str, label: str, count: int, share: float, prev_share: float) -> IntentItem:
    return IntentItem(intent, label, count, share, 0, prev_share, prose.trend_word(share, prev_share, share=True), "")


def test_intent_prose_varies() -> None:
    flat = prose.intents([_item("a", "产品咨询", 50, 0.5, 0.5), _item("b", "投诉", 50, 0.5, 0.5)], "a")
    rise = prose.intents([_item("b", "投诉", 80, 0.8, 0.3), _item("a", "产品咨询", 20, 0.2, 0.7)], "a")
    assert "变化不大" in flat[-1]
    assert flat[0].startswith("客户问询最集中的方向有2个并列：产品咨询、投诉（各50通，各占50.0%）")
    assert any("投诉取代产品咨询" in s for s in rise)
    assert any("投诉占比由30.0%升至80.0%，成倍增长" in s for s in rise)
    assert any("产品咨询占比由70.0%降至20.0%，大幅下降" in s for s in rise)


def test_charts_escape_labels() -> None:
    svg = charts.bars([("<b>&", 0.5, 0.25)], title="t")
    assert svg.startswith("<svg") and "&lt;b&gt;&amp;" in svg and "50.0%" in svg
    assert charts.bars([]) == "" and charts.strip([], None) == ""
    assert "本网点 20.0%" in charts.strip([0.1, 0.3], 0.2)


def test_rates_come_with_plain_intervals_and_minimum_bases() -> None:
    lo, hi = honest.wilson(7, 33)
    assert lo == pytest.approx(0.1066, abs=1e-3) and hi == pytest.approx(0.3775, abs=1e-3)
    assert honest.rate_text(7, 33) == "21.2%（约 11%–38%）"
    assert honest.rate_text(1, 1) == "1/1（样本过少，不计比率）"  # no "转化率100%" from one sale
    assert honest.rate_text(0, 0) == "无数据"
    assert honest.wilson(0, 50)[0] == 0.0 and honest.wilson(50, 50)[1] == 1.0


def test_changes_are_named_only_when_real() -> None:
    assert not honest.count_change_real(3, 7)  # "大幅下降" on 3 vs 7 was noise
    assert honest.count_change_real(30, 70)
    assert not honest.share_change_real(1, 2, 0, 3)
    assert honest.share_change_real(40, 100, 15, 100)
    assert "在正常波动范围内" in prose.overview(3, 7, "2026年10月") and "大幅" not in prose.overview(3, 7, "x")
    assert "大幅下降" in prose.overview(30, 70, "2026年10月")


def test_ties_share_a_rank_and_are_named() -> None:
    assert honest.competition_ranks([0.5, 0.7, 0.5, 0.2], float, higher_better=True) == [2, 1, 2, 4]
    assert honest.competition_ranks([0.1, 0.1, 0.3], float, higher_better=False) == [1, 1, 3]
    staff = (StaffItem("A00", 2, ""), StaffItem("A03", 2, ""), StaffItem("A05", 2, ""), StaffItem("A07", 1, ""))
    c = ComplaintsSection(total=7, prev_total=0, rate=0.2, rate_text="20.0%（约 10%–36%）", change_real=False,
                          categories=(), status=None, staff=staff, repeat_customers=0, repeat_calls=0, repeat_days=7,
                          high_risk=0, high_risk_calls=(), links=ComplaintLinks("", ""))
    text = "".join(prose.complaints(c, 35))
    assert "被投诉最多的坐席有3位并列：A00、A03、A05（各2通）" in text


def test_no_p_values_for_managers() -> None:
    assert honest.chance_words(0.00001) == "偶然出现的可能性不到千分之一"
    assert "p" not in honest.chance_words(0.004)


def test_chart_labels_are_not_cut() -> None:
    title = "适当性（参照风险测评，产品风险不高于客户等级）"
    svg = charts.bars([(title, 0.8, 0.9), ("开场问候", 0.95, None)], title="质检项通过率")
    assert f">{title}</text>" in svg
    import re

    anchor = re.search(r'<text x="([0-9.]+)" y="[0-9.]+" font-size="12" text-anchor="end">' + re.escape(title), svg)
    assert anchor and float(anchor.group(1)) >= 12 * len(title)  # room for the whole label left of the bars
