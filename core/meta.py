"""The call metadata keys the analysis itself interprets, read once.

Call metadata is an open mapping (a deployment sends what its CRM has); the pipeline,
the rule engine and the script suggestions read a few known keys from it. They read
them here, through one typed view, instead of each digging in the mapping. Values stay
as given (``object``): each reader parses its own (a risk level through
nlp.spoken.parse_level, a date through nlp.dates).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from core.jsonio import parse

__all__ = ["MetaFacts"]


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    risk_level: object = None


@dataclass(frozen=True, slots=True)
class MetaFacts:
    call_id: object = None
    direction: object = None
    started_at: object = None
    customer_risk_level: object = None  # the CRM's assessed level: C3, 3, "稳健型" …
    risk_level: object = None  # an older name for the same
    customer: CustomerFacts | None = None  # a nested CRM record ({"risk_level": …})
    product_recommended: object = None

    @classmethod
    def of(cls, meta: Mapping[str, object] | None) -> MetaFacts:
        known = {f.name for f in fields(cls)}
        doc = {k: v for k, v in (meta or {}).items() if k in known}
        if "customer" in doc and not isinstance(doc["customer"], Mapping):
            del doc["customer"]  # a bare customer id, not a CRM record
        return parse(cls, doc)

    @property
    def direction_text(self) -> str | None:
        return self.direction if isinstance(self.direction, str) and self.direction else None

    @property
    def customer_levels(self) -> tuple[object, ...]:
        """The CRM's level in order of preference (the first that parses wins)."""
        nested = self.customer.risk_level if self.customer is not None else None
        return (self.customer_risk_level, self.risk_level, nested)
