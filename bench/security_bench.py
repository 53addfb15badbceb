"""Security figures of issue 15, regenerated end to end in-process (the real app,
SQLite, the inline job runner, the shipped thresholds):

    .venv/bin/python -m bench.security_bench [--write docs/reliability/security.md]

1. search: an agent without the pii permission tries every written and spoken form
   of each personal number in its own calls (whole numbers and every run of 4+
   digits reaching into the masked middle) and counts the queries that find the
   call by a digit it cannot see; the same queries by a pii reader with show_pii
   (the unmasked index, as every reader had before) show the attack is a real one;
2. lockout: wrong API keys, wrong console keys and wrong passwords until 429;
3. sessions: a logged-out cookie's status;
4. headers on API, error, console and report responses;
5. masking of the new kinds.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

_TMP = Path(tempfile.mkdtemp(prefix="callsight-secbench-"))
os.environ.update(CALLSIGHT_DATA_DIR=str(_TMP), CALLSIGHT_DATABASE_URL="", CALLSIGHT_BROKER_URL="",
                  CALLSIGHT_EMBEDDED_RUNNER="inline", CALLSIGHT_LOG_LEVEL="WARNING")

from fastapi.testclient import TestClient  # noqa: E402

from callsight import search  # noqa: E402
from callsight.auth import create_user  # noqa: E402
from callsight.config import settings  # noqa: E402
from callsight.db.migrate import upgrade  # noqa: E402
from callsight.db.models import Branch  # noqa: E402
from callsight.db.session import make_engine, session_scope  # noqa: E402
from callsight.sessions import set_password  # noqa: E402
from nlp.pii import mask_text, mask_turns  # noqa: E402

SPOKEN = dict(zip("0123456789", "零幺二三四五六七八九", strict=True))


def sp(digits: str) -> str:
    return "".join(SPOKEN[d] for d in digits)


# (number, digits kept front/back, how the customer says it: turns of (speaker, text))
NUMBERS: list[tuple[str, tuple[int, int], list[tuple[str, str]]]] = [
    ("13812345678", (3, 4), [("customer", "我的手机号是13812345678")]),
    ("15987654321", (3, 4), [("customer", "电话是" + sp("15987654321"))]),
    ("13711112222", (3, 4), [("customer", "备用号码" + sp("1371111")), ("agent", "嗯"), ("customer", sp("2222"))]),
    ("18600001234", (3, 4), [("customer", "新号码是186 0000，"), ("customer", "1234")]),
    ("02162345678", (3, 2), [("customer", "座机是" + sp("021") + "-" + sp("62345678"))]),
    ("075523456789", (4, 2), [("customer", "单位电话0755-23456789")]),
    ("310110198503121234", (3, 4), [("customer", "身份证号是三一零一，一零一九八五，零三一二，幺二三四")]),
    ("6222021234567890128", (4, 4), [("customer", "卡号是6222 0212 3456 7890 128")]),
]
EMAIL = ("zhangsan", "邮箱是zhangsan@163.com")


def attack_forms(number: str, keep: tuple[int, int]) -> list[str]:
    out = [number, sp(number), sp(number).replace("幺", "一")]
    hidden = range(keep[0], len(number) - keep[1])
    for i in range(len(number)):
        for j in range(i + 4, len(number) + 1):
            if any(i <= h < j for h in hidden):
                out += [number[i:j], sp(number[i:j])]
    return list(dict.fromkeys(out))


def setup() -> dict[str, str]:
    upgrade(make_engine(settings.resolved_database_url))
    with session_scope() as s:
        s.add(Branch(name="城东支行", code="CD01"))
        s.flush()
        keys = {}
        for name, role, kw in (("admin", "admin", {}), ("agent", "agent", {"agent_code": "A1023"}),
                               ("qa-pii", "qa", {"can_see_pii": True})):
            _, keys[name] = create_user(s, name=name, role=role, **kw)  # type: ignore[arg-type]
        set_password(s, "agent", "correct horse battery")
        s.commit()
    return keys


def ingest(c: TestClient, admin: str) -> list[str]:
    ids = []
    for i, (_, _, said) in enumerate([*NUMBERS, ("", (0, 0), [("customer", EMAIL[1])])]):
        turns = [("agent", "您好，城东支行，请问有什么可以帮您"), *said, ("agent", "好的已经帮您登记，感谢来电")]
        doc = {"meta": {"branch": "城东支行", "agent": "A1023", "customer": f"C{i}",
                        "started_at": "2026-10-12T09:30:00+08:00"},
               "turns": [{"speaker": s, "text": t} for s, t in turns]}
        r = c.post("/v1/calls/transcript", json=doc, headers={"Authorization": f"Bearer {admin}"})
        assert r.status_code == 202, r.text
        ids.append(r.json()["id"])
    return ids


def search_attack(c: TestClient, keys: dict[str, str], ids: list[str]) -> dict[str, Any]:
    agent = {"Authorization": f"Bearer {keys['agent']}"}
    pii = {"Authorization": f"Bearer {keys['qa-pii']}"}
    visible = "".join(s["text"] for cid in ids
                      for s in c.get(f"/v1/calls/{cid}/transcript", headers=agent).json()["segments"])
    queries = [q for number, keep, _ in NUMBERS for q in attack_forms(number, keep)] + [EMAIL[0]]
    leaked = explained = found_unmasked = sent = 0
    t0 = time.perf_counter()
    for q in queries:
        if q in visible:  # digits the agent sees anyway (the 5678 of 138****5678)
            continue
        sent += 1
        want = set(search.query_tokens(q))
        hits = c.get("/v1/search", params={"q": q}, headers=agent).json()["hits"]
        # A hit whose every query word is in the masked text the agent sees tells nothing
        # about hidden digits (幺幺幺幺 is the word 幺, visible in 幺三八****); any other is a leak.
        if any(not want <= set(search.tokens(h["text"])) for h in hits):
            leaked += 1
        elif hits:
            explained += 1
        if c.get("/v1/search", params={"q": q, "show_pii": "true"}, headers=pii).json()["hits"]:
            found_unmasked += 1
    return {"queries": sent, "leaked": leaked, "explained": explained,
            "found_in_unmasked_index": found_unmasked, "seconds": round(time.perf_counter() - t0, 1)}


def until_429(send: Any, limit: int = 300) -> tuple[int, float]:
    t0 = time.perf_counter()
    for n in range(1, limit + 1):
        if send(n) == 429:
            return n, time.perf_counter() - t0
    return limit + 1, time.perf_counter() - t0


def lockout(app: Any, keys: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with TestClient(app, client=("10.1.0.1", 1)) as c:
        out["wrong_api_keys_until_429"], _ = until_429(
            lambda n: c.get("/v1/calls", headers={"Authorization": f"Bearer cs_guess{n}"}).status_code)
        out["valid_key_same_address"] = c.get("/v1/calls", headers={"Authorization": f"Bearer {keys['agent']}"}
                                              ).status_code
    with TestClient(app, client=("10.1.0.2", 1)) as c:
        out["valid_key_other_address"] = c.get("/v1/calls", headers={"Authorization": f"Bearer {keys['agent']}"}
                                               ).status_code
        out["wrong_console_keys_until_429"], _ = until_429(
            lambda n: c.post("/ui/login", data={"api_key": f"cs_guess{n}"}, follow_redirects=False).status_code)
    with TestClient(app, client=("10.1.0.3", 1)) as c:
        out["wrong_passwords_until_429"], _ = until_429(
            lambda n: c.post("/ui/login", data={"username": "agent", "password": f"guess{n}"},
                             follow_redirects=False).status_code)
    with TestClient(app, client=("10.1.0.4", 1)) as c:
        out["right_password_other_address"] = c.post(
            "/ui/login", data={"username": "agent", "password": "correct horse battery"},
            follow_redirects=False).status_code
    return out


def session_check(app: Any, keys: dict[str, str]) -> dict[str, Any]:
    with TestClient(app, client=("10.2.0.1", 1)) as c:
        c.post("/ui/login", data={"api_key": keys["agent"]}, follow_redirects=False)
        sid = c.cookies.get("callsight_session") or ""
        before = c.get("/v1/calls").status_code
        c.post("/ui/logout", follow_redirects=False)
        c.cookies.set("callsight_session", sid)
        after = c.get("/v1/calls").status_code
    return {"cookie_holds_key": keys["agent"] in sid, "before_logout": before, "logged_out_cookie": after}


def header_check(app: Any, keys: dict[str, str]) -> dict[str, Any]:
    want = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")
    with TestClient(app, client=("10.3.0.1", 1)) as c:
        responses = {"/v1/calls": c.get("/v1/calls", headers={"Authorization": f"Bearer {keys['agent']}"}),
                     "/v1/calls (401)": c.get("/v1/calls"), "/ui/login": c.get("/ui/login"),
                     "/v1/health": c.get("/v1/health")}
    return {path: {"all_headers": all(h in r.headers for h in want),
                   "no_store": r.headers.get("cache-control") == "no-store"} for path, r in responses.items()}


def masking() -> dict[str, str]:
    cases = ["座机是零二一-六二三四五六七八", "邮箱是zhangsan@163.com",
             "身份证号是三一零一，一零一九八五，零三一二，幺二三四"]
    out = {t: mask_text(t) for t in cases}
    split = mask_turns([("customer", "我手机是一三八一二"), ("agent", "嗯"), ("customer", "三四五六七八")])
    out["我手机是一三八一二 / 嗯 / 三四五六七八"] = " / ".join(split)
    return out


def render(r: dict[str, Any]) -> str:
    s, lk, ss = r["search"], r["lockout"], r["sessions"]
    lines = [
        "# Security figures (issue 15)", "",
        "Regenerate: `.venv/bin/python -m bench.security_bench --write docs/reliability/security.md`",
        "(in-process: the real app on a fresh SQLite database, the inline job runner, the shipped",
        f"thresholds: {settings.auth_max_failures_per_ip} failures per address, "
        f"{settings.auth_max_failures_per_user} per user name and address, "
        f"{settings.auth_failure_window_s} s window, {settings.auth_lockout_s} s lockout).", "",
        "What holds these: search indexes masked text (callsight/search.py, nlp/pii.py mask_turns);",
        "callsight/ratelimit.py (in-process here; Redis with a broker, tested in tests/security);",
        "server-side console sessions (callsight/sessions.py); api/security_headers.py. Tests:",
        "tests/security/, tests/api/test_search_pii.py, tests/nlp/test_pii.py.", "",
        "| check | figure |", "|---|---|",
        f"| search: queries an agent without `pii` tried on its own calls ({len(NUMBERS)} numbers + 1 e-mail) "
        f"| {s['queries']} |",
        f"| search: queries that found a call by a digit the agent cannot see | **{s['leaked']}** |",
        f"| search: queries with hits explained by visible words only (e.g. 幺幺幺幺 = the word 幺) "
        f"| {s['explained']} |",
        f"| the same queries against the unmasked index (pii reader, show_pii=true; every reader before) "
        f"| {s['found_in_unmasked_index']} found the call |",
        f"| wrong API keys from one address until 429 | {lk['wrong_api_keys_until_429']} |",
        f"| a valid key from the locked address / from another address | {lk['valid_key_same_address']} / "
        f"{lk['valid_key_other_address']} |",
        f"| wrong console logins (API key field) until 429 | {lk['wrong_console_keys_until_429']} |",
        f"| wrong passwords for one user from one address until 429 | {lk['wrong_passwords_until_429']} |",
        f"| the right password from another address meanwhile | {lk['right_password_other_address']} |",
        f"| console cookie holds the API key | {ss['cookie_holds_key']} |",
        f"| a cookie after logout (was {ss['before_logout']}) | {ss['logged_out_cookie']} |",
    ]
    for path, h in r["headers"].items():
        lines.append(f"| headers on {path}: CSP, nosniff, Referrer-Policy, X-Frame-Options / no-store | "
                     f"{h['all_headers']} / {h['no_store']} |")
    lines += ["", "Masking of the kinds added in issue 15 (and the grouped ID number of issue 12):", ""]
    lines += [f"- `{k}` → `{v}`" for k, v in r["masking"].items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    keys = setup()
    from api.app import app

    with TestClient(app, client=("10.0.0.1", 1)) as c:
        ids = ingest(c, keys["admin"])
        result: dict[str, Any] = {"search": search_attack(c, keys, ids)}
    result["lockout"] = lockout(app, keys)
    result["sessions"] = session_check(app, keys)
    result["headers"] = header_check(app, keys)
    result["masking"] = masking()
    text = render(result)
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
