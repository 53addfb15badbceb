"""Generate the intent corpora from two separate template pools.

    python data/intents/make_corpus.py [--per-intent 900] [--heldout-per-intent 200]

- nlp/corpora/intents/train/<intent>.tsv from pool A (pool_train.py): what the model learns;
- data/intents/heldout/<intent>.tsv from pool B (pool_heldout.py): other templates,
  other lead-ins and particles, other slot values and homophone errors the training
  side never shows. Never train on it;
- data/intents/test/ is an older hand-written set (not generated; kept as a second check).

A template is ``lead + core + tail``; each sentence then goes through a "speech"
pass: dialect words (咋/啥/俺), homophone ASR errors (李财 鸡金 定头 风显 保笨 村单 收意
到其), fillers, stutters, spoken numbers and (mostly) no punctuation. Deterministic:
fixed seeds; rerun after editing a pool and commit the output.

Round 2 (issue 2): each pool has ``CORES_R2``, families real customers use that the
first pools lacked (act-over-tone redemptions, yield questions asked in irritation,
inflows and pensions as account service, polite complaints, questionnaire answers,
rights and gifts, life-context answers as ``other``); and a request of any intent
but complaint is sometimes wrapped in a tone clause (TONES_*: threats meant, denied,
reported or joking, grievances, praise) with its label kept, because the act asked
for is the label, not the tone around it.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
# The training split is read at run time, so it ships inside the nlp package.
TRAIN_DIR = HERE.parents[1] / "nlp" / "corpora" / "intents" / "train"
sys.path.insert(0, str(HERE))

import pool_heldout  # noqa: E402
import pool_train  # noqa: E402

SLOTS_TRAIN: dict[str, list[str]] = {
    "P": ["理财", "理财产品", "基金", "定投", "基金定投", "大额存单", "定期", "国债", "储蓄国债", "结构性存款",
          "养老理财", "货币基金", "债基", "指数基金", "黄金", "保险", "年金险", "存款", "三年期定期", "那个一年的理财",
          "稳健的那种", "净值型的", "短期理财", "那个存单", "这个产品", "那款基金", "你们那个养老的"],
    "A": ["五万", "五万块", "十万块钱", "二三十万", "三四万", "十来万", "一百来万", "两千", "每个月一千", "5万", "20万",
          "50w", "八千", "一万五", "七八万", "几万块钱", "小二十万", "三千块", "一万", "三十万"],
    "T": ["三个月", "半年", "一年", "一年期", "三年", "五年", "九十天", "一百八十天", "七天", "两年"],
    "D": ["下个月", "下礼拜", "月底", "十五号", "明天", "年底", "过两天", "每月五号", "二十号"],
    "N": ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"],
    "N2": ["伟", "芳", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "建国", "桂兰"],
    "INS": ["重疾险", "医疗险", "意外险", "百万医疗", "防癌险", "年金险", "寿险", "少儿险", "那个保险"],
    "AGE": ["三十五", "四十", "五十出头", "六十", "快七十", "三十二", "四十五", "二十八"],
    "R": ["收益", "利息", "收意", "回报"],
    "BR": ["城东", "解放路", "中山路", "人民广场", "火车站那个", "开发区", "县里", ""],
}
SLOTS_HELDOUT: dict[str, list[str]] = {
    "P": ["理财", "基金", "定投", "存单", "大额存单", "国债", "定期存款", "混合基金", "固收理财", "稳利的那个",
          "七天的理财", "三年的存单", "新发的基金", "R2的理财", "现金理财", "你说的那只"],
    "A": ["六万", "十五万", "两万八", "三十来万", "40万", "一千块", "五千", "八十万", "二十几万", "9万"],
    "T": ["六个月", "两年", "一年半", "三十天", "十四天"],
    "D": ["下旬", "这周五", "月初", "十号"],
    "N": ["孙", "胡", "朱", "高", "林", "何", "郭", "马"],
    "N2": ["红", "海燕", "志强", "玉兰", "明", "婷"],
    "INS": ["重大疾病保险", "住院医疗险", "意外伤害险", "养老年金", "定期寿险"],
    "AGE": ["五十五", "三十八", "六十二", "四十八"],
    "R": ["收益率", "年化", "利钱"],
    "BR": ["北街", "滨江", "高新区", "老城那个", ""],
}
SPOKEN = "零一二三四五六七八九"

# Homophone misrecognitions on 8 kHz phone audio. The held-out side also uses
# variants the training side never shows (pinyin features must carry those).
ASR_TRAIN: dict[str, list[str]] = {
    "理财": ["李财", "里财", "理才"], "基金": ["鸡金", "机金"], "定投": ["定头", "订投"], "风险": ["风显", "封险"],
    "保本": ["保笨", "宝本"], "存单": ["村单", "存丹"], "收益": ["收意", "手益"], "到期": ["到其", "倒期"],
    "赎回": ["熟回", "属回"], "利息": ["利西", "立息"], "测评": ["策评", "侧评"], "投诉": ["头诉", "投素"],
    "账户": ["帐户"], "密码": ["秘码"], "国债": ["国寨"], "手续费": ["手续飞"], "净值": ["净直"], "积分": ["鸡分"],
    "活动": ["火动"], "优惠": ["有会"], "提前": ["题前"], "定期": ["定七"], "利率": ["利绿"], "挂失": ["挂湿"],
    "额度": ["鹅度"], "礼品": ["李品"], "等级": ["登记"], "养老": ["氧老"], "取出来": ["去出来"], "分红": ["分洪"],
}
ASR_HELDOUT: dict[str, list[str]] = {
    "理财": ["李才", "礼财"], "基金": ["基今", "鸡今"], "定投": ["丁投", "定偷"], "风险": ["风现"], "保本": ["保奔"],
    "存单": ["村丹"], "收益": ["收义", "首意"], "到期": ["道期"], "赎回": ["书回"], "利息": ["力息"], "测评": ["测瓶"],
    "投诉": ["偷诉"], "定期": ["订期"], "积分": ["机分"], "活动": ["或动"], "评估": ["平估"], "额度": ["恶度"],
}
DIALECT = [("怎么办", "咋整"), ("怎么", "咋"), ("什么时候", "啥时候"), ("什么", "啥"), ("没有", "没"),
           ("不知道", "不晓得"), ("可以吗", "中不中"), ("这个", "这"), ("我", "俺")]
FILLERS_TRAIN = ["嗯", "那个", "就是", "呃", "这个这个", "就是说", "然后", "那个那个", "额", "啊"]
FILLERS_HELDOUT = ["嗯", "呃", "哎", "那啥", "怎么说呢", "就是吧"]
ACKS = ["好的", "对", "嗯嗯行", "哦", "是这样", "行"]
# Tone around a request that is not itself a complaint: threats (meant, denied,
# reported or joking), grievances, worry, praise. Glued to another intent's core it
# keeps that intent's label, so threat words alone do not make a complaint.
TONE_RATE = 0.15
TONES_TRAIN = ["你们上次推荐的亏了", "再忽悠我我就去监管局", "要是再骗我我就打12378", "收益这么差",
               "你们服务真不怎么样", "我不是要投诉", "我也不想去告你们", "听说有人去银保监会投诉过",
               "开玩笑的 要是亏了我可要告你们",
               "我已经找过律师了", "我很生气", "说好的收益也没到", "你们太慢了", "等了半天了", "我真是服了",
               "我心里很着急", "你们经理人挺好的", "上次你讲得很清楚", "说实话我挺失望的", "不然我就去网上曝光",
               "我都气糊涂了", "我跟你说我不怕你们", "我又不是来闹事的", "你们得给我个说法"]
TONES_HELDOUT = ["上回买的赔了", "不说实话我就找监管", "我可不想投诉", "朋友说有人打过12378", "收益也太低了",
                 "你们办事真拖拉", "我心里没底", "谢谢你上次帮忙", "再这样我就找记者"]
OTHER_SCALE = 1.5
OTHER_LEADS = ["", "", "", "嗯", "哦", "呃", "那个", "哎", "喂"]
OTHER_TAILS = ["", "", "", "啊", "呀", "哈", "嘞", "吧"]


def _spoken_digits(rng: random.Random, n: int) -> str:
    s = "".join(rng.choice(SPOKEN) for _ in range(n))
    if rng.random() < 0.3:  # digits said in groups, ASR puts spaces between them
        s = " ".join(s[i : i + 4] for i in range(0, len(s), 4))
    return s.replace("一", "幺") if rng.random() < 0.5 else s


def _fill(template: str, slots: dict[str, list[str]], rng: random.Random) -> str:
    t = re.sub(r"\[([^\[\]]*)\]", lambda m: rng.choice(m.group(1).split("|")), template)

    def slot(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "DIG":
            return _spoken_digits(rng, rng.choice([6, 8, 11, 18]))
        if name == "DIG4":
            return _spoken_digits(rng, 4)
        return rng.choice(slots[name])

    return re.sub(r"\{(\w+)\}", slot, t)


def _speech(text: str, rng: random.Random, asr: dict[str, list[str]], fillers: list[str]) -> str:
    """A clean sentence → what ASR hands over."""
    if rng.random() < 0.3:
        for a, b in DIALECT:
            if a in text and rng.random() < (0.15 if b == "俺" else 0.6):
                text = text.replace(a, b)
    if rng.random() < 0.45:  # homophone errors, one or two per sentence
        keys = [k for k in asr if k in text]
        for k in rng.sample(keys, min(len(keys), rng.choice([1, 1, 2]))):
            text = text.replace(k, rng.choice(asr[k]), 1)
    if rng.random() < 0.35:  # a filler at the start or at a word break
        f = rng.choice(fillers)
        cuts = [0] + [m.end() for m in re.finditer(" ", text)]
        i = rng.choice(cuts)
        text = text[:i] + f + text[i:]
    if rng.random() < 0.07 and len(text) > 3:  # stutter: 我我想
        text = text[:1] + text
    r = rng.random()
    if r < 0.7:
        text = text.replace(" ", "")
    elif r < 0.85:
        text = text.replace(" ", "，")
    return re.sub(r"\s+", " ", text).strip(" ，")


def _sentence(intent: str, pool: ModuleType, slots: dict[str, list[str]], rng: random.Random,
              tones: list[str]) -> str:
    core = rng.choice(pool.CORES[intent])
    grammar = getattr(pool, "GRAMMAR", {})
    if intent in grammar and rng.random() < 0.4:
        words, frames = grammar[intent]
        core = rng.choice(frames).replace("{V}", rng.choice(words)).replace("{O}", rng.choice(pool.MONEY))
    if intent == "other":
        return rng.choice(OTHER_LEADS) + " " + core + rng.choice(OTHER_TAILS)
    lead = rng.choice(pool.LEADS)
    if rng.random() < 0.08:  # an acknowledgement before the request: 好的 那我买五万
        lead = rng.choice(ACKS) + " " + lead
    if intent != "complaint" and rng.random() < TONE_RATE:
        # The act asked for is the label, whatever the tone around it: a product
        # question with a regulator threat stays a product question.
        tone = rng.choice(tones)
        return f"{tone} {core}" if rng.random() < 0.6 else f"{core} {tone}"
    return f"{lead} {core} {rng.choice(pool.TAILS)}".strip()


def generate(pool: ModuleType, slots: dict[str, list[str]], asr: dict[str, list[str]], fillers: list[str],
             per_intent: int, seed: int, tones: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for intent in pool.CORES:
        # One stream per intent: editing one intent's templates leaves the others' rows as they were.
        rng = random.Random(f"{seed}:{intent}")
        seen: set[str] = set()
        rows: list[str] = []
        tries = 0
        # ``other`` spans the most unrelated families (acks, names, life answers,
        # errands, branch logistics): more rows so each keeps its share.
        want = int(per_intent * OTHER_SCALE) if intent == "other" else per_intent
        while len(rows) < want and tries < want * 30:
            tries += 1
            text = _speech(_fill(_sentence(intent, pool, slots, rng, tones), slots, rng), rng, asr, fillers)
            if text and text not in seen:
                seen.add(text)
                rows.append(text)
        out[intent] = rows
    return out


def _write(folder: Path, corpus: dict[str, list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for intent, rows in corpus.items():
        (folder / f"{intent}.tsv").write_text("".join(f"{intent}\t{r}\n" for r in rows), encoding="utf-8")
        print(f"{folder.name}/{intent}.tsv: {len(rows)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-intent", type=int, default=900)
    ap.add_argument("--heldout-per-intent", type=int, default=200)
    args = ap.parse_args()
    _write(TRAIN_DIR, generate(pool_train, SLOTS_TRAIN, ASR_TRAIN, FILLERS_TRAIN, args.per_intent, seed=13,
                                    tones=TONES_TRAIN))
    held_asr = {k: ASR_HELDOUT.get(k, []) + v for k, v in ASR_TRAIN.items()} | ASR_HELDOUT
    _write(HERE / "heldout", generate(pool_heldout, SLOTS_HELDOUT, held_asr, FILLERS_HELDOUT,
                                      args.heldout_per_intent, seed=29, tones=TONES_HELDOUT))


if __name__ == "__main__":
    main()
