"""What an investment offer is made of, for qa.offer: the product kinds that are investments
and those that are not, a return put forward, and the acts that put something forward.

Split from qa.offer (which judges turns and calls with them) so each module stays small.
The patterns run over the phonetic string where a word must survive ASR homophones
(李财 = 理财, 鸡金 = 基金) and over the written text where short cues would meet too many.
"""

from __future__ import annotations

import re

from qa.textfeat import phonetic_pattern


def phonetic_re(pattern: str) -> re.Pattern[str]:
    """Compiled to run over the phonetic string: 李财 meets 理财, 鸡金 meets 基金."""
    return re.compile(phonetic_pattern(pattern))


# People and places whose names hold a product word (理财经理 is no 理财 product).
NOT_PRODUCT = phonetic_re(r"理财(?:经理|师|规划师|顾问|专员|专区|频道|室|中心)|基金(?:经理|公司)|公积金|投资顾问"
                          # an adviser who acts is a person (我让投顾给您发资料 / 约投顾), not the advisory product
                          r"|(?<=[让约请找])投顾|投顾(?=给|帮|跟|和|会|联系|打|发|做|老师)")
# A kind of investment product, or a product risk level (R3).
KIND = phonetic_re(
    r"理财|基金|定投|结构性存款|积存金|黄金|贵金属|私募|信托|资管|收益凭证|分红|万能|投连|年金|两全|债基|债券|股票|指数"
    r"|混合|固收|净值|权益类|投顾|养老目标|专户|增额|终身寿|储蓄险|理财型|r[1-5一二三四五]"
    # a repo is a traded investment, though a government bond secures it; a convertible bond
    # (可转债 / 转债) trades like the shares it converts into
    r"|逆回购|转债"
    # an exchange-traded fund (沪深300ETF / 货币ETF) is a fund by its ticker-style name
    r"|etf"
)
# A kind named only to be denied (这是纯保障型的，没有理财功能 / 不涉及投资 / 它不是理财): the
# cover sold is no investment for what it lacks.
DENIED_KIND = phonetic_re(r"(?:没有|没|不带|不含|不涉及|不具备|不是|并非|并不是)(?:任何)?(?:的)?(?:理财|投资)"
                          r"(?:功能|属性|性质|成分|产品|型)?")
# Products outside the sales rules: deposits, government bonds, loans, cards, protection cover.
NOT_INVESTMENT = phonetic_re(
    r"大额存单|存单|定期|存款|国债|贷款|借款|房贷|车贷|征信|信用卡|储蓄卡|医疗|重疾|意外险|防癌|保额|分期"
    # pay or a pension paid into an account here (养老金代发转到咱们行) is an account service
    r"|代发"
    # a credit product by its purpose (可以考虑用我们的消费贷过渡一下) is a loan too
    r"|(?:消费|经营|信用|装修|助业|个人|抵押)贷"
    # a rate quoted on a cost (分期的年化综合费率) is what the customer pays, not a return
    r"|费率"
)
# A return put forward: what investments are sold by.
# 涨得很好 pitches a rise as 涨了 does.
RETURN = phonetic_re(r"收益|年化|回报|利息|分红|[零一二两三四五六七八九十0-9]个点|百分之|行情|业绩|涨幅|涨了|涨得|表现")
# A return said to beat a deposit (利息比定期高 / 比放银行强) is an investment's pitch,
# whatever the product is called; the deposit named is the yardstick, not the product.
# A product likened to a deposit (跟存款一样安全) is pitched against it the same way.
# 比您续定期高 names the customer's own renewal as the yardstick.
ABOVE_DEPOSIT = phonetic_re(r"比(?:您|你)?(?:放|续|存|继续存|再存)?(?:定期|存款|存银行|银行|国债|存单)"
                            r"[^，,。！？!?]{0,6}(?:高|强|多|划算|好)"
                            r"|(?:跟|和|同|像)(?:存款|定期|存银行|存单)(?:一样|差不多)")

# The agent puts something forward. Acts and frames are read as written: two-syllable cues
# meet too many homophones by sound (试试 = 十四, 在售 = 在手).
# Introducing a product with its noun is a long enough structure to read by sound (我们有一类纯债
# 鸡金); the short cues are read as written.
INTRODUCE_SOUND = phonetic_re(
    # (您现在还在持有一款理财 names the customer's holding: 持有 is no 有)
    r"(?:现在|最近|新|这边|我们|我行|俺行|咱行|公司|刚)[^，,。！？!?您你]{0,4}(?:(?<!持)有|推出|出了|发了|上了)(?:了)?"
    r"(?:一|个|款|只|支|份|类|新)[^，,。！？!?]{0,12}(?:产品|计划|理财|基金|保险|寿险|年金|分红|两全|万能|投连|服务"
    r"|r[1-5一二三四五]|比较基准|年化)"
    # or a clause that opens on the product (…不能越级购买。在现有等级内，有一款R2的固收类): the
    # subject is left out, the offer is the same
    r"|(?:(?<=[，,。！？!?；;])|^)(?:还|也)?有(?:一)?(?:款|只|支)[^，,。！？!?]{0,12}"
    r"(?:产品|理财|基金|保险|年金|分红|万能|投连|固收|债|r[1-5一二三四五])"
    # or a new one to be described next (我这边有款新的，想跟您讲讲)
    r"|有(?:一)?(?:款|只|支|个)新的"
)
INTRODUCE = re.compile(
    # 新发疾病 is a new illness, not a new issue
    r"新产品|新发(?![病疾症])|在售|热销|正在发售|刚发行|给您介绍|跟您介绍|介绍(?:一下)?(?:一|这)?(?:款|只|支)|(?:在|主|力)推(?!荐|进|动|送|迟|后)"
    # a product of ours introduced by its quoted name (我们现在有一款“晋中稳享一年”，风险等级R2)
    r"|(?:现在|最近|这边|我们|我行|咱行)[^，,。！？!?您你]{0,4}(?:有|推出|出了|发了|上了)了?一?(?:款|只|支|个)[“「‘'\"]"
    # a product of ours given as the example of what to buy (比如我们的清溪稳健一年)
    r"|(?:像|比如|譬如|例如)(?:[^，,。！？!?]{0,4}(?:我们|我行|咱们|咱行)|[“「‘'\"])"
)
# Our own investment product named as a choice (另一个是我们这边的纯债基金): an offer, though
# a holding is named the same way (您买的是我们代销的…), so the holding test still applies.
OURS = phonetic_re(
    r"(?:我们|我行|咱们|咱行|俺行)(?:这边|这里)?(?:代销|发行)?的[^，,。！？!?]{0,6}"
    r"(?:理财|基金|债基|纯债|混合|指数|年金|分红|万能|结构性存款|积存金|私募|信托|资管|收益凭证)"
    # one product of those we distribute (我们这边正好代销海晟人寿的一款“…”)
    r"|(?:我们|我行|咱们|咱行|俺行)[^，,。！？!?您你]{0,4}代销[^，,。！？!?]{0,8}的一?(?:款|只|支)"
)
INVITE = re.compile(
    # the agent's own advice on where to put the money (我建议分三块：…放现金管理类R1…) puts
    # products forward as 建议您 does
    r"推荐|建议(?:您|你)[^，,。！？!?]{0,6}(?:买|配|投|放|换|转|选|做|考虑)"
    # 考虑进去 / 考虑在内 is "take into account" (赎回费您决定的时候可以考虑进去), no invitation
    r"|(?:我|我们|我这边)(?:的)?建议(?:您|你)?[^，,。！？!?]{0,4}(?:分|配置|配|放|买|投)|可以考虑(?!进去|在内)|考虑一下|不妨|要不要|有没有兴趣|有兴趣|感兴趣|试试"
    # money moved to the customer's card or account, or a case passed to a department (转到银行卡 /
    # 转到合规部), is service, not a product put forward
    r"|适合(?:您|你)|挺适合|正合适|值得|可以了解|您了解一下"
    r"|(?:(?:换|转|挪|放)(?:到|成)|放进)(?!您|你|卡|期|账户|活期|本金|了|银行卡|资金账户|工资卡|合规|部门|专人|后台|上级|营业部|支行|网点)"
    # 再加 adds money (再加两万 / 再加点), not a further requirement (资产满十万，再加两年交易经验)
    r"|追加|加仓|再加(?=点|一点|些|一些|仓|[一二两三四五六七八九十几0-9]+(?:万|千|百|块|元))|补仓|上车"
    # a product of ours pointed to (也可以看看我们这款…)
    r"|看看(?:我们|我行|咱们|咱行)(?:这|的|那|新)"
    # money moved into a product of ours (到期了转我们这款…)
    r"|(?:换|转|挪|放)(?:到|成|进)?(?:我们|我行|咱们|咱行)(?:这款|这只|这支|那款|那只|的|新)"
    r"|买点|买一点|配一点|配置一点|配点|可以(?:每个月|每月)?(?:定投|配置|配一些|买一些)"
    # a product pitched by its recent record (这只今年涨了二十 / 这款最近表现不错)
    r"|这(?:只|款|个)[^，,。！？!?]{0,10}(?:最近|今年|近一年|去年|这几年|一直)[^，,。！？!?]{0,8}(?:涨|收益|表现|业绩)"
)
TRANSACT = re.compile(
    r"(?:帮|给|为)(?:您|你)(?:买|下单|申购|认购|购买|配置|预约购买|锁定)|名额|额度有限|就没了|起购|起投|起买|就(?:能|可以)买(?:了)?"
)
ADDS = re.compile(r"追加|加仓|再加|再买|多买|补仓|(?:换|转|挪|放)(?:到|成|进)?(?:我们|我行|咱们)")
