"""Calls for upsell storage/API tests, processed through the real path (ingest service +
the job runner with the real intent model, rule pack and script library)."""

from __future__ import annotations

from tests.tags.helpers import processed_call

# A maturity opening; the agent reads (paraphrases) the meeting script maturity.meeting.
MATURITY_USED = [
    ("agent", "您好恒信银行城东支行理财经理小王工号1023请问有什么可以帮您"),
    ("customer", "我那个理财下个月十五号到期了有三十万"),
    ("agent", "好的那您这笔钱到期前我帮您约个时间来网点吧理财经理按您的用款计划做个到期资金配置方案您看哪天方便"),
    ("customer", "那就下周二吧"),
    ("agent", "好的感谢您的来电再见"),
]
# The same opening, missed: the agent says nothing of a product or meeting.
MATURITY_MISSED = [
    ("agent", "您好恒信银行城西支行理财经理小李工号1024"),
    ("customer", "我有笔定期存款月底就到期了"),
    ("agent", "好的到期后资金会自动转回您的活期账户"),
    ("customer", "好的谢谢"),
    ("agent", "不客气再见"),
]
# A later call of the customer: wants to buy.
PURCHASE = [
    ("agent", "您好恒信银行城东支行理财经理小王"),
    ("customer", "你好我想买你们那个大额存单三十万怎么办理申购"),
    ("agent", "好的我帮您办理购买手续"),
    ("customer", "好的"),
]

__all__ = ["MATURITY_MISSED", "MATURITY_USED", "PURCHASE", "processed_call"]
