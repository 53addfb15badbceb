"""Identity, round 8 (own sentences, not copied from any eval set): a check done earlier in the
same turn as the facts (a pause while the papers are looked at, an ID taken and acknowledged with
好), a login check followed by the usual offer of help, an elder called 爹 after the name
(是王建华王老爹吗), the holder's debt told in the third person to whoever answered,
a product opened at a branch (办理了) and a named loan (经营贷) read out, and the business the
customer came to do (要办的这笔) that reads nothing from their file."""

from __future__ import annotations

from tests.qa.helpers import identity_of


def test_a_pause_for_the_papers_at_the_start_of_the_turn_checks_before_the_facts() -> None:
    ask = ("customer", "我想把这张卡换成社保卡，这是我的身份证")
    assert identity_of(ask, ("agent", "好的，我核对一下……证件信息一致。您在我们行有一张借记卡，余额可以直接转过去")) \
        == (True, True)
    # The facts first, the pause after: too late.
    assert identity_of(ask, ("agent", "您在我们行有一张借记卡，余额两万元。我核对一下……证件信息一致")) == (True, False)


def test_an_id_taken_and_acknowledged_with_hao_before_the_level() -> None:
    counter = ("agent", "您好，欢迎光临城东银行，我是理财经理小陈")
    question = ("customer", "我想买那个新发的理财")
    assert identity_of(question, ("agent", "您证件给我一下 好 李大姐 您这个测评是C三 这款R二的可以买"),
                       first=counter) == (True, True)
    # 给我一下好吗 asks for the ID; nothing was looked at before the level.
    assert identity_of(question, ("agent", "您证件给我一下好吗 您这个测评是C三 这款R二的可以买"),
                       first=counter) == (True, False)


def test_a_login_check_before_the_offer_of_help_counts() -> None:
    login = ("agent", "您好，城东银行在线客服，工号六六二一。您是从手机银行登录后进线的，身份已经验证过了，"
                      "请问有什么可以帮您？")
    assert identity_of(("customer", "我的零钱宝昨天怎么没收益"),
                       ("agent", "我查了一下，您昨天把余额转出了，所以昨天没有收益，今天转回的两万元明天开始算"),
                       first=login) == (True, True)
    # Telling the customer how a self-service check goes verifies nobody now.
    howto = ("agent", "您好，城东银行在线客服，工号六六二一，请问有什么可以帮您？")
    assert identity_of(("customer", "我的零钱宝昨天怎么没收益"),
                       ("agent", "您在手机银行上刷个脸就可以，我查了一下，您昨天把余额转出了两万元"),
                       first=howto) == (True, False)


def test_an_elder_called_die_after_the_full_name() -> None:
    outbound = ("agent", "喂，您好，我是城东农商银行的客户经理小周，工号四四一二。请问是王建华王老爹吗？")
    fact = ("agent", "王老爹，您卡上的积分年底就清零了，还有六千多分，可以来支行换米")
    assert identity_of(("customer", "是我，啥子事"), fact, first=outbound) == (True, True)
    # A figure said twice is no name (是六万六千吗).
    amount = ("agent", "喂，您好，我是城东农商银行的客户经理小周，工号四四一二。您存的是六万六千吗？")
    assert identity_of(("customer", "是的"), fact, first=amount) == (True, False)


def test_the_holders_debt_told_in_the_third_person_is_their_account() -> None:
    outbound = ("agent", "你好，这里是城东银行信用卡中心，我工号三一零八。李志强是吧？")
    assert identity_of(("customer", "不是，志强是我侄子，这个号他以前用的"),
                       ("agent", "那麻烦您转告他，他信用卡逾期两个月了，欠了五千多，请尽快还款"),
                       first=outbound) == (True, False)
    # A product's terms are no one's account.
    assert identity_of(("customer", "这个信用卡有什么优惠"),
                       ("agent", "它刷满六笔免年费，新户首刷送积分")) == (False, True)


def test_a_product_opened_at_a_branch_and_a_named_loan_are_read_from_the_file() -> None:
    survey = ("agent", "您好，这里是城东银行客户回访，我是工号一二三四的小刘，耽误您一分钟")
    assert identity_of(("customer", "你说"), ("agent", "您上周在我们东街支行办理了信用卡，请问您对柜员的服务打几分"),
                       first=survey) == (True, False)
    reminder = ("agent", "喂你好，我这边是城东银行的")
    assert identity_of(("customer", "什么事"), ("agent", "您在我们这儿那个消费贷五万，这个月逾期了三天，得尽快还"),
                       first=reminder) == (True, False)


def test_the_business_the_customer_came_to_do_reads_nothing_from_their_file() -> None:
    counter = ("agent", "您好，欢迎光临城东银行，我是理财经理小何。您今天要办的这笔理财要在专区办理，"
                        "需要录音录像，可以吗？")
    checked = ("agent", "好的，身份核实了。您上次的风险测评是C三，还在有效期内")
    assert identity_of(("customer", "可以"), ("agent", "好的，麻烦您先出示一下身份证。"), ("customer", "给你"),
                       checked, first=counter) == (True, True)


def test_a_check_reported_after_asking_for_a_relatives_id_verifies_nobody() -> None:
    ask = ("customer", "我替我爸问一下，他在你们这买的那个定期收益怎么样")
    relative = ("agent", "好的，那您报一下您父亲的身份证号码")
    digits = ("customer", "三二零一零二一九五零零三一二零零一八")
    fact = ("agent", "好，核对上了，老人家名下有一笔三年定期二十万，利率二点六")
    assert identity_of(ask, relative, digits, fact) == (True, False)
    # The holder put on to say it himself is checked.
    holder = ("agent", "好的，麻烦让您父亲接一下电话，报一下他的身份证号码")
    himself = ("customer", "我是他本人，三二零一零二一九五零零三一二零零一八")
    assert identity_of(ask, holder, himself, fact) == (True, True)
