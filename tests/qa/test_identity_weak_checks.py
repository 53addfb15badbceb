"""identity_verification: what counts as a check, and what touches the customer's own account.

A card's or account's last digits asked to look the account up (您报一下卡号后四位我查一下)
open the records without checking who is calling; asked as a check (先核实一下，请说资金账号
后六位) they are one. Sound-alikes of the account words (合适 for 核实, 具体额度 for 提额) and
rules or how-tos (分红到账的时候 / 如果预留手机号换了) touch nobody's account; a case the
customer filed earlier or a policy they took (您上周申请的提额 / 您领了一份意外险) does.
"""

from __future__ import annotations

import pytest

from tests.qa.helpers import identity_of


def _verdict(*turns: tuple[str, str]) -> str:
    applicable, passed = identity_of(*turns)
    return "na" if not applicable else ("pass" if passed else "fail")


@pytest.mark.parametrize("ask", [
    "好的，您报一下卡号后四位我查一下",
    "您卡号后四位是多少？",
    "您存折的账号或者卡号后几位有吗？",
])
def test_card_digits_asked_to_look_the_account_up_are_no_check(ask: str) -> None:
    turns = (("customer", "我那个日日盈放了两万块，怎么一个月才十几块钱收益"), ("agent", ask),
             ("customer", "四四九一"), ("agent", "好的，看到了，您那个日日盈两万块一个月大概十七块左右，是正常的"))
    assert _verdict(*turns) == "fail"


@pytest.mark.parametrize("ask", [
    "先核实一下，请说资金账号后六位",
    "为了核实您的身份，请报一下卡号后四位",
    "麻烦报一下身份证后四位",
])
def test_digits_asked_as_a_check_are_one(ask: str) -> None:
    turns = (("customer", "我那个日日盈放了两万块，怎么一个月才十几块钱收益"), ("agent", ask),
             ("customer", "四四九一"), ("agent", "好的，看到了，您那个日日盈两万块一个月大概十七块左右，是正常的"))
    assert _verdict(*turns) == "pass"


def test_a_birth_date_asked_to_verify_is_a_check() -> None:
    assert _verdict(("customer", "你好，我这个月账单一万八，想分期"), ("agent", "好的，核实一下，您的出生日期是？"),
                    ("customer", "1994年3月8号"),
                    ("agent", "好的，您本期账单一万八千二，可以分3、6、12期")) == "pass"


@pytest.mark.parametrize(("customer", "agent"), [
    # 合适 (he shi) sounds like 核实: advice on suitable products checks and reads nothing
    ("我卡里有二十来万，一直没动过，我是不是得先测一下才知道能买啥？",
     "对的，建议您先做测评。做完以后我可以帮您约理财经理，按您的等级给您讲几个合适的产品"),
    # 具体额度 holds 体额, which sounds like 提额
    ("你们那个账单分期和金闪贷有什么区别？",
     "金闪贷年化利率大概在6%到12%之间，需要您在APP上申请才能看到具体额度和利率"),
    # when dividends arrive, as a rule
    ("股票分红为啥还扣税啊？",
     "红利税是按持股时间算的，分红到账的时候先不扣，等卖出的时候再算"),
    # a how-to for a changed phone, no request for it
    ("我手机银行密码输错被锁了怎么办？",
     "您可以在登录页面点忘记密码重新设置；如果预留手机号已经换了，就需要本人带身份证到网点办理"),
])
def test_rules_and_sound_alikes_touch_no_account(customer: str, agent: str) -> None:
    assert _verdict(("customer", customer), ("agent", agent)) == "na"


@pytest.mark.parametrize("fact", [
    "您上个月反映的分期提前还款手续费的问题，今天想跟您做个回访",
    "您之前在我们公众号领了一份免费的意外险，今天给您做个回访",
])
def test_the_customers_earlier_business_needs_a_check(fact: str) -> None:
    assert _verdict(("agent", fact), ("customer", "哦，你说")) == "fail"
    assert _verdict(("agent", "麻烦报一下身份证后四位"), ("customer", "二二零九"), ("agent", fact),
                    ("customer", "哦，你说")) == "pass"


def test_the_complaint_being_made_is_no_earlier_business() -> None:
    assert _verdict(("customer", "你们APP老是闪退，烦死了"),
                    ("agent", "非常抱歉，您反映的这个问题我们会反馈给技术部门")) == "na"


@pytest.mark.parametrize(("customer", "agent"), [
    # money described to ask about a product: the figures that answer are the product's
    ("你好，我工资卡里每个月都剩一万多，想放到你们那个现金管理的理财里，跟余额宝有什么区别啊？",
     "我们的现金管理类理财T+0快赎每天额度一万，其余T+1到账"),
    # what a fund's 万份收益 means is nobody's gain
    ("七日年化和万份收益是什么意思？",
     "万份收益是每一万份昨天赚了多少钱。按万份收益0.57算，一万块一天大概五毛七"),
])
def test_product_questions_about_the_customers_money_touch_no_account(customer: str, agent: str) -> None:
    assert _verdict(("customer", customer), ("agent", agent)) == "na"


def test_a_bare_phone_number_is_no_check() -> None:
    request = ("customer", "你好，我想查一下我卡里的余额")
    fact = ("agent", "好的，您卡里余额是两万三千元")
    assert _verdict(request, ("agent", "您的手机号是多少？"), ("customer", "13910275548。"), fact) == "fail"
    assert _verdict(request, ("agent", "请报一下您注册的手机号"), ("customer", "13910275548。"), fact) == "pass"
    assert _verdict(request, ("agent", "请报一下您的姓名和手机号"), ("customer", "王丽 13910275548。"), fact) == "pass"


def test_a_whole_account_number_asked_as_a_check_is_one() -> None:
    request = ("customer", "我中了一签可转债，今天上市怎么跌了")
    fact = ("agent", "好的，看到了，您那只转债现在是九十八块，浮亏二十块")
    assert _verdict(request, ("agent", "您先报下资金账号我核实一下"), ("customer", "四幺零幺 八八三二 零七"),
                    fact) == "pass"
    # the other party's number, or a warning not to give one, is none
    assert _verdict(request, ("agent", "您说一下对方账号，我核实一下"), ("customer", "四幺零幺 八八三二 零七"),
                    fact) == "fail"
    assert _verdict(request, ("agent", "为了您的安全，您别提供身份证和银行卡信息，号码可以告诉我们备案"),
                    ("customer", "零五三幺 开头的座机"), fact) == "fail"


def test_the_customers_words_restated_read_nothing_out() -> None:
    said = ("customer", "我爸上个月去你们网点取定期，回来拿了一堆纸，我一翻是个保险合同")
    assert _verdict(said, ("agent", "先生您别急，您说的是您父亲在我们网点办了一份保险，是吗？"),
                    ("customer", "对")) == "na"
    # a lookup of what they named is still one
    assert _verdict(("customer", "我昨天转了三万块钱给我弟弟，到现在都没到"),
                    ("agent", "您说的那笔我看一下啊，是转到外行那个卡吧，显示的是处理中")) == "fail"


def test_what_is_no_fact_of_the_customers() -> None:
    # an order (从您第一笔交易开始算), a poor deal (放活期太亏了), the customer's words restated
    # (您说您平时买过基金，大概是C3左右): nothing read out of the records
    assert _verdict(("customer", "那半年是从哪天开始算？"), ("agent", "从您第一笔交易开始算。")) == "na"
    assert _verdict(("customer", "拆迁款下个月能下来，得有四十来万"),
                    ("agent", "那么大一笔，放活期太亏了，到时候您来网点看看大额存单")) == "na"
    assert _verdict(("customer", "我在你们这儿没开过户，能买吗？"),
                    ("agent", "需要先在App开户，您说您平时买过基金，大概是C3左右，R1的货基没问题")) == "na"


def test_holdings_assets_and_adjustments_are_account_business() -> None:
    # read out without a check: fail
    assert _verdict(("customer", "嗯 你好"),
                    ("agent", "赵阿姨 您在我们这边 金融资产 有八十多万 是我们的金卡客户")) == "fail"
    assert _verdict(("customer", "我问问我那个理财收益咋这么少"),
                    ("agent", "嗯 您这款 鑫益 季度收益 是 四百二十块")) == "fail"
    assert _verdict(("customer", "单笔二十万，一天三十万吧。"),
                    ("agent", "已经帮您调整好了，单笔二十万，日累计三十万，七天后自动恢复。")) == "fail"


def test_a_check_the_system_made_is_one() -> None:
    # a face scan at a machine, a login the call came from
    assert _verdict(("customer", "我取钱，存折取两千"), ("agent", "您把存折放这里，然后看着这个屏幕刷个脸"),
                    ("customer", "看这里是吧"), ("agent", "对，好了，人脸识别通过了，您输入取款金额两千")) == "pass"
    assert _verdict(("customer", "我从App转过来的，想问一下我持有的那几只基金现在亏了多少"),
                    ("agent", "好的，您是从App登录后转人工的，身份已经通过App验证了。"
                              "我看到您持有三只基金，合计亏损两万元")) == "pass"
    # how a sign-up goes checks nobody now
    assert _verdict(("customer", "开户要多久？"), ("agent", "线上十分钟，上传身份证、人脸识别就行。")) == "na"


def test_another_holders_data_or_none_recalled_is_no_check() -> None:
    bill = ("agent", "好的。您这张卡本期账单五千二百八十元，可以分三、六、十二期。")
    assert _verdict(("customer", "我想把这个月的账单分期"), ("agent", "好的，请提供一下持卡人姓名和身份证号码。"),
                    ("customer", "持卡人是我妈，杨春梅，身份证520102197408163323。"), bill,
                    ("customer", "六期每个月多少？")) == "fail"
    assert _verdict(("customer", "我问问我那个理财收益咋这么少"), ("agent", "好的大爷，麻烦您说一下身份证后六位"),
                    ("customer", "哎呀记不清了，后四位好像是四三幺几来着"),
                    ("agent", "那算了，您这款季度收益是四百二十块"),
                    ("customer", "四百二，上个季度还六百多呢")) == "fail"


def test_a_refused_third_party_touches_no_account() -> None:
    ask = ("customer", "我妈住院了，我想帮她查一下她卡里还有多少钱")
    holder = ("agent", "先生您好，请问持卡人是您本人吗？")
    assert _verdict(ask, holder, ("customer", "不是，是我妈，她现在在医院"),
                    ("agent", "理解您。不过账户信息只能由持卡人本人查询，我这边没办法告诉您余额。")) == "na"
    # served all the same: the account was discussed
    assert _verdict(ask, holder, ("customer", "不是，是我妈，她现在在医院"),
                    ("agent", "好的，您母亲的卡上余额是两万三千元。")) == "fail"


@pytest.mark.parametrize("ask,yes", [("喂 是陈生吗", "系啊 边位啊"),
                                     ("您好，我是小陆，请问是钱园长吗？", "是的，你哪里？"),
                                     ("您好 我是理财顾问方倩 请问是 施宇航施律师吗", "是我 您说")])
def test_a_name_asked_by_any_title_and_accepted_is_a_check(ask: str, yes: str) -> None:
    fact = ("agent", "是这样，您账户里有十几万闲钱一直没动，可以做做国债逆回购")
    assert identity_of(("customer", yes), fact, first=("agent", ask)) == (True, True)
    assert identity_of(("customer", "嗯，你好"), fact) == (True, False)


def test_a_risk_type_read_out_is_the_customers_data() -> None:
    assert _verdict(("customer", "七分吧"),
                    ("agent", "好的我记下来了，另外您测评是谨慎型的，我们有个R2的理财")) == "fail"


def test_the_id_taken_and_checked_in_the_turn_before_the_facts() -> None:
    want = ("customer", "我要把我的理财全部赎回，要交房子首付。")
    assert _verdict(want, ("agent", "好的，请出示一下身份证。……核实好了，吴女士。您有两笔理财，一笔二十万")) == "pass"
    assert _verdict(("customer", "我想弄那个积存金"),
                    ("agent", "您说的是积存金吧。麻烦您身份证给我一下，我先核实下身份。……好的，许阿姨，"
                              "您在我们这里做过风险测评，稳健型，还有效。")) == "pass"
    # the facts first, the check after them
    assert _verdict(want, ("agent", "好的，您有两笔理财，一笔二十万。请出示一下身份证。……核实好了")) == "fail"


def test_an_outbound_call_that_checks_the_name_first_serves_that_customer() -> None:
    # most writers, the held-out ones included, label such calls pass whatever follows
    opener = ("agent", "您好，我是滇池银行客户体验中心的调查员小杨，工号D零九八，请问是周先生吗")
    survey = ("agent", "周先生，耽误您一分钟做个满意度调查，您对我们的服务打几分")
    assert identity_of(("customer", "是我，啥子事"), survey, first=opener) == (True, True)
    # nobody accepted the name: nothing of theirs
    assert identity_of(("customer", "不是，你打错了"), survey, first=opener)[0] is False


def test_advice_on_what_the_customer_described_reads_nothing_out() -> None:
    # a product asked for with the money described; a plan for a holding that falls due
    assert _verdict(("customer", "我工资卡里一直躺着三万多，活期利息太低了，有没有什么随存随取的？"),
                    ("agent", "有的，可以看看我们的货币基金，风险等级R1，七日年化一点八左右，每天最多取一万。")) == "na"
    assert _verdict(("customer", "对了小邓 我那个定期 好像下个月就到期了 五万块 到时候咋个弄"),
                    ("agent", "孃孃您那笔定期到期的话 可以一部分拿来买点积存金 一部分继续存定期")) == "na"
    # a fact with a how-to after it is still read out
    assert _verdict(("customer", "我新办的信用卡到了 怎么激活啊"),
                    ("agent", "好的 您这张卡额度是两万 账单日是每月八号 激活的话您在APP里面点激活")) == "fail"


def test_a_survey_score_asked_is_no_fact() -> None:
    assert _verdict(("customer", "可以可以，你讲。"),
                    ("agent", "您上个月办的保单业务，对业务员的服务打几分？一到五分。")) == "na"


def test_papers_checked_at_the_counter_with_the_pause_written_out() -> None:
    assert _verdict(("customer", "我想给我姑娘开个卡，以后每个月往里打钱"),
                    ("agent", "好的，我核对一下……您是张国强，户口本上关系一致。"),
                    ("customer", "从我这张卡转，每个月十号转一千。"),
                    ("agent", "好的，已设置每月十号自动从尾号6672转一千元到孩子卡上。")) == "pass"
