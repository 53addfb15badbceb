"""One definition each for the ids clients key on: intents, rules, opening types,
risk levels, next actions. ``StrEnum`` members compare equal to their string values,
so a stored result (plain JSON strings) and the code agree without conversion.

Intent and rule ids are open sets (a deployment may add its own intents and rules),
so the result types keep them as ``str``; these enumerations name the built-in ones.
Opening types, risk levels, severities and action ids are closed sets.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

__all__ = [
    "CALL_RISK_LEVELS",
    "INTENT_LABELS",
    "OPENING_LABELS",
    "OPENING_TYPES",
    "ActionId",
    "ComplaintLevel",
    "CustomerRiskLevel",
    "Direction",
    "IntentId",
    "OpeningType",
    "Priority",
    "RuleId",
    "Severity",
    "Source",
    "Speaker",
    "SuggestionKind",
]

Speaker = Literal["agent", "customer"]
Direction = Literal["inbound", "outbound"]
Source = Literal["audio", "transcript"]
Severity = Literal["fatal", "major", "minor"]
ComplaintLevel = Literal["high", "low", "none"]
CALL_RISK_LEVELS: tuple[ComplaintLevel, ...] = ("high", "low", "none")
SentimentLabel = Literal["negative", "neutral", "positive"]
SuggestionKind = Literal["product", "meeting", "recovery"]
TakeKind = Literal["offer", "meeting"]
Priority = Literal["high", "normal"]
CustomerRiskLevel = Literal["C1", "C2", "C3", "C4", "C5"]


class IntentId(StrEnum):
    """The built-in customer intents (a deployment may add its own ids)."""

    product_inquiry = "product_inquiry"  # 产品咨询
    purchase = "purchase"  # 购买/申购
    redemption = "redemption"  # 赎回/转出
    returns_inquiry = "returns_inquiry"  # 收益查询
    account_service = "account_service"  # 账户业务
    complaint = "complaint"  # 投诉
    risk_assessment = "risk_assessment"  # 风险测评
    promotion = "promotion"  # 活动权益
    other = "other"  # 其他


# Chinese names, as reports, the console and the result docs show them (one place).
INTENT_LABELS: dict[str, str] = {
    IntentId.product_inquiry: "产品咨询",
    IntentId.purchase: "购买/申购",
    IntentId.redemption: "赎回/转出",
    IntentId.returns_inquiry: "收益查询",
    IntentId.account_service: "账户业务",
    IntentId.complaint: "投诉",
    IntentId.risk_assessment: "风险测评",
    IntentId.promotion: "活动权益",
    IntentId.other: "其他",
}


class RuleId(StrEnum):
    """The rules of the default pack (qa/rules/default); packs may add their own ids."""

    greeting = "greeting"
    identity_verification = "identity_verification"
    risk_disclosure = "risk_disclosure"
    suitability = "suitability"
    forbidden_promise = "forbidden_promise"
    closing = "closing"
    courtesy = "courtesy"


class OpeningType(StrEnum):
    """Upsell openings (服务营销): what in the customer's words opens a sale."""

    maturity = "maturity"  # 产品/存款到期
    idle_funds = "idle_funds"  # 闲置资金
    education = "education"  # 子女教育
    retirement = "retirement"  # 养老规划
    yield_dissatisfaction = "yield_dissatisfaction"  # 收益不满
    large_inflow = "large_inflow"  # 大额资金流入
    protection_need = "protection_need"  # 保障需求


OPENING_LABELS: dict[str, str] = {
    OpeningType.maturity: "产品/存款到期",
    OpeningType.idle_funds: "闲置资金",
    OpeningType.education: "子女教育",
    OpeningType.retirement: "养老规划",
    OpeningType.yield_dissatisfaction: "收益不满",
    OpeningType.large_inflow: "大额资金流入",
    OpeningType.protection_need: "保障需求",
}
OPENING_TYPES: tuple[str, ...] = tuple(OpeningType)


class ActionId(StrEnum):
    """After-call actions (next_actions[].action)."""

    follow_up_maturity = "follow_up_maturity"
    call_back = "call_back"
    send_material = "send_material"
    book_meeting = "book_meeting"
    risk_assessment = "risk_assessment"
    complaint_follow_up = "complaint_follow_up"
