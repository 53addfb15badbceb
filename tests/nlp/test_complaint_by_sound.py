"""nlp/complaint.py read by sound and structure (issue 12, round 8): a threat whose key word a
recogniser misheard (气诉, 报光, 宗行, 金融间管总局), a hotline read out digit by digit or
with a digit heard as another character (1 2 3 7 8, 幺两三七八, 要二三七八), a regulator named
in full, the bank's top named another way, and all accounts closed in protest without 销户
are high; the same words said reported, negated, hypothetically, counterfactually or as a
card's number are not. The sentences are written here, each key word garbled by ear."""

from __future__ import annotations

import itertools
import re

import pytest

from nlp.complaint import complaint_evidence
from nlp.complaint_sound import heard_as_said, hotlines
from nlp.sentiment import lexicon_sentiment

# Each key word as said and as a recogniser may write it (same or near sound).
_HEARD = {
    "起诉": ("起诉", "气诉", "其诉", "起素"),
    "律师": ("律师", "绿师", "驴师"),
    "曝光": ("曝光", "报光", "抱光", "爆光"),
    "总行": ("总行", "宗行"),
    "销户": ("销户", "消户"),
    "投诉": ("投诉", "头诉", "偷诉"),
    "监管": ("监管", "见管", "间管"),
    "12378": ("12378", "1 2 3 7 8", "幺二三七八", "幺两三七八", "要二三七八", "一二三期八"),
    "打官司": ("打官司", "打关司"),
    "抖音": ("抖音", "斗音"),
}
_THREATS = (
    "你们拖到下礼拜还不给我弄好 我就找{律师}{起诉}你们",
    "这个事你们不给说法 我就叫电视台来{曝光}你们",
    "我今天就去你们{总行}当面反映这个事",
    "这个破银行 我的户全给{销户}了 钱全部转走",
    "我跟你说我已经打了{12378}了 你们等着",
    "再不给我退回来 我马上打{12378}",
    "你们这个经理我要{投诉}他",
    "俺明儿个就上{监管}局那儿反映去",
    "那就法庭见 我跟你们{打官司}",
    "我把你们这个事发到{抖音}上去 让大伙都看看",
)
_NOT_THREATS = (
    "我不会找{律师}的 你们好好弄就行",
    "我听说我们小区有人打了{12378} 我没打",
    "我要是真想{投诉} 早就{投诉}了",
    "有问题我才会去找{律师} 现在没事",
    "本来想{投诉}的 后来想想算了",
    "我在{抖音}上看到你们这个存款的广告",
    "我要{起诉}离婚 你们帮我打个流水",
)


def _fill(template: str) -> list[str]:
    keys = re.findall(r"\{(.+?)\}", template)
    out = []
    for combo in itertools.product(*(_HEARD[k] for k in keys)):
        text = template
        for key, heard in zip(keys, combo, strict=True):
            text = text.replace("{" + key + "}", heard, 1)
        out += [text, text.replace(" ", "")]  # as spoken with pauses, and run together
    return out


def _high(text: str) -> bool:
    return any(e.threat or e.filed for e in complaint_evidence(0, text, lexicon_sentiment(text)))


@pytest.mark.parametrize("template", _THREATS)
def test_threats_heard_by_sound_are_high(template: str) -> None:
    missed = [t for t in _fill(template) if not _high(t)]
    assert not missed


@pytest.mark.parametrize("template", _NOT_THREATS)
def test_mentions_heard_by_sound_stay_not_high(template: str) -> None:
    flagged = [t for t in _fill(template) if _high(t)]
    assert not flagged


@pytest.mark.parametrize("text", [
    "我去国家金融监督管理总局反映你们",  # the regulator's full name
    "我要去打一二三六三",  # the central bank's hotline, read out
    "那我去找你们一把手",  # the bank's top, named another way
    "我去找你们支行长",
    "那我只好走法律程序了",
    "老子去网上曝你们",
    "十五天还是推来推去 我就去成都找你们走行领导",  # 总行 heard near (zou ~ zong)
    "我不管 你们这种偷偷扣钱的 三张全销 以后一样都不碰",  # all cards closed in protest, no 销户
    "以后都不在你们那里存了 全部转走",
])
def test_threats_said_another_way_are_high(text: str) -> None:
    assert _high(text)


@pytest.mark.parametrize("text", [
    "央行又降息了是吧",  # a name with no act on it
    "走法律程序要什么材料",  # asking how
    "上访那些人也挺不容易的",
    "我卡尾号后五位一二三七八六",
    "我的密码是一二三四五",
    "我以后不用你们的APP了 太卡了",
    "我想把这三张卡全销了 用不上",  # a calm errand
    "我找你们支行长办贷款的",
])
def test_look_alikes_stay_not_high(text: str) -> None:
    assert not _high(text)


def test_heard_as_said_keeps_offsets_and_ordinary_words() -> None:
    for text in ("我要气诉你们", "你给我记着", "这个保管箱", "我要找律诗", "我在你们中行存的钱"):
        assert len(heard_as_said(text)) == len(text)
    assert heard_as_said("我要气诉你们") == "我要起诉你们"
    assert heard_as_said("这个保管箱") == "这个保管箱"  # 保管 is a word, not 曝光 misheard
    assert heard_as_said("你给我记着") == "你给我记着"  # no reporter in 记着
    assert heard_as_said("我在你们中行存的钱") == "我在你们中行存的钱"


@pytest.mark.parametrize(("text", "spans"), [
    ("打1 2 3 7 8", [(1, 10)]),
    ("打幺二三七八吧", [(1, 6)]),
    ("要二三七八", [(0, 5)]),
    ("卡号6212378456", []),  # inside a longer number
    ("电话一三九一二三七八四五六七", []),
    ("工号一二三七八", []),  # someone's number
])
def test_hotlines(text: str, spans: list[tuple[int, int]]) -> None:
    assert hotlines(text) == spans
