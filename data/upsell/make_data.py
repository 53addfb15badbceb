"""Generate the labelled upsell dialogues: data/upsell/{dev,heldout,fresh,blind}.jsonl.

Each line: {"id", "turns": [[speaker, text], ...], "openings": [{"segment", "type",
"taken"}]}. Dialogues are short calls (greeting, the customer's words, one to three
agent replies, acknowledgements, a closing) written as ASR hands them over: no
punctuation mostly, fillers, homophone errors. Openings are taken (a relevant offer
or a meeting within the agent's next turns) or missed; a third of the dialogues
are hard negatives (身份证到期, 我不缺钱, agents talking about 教育金 unprompted).

The held-out, fresh and blind sets use their own phrase banks and their own ASR errors
(phrases.py); the detector was written against the dev set only (blind was written after
the last detector change and run once). Deterministic:

    python data/upsell/make_data.py [--n 500]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import phrases as ph  # noqa: E402  (a sibling data module, not a package)

SLOTS = {
    "P": ["理财", "理财产品", "定期", "大额存单", "基金", "国债", "结构性存款", "存款", "那个产品"],
    "A": ["五万", "十万", "二十万", "三十万", "五十万", "一百万", "20万", "50w", "八万块", "十几万", "两百万"],
    "B": ["二十万", "三十万", "五十万", "一百万", "50w", "十几万", "两百万", "八十万"],
    "D": ["下个月", "下周三", "月底", "这个月十五号", "明天", "年底", "下个月十号", "三月二号", "后天"],
    "N": ["1023", "A2068", "3571", "幺零二三"],
}
ASR_ERRORS = {
    "dev": {"理财": ["李财", "理才"], "基金": ["鸡金"], "到期": ["倒期", "到七"], "收益": ["收义"], "养老": ["养劳"],
            "存单": ["存丹"], "利息": ["利西"], "保险": ["保线"], "闲钱": ["咸钱"], "退休": ["退修"]},
    "heldout": {"理财": ["里财", "理材"], "基金": ["积金", "基经"], "到期": ["到其", "道期"], "利率": ["利绿"],
                "学费": ["学飞"], "重疾": ["重急"], "年终奖": ["年中奖"], "留学": ["流学"], "保障": ["保章"],
                "养老": ["养佬"], "定投": ["定头"]},
    "fresh": {"理财": ["理菜"], "基金": ["机金"], "到期": ["到奇"], "利息": ["利希"], "保险": ["保鲜"],
              "退休": ["退羞"], "年终奖": ["年终讲"], "存单": ["村单"]},
    "blind": {"理财": ["理彩"], "到期": ["到齐"], "收益": ["收亿"], "养老": ["氧老"], "保险": ["宝险"],
              "利息": ["利熄"], "定存": ["订存"], "存单": ["寸单"]},
}
FILLERS = {"dev": ["嗯", "那个", "就是说", "呃", "然后"], "heldout": ["啊", "这个这个", "怎么说呢", "嗯嗯", "就是"],
           "fresh": ["额", "那啥", "你知道吧", "唔", "就那个"], "blind": ["呃呃", "这样子", "我跟你说", "嗯那个", "就"]}


def fill(t: str, rng: random.Random) -> str:
    return re.sub(r"\{(\w)\}", lambda m: rng.choice(SLOTS[m.group(1)]), t)


def speech(text: str, rng: random.Random, split: str) -> str:
    """A clean sentence as ASR would hand it over."""
    errors = ASR_ERRORS[split]
    if rng.random() < 0.4:
        for k in [k for k in errors if k in text][:2]:
            text = text.replace(k, rng.choice(errors[k]), 1)
    if rng.random() < 0.4:  # a filler at the start or after a particle (never inside a word)
        cuts = [0] + [m.end() for m in re.finditer(r"[了的吧呢我啊]", text)]
        cut = rng.choice(cuts) if rng.random() < 0.4 else 0
        text = text[:cut] + rng.choice(FILLERS[split]) + text[cut:]
    if rng.random() < 0.25:
        text = rng.choice(["喂", "你好", "哎你好", "我想问一下", "是这样的"]) + text
    if rng.random() < 0.15:
        text += rng.choice(["啊", "呢", "吧", "哈"])
    return text


def _opening_turn(bank: dict[str, list[str]], kind: str | None, rng: random.Random) -> tuple[list[str], str]:
    if kind is None:  # sometimes a two-type template
        kind = rng.choice([k for k in bank if "+" in k])
    return kind.split("+"), rng.choice(bank[kind])


def dialogue(rng: random.Random, split: str, idx: int) -> dict[str, object]:
    pre = split.upper()
    openings_bank = getattr(ph, f"{pre}_OPENINGS")
    offers = getattr(ph, f"{pre}_OFFERS")
    misses = getattr(ph, f"{pre}_MISSES")
    negatives = getattr(ph, f"{pre}_NEGATIVES")
    noise = getattr(ph, f"{pre}_AGENT_NOISE")
    turns: list[list[str]] = []
    labels: list[dict[str, object]] = []

    def say(speaker: str, text: str) -> int:
        turns.append([speaker, speech(fill(text, rng), rng, split) if speaker == "customer" else fill(text, rng)])
        return len(turns) - 1

    if rng.random() < 0.7:
        say("agent", rng.choice(ph.GREETINGS))
    r = rng.random()
    n_open = 0 if r < 0.33 else 2 if r > 0.88 else 1
    if n_open == 0:
        say("customer", rng.choice(negatives))
        say("agent", rng.choice(noise + misses + offers["*"]))
        if rng.random() < 0.5:
            say("customer", rng.choice(negatives + ph.CUSTOMER_ACKS))
            say("agent", rng.choice(misses + noise))
    else:
        single = [k for k in openings_bank if "+" not in k]
        kinds = rng.sample(single, n_open)
        for kind in kinds:
            types, text = _opening_turn(openings_bank, None if rng.random() < 0.06 else kind, rng)
            seg = say("customer", text)
            taken = rng.random() < 0.5
            if taken:
                if rng.random() < 0.3:
                    say("agent", rng.choice(misses))
                    say("customer", rng.choice(ph.CUSTOMER_ACKS))
                pool = offers["*"] + [o for t in types for o in offers[t]]
                say("agent", rng.choice(pool))
            else:
                say("agent", rng.choice(misses))
                if rng.random() < 0.4:
                    say("customer", rng.choice(ph.CUSTOMER_ACKS))
                    say("agent", rng.choice(misses))
            labels += [{"segment": seg, "type": t, "taken": taken} for t in types]
            if rng.random() < 0.3:
                say("customer", rng.choice(ph.CUSTOMER_ACKS))
    if rng.random() < 0.6:
        say("agent", rng.choice(ph.CLOSINGS))
    return {"id": f"{split}-{idx:04d}", "turns": turns, "openings": labels}


def main() -> None:
    ap = argparse.ArgumentParser(description="generate data/upsell/{dev,heldout,fresh,blind}.jsonl")
    ap.add_argument("--n", type=int, default=500)
    args = ap.parse_args()
    for split, seed in (("dev", 11), ("heldout", 29), ("fresh", 47), ("blind", 83)):
        rng = random.Random(seed)
        rows = [dialogue(rng, split, i) for i in range(args.n)]
        with (HERE / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        n_open = sum(len(r["openings"]) for r in rows)  # type: ignore[arg-type]
        print(f"{split}: {len(rows)} dialogues, {n_open} openings")


if __name__ == "__main__":
    main()
