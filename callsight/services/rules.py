"""Rule development: drafts of compliance rules, tested on a pasted dialogue, backtested
over stored calls (callsight/services/rule_backtest.py), published to go live.

A draft is the YAML of exactly one rule in the pack-file format (``rules:`` with one
entry); it is compiled by qa's own loader on top of the active pack, so a draft is
valid here exactly when it would be valid in a pack directory. The active pack is
the YAML packs (default + CALLSIGHT_RULES_DIRS) with every published version
replacing the rule of the same id; its version string names them
(``default-1.0+greeting@v3``). qa/ stays pure: this module reads the rows and hands
YAML texts to ``qa.load_rules_text``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role, require_role
from callsight.db.models import User, utcnow
from callsight.db.rules import RuleEvent, RuleStatus, RuleVersion
from callsight.errors import Conflict, Forbidden, InvalidInput, NotFound
from qa import Rule, RuleError, RulePack, load_rules_text
from qa.classifier import ClassifierSource
from qa.pack import read_rule_file
from qa.spec import Spec

log = logging.getLogger(__name__)

MAX_YAML_CHARS = 64_000
RULE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
# Reserved for the live copy of a rule under test (see services.rule_backtest.comparison).
LIVE_PREFIX = "__live__"
_DRAFT_SOURCE = "draft"


# --- the active pack -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublishedRule:
    rule_id: str
    version: int
    yaml_text: str


@dataclass(frozen=True, slots=True)
class PublishedRules:
    """The published versions and a stamp that changes whenever the set changes."""

    stamp: str
    rules: tuple[PublishedRule, ...]


def published_stamp(session: Session) -> str:
    """Cheap (index-only on a handful of rows): ids and publish times of the live versions."""
    rows = session.execute(
        select(RuleVersion.id, RuleVersion.published_at)
        .where(RuleVersion.status == RuleStatus.published.value)
        .order_by(RuleVersion.id)
    ).all()
    return ";".join(f"{i}@{at.isoformat() if at else ''}" for i, at in rows)


def published_rules(session: Session) -> PublishedRules:
    rows = session.scalars(
        select(RuleVersion).where(RuleVersion.status == RuleStatus.published.value).order_by(RuleVersion.id)
    ).all()
    stamp = ";".join(f"{r.id}@{r.published_at.isoformat() if r.published_at else ''}" for r in rows)
    return PublishedRules(stamp, tuple(PublishedRule(r.rule_id, r.version, r.yaml_text) for r in rows))


def published_if_changed(session: Session, known_stamp: str | None) -> PublishedRules | None:
    """The published rules when their stamp differs from ``known_stamp``, else None (keep yours)."""
    if known_stamp is not None and published_stamp(session) == known_stamp:
        return None
    return published_rules(session)


def apply_published(base: RulePack, rules: Iterable[PublishedRule],
                    classifiers: ClassifierSource | None = None) -> RulePack:
    """``base`` with each published version replacing its rule (pure; ``classifiers`` as in
    ``qa.load_pack``: where rule classifiers find corpora and models).

    A version that no longer compiles (a deployment pack changed under it) is
    skipped with an error in the log rather than stopping every analysis.
    """
    pack = base
    applied: list[str] = []
    for r in sorted(rules, key=lambda r: r.rule_id):
        label = f"{r.rule_id}@v{r.version}"
        try:
            pack = load_rules_text(r.yaml_text, base=pack, source=f"db:{label}", classifiers=classifiers)
        except RuleError as exc:
            log.error("published rule %s no longer compiles, using the pack's version: %s", label, exc)
            continue
        applied.append(label)
    return replace(pack, version="+".join([base.version, *applied]))


def base_pack() -> RulePack:
    from callsight import runtime

    return runtime.rule_pack_base()


def active_from(published: Iterable[PublishedRule]) -> RulePack:
    """The YAML packs with ``published`` applied, classifiers from the configured corpora."""
    from callsight import runtime

    return apply_published(base_pack(), published, runtime.classifier_source())


def active_pack(session: Session) -> RulePack:
    return active_from(published_rules(session).rules)


def pack_rule_yaml(base: RulePack) -> dict[str, str]:
    """Each YAML-pack rule's merged spec as draft-ready YAML (a starting point for a new version)."""
    merged: dict[str, dict[str, object]] = {}
    for d in base.sources:
        path = Path(d)
        if not path.is_dir():
            continue
        for f in sorted(path.glob("*.yaml")):
            for spec in read_rule_file(f) if f.name != "pack.yaml" else ():
                merged[spec.id] = {**merged.get(spec.id, {}), **spec.fields}
    return {rid: dump_rule(spec) for rid, spec in merged.items()}


def dump_rule(spec: Mapping[str, object]) -> str:
    return yaml.safe_dump({"rules": [dict(spec)]}, allow_unicode=True, sort_keys=False, width=110)


# --- drafts: validation ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompiledDraft:
    rule_id: str
    rule: Rule
    pack: RulePack  # the active pack with the draft in place of the live rule


def _problem(problem: str, *, line: int | None = None, field: str = "(document)") -> InvalidInput:
    where = f"line {line}: " if line is not None else ""
    return InvalidInput(f"invalid rule draft: {where}{field}: {problem}", code="invalid_rule",
                        details=[{"field": field, "line": line, "problem": problem}])


def _duplicate_keys(node: yaml.Node) -> None:
    """PyYAML keeps the last of two equal keys silently; a lost condition is worse than an error."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                line = k.start_mark.line + 1
                if k.value in seen:
                    raise _problem(f"duplicate key '{k.value}' (first at line {seen[k.value]})", line=line,
                                   field=k.value)
                seen[k.value] = line
            _duplicate_keys(v)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _duplicate_keys(v)


_PATH = re.compile(r"^((?:condition|applies_when)(?:\.[A-Za-z_]\w*|\[\d+\])*)")
_TOP_FIELD = re.compile(r"^(\w+) must be|^unknown (scorecard)|missing required field '(\w+)'")
_QUOTED = re.compile(r"'([^']+)'")


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def _locate(rule_node: yaml.Node, message: str) -> tuple[str, int | None]:
    """The field path and line a qa RuleError message is about (it names the path, not the line)."""
    m = _PATH.match(message)
    if m is None:
        top = _TOP_FIELD.search(message)
        name = next((g for g in top.groups() if g), "") if top else ""
        found = _child(rule_node, name) if name else None
        return name or "rule", (found or rule_node).start_mark.line + 1
    path = m.group(1)
    node: yaml.Node | None = rule_node
    for part in re.findall(r"[A-Za-z_]\w*|\[\d+\]", path):
        nxt = _child(node, int(part[1:-1]) if part.startswith("[") else part)
        if nxt is None:
            break  # an operator's shorthand form: the deepest node found is close enough
        node = nxt
    assert node is not None
    # "unknown operator 'foo'" / "unknown field(s) ['x']": point at that key when it is there.
    if isinstance(node, yaml.MappingNode):
        for name in _QUOTED.findall(message[m.end():]):
            for k, _ in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == name:
                    return path, k.start_mark.line + 1
    return path, node.start_mark.line + 1


def compile_draft(text: str, active: RulePack) -> CompiledDraft:
    """Validate a draft's YAML and compile it on top of ``active``; InvalidInput names line and field."""
    if not isinstance(text, str) or not text.strip():
        raise _problem("the draft is empty: give the YAML of one rule under 'rules:'")
    if len(text) > MAX_YAML_CHARS:
        raise _problem(f"the draft is {len(text)} characters; at most {MAX_YAML_CHARS}")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        ctx = getattr(exc, "context", None)
        raise _problem(f"invalid YAML: {problem}" + (f" ({ctx})" if ctx else ""),
                       line=mark.line + 1 if mark is not None else None) from None
    if root is None:
        raise _problem("the draft is empty: give the YAML of one rule under 'rules:'")
    _duplicate_keys(root)
    if not isinstance(doc, Mapping) or set(doc) != {"rules"} or not isinstance(doc["rules"], list):
        raise _problem("expected exactly one top-level key 'rules:' holding a list with one rule",
                       line=root.start_mark.line + 1)
    specs = doc["rules"]
    rules_node = _child(root, "rules")
    if len(specs) != 1:
        ids = [Spec(s, "rules").node("id") for s in specs if isinstance(s, Mapping)]
        dup = next((i for i in ids if ids.count(i) > 1), None)
        why = f"duplicate id '{dup}'" if dup else f"got {len(specs)} rules ({ids})"
        raise _problem(f"a draft holds exactly one rule: {why}", field="rules",
                       line=rules_node.start_mark.line + 1 if rules_node is not None else None)
    spec = specs[0]
    rule_node = _child(rules_node, 0)
    assert rule_node is not None
    line = rule_node.start_mark.line + 1
    fields = Spec(spec, "rule") if isinstance(spec, Mapping) else None
    rid = fields.node("id") if fields is not None else None
    if fields is None or not isinstance(rid, str):
        raise _problem("the rule needs a string 'id'", line=line, field="id")
    if not RULE_ID.match(rid) or rid.startswith(LIVE_PREFIX):
        raise _problem(f"rule id {rid!r} must be letters, digits and _ (at most 100, not starting with a digit)",
                       line=line, field="id")
    if fields.node("enabled", True) is not True:
        raise _problem("a draft cannot switch a rule off (enabled: false belongs in a deployment pack directory)",
                       line=line, field="enabled")
    try:
        # Classifier corpora by name from the configured folders only (a draft comes from
        # the API: a path or an unknown name is a RuleError, shown as 422 with its field).
        from callsight import runtime

        pack = load_rules_text(text, base=active, source=_DRAFT_SOURCE, classifiers=runtime.classifier_source())
    except RuleError as exc:
        msg = str(exc)
        prefix = f"{_DRAFT_SOURCE}: rule '{rid}': "
        body = msg[len(prefix):] if msg.startswith(prefix) else msg.removeprefix(f"{_DRAFT_SOURCE}: ")
        field, at = _locate(rule_node, body)
        raise _problem(body, line=at, field=field) from None
    return CompiledDraft(rid, pack.get(rid), pack)


# --- drafts: storage -------------------------------------------------------------------


def require_qa(principal: Principal) -> None:
    require_role(principal, Role.admin, Role.qa)


def _event(session: Session, v: RuleVersion, principal: Principal | None, action: str, **detail: object) -> None:
    session.add(RuleEvent(rule_version_id=v.id, rule_id=v.rule_id, user_id=principal.user_id if principal else None,
                          action=action, detail=detail))


def get_version(session: Session, principal: Principal, version_id: int, *, lock: bool = False) -> RuleVersion:
    require_qa(principal)
    v = session.get(RuleVersion, version_id, with_for_update=lock)
    if v is None:
        raise NotFound(f"rule version {version_id} not found")
    return v


def create_draft(session: Session, principal: Principal, yaml_text: str, comment: str = "") -> RuleVersion:
    require_qa(principal)
    draft = compile_draft(yaml_text, active_pack(session))
    last = session.scalar(select(func.max(RuleVersion.version)).where(RuleVersion.rule_id == draft.rule_id))
    v = RuleVersion(rule_id=draft.rule_id, version=(last or 0) + 1, yaml_text=yaml_text,
                    status=RuleStatus.draft.value, comment=comment, author_id=principal.user_id)
    session.add(v)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"another draft of '{draft.rule_id}' was saved at the same moment; save again",
                       code="version_taken") from exc
    _event(session, v, principal, "created", version=v.version, comment=comment)
    return v


def update_draft(session: Session, principal: Principal, version_id: int, yaml_text: str,
                 comment: str | None = None) -> RuleVersion:
    v = get_version(session, principal, version_id, lock=True)
    if v.status != RuleStatus.draft.value:
        raise Conflict(f"{v.label} is {v.status}; only a draft can change (save a new draft instead)",
                       code="not_a_draft")
    draft = compile_draft(yaml_text, active_pack(session))
    if draft.rule_id != v.rule_id:
        raise _problem(f"this draft is of rule '{v.rule_id}'; got id '{draft.rule_id}' (create a new draft)",
                       field="id")
    before = v.yaml_text
    v.yaml_text = yaml_text
    if comment is not None:
        v.comment = comment
    _event(session, v, principal, "updated", before=before, after=yaml_text)
    return v


@dataclass(frozen=True, slots=True)
class BacktestRecord:
    """What a backtest found and what it ran over, kept in the version's audit events."""

    calls: int
    hits: int
    applicable: int
    newly_hit: int
    no_longer_hit: int
    date_from: str | None
    date_to: str | None
    branch: str | None
    limit: int


def record_backtest(session: Session, principal: Principal, v: RuleVersion, summary: BacktestRecord) -> None:
    """Kept with the version: a publisher can see what the draft was tried on."""
    _event(session, v, principal, "backtested", calls=summary.calls, hits=summary.hits,
           applicable=summary.applicable, newly_hit=summary.newly_hit, no_longer_hit=summary.no_longer_hit,
           filter={"from": summary.date_from, "to": summary.date_to, "branch": summary.branch,
                   "limit": summary.limit})


def list_versions(session: Session, principal: Principal, rule_id: str) -> list[RuleVersion]:
    require_qa(principal)
    rows = list(session.scalars(
        select(RuleVersion).where(RuleVersion.rule_id == rule_id).order_by(RuleVersion.version.desc())
    ).all())
    if not rows and rule_id not in {r.id for r in base_pack().rules}:
        raise NotFound(f"no rule '{rule_id}' in the pack and no versions of it")
    return rows


# --- publishing ------------------------------------------------------------------------


def check_can_publish(session: Session, principal: Principal) -> None:
    """Admins and senior QA (the review workflow's leads) publish; any QA drafts and tests."""
    if principal.role is Role.admin:
        return
    user = session.get(User, principal.user_id)
    if principal.role is Role.qa and user is not None and user.is_senior:
        return
    raise Forbidden("publishing a rule needs an admin or a senior QA reviewer")


def publish(session: Session, principal: Principal, version_id: int, comment: str = "") -> RuleVersion | None:
    """Make a draft the live version of its rule; returns the version it retired (if any)."""
    require_qa(principal)
    check_can_publish(session, principal)
    v = get_version(session, principal, version_id, lock=True)
    if v.status != RuleStatus.draft.value:
        raise Conflict(f"{v.label} is {v.status}; only a draft can be published", code="not_a_draft")
    # The pack may have changed since the draft was saved: it must still compile now.
    compile_draft(v.yaml_text, active_pack(session))
    prev = session.scalar(
        select(RuleVersion)
        .where(RuleVersion.rule_id == v.rule_id, RuleVersion.status == RuleStatus.published.value)
        .with_for_update()
    )
    now = utcnow()
    try:
        with session.begin_nested():
            if prev is not None:
                prev.status = RuleStatus.retired.value
                prev.retired_at = now
                # Flushed first: the one-published-per-rule index must never see two.
                session.flush()
            v.status = RuleStatus.published.value
            v.published_at = now
            v.published_by = principal.user_id
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"another version of '{v.rule_id}' was published at the same moment",
                       code="publish_race") from exc
    if prev is not None:
        _event(session, prev, principal, "retired", replaced_by=v.label)
    _event(session, v, principal, "published", replaces=prev.label if prev is not None else "pack",
           comment=comment)
    return prev
