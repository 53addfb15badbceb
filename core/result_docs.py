"""What each field of the result document means: the one place the field tables of
docs/result-schema.md and the descriptions in docs/result-schema.json come from
(``python -m tools.result_schema``; a test fails when the committed files are stale).

Keys are JSON paths: ``a.b`` for an object's field, ``a[]`` for an array of records and
``a[].b`` for a field of its items. A documented path covers the fields beneath it
unless they have entries of their own; every field of ``CallResult`` must be covered.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.enums import INTENT_LABELS, OPENING_LABELS

__all__ = ["FIELD_DOCS", "SINCE"]


def _listing(labels: Mapping[str, str]) -> str:
    """``id`` 名称, … from an id's one definition (core/enums.py)."""
    return ", ".join(f"`{k}` {v}" for k, v in labels.items())


# The version that added each top-level key (the table it is listed in).
SINCE: Mapping[str, str] = {
    "schema_version": "1.0", "call": "1.0", "segments": "1.0", "role_confidence": "1.0", "pii_masked": "1.0",
    "intents": "1.1", "sentiment": "1.1", "complaint_risk": "1.1", "entities": "1.1", "pii": "1.1",
    "summary": "1.1", "keywords": "1.1", "compliance": "1.1",
    "upsell_openings": "1.2", "next_actions": "1.2",
}

FIELD_DOCS: Mapping[str, str] = {
    'schema_version': (
        'version of this contract'),
    'call.id': (
        "the call's id in the database; for `callsight analyze`, the first 32 hex digits of the input file's "
        'SHA-256 (stable across runs)'),
    'call.meta': (
        "the call's metadata as given (`branch`, `agent`, `customer`, `direction` = `inbound`/`outbound`, "
        '`started_at` ISO 8601, `channel_layout`, plus any extra keys)'),
    'call.source': (
        'recording transcribed here, or transcript ingested'),
    'call.duration_s': (
        'length of the recording (of the last turn for transcripts)'),
    'call.channels': (
        'audio channels; 0 for ingested transcripts'),
    'call.asr': (
        'how the transcript was made: model label, compute type, device, wall seconds, language, whether the '
        'domain vocabulary was used; null for ingested transcripts'),
    'call.input': (
        '`callsight analyze` only: the path given'),
    'segments[]': (
        'turns in time order; segment *i* of an ingested transcript is its turn *i*'),
    'segments[].speaker': (
        'from the channel map (two-channel) or from the text (mono)'),
    'segments[].start': (
        'seconds from the start of the call (estimated at 4.5 characters/s for ingested turns without times)'),
    'segments[].end': (
        'seconds from the start of the call at which the turn ends (estimated like `start`)'),
    'segments[].channel': (
        'source channel (audio only)'),
    'segments[].text': (
        'Simplified Chinese; personal numbers masked unless `--show-pii` / `show_pii=true` with the `pii` permission'),
    'segments[].words[]': (
        'word timestamps (`text`, `start`, `end`, `p` = probability); audio only'),
    'role_confidence': (
        '0..1: confidence of the agent/customer assignment: 1.0 for two-channel recordings and transcripts, '
        'lower for mono recordings assigned from the text'),
    'pii_masked': (
        'present and true when personal numbers in every text field were masked'),
    'intents.primary': (
        f"the call's main customer intent id: {_listing(INTENT_LABELS)}, or a deployment's own id"),
    'intents.all': (
        'every intent expressed with confidence in the call (on an outbound call, also the purpose the agent '
        'stated: a campaign, a questionnaire about to lapse, a filed redemption, a complaint callback, a '
        'survey); `primary` is `other` when no customer turn is confidently business'),
    'intents.confidence': (
        "the call-level model's probability (0–1) of `primary`; present when the learned call-intent model "
        'decided (absent when the hand rules did)'),
    'intents.turns[]': (
        'per customer turn: `segment`, `intent`, `score` (calibrated probability); a short follow-up the '
        "model is unsure of (那手续费呢) carries the intent of the confident turn before it, at 0.8 × that turn's "
        'score'),
    'sentiment.call': (
        "the customer's overall sentiment"),
    'sentiment.turns[]': (
        'per customer turn: `segment`, `label`, `score` (signed cue weight), `cues` (the words behind it)'),
    'complaint_risk.level': (
        '`high`: threat of regulator (12378, 金融监管总局), media, lawyer, or to close accounts / move all money, '
        'or a complaint filed with the bank itself (我要投诉…, 再…我就投诉, '
        '找你们行长/领导; a bank counts every complaint); '
        '`low`: dissatisfied without a threat; negated or hypothetical mentions do not count'),
    'complaint_risk.evidence[]': (
        '`segment`, `text`, `reason` (Chinese)'),
    'entities[]': (
        '`type` (`amount`, `date`, `duration`, `product`, `risk_level`, `customer_risk_level`, `staff_id`, '
        '`rate`), `text`, normalised `value`, `segment`, `start`, `end`'),
    'pii[]': (
        'personal data found (`type` = `id_card`/`mobile`/`bank_card`, since issue 15 `landline`/`email`, '
        'since issue 12 `account` (securities, fund, policy, social-security and other account numbers '
        'announced as such); `segment`, `start`, `end`); never the digits. A number split over two turns is '
        'masked in both texts but not listed here'),
    'summary': (
        'extractive Chinese summary: why the customer called, what the agent did, risk'),
    'keywords': (
        "the call's salient customer words"),
    'compliance.rule_pack': (
        'version of the rule pack(s) that produced the findings'),
    'compliance.findings[]': (
        'one per rule: `rule` id, `title` (Chinese), `severity`, `passed`, `applicable` (false when the rule '
        'does not apply to this call, e.g. no product recommended), `evidence[]` (`segment`, `start`, `end`, '
        '`text`), `confidence`'),
    'compliance.scores': (
        '`service` and `marketing` scorecards, 0..100, never mixed into one number; a failed fatal item sets '
        'its own card to 0, and the service card too (`any_fatal` in the pack)'),
    'compliance.fatal': (
        'failed fatal items (一票否决)'),
    'upsell_openings[]': (
        'customer turns that open a sales opportunity (服务营销), in call order; a type repeated while the '
        "agent's reply window is still open is the same opening"),
    'upsell_openings[].type': (
        f"{_listing(OPENING_LABELS)} (large inflow: 年终奖, 卖房款, ≥ 10万 coming in; protection need: 重疾, "
        "意外, 医疗)"),
    'upsell_openings[].segment': (
        'the customer turn that opened it'),
    'upsell_openings[].taken': (
        '开口: the agent proposed a relevant product (a money product for a money opening, cover for a '
        'protection need; a plan / 配置 fits all) or a meeting / material within their next 3 turns (turns that only '
        'verify identity or ask what the money is for do not count, up to 3 of them), before the customer raised '
        'another opening; or the agent had already pitched a named product, unprompted, in '
        "the 3 agent turns before the customer's words (an outbound pitch the customer is answering)"),
    'upsell_openings[].evidence.customer': (
        '`segment`, `text` (the turn as given, masked like every text), `cue` (the words that opened it, normalised)'),
    'upsell_openings[].evidence.entities[]': (
        '`amount`, `date` and `product` entities (the 1.1 entity shape) of the opening turn, plus a date or '
        'amount the customer gave in their next turn'),
    'upsell_openings[].evidence.agent': (
        'the agent turn that took it: `segment`, `text`, `cue`, `kind` (`offer` or `meeting`), `products` '
        '(product words in that turn); null when missed'),
    'upsell_openings[].suggestions[]': (
        "up to 3 approved scripts for this customer: product scripts first (closest to the customer's risk "
        'level first), then a meeting script; empty when no script library is loaded'),
    'upsell_openings[].suggestions[].script': (
        'script id in the library'),
    'upsell_openings[].suggestions[].variant': (
        'the variant (A/B arm) this call was given; the arm is a stable function of the call'),
    'upsell_openings[].suggestions[].kind': (
        '`recovery`: the customer is complaining (complaint risk `high` or primary intent `complaint`), so no'
        " product is pitched; every opening's suggestions are then the three service-recovery steps "
        '`recovery.apology`, `recovery.escalation`, `recovery.follow_up` (library `service-recovery`, product'
        ' null)'),
    'upsell_openings[].suggestions[].product': (
        'the product id; never above the customer\'s risk level; null for meeting and recovery scripts'),
    'upsell_openings[].suggestions[].product_name': (
        'the product\'s Chinese name (null with `product`)'),
    'upsell_openings[].suggestions[].risk_level': (
        'the product\'s risk level `R1`–`R5`, or null'),
    'upsell_openings[].suggestions[].investment': (
        'an investment product: offered only when the customer\'s risk level is known'),
    'upsell_openings[].suggestions[].text': (
        "the approved text, with the customer's date/amount filled in; investment products end with the "
        'risk-disclosure sentence, insurance with its notice'),
    'upsell_openings[].suggestions[].library': (
        "script-library version(s) (`2026.06-1`, `2026.06-1+acme-3` with a deployment's additions)"),
    'next_actions[]': (
        'after-call actions for the agent, `high` priority first: `action` (`follow_up_maturity`, `call_back`'
        ' = a missed opening, `send_material` = a taken offer, `book_meeting` = a planning need or a proposed'
        " meeting, `risk_assessment` = investment scripts held back because the customer's level is unknown, "
        '`complaint_follow_up` = the customer is complaining: apologise, log and escalate, call back in the '
        'promised time; then it is the only action), `opening` (type, `*` for `risk_assessment` and '
        '`complaint_follow_up`), `segment`, `text` (Chinese instruction), `priority` (`high`/`normal`), `due`'
        " (ISO date resolved from the customer's words and `call.meta.started_at`, else null), `date_text`, "
        '`script` (the suggested script to use, or null)'),
    'next_actions[].steps[]': (
        'since issue 12, `complaint_follow_up` only (left out elsewhere): the service-recovery steps to follow, '
        'in order, as suggestions (`recovery.apology`, `recovery.escalation`, `recovery.follow_up`; kind '
        '`recovery`, product null), present whether or not the call kept any opening'),
}
