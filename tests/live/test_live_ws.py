"""WS /v1/live in transcript mode, authentication, and bad input (the connection survives)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.routes import live as live_route
from tests.api.conftest import Keys


def _until(ws: Any, kind: str, limit: int = 20) -> dict[str, Any]:
    for _ in range(limit):
        msg = ws.receive_json()
        if msg["type"] == kind:
            return msg
    raise AssertionError(f"no {kind} message")


def test_transcript_mode_pushes_a_suggestion_then_taken(client: TestClient, keys: Keys) -> None:
    with client.websocket_connect("/v1/live") as ws:
        ws.send_json({"type": "auth", "key": keys.agent_1023})
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "meta", "meta": {"customer_risk_level": "C2"}})
        ws.send_json({"type": "turn", "speaker": "agent", "text": "您好恒信银行城东支行理财经理小王",
                      "start": 0, "end": 3})
        ws.send_json({"type": "turn", "speaker": "customer", "text": "嗯我那个李财下个月十五号到其了三十万",
                      "start": 3.5, "end": 7.0})
        msg = _until(ws, "suggestion")
        assert msg["opening"]["type"] == "maturity" and msg["opening"]["taken"] is False
        assert msg["scripts"] and all(int(s["risk_level"][1]) <= 2 for s in msg["scripts"] if s["risk_level"])
        assert any("理财非存款" in s["text"] for s in msg["scripts"] if s["investment"])
        assert 0 <= msg["latency_ms"] < 2000
        ws.send_json({"type": "turn", "speaker": "agent", "text": "到期以后可以考虑转存我们的大额存单",
                      "start": 7.5, "end": 10})
        taken = _until(ws, "taken")
        assert taken["opening"]["turn"] == msg["opening"]["turn"]


def test_transcript_mode_complaint_brings_recovery_not_a_product(client: TestClient, keys: Keys) -> None:
    """Issue 12: a customer who files a complaint hears service recovery, live too."""
    with client.websocket_connect("/v1/live") as ws:
        ws.send_json({"type": "auth", "key": keys.agent_1023})
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "meta", "meta": {"customer_risk_level": "C3"}})
        ws.send_json({"type": "turn", "speaker": "customer", "text": "你们这个理财收益太低了，我要投诉你们那个经理",
                      "start": 0, "end": 4})
        rec = _until(ws, "recovery")
        assert rec["opening"]["type"] == "complaint" and rec["scripts"]
        assert all(s["kind"] == "recovery" and s["product"] is None for s in rec["scripts"])
        ws.send_json({"type": "turn", "speaker": "customer", "text": "我那个大额存单下个月十五号到期了三十万",
                      "start": 5, "end": 8})
        sug = _until(ws, "suggestion")
        assert sug["scripts"] and all(s["product"] is None for s in sug["scripts"])


def test_auth_in_first_message(client: TestClient, keys: Keys) -> None:
    with client.websocket_connect("/v1/live") as ws:
        ws.send_json({"type": "auth", "key": keys.qa, "meta": {"customer_risk_level": "C1"}})
        assert ws.receive_json() == {"type": "ready", "user": "qa", "role": "qa"}


@pytest.mark.parametrize("first", [{"type": "turn", "speaker": "agent", "text": "hi"}, "not json"])
def test_no_key_closes_with_policy_violation(client: TestClient, first: Any) -> None:
    with client.websocket_connect("/v1/live") as ws:
        ws.send_text(first) if isinstance(first, str) else ws.send_json(first)
        with pytest.raises(WebSocketDisconnect) as err:
            ws.receive_json()
    assert err.value.code == 1008 and "authentication required" in err.value.reason


def test_silent_client_is_closed_after_the_auth_timeout(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_route, "AUTH_TIMEOUT_S", 0.2)
    with client.websocket_connect("/v1/live") as ws, pytest.raises(WebSocketDisconnect) as err:
        ws.receive_json()
    assert err.value.code == 1008


def test_bad_key_and_wrong_role_are_refused(client: TestClient, keys: Keys) -> None:
    for key, words in (("cs_nope", "invalid"), (keys.manager_east, "manager")):
        with client.websocket_connect("/v1/live") as ws, pytest.raises(WebSocketDisconnect) as err:
            ws.send_json({"type": "auth", "key": key})
            ws.receive_json()
        assert err.value.code == 1008 and words in err.value.reason


def test_bad_messages_get_errors_and_the_connection_survives(client: TestClient, keys: Keys) -> None:
    with client.websocket_connect("/v1/live") as ws:
        ws.send_json({"type": "auth", "key": keys.admin})
        assert ws.receive_json()["type"] == "ready"
        cases: list[tuple[Any, str]] = [
            ("{not json", "bad_json"),
            ([1, 2], "invalid_message"),
            ({"type": "dance"}, "unknown_type"),
            ({"type": "turn", "speaker": "robot", "text": "x"}, "invalid_message"),
            ({"type": "turn", "speaker": "agent", "text": ""}, "invalid_message"),
            ({"type": "turn", "speaker": "agent", "text": "好", "start": -1}, "invalid_message"),
            ({"type": "turn", "speaker": "agent", "text": "好", "start": 5, "end": 2}, "invalid_message"),
            ({"type": "start", "sample_rate": 44100}, "invalid_message"),
            ({"type": "start", "sample_rate": 8000, "channels": 2, "layout": "agent"}, "invalid_message"),
        ]
        for msg, code in cases:
            ws.send_text(msg) if isinstance(msg, str) else ws.send_json(msg)
            err = ws.receive_json()
            assert err["type"] == "error" and err["code"] == code, (msg, err)
        ws.send_bytes(b"\x00\x01" * 100)  # audio before "start"
        err = ws.receive_json()
        assert err["code"] == "not_started" and "start" in err["message"]
        ws.send_json({"type": "start", "sample_rate": 8000, "channels": 2, "layout": "agent,customer"})
        assert ws.receive_json()["type"] == "started"
        ws.send_bytes(b"\x00\x01\x02")  # not whole 2-channel samples
        assert ws.receive_json()["code"] == "bad_audio"
        ws.send_json({"type": "start", "sample_rate": 8000})
        assert ws.receive_json()["code"] == "already_started"
        # Still alive: a normal turn still works.
        ws.send_json({"type": "turn", "speaker": "customer", "text": "孩子明年要上大学学费得准备一下"})
        assert _until(ws, "suggestion")["opening"]["type"] == "education"
        ws.send_json({"type": "end"})
        assert _until(ws, "ended")["turns"] == 1
