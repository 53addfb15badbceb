"""upsell/openings.py: which customer turns open an opportunity, and whether the agent took it."""

from __future__ import annotations

import pytest

from core.jsonio import to_json
from tests.qa.helpers import call
from upsell.openings import OPENING_TYPES, detect_openings, opening_cues


@pytest.mark.parametrize(("text", "kind"), [
    ("喂你好我那个李财下个月十五号到其了", "maturity"),
    ("我那笔存丹月底倒期", "maturity"),
    ("上次买的国债是不是快到期了", "maturity"),
    ("我卡里有二十万闲着没用", "idle_funds"),
    ("嗯手里有点闲钱不知道放哪", "idle_funds"),
    ("孩子明年上大学学费得准备", "education"),
    ("想给闺女存点留学的钱", "education"),
    ("我快退休了想规划一下养老", "retirement"),
    ("我和老伴考虑养劳的事", "retirement"),
    ("这收益也太低了", "yield_dissatisfaction"),
    ("那个鸡金亏了好多", "yield_dissatisfaction"),
    ("年终奖发了三十万", "large_inflow"),
    ("前两天刚到账了六十万", "large_inflow"),
    ("我想给家里老人配点保险", "protection_need"),
    ("万一生病了家里怎么办", "protection_need"),
])
def test_each_type_found_with_asr_errors(text: str, kind: str) -> None:
    assert kind in opening_cues(text)


@pytest.mark.parametrize("text", [
    "我身份证快到期了要换", "信用卡到期了新卡什么时候寄", "贷款到期了我要还款", "我不缺钱就是问问", "我没有什么闲钱",
    "收益还可以挺满意", "要是亏了怎么办", "最近收益是不是降了", "我要转五十万给我儿子", "保险起见我还是先不买",
    "我妈养老金到账了没", "孩子已经工作了不用操心", "我不是有闲钱是准备买房的", "这个功能我暂时不用",
    "我很意外你们这么快",
    "存款保险是什么意思", "还没到期呢我就问问",
])
def test_hard_negatives(text: str) -> None:
    assert opening_cues(text) == {}


# Expression families beyond the plain trigger words (own wording, with ASR noise).
@pytest.mark.parametrize(("text", "kind"), [
    ("我们家那二十万一直搁在卡上吃活期利息", "idle_funds"),
    ("开店的周转钱平时压在账上三十来万", "idle_funds"),
    ("攒下来的钱也没怎么花卡里有十几万了放哪儿比较好", "idle_funds"),
    ("钱在活期里晾了大半年了", "idle_funds"),
    ("那五万块我一时半会儿也用不着", "idle_funds"),
    ("别家给到三个多点你们才两个点", "yield_dissatisfaction"),
    ("存了一整年就赚了几百块钱", "yield_dissatisfaction"),
    ("放银行利息跑不赢物价越存越少", "yield_dissatisfaction"),
    ("这个鸡金一路往下跌我想割肉走人", "yield_dissatisfaction"),
    ("余额宝都比你们这高", "yield_dissatisfaction"),
    ("跟朋友开饭馆的分红下来了八十来万", "large_inflow"),
    ("我岳父给了我五十多万", "large_inflow"),
    ("厂子转让了钱下个月到", "large_inflow"),
    ("我那个封闭式的月底就开放了", "maturity"),
    ("那张存单下礼拜满三年", "maturity"),
    ("俩孩子一个读初二一个读五年级花钱的地方多", "education"),
    ("小子考上重点高中了以后花销大", "education"),
    ("五十好几的人了得为以后打算打算", "retirement"),
    ("老了不想拖累儿女", "retirement"),
    ("想给我爸买份防癌的险他身体不好有啥保险能给他买", "protection_need"),
])
def test_expression_families(text: str, kind: str) -> None:
    assert kind in opening_cues(text)


# Same trigger words, another meaning: service acts, questions, the rest of a position, a
# loss as proof of mis-selling, questionnaire answers, service (not returns) complaints.
@pytest.mark.parametrize(("text", "kind"), [
    ("我婆婆的退休金这个月怎么少了一百", "retirement"),
    ("我退休了想把代发工资的卡改成领退休金", "retirement"),
    ("个人养老金账户里的钱能不能提前支取", "retirement"),
    ("孩子交学费的那张卡被冻结了", "education"),
    ("我想给在外地读大学的儿子开张新卡打生活费", "education"),
    ("我的风险测评到期了在哪重新做", "maturity"),
    ("我想把存单的到期方式改成自动转存", "maturity"),
    ("赎回一部分剩下的继续放着吧", "idle_funds"),
    ("基金净值一直在一块下面趴着", "idle_funds"),
    ("你帮我查查这个基金亏了多少", "yield_dissatisfaction"),
    ("第五题我选能承受百分之二十以内的亏损", "yield_dissatisfaction"),
    ("你们推荐的产品亏了我要去投诉", "yield_dissatisfaction"),
    ("你们柜台服务太差了排队两小时", "yield_dissatisfaction"),
    ("赎二十万出来交学费到账要几天", "large_inflow"),
    ("那个立减金怎么还没到", "large_inflow"),
    ("我爸住院理赔的钱还没到账", "protection_need"),
])
def test_family_hard_negatives(text: str, kind: str) -> None:
    assert kind not in opening_cues(text)


def test_sound_alike_needs_one_swapped_character_outside_a_real_word() -> None:
    # ASR homophones (one character, not a word of its own) still meet the cue; 道期 is read
    # back as the term 到期 by the text layer's sound corrector (nlp/terms.py) before the cue
    # tables see it, so the cue quotes the term ...
    assert opening_cues("我那个理财下个月道期了")["maturity"] == "到期"
    assert "retirement" in opening_cues("想存点养捞的钱")
    assert "idle_funds" in opening_cues("卡里有点咸钱")
    # ... but real words that merely sound like a cue are read as themselves.
    for text in ("我想着周末去网点一趟", "那我继续持有吧", "境外汇款进来要怎么操作", "你们系统到底行不行",
                 "好嘞那先这样", "我想知道为啥这个月少了", "想放你们这先问问"):
        assert opening_cues(text) == {}, text


def test_taken_by_a_relevant_offer_with_agent_evidence() -> None:
    tr = call(("agent", "您好城东支行理财经理小王"), ("customer", "我那个理财下个月十号到期了三十万"),
              ("agent", "好的"), ("agent", "到期以后可以考虑转存我们的大额存单"))
    (op,) = detect_openings(tr)
    assert (op.type, op.segment, op.taken) == ("maturity", 1, True)
    assert op.take is not None and op.take.segment == 3 and op.take.kind == "offer" and "大额存单" in op.take.products
    assert op.entity("amount")[1].value == 300000.0  # type: ignore[index]
    assert op.entity("date")[1].value == {"month_offset": 1, "day": 10, "maturity": True}  # type: ignore[index]
    ev = to_json(op.record())["evidence"]
    assert ev["agent"]["segment"] == 3 and ev["customer"]["cue"] == "到期"  # type: ignore[index]


def test_missed_when_agent_only_answers_or_refuses() -> None:
    for reply in ("好的还有其他问题吗", "我们这边不能给您推荐产品", "到期后资金会自动回到您的活期账户"):
        (op,) = detect_openings(call(("customer", "我的定期下周到期"), ("agent", reply)))
        assert not op.taken, reply


def test_meeting_counts_as_taken() -> None:
    (op,) = detect_openings(call(("customer", "孩子明年要上大学了"), ("agent", "我帮您约个时间来网点聊聊教育金规划")))
    assert op.taken and op.take is not None and op.take.kind in ("meeting", "offer")


def test_offer_must_fit_the_opening_and_window_is_three_agent_turns() -> None:
    # An education offer answers the education opening, not the earlier maturity one.
    ops = detect_openings(call(("customer", "我的理财月底到期"), ("agent", "好的"),
                               ("customer", "孩子明年上大学学费得准备"), ("agent", "给您介绍一下教育年金保险")))
    assert {o.type: o.taken for o in ops} == {"maturity": False, "education": True}
    # A cover offer does not take a money opening.
    (op,) = detect_openings(call(("customer", "我卡里有二十万闲钱"), ("agent", "给您推荐一款重疾险")))
    assert not op.taken
    # The fourth agent turn is too late.
    late = call(("customer", "我卡里有二十万闲钱"), ("agent", "好的"), ("agent", "嗯"), ("agent", "您稍等"),
                ("agent", "给您推荐一款理财产品"))
    assert not detect_openings(late)[0].taken


def test_agent_words_and_plain_calls_raise_nothing() -> None:
    tr = call(("agent", "您好我们最近有教育金的讲座养老理财也卖得很好"), ("customer", "我想查一下余额"),
              ("agent", "好的您的余额是五千元"), ("customer", "好的谢谢"))
    assert detect_openings(tr) == ()
    assert detect_openings(call()) == ()


def test_repeated_mention_is_one_opening_and_date_from_next_customer_turn() -> None:
    tr = call(("customer", "我那个理财快到期了"), ("agent", "请问哪天到期"), ("customer", "三月二号到期吧"),
              ("agent", "好的"))
    (op,) = detect_openings(tr)
    assert op.segment == 0
    assert op.entity("date") is not None and op.entity("date")[0] == 2  # type: ignore[index]


def test_type_ids_are_fixed() -> None:
    assert OPENING_TYPES == ("maturity", "idle_funds", "education", "retirement", "yield_dissatisfaction",
                             "large_inflow", "protection_need")


@pytest.mark.parametrize("text", [
    "收益稳定风险低的有没有",          # 低 belongs to the risk
    "利率低的话我就不买了",            # a condition on a product not yet bought
    "孩子上学的事不用你们管",          # the customer closes the subject
])
def test_cue_words_that_are_no_opening(text: str) -> None:
    assert opening_cues(text) == {}


@pytest.mark.parametrize(("taken", "customer", "agent"), [
    (True, "孩子明年要出国读书了", "那可以提前准备一笔教育金，我们有专门的教育年金"),
    (True, "我担心以后生病没钱看", "我们有一款百万医疗险，每年几百块，保障挺全的"),
    (False, "孩子明年要出国读书了", "出国的话购汇额度每人每年五万美元"),
    (False, "我快退休了", "退休后工资卡可以改成收退休金的卡"),
    (False, "卡里有二十万放着没动", "您要是想转出的话，手机银行单日限额是五万"),
])
def test_taken_when_a_product_of_ours_is_named_for_the_need(taken: bool, customer: str, agent: str) -> None:
    ops = detect_openings(call(("customer", customer), ("agent", agent)))
    assert ops and ops[0].taken is taken


@pytest.mark.parametrize(("want", "text"), [
    (True, "存了三年才这么点利息"),
    (True, "这基金一直不涨"),
    (False, "养老金就那么点不够花"),        # a pension, not a return
    (False, "收益还行，我再续一期"),
])
def test_yield_too_small_or_not_rising(want: bool, text: str) -> None:
    assert ("yield_dissatisfaction" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "kind"), [
    # a held term coming round on a date, said with a bare 到
    ("我还有张存单下礼拜也到了", "maturity"),
    ("我那个理财是不是月底就到了呀", "maturity"),
    # a property sold, named by its measure word; a sale whose proceeds came in, whatever the sum
    ("上个月卖了套老房子", "large_inflow"),
    ("家里的牛卖了，钱已经到了", "large_inflow"),
    ("玉米卖掉了，钱打到卡上了，八万块", "large_inflow"),
    # money someone sent, or that will be shared out
    ("卡里那三十万是我闺女给我打的", "large_inflow"),
    ("老家的地征收了，大概六十多万，过阵子分下来", "large_inflow"),
    # a child going abroad to study, with the child a clause away
    ("我女儿现在才读高一，以后打算送她去澳洲读书", "education"),
    ("那笔钱是留给儿子的，他明年要去日本留学", "education"),
    ("我个孙下年去加拿大读大学", "education"),
    ("我一个人养全家，万一出点事老婆孩子咋办", "protection_need"),
    # the return belittled; a balance that shrinks as it is kept
    ("一年下来这点利息连电费都不够", "yield_dissatisfaction"),
    ("定期都比它强", "yield_dissatisfaction"),
    ("这钱越放越没意思", "yield_dissatisfaction"),
])
def test_openings_said_indirectly(text: str, kind: str) -> None:
    assert kind in opening_cues(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("我那个定期下个月到账吗", "maturity"),  # money arriving on the card, not a term
    ("我的身份证下个月就到了", "maturity"),
    ("我的理财这个月到期了咋比说的少", "maturity"),  # the returns paid, not money to place
    ("卖了点旧家具", "large_inflow"),
    ("这点利息什么时候到账", "yield_dissatisfaction"),
    ("这点利息无所谓", "yield_dissatisfaction"),
])
def test_indirect_forms_keep_their_exclusions(text: str, kind: str) -> None:
    assert kind not in opening_cues(text)
