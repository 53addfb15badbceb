"""Realistic analysed calls for demos and scale tests (``callsight seed-demo``).

Everything is drawn vectorised with numpy, then written in bulk (COPY on
PostgreSQL, executemany on SQLite): calls, their ``call_facts`` rows and, where the
QA review tables exist, one finding per reportable rule plus the call's scores and
review state. Branches differ in size, intent mix, marketing skill and complaint
level; a few branches get a spike in one intent or in total volume in the last month,
and a few agents improve, so reports and trend alerts have something to find.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, inspect, select
from sqlalchemy.orm import Session

from callsight.db.models import Branch
from callsight.reports import demo_calls
from callsight.reports.complaints import CATEGORIES
from callsight.reports.periods import Period
from core.jsonio import JsonObject, to_json

REGIONS = ("华东", "华北", "华南", "华中", "西南", "西北", "东北")
CITIES = {
    "华东": ("上海", "杭州", "南京", "苏州", "宁波", "合肥"), "华北": ("北京", "天津", "石家庄", "太原"),
    "华南": ("广州", "深圳", "佛山", "厦门", "南宁"), "华中": ("武汉", "长沙", "郑州", "南昌"),
    "西南": ("成都", "重庆", "昆明", "贵阳"), "西北": ("西安", "兰州", "银川"),
    "东北": ("沈阳", "大连", "长春", "哈尔滨"),
}
PLACES = ("城东", "城西", "城南", "城北", "高新", "开发区", "中山路", "人民路", "滨江", "新区", "解放路", "建设路",
          "世纪大道", "长江路", "金融街", "科技园", "大学城", "湖滨", "火车站", "文化路")
SIZE_BANDS = ("大", "中", "小")
SIZE_P = (0.2, 0.5, 0.3)
SIZE_VOLUME = (3.0, 1.5, 0.7)
INTENTS = ("product_inquiry", "returns_inquiry", "account_service", "purchase", "redemption", "complaint",
           "risk_assessment", "promotion", "other")
INTENT_P = np.array([0.22, 0.15, 0.17, 0.08, 0.10, 0.07, 0.06, 0.06, 0.09])
OPENING_RATE = np.array([0.7, 0.9, 0.4, 0.3, 1.0, 0.3, 0.3, 0.3, 0.15])  # mean openings per call, by intent
PRODUCTS_BY_INTENT = {
    "product_inquiry": ("wmp", "large_cd", "fund", "pension_wmp", "structured_deposit"),
    "returns_inquiry": ("wmp", "fund", "bond_fund", "large_cd"), "purchase": ("wmp", "large_cd", "fund_plan", "gold"),
    "redemption": ("wmp", "fund", "time_deposit"), "complaint": ("wmp", "fund", "insurance"),
}
SAMPLES: dict[str, tuple[str, ...]] = {
    "product_inquiry": ("我想问一下{p}现在收益怎么样", "你们最近有没有什么{p}推荐", "{p}起购金额是多少啊",
                        "那个{p}风险大不大"),
    "returns_inquiry": ("我买的{p}这个月收益怎么这么低", "帮我查一下{p}的收益到账没有", "{p}年化现在是多少"),
    "account_service": ("我的银行卡被锁了怎么办", "我要改一下预留手机号新号码是138****5678", "怎么开通手机银行转账"),
    "purchase": ("我想买点{p}", "那就帮我买五万的{p}吧", "{p}怎么申购"),
    "redemption": ("我想把{p}赎回了", "{p}能不能提前取出来", "帮我把{p}转出来"),
    "risk_assessment": ("我想重新做一下风险测评", "我的风险等级过期了吗"),
    "promotion": ("你们那个积分活动怎么参加", "新客户有没有什么优惠"),
    "other": ("你们网点周六营业吗", "附近哪个网点能办外汇"),
}
COMPLAINT_SAMPLES = {
    "收益不符预期": "你们推荐的{p}亏了这么多怎么回事", "销售误导": "当初说好的保本现在怎么亏了",
    "服务态度": "上次那个理财经理态度太差了", "系统故障": "手机银行一直登不上去", "办理时效": "赎回等了五天还没到账",
    "费用": "为什么扣了我这么多手续费", "其他": "我要投诉你们",
}
CATEGORY_P = np.array([0.27, 0.13, 0.2, 0.14, 0.14, 0.08, 0.04])
# Reportable rules of the default pack: (id, title, severity, scorecard, weight, base failure rate).
RULES = (
    ("greeting", "开场问候（问候语+机构+姓名/工号）", "minor", "service", 15.0, 0.08),
    ("identity_verification", "身份核实（涉及账户前核实客户身份）", "major", "service", 20.0, 0.12),
    ("closing", "结束语（致谢/道别）", "minor", "service", 10.0, 0.10),
    ("courtesy", "服务态度（无粗鲁、不耐烦、指责客户）", "fatal", "service", 25.0, 0.01),
    ("risk_disclosure", "风险揭示（推荐投资产品时）", "major", "marketing", 35.0, 0.15),
    ("suitability", "适当性（参照风险测评，产品风险不高于客户等级）", "major", "marketing", 35.0, 0.08),
    ("forbidden_promise", "禁止承诺（保本、保收益、稳赚不赔等）", "fatal", "marketing", 30.0, 0.02),
    ("long_silence", "长时间静默（超过10秒无应答）", "minor", "service", 10.0, 0.10),
    ("overtalk", "抢话（打断客户超过2秒）", "minor", "service", 10.0, 0.08),
    ("speech_rate", "语速适中（每分钟120–320字）", "minor", "service", 10.0, 0.05),
)
ACCOUNT_INTENTS = {"account_service", "redemption", "purchase", "returns_inquiry"}
CN_TZ = timedelta(hours=8)
# Calls by local hour (09:00–17:59, Beijing): morning and afternoon peaks, a lunch dip.
HOURS = np.arange(9, 18)
HOUR_P = np.array([0.10, 0.16, 0.15, 0.06, 0.05, 0.13, 0.14, 0.12, 0.09])


@dataclass(frozen=True)
class SeedSummary:
    branches: int
    calls: int
    findings: int
    first_day: date
    last_day: date


def has_review_tables(conn: Connection) -> bool:
    insp = inspect(conn)
    return insp.has_table("findings") and "review_state" in {c["name"] for c in insp.get_columns("calls")}


def _branches(session: Session, n: int, rng: np.random.Generator) -> list[Branch]:
    existing = {b.code: b for b in session.scalars(select(Branch).where(Branch.code.like("DEMO%")))}
    names = set(session.scalars(select(Branch.name)))
    out: list[Branch] = []
    for i in range(n):
        code = f"DEMO{i + 1:04d}"
        if code in existing:
            out.append(existing[code])
            continue
        region = REGIONS[int(rng.integers(len(REGIONS)))]
        city = CITIES[region][int(rng.integers(len(CITIES[region])))]
        name = f"{city}{PLACES[int(rng.integers(len(PLACES)))]}支行"
        k = 2
        while name in names:
            name = f"{city}{PLACES[int(rng.integers(len(PLACES)))]}第{k}支行"
            k += 1
        names.add(name)
        band = SIZE_BANDS[int(rng.choice(3, p=SIZE_P))]
        out.append(Branch(name=name, code=code, region=region, size_band=band))
    session.add_all([b for b in out if b.id is None])
    session.flush()
    return out


def _categorical(probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One draw per row of a (rows x K) probability matrix."""
    cum = probs.cumsum(axis=1)
    u = rng.random(len(probs))[:, None] * cum[:, -1:]
    return np.asarray((cum < u).sum(axis=1), dtype=np.int64)


def generate(session: Session, *, branches: int, calls: int, months: Sequence[Period], seed: int = 7) -> SeedSummary:
    """Fill the database (the caller commits)."""
    rng = np.random.default_rng(seed)
    rows_b = _branches(session, branches, rng)
    nb, nm = len(rows_b), len(months)
    band = np.array([SIZE_BANDS.index(b.size_band or "中") for b in rows_b])
    weight = rng.lognormal(0.0, 0.5, nb) * np.array(SIZE_VOLUME)[band]
    month_f = np.ones((nb, nm))
    volume_spike = rng.random(nb) < 0.04
    month_f[volume_spike, -1] = 2.0
    cells = (weight[:, None] * month_f).ravel()
    per_cell = rng.multinomial(calls, cells / cells.sum())
    cell = np.repeat(np.arange(nb * nm), per_cell)
    n = len(cell)
    b_idx, m_idx = cell // nm, cell % nm
    starts = np.array([(p.start - date(1970, 1, 1)).days for p in months])
    lengths = np.array([p.days for p in months])
    day_num = starts[m_idx] + (rng.random(n) * lengths[m_idx]).astype(np.int64)

    # Intent mix: per-branch Dirichlet around the firm mix; a few branches see one intent triple last month.
    mix = rng.dirichlet(INTENT_P * 150, nb)
    spike_intent = np.where(rng.random(nb) < 0.06, rng.integers(len(INTENTS), size=nb), -1)
    probs = mix[b_idx]
    last = m_idx == nm - 1
    hit = last & (spike_intent[b_idx] >= 0)
    probs[hit, spike_intent[b_idx[hit]]] *= 3.0
    intent = _categorical(probs, rng)
    complaint = (intent == INTENTS.index("complaint")) | (
        np.isin(intent, [1, 2, 4]) & (rng.random(n) < 0.03))
    category = np.where(complaint, _categorical(np.tile(CATEGORY_P, (n, 1)), rng), -1)
    risk = np.where(complaint, np.where(rng.random(n) < 0.22, 2, 1), 0)  # 2 high, 1 low, 0 none
    negative = rng.random(n) < np.where(complaint, 0.65, 0.07)
    neg_share = np.where(negative, rng.uniform(0.3, 0.9, n), rng.uniform(0.0, 0.15, n) * (rng.random(n) < 0.3))

    # Agents: 3..14 per branch by size; skill (taken rate) and sloppiness (rule failure factor) per agent.
    n_agents = np.maximum(3, (np.array([12, 7, 4])[band] * rng.uniform(0.7, 1.2, nb)).astype(np.int64))
    offsets = np.concatenate([[0], np.cumsum(n_agents)[:-1]])
    agent_local = (rng.random(n) * n_agents[b_idx]).astype(np.int64)
    agent = offsets[b_idx] + agent_local
    skill = rng.beta(2.5, 3.0, n_agents.sum())
    sloppy = rng.lognormal(0.0, 0.5, n_agents.sum())
    improving = rng.random(n_agents.sum()) < 0.1
    sloppy_call = sloppy[agent] * np.where(last & improving[agent], 0.35, 1.0)
    market_f = rng.lognormal(0.0, 0.3, nb)
    openings = rng.poisson(OPENING_RATE[intent] * market_f[b_idx])
    taken = rng.binomial(openings, skill[agent])
    converted = (taken > 0) & (rng.random(n) < 0.3)

    pool = np.maximum(20, (np.bincount(b_idx, minlength=nb) / 2.5).astype(np.int64))
    customer = (rng.random(n) ** 1.5 * pool[b_idx]).astype(np.int64)
    # Repeat complainers: a fifth of complaint calls get a follow-up by the same customer, same issue.
    follow = np.flatnonzero(complaint & (rng.random(n) < 0.2))
    src = np.concatenate([np.arange(n), follow])
    day_num = np.concatenate([day_num, day_num[follow] + rng.integers(1, 6, len(follow))])
    day_num = np.minimum(day_num, starts[-1] + lengths[-1] - 1)
    # Keep the total at exactly `calls`: drop as many other calls as follow-ups were added.
    candidates = np.setdiff1d(np.arange(n), follow)
    keep = np.ones(len(src), bool)
    keep[rng.choice(candidates, min(len(follow), len(candidates)), replace=False)] = False
    src, day_num = src[keep], day_num[keep]
    total = len(src)
    secs = rng.choice(HOURS, total, p=HOUR_P / HOUR_P.sum()) * 3600 + rng.integers(0, 3600, total)

    ids = [uuid.uuid4().hex for _ in range(total)]  # as varied as real call ids (no shared prefix)
    codes = [b.code or str(b.id) for b in rows_b]
    bids = [b.id for b in rows_b]
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    start_at = [epoch + timedelta(days=int(d), seconds=int(s)) - CN_TZ for d, s in zip(day_num, secs, strict=True)]
    days = [date(1970, 1, 1) + timedelta(days=int(d)) for d in day_num]
    s_i, s_b = intent[src], b_idx[src]
    agent_codes = [f"{codes[b]}-A{int(a):02d}" for b, a in zip(s_b, agent_local[src], strict=True)]
    cust_codes = [f"{codes[b]}-C{int(c):05d}" for b, c in zip(s_b, customer[src], strict=True)]
    prod = [PRODUCTS_BY_INTENT.get(INTENTS[i], ("",)) for i in s_i]
    pick = rng.integers(0, 5, total)
    products = [p[k % len(p)] or None for p, k in zip(prod, pick, strict=True)]
    samples = [_sample(INTENTS[i], int(c), p, int(k)) for i, c, p, k in
               zip(s_i, category[src], products, pick, strict=True)]
    review = has_review_tables(session.connection())
    drawn = _findings(rng, s_i, taken[src], sloppy_call[src], risk[src], days, months) if review else None
    names = [b.name for b in rows_b]
    calls_out = [_call_parts(j, ids[j], names[s_b[j]], agent_codes[j], samples[j], products[j], INTENTS[s_i[j]],
                             ("none", "low", "high")[risk[k]], bool(taken[k] > 0), start_at[j], drawn)
                 for j, k in enumerate(src)]

    now = datetime.now(UTC)
    call_cols = ["id", "branch_id", "agent_code", "customer_code", "direction", "started_at", "meta", "source",
                 "status", "progress", "attempts", "created_at", "updated_at", "completed_at", "duration_s",
                 "channels", "role_confidence"]
    call_cols += ["result"]
    if drawn is not None:
        call_cols += ["service_score", "marketing_score", "flagged", "flag_reasons", "review_state"]

    def call_rows() -> Iterator[tuple[Any, ...]]:
        for j, part in enumerate(calls_out):
            row: tuple[Any, ...] = (ids[j], bids[s_b[j]], agent_codes[j], cust_codes[j], "inbound", start_at[j],
                                    part.meta, "transcript", "done", 1.0, 1, now, now, start_at[j],
                                    part.duration_s, 0, 1.0, part.result)
            if drawn is not None:
                scores, state = drawn.scores, drawn.states[j]
                row += (scores[0][j], scores[1][j], state != "none", part.reasons or None, state)
            yield row

    bulk_insert(session.connection(), "calls", call_cols, call_rows())
    seg_cols = ["call_id", "idx", "speaker", "start", "end", "text", "search_text"]
    bulk_insert(session.connection(), "segments", seg_cols, (
        (ids[j], i, seg.speaker, seg.start, seg.end, seg.text, demo_calls.search_text(seg.text))
        for j, part in enumerate(calls_out) for i, seg in enumerate(part.turns)))
    fact_cols = ["call_id", "branch_id", "agent_code", "customer_code", "day", "primary_intent", "complaint_risk",
                 "complaint_category", "sentiment", "negative_share", "duration_s", "openings_detected",
                 "openings_taken", "primary_product", "products", "converted", "sample_text"]
    risks = ("none", "low", "high")
    fact_rows = [
        (ids[j], bids[s_b[j]], agent_codes[j], cust_codes[j], days[j], INTENTS[s_i[j]], risks[risk[k]],
         CATEGORIES[category[k]] if complaint[k] else None, "negative" if negative[k] else "neutral",
         round(float(neg_share[k]), 3), calls_out[j].duration_s, int(openings[k]), int(taken[k]),
         products[j], products[j] or "", bool(converted[k]), samples[j])
        for j, k in enumerate(src)
    ]
    bulk_insert(session.connection(), "call_facts", fact_cols, fact_rows)
    if drawn is not None:
        f_cols = ["call_id", "rule", "title", "severity", "scorecard", "applicable", "passed", "confidence",
                  "evidence", "fatal", "status", "effective_passed", "created_at", "updated_at"]
        bulk_insert(session.connection(), "findings", f_cols, (
            (*f, now, now) for j, part in enumerate(calls_out) for f in _finding_rows(ids[j], part, drawn, j)))
        q_cols = ["call_id", "kind", "fatal", "severity_rank", "complaint_high", "assignee_id", "assigned_at",
                  "closed_at", "entered_at", "updated_at"]
        bulk_insert(session.connection(), "review_items", q_cols, (
            demo_calls.review_item(ids[j], state=drawn.states[j], worst=int(drawn.worst[j]),
                                   fatal=bool(drawn.fatal[j]), high_risk=bool(risk[k] == 2), entered=start_at[j])
            for j, k in enumerate(src) if drawn.states[j] != "none"))
    return SeedSummary(nb, total, total * len(RULES) if review else 0, min(days), max(days))


def _sample(intent: str, category: int, product: str | None, k: int) -> str:
    label = {"wmp": "理财", "large_cd": "大额存单", "fund": "基金", "bond_fund": "债券基金", "gold": "积存金",
             "pension_wmp": "养老理财", "structured_deposit": "结构性存款", "fund_plan": "基金定投",
             "time_deposit": "定期", "insurance": "保险"}.get(product or "", "理财")
    if intent == "complaint" or category >= 0:
        return COMPLAINT_SAMPLES[CATEGORIES[max(category, 0)]].format(p=label)
    options = SAMPLES[intent]
    return options[k % len(options)].format(p=label)


@dataclass
class Drawn:
    """The drawn QA outcome of every call (index j), where the review tables exist."""

    scores: tuple[list[float], list[float]]
    states: list[str]
    worst: np.ndarray  # 0 none, 1 minor, 2 major, 3 fatal
    fatal: np.ndarray
    per_rule: list[tuple[np.ndarray, np.ndarray]]  # (applicable, passed) per RULES entry
    dismissed: np.ndarray  # (rules x calls): a reviewer dismissed the failure


def _findings(
    rng: np.random.Generator, intent: np.ndarray, taken: np.ndarray, sloppy: np.ndarray,
    risk: np.ndarray, days: list[date], months: Sequence[Period],
) -> Drawn:
    n = len(intent)
    recommends = (taken > 0) | (np.isin(intent, [0, 3]) & (rng.random(n) < 0.5))
    account = np.isin(intent, [INTENTS.index(i) for i in ACCOUNT_INTENTS])
    got = {"service": np.zeros(n), "marketing": np.zeros(n)}
    possible = {"service": np.zeros(n), "marketing": np.zeros(n)}
    fatal_fail = {"service": np.zeros(n, bool), "marketing": np.zeros(n, bool)}
    worst = np.zeros(n, np.int64)
    per_rule = []
    for rule, _title, severity, card, w, fail_p in RULES:
        applicable = recommends if card == "marketing" else (account if rule == "identity_verification"
                                                              else np.ones(n, bool))
        passed = rng.random(n) >= np.minimum(0.9, fail_p * sloppy)
        got[card] += np.where(applicable & passed, w, 0.0)
        possible[card] += np.where(applicable, w, 0.0)
        failed = applicable & ~passed
        if severity == "fatal":
            fatal_fail[card] |= failed
        worst = np.maximum(worst, np.where(failed, {"minor": 1, "major": 2, "fatal": 3}[severity], 0))
        per_rule.append((applicable, passed))
    scores = []
    for card in ("service", "marketing"):
        s = np.where(possible[card] > 0, 100.0 * got[card] / np.maximum(possible[card], 1.0), 100.0)
        scores.append([round(float(v), 1) for v in np.where(fatal_fail[card], 0.0, s)])
    flagged = (worst >= 2) | (risk == 2)
    cutoff = months[-1].end - timedelta(days=14)
    u = rng.random(n)
    old_state = np.select([u < 0.7, u < 0.9, u < 0.95], ["closed", "reviewed", "in_review"], "queued")
    new_state = np.select([u < 0.5, u < 0.7, u < 0.9], ["queued", "in_review", "reviewed"], "closed")
    states = [("none" if not f else (o if d < cutoff else s)) for f, o, s, d in
              zip(flagged, old_state, new_state, days, strict=True)]
    return Drawn((scores[0], scores[1]), states, worst, fatal_fail["service"] | fatal_fail["marketing"], per_rule,
                 rng.random((len(RULES), n)) < 0.2)


@dataclass(frozen=True, slots=True)
class SeedCall:
    """Seeded call j: its dialogue and findings, and the JSON columns written from them."""

    turns: tuple[demo_calls.Turn, ...]
    findings: tuple[demo_calls.SeedFinding, ...]
    duration_s: float
    meta: JsonObject  # the calls.meta column
    result: JsonObject  # the calls.result column
    reasons: list[JsonObject]  # the calls.flag_reasons column


def _call_parts(j: int, call_id: str, branch: str, agent: str, sample: str, product: str | None, intent: str,
                risk: str, taken: bool, start: datetime, drawn: Drawn | None) -> SeedCall:
    """Meta, dialogue, result JSON and flag reasons of seeded call j."""
    applicable = frozenset(r[0] for i, r in enumerate(RULES) if (bool(drawn.per_rule[i][0][j]) if drawn else
                           r[0] != "identity_verification" or intent in ACCOUNT_INTENTS))
    failed = frozenset(r[0] for i, r in enumerate(RULES) if drawn and not drawn.per_rule[i][1][j])
    segments, where = demo_calls.dialogue(branch=branch, agent=agent, customer_text=sample, product=product,
                                          failed=failed, applicable=applicable, high_risk=risk == "high", taken=taken)
    meta = demo_calls.SeedMeta(seeded=True, branch=branch, agent=agent, direction="inbound",
                               started_at=(start + CN_TZ).replace(tzinfo=None).isoformat(timespec="seconds")
                               + "+08:00")
    findings = []
    for rule, title, severity, _card, _w, _p in RULES:
        ok = rule not in failed or rule not in applicable
        findings.append(demo_calls.SeedFinding(rule, title, severity, ok, rule in applicable, 1.0,
                                                () if ok else demo_calls.evidence(rule, segments, where)))
    scores = (drawn.scores[0][j], drawn.scores[1][j]) if drawn else (100.0, 100.0)
    result = demo_calls.result_doc(call_id=call_id, meta=meta, segments=segments, intent=intent, risk=risk,
                                   findings=findings, scores=scores, where=where)
    fatal = demo_calls.fatal_rules(findings)
    reasons: list[JsonObject] = [{"code": "failed_rule", "rule": f.rule, "severity": f.severity,
                                  "fatal": f.rule in fatal} for f in findings if f.applicable and not f.passed]
    if risk == "high":
        reasons.append({"code": "complaint_risk_high", "evidence": ["威胁向监管部门投诉"]})
    return SeedCall(tuple(segments), tuple(findings), segments[-1].end, to_json(meta), result, reasons)


def _finding_rows(call_id: str, part: SeedCall, drawn: Drawn, j: int) -> Iterator[tuple[Any, ...]]:
    state = drawn.states[j]
    for r, f in enumerate(part.findings):
        verdict = "auto"
        if not f.passed and f.applicable and state in ("reviewed", "closed"):
            verdict = "dismissed" if drawn.dismissed[r, j] else "confirmed"
        yield (call_id, f.rule, f.title, f.severity, RULES[r][3], f.applicable, f.passed, 1.0,
               to_json(f.evidence), f.severity == "fatal" and f.applicable and not f.passed, verdict,
               f.passed or verdict == "dismissed")


def bulk_insert(conn: Connection, table: str, cols: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL; executemany elsewhere (dates as ISO text, as SQLAlchemy stores them on SQLite)."""
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.driver_connection
        quoted = ", ".join(f'"{c}"' for c in cols)  # "end" is a keyword
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(_json(v) for v in row))
        return
    quoted = ", ".join(f'"{c}"' for c in cols)
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(cols))})"
    raw_cursor: Any = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(tuple(_sqlite_value(v) for v in row))
        if len(batch) >= 5000:
            raw_cursor.executemany(sql, batch)
            batch.clear()
    if batch:
        raw_cursor.executemany(sql, batch)


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(v, date):
        return v.isoformat()
    return _json(v)


def _json(v: Any) -> Any:
    """JSON columns travel as text (COPY and executemany take no dicts)."""
    return json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
