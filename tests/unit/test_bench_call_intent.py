"""bench.call_intent's per-class and confusion summary (printed for held-out writers as counts)."""

from bench.call_intent import confusions, group_summary, held_out_writers


def test_confusions_count_only_wrong_predictions() -> None:
    gold = ["complaint", "complaint", "account_service", "purchase"]
    pred = ["complaint", "account_service", "complaint", "account_service"]
    assert confusions(gold, pred) == {("complaint", "account_service"): 1, ("account_service", "complaint"): 1,
                                      ("purchase", "account_service"): 1}


def test_group_summary_has_per_class_rows_and_no_ids() -> None:
    gold = ["promotion", "promotion", "purchase", "purchase"]
    pred = ["promotion", "purchase", "purchase", "purchase"]
    text = "\n".join(group_summary("held-out writers", gold, pred))
    assert "| promotion | 2 | 1.00 | 0.50 | 0.667 |" in text
    assert "| purchase | 2 | 0.67 | 1.00 | 0.800 |" in text
    assert "promotion → purchase 1" in text
    assert "pooled macro-F1 0.733" in text


def test_held_out_writers_follow_the_rules_bench() -> None:
    held = held_out_writers()
    assert {"wI", "wP", "wS", "ind-odd"} <= held
    assert not {"r7", "wW", "wX", "w1"} & held
