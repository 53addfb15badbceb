"""Server-side console sessions and password login (issue 15), through the real API
and database: the cookie holds only a session id; logout, expiry, deactivation and a
password change end the session server-side (a copied cookie gets 401)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.routes.ui_session import COOKIE
from callsight import sessions
from callsight.db.models import User, utcnow
from callsight.db.security import ConsoleSession
from callsight.errors import InvalidInput
from tests.api.conftest import Keys

PASSWORD = "correct horse battery"


def _login(client: TestClient, **form: str) -> str:
    r = client.post("/ui/login", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    sid = client.cookies.get(COOKIE)
    assert sid
    return sid


def test_cookie_is_a_session_id_not_the_key(client: TestClient, keys: Keys, db: Session) -> None:
    sid = _login(client, api_key=keys.qa)
    assert sid.startswith(sessions.SESSION_PREFIX) and keys.qa not in sid
    row = db.scalar(select(ConsoleSession).where(ConsoleSession.token_hash == sessions._hash(sid)))
    assert row is not None and row.method == "api_key" and row.revoked_at is None
    assert sid not in {row.token_hash}  # only the hash is stored
    assert client.get("/v1/calls").status_code == 200


def test_a_logged_out_cookie_gets_401(client: TestClient, keys: Keys) -> None:
    sid = _login(client, api_key=keys.qa)
    assert client.get("/v1/calls").status_code == 200
    assert client.post("/ui/logout", follow_redirects=False).status_code == 303
    # The browser dropped the cookie; a copy kept elsewhere (or stolen) is dead server-side.
    client.cookies.set(COOKIE, sid)
    r = client.get("/v1/calls")
    assert r.status_code == 401 and r.json()["error"]["code"] == "session_invalid"
    assert client.get("/ui/queue", follow_redirects=False).headers["location"].startswith("/ui/login")


def test_expired_and_deactivated_sessions_get_401(client: TestClient, keys: Keys, db: Session) -> None:
    sid = _login(client, api_key=keys.manager_east)
    db.execute(update(ConsoleSession).where(ConsoleSession.token_hash == sessions._hash(sid))
               .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    assert client.get("/v1/calls").json()["error"]["code"] == "session_expired"
    client.cookies.clear()
    _login(client, api_key=keys.agent_1023)
    db.execute(update(User).where(User.name == "agent-1023").values(active=False))
    db.commit()
    assert client.get("/v1/calls").status_code == 401


def test_session_expiry_is_the_setting(client: TestClient, keys: Keys, db: Session) -> None:
    from callsight.config import settings

    sid = _login(client, api_key=keys.qa)
    row = db.scalar(select(ConsoleSession).where(ConsoleSession.token_hash == sessions._hash(sid)))
    assert row is not None
    life = sessions._aware(row.expires_at) - sessions._aware(row.created_at)
    assert abs(life.total_seconds() - settings.session_max_age_s) < 2


def test_password_login_and_change_ends_sessions(client: TestClient, keys: Keys, db: Session) -> None:
    sessions.set_password(db, "mgr-east", PASSWORD)
    db.commit()
    stored = db.scalar(select(User.password_hash).where(User.name == "mgr-east"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    bad = client.post("/ui/login", data={"username": "mgr-east", "password": "nope"}, follow_redirects=False)
    assert bad.status_code == 401 and "set-cookie" not in bad.headers
    unknown = client.post("/ui/login", data={"username": "nobody", "password": PASSWORD}, follow_redirects=False)
    assert unknown.status_code == 401
    _login(client, username="mgr-east", password=PASSWORD)
    me = client.get("/v1/calls")
    assert me.status_code == 200
    # Scope is the user's: the west branch's calls are not listed, the page is the manager's.
    assert client.get("/ui/", follow_redirects=False).headers["location"] == "/ui/manager"
    sessions.set_password(db, "mgr-east", PASSWORD + "!")
    db.commit()
    assert client.get("/v1/calls").status_code == 401


def test_short_password_refused(db: Session, keys: Keys) -> None:
    with pytest.raises(InvalidInput):
        sessions.set_password(db, "qa", "short")


def test_cli_creates_a_user_with_a_password(tmp_path: object) -> None:
    """`callsight users create --password` and `set-password` in a real process on its own database."""
    import os
    from pathlib import Path

    data = Path(str(tmp_path))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLSIGHT_")}
    env.update(CALLSIGHT_DATA_DIR=str(data), CALLSIGHT_DATABASE_URL=f"sqlite:///{data / 'cli.db'}")
    cli = [sys.executable, "-m", "callsight.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
    r = subprocess.run([*cli, "users", "create", "--name", "王质检", "--role", "qa", "--password"],
                       env=env, input=PASSWORD + "\n", capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([*cli, "users", "set-password", "--name", "王质检"], env=env, input="short\n",
                       capture_output=True, text=True)
    assert r.returncode != 0 and "10 characters" in r.stderr + r.stdout
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{data / 'cli.db'}")
    with Session(engine) as s:
        assert sessions.authenticate_password(s, "王质检", PASSWORD).name == "王质检"
    engine.dispose()
