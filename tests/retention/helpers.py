"""A customer whose personal data is spread over every place a call leaves data, and
a generic scan of every table (from SQLAlchemy's metadata, so a table added later is
covered without touching this file) and every file under the data directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Session

from callsight.config import settings
from callsight.db.models import Base, Call
from tests.tags.helpers import processed_call

NAME = "林晓梅"
PHONE = "13987654321"
ID_NO = "110101199003074512"
CODE = "K77881"
OTHER = "K55555"

TURNS = [
    ("agent", "您好，这里是城东支行理财中心，我是理财经理小王，工号1023，请问有什么可以帮您"),
    ("customer", f"你好我是{NAME}，我的手机号是{PHONE}，身份证号{ID_NO}"),
    ("customer", f"{NAME}想问一下大额存单下个月到期了，有没有收益高一点的理财"),
    ("agent", "好的，这款产品保本保收益，稳赚不赔，投资有风险，理财需谨慎"),
    ("customer", "做过的，是C3，你们上次推荐的基金亏了，我要投诉到银保监会"),
    ("agent", "非常抱歉，我记录一下，感谢来电，祝您生活愉快"),
]
OTHER_TURNS = [
    ("agent", "您好，这里是城东支行，我是小李，工号1023"),
    ("customer", "我想问一下定投基金怎么办理，周文涛"),
    ("agent", "好的，投资有风险，理财需谨慎，感谢来电"),
]


def customer_calls(db: Session, started_at: str = "2026-10-12T09:30:00+08:00") -> list[str]:
    """Two processed calls of the customer (name, phone and ID in meta and speech), one
    with a recording file in the audio directory."""
    ids = [processed_call(db, TURNS, customer=CODE, started_at=started_at, agent="A1023",
                          customer_name=NAME, customer_phone=PHONE),
           processed_call(db, TURNS[:3], customer=CODE, started_at="2026-10-14T10:00:00+08:00", agent="A1023")]
    settings.audio_dir.mkdir(parents=True, exist_ok=True)
    audio = settings.audio_dir / f"{ids[0]}.wav"
    audio.write_bytes(b"RIFF" + f"{NAME}{PHONE}".encode() + b"\0" * 64)
    call = db.get(Call, ids[0])
    assert call is not None
    call.audio_path = str(audio)
    db.flush()
    return ids


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def table_hits(db: Session, needles: list[str]) -> dict[str, list[str]]:
    """{table.column: [needles found]} over every text and JSON column of every table."""
    hits: dict[str, list[str]] = {}
    db.expire_all()
    for table in Base.metadata.sorted_tables:
        cols = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not cols:
            continue
        for row in db.execute(select(*cols)).all():
            for col, value in zip(cols, row, strict=True):
                text = _text(value)
                found = [n for n in needles if n in text]
                if found:
                    hits.setdefault(f"{table.name}.{col.name}", [])
                    hits[f"{table.name}.{col.name}"] += [n for n in found if n not in hits[f"{table.name}.{col.name}"]]
    return hits


def file_hits(root: Path, needles: list[str]) -> list[str]:
    """Files under ``root`` (data dir: audio, reports) whose bytes hold a needle."""
    enc = [n.encode() for n in needles]
    out = []
    for p in root.rglob("*"):
        if p.is_file() and p.suffix not in (".pkl", ".db", ".db-wal", ".db-shm") and "models" not in p.parts:
            data = p.read_bytes()
            if any(e in data for e in enc):
                out.append(str(p))
    return out
