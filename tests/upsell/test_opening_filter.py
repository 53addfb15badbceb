"""The learned second stage of opening detection (upsell/opening_filter.py): its lifecycle
through nlp.artifact, its place in detect_openings, and that what it learned points the
right way on calls written here (not in its corpus)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from core.types import Segment, Transcript
from nlp.artifact import load_or_train, read_artifact
from nlp.view import TextView
from upsell.opening_filter import DEFAULT_CORPUS, OPENING_FILTER_SPEC, OpeningFilter, candidate_row, load_corpus
from upsell.openings import detect_openings


def _call(*turns: tuple[Literal["agent", "customer"], str]) -> Transcript:
    segs = tuple(Segment(sp, float(i), float(i) + 0.9, text) for i, (sp, text) in enumerate(turns))
    return Transcript(segs, float(len(segs)), 2)


@lru_cache(maxsize=1)
def _filter() -> OpeningFilter:
    return OPENING_FILTER_SPEC.train(DEFAULT_CORPUS)


# A customer bringing up money falling due and asking where to put it: an opening.
_OPENING = _call(
    ("agent", "您好这里是城南支行请问有什么可以帮您"),
    ("customer", "我那张三年的定期存单下个月就到期了，二十来万，想看看有什么稳一点的可以接着放"),
    ("agent", "好的我给您介绍一下我们的大额存单"),
    ("customer", "好的你说"),
)
# The same words from a customer complaining about a product sold as a deposit: no opening.
_COMPLAINING = _call(
    ("agent", "您好这里是城南支行请问有什么可以帮您"),
    ("customer", "你们柜员说跟定期一样，今天到期了我来取，说是保险取不出来，这不是骗人吗，我要投诉"),
    ("agent", "非常抱歉给您带来不便我马上帮您核实"),
    ("customer", "你们必须给我退钱不然我去监管局告你们"),
)


def test_packaged_corpus_has_labelled_candidates_of_several_writers() -> None:
    rows = load_corpus()
    cands = [r for r in rows if "label" in r]
    assert len({r["writer"] for r in cands}) >= 8
    assert {0, 1} == {r["label"] for r in cands}
    # A retired round is a writer like any other.
    assert {"r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10"} <= {r["writer"] for r in rows}
    assert not any(r["writer"] == "r11" or r["call"].startswith("r11") for r in rows)  # the current blind round never


def test_model_lifecycle_saves_reloads_and_retrains_on_corpus_change(tmp_path: Path) -> None:
    path = OPENING_FILTER_SPEC.file(tmp_path)
    model = load_or_train(OPENING_FILTER_SPEC, DEFAULT_CORPUS, path)
    again = read_artifact(path, OPENING_FILTER_SPEC, OPENING_FILTER_SPEC.digest(DEFAULT_CORPUS))
    rows = [r for r in load_corpus() if "label" in r][:20]
    assert again.probabilities(rows) == model.probabilities(rows)
    smaller = tmp_path / "corpus.jsonl"
    smaller.write_text("".join(DEFAULT_CORPUS.read_text("utf-8").splitlines(keepends=True)[:-40]), "utf-8")
    retrained = load_or_train(OPENING_FILTER_SPEC, smaller, path)
    assert read_artifact(path, OPENING_FILTER_SPEC, OPENING_FILTER_SPEC.digest(smaller)) is not None
    assert retrained.probabilities(rows) != model.probabilities(rows)


def test_gate_only_removes_candidates() -> None:
    flt = _filter()
    rules = detect_openings(_OPENING)
    assert [o.type for o in rules] == ["maturity"]
    assert detect_openings(_OPENING, gate=replace(flt, threshold=0.0)) == rules
    assert detect_openings(_OPENING, gate=replace(flt, threshold=1.01)) == ()


def test_filter_prefers_a_customers_need_to_a_complaint_with_the_same_cue() -> None:
    flt = _filter()
    rows = []
    for tr in (_OPENING, _COMPLAINING):
        view = TextView.of(tr)
        rows.append(candidate_row(tr, view, 1, "maturity", "到期", ["maturity"]))
    need, complaint = flt.probabilities(rows)
    assert need >= flt.threshold > complaint
    assert [o.type for o in detect_openings(_OPENING, gate=flt)] == ["maturity"]


def test_packaged_corpus_matches_what_the_cue_rules_propose_now() -> None:
    """A cue change moves the candidates: rebuild with ``python -m tools.opening_corpus``."""
    import pytest

    from tools.opening_corpus import SOURCES, rows

    if not all(p.is_file() for p in SOURCES.values()):
        pytest.skip("the writers' source files are not in this checkout")
    import json

    built = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows())
    assert built == DEFAULT_CORPUS.read_text("utf-8"), "stale: run python -m tools.opening_corpus"


def test_a_type_with_its_own_threshold_is_kept_below_the_general_one() -> None:
    """TYPE_THRESHOLDS: where the writers disagree most (yield_dissatisfaction) a candidate the
    model is unsure of stays; the other types keep the general threshold."""
    from upsell.opening_filter import THRESHOLD, TYPE_THRESHOLDS

    class _Fixed(OpeningFilter):
        def probabilities(self, rows):  # type: ignore[no-untyped-def]
            return [0.37 for _ in rows]

    flt = _Fixed({}, None)
    assert TYPE_THRESHOLDS["yield_dissatisfaction"] < 0.37 < THRESHOLD
    assert flt.keep([{"type": "yield_dissatisfaction"}, {"type": "maturity"}]) == [True, False]
