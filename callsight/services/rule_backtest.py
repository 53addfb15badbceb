"""Trying a draft rule before it goes live: on a pasted dialogue, and over stored calls.

Both evaluate only the draft, the live version of the same rule and the rules they
refer to, in one evaluation per call so the text features are computed once. A
backtest walks the calls in the caller's scope in batches by call id (keyset
pagination: no long server-side cursor, the same on SQLite and PostgreSQL), reads
each batch's segments in one query and rebuilds the transcripts; large backtests
evaluate the batches in a process pool while the next batch is read. Call ids are
random hex, so ``limit`` takes an unbiased sample.

No SQL keyword prefilter: text operators match on a phonetic form (李财 matches 理财)
and ``similar`` matches paraphrases, so a LIKE on the stored characters would drop
calls the rule actually hits.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from callsight import privacy
from callsight.auth import Principal, scope_calls
from callsight.db.models import Call, CallStatus, SegmentRow
from callsight.errors import InvalidInput
from callsight.schemas import parse_transcript_doc, transcript_from_doc
from callsight.services import rules as svc
from callsight.services.calls import find_branch
from core.enums import Severity
from core.jsonio import JsonObject, parse
from core.result import CallAnalysis, EvidenceSpan
from core.types import Segment, Transcript
from qa import Finding, RulePack, evaluate
from qa.engine import result_keys

BATCH = 500
MAX_LIMIT = 200_000
MAX_SAMPLES = 50
# Below this many calls a process pool costs more (spawn + imports) than it saves.
PARALLEL_MIN_CALLS = 20_000
MAX_WORKERS = 8


# --- the draft next to the live version ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparison:
    """A small pack: the draft, the live rule of the same id (renamed), and what they refer to."""

    pack: RulePack
    rule_id: str
    live_id: str | None  # None: a new rule, nothing live to compare with
    live_label: str | None  # "greeting@v3", or the YAML pack's version


def comparison(draft: svc.CompiledDraft, active: RulePack) -> Comparison:
    live = next((r for r in active.rules if r.id == draft.rule_id), None)
    wanted: set[str] = set()
    by_id = {r.id: r for r in draft.pack.rules}
    todo = list(draft.rule.deps() | (live.deps() if live is not None else set()))
    while todo:
        rid = todo.pop()
        if rid not in wanted and rid in by_id and rid != draft.rule_id:
            wanted.add(rid)
            todo.extend(by_id[rid].deps())
    deps = [r for r in draft.pack.rules if r.id in wanted]  # already in dependency order
    rules = [*deps, replace(draft.rule, report=True)]
    live_id = live_label = None
    if live is not None:
        live_id = svc.LIVE_PREFIX + draft.rule_id
        rules.append(replace(live, id=live_id, report=True))
        live_label = live.source[3:] if live.source.startswith("db:") else active.version.split("+")[0]
    order = (draft.rule_id, live_id) if live_id else (draft.rule_id,)
    return Comparison(RulePack(active.version, tuple(rules), active.scorecards, (), order), draft.rule_id,
                      live_id, live_label)


def flagged(f: Finding | None) -> bool:
    """A "hit" of a rule: it applies and the call fails it (a must_not rule's condition was
    found, a must rule's was missing): what a reviewer would see flagged."""
    return f is not None and f.applicable and not f.passed


def run_comparison(cmp: Comparison, transcript: Transcript, meta: Mapping[str, object] | None,
                   analysis: CallAnalysis | None) -> tuple[Finding, Finding | None]:
    res = evaluate(transcript, cmp.pack, meta=meta, analysis=analysis)
    live = res.finding(cmp.live_id) if cmp.live_id else None
    return res.finding(cmp.rule_id), (replace(live, rule=cmp.rule_id) if live is not None else None)


@dataclass(frozen=True, slots=True)
class FindingView:
    """A finding as the rule editor shows it: the result's finding and whether it is a hit."""

    rule: str
    title: str
    severity: Severity
    passed: bool
    applicable: bool
    evidence: tuple[EvidenceSpan, ...]
    confidence: float
    hit: bool


def _view(f: Finding | None, reveal: bool) -> FindingView | None:
    if f is None:
        return None
    ev = tuple(EvidenceSpan(e.segment, e.start, e.end, e.text if reveal else privacy.mask_text(e.text))
               for e in f.evidence)
    return FindingView(f.rule, f.title, f.severity, f.passed, f.applicable, ev, f.confidence, flagged(f))


# --- a pasted dialogue -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DialogueTest:
    rule: str
    rule_pack: str
    draft: FindingView | None
    live_version: str | None
    live: FindingView | None
    changed: bool | None  # None: a new rule, nothing live to compare with


def test_on_dialogue(session: Session, principal: Principal, *, yaml_text: str | None, version_id: int | None,
                     document: object, analysis: JsonObject | None = None) -> DialogueTest:
    """Findings of the draft (YAML given, or a stored version) and of the live rule on one dialogue.

    ``document`` is the transcript format of ``callsight analyze`` / POST /v1/calls/transcript;
    ``analysis`` optionally stands in for the nlp result (intents, ...) that metadata operators read.
    """
    svc.require_qa(principal)
    if (yaml_text is None) == (version_id is None):
        raise InvalidInput("give either 'yaml' (a draft's text) or 'draft_id' (a saved version)", code="invalid_rule")
    if version_id is not None:
        yaml_text = svc.get_version(session, principal, version_id).yaml_text
    doc = parse_transcript_doc(document)
    active = svc.active_pack(session)
    cmp = comparison(svc.compile_draft(yaml_text or "", active), active)
    typed = parse(CallAnalysis, analysis) if analysis else None
    draft, live = run_comparison(cmp, transcript_from_doc(doc), doc.meta, typed)
    # The caller pasted the text: nothing to mask.
    return DialogueTest(cmp.rule_id, active.version, _view(draft, True), cmp.live_label, _view(live, True),
                        flagged(draft) != flagged(live) if cmp.live_id else None)


# --- stored calls ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BacktestFilter:
    date_from: datetime | None = None
    date_to: datetime | None = None
    branch: str | None = None
    limit: int = 5000
    samples: int = 10


@dataclass(frozen=True, slots=True)
class StoredCall:
    call_id: str
    started_at: datetime | None
    meta: Mapping[str, object]
    analysis: CallAnalysis | None  # only the result keys the rules read (qa.engine.result_keys)
    transcript: Transcript


@dataclass(frozen=True, slots=True)
class Outcome:
    call_id: str
    started_at: datetime | None
    applicable: bool
    hit: bool
    was: bool  # the live version flagged it
    draft: Finding | None  # kept only when it hit (a sample candidate)
    live: Finding | None  # kept only when the live version hit and the draft no longer does


def judge(cmp: Comparison, call: StoredCall) -> Outcome:
    draft, live = run_comparison(cmp, call.transcript, call.meta, call.analysis)
    hit, was = flagged(draft), flagged(live)
    return Outcome(call.call_id, call.started_at, draft.applicable, hit, was, draft if hit else None,
                   live if was and not hit else None)


def _call_filter(session: Session, flt: BacktestFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Call.status == CallStatus.done.value]
    if flt.branch:
        where.append(Call.branch_id == find_branch(session, flt.branch).id)
    when = func.coalesce(Call.started_at, Call.created_at)
    if flt.date_from:
        where.append(when >= flt.date_from)
    if flt.date_to:
        where.append(when < flt.date_to)
    return where


def _batches(session: Session, principal: Principal, flt: BacktestFilter,
             keys: tuple[str, ...]) -> Iterator[list[StoredCall]]:
    base = scope_calls(select(Call), principal).where(*_call_filter(session, flt))
    cols = [Call.id, Call.meta, Call.duration_s, Call.channels, Call.role_confidence, Call.started_at,
            *(Call.result[k] for k in keys)]
    last, left = "", flt.limit
    while left > 0:
        calls = session.execute(
            base.with_only_columns(*cols).where(Call.id > last).order_by(Call.id).limit(min(BATCH, left))
        ).all()
        if not calls:
            return
        last, left = calls[-1][0], left - len(calls)
        segs: dict[str, list[Segment]] = {}
        rows = session.execute(
            select(SegmentRow.call_id, SegmentRow.speaker, SegmentRow.start, SegmentRow.end, SegmentRow.text)
            .where(SegmentRow.call_id.in_([c[0] for c in calls]))
            .order_by(SegmentRow.call_id, SegmentRow.idx)
        )
        for cid, speaker, start, end, text in rows:
            segs.setdefault(cid, []).append(Segment(speaker, start, end, text))  # type: ignore[arg-type]
        out = []
        for c in calls:
            s = tuple(segs.get(c[0], ()))
            duration = c[2] or max((x.end for x in s), default=0.0)
            transcript = Transcript(s, duration, c[3] or 0, c[4] if c[4] is not None else 1.0)
            stored = {k: val for k, val in zip(keys, c[6:], strict=True) if val is not None}
            out.append(StoredCall(c[0], c[5], c[1] or {}, parse(CallAnalysis, stored) if stored else None,
                                  transcript))
        yield out


# A pool worker compiles the same comparison once, from the same texts (rules are not sent per batch).
_worker_cmp: Comparison | None = None


def _init_worker(draft_yaml: str, published: tuple[svc.PublishedRule, ...]) -> None:
    global _worker_cmp
    active = svc.active_from(published)
    _worker_cmp = comparison(svc.compile_draft(draft_yaml, active), active)


def _judge_batch(batch: list[StoredCall]) -> list[Outcome]:
    assert _worker_cmp is not None
    return [judge(_worker_cmp, c) for c in batch]


def _outcomes(session: Session, principal: Principal, flt: BacktestFilter, cmp: Comparison, draft_yaml: str,
              published: tuple[svc.PublishedRule, ...], workers: int) -> Iterator[Outcome]:
    batches = _batches(session, principal, flt, result_keys(cmp.pack))
    if workers <= 1:
        for batch in batches:
            yield from (judge(cmp, c) for c in batch)
        return
    # spawn, not fork: the caller may be a threaded API process holding database connections.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(draft_yaml, published)) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_judge_batch, batch))
            while len(pending) > 2 * workers:  # bounded read-ahead; results stay in call-id order
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


@dataclass(frozen=True, slots=True)
class Sample:
    call_id: str
    started_at: str | None
    finding: FindingView | None


def _sample(o: Outcome, f: Finding | None, reveal: bool) -> Sample:
    return Sample(o.call_id, o.started_at.isoformat() if o.started_at else None, _view(f, reveal))


def default_workers(session: Session, principal: Principal, flt: BacktestFilter) -> int:
    """Evaluation processes worth starting: one unless there are many calls and cores."""
    n = session.scalar(scope_calls(select(Call), principal).where(*_call_filter(session, flt))
                       .with_only_columns(func.count()).order_by(None)) or 0
    cpus = os.cpu_count() or 1
    # The reading process needs a core of its own; on 2-3 cores spawning and pickling
    # cost about what a second evaluator saves (measured: bench/backtest_bench.py).
    if min(n, flt.limit) < PARALLEL_MIN_CALLS or cpus < 4:
        return 1
    return min(MAX_WORKERS, cpus - 1)


@dataclass(frozen=True, slots=True)
class Change:
    """The draft against the live version of the rule."""

    live_version: str | None
    live_hits: int
    newly_hit: int
    no_longer_hit: int
    newly_hit_samples: tuple[Sample, ...]
    no_longer_hit_samples: tuple[Sample, ...]


@dataclass(frozen=True, slots=True)
class BacktestReport:
    rule: str
    version: int
    version_id: int
    status: str
    calls: int
    applicable: int
    hits: int
    hit_rate: float
    limit_reached: bool
    samples: tuple[Sample, ...]
    change: Change | None  # None: a new rule, nothing live to compare with
    workers: int
    seconds: float
    pii_masked: bool


def backtest(session: Session, principal: Principal, version_id: int, flt: BacktestFilter,
             *, reveal_pii: bool = False, workers: int | None = None) -> BacktestReport:
    """Re-evaluate a rule version (and the live one) over stored calls: hits, samples, change.

    ``workers``: evaluation processes (None: decided by the number of calls).
    """
    v = svc.get_version(session, principal, version_id)
    if not 1 <= flt.limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}")
    if not 0 <= flt.samples <= MAX_SAMPLES:
        raise InvalidInput(f"samples must be between 0 and {MAX_SAMPLES}")
    t0 = time.perf_counter()
    published = svc.published_rules(session).rules
    active = svc.active_from(published)
    cmp = comparison(svc.compile_draft(v.yaml_text, active), active)
    procs = default_workers(session, principal, flt) if workers is None else workers
    calls = applicable = hits = live_hits = newly = gone = 0
    hit_samples: list[Sample] = []
    newly_samples: list[Sample] = []
    gone_samples: list[Sample] = []
    for o in _outcomes(session, principal, flt, cmp, v.yaml_text, published, procs):
        calls += 1
        applicable += o.applicable
        hits += o.hit
        live_hits += o.was
        if o.hit and len(hit_samples) < flt.samples:
            hit_samples.append(_sample(o, o.draft, reveal_pii))
        if cmp.live_id and o.hit and not o.was:
            newly += 1
            if len(newly_samples) < flt.samples:
                newly_samples.append(_sample(o, o.draft, reveal_pii))
        elif cmp.live_id and o.was and not o.hit:
            gone += 1
            if len(gone_samples) < flt.samples:
                gone_samples.append(_sample(o, o.live, reveal_pii))
    change = None
    if cmp.live_id:
        change = Change(cmp.live_label, live_hits, newly, gone, tuple(newly_samples), tuple(gone_samples))
    svc.record_backtest(session, principal, v, svc.BacktestRecord(
        calls, hits, applicable, newly, gone, flt.date_from.isoformat() if flt.date_from else None,
        flt.date_to.isoformat() if flt.date_to else None, flt.branch, flt.limit))
    return BacktestReport(
        cmp.rule_id, v.version, v.id, v.status, calls, applicable, hits, round(hits / calls, 4) if calls else 0.0,
        calls >= flt.limit, tuple(hit_samples), change, procs, round(time.perf_counter() - t0, 3), not reveal_pii,
    )
