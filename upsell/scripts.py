"""The approved script library (营销话术库) and the suggestions drawn from it.

Pure: YAML directories in (upsell/library/default, then a deployment's own), frozen
values out; the caller passes the customer's risk level and what the opening said.

Suitability is enforced here, not left to the agent: a product whose risk level
(R1–R5) is above the customer's (C1–C5) is never suggested, an investment product
is never suggested while the customer's level is unknown, and every script of an
investment product carries the library's risk-disclosure sentence (product notices,
e.g. "保险不是存款", likewise). Which variant of a script a call gets is a stable
function of a seed (the call), so A/B counts can be attributed later.
"""

from __future__ import annotations

import string
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictStr, ValidationError

from core.meta import MetaFacts
from core.result import EntityRecord, SuggestionRecord
from nlp.spoken import parse_level
from upsell.openings import OPENING_TYPES

__all__ = ["DEFAULT_LIBRARY_DIR", "LibraryError", "Product", "Script", "ScriptLibrary", "Suggestion",
           "customer_level", "format_amount", "load_library", "render", "suggest"]

DEFAULT_LIBRARY_DIR = Path(__file__).resolve().parent / "library" / "default"
PLACEHOLDERS = frozenset({"date", "funds"})
ScriptKind = Literal["product", "meeting"]
SuggestionKind = Literal["product", "meeting", "recovery"]  # recovery: upsell.recovery, never from a library


class LibraryError(ValueError):
    """A script library that cannot be used; the message names the file and entry."""


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    risk_level: int  # 1..5 (R1..R5)
    investment: bool  # investment products need the risk disclosure and a known customer level
    min_amount: float | None = None
    notice: str = ""  # appended to every script of the product (保险不是存款 ...)
    disclosure: str = ""  # the product's own risk disclosure; empty: the library's


@dataclass(frozen=True, slots=True)
class Script:
    id: str
    opening: str
    kind: ScriptKind
    product: str | None
    variants: tuple[tuple[str, str], ...]  # (variant id, approved text with placeholders)
    source: str = ""


@dataclass(frozen=True, slots=True)
class ScriptLibrary:
    version: str
    products: Mapping[str, Product]
    scripts: tuple[Script, ...]
    risk_disclosure: str
    assessment_hint: str = ""
    sources: tuple[str, ...] = ()

    def for_opening(self, opening: str) -> tuple[Script, ...]:
        return tuple(s for s in self.scripts if s.opening == opening)


@dataclass(frozen=True, slots=True)
class Suggestion:
    script: str
    variant: str
    kind: SuggestionKind
    product: Product | None
    text: str
    library: str

    def record(self) -> SuggestionRecord:
        p = self.product
        return SuggestionRecord(self.script, self.variant, self.kind, p.id if p else None, p.name if p else None,
                                f"R{p.risk_level}" if p else None, bool(p and p.investment), self.text, self.library)


# --------------------------------------------------------------------------- loading
# A library file is parsed into the models below once; the loader then checks what a
# type cannot say (placeholders, kinds, product references) with messages naming the
# file and entry.

_LENIENT = ConfigDict(coerce_numbers_to_str=True)


def _no_bool_number(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    return value


class _ProductSpec(BaseModel):
    model_config = _LENIENT
    id: StrictStr
    name: str = Field(min_length=1)
    risk_level: str | None = None
    investment: object = None  # checked below: exactly true or false, not "yes"
    min_amount: Annotated[float, BeforeValidator(_no_bool_number), Field(ge=0)] | None = None
    notice: str = ""
    disclosure: str = ""


class _ScriptSpec(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True, extra="forbid")
    id: StrictStr
    opening: str | None = None
    product: StrictStr | None = None
    kind: str = "product"
    variants: dict[str, str] | None = None
    enabled: object = True  # only an explicit ``false`` disables


class _LibraryFile(BaseModel):
    model_config = _LENIENT
    version: str | None = None
    risk_disclosure: str | None = None
    assessment_hint: str | None = None
    products: list[object] | None = []
    scripts: list[object] | None = []


def _problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        return f"unknown field(s) ['{where}']"
    if first["type"] == "list_type":
        return f"'{where}' must be a list"
    return f"{where}: {first['msg']}"


def _read(path: Path) -> _LibraryFile:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LibraryError(f"{path}: invalid YAML: {exc}") from None
    except OSError as exc:
        raise LibraryError(f"{path}: cannot read: {exc}") from None
    if doc is None:
        return _LibraryFile()
    if not isinstance(doc, Mapping):
        raise LibraryError(f"{path}: expected a mapping with products/scripts")
    try:
        return _LibraryFile.model_validate(doc)
    except ValidationError as exc:
        raise LibraryError(f"{path}: {_problem(exc)}") from None


def _product(raw: object, where: str) -> Product:
    try:
        spec = _ProductSpec.model_validate(raw)
    except ValidationError as exc:
        raise LibraryError(f"{where}: a product needs a string 'id', a 'name', a non-negative 'min_amount' "
                           f"({_problem(exc)})") from None
    level = parse_level(spec.risk_level)
    if level is None or not (spec.risk_level or "").upper().startswith("R"):
        raise LibraryError(f"{where}: product '{spec.id}': risk_level must be R1..R5, got {spec.risk_level!r}")
    if not isinstance(spec.investment, bool):
        raise LibraryError(f"{where}: product '{spec.id}': investment must be true or false")
    return Product(spec.id, spec.name, level, spec.investment, spec.min_amount, spec.notice, spec.disclosure)


def _script(raw: object, where: str) -> tuple[Script, bool]:
    """The script and whether it is enabled."""
    try:
        spec = _ScriptSpec.model_validate(raw)
    except ValidationError as exc:
        raise LibraryError(f"{where}: a script needs a string 'id' ({_problem(exc)})") from None
    sid = spec.id
    if spec.opening not in OPENING_TYPES:
        raise LibraryError(f"{where}: script '{sid}': opening must be one of {list(OPENING_TYPES)}, "
                           f"got {spec.opening!r}")
    if spec.kind not in ("product", "meeting"):
        raise LibraryError(f"{where}: script '{sid}': kind must be product or meeting, got {spec.kind!r}")
    kind: ScriptKind = "product" if spec.kind == "product" else "meeting"
    if (kind == "product") != (spec.product is not None):
        raise LibraryError(f"{where}: script '{sid}': a product script names its 'product'; a meeting script none")
    if not spec.variants:
        raise LibraryError(f"{where}: script '{sid}': 'variants' must map variant ids to approved texts")
    out: list[tuple[str, str]] = []
    for vid, text in spec.variants.items():
        if not text.strip():
            raise LibraryError(f"{where}: script '{sid}': variant {vid!r} has no text")
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError as exc:
            raise LibraryError(f"{where}: script '{sid}': variant {vid!r}: bad placeholder: {exc}") from None
        if names - PLACEHOLDERS:
            raise LibraryError(f"{where}: script '{sid}': variant {vid!r}: unknown placeholder(s) "
                               f"{sorted(names - PLACEHOLDERS)}; allowed: {sorted(PLACEHOLDERS)}")
        out.append((vid, text.strip()))
    return Script(sid, spec.opening, kind, spec.product, tuple(out), where), spec.enabled is not False


def load_library(*dirs: Path | str) -> ScriptLibrary:
    """Load and merge library directories in order (the default when none given): a
    product or script with an existing id replaces it, ``enabled: false`` removes it."""
    paths = [Path(d) for d in dirs] or [DEFAULT_LIBRARY_DIR]
    versions: list[str] = []
    products: dict[str, Product] = {}
    scripts: dict[str, Script] = {}
    disclosure, hint = "", ""
    for d in paths:
        if not d.is_dir():
            raise LibraryError(f"{d}: script library directory not found")
        version = d.name
        for path in sorted(d.glob("*.y*ml")):
            doc = _read(path)
            version = doc.version if doc.version is not None else version
            disclosure = doc.risk_disclosure if doc.risk_disclosure is not None else disclosure
            hint = doc.assessment_hint if doc.assessment_hint is not None else hint
            for k, spec in enumerate(doc.products or ()):
                p = _product(spec, f"{path}: products[{k}]")
                products[p.id] = p
            for k, spec in enumerate(doc.scripts or ()):
                s, enabled = _script(spec, f"{path}: scripts[{k}]")
                scripts.pop(s.id, None)
                if enabled:
                    scripts[s.id] = s
        versions.append(version)
    if not disclosure:
        raise LibraryError(f"{paths[0]}: the library needs a 'risk_disclosure' sentence")
    for s in scripts.values():
        if s.product is not None and s.product not in products:
            raise LibraryError(f"{s.source}: script '{s.id}': unknown product '{s.product}'")
    return ScriptLibrary("+".join(versions), products, tuple(scripts.values()), disclosure, hint,
                         tuple(str(p) for p in paths))


# --------------------------------------------------------------------------- suggesting

def format_amount(value: float) -> str:
    """300000 → '30万元', 8000 → '8000元'."""
    if value >= 1e8:
        return f"{value / 1e8:g}亿元"
    if value >= 1e4:
        return f"{round(value / 1e4, 2):g}万元"
    return f"{value:g}元"


def render(script: Script, variant: str, library: ScriptLibrary, *, date: str = "", amount: float | None = None) -> str:
    """The text an agent reads: placeholders filled, disclosure and notices appended."""
    text = dict(script.variants)[variant]
    funds = f"这笔{format_amount(amount)}的资金" if amount else "这笔资金"
    text = text.format(date=date.removesuffix("到期").strip(), funds=funds)
    product = library.products.get(script.product) if script.product else None
    if product is not None:
        if product.investment:
            disclosure = product.disclosure or library.risk_disclosure
            if disclosure not in text:
                text += disclosure
        if product.notice and product.notice not in text:
            text += product.notice
    return text


def _variant(script: Script, seed: str) -> str:
    ids = sorted(v for v, _ in script.variants)
    return ids[zlib.crc32(f"{seed}|{script.id}".encode()) % len(ids)]


def suitable(product: Product, level: int | None, amount: float | None = None) -> bool:
    """Never above the customer's level; no investment product for an unassessed customer."""
    if level is None:
        if product.investment or product.risk_level > 1:
            return False
    elif product.risk_level > level:
        return False
    return amount is None or product.min_amount is None or amount >= product.min_amount


def suggest(opening: str, library: ScriptLibrary, *, level: int | None, date: str = "", amount: float | None = None,
            seed: str = "", limit: int = 3) -> tuple[Suggestion, ...]:
    """The best scripts for one opening, ``limit`` in all: suitable product scripts, the
    ones closest to the customer's risk level first (an assessed C3 customer hears about
    an R3 product before a deposit), library order among equals, then a meeting script."""
    products: list[Suggestion] = []
    meetings: list[Suggestion] = []
    for s in library.for_opening(opening):
        product = library.products.get(s.product) if s.product else None
        if product is not None and not suitable(product, level, amount):
            continue
        v = _variant(s, seed)
        sug = Suggestion(s.id, v, s.kind, product, render(s, v, library, date=date, amount=amount), library.version)
        (products if product is not None else meetings).append(sug)
    if level is not None:
        products.sort(key=lambda x: level - x.product.risk_level if x.product else 0)  # stable: library order
    keep = products[: max(0, limit - 1)] if meetings else products[:limit]
    return tuple(keep + meetings[: limit - len(keep)])


def customer_level(meta: Mapping[str, Any] | None, entities: Iterable[EntityRecord] = ()) -> int | None:
    """The customer's risk level 1..5: the CRM's (meta ``customer_risk_level`` / ``risk_level``
    / ``customer.risk_level``) and any stated in the call (an entity ``customer_risk_level``,
    or a ``risk_level`` entity reading C1..C5). When both are known the lower one wins: a
    suggestion must suit the customer on either account."""
    found: list[int] = []
    for raw in MetaFacts.of(meta).customer_levels:
        lv = parse_level(raw)
        if lv is not None:
            found.append(lv)
            break
    for e in entities:
        value = str(e.value)
        if e.type == "customer_risk_level" or (e.type == "risk_level" and value[:1] in ("C", "c")):
            lv = parse_level(value)
            if lv is not None:
                found.append(lv)
    return min(found) if found else None
