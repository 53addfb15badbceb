"""Prepare the console's end-to-end database: run as ``python -m tests.ui.seed OUT.json``
with CALLSIGHT_DATA_DIR pointing at a temporary folder (the environment is the only
way to give a separate process its settings). Real rows through the real services:
branches, one user per role, the bundled sample transcripts processed by the job
runner. Writes the users' API keys and the call ids to OUT.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from callsight.auth import create_user
from callsight.db.migrate import upgrade
from callsight.db.models import Branch, User
from callsight.db.session import get_engine, session_scope
from callsight.schemas import parse_transcript_doc
from callsight.services.calls import create_transcript_call
from workers.jobs import run_process_call

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "calls"
AGENT_LEAD = Path(__file__).resolve().parent / "data" / "agent_lead.json"
BRANCHES = [("城东支行", "CD01", "华东"), ("城西支行", "CX01", "华东"), ("高新支行", "GX01", "华东")]
# (key name, display name, role, branches, agent code, senior)
USERS = [
    ("admin", "系统管理员", "admin", None, None, False),
    ("qa", "王质检", "qa", None, None, True),
    ("qa2", "赵质检", "qa", None, None, False),
    ("manager", "李经理", "manager", ["城东支行"], None, False),
    ("agent", "张坐席", "agent", None, "A1023", False),
    ("agent_west", "周坐席", "agent", None, "A2051", False),
]


def main(out: Path) -> None:
    upgrade(get_engine())
    keys: dict[str, str] = {}
    call_ids: dict[str, str] = {}
    with session_scope() as session:
        for name, code, region in BRANCHES:
            session.add(Branch(name=name, code=code, region=region, size_band="M"))
        session.flush()
        for key_name, name, role, branches, agent, senior in USERS:
            user, key = create_user(session, name=name, role=role, branch_names=branches, agent_code=agent)
            user.is_senior = senior
            keys[key_name] = key
        # The bundled samples, and one call of the console's agent (A1023) whose customer
        # raises a maturity plainly, so that the agent's to-do list has a lead whatever
        # the learned opening filter makes of the samples' borderline deferrals.
        for path in [*sorted(SAMPLES.glob("*.json")), AGENT_LEAD]:
            doc = parse_transcript_doc(json.loads(path.read_text(encoding="utf-8")))
            call_ids[path.stem] = create_transcript_call(session, doc=doc).id
        session.commit()
        assert session.query(User).count() == len(USERS)
    for stem, call_id in call_ids.items():
        status = run_process_call(call_id)
        if status != "done":
            raise SystemExit(f"sample {stem} ended {status}")
    out.write_text(json.dumps({"keys": keys, "calls": call_ids}, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
