"""Generate the labelled QA dialogues: data/qa/{dev,heldout,hard}.jsonl.

    python data/qa/generate.py            # deterministic (seeded)

Each line: {"id", "split", "channels", "meta", "segments": [{speaker, start, end, text}],
"labels": {rule_id: "pass" | "fail" | "na"}}. Labels come from how the dialogue was
built (which phrases were chosen), not from running the rules. ``dev`` uses the
first phrase bank of every pair, ``heldout`` the second (different wording); both
get ASR-style noise: homophones (李财, 鸡金, 定头, 保笨), dropped punctuation,
fillers (嗯/那个/就是说), a few Traditional characters. ``hard`` holds hand-written
hard negatives (customers saying 保本, agents saying 不保本 ...), each in a clean
and a noisy form.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import phrases as P

OUT = Path(__file__).resolve().parent
BANKS = ["招商银行", "工商银行", "建设银行", "平安银行", "浦发银行", "兴业银行", "中信银行", "交通银行"]
BRANCHES = ["城东支行", "高新区支行", "中山路支行", "营业部", "滨江支行"]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"]
GIVEN = ["敏", "洋", "静", "磊", "婷", "强", "芳", "杰"]
CTYPES = {1: "保守型", 2: "稳健型", 3: "平衡型", 4: "成长型", 5: "进取型"}
R_WORDS = {1: "低风险", 2: "中低风险", 3: "中风险", 4: "中高风险", 5: "高风险"}
HOMOPHONES = {
    "理财": ["李财", "理才"], "基金": ["鸡金", "基今"], "定投": ["定头"], "保本": ["保笨", "宝本"],
    "风险": ["疯险", "风显"],
    "收益": ["收义"], "工号": ["公号", "工好"], "您好": ["你好", "宁好"], "测评": ["侧评"], "赎回": ["书回"],
    "验证": ["验正"], "存款": ["村款"], "稳赚": ["稳转"], "身份": ["深份"], "账户": ["帐户"], "谨慎": ["紧慎"],
}
TRAD = str.maketrans({"银": "銀", "险": "險", "财": "財", "产": "產", "证": "證", "这": "這", "问": "問", "题": "題"})
FILLERS = ["嗯", "那个", "就是说", "呃", "然后", "就是"]
RULES = ("greeting", "identity_verification", "closing", "courtesy", "risk_disclosure", "suitability",
         "forbidden_promise", "long_silence", "overtalk", "speech_rate")


class Builder:
    def __init__(self, rng: random.Random, side: int) -> None:
        self.rng, self.side = rng, side
        self.turns: list[list[Any]] = []  # [speaker, text, gap_before]
        s = rng.choice(SURNAMES)
        self.vars = {"bank": rng.choice(BANKS), "branch": rng.choice(BRANCHES), "surname": s,
                     "name": rng.choice(["小", s]) + rng.choice(GIVEN), "id": str(rng.randint(1000, 99999)),
                     "time": rng.choice(["早上", "上午", "下午", "晚上"])}

    def pick(self, bank: P.Bank, **extra: str) -> str:
        return self.rng.choice(bank[self.side]).format(**{**self.vars, **extra})

    def say(self, speaker: str, bank: P.Bank | str, **extra: str) -> None:
        text = bank if isinstance(bank, str) else self.pick(bank, **extra)
        self.turns.append([speaker, text, self.rng.uniform(0.3, 1.5)])


def noisy(rng: random.Random, text: str, level: float) -> str:
    for word, alts in HOMOPHONES.items():
        if word in text and rng.random() < level:
            text = text.replace(word, rng.choice(alts))
    if rng.random() < level * 0.5:
        parts = re.split(r"(，)", text)
        k = rng.randrange(0, len(parts) + 1, 2) if len(parts) > 1 else 0
        parts.insert(k, rng.choice(FILLERS))
        text = "".join(parts)
    if rng.random() < 0.6 * level + 0.2:
        text = re.sub(r"[，。？！,?!]", "" if rng.random() < 0.7 else " ", text)
    if rng.random() < 0.05:
        text = text.translate(TRAD)
    return text


def dialogue(rng: random.Random, side: int, idx: int) -> dict[str, Any]:
    b = Builder(rng, side)
    lab = {r: "pass" for r in RULES}
    lab["identity_verification"] = lab["risk_disclosure"] = lab["suitability"] = "na"
    good_greet = rng.random() < 0.75
    b.say("agent", P.GREET_OK if good_greet else P.GREET_BAD)
    lab["greeting"] = "pass" if good_greet else "fail"
    scenario = rng.choices(["product", "account", "general", "complaint"], [45, 25, 15, 15])[0]
    rude = rng.random() < 0.2
    if scenario == "product":
        b.say("customer", P.CUST_OPEN_PRODUCT)
        # Reading the customer's assessment out of the records is account data: identity first.
        verified = rng.random() < 0.5
        if verified:
            b.say("agent", P.VERIFY)
            b.say("customer", P.CUST_VERIFY_ANSWER)
        if rng.random() < 0.4:
            b.say("customer", P.CUST_PROMISE_TALK)
        c = rng.randint(1, 4)
        mismatch = rng.random() < 0.15
        r = rng.randint(c + 1, 5) if mismatch else rng.randint(1, c)
        lv = {"c": f"C{c}", "ctype": CTYPES[c], "r": rng.choice([f"R{r}", R_WORDS[r]])}
        assess = mismatch or rng.random() < 0.7
        if assess and not mismatch and rng.random() < 0.5:
            b.say("agent", P.ASSESS, **lv)
        offer = P.RECOMMEND if rng.random() < 0.7 else P.RECOMMEND_MORE
        b.say("agent", offer, product=rng.choice(P.PRODUCTS[side]), **lv)
        if rng.random() < 0.5:
            b.say("customer", P.CUST_ACK)
        if mismatch:
            b.say("agent", P.MISMATCH, **lv)
        elif assess and len([t for t in b.turns if t[1] in P.ASSESS[side]]) == 0:
            b.say("agent", P.ASSESS, **lv)
        disclose = rng.random() < 0.7
        promise = rng.random() < 0.25
        if disclose:
            b.say("agent", P.DISCLOSURE)
        if promise:
            b.say("customer", P.CUST_ACK)
            b.say("agent", P.PROMISE if rng.random() < 0.6 else P.PROMISE_MORE)
        elif disclose and rng.random() < 0.4:
            b.say("agent", P.NOT_PROMISE)
        lab["risk_disclosure"] = "pass" if disclose else "fail"
        lab["suitability"] = "pass" if assess and not mismatch else "fail"
        lab["forbidden_promise"] = "fail" if promise else "pass"
        # Only the assessment / mismatch lines state the customer's level (a 稳健型理财 is a product).
        level_lines = {x.format(**{**b.vars, **lv}) for x in P.ASSESS[side] + P.MISMATCH[side]}
        reads_level = any(t[0] == "agent" and t[1] in level_lines and (lv["c"] in t[1] or lv["ctype"] in t[1])
                          for t in b.turns)
        lab["identity_verification"] = "pass" if verified else ("fail" if reads_level else "na")
    elif scenario == "account":
        b.say("customer", P.CUST_OPEN_ACCOUNT)
        mode = rng.choices(["before", "after", "none"], [65, 15, 20])[0]
        if mode == "before":
            b.say("agent", P.VERIFY)
            b.say("customer", P.CUST_VERIFY_ANSWER)
        if rng.random() < 0.3:
            b.say("agent", P.HOLD)
            b.turns.append(["agent", b.pick(P.DISCLOSE_ACCOUNT), rng.uniform(11, 25)])
        else:
            b.say("agent", P.DISCLOSE_ACCOUNT if rng.random() < 0.7 else P.DISCLOSE_MORE)
        if mode == "after":
            b.say("customer", P.CUST_ACK)
            b.say("agent", P.VERIFY)
        lab["identity_verification"] = "pass" if mode == "before" else "fail"
    elif scenario == "general":
        b.say("customer", P.CUST_OPEN_GENERAL)
        b.say("agent", P.AGENT_GENERAL_ANSWER)
    else:
        b.say("customer", P.CUST_COMPLAINT)
        if rng.random() < 0.5:
            b.say("agent", P.POLITE_HARD)
        if rng.random() < 0.3:
            b.say("customer", P.CUST_PROMISE_TALK)
            b.say("agent", P.FILLER_AGENT)
    for _ in range(rng.randint(1, 4)):
        b.say("customer", P.CUST_ACK if rng.random() < 0.7 else P.CUST_COMPLAINT)
        b.say("agent", P.FILLER_AGENT if rng.random() < 0.7 else P.POLITE_HARD if rng.random() < 0.5 else P.POLITE_MORE)
    if rude:
        b.say("customer", P.CUST_COMPLAINT)
        b.say("agent", P.RUDE if rng.random() < 0.5 else P.RUDE_MORE)
        lab["courtesy"] = "fail"
    closing = rng.random() < 0.8
    b.say("agent", P.CLOSING if closing else P.NO_CLOSING)
    lab["closing"] = "pass" if closing else "fail"
    if rng.random() < 0.4:
        b.say("customer", rng.choice(["好的再见", "嗯拜拜", "谢谢", "好"]))
    return finish(rng, b, lab, f"{['dev', 'heldout'][side]}-{idx:04d}", ["dev", "heldout"][side])


def finish(rng: random.Random, b: Builder, lab: dict[str, str], did: str, split: str) -> dict[str, Any]:
    level = rng.choice([0.0, 0.3, 0.6])
    channels = 2 if rng.random() < 0.85 else 1
    rate_kind = rng.choices(["normal", "fast", "slow"], [80, 10, 10])[0]
    agent_cpm = {"normal": rng.uniform(190, 290), "fast": rng.uniform(380, 460),
                 "slow": rng.uniform(70, 100)}[rate_kind]
    texts = [noisy(rng, t[1], level) for t in b.turns]
    # A long unannounced gap before an agent reply (dead air), or a customer's own pause.
    silence = rng.random() < 0.15
    silence_at = -1
    if silence:
        cand = [i for i in range(1, len(b.turns)) if b.turns[i][0] == "agent" and b.turns[i - 1][0] == "customer"]
        if cand:
            silence_at = rng.choice(cand)
            b.turns[silence_at][2] = rng.uniform(11, 30)
        else:
            silence = False
    if rng.random() < 0.1:
        cand = [i for i in range(1, len(b.turns)) if b.turns[i][0] == "customer"]
        b.turns[rng.choice(cand)][2] = rng.uniform(11, 20)
    segs: list[dict[str, Any]] = []
    t = rng.uniform(0.2, 1.0)
    for (spk, _, gap), text in zip(b.turns, texts, strict=True):
        t += gap if segs else 0.0
        n = len(re.findall(r"[\u4e00-\u9fff0-9a-zA-Z]", text))
        cpm = agent_cpm if spk == "agent" else rng.uniform(180, 280)
        dur = max(0.6, n / cpm * 60)
        segs.append({"speaker": spk, "start": round(t, 2), "end": round(t + dur, 2), "text": text})
        t += dur
    lab["long_silence"] = "fail" if silence else "pass"
    agent_speech = sum(s["end"] - s["start"] for s in segs if s["speaker"] == "agent" and s["end"] - s["start"] >= 1.5)
    n_agent = sum(1 for s in segs if s["speaker"] == "agent")
    lab["speech_rate"] = "na" if n_agent < 3 or agent_speech < 20 else ("pass" if rate_kind == "normal" else "fail")
    lab["overtalk"] = "na" if channels < 2 else "pass"
    cand = [i for i in range(1, len(segs)) if segs[i]["speaker"] == "agent" and segs[i - 1]["speaker"] == "customer"
            and segs[i - 1]["end"] - segs[i - 1]["start"] > 3.2 and segs[i]["end"] - segs[i]["start"] > 3.0
            and i != silence_at and b.turns[i][2] < 5]
    if channels == 2 and cand and rng.random() < 0.3:
        i = rng.choice(cand)
        big = rng.random() < 0.6
        prev_len = segs[i - 1]["end"] - segs[i - 1]["start"]
        ov = rng.uniform(2.3, min(3.0, prev_len - 0.2)) if big else rng.uniform(0.2, 1.2)
        shift = segs[i]["start"] - (segs[i - 1]["end"] - ov)
        for s in segs[i:]:
            s["start"], s["end"] = round(s["start"] - shift, 2), round(s["end"] - shift, 2)
        if big:
            lab["overtalk"] = "fail"
    return {"id": did, "split": split, "channels": channels, "meta": {"direction": rng.choice(["inbound", "outbound"])},
            "segments": segs, "labels": lab}


def hard_negatives() -> list[dict[str, Any]]:
    """Hand-written: each must NOT fail forbidden_promise (nor courtesy)."""
    lines = [
        [("customer", "你们这个理财保本吗"), ("agent", "这款是净值型产品，不保本的，收益会有波动")],
        [("customer", "我只买保本的"), ("agent", "明白，那我给您看看大额存单，存款是保本保息的")],
        [("agent", "这个产品我们不能保证收益，也不承诺保本")],
        [("agent", "如果您想要保本的话，建议您选择定期存款")],
        [("agent", "您说的保本理财现在已经没有了，资管新规以后都是净值型的")],
        [("agent", "稳赚不赔的产品是不存在的，您要理性看待")],
        [("agent", "谁跟您说零风险的，投资都是有风险的")],
        [("customer", "上次那个经理跟我说稳赚不赔的"), ("agent", "这个说法是不对的，我们不能这么承诺")],
        [("agent", "这个不是保本产品，最坏的情况本金也可能亏损")],
        [("agent", "我们没办法保证您一定赚钱，历史业绩不代表未来")],
        [("customer", "能不能保证不亏"), ("agent", "这个真保证不了，市场有波动")],
        [("agent", "您是想找保本的产品是吧，那基金就不太适合您了")],
        [("agent", "大额存单受存款保险保护，本金是安全的")],
        [("agent", "要是追求零风险，那就只能存银行了")],
        [("customer", "稳赚吗"), ("agent", "不能这么说，它是有风险的")],
        [("agent", "很多客户以为理财保本，其实并不是，理财非存款")],
        [("agent", "不存在绝对安全的投资产品")],
        [("customer", "我就怕亏本，最好是保本保收益的"), ("agent", "理解，那您可以先看看存款类的")],
        [("agent", "这只基金不会保证收益，业绩基准只是参考")],
        [("agent", "我不能跟您说肯定赚，这个要看市场")],
        [("agent", "没有哪个产品敢说一定不亏的")],
        [("agent", "以前的保本理财到今年年底就全部退出了")],
        [("customer", "你上次说保本的现在怎么亏了"), ("agent", "先生我们当时没有说过保本，合同上也写了非保本浮动收益")],
        [("agent", "您有没有看过风险揭示书，上面写着不保本")],
        [("agent", "这个产品是非保本浮动收益型的，请您知悉")],
    ]
    out = []
    rng = random.Random(7)
    for k, turns in enumerate(lines):
        for variant in ("clean", "asr"):
            segs, t = [], 0.5
            for spk, text in turns:
                if variant == "asr":
                    text = noisy(rng, text, 1.0)
                d = max(1.0, len(text) / 4.5)
                segs.append({"speaker": spk, "start": round(t, 2), "end": round(t + d, 2), "text": text})
                t += d + 0.6
            out.append({"id": f"hard-{k:02d}-{variant}", "split": "hard", "channels": 2, "meta": {},
                        "segments": segs, "labels": {"forbidden_promise": "pass", "courtesy": "pass"}})
    return out


def main() -> None:
    for side, name, n in ((0, "dev", 400), (1, "heldout", 400)):
        rng = random.Random(1000 + side)
        rows = [dialogue(rng, side, i) for i in range(n)]
        (OUT / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    rows = hard_negatives()
    (OUT / "hard.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


if __name__ == "__main__":
    main()
