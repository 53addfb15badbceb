"""A call's stored result, read back once into its typed form (core/result.py)."""

from __future__ import annotations

from callsight.db.models import Call
from core.result import CallResult


def load_result(call: Call) -> CallResult | None:
    """The call's result as a ``CallResult`` (any stored version); None while it has none."""
    return CallResult.from_json(call.result) if call.result is not None else None
