"""Loading rule packs from YAML directories.

A pack directory holds ``pack.yaml`` (``version``, ``scorecards``) and any number
of ``*.yaml`` files with a top-level ``rules:`` list. ``load_pack(default, site)``
reads the directories in order: a rule whose id already exists is merged field by
field over the earlier one (so a deployment can change just ``severity`` or
``weight``, or set ``enabled: false``, or replace the ``condition``), a new id is
added. The pack version joins the directories' versions (``default-1.0+acme-3``),
so a stored result says exactly which rules produced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

import qa.classifier
import qa.dialogue
import qa.operators
import qa.signals
from qa.classifier import ClassifierSource, using_source
from qa.conditions import RuleError, compile_condition
from qa.model import MODES, SCOPES, SEVERITIES, Rule, RulePack, ScorecardDef

DEFAULT_PACK_DIR = Path(__file__).resolve().parent / "rules" / "default"

_RULE_KEYS = (
    "id", "title", "severity", "scorecard", "weight", "scope", "mode", "condition", "applies_when",
    "description", "report", "enabled",
)
# Imported for their side effect: they register the text / acoustic / metadata / classifier operators.
_REGISTERED = (qa.classifier, qa.operators, qa.signals)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: invalid YAML: {exc}") from None
    except OSError as exc:
        raise RuleError(f"{path}: cannot read: {exc}") from None


def _read_dir(d: Path) -> tuple[str, dict[str, ScorecardDef], list[tuple[dict[str, Any], str]]]:
    if not d.is_dir():
        raise RuleError(f"{d}: rule pack directory not found")
    version = d.name
    cards: dict[str, ScorecardDef] = {}
    meta_path = d / "pack.yaml"
    if meta_path.exists():
        meta = _read_yaml(meta_path) or {}
        if not isinstance(meta, Mapping):
            raise RuleError(f"{meta_path}: expected a mapping with version/scorecards")
        version = str(meta.get("version", version))
        for cid, spec in (meta.get("scorecards") or {}).items():
            if not isinstance(spec, Mapping):
                raise RuleError(f"{meta_path}: scorecards.{cid}: expected a mapping with title")
            cards[str(cid)] = ScorecardDef(str(cid), str(spec.get("title", cid)), float(spec.get("fatal_score", 0)),
                                           bool(spec.get("any_fatal", False)))
    raw: list[tuple[dict[str, Any], str]] = []
    for path in sorted(d.glob("*.y*ml")):
        if path.name == "pack.yaml" or path.suffix not in (".yaml", ".yml"):
            continue
        doc = _read_yaml(path)
        if doc is None:
            continue
        if not isinstance(doc, Mapping) or not isinstance(doc.get("rules"), list):
            raise RuleError(f"{path}: expected a top-level 'rules:' list")
        for k, spec in enumerate(doc["rules"]):
            if not isinstance(spec, Mapping) or not isinstance(spec.get("id"), str) or not spec["id"]:
                raise RuleError(f"{path}: rules[{k}]: every rule needs a string 'id'")
            raw.append((dict(spec), str(path)))
    return version, cards, raw


def _compile_rule(spec: Mapping[str, Any], src: str, cards: Mapping[str, ScorecardDef]) -> Rule:
    rid = spec["id"]
    where = f"{src}: rule '{rid}'"
    unknown = set(spec) - set(_RULE_KEYS)
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_RULE_KEYS)}")
    for key in ("title", "condition"):
        if key not in spec:
            raise RuleError(f"{where}: missing required field '{key}'")
    checks = (("severity", SEVERITIES, "major"), ("scope", SCOPES, "agent"), ("mode", MODES, "must"))
    vals: dict[str, Any] = {}
    for key, allowed, default in checks:
        vals[key] = spec.get(key, default)
        if vals[key] not in allowed:
            raise RuleError(f"{where}: {key} must be one of {list(allowed)}, got {vals[key]!r}")
    card = spec.get("scorecard")
    if card is not None and card not in cards:
        raise RuleError(f"{where}: unknown scorecard {card!r}; pack.yaml declares {sorted(cards)}")
    weight = spec.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
        raise RuleError(f"{where}: weight must be a non-negative number")
    cond = compile_condition(spec["condition"], f"{where}: condition")
    applies = spec.get("applies_when")
    return Rule(
        id=rid, title=str(spec["title"]), severity=vals["severity"], scorecard=card, weight=float(weight),
        scope=vals["scope"], mode=vals["mode"], condition=cond,
        applies_when=compile_condition(applies, f"{where}: applies_when") if applies is not None else None,
        description=str(spec.get("description", "")), source=src, report=bool(spec.get("report", True)),
    )


def _order(rules: dict[str, Rule]) -> tuple[Rule, ...]:
    """Dependency order (a referenced rule first); unknown references and cycles are errors."""
    out: list[Rule] = []
    state: dict[str, int] = {}

    def visit(rid: str, chain: list[str]) -> None:
        if state.get(rid) == 2:
            return
        if state.get(rid) == 1:
            raise RuleError(f"{rules[rid].source}: rule '{rid}': circular reference {' -> '.join([*chain, rid])}")
        state[rid] = 1
        for dep in sorted(rules[rid].deps()):
            if dep not in rules:
                raise RuleError(f"{rules[rid].source}: rule '{rid}': refers to unknown or disabled rule '{dep}'")
            visit(dep, [*chain, rid])
        state[rid] = 2
        out.append(rules[rid])

    for rid in rules:
        visit(rid, [])
    return tuple(out)


def load_pack(*dirs: Path | str, classifiers: ClassifierSource | None = None) -> RulePack:
    """Load and merge pack directories in order (default pack when none given).
    ``classifiers``: where the ``classifier`` operator finds corpora by name and saves
    its models (None: the packaged corpora, models trained in memory)."""
    paths = [Path(d) for d in dirs] or [DEFAULT_PACK_DIR]
    versions: list[str] = []
    cards: dict[str, ScorecardDef] = {}
    merged: dict[str, tuple[dict[str, Any], str]] = {}
    for d in paths:
        version, dir_cards, raw = _read_dir(d)
        versions.append(version)
        cards.update(dir_cards)
        seen: set[str] = set()
        for spec, src in raw:
            rid = spec["id"]
            if rid in seen:
                raise RuleError(f"{src}: rule '{rid}': duplicate id in {d}")
            seen.add(rid)
            base = merged.get(rid)
            merged[rid] = ({**base[0], **spec}, src) if base is not None else (spec, src)
    rules: dict[str, Rule] = {}
    with using_source(classifiers):
        for rid, (spec, src) in merged.items():
            if spec.get("enabled", True) is False:
                continue
            rules[rid] = _compile_rule(spec, src, cards)
    return RulePack(
        version="+".join(versions), rules=_order(rules), scorecards=tuple(cards.values()),
        sources=tuple(str(p) for p in paths), order=tuple(r.id for r in rules.values() if r.report),
    )


def load_rules_text(text: str, *, base: RulePack | None = None, source: str = "<draft>",
                    classifiers: ClassifierSource | None = None) -> RulePack:
    """Compile rules from a YAML string (a draft under test) on top of ``base``'s rules.

    The review workflow's "test a draft rule on a pasted dialogue" calls this; a
    draft replaces a published rule of the same id. ``classifiers`` as in ``load_pack``:
    a draft names a classifier corpus by name only, resolved there.
    """
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"{source}: invalid YAML: {exc}") from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("rules"), list):
        raise RuleError(f"{source}: expected a top-level 'rules:' list")
    cards = {c.id: c for c in base.scorecards} if base is not None else {}
    rules = {r.id: r for r in base.rules} if base is not None else {}
    with using_source(classifiers):
        for k, spec in enumerate(doc["rules"]):
            if not isinstance(spec, Mapping) or not isinstance(spec.get("id"), str):
                raise RuleError(f"{source}: rules[{k}]: every rule needs a string 'id'")
            rules[spec["id"]] = _compile_rule(spec, source, cards)
    version = f"{base.version}+draft" if base is not None else "draft"
    order = tuple(r.id for r in rules.values() if r.report)
    return RulePack(version, _order(rules), tuple(cards.values()), (*(base.sources if base else ()), source), order)
