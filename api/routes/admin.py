"""Health and reference data (branches)."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from api.deps import PrincipalDep, SessionDep
from api.schemas import BranchIn, BranchOut, Health
from callsight.auth import Role, require_role
from callsight.config import settings
from callsight.db.models import Branch
from callsight.errors import Conflict

router = APIRouter(prefix="/v1")


@router.get("/health", response_model=Health, tags=["health"], summary="Liveness of the API, database, broker")
def health(session: SessionDep) -> Health:
    from importlib.metadata import version

    db = "ok"
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:  # report, don't raise: health must answer
        db = f"error: {type(exc).__name__}"
    broker = "embedded"
    if not settings.embedded:
        broker = _broker_status()
    ok = db == "ok" and broker in ("ok", "embedded")
    return Health(status="ok" if ok else "degraded", database=db, broker=broker, version=version("callsight"))


def _broker_status() -> str:
    from callsight.queue import celery_app

    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


@router.get("/branches", response_model=list[BranchOut], tags=["branches"])
def list_branches(session: SessionDep, principal: PrincipalDep) -> list[BranchOut]:
    rows = session.scalars(select(Branch).order_by(Branch.name)).all()
    if not principal.all_branches and principal.role is not Role.agent:
        rows = [b for b in rows if b.id in principal.branch_ids]
    return [BranchOut(id=b.id, name=b.name, code=b.code, region=b.region, size_band=b.size_band) for b in rows]


@router.post("/branches", response_model=BranchOut, status_code=status.HTTP_201_CREATED, tags=["branches"])
def create_branch(session: SessionDep, principal: PrincipalDep, body: BranchIn) -> BranchOut:
    require_role(principal, Role.admin)
    branch = Branch(**body.model_dump())
    session.add(branch)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(f"a branch named '{body.name}' or with code '{body.code}' exists") from exc
    return BranchOut(id=branch.id, **body.model_dump())
