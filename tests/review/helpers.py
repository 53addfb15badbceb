"""Dialogues for the review tests (processed by the real pipeline) and API helpers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import DIALOGUE, auth

# Recommends a fund with a promise of capital protection and no risk disclosure:
# forbidden_promise (fatal), risk_disclosure and suitability fail on the marketing card.
PROMISE = [
    ("agent", "您好，这里是城东支行理财中心，我是理财经理小王，工号1023"),
    ("customer", "我想买点理财，有没有稳一点的"),
    ("agent", "给您推荐一款基金，这个是保本的，稳赚不赔"),
    ("customer", "好的"),
    ("agent", "感谢来电，祝您生活愉快，再见"),
]
# Rude agent, no greeting or closing, customer threatens the regulator: courtesy (fatal,
# service card) and a high complaint risk.
RUDE = [
    ("agent", "喂"),
    ("customer", "我要投诉你们，我要打12378去金融监管总局投诉"),
    ("agent", "你自己没看清楚怪谁，烦不烦啊"),
]
# Everything right except the opening: only the minor greeting item fails.
NO_GREETING = [("agent", "喂你好"), *DIALOGUE[1:]]


def doc(turns: list[tuple[str, str]], branch: str = "城东支行", agent: str = "A1023",
        started_at: str = "2026-10-12T09:30:00+08:00") -> dict[str, Any]:
    return {"meta": {"branch": branch, "agent": agent, "customer": "C20231", "direction": "inbound",
                     "started_at": started_at},
            "turns": [{"speaker": s, "text": t} for s, t in turns]}


def ingest(client: TestClient, key: str, turns: list[tuple[str, str]], **meta: str) -> str:
    r = client.post("/v1/calls/transcript", json=doc(turns, **meta), headers=auth(key))
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


def findings(client: TestClient, key: str, call_id: str) -> dict[str, Any]:
    r = client.get(f"/v1/calls/{call_id}/findings", headers=auth(key))
    assert r.status_code == 200, r.text
    return dict(r.json())


def finding_id(client: TestClient, key: str, call_id: str, rule: str) -> int:
    return next(int(f["id"]) for f in findings(client, key, call_id)["findings"] if f["rule"] == rule)


def verdict(client: TestClient, key: str, fid: int, value: str, comment: str | None = None) -> Any:
    return client.post(f"/v1/findings/{fid}/verdict", json={"verdict": value, "comment": comment},
                       headers=auth(key))


def queue(client: TestClient, key: str, **params: Any) -> Any:
    return client.get("/v1/review/queue", params=params, headers=auth(key))
