"""Assemble docs/reliability.md from the per-area reliability reports in docs/reliability/
(worker faults, edge validation and fuzzing, security, retention). Each part names the
command that regenerates its own figures; this one only puts them together.

    .venv/bin/python -m bench.reliability_doc
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARTS = (("worker.md", "Calls never stuck: faults injected into real workers"),
         ("edge.md", "Bad input and a fuzzing client: no 500, every status documented"),
         ("security.md", "Personal numbers, sessions, rate limits"),
         ("retention.md", "Retention and deletion"))

HEADER = """# Reliability

What an operator can rely on in the production shape (PostgreSQL, Redis, `callsight serve` +
`callsight worker --beat`), measured by injecting faults and bad input into the real parts.
Each part below comes from docs/reliability/<part>.md and names the command that regenerates its
figures; `python -m bench.reliability_doc` puts them together. Figures were measured on the
shared 2-core development machine under load, so times are pessimistic.
"""


def main() -> None:
    out = [HEADER]
    for name, title in PARTS:
        text = (REPO / "docs" / "reliability" / name).read_text(encoding="utf-8").strip()
        body = text.split("\n", 1)[1] if text.startswith("# ") else text
        # Each part's headings move one level down under its section.
        body = "\n".join("#" + line if line.startswith("#") else line for line in body.splitlines())
        out += [f"## {title}", "", f"(docs/reliability/{name})", "", body.strip(), ""]
    (REPO / "docs" / "reliability.md").write_text("\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
