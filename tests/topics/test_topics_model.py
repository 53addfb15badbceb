"""nlp.topics on synthetic customer speech: themes separated on a held-out mix
(phrasings never used while building the method), growth told from noise."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from sklearn.metrics import adjusted_rand_score

from nlp.topics import Topic, TopicReport, Utterance, find_topics
from tests.topics.corpus import THEMES, Labelled, acknowledgements, generate


def purity(gold: list[str], labels: list[int]) -> float:
    by = Counter(zip(labels, gold, strict=True))
    return sum(max(v for (lab, _), v in by.items() if lab == c) for c in set(labels)) / len(gold)


def _utts(data: list[Labelled]) -> list[Utterance]:
    return [Utterance(d.text, f"c{i}", 0) for i, d in enumerate(data)]


def _scores(data: list[Labelled], report: TopicReport) -> tuple[float, float]:
    themed = [i for i, d in enumerate(data) if d.theme != "ack"]
    gold = [data[i].theme for i in themed]
    ari = adjusted_rand_score(gold, [report.labels[i] for i in themed])
    assigned = [i for i in themed if report.labels[i] >= 0]
    return ari, purity([data[i].theme for i in assigned], [report.labels[i] for i in assigned])


@pytest.mark.parametrize("seed", [11, 12])
def test_heldout_mix_separates_the_themes(seed: int) -> None:
    data = generate(60, style="heldout", seed=seed) + acknowledgements(40, seed=seed)
    report = find_topics(_utts(data))
    ari, pur = _scores(data, report)
    assert ari >= 0.75 and pur >= 0.9, (ari, pur)
    # Every theme is the majority of some topic of its own.
    majority = {Counter(d.theme for d, lab in zip(data, report.labels, strict=True) if lab == t.id)
                .most_common(1)[0][0] for t in report.topics}
    assert majority == set(THEMES)
    # Acknowledgements (好的, 嗯, 谢谢) dropped; themed utterances kept but for a very short one or two.
    assert 350 <= report.kept <= 360
    assert all(report.labels[i] == -1 for i, d in enumerate(data) if d.theme == "ack")


def test_unbalanced_heldout_mix_keeps_small_themes() -> None:
    counts = dict(zip(THEMES, [200, 100, 60, 40, 30, 25], strict=True))
    data = generate(counts, style="heldout", seed=21)
    report = find_topics(_utts(data))
    ari, pur = _scores(data, report)
    assert ari >= 0.7 and pur >= 0.9, (ari, pur)


def test_sampled_fit_assigns_the_rest() -> None:
    """Above the fit cap the model is fitted on a sample and the rest assigned."""
    data = generate(60, style="dev", seed=5)
    report = find_topics(_utts(data), fit_cap=120)
    assert report.fitted_on <= 120
    ari, pur = _scores(data, report)
    assert ari >= 0.7 and pur >= 0.9, (ari, pur)


def test_labels_terms_and_examples() -> None:
    data = generate(50, style="dev", seed=3)
    phone_call = Utterance("我的大额存单下个月到期了 想续存 我手机号13812345678", "pii", 0)
    report = find_topics([*_utts(data), phone_call])
    cd = next(t for t in report.topics if "大额存单" in t.terms or "存单" in t.terms)
    assert "到期" in cd.terms or "续存" in cd.terms
    assert cd.label.count("、") >= 1 and len(cd.examples) == 3
    assert len(set(cd.examples)) == 3
    assert all("13812345678" not in ex for t in report.topics for ex in t.examples)
    assert "pii" in cd.call_ids
    assert sum(t.size for t in report.topics) + report.unassigned == report.kept
    assert abs(sum(t.share for t in report.topics) + report.unassigned / report.kept - 1) < 1e-9


def test_deterministic_and_order_independent() -> None:
    data = _utts(generate(30, style="dev", seed=4))
    a = find_topics(data)
    shuffled = data[:]
    random.Random(0).shuffle(shuffled)
    b = find_topics(shuffled)
    assert [(t.label, t.terms, t.size) for t in a.topics] == [(t.label, t.terms, t.size) for t in b.topics]
    pos = {u: i for i, u in enumerate(shuffled)}
    assert [b.labels[pos[u]] for u in data] == list(a.labels)


def test_small_and_empty_inputs() -> None:
    assert find_topics([]).topics == ()
    acks = find_topics(_utts(acknowledgements(30)))
    assert acks.topics == () and acks.kept == 0 and acks.utterances == 30
    twenty = generate({"cd_renewal": 7, "card_installment": 7, "transfer_limit": 6}, style="heldout", seed=2)
    report = find_topics(_utts(twenty))
    assert 1 <= len(report.topics) <= 6
    ari, _ = _scores(twenty, report)
    assert ari >= 0.5, ari


def _periods(prev: dict[str, int], cur: dict[str, int], seed: int) -> tuple[list[Utterance], list[str]]:
    """One call per theme mention, an acknowledgement in every third call; the
    utterances and their themes."""
    out: list[Utterance] = []
    themes: list[str] = []
    for period, counts, style_seed in (("previous", prev, seed), ("current", cur, seed + 1000)):
        for i, d in enumerate(generate(counts, style="heldout", seed=style_seed)):
            cid = f"{period[0]}{i}"
            out.append(Utterance(d.text, cid, 1, period))  # type: ignore[arg-type]
            themes.append(d.theme)
            if i % 3 == 0:
                out.append(Utterance("好的 谢谢", cid, 3, period))  # type: ignore[arg-type]
                themes.append("ack")
    return out, themes


def _topics_of(report: TopicReport, themes: list[str]) -> dict[str, list[Topic]]:
    """Each topic under the theme most of its utterances came from."""
    out: dict[str, list[Topic]] = {}
    for t in report.topics:
        major = Counter(th for th, lab in zip(themes, report.labels, strict=True) if lab == t.id).most_common(1)[0][0]
        out.setdefault(major, []).append(t)
    return out


def test_growth_flags_a_tripled_theme_not_noise() -> None:
    base = dict.fromkeys(THEMES, 40)
    cur = {**base, "fund_loss": 120, "transfer_limit": 46, "card_installment": 12}
    utts, themes = _periods(base, cur, seed=31)
    report = find_topics(utts)
    by = _topics_of(report, themes)
    seen = {th: [(t.label, t.change.trend) for t in ts] for th, ts in by.items()}
    fund = max(by["fund_loss"], key=lambda t: t.size)
    assert fund.change.trend == "up" and (fund.change.ratio or 0) >= 2, seen
    assert all(t.change.trend != "down" for t in by["fund_loss"]), seen
    card = max(by["card_installment"], key=lambda t: t.previous_size)
    assert card.change.trend == "down", seen
    assert all(t.change.trend != "up" for t in by["card_installment"]), seen
    for theme in set(THEMES) - {"fund_loss", "card_installment"}:
        assert all(t.change.trend == "steady" for t in by[theme]), seen  # transfer_limit +15 %: noise


@pytest.mark.parametrize("seed", [41, 42, 43])
def test_no_growth_called_when_nothing_changed(seed: int) -> None:
    counts = dict(zip(THEMES, [60, 45, 30, 30, 20, 15], strict=True))
    report = find_topics(_periods(counts, counts, seed=seed)[0])
    assert report.topics
    assert all(t.change.trend == "steady" for t in report.topics), [(t.label, t.change) for t in report.topics]


def test_no_previous_period_means_unknown_trend() -> None:
    report = find_topics(_utts(generate(20, style="dev", seed=8)))
    assert report.previous_calls == 0
    assert all(t.change.trend == "unknown" and t.change.ratio is None for t in report.topics)


def test_labels_are_content_words_and_examples_hide_names_and_tails() -> None:
    from nlp.topics import _label, mask_example

    assert _label(["本", "而已", "风险", "大额存单", "存单", "到期"]) == "风险、大额存单、到期"
    masked = mask_example("我叫张伟，身份证后四位是3321，手机13812345678")
    assert "张伟" not in masked and "3321" not in masked and "13812345678" not in masked
    assert masked.startswith("我叫张*")
    assert mask_example("我是李先生，想问理财") == "我是李**，想问理财"  # conservative: the surname stays
    assert mask_example("黄志明，后四位是3321。") == "黄**，后四位是****。"
    assert _label(["四位", "吴海燕", "黄志明", "身份", "核实"]) == "身份、核实"
    from nlp.topics import content_words

    assert "建国" not in content_words("我叫周建国，后四位是3821。")
    words = content_words("我叫王建国，想问一下大额存单")
    assert "建国" not in words and "王" not in words and "大额存单" in words
    assert mask_example("谢谢，我想问养老金") == "谢谢，我想问养老金"  # tagged nr by jieba, not names
