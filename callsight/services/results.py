"""A call's stored result JSON read back once into the typed ``CallResult``."""

from __future__ import annotations

from callsight.db.models import Call
from core.result import CallResult


def load_result(call: Call) -> CallResult | None:
    """The call's result, typed; None while it has none (not analysed yet, or failed)."""
    return CallResult.from_json(call.result) if call.result else None
