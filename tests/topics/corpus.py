"""Synthetic customer utterances for six 客户之声 themes, as ASR hands them over.

Two phrasing sets per theme: ``dev`` (used while building nlp/topics.py) and
``heldout`` (written separately, with other sentence shapes and vocabulary; never
used for tuning). Every sentence goes through a speech pass: homophone ASR errors
(李财/鸡金/存丹, and some the normaliser does not know: 线额/分七/养佬), fillers,
greetings, no punctuation or stray spaces. Deterministic for a given seed.

    from tests.topics.corpus import generate, acknowledgements
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Literal

Style = Literal["dev", "heldout"]
THEMES = ("cd_renewal", "fund_loss", "transfer_limit", "redemption_arrival", "card_installment", "retirement")
THEME_LABELS = {"cd_renewal": "大额存单到期续存", "fund_loss": "基金亏损不满", "transfer_limit": "手机银行转账限额",
                "redemption_arrival": "理财赎回到账时间", "card_installment": "信用卡分期", "retirement": "养老规划"}

SLOTS: dict[str, list[str]] = {
    "A": ["五万", "十万", "二十万", "三十万", "五十万", "一百万", "20万", "两万块", "八万多", "十几万"],
    "M": ["下个月", "下周", "月底", "这个月十五号", "过两天", "下礼拜三", "明天", "年底"],
    "P": ["百分之十", "百分之二十", "两成", "三万多", "一万块", "快一半", "百分之三十几"],
    "N": ["三期", "六期", "十二期", "二十四期", "半年", "一年"],
    "D": ["三天", "两天了", "一个礼拜", "好几天", "四五天"],
    "C": ["手机银行", "你们app", "手机上", "网银", "手机app"],
    "Y": ["五十八", "五十五", "六十", "快六十", "五十多"],
}

# Per theme: situations (what happened) and asks (what the customer wants). A
# sentence is a situation, an ask, or both in either order: many distinct texts, as
# in real calls, instead of a few templates repeated.
PARTS: dict[Style, dict[str, tuple[list[str], list[str]]]] = {
    "dev": {
        "cd_renewal": (
            ["我有一笔大额存单{M}到期了", "我那个{A}的大额存单快到期了", "我的存单{M}到期",
             "大额存单到期了", "我在你们这存的大额存单马上到期", "存单到期了钱还在里面"],
            ["到期以后能不能继续续存", "是自动续存还是要我自己去办", "现在续存利率是多少", "想再存三年现在利率还有多少",
             "我想接着存你们还有额度吗", "续存的话要不要去网点", "会不会自动转存利率会不会变低", "怎么续存",
             "能不能在{C}上直接续存", "新的大额存单利率是多少我想继续存"],
        ),
        "fund_loss": (
            ["我买的基金亏了{P}", "这个基金买了半年亏了{P}", "基金一直在亏", "我的基金跌了{P}了",
             "你们推荐的基金亏了我{P}", "基金净值一直跌亏了这么多钱", "买的那个基金亏损太严重了"],
            ["当时你们说风险很低的", "我很不满意你们经理当时怎么推荐的", "你们要给我个说法", "当初说稳健型的",
             "你们推荐的时候根本没说会亏", "我对你们很不满", "太坑了", "你们管不管", "经理当时说不会亏",
             "我要找你们经理问清楚"],
        ),
        "transfer_limit": (
            ["我在{C}上转账提示超过限额了", "我要转{A}", "我转账转不出去说是超限额了", "给别人转{A}提示额度不够",
             "转账的时候说超出当日限额", "手机银行转账限额太低了"],
            ["手机银行转账一天最多能转多少", "限额怎么调高", "手机银行转账限额是多少", "能不能帮我调到{A}",
             "单笔转账限额能改吗", "每天转账限额怎么提高", "转账限额在哪里改", "限额能不能临时调高一下",
             "怎么调整限额"],
        ),
        "redemption_arrival": (
            ["理财赎回了", "我赎回的理财都{D}了", "我昨天赎回了{A}的理财", "我的理财赎回申请提交了",
             "理财赎回了{D}", "周五赎回的理财"],
            ["钱什么时候能到账", "还没到账", "理财赎回以后多久到账", "今天能到账吗", "赎回的钱怎么还没到我卡上",
             "理财产品赎回到账时间是几天", "到账要多久我急用", "钱还没到账是怎么回事", "到账是不是要等到下周"],
        ),
        "card_installment": (
            ["信用卡刷了{A}", "我的信用卡这个月账单比较多", "信用卡账单出来了", "我信用卡消费了{A}"],
            ["信用卡账单能不能分期", "分{N}手续费多少", "我想把信用卡这个月的账单分期还", "信用卡分期的手续费怎么算",
             "能不能办分期", "信用卡分期可以提前还款吗", "账单分{N}利息多少", "分期办了以后还能取消吗",
             "账单分期怎么申请", "分{N}每期还多少", "分期手续费太高了有没有优惠"],
        ),
        "retirement": (
            ["我快退休了", "我今年{Y}了", "我和老伴都{Y}了", "我想给自己存点养老钱", "想提前准备养老"],
            ["想做个养老规划", "养老的钱怎么打理比较好", "有没有适合养老的理财产品", "个人养老金账户怎么开每年能存多少",
             "退休以后的养老规划你们能帮我做一下吗", "有什么稳妥的", "养老理财和养老保险哪个好",
             "个人养老金能抵税吗怎么交", "每个月存一点有什么产品", "想规划一下养老"],
        ),
    },
    "heldout": {
        "cd_renewal": (
            ["存单快到日子了", "那张存单下礼拜就满期了", "我{M}有张存单到期", "上次存的大额存单到期了",
             "三年前存的那个大额的单子到时间了", "大额存单还有{A}到期"],
            ["钱是取出来还是再存一期", "麻烦帮我再转存一次", "现在再存利息给多少", "不取的话会不会自动再存",
             "想继续放在你们这存着", "再存的话有什么期限可以选", "还能不能按原来的利息续上", "接着存要带什么证件"],
        ),
        "fund_loss": (
            ["你们卖给我的基金赔了{P}", "那只基金越跌越多", "我那个基金套牢了", "听了你们经理的话买基金",
             "基金赔钱赔成这样", "我放在基金里的钱缩水了{P}"],
            ["这不是坑人嘛", "当初买的时候没人跟我说会赔这么多", "赔的钱谁负责", "你们银行一点责任都没有吗",
             "心里很不舒服", "现在亏得一塌糊涂", "早知道就不买了", "你们得给我解释清楚"],
        ),
        "transfer_limit": (
            ["转账额度一天就五万", "我用{C}给家里打钱提示额度超了", "转{A}转不了", "手机上给儿子汇款汇不过去",
             "说是当日累计超过额度"],
            ["不够用啊", "怎样把手机转账的额度改大一点", "手机上转账有上限吗上限是多少", "能不能把我的转账额度调成{A}",
             "额度提高要去柜台吗", "一笔最多能转多少"],
        ),
        "redemption_arrival": (
            ["我前几天把理财卖了", "赎回{A}的理财", "理财卖出去了", "理财到期赎回", "赎回的款项还在路上吗"],
            ["钱到现在也没见着", "钱几个工作日能到卡", "钱一直没回到账户里", "钱要等几天才能回来", "等了{D}了",
             "钱一般第几天能到", "什么时候能回到卡里"],
        ),
        "card_installment": (
            ["信用卡这个月花多了", "信用卡欠了{A}", "刷卡买了个电脑", "这期信用卡还款压力有点大"],
            ["能分几个月慢慢还吗", "账单分期的话每个月要多还多少钱", "有哪些期数可以选", "分期还款的费率是多少",
             "能不能改成分期付款", "分期提前结清要不要付违约金", "分{N}的话利息怎么收"],
        ),
        "retirement": (
            ["等退休了每个月能拿多少", "年纪大了", "我还有几年就退了", "退休金不够花", "给老了以后留点钱"],
            ["现在要不要另外存点", "想给以后养老攒点钱", "个人养老金一年最多交多少到退休才能取吗",
             "有没有什么办法提前准备", "想找人帮我算算养老的钱够不够", "买什么养老产品好"],
        ),
    },
}
# Clauses any customer may add whatever the theme: context, not topic.
ASIDES = ["我是你们的老客户了", "上次也打过电话", "我不太会弄手机", "家里人让我问问", "我现在在外地",
          "你帮我查一下", "我身份证号是110105194912310025", "我手机号13812345678", "你说慢一点"]

# Homophone errors on 8 kHz phone audio; the first group nlp.text knows how to fix,
# the second it does not (the topic model has to live with them).
ASR_ERRORS: dict[str, list[str]] = {
    "理财": ["李财", "理才", "里财"], "基金": ["鸡金", "基经", "积金"], "赎回": ["赎会", "熟回"],
    "存单": ["存丹"], "到期": ["倒期"], "利率": ["利绿"], "手续费": ["手续飞"], "净值": ["净直"],
    "限额": ["线额", "限鹅"], "分期": ["分七", "分其"], "养老": ["养佬", "养劳"], "到账": ["到帐", "道账"],
    "转账": ["转帐", "赚账"], "亏": ["溃"], "续存": ["续村", "叙存"], "退休": ["退修"],
}
FILLERS = ["嗯", "那个", "就是说", "呃", "然后", "就是", "嗯嗯", "这个", "啊", "我想问一下", "请问", "那个那个"]
OPENERS = ["喂", "喂你好", "你好", "哎你好", "您好", "喂 你好 那个"]
CLOSERS = ["谢谢", "麻烦你了", "谢谢啊", "好吧", "你帮我看看"]
ACKS = ["好的", "嗯", "嗯嗯", "对", "对对对", "好的谢谢", "谢谢", "行", "好", "可以", "是的", "没有了", "喂",
        "喂你好", "听得到", "好的好的", "嗯 好的", "那行吧", "知道了", "哦 好", "没问题", "好的 谢谢你啊"]


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    theme: str  # one of THEMES, or "ack" for acknowledgements


def _fill(template: str, rng: random.Random) -> str:
    return re.sub(r"\{(\w)\}", lambda m: rng.choice(SLOTS[m.group(1)]), template)


def _sentence(parts: tuple[list[str], list[str]], rng: random.Random) -> str:
    situations, asks = parts
    r = rng.random()
    if r < 0.3:
        text = rng.choice(asks)
    elif r < 0.85:
        text = rng.choice(situations) + " " + rng.choice(asks)
    else:
        text = rng.choice(asks) + " " + rng.choice(situations)
    if rng.random() < 0.12:
        aside = rng.choice(ASIDES)
        text = f"{aside} {text}" if rng.random() < 0.5 else f"{text} {aside}"
    return _fill(text, rng)


def speech(text: str, rng: random.Random) -> str:
    """A clean sentence → what ASR would hand over (errors, fillers, no punctuation)."""
    keys = [k for k in ASR_ERRORS if k in text]
    for k in keys:
        if rng.random() < 0.3:
            text = text.replace(k, rng.choice(ASR_ERRORS[k]), 1)
    parts = text.split(" ")
    if rng.random() < 0.5:
        i = rng.randrange(len(parts))
        parts[i] = rng.choice(FILLERS) + parts[i]
    if rng.random() < 0.25:
        parts[0] = rng.choice(OPENERS) + " " + parts[0]
    if rng.random() < 0.15:
        parts[-1] = parts[-1] + rng.choice(CLOSERS)
    joiner = rng.choice(["", "", " ", "，"])  # mostly no punctuation at all
    out = joiner.join(parts)
    if rng.random() < 0.1:
        out += rng.choice(["啊", "呢", "吧", "哈"])
    return re.sub(r"\s+", " ", out).strip()


def generate(per_theme: int | dict[str, int], *, style: Style = "dev", seed: int = 0,
             themes: tuple[str, ...] = THEMES) -> list[Labelled]:
    """``per_theme`` utterances for each theme (or a count per theme), shuffled."""
    rng = random.Random(f"{style}-{seed}")
    counts = per_theme if isinstance(per_theme, dict) else dict.fromkeys(themes, per_theme)
    out = [Labelled(speech(_sentence(PARTS[style][t], rng), rng), t) for t, n in counts.items() for _ in range(n)]
    rng.shuffle(out)
    return out


def acknowledgements(n: int, *, seed: int = 0) -> list[Labelled]:
    rng = random.Random(f"ack-{seed}")
    return [Labelled(rng.choice(ACKS), "ack") for _ in range(n)]
