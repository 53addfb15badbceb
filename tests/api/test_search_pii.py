"""Search honours PII (issue 15): the index is built from masked text, so a reader
without the pii permission finds no call by a digit it may not see, in any form a
number is written or spoken, split over two turns included; a reader with the
permission who asks (show_pii=true) still can. Calls go through the real pipeline
(inline runner), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight import search
from callsight.db.models import SegmentRow
from tests.api.conftest import Keys
from tests.factories import auth, make_user

MOBILE = "13812345678"
SPLIT = "13987654321"  # said over two turns
LANDLINE = "02162345678"
SPOKEN = dict(zip("0123456789", "零幺二三四五六七八九", strict=True))

TURNS = [
    ("agent", "您好，这里是城东支行，请问有什么可以帮您"),
    ("customer", f"我想改一下预留手机号，新的是{MOBILE}"),
    ("agent", "好的，请问座机号码呢"),
    ("customer", "座机是" + "".join(SPOKEN[d] for d in LANDLINE[:3]) + "-" + "".join(SPOKEN[d] for d in LANDLINE[3:])),
    ("agent", "还有一个备用号码吗"),
    ("customer", "备用的是" + "".join(SPOKEN[d] for d in SPLIT[:6])),
    ("agent", "嗯"),
    ("customer", "".join(SPOKEN[d] for d in SPLIT[6:]) + "，邮箱是zhangsan@163.com"),
    ("agent", "好的已经帮您登记了，感谢来电"),
]


def _forms(number: str, keep: tuple[int, int]) -> list[str]:
    """Queries an attacker would try: the whole number as typed and as spoken, and every
    substring of four or more digits that reaches into the masked middle."""
    spoken = "".join(SPOKEN[d] for d in number)
    out = [number, spoken, spoken.replace("幺", "一"), f"{number[:3]} {number[3:7]} {number[7:]}"]
    hidden = range(keep[0], len(number) - keep[1])
    for i in range(len(number)):
        for j in range(i + 4, len(number) + 1):
            if any(i <= h < j for h in hidden):
                out += [number[i:j], "".join(SPOKEN[d] for d in number[i:j])]
    return out


@pytest.fixture
def call_id(client: TestClient, keys: Keys) -> str:
    doc: dict[str, Any] = {
        "meta": {"branch": "城东支行", "agent": "A1023", "customer": "C1", "started_at": "2026-10-12T09:30:00+08:00"},
        "turns": [{"speaker": s, "text": t} for s, t in TURNS],
    }
    r = client.post("/v1/calls/transcript", json=doc, headers=auth(keys.admin))
    assert r.status_code == 202, r.text
    cid: str = r.json()["id"]
    assert client.get(f"/v1/calls/{cid}", headers=auth(keys.admin)).json()["status"] == "done"
    return cid


def test_agent_without_pii_finds_nothing_by_a_hidden_digit(client: TestClient, keys: Keys, call_id: str) -> None:
    queries = (_forms(MOBILE, (3, 4)) + _forms(SPLIT, (3, 4)) + _forms(LANDLINE, (3, 2))
               + ["zhangsan", "zhangsan@163.com"])
    segs = client.get(f"/v1/calls/{call_id}/transcript", headers=auth(keys.agent_1023)).json()["segments"]
    visible = "".join(s["text"] for s in segs)
    assert "*" in visible
    leaked = []
    for q in queries:
        r = client.get("/v1/search", params={"q": q}, headers=auth(keys.agent_1023))
        assert r.status_code == 200, r.text
        # A hit on digits the agent can see anyway (the 5678 of 138****5678) is no leak.
        if r.json()["hits"] and q not in visible:
            leaked.append(q)
    assert leaked == [], f"{len(leaked)} of {len(queries)} queries found the call: {leaked[:5]}"
    # The call is the agent's own and searchable by its words; what it shows is masked.
    hits = client.get("/v1/search", params={"q": "备用"}, headers=auth(keys.agent_1023)).json()["hits"]
    assert {h["call_id"] for h in hits} == {call_id}
    text = " ".join(h["text"] for h in client.get("/v1/search", params={"q": "座机"},
                                                  headers=auth(keys.agent_1023)).json()["hits"])
    assert "*" in text and "六二三四五六" not in text


def test_split_number_is_masked_in_search_hits_and_transcript(client: TestClient, keys: Keys, call_id: str) -> None:
    second_half = "".join(SPOKEN[d] for d in SPLIT[6:])
    hits = client.get("/v1/search", params={"q": "邮箱"}, headers=auth(keys.agent_1023)).json()["hits"]
    assert len(hits) == 1
    assert not hits[0]["text"].startswith(second_half) and "zhangsan" not in hits[0]["text"]
    segs = client.get(f"/v1/calls/{call_id}/transcript", headers=auth(keys.agent_1023)).json()["segments"]
    joined = "".join(s["text"] for s in segs)
    assert MOBILE not in joined and "".join(SPOKEN[d] for d in SPLIT[:6]) not in joined
    assert not segs[7]["text"].startswith(second_half)


def test_reader_with_pii_permission_finds_it_on_request(client: TestClient, keys: Keys, db: Session,
                                                        call_id: str) -> None:
    pii_key = make_user(db, "qa", name="qa-pii", pii=True)
    for q in (MOBILE, "".join(SPOKEN[d] for d in LANDLINE[3:])):
        assert client.get("/v1/search", params={"q": q}, headers=auth(pii_key)).json()["hits"] == []
        hits = client.get("/v1/search", params={"q": q, "show_pii": "true"}, headers=auth(pii_key)).json()["hits"]
        assert [h["call_id"] for h in hits] == [call_id]
    forbidden = client.get("/v1/search", params={"q": MOBILE, "show_pii": "true"}, headers=auth(keys.agent_1023))
    assert forbidden.status_code == 403


def test_index_columns(db: Session, call_id: str) -> None:
    rows = db.scalars(select(SegmentRow).where(SegmentRow.call_id == call_id).order_by(SegmentRow.idx)).all()
    assert MOBILE not in rows[1].search_text and rows[1].search_text_pii is not None
    assert MOBILE in rows[1].search_text_pii
    assert rows[0].search_text_pii is None  # nothing masked: no second copy
    assert search.index_segments([("customer", "你好")]) == [(" 你好 ", None)]
