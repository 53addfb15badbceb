"""bench.opening_filter_lowo --choose: per-type thresholds are chosen on the other writers'
left-out probabilities only, so a cut that suits one writer alone is not credited to it."""

from __future__ import annotations

from bench.opening_filter_lowo import choose_thresholds, nested_mean_f1

START = {"maturity": 0.4, "education": 0.4}


def _fold(name: str, cands: list[tuple[str, float, bool]]):  # type: ignore[no-untyped-def]
    """One writer: a call per candidate, gold holding the type when the candidate is real."""
    calls = {f"{name}-{i}": [kind] if real else [] for i, (kind, _, real) in enumerate(cands)}
    test = [{"call": f"{name}-{i}", "type": kind} for i, (kind, _, _) in enumerate(cands)]
    return calls, test, [p for _, p, _ in cands]


def test_every_writer_agreeing_moves_a_threshold_and_a_flat_type_stays() -> None:
    # Real maturity candidates at 0.3 in every writer: 0.3 or below keeps them; education
    # scores the same at every cut and keeps its start.
    folds = [_fold(w, [("maturity", 0.3, True), ("maturity", 0.1, False), ("education", 0.9, True)])
             for w in ("a", "b", "c")]
    chosen = choose_thresholds(folds, START)
    assert chosen["maturity"] <= 0.3 and chosen["maturity"] > 0.1
    assert chosen["education"] == 0.4


def test_a_cut_only_one_writer_wants_is_not_credited_to_that_writer() -> None:
    # Writer "odd" has a real candidate at 0.3; the others have false ones there. In-sample
    # a lower cut would help "odd"; chosen on the others it stays at 0.4.
    folds = {"odd": _fold("odd", [("maturity", 0.3, True), ("maturity", 0.9, True)]),
             **{w: _fold(w, [("maturity", 0.3, False), ("maturity", 0.9, True)]) for w in ("a", "b", "c")}}
    fixed, nested = nested_mean_f1(folds, START)
    assert nested == fixed
