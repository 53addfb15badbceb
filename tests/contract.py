"""The result contract in tests: every result a test produces must validate against the
published schema (docs/result-schema.json) and read back into the same document.

``assert_valid_result`` is hooked in by tests/conftest.py (every ``CallResult.to_json``
and every 200 from ``/v1/calls/{id}/result`` through the API test client), so no test
that makes a result can forget it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from core.jsonio import to_json
from core.result import CallResult

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "result-schema.json"


@cache
def _validator() -> Any:
    try:
        import jsonschema_rs  # installed with schemathesis (a dev dependency)
    except ImportError:  # the round trip below still checks the document
        return None
    return jsonschema_rs.validator_for(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def assert_valid_result(doc: object) -> None:
    """``doc`` (parsed JSON) is a valid result: the JSON Schema accepts it, and reading it
    into ``CallResult`` and writing it again gives the same document."""
    assert isinstance(doc, dict), f"a result is a JSON object, not {type(doc).__name__}"
    # What goes out: numpy floats written by to_json become plain numbers.
    out: dict[str, Any] = json.loads(json.dumps(doc))
    validator = _validator()
    if validator is not None:
        errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(out)]
        assert not errors, "result does not match docs/result-schema.json:\n" + "\n".join(errors[:10])
    assert to_json(CallResult.from_json(out)) == out, "result changes when read back through CallResult"


def _check_response(response: Any) -> None:
    path = response.request.url.path
    if response.status_code == 200 and path.startswith("/v1/calls/") and path.endswith("/result"):
        response.read()
        assert_valid_result(response.json())


def validate_result_responses(client: Any) -> Any:
    """``client`` (an httpx.Client or TestClient), checking every result it receives."""
    client.event_hooks["response"].append(_check_response)
    return client
