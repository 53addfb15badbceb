"""Scores on the independent evaluation sets (data/eval-independent/): dialogues and
customer turns written by analysts who never saw our rules, corpora or models.

    .venv/bin/python -m bench.quality_independent      # prints the markdown report

Each set is split by id: even ids were studied to improve the rules and models, odd
ids are held out and only ever scored in aggregate (the per-half scorers are
bench/quality_independent_split.py, bench/quality_nlp_independent_split.py and
bench/quality_upsell_independent.py; this module puts their figures in one section).
"""

from __future__ import annotations


def report() -> str:
    """Held-out (odd ids) first: the figures to trust. The even-id halves were studied
    to improve the rules and models (2026-12-01), so their figures are optimistic."""
    from bench import quality_independent_split as rules_split
    from bench import quality_nlp_independent_split as nlp_split
    from bench import quality_upsell_independent as upsell_split

    head = ["## Independent evaluation (written blind by other people)", "",
            "Two sets written by analysts who never saw our rules, corpora or models: 240 dialogues "
            "(data/eval-independent/README.md) and 600 customer turns (CUSTOMER_TURNS.md). Each is split "
            "by id: the **odd ids are held out** (never read by the people who tuned the rules and models; "
            "only these aggregates were computed, before and after), the even ids were studied to improve "
            "them. The held-out figures below are the ones to trust; the dev-half figures show how much "
            "of the gain is fitting.", "",
            "Held-out half before the work on 2026-12-01 (measured then, same scorers): rules P/R "
            "identity_verification 0.90/0.57 (43 applicability errors), risk_disclosure 0.63/0.29 (28), "
            "suitability 0.90/0.39 (28), forbidden_promise 1.00/0.54, courtesy 1.00/0.09, greeting 0.94/1.00, "
            "closing 1.00/0.95; intent per turn macro-F1 0.698, sentiment 0.636, complaint risk 0.624, "
            "call-level intent accuracy 0.650; upsell openings micro P/R 0.782/0.705.", ""]
    out = list(head)
    for half, label in (("heldout", "held-out half (odd ids)"), ("dev", "development half (even ids, studied)")):
        out += [f"### Compliance rules, {label}", ""]
        rows = rules_split.load_half(half)
        out += rules_split.table(f"{len(rows)} dialogues", rules_split.counts_for(rows))[2:]
        out += nlp_split.report_half(half)[0][2:]
        turns = upsell_split.load_half(half)
        out += upsell_split.table(f"Upsell openings per customer turn, {label}", upsell_split.score(turns, None),
                                  len(turns))
    return "\n".join(out)


if __name__ == "__main__":
    print(report())
