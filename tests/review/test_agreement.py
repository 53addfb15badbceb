"""Cohen's and Fleiss' kappa against textbook values (pure, no database)."""

from __future__ import annotations

from collections import Counter

import pytest

from qa.agreement import agreement, cohen_kappa, fleiss_kappa


def test_cohen_textbook_example() -> None:
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> p_o 0.7, p_e 0.5, kappa 0.4.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    a = cohen_kappa(pairs)
    assert a.method == "cohen" and a.items == 50 and a.raters == 2
    assert a.observed == pytest.approx(0.7) and a.expected == pytest.approx(0.5)
    assert a.kappa == pytest.approx(0.4)


def test_cohen_second_example_and_perfect_agreement() -> None:
    # both yes 45, A yes/B no 15, A no/B yes 25, both no 15 (n=100): p_o 0.6, p_e 0.54, kappa ~0.1304.
    pairs = [("y", "y")] * 45 + [("y", "n")] * 15 + [("n", "y")] * 25 + [("n", "n")] * 15
    assert cohen_kappa(pairs).kappa == pytest.approx(0.06 / 0.46)
    assert cohen_kappa([("a", "a"), ("b", "b")]).kappa == pytest.approx(1.0)
    # Systematic disagreement is below chance.
    kappa = cohen_kappa([("a", "b"), ("b", "a")]).kappa
    assert kappa is not None and kappa < 0


def test_fleiss_textbook_example() -> None:
    # Fleiss (1971) as worked on Wikipedia: 10 subjects, 14 raters, 5 categories -> kappa 0.210.
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]
    a = fleiss_kappa([dict(enumerate(row)) for row in table])
    assert a.method == "fleiss" and a.items == 10 and a.raters == 14
    assert a.observed == pytest.approx(0.378, abs=5e-4)
    assert a.expected == pytest.approx(0.213, abs=5e-4)
    assert a.kappa == pytest.approx(0.210, abs=5e-4)


def test_agreement_picks_the_method_and_handles_undefined_kappa() -> None:
    assert agreement([["c", "d"], ["c", "c"]]).method == "cohen"
    three = agreement([["c", "c", "d"], ["d", "d", "d"], ["c", "c", "c"]])
    assert three.method == "fleiss"
    expected = fleiss_kappa([Counter(["c", "c", "d"]), Counter(["d", "d", "d"]), Counter(["c", "c", "c"])])
    assert three.kappa == pytest.approx(expected.kappa)
    same = agreement([["c", "c"], ["c", "c"]])
    assert same.kappa is None and same.observed == 1.0
    with pytest.raises(ValueError):
        agreement([])
    with pytest.raises(ValueError):
        agreement([["c", "d"], ["c"]])
    with pytest.raises(ValueError):
        fleiss_kappa([{"c": 2}, {"c": 3}])
