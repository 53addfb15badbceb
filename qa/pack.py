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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

import qa.classifier
import qa.dialogue
import qa.offer_sales
import qa.operators
import qa.risk_levels
import qa.signals
from qa.classifier import ClassifierSource, using_source
from qa.conditions import compile_condition
from qa.model import MODES, SCOPES, SEVERITIES, Rule, RulePack, ScorecardDef
from qa.spec import RuleError, Spec

DEFAULT_PACK_DIR = Path(__file__).resolve().parent / "rules" / "default"

_RULE_KEYS = (
    "id", "title", "severity", "scorecard", "weight", "scope", "mode", "condition", "applies_when",
    "description", "report", "enabled",
)
# Imported for their side effect: they register the text / acoustic / metadata / classifier operators.
_REGISTERED = (qa.classifier, qa.offer_sales, qa.operators, qa.risk_levels, qa.signals)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: invalid YAML: {exc}") from None
    except OSError as exc:
        raise RuleError(f"{path}: cannot read: {exc}") from None


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule as written: its id and its fields (merged field by field over an earlier pack's)."""

    id: str
    fields: dict[str, object]


class _CardSpec(BaseModel):
    """A scorecard as pack.yaml declares it."""

    model_config = ConfigDict(extra="ignore")
    title: object = None
    fatal_score: float = 0.0
    any_fatal: bool = False


class _PackSpec(BaseModel):
    """pack.yaml: the directory's version and its scorecards."""

    model_config = ConfigDict(extra="ignore")
    version: object = None
    scorecards: dict[object, _CardSpec] | None = None


class _RuleFile(BaseModel):
    """A rules file: its top-level ``rules:`` list (each rule checked by ``_rule_specs``)."""

    model_config = ConfigDict(extra="ignore")
    rules: list[object]


def _rule_file(doc: object, where: str) -> _RuleFile:
    try:
        return _RuleFile.model_validate(doc)
    except ValidationError:
        raise RuleError(f"{where}: expected a top-level 'rules:' list") from None


def _rule_specs(doc: _RuleFile, where: str, *, nonempty: bool) -> list[RuleSpec]:
    out = []
    for k, raw in enumerate(doc.rules):
        rid = Spec(raw, where).node("id") if isinstance(raw, Mapping) else None
        if not isinstance(raw, Mapping) or not isinstance(rid, str) or (nonempty and not rid):
            raise RuleError(f"{where}: rules[{k}]: every rule needs a string 'id'")
        out.append(RuleSpec(rid, dict(raw)))
    return out


def read_rule_file(path: Path) -> list[RuleSpec]:
    """The rules of one rules file (empty for an empty file)."""
    doc = _read_yaml(path)
    return [] if doc is None else _rule_specs(_rule_file(doc, str(path)), str(path), nonempty=True)


def _read_dir(d: Path) -> tuple[str, dict[str, ScorecardDef], list[tuple[RuleSpec, str]]]:
    if not d.is_dir():
        raise RuleError(f"{d}: rule pack directory not found")
    version = d.name
    cards: dict[str, ScorecardDef] = {}
    meta_path = d / "pack.yaml"
    if meta_path.exists():
        try:
            meta = _PackSpec.model_validate(_read_yaml(meta_path) or {})
        except ValidationError as exc:
            err = exc.errors()[0]
            at = ".".join(str(x) for x in err["loc"])
            raise RuleError(f"{meta_path}: {at}: {err['msg']} (expected version and scorecards, each a mapping "
                            "with title, fatal_score, any_fatal)") from None
        version = str(meta.version) if meta.version is not None else version
        for key, card in (meta.scorecards or {}).items():
            cid = str(key)
            cards[cid] = ScorecardDef(cid, str(card.title) if card.title is not None else cid, card.fatal_score,
                                      card.any_fatal)
    raw: list[tuple[RuleSpec, str]] = []
    for path in sorted(d.glob("*.y*ml")):
        if path.name == "pack.yaml" or path.suffix not in (".yaml", ".yml"):
            continue
        raw.extend((spec, str(path)) for spec in read_rule_file(path))
    return version, cards, raw


def _compile_rule(rule: RuleSpec, src: str, cards: Mapping[str, ScorecardDef]) -> Rule:
    where = f"{src}: rule '{rule.id}'"
    unknown = set(rule.fields) - set(_RULE_KEYS)
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_RULE_KEYS)}")
    for key in ("title", "condition"):
        if key not in rule.fields:
            raise RuleError(f"{where}: missing required field '{key}'")
    spec = Spec(rule.fields, where)

    def one_of(key: str, allowed: tuple[str, ...], default: str) -> Any:
        # The top-level message form ("<field> must be one of") is what the rule editor maps to a field.
        v = spec.node(key, default)
        if v not in allowed:
            raise RuleError(f"{where}: {key} must be one of {list(allowed)}, got {v!r}")
        return v

    card = spec.node("scorecard")
    if card is not None and card not in cards:
        raise RuleError(f"{where}: unknown scorecard {card!r}; pack.yaml declares {sorted(cards)}")
    weight = spec.node("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
        raise RuleError(f"{where}: weight must be a non-negative number")
    applies = spec.node("applies_when")
    return Rule(
        id=rule.id, title=str(spec["title"]), severity=one_of("severity", SEVERITIES, "major"),
        scorecard=str(card) if card is not None else None, weight=float(weight),
        scope=one_of("scope", SCOPES, "agent"), mode=one_of("mode", MODES, "must"),
        condition=compile_condition(spec["condition"], f"{where}: condition"),
        applies_when=compile_condition(applies, f"{where}: applies_when") if applies is not None else None,
        description=str(spec.node("description", "")),
        source=src, report=spec.flag("report", True),
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
    merged: dict[str, tuple[RuleSpec, str]] = {}
    for d in paths:
        version, dir_cards, raw = _read_dir(d)
        versions.append(version)
        cards.update(dir_cards)
        seen: set[str] = set()
        for spec, src in raw:
            if spec.id in seen:
                raise RuleError(f"{src}: rule '{spec.id}': duplicate id in {d}")
            seen.add(spec.id)
            base = merged.get(spec.id)
            merged[spec.id] = (RuleSpec(spec.id, {**base[0].fields, **spec.fields}) if base is not None else spec, src)
    rules: dict[str, Rule] = {}
    with using_source(classifiers):
        for rid, (spec, src) in merged.items():
            if Spec(spec.fields, src).node("enabled") is False:
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
    specs = _rule_specs(_rule_file(doc, source), source, nonempty=False)
    cards = {c.id: c for c in base.scorecards} if base is not None else {}
    rules = {r.id: r for r in base.rules} if base is not None else {}
    with using_source(classifiers):
        for spec in specs:
            rules[spec.id] = _compile_rule(spec, source, cards)
    version = f"{base.version}+draft" if base is not None else "draft"
    order = tuple(r.id for r in rules.values() if r.report)
    return RulePack(version, _order(rules), tuple(cards.values()), (*(base.sources if base else ()), source), order)
