"""Chinese display labels for the ids stored in facts (intents, products)."""

from __future__ import annotations

from nlp.intents import DEFAULT_INTENTS

PRODUCT_LABELS: dict[str, str] = {
    "large_cd": "大额存单", "structured_deposit": "结构性存款", "time_deposit": "定期存款", "call_deposit": "通知存款",
    "treasury_bond": "国债", "money_fund": "货币基金", "bond_fund": "债券基金", "index_fund": "指数基金",
    "fund_plan": "基金定投", "fund": "基金", "pension_wmp": "养老理财", "pension_account": "个人养老金",
    "wmp": "理财产品", "insurance": "保险", "gold": "黄金", "credit_card": "信用卡", "loan": "贷款",
}
STATUS_LABELS: dict[str, str] = {
    "none": "未进入复核", "queued": "待复核", "in_review": "复核中", "reviewed": "已复核", "closed": "已办结",
}
RISK_LABELS: dict[str, str] = {"high": "高", "low": "低", "none": "无"}


def intent_label(intent: str) -> str:
    return DEFAULT_INTENTS.get(intent, intent)


def product_label(product: str) -> str:
    return PRODUCT_LABELS.get(product, product)
