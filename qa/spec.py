"""Reading rule YAML: the one error type and the typed view of an operator's mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SPEAKERS: tuple[str, ...] = ("agent", "customer", "any")


class RuleError(ValueError):
    """A rule file is invalid; the message names the file, rule id and field."""


@dataclass(frozen=True, slots=True)
class Spec:
    """One operator's YAML mapping, its keys already checked by :func:`fields`.

    Operators read it through these typed accessors (each names the field when the
    value is wrong) instead of digging in the raw dict; ``spec[key]`` is a required
    field as written, ``node(key)`` an optional one that is compiled further (a nested
    condition, a term list), None when absent.
    """

    raw: Mapping[str, Any]
    where: str

    def __contains__(self, key: str) -> bool:
        return key in self.raw

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def node(self, key: str, default: object = None) -> object:
        return self.raw.get(key, default)

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
        v = self.raw.get(key, default)
        if v is not None and v not in allowed:
            raise RuleError(f"{self.where}.{key}: expected {'|'.join(allowed)}, got {v!r}")
        return None if v is None else str(v)

    def text(self, key: str) -> str | None:
        v = self.node(key)
        if v is not None and not isinstance(v, str):
            raise RuleError(f"{self.where}.{key}: expected a string, got {v!r}")
        return v

    def flag(self, key: str, default: bool) -> bool:
        return bool(self.raw[key]) if key in self.raw else default

    def boolean(self, key: str, default: bool) -> bool:
        """A strict true/false (unlike :meth:`flag`, which takes any truthy value)."""
        v = self.raw.get(key, default)
        if not isinstance(v, bool):
            raise RuleError(f"{self.where}.{key}: expected true or false, got {v!r}")
        return v

    def number(self, key: str, default: float | None = None) -> float | None:
        """A non-negative number (seconds, a rate), None when absent without a default."""
        v = self.raw.get(key, default)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
            raise RuleError(f"{self.where}.{key}: expected a non-negative number, got {v!r}")
        return float(v)

    def integer(self, key: str, default: int | None = None, *, low: int = 0, high: int | None = None) -> int | None:
        v = self.raw.get(key, default)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int) or v < low or (high is not None and v > high):
            bound = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise RuleError(f"{self.where}.{key}: expected an integer {bound}, got {v!r}")
        return v


def fields(spec: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...]) -> Spec:
    """Check a mapping has exactly the allowed keys; name the offending field."""
    if not isinstance(spec, Mapping):
        raise RuleError(f"{where}: expected a mapping, got {type(spec).__name__}")
    unknown = set(spec) - set(required) - set(optional)
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(required + optional)}")
    missing = [k for k in required if k not in spec]
    if missing:
        raise RuleError(f"{where}: missing required field(s) {missing}")
    return Spec(dict(spec), where)


__all__ = ["SPEAKERS", "RuleError", "Spec", "fields"]
