"""upsell/scripts.py: the approved library, suitability, and every script against the rule pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.result import EntityRecord
from core.types import Transcript
from qa.engine import evaluate
from qa.model import RulePack
from qa.pack import DEFAULT_PACK_DIR, load_pack
from tests.qa.helpers import call
from upsell.openings import OPENING_TYPES
from upsell.scripts import LibraryError, ScriptLibrary, customer_level, load_library, render, suggest

CUSTOMER_SAYS = {
    "maturity": "我那个理财下个月十五号到期了", "idle_funds": "我卡里有三十万闲钱", "education": "孩子明年上大学",
    "retirement": "我快退休了", "yield_dissatisfaction": "收益太低了", "large_inflow": "年终奖发了五十万",
    "protection_need": "想给老人配点保险",
}


@pytest.fixture(scope="module")
def lib() -> ScriptLibrary:
    return load_library()


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(DEFAULT_PACK_DIR)


def _findings(pack: RulePack, opening: str, text: str, level: int) -> dict[str, tuple[bool, bool]]:
    tr: Transcript = call(("agent", "您好恒信银行城东支行理财经理小王"), ("customer", CUSTOMER_SAYS[opening]),
                          ("agent", text), ("agent", "感谢您的来电再见"))
    res = evaluate(tr, pack, meta={"customer_risk_level": level})
    return {f.rule: (f.applicable, f.passed) for f in res.findings}


def test_library_covers_every_type(lib: ScriptLibrary) -> None:
    assert lib.version == "2026.06-1"
    for kind in OPENING_TYPES:
        assert lib.for_opening(kind), kind
    assert all(1 <= p.risk_level <= 5 for p in lib.products.values())


def test_every_script_passes_the_rule_pack(lib: ScriptLibrary, pack: RulePack) -> None:
    """Each variant, rendered with and without the customer's date and amount, as an agent
    turn: no forbidden promise, no discourtesy; investment scripts disclose risk and refer
    to the assessment (suitability) for a customer at the product's level."""
    checked = 0
    for s in lib.scripts:
        product = lib.products.get(s.product) if s.product else None
        level = product.risk_level if product else 1
        for variant, _ in s.variants:
            for kw in ({}, {"date": "下个月十五号到期", "amount": 300000.0}):
                text = render(s, variant, lib, **kw)  # type: ignore[arg-type]
                f = _findings(pack, s.opening, text, level)
                assert f["forbidden_promise"][1] and f["courtesy"][1], (s.id, text)
                if product is not None and product.investment:
                    assert f["risk_disclosure"] == (True, True), (s.id, text)
                    assert f["suitability"][1], (s.id, text)
                    assert lib.risk_disclosure in text
                checked += 1
    assert checked >= 2 * len(lib.scripts)


def test_the_compliance_check_can_fail(pack: RulePack) -> None:
    bad = _findings(pack, "maturity", "到期后给您推荐我们这款理财，保本保收益，稳赚不赔", 3)
    assert not bad["forbidden_promise"][1]
    assert bad["risk_disclosure"] == (True, False)


@pytest.mark.parametrize("level", [1, 2])
def test_never_above_the_customers_level(lib: ScriptLibrary, level: int) -> None:
    for kind in OPENING_TYPES:
        sugs = suggest(kind, lib, level=level, seed="c")
        assert sugs, kind
        for s in sugs:
            assert s.product is None or s.product.risk_level <= level, (kind, s.script)
            if s.product is not None and s.product.investment:
                assert lib.risk_disclosure in s.text


def test_higher_levels_get_more_and_unknown_gets_no_investment(lib: ScriptLibrary) -> None:
    c1 = {s.script for s in suggest("yield_dissatisfaction", lib, level=1)}
    c5 = {s.script for s in suggest("yield_dissatisfaction", lib, level=5)}
    assert "yield_dissatisfaction.balanced_fund" in c5 and "yield_dissatisfaction.balanced_fund" not in c1
    for kind in OPENING_TYPES:
        assert all(not (s.product and s.product.investment) for s in suggest(kind, lib, level=None))


def test_min_amount_placeholders_and_stable_variant(lib: ScriptLibrary) -> None:
    small = {s.script for s in suggest("maturity", lib, level=3, amount=50000.0)}
    assert "maturity.large_cd" not in small
    big = suggest("maturity", lib, level=3, amount=300000.0, date="下个月十五号到期", seed="x")
    assert "30万元" in big[0].text and "下个月十五号到期后" in big[0].text and "{" not in big[0].text
    assert big[-1].kind == "meeting" and len(big) <= 3
    assert [s.variant for s in suggest("maturity", lib, level=3, seed="x")] == \
        [s.variant for s in suggest("maturity", lib, level=3, seed="x")]
    seeds = {suggest("idle_funds", lib, level=1, seed=str(i))[0].variant for i in range(20)}
    assert seeds == {"A", "B"}  # both arms get traffic


def _entity(kind: str, value: str) -> EntityRecord:
    return EntityRecord(kind, value, value, 0, 0, len(value))


def test_customer_level_from_meta_and_call() -> None:
    assert customer_level({"customer_risk_level": "C4"}) == 4
    assert customer_level({}, [_entity("risk_level", "C2")]) == 2
    assert customer_level({"risk_level": 4}, [_entity("customer_risk_level", "C3")]) == 3
    assert customer_level({}, [_entity("risk_level", "R3")]) is None  # a product's level
    assert customer_level({"customer": {"risk_level": "C5"}}) == 5


def _write(d: Path, text: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "library.yaml").write_text(text, encoding="utf-8")
    return d


def test_site_library_overrides_and_disables(tmp_path: Path) -> None:
    site = _write(tmp_path / "acme", """
version: acme-3
scripts:
  - id: maturity.large_cd
    opening: maturity
    product: large_cd
    variants: {A: 您这笔资金到期后可以考虑我行大额存单。}
  - {id: maturity.cash_wmp, opening: maturity, product: cash_wmp, enabled: false, variants: {A: x}}
""")
    lib = load_library(Path(load_library().sources[0]), site)
    assert lib.version == "2026.06-1+acme-3"
    ids = [s.id for s in lib.for_opening("maturity")]
    assert "maturity.cash_wmp" not in ids and "maturity.large_cd" in ids
    replaced = next(s for s in lib.scripts if s.id == "maturity.large_cd")
    assert dict(replaced.variants) == {"A": "您这笔资金到期后可以考虑我行大额存单。"}


D = "risk_disclosure: x\n"


@pytest.mark.parametrize(("body", "message"), [
    (D + "scripts:\n  - {id: a, opening: wedding, product: p, variants: {A: t}}", "opening must be one of"),
    (D + "products:\n  - {id: p, name: P, risk_level: R9, investment: true}", "risk_level must be R1..R5"),
    (D + "products:\n  - {id: p, name: P, risk_level: R2, investment: yes please}", "investment must be"),
    (D + "scripts:\n  - {id: a, opening: maturity, product: nope, variants: {A: t}}", "unknown product"),
    (D + "products:\n  - {id: p, name: P, risk_level: R1, investment: false}\n"
     "scripts:\n  - {id: a, opening: maturity, product: p, variants: {A: '{name}您好'}}", "unknown placeholder"),
    ("scripts: [", "invalid YAML"),
    ("products: {}", "must be a list"),
    ("version: 1", "risk_disclosure"),
])
def test_bad_libraries_are_named(tmp_path: Path, body: str, message: str) -> None:
    d = _write(tmp_path / "bad", body)
    with pytest.raises(LibraryError, match=message) as err:
        load_library(d)
    assert "bad" in str(err.value)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="not found"):
        load_library(tmp_path / "nope")
