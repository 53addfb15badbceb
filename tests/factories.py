"""Factory functions for test data: real rows through the real services."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from callsight.auth import create_user
from callsight.db.models import Branch, Call
from callsight.schemas import parse_transcript_doc
from callsight.services.calls import create_transcript_call


def make_branch(db: Session, name: str = "城东支行", **kw: Any) -> Branch:
    branch = Branch(name=name, **kw)
    db.add(branch)
    db.flush()
    return branch


def make_user(db: Session, role: str, *, name: str | None = None, branches: list[str] | None = None,
              agent_code: str | None = None, pii: bool = False) -> str:
    """Create a user and return its API key."""
    _, key = create_user(db, name=name or f"{role}-{agent_code or ''}-{'-'.join(branches or [])}",
                         role=role, branch_names=branches, agent_code=agent_code, can_see_pii=pii)
    db.flush()
    return key


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


DIALOGUE = [
    ("agent", "您好，这里是城东支行理财中心，我是理财经理小王，工号1023，请问有什么可以帮您"),
    ("customer", "你好我有一笔大额存单下个月十五号到期了，想问问有没有收益高一点的理财"),
    ("agent", "好的，请问您做过风险测评吗，我先帮您核实一下身份，请报一下身份证后四位"),
    ("customer", "做过的，是C3，我的手机号是13812345678"),
    ("agent", "好的，投资有风险，理财需谨慎，这款R2的产品比较适合您"),
    ("customer", "好的谢谢"),
    ("agent", "不客气，请问还有什么可以帮您，感谢来电，祝您生活愉快"),
]


def transcript_doc(branch: str = "城东支行", agent: str = "A1023", **meta: Any) -> dict[str, Any]:
    return {
        "meta": {"branch": branch, "agent": agent, "customer": "C20231", "direction": "inbound",
                 "started_at": "2026-10-12T09:30:00+08:00", **meta},
        "turns": [{"speaker": s, "text": t} for s, t in DIALOGUE],
    }


def make_transcript_call(db: Session, branch: str = "城东支行", agent: str = "A1023") -> Call:
    call = create_transcript_call(db, doc=parse_transcript_doc(transcript_doc(branch, agent)))
    db.flush()
    return call
