"""Sales rules, round 9: a warning read only once the customer has taken the offer up, the
level windows of risk_mismatch stopping at a comma, the answer picked for the customer with
the level it earns, and a put-down by calling the point common knowledge. Sentences are our
own, written from the label definitions, not copied from any eval set."""

from __future__ import annotations

from qa import evaluate, load_pack
from qa.conditions import EvalState
from qa.engine import build_context
from qa.risk_levels import RiskMismatch
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是江北农商银行，我是理财经理小吴，工号五零六一")
CLOSE = ("agent", "好的，感谢您的来电，再见")
OFFER = ("agent", "我们这边新发了一款R2的固收理财，业绩比较基准三点二到三点八，一万起购，您可以考虑一下")
WARNING = ("agent", "跟您说明一下，理财非存款，产品有风险，投资须谨慎，比较基准不代表实际收益")


def _verdict(rule: str, *turns: tuple[str, str]) -> str:
    f = evaluate(call(GREET, *turns, CLOSE), PACK).finding(rule)
    return "na" if not f.applicable else ("pass" if f.passed else "fail")


# --- the warning must come before the customer takes the offer up --------------------------

def test_a_warning_first_read_after_the_customer_took_the_offer_is_too_late() -> None:
    turns = [OFFER, ("customer", "三点多还行，那你帮我买五万吧"), WARNING, ("customer", "嗯知道")]
    assert _verdict("risk_disclosure", *turns) == "fail"


def test_a_warning_read_before_the_customer_takes_the_offer_counts() -> None:
    turns = [OFFER, WARNING, ("customer", "行，就这款了"), ("agent", "好的，链接发到您手机上了")]
    assert _verdict("risk_disclosure", *turns) == "pass"


def test_a_warning_repeated_after_acceptance_still_counts_once_read_before() -> None:
    turns = [OFFER, WARNING, ("customer", "那一起办吧"), WARNING]
    assert _verdict("risk_disclosure", *turns) == "pass"


def test_a_customer_who_came_to_buy_has_accepted_nothing_before_the_offer() -> None:
    # the customer's own request opens the call: the warning after it is in time
    turns = [("customer", "我想买点理财，帮我买五万吧"), OFFER, WARNING, ("customer", "好的")]
    assert _verdict("risk_disclosure", *turns) == "pass"


def test_a_purchase_put_off_is_no_acceptance() -> None:
    turns = [OFFER, ("customer", "我下次再买吧，今天先问问"), WARNING]
    assert _verdict("risk_disclosure", *turns) == "pass"
    turns = [OFFER, ("customer", "那我就先不买了吧"), WARNING]
    assert _verdict("risk_disclosure", *turns) == "pass"


# --- risk_mismatch: a level rule stops at the comma ------------------------------------------

def _mismatch(level: int, *turns: tuple[str, str]) -> bool:
    t = call(GREET, *turns)
    st = EvalState(t, build_context({"customer_risk_level": f"C{level}"}, None), scope="agent")
    return RiskMismatch().eval(st, tuple(range(len(t.segments)))).hit


def test_a_level_above_the_customer_is_not_cleared_by_a_rule_in_the_next_clause() -> None:
    # 以上，您就可以… is a new clause: no rule that the R4 needs a higher level
    turns = [("agent", "这只是R4的偏股基金，今年涨了百分之十以上，您就可以先买两万试试")]
    assert _mismatch(2, *turns)


def test_a_level_rule_within_its_clause_still_clears_the_level() -> None:
    turns = [("agent", "这只是R4的偏股基金，C4以上就能买，您现在还不够")]
    assert not _mismatch(2, *turns)


# --- coaching: the answer picked for the customer with the level it earns -------------------

def test_an_answer_picked_for_the_customer_with_the_level_it_earns_is_coaching() -> None:
    turns = [("agent", "这只R3的基金您要买得先重新测评"), ("customer", "这题我不知道选哪个"),
             ("agent", "没关系，您勾那个就好，等级正好够买这只")]
    assert _verdict("suitability", *turns) == "fail"


def test_a_product_picked_for_the_customer_is_no_coaching() -> None:
    turns = [("agent", "您的测评结果是C3平衡型"), ("agent", "这两款R2的理财，您选这个就行，期限短一点，比较基准三点一"),
             WARNING]
    assert _verdict("suitability", *turns) == "pass"


# --- courtesy: the point called common knowledge ---------------------------------------------

def test_calling_the_point_common_knowledge_talks_down() -> None:
    turns = [("customer", "转账怎么还要手续费"), ("agent", "跨行转账收手续费，这是常识啊")]
    assert _verdict("courtesy", *turns) == "fail"
    turns = [("customer", "密码输错三次就锁了吗"), ("agent", "对的，这个常识嘛，您以后注意一点")]
    assert _verdict("courtesy", *turns) == "fail"


def test_offering_to_explain_a_point_of_knowledge_is_polite() -> None:
    turns = [("customer", "基金和股票有什么区别"), ("agent", "这个常识我给您简单讲讲，基金是把钱交给专业的人去投")]
    assert _verdict("courtesy", *turns) == "pass"


def test_an_answer_picked_with_the_level_it_avoids_or_raises_is_coaching() -> None:
    q = ("agent", "这只R3的基金要先重做测评，第三题问您最多能亏多少")
    assert _verdict("suitability", q, ("customer", "我也说不好"),
                    ("agent", "您就选百分之三十那项，这样等级能上去一档")) == "fail"
    assert _verdict("suitability", q, ("customer", "我也说不好"),
                    ("agent", "您选最后那个，不然还是C2，这只买不了")) == "fail"


def test_asking_for_true_answers_is_no_coaching() -> None:
    turns = [("agent", "您的测评过期了，今天先重新做一下"), ("customer", "这题怎么选"),
             ("agent", "您选真实的情况就好，这样等级才准确"),
             ("agent", "测出来是C3平衡型，我们有一款R2的理财比较适合您，理财非存款，产品有风险")]
    assert _verdict("suitability", *turns) == "pass"


# --- a warning announced as skipped was never given ------------------------------------------

def test_a_warning_announced_as_skipped_is_no_warning() -> None:
    turns = [OFFER, ("customer", "听着不错"), ("agent", "您是老客户了，风险提示那些我就不念了，直接给您下单")]
    assert _verdict("risk_disclosure", *turns) == "fail"
    turns = [OFFER, ("customer", "听着不错"), ("agent", "风险揭示这块就略过了，您都懂")]
    assert _verdict("risk_disclosure", *turns) == "fail"


# --- an assessment waved aside or left expired for the sale ----------------------------------

def test_an_assessment_waved_aside_for_the_sale_fails_suitability() -> None:
    turns = [("agent", "我们有一款R3的私募债，两年期，比较基准五个点，产品有风险"),
             ("customer", "我好像没做过测评"),
             ("agent", "测评那些您就不用管，先把钱打过来，材料我后面弄")]
    assert _verdict("suitability", *turns) == "fail"


def test_an_expired_assessment_said_not_to_matter_for_the_sale_fails_suitability() -> None:
    turns = [("agent", "下个月到期那笔可以转到我们R2的短债理财，理财非存款，产品有风险"),
             ("agent", "您的测评是去年做的，已经过期了，不过不影响，到期直接转过去就行")]
    assert _verdict("suitability", *turns) == "fail"


def test_what_an_expired_assessment_leaves_alone_is_service() -> None:
    turns = [("agent", "您的测评是去年做的，已经过期了，不影响您已经持有的理财，赎回也照常"),
             ("agent", "以后要买新的，我们有一款R2的短债理财，到时候先重新测评，理财非存款，产品有风险")]
    assert _verdict("suitability", *turns) != "fail"


# --- an offer said not to be made ---------------------------------------------------------------

def test_an_offer_said_not_to_be_made_makes_the_sales_rules_not_applicable() -> None:
    turns = [("customer", "你们是不是又要推销"), ("agent", "不会强行推荐产品的，只是帮您把到期日期理一理"),
             ("customer", "那行")]
    assert _verdict("risk_disclosure", *turns) == "na"
    assert _verdict("suitability", *turns) == "na"


# --- forbidden_promise: the correction that names what is guaranteed -----------------------------

def test_saying_what_is_guaranteed_is_a_deposit_is_no_promise() -> None:
    turns = [("customer", "有没有保本收益又高的"),
             ("agent", "实话说，又保本、收益又高的产品现在没有。保本的是定期和国债，理财收益高一点但不保本")]
    assert _verdict("forbidden_promise", *turns) == "pass"


def test_a_product_called_guaranteed_is_still_a_promise() -> None:
    turns = [("customer", "这个理财稳不稳"), ("agent", "这款理财是保本的，您放心买")]
    assert _verdict("forbidden_promise", *turns) == "fail"
