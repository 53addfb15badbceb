"""Identity: when the check comes, whose data it checks, and what is no account fact (own
sentences, not copied from any eval set). A check reported done or an ID acknowledged at the
counter before the facts verifies them; a relative's card tail verifies nobody; a warning
(千万不要报), a question (您转了没有), a refusal to look, a threshold and an ordinal
(下一期) read nothing out of the customer's records."""

from __future__ import annotations

from tests.qa.helpers import identity_of


def test_a_name_check_closed_by_a_spoken_tag_and_a_yes_after_a_filler() -> None:
    level = ("agent", "您的测评是C4，这只R4的可以买")
    opening = ("agent", "您好，我是城东证券的小严，工号三三零一")
    assert identity_of(("customer", "你说"), ("agent", "跟您确认一下，您是钱立新先生本人哈"), ("customer", "是我"),
                       level, first=opening) == (True, True)
    assert identity_of(("customer", "你说"), ("agent", "跟您确认一下，您是钱立新先生吧"), ("customer", "嗯呐 是我"),
                       level, first=opening) == (True, True)
    assert identity_of(("customer", "你说"), level, first=opening) == (True, False)


def test_a_relatives_card_tail_checks_nobody() -> None:
    ask = ("agent", "您父亲的卡号后四位是多少")
    fact = ("agent", "好的，这张卡这个月五号到账一笔养老金，三千二百元")
    assert identity_of(("customer", "我爸的工资卡工资到了没有"), ask, ("customer", "尾号四四一七 我爸叫孙长海"), fact) \
        == (True, False)


def test_a_check_reported_done_comes_before_the_facts_after_it() -> None:
    ask = ("agent", "麻烦报一下资金账号和开户人姓名")
    reply = ("customer", "资金账号七七零一二三四五，刘明")
    assert identity_of(("customer", "我的银证转账怎么转不进去"), ask, reply,
                       ("agent", "刘先生，核实了。您是昨晚十一点操作的，那会儿不在转账时间")) == (True, True)
    assert identity_of(("customer", "我的车出险以后理赔到哪一步了"), ("agent", "麻烦报一下报案号和被保险人姓名"),
                       ("customer", "报案号三三一二九，我叫何亮"),
                       ("agent", "何先生您好，核实了。您的案件定损金额八千元，理赔款已经付给修理厂")) == (True, True)


def test_an_id_acknowledged_at_the_counter_before_the_level_is_read() -> None:
    counter = ("agent", "大爷您好，欢迎光临城东银行，我是三号窗口柜员小张")
    question = ("customer", "闺女，我这单子上写的C二是啥意思")
    assert identity_of(question, ("agent", "大爷 身份证给我看一眼 嗯是您 您的测评是C二 就是稳健的意思"),
                       first=counter) == (True, True)
    assert identity_of(question, ("agent", "大爷 您的测评是C二 就是稳健的意思"), first=counter) == (True, False)


def test_warnings_questions_and_refusals_read_nothing_out() -> None:
    assert identity_of(("customer", "有人打电话说我的卡要升级，让我报验证码"),
                       ("agent", "千万不要报，我们不会打电话要您的验证码，这是诈骗")) == (False, True)
    assert identity_of(("customer", "昨天有人让我把钱转到安全账户"), ("agent", "大爷 您转了没有")) == (False, True)
    assert identity_of(("customer", "我帮我哥问一下他的基金持仓"),
                       ("agent", "不好意思，涉及客户账户和持仓的信息，需要客户本人来电，我这边没办法查")) \
        == (False, True)


def test_an_ordinal_or_a_coming_issue_is_no_amount_of_theirs() -> None:
    assert identity_of(("customer", "我那个定期下个月到期了，想转国债"),
                       ("agent", "这期已经卖完了，只能等下一期，十号早上开始")) == (False, True)


def test_a_holding_named_as_the_reason_for_the_call() -> None:
    opening = ("agent", "您好，我是城东人寿的小黄，请问是刘红女士吗")
    reason = ("agent", "刘姐您好，您之前在我们这里有一份重疾险，今天给您介绍一款新产品")
    assert identity_of(("customer", "是我"), reason, first=opening) == (True, True)
    assert identity_of(("customer", "嗯，啥事"), reason, first=("agent", "您好，我是城东人寿的小黄")) == (True, False)


def test_an_introduction_advice_and_an_offer_are_no_account_fact() -> None:
    assert identity_of(("agent", "我是您的理财经理小陈，请坐")) == (False, True)
    assert identity_of(("customer", "积存金我能买吗"),
                       ("agent", "能买，我挺建议您买的，每个月定投个一千")) == (False, True)
    assert identity_of(("customer", "你说"),
                       ("agent", "您的信用卡有一个专属的现金分期额度，最高可以借五万")) == (False, True)
    assert identity_of(("customer", "你说"), ("agent", "您那个卡最近有个账单分期的活动，手续费打八折")) == (False, True)


def test_a_lookup_read_out_in_the_same_turn_comes_before_a_later_check() -> None:
    # The records opened by the caller's number, read out, then the check: too late.
    late = ("agent", "好的，身份证后四位报一下")
    assert identity_of(("customer", "你好 问一下定投的事"),
                       ("agent", "我这边看到您手机号关联的账户 您有一个定投计划 这个月扣了一千元"), late,
                       ("customer", "五五二一")) == (True, False)
    assert identity_of(("customer", "你好 问下这期信用卡账单"),
                       ("agent", "您来电号码绑定的卡 这期账单是四千六百元"), late,
                       ("customer", "五五二一")) == (True, False)


def test_a_question_after_the_fact_does_not_undo_it() -> None:
    # 请问您对…满意吗 asks about the service, not for the customer's data: the fact stands.
    assert identity_of(("customer", "嗯 你说"),
                       ("agent", "您的理赔上周已经结案了 请问您对我们的服务满意吗")) == (True, False)


def test_a_how_to_or_what_to_keep_ready_reads_nothing_out() -> None:
    # The account named in an instruction, not a fact read from it.
    assert identity_of(("customer", "积分能换点啥"),
                       ("agent", "可以换米和油，在柜台刷一下您的卡就行")) == (False, True)
    assert identity_of(("customer", "可转债中签了怎么交钱"),
                       ("agent", "中签后第二个交易日，您账户里要留够缴款的钱，系统会自动扣")) == (False, True)


def test_check_words_garbled_by_asr_still_check() -> None:
    # Read by sound: 身份正 / 深粉证 are 身份证 misheard, the check is the same.
    fact = ("agent", "好的，您这张卡昨天扣了一笔二百元的年费")
    assert identity_of(("customer", "我的卡怎么被扣钱了"), ("agent", "麻烦说一下身份正后四位"),
                       ("customer", "三八五二"), fact) == (True, True)
    assert identity_of(("customer", "我的卡怎么被扣钱了"), ("agent", "您好"),
                       ("customer", "深粉证给你"), fact) == (True, True)
