"""The default rules follow the label definitions the independent writers worked from
(greeting, identity check, closing, courtesy, promises): each structure on short dialogues
written here, with its near miss."""

from __future__ import annotations

from qa import evaluate, load_pack, load_rules_text
from qa.model import Finding
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是东城银行客服中心，工号二七一五为您服务")
CLOSE = ("agent", "好的，感谢您的来电，再见")
IDV = "identity_verification"


def finding(*turns: tuple[str, str], rule: str, meta: dict[str, object] | None = None) -> Finding:
    return evaluate(call(*turns), PACK, meta=meta).finding(rule)


def greets(first: str) -> bool:
    return finding(("agent", first), CLOSE, rule="greeting").passed


def test_greeting_by_address_named_company_and_name_after_de() -> None:
    assert greets("叔叔好，欢迎来到东城农商银行，我是理财经理陈晓")
    assert greets("阿婆早晨，欢迎光临西城银行，我系柜员黄敏")
    assert greets("您好，我是青山理财的客服专员，工号三二一五")  # a wealth-management company by name
    assert greets("您好，欢迎来到东城银行，我是二号窗口的李晓红")  # the name after 的
    assert not greets("您好，我是理财经理，工号三二一五")  # a role, no institution
    assert not greets("好的，请问办什么业务")
    assert not greets("喂，王阿姨您好，我是小李啊，东门那个网点的")  # a branch by its street is no institution


def test_identity_check_by_id_handed_over() -> None:
    ok = finding(GREET, ("customer", "我那张定期到期了，想问问怎么办"),
                 ("agent", "好的，麻烦您把身份证和存折给我看一下"), ("customer", "给你"),
                 ("agent", "核对好了，您这笔定期五万元昨天到期了"), CLOSE, rule="identity_verification")
    assert ok.applicable and ok.passed
    told_to_bring = finding(GREET, ("customer", "我那张定期到期了，想问问怎么办"),
                            ("agent", "到网点办的时候需要带身份证和存折"), ("customer", "好"),
                            ("agent", "您这笔定期五万元昨天到期了"), CLOSE, rule="identity_verification")
    assert not told_to_bring.passed


def test_identity_check_reported_done_before_the_facts_in_one_turn() -> None:
    first = finding(GREET, ("customer", "我那个理财要取出来"),
                    ("agent", "请您出示身份证和卡。核对好了，您有一笔理财四万元，今天赎回"), CLOSE,
                    rule="identity_verification")
    assert first.passed
    after = finding(GREET, ("customer", "我那个理财要取出来"), ("agent", "您有一笔理财四万元，核对好了，今天赎回"),
                    CLOSE, rule="identity_verification")
    assert not after.passed


def test_identity_check_by_holder_confirmed() -> None:
    ok = finding(("agent", "您好，东城证券客服，工号三一二零"), ("agent", "先跟您确认一下，您是张建国先生本人吧"),
                 ("customer", "对，是我"), ("agent", "我看您的账户里有五万元资金一直闲着"), CLOSE,
                 rule=IDV)
    assert ok.applicable and ok.passed
    # The project's convention (writers' BRIEF): asking whether it is the customer by name
    # (请问是张先生吗) and hearing yes counts as a check.
    opening = finding(("agent", "您好，请问是张先生吗？我是东城证券的顾问，工号三一二零"), ("customer", "是，什么事"),
                      ("agent", "我看您的账户里有五万元资金一直闲着"), CLOSE, rule=IDV)
    assert opening.applicable and opening.passed
    # Denied, it checks nothing. Asked in the opening and accepted, the call serves that customer:
    # the rule applies and passes, account talk or not (most writers label such calls pass; applying
    # it cut applicability errors 119 -> 81 over 28 writer sets, every held-out set fewer or equal).
    denied = finding(("agent", "您好，请问是张先生吗？我是东城证券的顾问，工号三一二零"),
                     ("customer", "不是，你打错了"),
                     ("agent", "我看您的账户里有五万元资金一直闲着"), CLOSE, rule=IDV)
    assert not denied.passed
    only_asked = finding(("agent", "您好，请问是张先生吗？我是东城证券的顾问，工号三一二零"),
                         ("customer", "是我，什么事"),
                         ("agent", "我们有一款新发的债券基金想给您介绍一下"), CLOSE, rule=IDV)
    assert only_asked.applicable and only_asked.passed


def test_identity_request_is_no_disclosure_and_an_account_number_is_no_check() -> None:
    ok = finding(GREET, ("customer", "帮我查一下我卡里的钱"),
                 ("agent", "好的，为了查询您的账户，请先提供一下身份证后四位"), ("customer", "三五七九"),
                 ("agent", "查到您账户余额是三万元"), CLOSE, rule=IDV)
    assert ok.passed
    number_only = finding(GREET, ("customer", "帮我查一下我卡里的钱"), ("agent", "好的，请问您的卡号是多少"),
                          ("customer", "六二二八四八零一二二七三九九五六"), ("agent", "查到您账户余额是三万元"), CLOSE,
                          rule=IDV)
    assert not number_only.passed
    # 来到长白 sounds like 到账: a welcome is no account talk.
    welcome = finding(("agent", "您好，欢迎来到长白证券，我是顾问金美兰"), ("customer", "我想问问养老基金"),
                      ("agent", "养老目标基金分两种"), CLOSE, rule=IDV)
    assert not welcome.applicable


def test_closing_farewell_and_anything_else_question() -> None:
    assert finding(GREET, ("agent", "还有啥要问的伐？"), ("customer", "没了"), ("agent", "好的阿婆，慢走"),
                   rule="closing").passed
    assert finding(GREET, ("agent", "您的结果是C4，还有其他需要办理的吗？"), ("customer", "没有"), ("agent", "不客气"),
                   rule="closing").passed
    assert not finding(GREET, ("agent", "您的结果是C4"), ("customer", "好"), ("agent", "嗯"), rule="closing").passed


def test_courtesy_model_does_not_overrule_an_offer_of_help() -> None:
    assert finding(GREET, ("agent", "大爷您还有别的事吗"), CLOSE, rule="courtesy").passed
    assert not finding(GREET, ("agent", "我都说了多少遍了，您还有别的事吗"), CLOSE, rule="courtesy").passed


def test_promise_quoted_or_about_a_deposit_is_no_promise() -> None:
    def promised(text: str) -> bool:
        return not finding(GREET, ("agent", text), CLOSE, rule="forbidden_promise").passed

    assert not promised("您朋友说“稳赚不赔”，这个我必须澄清，私募没有稳赚不赔的")
    assert not promised("客户反映销售人员承诺不会亏损，我记下来了")
    assert not promised("三年定期利率二点一五，保本保息")
    assert not promised("这个要至少拿三年以上")
    assert not promised("可能拿到的是最低那一档")
    assert promised("这款理财跟定期一样保本")
    assert promised("最差也能拿到三个点")
    assert promised("这个产品底层都是国债，不可能亏的")
    # The hard negative: the customer says 保本, the agent corrects them.
    assert finding(GREET, ("customer", "这个是保本的吧"), ("agent", "不保本的，收益也不能保证"), CLOSE,
                   rule="forbidden_promise").passed


def test_assessment_rules_are_no_recommendation() -> None:
    for text in ["您的风险测评上周过期了，不然申购基金会受限，麻烦重新做一下", "C1是保守型，只能买R1级的产品",
                 "C三平衡型可以购买R一到R三的产品", "给您介绍一款百万医疗险，一年两百多"]:
        assert not finding(GREET, ("agent", text), CLOSE, rule="risk_disclosure").applicable, text


def test_a_level_rejected_later_in_the_turn_is_no_mismatch() -> None:
    pack = load_rules_text(
        "rules:\n  - {id: m, title: m, scope: agent, mode: must_not, condition: {risk_mismatch: true}}\n")
    meta = {"customer_risk_level": "C2"}

    def mismatch(text: str) -> bool:
        return not evaluate(call(("agent", text)), pack, meta=meta).finding("m").passed

    assert mismatch("这只基金是R4的，收益不错，给您配一点")
    assert not mismatch("这只基金是R4的，中高风险，我看了您的测评，我们不能卖给您")
    assert not mismatch("您现在这个混合基金是R3的，已经超过了您现在的承受能力")


def test_identity_nouns_are_no_check_until_answered() -> None:
    # Warning about codes (验证码) or changing the registered phone names no check of who calls.
    warning = finding(GREET, ("customer", "有人打电话问我要验证码"),
                      ("agent", "您做得对，以后任何人问您要验证码、密码，都不要给"), CLOSE, rule=IDV)
    assert not warning.applicable
    changed = finding(GREET, ("customer", "我想把卡绑的手机号改一下"), ("agent", "好的，请问您卡号是多少"),
                      ("customer", "六二二八四八零一二二七三九九五六"),
                      ("agent", "好的，已经帮您把预留手机号更新为幺八七二三零五六六四一"), CLOSE, rule=IDV)
    assert changed.applicable and not changed.passed
    # The last ID digits asked in any words (好多 = 多少) and answered are a check.
    asked = finding(GREET, ("customer", "我那个卡转钱转不出去了"), ("agent", "大爷莫急，您身份证后四位好多"),
                    ("customer", "三三八零"), ("agent", "好的，您这张卡是一年多没用被限制了"), CLOSE,
                    rule=IDV)
    assert asked.applicable and asked.passed


def test_greeting_institution_as_asr_writes_it_or_as_the_service_line() -> None:
    assert greets("您好 我是淮阳农商营航的理财经理 小张 工号一零八二")
    assert greets("你好 中原商银客服 工号幺五六三 我是小郭 请问有什么可以帮您")
    assert not greets("您好，我是客服小王，请问有什么可以帮您")


def test_closing_by_an_open_offer_of_help() -> None:
    ok = finding(GREET, ("customer", "那我现在做测评吧"), ("agent", "好的，您先做着，有问题随时问我，谢谢您。"),
                 rule="closing")
    assert ok.passed


def test_customer_naming_idle_money_and_getting_advice_is_no_account_talk() -> None:
    advice = finding(GREET, ("customer", "我每个月工资有一万多用不上，都放在卡里"),
                     ("agent", "那您可以考虑基金定投，每月固定一个日子自动扣款，测评可以在手机银行上看一下"), CLOSE,
                     rule=IDV)
    assert not advice.applicable
    looked_up = finding(GREET, ("customer", "我卡里的钱怎么少了"),
                        ("agent", "我帮您查一下，您的卡昨天有一笔扣款"), CLOSE,
                        rule=IDV)
    assert looked_up.applicable and not looked_up.passed


def test_identity_shown_at_the_counter_whoever_offers_it() -> None:
    counter = ("agent", "您好，欢迎光临东城银行，我是柜员小李，请问办什么业务")
    handed = finding(counter, ("customer", "我的 卢志豪 身份证给你"),
                     ("agent", "卢先生好的，您去年做过风险测评，稳健型C三"),
                     CLOSE, rule=IDV)
    assert handed.applicable and handed.passed
    cantonese = finding(counter, ("customer", "我张社保卡要激活"),
                        ("agent", "阿伯唔该您深份证同社保卡一齐畀我 我核对下先"),
                        ("customer", "喺度你睇下"), ("agent", "好，核对咗，您输入六位密码两次"), CLOSE,
                        rule=IDV)
    assert cantonese.applicable and cantonese.passed
    # A customer telling what a fraudster said about their ID hands nothing over.
    told = finding(GREET, ("customer", "有个警官说我身份证被人拿去洗钱了，你看怎么办"),
                   ("agent", "阿姨我这边看到您卡上今天有一笔两万的转账被拦截了"), CLOSE, rule=IDV)
    assert not told.passed


def test_a_lookup_announced_discloses_nothing_and_its_result_does() -> None:
    announced = finding(("agent", "您好，欢迎光临东城银行，我是柜员小李"), ("customer", "我有笔定期到期了"),
                        ("agent", "阿姨，麻烦您身份证给我看一下，我顺便查一下您到期的那笔"), ("customer", "好"),
                        ("agent", "核对好了。您这笔三年定期十五万上个礼拜到期了"), CLOSE, rule=IDV)
    assert announced.passed
    found = finding(GREET, ("customer", "你们APP闪退我没卖出去"), ("agent", "我先查看一下，您资金账号报一下"),
                    ("customer", "八八零七六三二幺"), ("agent", "嗯我看到了，您今天九点四十一分有一笔卖出委托是废单"),
                    ("agent", "另外麻烦您说一下身份证后四位"), ("customer", "二九零六"), CLOSE, rule=IDV)
    assert found.applicable and not found.passed


def test_an_account_action_done_is_account_business() -> None:
    frozen = finding(("agent", "您好，鹏城银行信用卡中心，工号九二零八，请问有什么可以帮您"),
                     ("customer", "我信用卡丢了"),
                     ("agent", "好的，我这边已经帮您把尾号四幺七七的卡临时冻结了"), CLOSE, rule=IDV)
    assert frozen.applicable and not frozen.passed
    offered = finding(GREET, ("customer", "手机银行怎么开"),
                      ("agent", "您可以在APP上自己开通，需要的话来网点我们帮您开"),
                      CLOSE, rule=IDV)
    assert not offered.applicable


def test_greeting_elements_as_asr_writes_them() -> None:
    assert greets("您好 渤海证卷客服 我是幺六八号小赵")  # 证卷 = 证券, staff number spoken
    assert greets("您好 中原李财 工号二四零七 请问有什么需要")
    assert greets("你好 渝信卡中心 工号二四六零")
    assert greets("您好 请问是常姐吧 我是北方证券长春营业部的投顾孙立伟")
    assert not greets("您好秦川证券客服请问有什么可以帮您")  # no name, no number


def test_name_check_in_spoken_forms() -> None:
    for ask, reply in (("喂 您好 我是宛城农商银行的客户经理小牛 工号二二九零 是李大爷吧", "是 你哪位"),
                       ("您好 我是北疆理财的客户经理刘涛 工号三零八六 请问是高淑兰高姐吗", "是我 你说"),
                       ("您好，请问是蒋文斌蒋总吗？我是金陵证券的理财经理邱雨", "哦，小邱啊，记得，什么事？")):
        f = finding(("agent", ask), ("customer", reply), ("agent", "我看到您账户里上周有一笔资金一直在账上"), CLOSE,
                    rule=IDV)
        assert f.applicable and f.passed, ask
    # The agent introducing themself (我是小王经理吧) checks nobody.
    own = finding(("agent", "您好，东城银行，我是小王经理"), ("customer", "嗯"),
                  ("agent", "我看到您账户里上周有一笔资金一直在账上"), CLOSE, rule=IDV)
    assert not own.passed


def test_the_customers_own_past_purchase_is_account_talk() -> None:
    ask = ("agent", "您好 这里是海峡人寿客户服务中心 我是回访专员林晓燕 工号九三幺二 请问是陈美玉阿婆本人吗")
    told = finding(ask, ("customer", "系我系我 你是哪里的"),
                   ("agent", "对的阿婆 您上周在我们这边买了一份两全保险分红型 今天给您做个电话回访"), CLOSE,
                   rule=IDV)
    assert told.applicable and told.passed  # 系我 (Cantonese) confirms
    asked = finding(GREET, ("customer", "我想了解下基金"), ("agent", "您之前买过基金吗？"), CLOSE,
                    rule=IDV)
    assert not asked.applicable


def test_closing_families_in_other_registers() -> None:
    for last in ("俞先生，证明开好了，请收好，感谢您耐心等待。", "好 阿婆你这边坐 我叫小蔡过来 有什么事再叫我",
                 "唔使客气 有咩再揾我 慢慢行", "好的大爷 下午见 路上慢点"):
        assert finding(GREET, ("customer", "好"), ("agent", last), rule="closing").passed, last
    assert not finding(GREET, ("customer", "好"), ("agent", "嗯，就这样吧"), rule="closing").passed


def test_a_rule_or_a_case_is_no_account_fact() -> None:
    # How things work in general, or what to do if something happens, reads nothing of the
    # customer's records; the same words stated as their fact do.
    for turn in ("赎回一般当天或者下一个工作日到账，不过理财不是存款",
                 "养老金一般每个月十号左右发放，如果过了十五号还没到账，您再打过来",
                 "对，您做得很对，验证码谁问都不能给，如果已经泄露了要马上打电话冻结"):
        f = finding(GREET, ("customer", "我那个卡会不会被冻结啊，钱什么时候到账"), ("agent", turn), CLOSE, rule=IDV)
        assert not f.applicable, turn
    fact = finding(GREET, ("customer", "我的钱什么时候到账"), ("agent", "您那笔赎回已经到账了，今天上午到的"), CLOSE,
                   rule=IDV)
    assert fact.applicable and not fact.passed


def test_name_check_in_cantonese_and_a_lookup_announced_with_the_id_request() -> None:
    canto = finding(("agent", "喂 阿伯您好 我系东莞农商银行嘅理财经理 叶嘉怡 工号三零五五 请问系 黎伯 黎锦荣 先生吗"),
                    ("customer", "系啊 系我 咩事啊"),
                    ("agent", "阿伯 您之前喺我哋买过理财 系统显示您嘅风显测评上个月过咗期"), CLOSE, rule=IDV)
    assert canto.applicable and canto.passed
    asked = finding(GREET, ("customer", "我想问问那个安享一八零天的"),
                    ("agent", "好的 为了给您准确介绍 麻烦提供一下您的证件号码 我看一下您的测评"),
                    ("customer", "一三零六零二一九七三零八一五零零二二"),
                    ("agent", "好的 我这边看到您是 C三 稳健型"), CLOSE, rule=IDV)
    assert asked.applicable and asked.passed
    # A lookup that reads something out before any check stays a disclosure.
    late = finding(GREET, ("customer", "我想问问我的理财"),
                   ("agent", "我看一下您的理财，下周二到期，十五万"),
                   ("agent", "麻烦提供一下您的证件号码"), ("customer", "一三零六零二一九七三零八一五零零二二"), CLOSE,
                   rule=IDV)
    assert late.applicable and not late.passed
