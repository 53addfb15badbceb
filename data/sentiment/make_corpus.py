"""Generate the sentiment corpus of customer utterances: data/sentiment/{train,heldout}/<label>.tsv.

    python data/sentiment/make_corpus.py [--per-label 1500] [--heldout-per-label 250]

Labels: negative / neutral / positive, one ``label<TAB>text`` per line. Customer
speech on bank calls: anger and polite complaints (说实话我挺失望的), sarcasm-light
(你们效率可真高 一个月都没办好), worry about losses, waiting, fees, card limits
(提额/降额/秒拒/下卡); praise, relief, thanks with content; neutral questions,
requests, facts, ritual thanks (好的谢谢), negated negatives (没什么不满意的, 不麻烦,
我不是要投诉) and hypothetical ones (亏了会怎么样). Pool A (train) and pool B
(heldout) are separate template sets; the held-out split is never trained on.
Deterministic: fixed seeds; rerun after editing and commit the output.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

SLOTS = {
    "X": ["服务", "态度", "效率", "app", "手机银行", "手续费", "利率", "额度", "收益", "客服", "流程", "网点",
          "你们经理", "这个产品", "办事速度", "提额", "审批", "系统", "电话客服", "柜台"],
    "P": ["理财", "基金", "信用卡", "存单", "定期", "贷款", "分期", "国债", "这张卡", "那个产品"],
    "A": ["五万", "两万块", "十几万", "三千", "好几万", "一万多", "二十万"],
    "T": ["半个小时", "一个礼拜", "半个月", "一个多月", "三天", "好几天", "两个月"],
    "I": ["太", "真", "特别", "非常", "好", "实在", "也太", "挺", "超级", "蛮"],
}
NEG_ADJ = ["差", "慢", "烂", "麻烦", "坑", "离谱", "过分", "差劲", "不靠谱", "难用", "不专业", "敷衍", "糟糕", "恶心",
           "黑", "高", "低", "难"]
POS_ADJ = ["好", "快", "方便", "专业", "耐心", "贴心", "靠谱", "划算", "给力", "周到", "清楚", "省心", "好用", "热情",
           "实惠", "稳"]

POOL_A: dict[str, list[str]] = {
    "negative": [
        "你们这{X}{I}{N}了", "{X}{I}{N}", "气死我了", "什么破银行", "{I}坑了", "简直离谱", "你们就是骗子",
        "说实话我挺失望的", "这样处理不太合适吧", "我觉得你们做得不太好", "有点不太满意", "不是很满意",
        "希望你们改进一下 {X}{I}{N}", "感觉不太靠谱", "体验不太好", "等了{T}了还没弄好", "打了好几次电话都没人管",
        "一直没人回我", "拖了{T}了", "亏了{A} 心里难受", "我现在很担心 {P}会不会没了", "愁得睡不着觉",
        "这可是我的养老钱啊 现在亏成这样", "你们可真行啊", "呵呵 真是好服务", "真是谢谢你们了 又让我白跑一趟",
        "你们效率可真高 {T}都没办好", "好一个稳健型 亏了这么多", "手续费这么高", "额度这么低 还不给提",
        "被降额了 莫名其妙", "提额太难了", "又是秒拒", "利息{I}高了", "一点都不专业", "根本不靠谱", "一点也不方便",
        "没有一点诚意", "从来没见过这么差的", "我要投诉你们", "再不解决我就打12378", "凭什么扣我钱",
        "乱收费", "你们这{P}就是坑人的", "当初说不会亏 现在亏了{A}", "我很生气", "烦死了", "真是无语",
        "服务态度{I}差", "这么简单的事办了{T}", "我对{X}很有意见", "每次来都要排很久", "{P}{I}难办了",
        "办个{P}要跑好几趟", "你们推来推去的", "说好的事又变卦", "我后悔买了这个{P}", "早知道就不买了",
        "心里{I}不舒服", "这让我很寒心", "你们{X}一点都不{M}", "{X}不太{M}", "{X}一直不{M}",
        "越来越差了", "别的银行早就批了 你们还拖着", "还不如别家", "{P}年费还乱扣", "{I}让人失望了",
    ],
    "neutral": [
        "我想问下{P}的利率", "帮我查下余额", "提额要多久", "额度怎么提", "怎么申请{P}", "我是去年办的卡",
        "额度五万", "账单日是五号", "好的谢谢", "嗯好的再见", "行 知道了", "没什么不满意的", "也没啥问题",
        "不麻烦", "不着急 你慢慢查", "我不是要投诉 就问问", "不用担心", "亏了会怎么样", "如果不满意可以退吗",
        "会不会被扣手续费", "你们有没有被投诉过", "我想把{P}赎回{A}", "我要买{A}的{P}", "{P}到期了",
        "我在上班 晚点说", "你说吧", "嗯嗯", "对 是我本人", "手机号是幺三八零零幺二三四五六", "我考虑一下",
        "{P}起投多少", "{P}风险高吗", "收益怎么算", "我的{P}现在多少钱了", "明天去网点办", "能不能分期",
        "{P}怎么还款", "利息是多少", "我想改个密码", "卡丢了要挂失", "有什么活动吗", "我测评是稳健型",
        "能提前取吗", "要带身份证吗", "我想了解一下{P}", "那我回去跟家里商量一下", "下个月再说吧",
        "嗯 你继续说", "刚才没听清", "是 我知道", "这个{X}跟以前一样吗", "一般般吧", "还行吧 凑合",
        "没有不满意", "也不算差", "没觉得麻烦", "手续费多少", "最低还款是多少", "审批一般要几天",
        "{X}怎么样", "我用的是{P}", "上个月刚办的", "好的 谢谢你啊", "谢谢 再见", "我年纪大了 亏钱的我可不要",
        "风险高的我不买", "会亏的那种我不要", "我不想担风险", "太麻烦的话我就不办了", "要是不行就算了",
        "我怕亏 有没有稳一点的", "额度低一点也没关系",
    ],
    "positive": [
        "你讲得真清楚", "小姑娘服务态度真好", "太好了 总算办好了", "挺满意的", "你们这挺方便的",
        "那太谢谢你了 帮了大忙", "收益还可以 挺不错", "办得挺快的", "下卡了 开心", "提额了 好开心", "秒批 太爽了",
        "你们的app挺好用", "利率挺划算的", "你很专业", "你真有耐心", "这下放心多了", "一点都不麻烦 很方便",
        "没想到这么快", "那我就放心了", "这下踏实了", "{X}{I}{G}了", "你们{X}{I}{G}", "{X}真不错",
        "给你点个赞", "服务{I}到位了", "比别的银行强多了", "以后还找你", "我会推荐朋友来的", "这个{P}{I}值了",
        "收益比我想的高", "额度给得挺高", "{P}赚了不少 高兴", "谢谢你这么耐心给我讲", "你们经理人真好",
        "问题解决了 谢谢啊", "{X}{I}让人满意了", "非常满意", "很满意 谢谢", "体验很好", "速度很快 赞",
        "下款挺快", "{X}挺{G}的", "办事效率高", "你说得很明白 我懂了 谢谢", "这个{P}不错", "好评",
        "确实好用", "很靠谱", "太贴心了", "辛苦你了 服务真好", "你们{X}一点都不{N}",
    ],
}
POOL_B: dict[str, list[str]] = {
    "negative": [
        "你们这办事效率让人着急", "我真的很不爽", "都几天了还没消息", "又让我等", "这算什么事啊", "我很失望",
        "你们太不负责任了", "一点用都没有", "钱亏了一大截", "我很焦虑", "客服一直踢皮球", "不想再用你们的{P}了",
        "太差劲了", "你们{X}真的很一般 还贵", "收费不透明", "说的跟做的不一样", "你们这{X}实在不行",
        "好嘛 又是这个说法", "真服了你们", "拒了又拒", "额度给得可怜", "怎么还扣钱了", "不满意 很不满意",
        "体验很差", "我再也不来了", "一肚子火", "想起来就来气",
    ],
    "neutral": [
        "我就是问一下", "这个月账单多少", "能帮我看下额度吗", "理财到期了转哪里", "明白了", "好的 那先这样",
        "没问题", "我没有不满", "不算什么事", "假如亏了能赔吗", "要是提前取会扣钱吗", "嗯 那你帮我查一下",
        "基金净值多少", "我想咨询下贷款", "下午过去", "我是本人", "电话是多少", "那就按流程走", "我没意见",
        "谈不上满意不满意", "看情况吧", "还没决定", "什么时候到账", "我再对比一下", "{P}利率多少",
    ],
    "positive": [
        "讲得很透彻 谢谢", "你们的人挺负责的", "这次办得很顺利", "额度一下子提了 惊喜", "真是帮大忙了",
        "我很开心", "很感谢你们经理", "你们这效率我服", "太棒了", "好用 推荐", "这服务没得说", "非常专业 很放心",
        "利率比别家高 划算", "收益稳稳的 挺好", "一次就批了 高兴", "态度很好 很耐心", "满意 满意",
        "你解释得我一下就明白了", "下次还来", "很顺心", "不错不错 挺好的", "真靠谱", "点赞",
    ],
}
FILLERS = ["嗯", "那个", "就是", "呃", "哎", "哎呀", "我跟你说", "说实话"]
ASR = {"理财": "李财", "基金": "鸡金", "投诉": "头诉", "额度": "鹅度", "收益": "收意", "满意": "满义", "专业": "专页"}


def _fill(t: str, rng: random.Random) -> str:
    def slot(m: re.Match[str]) -> str:
        k = m.group(1)
        if k == "N":
            return rng.choice(NEG_ADJ)
        if k in ("G", "M"):
            return rng.choice(POS_ADJ)
        return rng.choice(SLOTS[k])

    return re.sub(r"\{(\w)\}", slot, t)


def _speech(text: str, rng: random.Random) -> str:
    if rng.random() < 0.2:
        for a, b in ASR.items():
            if a in text and rng.random() < 0.5:
                text = text.replace(a, b)
    if rng.random() < 0.3:
        text = rng.choice(FILLERS) + " " + text
    if rng.random() < 0.15:
        text += rng.choice(["啊", "呢", "吧", "哈", "嘛", "呀"])
    r = rng.random()
    if r < 0.6:
        text = text.replace(" ", "")
    elif r < 0.8:
        text = text.replace(" ", "，") + rng.choice(["", "。", "！", "？"])
    return text.strip()


def generate(pool: dict[str, list[str]], per_label: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    out: dict[str, list[str]] = {}
    for label, templates in pool.items():
        seen: set[str] = set()
        rows: list[str] = []
        tries = 0
        while len(rows) < per_label and tries < per_label * 30:
            tries += 1
            text = _speech(_fill(rng.choice(templates), rng), rng)
            if text not in seen:
                seen.add(text)
                rows.append(text)
        out[label] = rows
    return out


def _write(folder: Path, corpus: dict[str, list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for label, rows in corpus.items():
        (folder / f"{label}.tsv").write_text("".join(f"{label}\t{r}\n" for r in rows), encoding="utf-8")
        print(f"{folder.name}/{label}.tsv: {len(rows)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-label", type=int, default=1500)
    ap.add_argument("--heldout-per-label", type=int, default=250)
    args = ap.parse_args()
    _write(HERE / "train", generate(POOL_A, args.per_label, seed=7))
    _write(HERE / "heldout", generate(POOL_B, args.heldout_per_label, seed=11))


if __name__ == "__main__":
    main()
