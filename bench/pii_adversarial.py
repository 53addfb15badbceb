"""The adversarial PII set (tests/nlp/data/pii_adversarial.jsonl) through the real path:
each row as a transcript JSON, analyze_file, privacy.mask_result; counts personal numbers
visible anywhere in the shown result and ordinary numbers masked in its turns.

    .venv/bin/python -m bench.pii_adversarial [-v]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench.quality_blind import _strings  # every text of a result, as the blind bench reads it
from tests.nlp.test_pii_adversarial import ROWS, leaks, over_masked


def main() -> None:
    from callsight import privacy, runtime
    from callsight.analyze import analyze_file
    from callsight.config import settings

    verbose = "-v" in sys.argv
    analyzers = runtime.analyzers()
    leaked = over = 0
    workdir = Path(tempfile.mkdtemp())
    for row in ROWS:
        turns = [{"speaker": t["speaker"], "text": t["text"], "start": 2.0 * i, "end": 2.0 * i + 1.9}
                 for i, t in enumerate(row["turns"])]
        path = workdir / "call.json"
        path.write_text(json.dumps({"meta": {"direction": "inbound"}, "turns": turns}, ensure_ascii=False),
                        encoding="utf-8")
        result = analyze_file(path, meta={}, engine=runtime.asr_engine, analyzers=analyzers,
                              channel_map=runtime.channel_map, max_duration_s=settings.max_duration_s).to_json()
        shown = privacy.mask_result(result)
        texts = [s["text"] for s in shown["segments"]]
        others = tuple(s for k, v in shown.items() if k != "segments" for s in _strings(v))
        found = leaks(row, texts, others)
        leaked += len(found)
        bad = over_masked(row, texts)
        over += bad
        if verbose and (found or bad):
            print("LEAK" if found else "OVER", row["id"], row["note"], texts)
    personal = sum(len(r["pii"]) for r in ROWS)
    ordinary = sum(len(r["keep"]) or (not r["pii"]) for r in ROWS)
    print(f"personal numbers shown: {leaked}/{personal}; rows with an ordinary number masked: {over}/{ordinary}")


if __name__ == "__main__":
    main()
