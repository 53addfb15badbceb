"""Descriptions for OpenAPI parameters that a route left undescribed (issue 14: the API
docs listed bare names). A route's own ``Query(description=...)`` always wins; this
table only fills gaps, so a parameter added later without one is caught by
tests/api/test_openapi_params.py rather than shipped bare."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from core.jsonio import JsonObject

PERIOD = "a period: 2026-11 (month), 2026-W45 (ISO week), 2026-11-01..2026-11-15 (days), or latest"
# (where, name) -> description; (where, name, path) entries override for one path.
GENERIC: dict[tuple[str, str], str] = {
    ("path", "appeal_id"): "the appeal's id",
    ("path", "branch"): "branch name or code",
    ("path", "calibration_id"): "the calibration session's id",
    ("path", "call_id"): "the call's id (32 hex characters)",
    ("path", "code"): "the customer code",
    ("path", "finding_id"): "the finding's id",
    ("path", "period"): PERIOD,
    ("path", "rule_id"): "a rule id, e.g. forbidden_promise",
    ("path", "version_id"): "the rule version's id",
    ("path", "view_id"): "the saved view's id",
    ("query", "action"): "only audit entries of this action, e.g. verdict, appeal, ruling",
    ("query", "agent"): "only calls of this agent code",
    ("query", "branch"): "only this branch (name or code)",
    ("query", "branch_id"): "only this branch (its numeric id)",
    ("query", "call_id"): "only this call",
    ("query", "category"): "only complaints of this category",
    ("query", "complaint"): "true: only complaint calls",
    ("query", "converted"): "true: only calls whose opening led to a sale",
    ("query", "customer"): "only calls of this customer code",
    ("query", "dormant_days"): "dormant_high_value: no contact for this many days",
    ("query", "finding_id"): "only this finding",
    ("query", "format"): "json (default) or html",
    ("query", "from"): "at or after this time (ISO 8601; a date means its midnight)",
    ("query", "to"): "before this time (ISO 8601, exclusive)",
    ("query", "group"): "agent or branch: one row per agent or per branch",
    ("query", "include_expired"): "also tags past their expiry",
    ("query", "intent"): "only calls of this primary intent, e.g. product_inquiry",
    ("query", "limit"): "page size",
    ("query", "max_call_ids"): "at most this many example call ids per topic",
    ("query", "metric"): "volume | complaint_rate | negative_share",
    ("query", "no_intent_contacts"): "downgrade: this many recent contacts without purchase intent",
    ("query", "offset"): "rows to skip (paging)",
    ("query", "opening"): "only calls with this upsell opening type, e.g. maturity",
    ("query", "opening_days"): "open openings: no follow-up contact for this many days",
    ("query", "period"): PERIOD,
    ("query", "risk"): "complaint risk: high | low | none",
    ("query", "rule_failed"): "only calls failing this rule id",
    ("query", "show_pii"): "true: personal numbers unmasked (needs the 'pii' permission; audited)",
    ("query", "status"): "only this status",
    ("query", "taken"): "true: openings the agent took (开口); false: missed ones",
    ("query", "type"): "only this opening type, e.g. maturity",
    ("query", "warm_days"): "warm: last contact with purchase intent this many days ago or more",
    ("query", "words"): "true: include word-level timings",
}
BY_PATH: dict[tuple[str, str, str], str] = {
    ("query", "status", "/v1/calls"): "queued | transcribing | analysing | done | failed",
    ("query", "status", "/v1/appeals"): "open | upheld | overturned | void",
    ("query", "status", "/v1/reports"): "pending | running | done | failed",
}


def describe(schema: JsonObject) -> JsonObject:
    """Fill missing parameter descriptions in an OpenAPI document, in place."""
    for path, ops in schema.get("paths", {}).items():
        for op in ops.values():
            for p in op.get("parameters", []) if isinstance(op, dict) else []:
                if p.get("description"):
                    continue
                text = BY_PATH.get((p["in"], p["name"], path)) or GENERIC.get((p["in"], p["name"]))
                if text:
                    p["description"] = text
    return schema


def install(app: FastAPI) -> None:
    build: Callable[[], JsonObject] = app.openapi

    def openapi() -> JsonObject:
        if app.openapi_schema is None:
            app.openapi_schema = describe(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
