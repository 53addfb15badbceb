"""Needs raised without their usual word: a child's school stage named by a relative term
(姑娘), a house torn down, cover that is missing, a
rate said in 块, returns short of the benchmark, a sum lost whole; and the near-misses
beside them (a bonus said to be lost)."""

from __future__ import annotations

import pytest

from tests.qa.helpers import call
from upsell.openings import detect_openings, opening_cues


@pytest.mark.parametrize(("text", "kind"), [
    ("我家姑娘后年考大学，想先给她存点", "education"),
    ("儿子明年上大学，这笔钱先放着，到时候交学费", "education"),
    ("我们那边老房子拆了，给了一笔钱，八十多万", "large_inflow"),
    ("村里动迁，补偿下来两百来万", "large_inflow"),
    ("老人家七十多了，一直没有什么保险，心里不踏实", "protection_need"),
    ("那个理财现在才一块多，太少了", "yield_dissatisfaction"),
    ("说好业绩基准三点八，结果到期才给了二点九", "yield_dissatisfaction"),
    ("去年的奖金全搭进去了，后悔死了", "yield_dissatisfaction"),
    ("这是我们老两口养老的钱，你们要帮我看好", "retirement"),
])
def test_a_need_said_without_its_usual_word_is_found(text: str, kind: str) -> None:
    assert kind in opening_cues(text)


def test_a_sum_told_idle_before_a_maturity_is_both() -> None:
    found = opening_cues("活期里还躺着三十来万，一直没动，另外存单下周也到期了")
    assert {"idle_funds", "maturity"} <= set(found)


def test_both_openings_of_one_turn_are_detected() -> None:
    t = call(("customer", "活期里还躺着三十来万，一直没动，另外存单下周也到期了"), ("agent", "好的，我帮您看一下"))
    assert {o.type for o in detect_openings(t)} == {"idle_funds", "maturity"}


def test_a_loss_on_a_product_the_bank_recommended_is_dissatisfaction() -> None:
    # The customer blaming the recommendation is still telling of a loss (and a complaint).
    assert "yield_dissatisfaction" in opening_cues("你们推荐的那个基金亏了两万多，都是些什么东西")


@pytest.mark.parametrize("text", [
    # Idle words that wait on the maturing money, or that say what the money is for.
    "那个钱先搁卡里吧，等存单到期一块儿说",
    "不急用，是养老的",
])
def test_idle_words_about_money_with_a_story_stay_that_story(text: str) -> None:
    assert "idle_funds" not in opening_cues(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("奖金全亏了", "large_inflow"),
])
def test_near_misses_raise_nothing(text: str, kind: str) -> None:
    assert kind not in opening_cues(text)
