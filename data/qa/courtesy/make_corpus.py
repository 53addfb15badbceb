# ruff: noqa: E501  (phrase banks: long Chinese lines read better unwrapped)
"""Labelled agent utterances for the courtesy classifier (qa/classifier.py, model ``courtesy``).

    .venv/bin/python data/qa/courtesy/make_corpus.py      # rewrites qa/corpora/courtesy/train.tsv and heldout.tsv

Each line of the output is ``label<TAB>text`` with label ``rude`` (the agent is rude,
impatient, blaming, dismissive, sarcastic, condescending, hurrying or curt) or ``ok``
(polite, neutral, or a polite look-alike: apologies, 不是您的问题, firm-but-polite refusals,
explaining a rule, repeating information politely, reminding the customer of a risk).

Every core phrasing is written once, here, by hand; a core goes to exactly one split
(every fourth core of each family is held out), so ``heldout.tsv`` measures phrasings
the model never saw, not paraphrase-by-template of the training ones. The wrappers
(polite prefixes, sentence-final particles, business context, dialect flavour) and
the ASR noise (no punctuation, fillers, homophones 理财→李财, 您↔你) are applied to both
splits by a fixed-seed generator, so the files are reproducible byte for byte.
"""

from __future__ import annotations

import random
from pathlib import Path

from writers import courteous_units, rude_units

HERE = Path(__file__).resolve().parent
# train.tsv is read at run time (the pack's classifier), so it ships inside the qa package.
TRAIN_DIR = HERE.parents[2] / "qa" / "corpora" / "courtesy"
SEED = 20260611

# --- rude families ------------------------------------------------------------------------
RUDE: dict[str, list[str]] = {
    "impatience": [
        "您听明白了没有啊", "我不想再重复了", "说得够多了，您自己记着点", "您这记性也太差了", "又来了，又是这个", "我重复的够多了吧", "唉，怎么又问这个", "第五遍了大姐",
        "我刚才不是讲过了吗", "同样的话我要说几遍您才记得住", "这个问题您已经问了好几回了", "我再说最后一遍啊，您听好了",
        "讲了半天您还是没明白", "我嘴皮子都说破了", "这都第四次问我了", "我说得还不够清楚吗", "前面都解释过了您又问",
        "您到底有没有听我说话", "我一直在重复同样的东西", "刚跟您说完您就忘了", "一个问题翻来覆去地问", "我已经讲得很明白了，您自己再琢磨琢磨",
        "别再问同一个问题了", "翻来覆去就这么几句话，您怎么就记不住", "我讲第几遍了都", "哎呀我都说了嘛", "我都解释了三回了",
        "您能不能先听我说完", "您别老打断我行不行", "您这问题我回答过了", "又是这个问题", "怎么又绕回来了",
        "跟您讲了多少回了还问", "说一遍两遍您都不听", "您问来问去就是这些", "我也是服了，又问一遍", "早就跟您讲清楚了啊",
        "能不能别一直问", "这句话我今天跟您说了不下五遍", "同一件事您问了我一上午了",
    ],
    "blame": [
        "您自己不看说明书，能怪谁呢", "那是您自己没设置好", "您要是听我的早就没事了", "还不是您自己弄丢的", "说明书上都有，您自己没看而已", "这能赖我们吗，您自己签的字", "您家里人乱操作的，关我们什么事",
        "这是您自己没看清楚", "谁让您随便点陌生链接的", "您签字的时候不看的吗", "密码是您自己告诉别人的，怪不了我们",
        "您自己操作失误怪不到银行头上", "您要是早点来办也不会这样", "合同上写得清清楚楚是您自己没看", "验证码是您自己给出去的",
        "那是您自己选的产品，亏了也是您自己的事", "您自己不注意还来找我们", "出了问题就赖银行", "您没按提示操作能怪谁",
        "是您自己填错了", "短信通知早就发了，您不看有什么办法", "您那天自己同意的，现在又反悔", "这事说到底就是您不小心",
        "您自己把卡借给别人的", "您不按时还款才逾期的，怨不得别人", "您当时要是问清楚就好了，现在说有什么用", "自己搞错了还怪我们",
        "您们这些客户就是不看说明", "这个是您自己点的确认，系统不会错", "老年人就是容易上当", "您不懂就别乱点",
        "那是您操作的问题，跟我们没关系", "您这是自己找的麻烦", "谁叫您不早点说", "这锅我们可不背",
        "您自己的钱自己不上心", "年纪大了就别自己弄手机银行了", "都是您自己没留意",
    ],
    "dismissal": [
        "这个问题我回答不了，您别问了", "您去哪告都没用", "爱咋咋地吧", "我管不着", "您这事儿我办不了，别找我", "行了，您自己去弄吧", "不是我负责的，找谁都行别找我", "您有意见找领导去",
        "这事不归我们管", "您找别的部门去", "我也没办法，您自己想辙吧", "反正规定就这样，办不了就是办不了", "您爱去哪投诉去哪投诉",
        "我说不清楚，您自己去看", "没空跟您解释这些", "这个我不清楚，别问我", "您问我也没用", "跟我说没用，我又做不了主",
        "随便您吧，爱怎么样怎么样", "那您自己看着弄吧", "您想投诉就投诉，无所谓", "这种事不要打这个电话", "我这儿管不了这个",
        "您自己上网搜一下不就行了", "找我干嘛，去找网点", "我哪知道您的钱去哪了", "反正就是这样，您听不听随您", "您要不信就算了",
        "办不了，下一个问题", "不知道，您问别人吧", "我没法回答您，自己判断", "这种问题也来问", "说了您也不会改，算了",
        "您要告就去告", "这不是我的事", "我只管这一块，别的别问我", "这个您自己去查去", "跟您说不着",
        "那我也没辙", "您爱咋办咋办",
    ],
    "sarcasm": [
        "您可真是个大忙人", "哎哟，您这要求可真高", "您这么有钱还在乎这点手续费啊", "那您去别家看看呗，看谁家保本", "可算想起来了", "您可真会算账，什么便宜都想占",
        "哟，现在知道着急了", "您可真会挑时候打电话", "您这么懂还问我干嘛", "您这账算得可真精啊", "这么点钱也值得跑一趟",
        "早干嘛去了，现在才来问", "您可真行，这也能忘", "您还挺有主意的嘛，那别问我啊", "那您可厉害了，比我们还懂", "您这问题问得可真有水平",
        "呵呵，那您自己去赚那么多吧", "又想要高收益又怕亏，哪有这种好事", "您要是能找到保本高收益的，告诉我一声", "行，您说啥就是啥",
        "这么好的机会您都不要，那您就存活期吧", "您现在才想起来查账啊", "您是第一次用手机吧", "哎哟，那您可真是大客户",
        "您觉得我们银行是开慈善的吗", "等您想明白产品都卖完了", "您这是来找茬的吧", "您可真够谨慎的，谨慎到什么都不买",
        "别人都抢着买，就您犹豫", "您要是会看也不用打电话了", "我还以为多大事呢",
    ],
    "condescension": [
        "这个道理三岁小孩都懂", "您可能不太懂这个，我说了您也记不住", "您这水平买基金就是送钱", "就您这操作，亏是正常的", "您回去补补课再来", "跟您讲这些等于白讲",
        "这么简单的东西都搞不懂", "您这年纪学不会也正常", "跟您说了您也理解不了", "您懂什么叫净值吗", "基金都不懂就别瞎买",
        "一看您就没买过理财", "这是常识啊", "小学生都会操作", "这个很容易的嘛，您再好好想想", "您先把基本概念弄明白再来问",
        "您这种情况我见多了", "说那么专业您也听不懂，简单点说吧", "您还是让您孩子来办吧", "这个对您来说可能太难了",
        "我教您多少次您也学不会", "您就别操心这些了，反正您也不懂", "连验证码都不会输吗", "APP那么大的按钮看不见吗",
        "您识字吧，上面写着呢", "这点道理都不明白", "您就是典型的保守型，什么都怕", "您不懂可以不买，别瞎问",
        "我们都是专业的，您听我的就行了，问那么多干什么", "您这个理解完全是错的，外行就是外行", "这种产品不适合您这种不懂的人",
        "您要有点金融常识就不会这么问", "老人家就是转不过弯来",
    ],
    "hurrying": [
        "快点吧，我时间很紧", "您要想半天就先挂了吧", "抓紧时间，别磨洋工", "要办就快点，不办就走", "您能不能利索点",
        "快点快点，后面还有人排队", "您能不能快点说重点", "想好了再打电话", "别磨蹭了赶紧决定", "长话短说，我这边很忙",
        "到底办不办，给个痛快话", "您赶紧的，我还有别的客户", "别想了，就这个", "我没那么多时间陪您聊", "您说完没有",
        "考虑什么考虑，名额马上没了", "行了行了，就这样吧", "您快点把卡给我", "赶紧签字，签这里", "别啰里啰嗦的",
        "您到底想问什么，直接说", "一句话的事您说了五分钟", "磨磨唧唧的，快点", "下一位下一位，您先去旁边填", "我这儿忙着呢，您自己先看",
        "您能不能别耽误大家时间",
    ],
    "curt": [
        "没办法", "别问我", "不归我管", "找别人", "办不了就是办不了，没什么好说的",
        "不知道，别问我", "说了不行就是不行", "没那回事", "爱信不信", "没有，别问了", "不行，没得商量", "自己看", "那就不办呗",
        "有事快说", "办不了，挂了", "都说了没有", "不清楚，问别人", "就这样，没别的了", "嗯，还有事吗，没事挂了",
        "要不要，不要拉倒", "没空", "少问两句", "问完了吧",
    ],
    "pushy": [
        "这都不买您还想买什么", "别人抢都抢不到您还犹豫", "您不买是您的损失，后悔别来找我", "怕亏就别来理财", "胆子这么小还理什么财",
        "存银行那点利息够干什么的", "不买就算了，浪费我时间", "您这样的客户我们不缺", "说了这么多您一个都不买", "您这么犹豫一辈子也发不了财",
        "不相信我您打电话来干嘛", "我都跟您说了好几次了您怎么还不信", "您再拖下去就没有了，到时候别哭",
    ],
    "insult": [
        "您是不是脑子有问题", "您听不懂人话吗", "您这人怎么这么难缠", "有病吧", "您这人真是不可理喻", "跟您说话真累",
        "真是服了您了", "您这素质", "什么人啊这是", "没见过这么麻烦的客户",
    ],
    # Polite on the surface, impatient or blaming underneath.
    "sweet_sour": [
        "您看，我都讲得这么清楚了呢", "亲，您认真看一下页面就知道了哦，不用一直问的", "好的呢，您开心就好", "哈哈，这个您都不知道呀", "我理解您，但您自己点的确认我们也没办法呢",
        "亲，这个我已经跟您说过很多次了哦", "麻烦您认真听一下好吧", "请您理解，这确实是您自己的原因呢", "这个真的很简单的呀，您再试试",
        "不好意思哈，我讲得已经够清楚了", "亲亲，上面都写着的呢，您仔细看看哦", "请您配合一下，别再重复问了哦", "您别急嘛，我说第三遍了呀",
        "理解您，但这就是您没注意到的问题呢", "您先冷静一下，这个确实是您搞错了哦", "好的呢，那您自己去网点问吧", "麻烦您下次看清楚再打过来哦",
        "亲，这个页面写得明明白白的哦", "您放心，这个很简单的，一般人都会", "不好意思，您这个问题刚才已经回答过了呢", "辛苦您自己再看一遍说明好吗，我真的讲过了",
        "请您听清楚哦，我只说这一次", "亲，您这样我们也很难办的呢，要不您换个人问",
    ],
    "dialect": [
        "你咋还整不明白呢", "整啥呢，这都不会", "墨迹啥呀，快点整", "你咋个还听不懂嘛", "啥子嘛，说了好多道了", "你自己去看嘛，我咋晓得",
        "都讲咗好多次啦", "你自己睇啦", "侬哪能还勿懂", "中不中给个话，别磨叽", "恁咋恁多事儿", "你这人咋回事儿，说了不听",
        "瞎咧咧啥，自己没看", "你问我我问哪个嘛", "讲咗你又唔听", "搞啥名堂，说了好几遍了",
    ],
}

# --- polite / neutral look-alikes ---------------------------------------------------------
OK: dict[str, list[str]] = {
    "apology": [
        "不好意思让您久等了", "非常抱歉给您带来不便", "抱歉刚才没听清楚，您能再说一遍吗", "实在对不起，是我们工作没做到位",
        "抱歉，系统有点慢，请您稍等", "给您添麻烦了，真的很抱歉", "对不起，刚才是我没解释清楚", "这件事让您跑了两趟，非常抱歉",
        "很抱歉这个结果让您失望了", "对不起，打扰您了", "抱歉让您重复了一遍，我记下了", "让您着急了，实在不好意思",
    ],
    "not_your_fault": [
        "您没有做错什么，我们马上处理", "这种情况不少客户都遇到过，不是您的原因", "问题出在我们这边，给您道歉",
        "这个不是您的问题，是系统延迟", "不怪您，这个页面确实不好找", "这不是您操作的原因，是通道在维护", "您没有做错什么，是我们这边的问题",
        "这个跟您没关系，是对方银行退回了", "不是您的责任，我们会跟进处理", "您不用自责，很多客户都遇到过", "不是您看错了，是页面显示有误",
        "这个情况不能怪您，提示确实不明显",
    ],
    "refusal": [
        "很抱歉，按照规定这个业务需要本人到网点办理", "这个我们确实办不了，建议您联系发卡行", "不好意思，您的测评等级是C2，这款R4产品不能向您销售",
        "抱歉，电话里不能帮您改密码，需要您带身份证到柜台", "这个要求我们暂时无法满足，我帮您登记反馈", "按规定不能代客户填写问卷，需要您本人作答",
        "这款产品超出了您的风险承受能力，我们不能推荐", "抱歉，额度调整需要系统审核，我这边没有权限", "这个确实不行，不过有另一个办法可以试试",
        "很遗憾，这期产品已经售罄了", "为了您的资金安全，这笔转账我们需要先暂停核实", "不好意思，非本人不能查询账户信息",
    ],
    "rule": [
        "根据监管要求，购买理财前需要做风险测评", "提前支取会按活期计息", "这款产品有三十天的封闭期，期间不能赎回", "赎回资金一般T加二个工作日到账",
        "理财非存款，产品有风险，投资须谨慎", "过往业绩不代表未来表现", "大额存单二十万起存", "基金赎回费持有满七天以后是零点五",
        "风险测评有效期是一年，过期需要重新做", "挂失以后新卡七个工作日可以领取", "超过限额的转账需要到柜台办理", "信用卡逾期会影响征信记录",
        "这个活动每个客户限参加一次", "业绩比较基准不代表实际收益",
    ],
    "repeat_polite": [
        "您刚才问的问题我再补充一点", "我再说一遍，您看哪里没听清", "这个确实容易记混，我给您写下来",
        "我再跟您重复一下", "没关系，我再给您讲一遍", "可能我刚才没说清楚，我换个方式解释", "我再给您确认一次，是五万元对吗",
        "您别着急，我们一步一步来", "好的，我慢一点说，您记一下", "我把要点再跟您总结一下", "这个确实有点复杂，我一步一步带您操作",
        "没问题，您有不明白的随时问我", "我重复一下您的需要，您看对不对", "您之前咨询过这个问题，我再帮您确认一下最新情况", "我刚才说得快了，我再说一遍",
        "您记不住也没关系，我稍后把短信发给您", "您多问几次没关系，弄清楚最重要",
    ],
    "self_service": [
        "您可以在手机银行上自己查看", "您也可以登录APP，在我的页面里查询", "短信里有详细说明，您方便的时候可以看一下", "合同第三条有写，我给您念一下",
        "页面上有操作指引，我带您一起看", "您可以自己选择合适的时间办理", "您可以再考虑一下，不着急", "决定权在您，我只是给您提供参考",
        "您回去跟家人商量一下也可以", "您可以自己比较一下这几款产品",
    ],
    # 您自己 in a neutral or kind sentence: a fair check, a fact, a choice left to the customer.
    "self_neutral": [
        "请问这笔交易是您本人操作的吗", "是您自己在手机上点的确认吗", "利率是您自己选的期限决定的", "这个额度您可以自己在APP上调整",
        "卖出价格您自己设定就可以", "您自己决定就好，我尊重您的选择", "您自己也可以在网上银行查询", "这个密码只有您自己知道，请保管好",
        "是您自己来办还是家人代办", "您自己保管的话要注意安全", "存多久您自己定，都可以", "这份合同您自己留一份", "您自己有时间的话可以来网点看看",
        "请问当时是您自己签收的吗", "您自己设置的提醒已经生效了", "这个选项您自己勾选就行", "转给谁您自己确认好再提交", "您自己方便的时间来就行",
    ],
    "reminder": [
        "请您注意保管好验证码，不要告诉任何人", "这种情况很可能是诈骗，请您千万不要转账", "请您仔细核对一下收款人信息", "麻烦您提供一下身份证后四位",
        "请您认真阅读一下风险揭示书再签字", "请您注意看一下短信里的金额", "请您确认一下是本人操作吗", "签字之前请您仔细看一下合同条款",
        "为了您的资金安全，不要随便点陌生链接", "您以后收到这类电话可以直接挂掉",
    ],
    "service": [
        "您好，请问有什么可以帮您", "请您稍等，我帮您查询一下", "已经帮您办好了", "理解您的心情，我们一定尽快处理", "您放心，这笔钱会原路退回",
        "您说得对，这个我们会改进", "好的，已经帮您记录下来了", "感谢您的耐心等待", "这边给您提交了加急处理", "您还有其他需要帮忙的吗",
        "感谢您的来电，祝您生活愉快", "我们这边有一款R2的产品可以给您介绍一下", "您的测评结果是稳健型，跟这款产品匹配", "这笔转账已经到账了",
        "您的卡已经帮您临时冻结了", "这款理财业绩比较基准是年化三点二", "您的理财下个月十五号到期", "好的，我给您发一条短信，您留意查收",
        "您看这样安排可以吗", "明白了，我马上帮您处理", "谢谢您的反馈，我们会转给相关部门", "请问您还有其他问题吗", "工作人员会在两个工作日内联系您",
        "您先别挂电话，我帮您转接专员", "我们会有专人回访您", "好的，您慢走", "欢迎下次光临", "这个我帮您问一下同事，马上回复您",
    ],
    # Sales talk, compliant or not: a promise (不会亏 / 没出过问题) breaks another rule, not courtesy.
    "pitch": [
        "您放心，这个产品很稳的", "我们卖了好多年了，客户反馈都不错", "这款最近挺受欢迎的，您可以了解一下", "跟您说实话，这个收益在同类里算高的",
        "这个亏不了的，您放心买", "从来没出过问题，好多老客户都在买", "您要是想稳一点，这款最合适", "我个人觉得这款挺适合您的",
        "名额不多了，您要是有兴趣可以先预约", "今天买的话还能赶上这一期", "收益比存款高一些，流动性也不错", "我跟您说，这款真的挺划算的",
        "您可以先买一点试试", "这个我自己也买了", "很多跟您情况差不多的客户都选了这款",
    ],
    "firm_calm": [
        "这个结果是系统根据您的答题算出来的，我没法手动改", "我理解您不满意，但政策确实是这样规定的", "我们的规定是统一的，对所有客户都一样",
        "您的诉求我已经记下来了，会有专人回复", "如果您对处理结果不满意，可以拨打投诉热线反映", "您有权投诉，我把投诉渠道告诉您", "这个我确实不清楚，我帮您问一下再回复您",
        "这个我没法给您保证，市场是有波动的", "收益没法预测，我不能随便给您承诺", "这件事我需要请示一下主管",
    ],
}

# Plain service talk in many situations (the bulk of real agent turns): questions, instructions,
# facts, confirmations, surveys, regional friendliness. Function words (什么, 了, 那, 您先, 问题)
# appear here as much as in the rude families, so the model cannot lean on them.
NEUTRAL: list[str] = [
    "请问您是要办理什么业务", "请问是哪一张卡出的问题", "请问您觉得我们的服务怎么样", "请问您大概什么时候方便过来", "请问还有什么问题吗",
    "您先在这边填一下单子", "您先看一下这份说明", "您先坐一下，马上叫到您", "您先考虑一下，想好了再联系我", "那您先回去跟家人商量商量",
    "您先看着，有问题随时叫我", "好嘞，您来了直接找我就行", "行，那您先忙", "好的，没问题", "得嘞，马上给您办", "要得，我帮您弄", "冇问题，我帮您查下",
    "中，没问题，明天过来就行", "那我先帮您登记上", "需要带本人身份证和银行卡", "汇款到境外需要提供收款人的账号和地址", "第四次开始按规定收取手续费",
    "异地取款手续费是千分之五", "保管箱现在暂时没有空的，可以先登记排队", "外币存款的利率每天会有调整", "贷款提前还款需要提前一个月预约",
    "信用卡账单日是每月五号", "这笔钱是对方退回来的，已经到您账上了", "我看一下您这张卡的状态，请稍等", "系统在升级，可能要晚一点才能查到",
    "这个问题我帮您记录一下，反馈给后台", "您说的情况我明白了", "您是想问利息怎么算对吧", "那这样，我给您算一下", "一共是五万三千二百元",
    "到期以后本金和收益会自动回到您的卡上", "您要是不着急用钱，可以等到期再取", "这个活动需要在手机银行上报名", "您可以先在APP上预约，到了不用排队",
    "您这个情况需要走一下挂失流程", "补卡需要十块钱工本费", "您把手机号告诉我，我给您发链接", "请问您的手机号是多少", "您的名字怎么写",
    "您孩子的录取通知书也需要带上", "护照复印件需要本人签字", "我们网点周六也上班", "营业时间是早上九点到下午五点", "停车场在大楼后面",
    "那您看是今天办还是改天", "您考虑好了随时给我打电话", "您觉得哪个时间合适", "那我们就按这个来", "我帮您把表格填好了，您核对一下",
    "这边签个字就可以了", "麻烦您在这里按个手印", "钱您点一下，一共两万", "卡和身份证您收好", "单子您拿好，上面有查询电话",
    "您的投诉我们已经受理，会在三个工作日内回复", "给您带来的不便我们深表歉意", "我们会对这位同事进行批评教育", "您反映的问题很重要",
    "这款基金最近一年的波动比较大", "债券基金相对稳一些，但也不保本", "定投可以分散买入的时间", "这个产品的起购金额是一万元",
    "R3的产品净值会有波动", "您的风险测评是稳健型", "您要不要先做一下风险测评", "测评大概五分钟就能做完", "问卷要您本人根据实际情况填",
    "这只基金今年涨了百分之十二", "过往业绩不代表未来表现", "这个不是存款，是理财产品", "您要是担心波动，可以选R1、R2的",
    "我们有专门的理财经理可以跟您约时间", "您方便的话可以来网点面谈", "这期的额度还有不少，不用着急", "这个我要跟领导确认一下",
    "我问一下后台，五分钟内给您回电话", "您的电话我记下了", "稍后会有短信通知", "请您留意一下短信", "验证码五分钟内有效",
    "请您在页面上输入收到的验证码", "您现在打开手机银行，点首页的转账", "然后选择跨行转账", "再输入对方的卡号和姓名", "最后点确认就可以了",
    "如果页面提示失败，您截个图发给我们", "您这边网络是不是不太好", "您那边声音有点小，能大点声吗", "喂，您还在听吗", "信号不太好，我再说一下",
    "没事，您慢慢说", "不着急，您想清楚再说", "您说，我听着呢", "嗯，明白，您接着说", "您的意思是想提前取出来对吧",
    "这个是正常的，很多客户都会问", "您问得很好", "这个问题问得很细", "您的顾虑我理解", "换成是我也会担心",
]

# Short acknowledgements and neutral questions: short turns have few features, so each one
# must be seen as ordinary (明白 / 真的 / 您怎么称呼 are not rude on their own).
SHORT_OK = ["明白", "明白了", "嗯嗯明白了", "真的", "是真的", "好的好的", "是的", "对", "没错", "了解", "清楚了", "可以的", "行的", "好嘞",
            "收到", "稍等", "对对对", "没问题的", "您说", "您讲", "是这样", "这样啊", "哦哦好的", "知道了", "马上", "在的", "您好", "喂您好",
            "好的我记下了", "可以可以", "是这么回事", "就是这么回事", "对，是这样的", "没错，就是这样", "是吧", "哈哈没事", "不客气", "应该的", "那好", "嗯对", "那行", "行嘞", "放心吧", "您稍等"]
CLOSINGS_OK = ["没别的事的话我就先挂了，祝您生活愉快", "那我先挂了，有事随时打过来", "没其他问题我就先不打扰您了", "那就先这样，再见",
               "好的，那我先挂了，您慢走", "您先挂吧，再见", "没事的话就先到这儿，祝您周末愉快", "我这边先挂了，有问题再联系",
               "就这样吧，感谢您的来电", "那行，今天就先聊到这里", "那我不耽误您时间了，再见", "您要是没别的问题，我这边就先结束通话了"]
QUESTIONS_OK = ["请问怎么称呼您", "您的名字怎么写", "您看怎么安排比较好", "这个怎么操作我教您", "利息怎么算我给您说一下", "您是怎么收到这条短信的",
                "请问您这边网络是不是不太好", "您是不是在外地", "您是不是想问到账时间", "您有什么顾虑可以跟我说", "您还想了解什么", "您想什么时候办",
                "请问是什么时候发现的", "您是在哪个网点开的户", "您是用手机还是电脑操作的", "您的卡是不是在身边", "您说的是哪一笔", "您要转多少",
                "那您打算怎么处理这笔钱", "您看还有什么不清楚的", "您怎么方便怎么来", "您是想存定期还是买理财", "您平时怎么理财的", "您的钱大概多久不用"]

# Polite requests and directions, composed: 麻烦您 / 请您 / 您 + an action + a soft ending.
REQUEST_HEADS = ["麻烦您", "请您", "您", "辛苦您", "劳驾您", "您方便的话", "您看能不能", "那您"]
ACTIONS = ["报一下身份证后四位", "说一下预留手机号", "把卡插进去", "在这里签个字", "输一下密码", "再确认一下金额", "留个联系电话",
           "到三号窗口办理", "带上户口本过来", "把截图发给我们", "点一下右上角的设置", "稍等两分钟", "核对一下姓名", "看一下屏幕上的金额",
           "来了直接找我", "到了给我打个电话", "先拿个号", "填一下这张申请表", "打开短信看一下验证码", "明天上午过来", "回去再想想",
           "把旧卡带过来", "先去做个风险测评", "在APP上点一下确认", "提供一下收款人姓名"]
REQUEST_TAILS = ["", "", "，谢谢", "，我核实一下", "就行", "就可以了", "好吗", "，辛苦了", "，我这边马上处理", "，不着急"]

# Context an agent turn often carries around the attitude (either label).
CONTEXT = [
    "您这笔转账已经到账了", "您的卡现在是正常状态", "这款理财是R2的", "提前支取按活期算", "系统显示已经受理了", "这个活动月底结束",
    "您的测评结果是C3", "赎回要两个工作日", "密码可以在APP上重置", "这张单子要填大写金额", "积分可以换礼品", "利率是一点九五",
]
POLITE_PREFIX = ["", "", "", "您好，", "好的，", "女士，", "先生，", "阿姨，", "嗯，", "这样啊，", "是这样的，"]
PARTICLES = ["", "", "", "啊", "呀", "嘛", "哦", "的呢", "吧", "啦"]
FILLERS = ["嗯", "那个", "就是说", "呃", "对对", "然后"]
HOMOPHONES = {"理财": "李财", "基金": "鸡金", "风险": "风显", "收益": "收意", "测评": "侧评", "赎回": "书回", "到期": "到其",
              "存单": "村单", "您": "你", "定投": "定头", "净值": "净直", "利率": "利律"}
PUNCT = "，。！？、,.!?"


def _noisy(rng: random.Random, text: str) -> str:
    """ASR-style text: no punctuation, fillers, homophone swaps."""
    for word, sound in HOMOPHONES.items():
        if word in text and rng.random() < 0.55:
            text = text.replace(word, sound)
    chars = list(text)
    if rng.random() < 0.6 and len(chars) > 4:
        k = rng.randrange(1, len(chars) - 1)
        chars.insert(k, rng.choice(FILLERS))
    out = "".join(chars)
    sep = " " if rng.random() < 0.3 else ""
    return "".join(sep if c in PUNCT else c for c in out).strip()


def _variants(rng: random.Random, core: str, n: int) -> list[str]:
    out: list[str] = []
    for _ in range(n):
        text = rng.choice(POLITE_PREFIX) + core
        if text[-1] not in "吗呢吧啊呀嘛哦啦了" and rng.random() < 0.4:
            text += rng.choice(PARTICLES)
        roll = rng.random()
        if roll < 0.25:
            text = rng.choice(CONTEXT) + "，" + text
        elif roll < 0.4:
            text = text + "，" + rng.choice(CONTEXT)
        text += rng.choice(["", "。", "！", "？"]) if text[-1] in "吗呢" else rng.choice(["", "。", "。", "！"])
        if rng.random() < 0.45:
            text = _noisy(rng, text)
        out.append(text)
    return list(dict.fromkeys(out))


def _dialogue_turns(limit: int) -> list[str]:
    """Agent turns from the project's generated dev dialogues whose courtesy label is pass:
    broad neutral service talk (greetings, verification, product talk, closings)."""
    import json

    out: list[str] = []
    path = HERE.parent / "dev.jsonl"
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        if row["labels"].get("courtesy") == "pass":
            out += [s["text"] for s in row["segments"] if s["speaker"] == "agent"]
    uniq = sorted(set(out))
    random.Random(SEED).shuffle(uniq)
    return uniq[:limit]


def _upsell_turns(limit: int) -> list[str]:
    """Agent turns of the project's generated upsell dialogues (offers, answers, closings)."""
    import json

    path = HERE.parents[1] / "upsell" / "dev.jsonl"
    out = {text for line in path.read_text("utf-8").splitlines() for speaker, text in json.loads(line)["turns"]
           if speaker == "agent"}
    uniq = sorted(out)
    random.Random(SEED).shuffle(uniq)
    return uniq[:limit]


# The outside writers' courteous sentences (ok) and the rude lines their notes quote (rude):
# writers.py. Each rude line is seen with this many wrapped variants, so a few dozen real
# lines weigh against the writers' thousands of courteous sentences.
RUDE_VARIANTS = 4
# Their rude lines blame the customer with 是您自己操作的 / 您自己选的; the same words asked as a
# check (是您自己操作的吗) are a fair question, so they come in beside those lines.
FAIR_CHECKS = ["这笔转账是您自己操作的吗", "请问这个是您自己点的确认吗", "当时是您自己签的字吗", "这款产品是您自己选的吗",
               "请问密码是您自己设置的吗", "这笔钱是您自己转出去的吗", "是您自己在APP上买的，还是在柜台买的",
               "请问当时是您自己授权的吗", "是您本人自己操作的对吗", "您确认一下，是您自己填的手机号吗"]


def build() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    rng = random.Random(SEED)
    train: list[tuple[str, str]] = []
    held: list[tuple[str, str]] = []
    for label, families, per in (("rude", RUDE, 6), ("ok", OK, 6)):
        for family in sorted(families):
            for k, core in enumerate(families[family]):
                dest = held if k % 4 == 3 else train
                dest += [(label, t) for t in _variants(rng, core, per)]
    for k, core in enumerate(NEUTRAL):
        dest = held if k % 4 == 3 else train
        dest += [("ok", t) for t in _variants(rng, core, 4)]
    for k, text in enumerate(SHORT_OK + QUESTIONS_OK + CLOSINGS_OK):
        dest = held if k % 4 == 3 else train
        dest += [("ok", t) for t in _variants(rng, text, 3)]
    requests = [h + a + t for h in REQUEST_HEADS for a in ACTIONS for t in REQUEST_TAILS]
    rng.shuffle(requests)
    for k, text in enumerate(sorted(set(requests[:700]))):
        dest = held if k % 4 == 3 else train
        dest.append(("ok", _noisy(rng, text) if rng.random() < 0.4 else text))
    neutral = _dialogue_turns(900) + _upsell_turns(600)
    cut = len(neutral) * 4 // 5
    train += [("ok", t) for t in neutral[:cut]]
    held += [("ok", t) for t in neutral[cut:]]
    # The writers' sentences are ok; a few rude lines are set inside one of them, so the
    # register itself does not come to mean "ok" and a rude clause inside a long real turn
    # still scores rude. More wrapping raised recall but brought back false flags on r1/r2.
    units = courteous_units()
    train += [("ok", t) for t in units]
    wrapped = []
    for label, text in train:
        if label == "rude" and rng.random() < 0.15:
            ctx = rng.choice(units)
            wrapped.append(("rude", f"{ctx}，{text}" if rng.random() < 0.5 else f"{text}，{ctx}"))
    train += wrapped
    # The writers' own rude lines (all kept for training: the heldout split is the team's cores).
    wrng = random.Random(SEED + 1)
    for text in rude_units():
        train += [("rude", t) for t in dict.fromkeys([text, *_variants(wrng, text, RUDE_VARIANTS)])]
    for text in FAIR_CHECKS:
        train += [("ok", t) for t in _variants(wrng, text, 6)]
    return train, held


def main() -> None:
    train, held = build()
    for where, name, rows in ((TRAIN_DIR, "train.tsv", train), (HERE, "heldout.tsv", held)):
        body = "".join(f"{label}\t{text}\n" for label, text in rows)
        (where / name).write_text(body, encoding="utf-8")
        n_rude = sum(1 for label, _ in rows if label == "rude")
        print(f"{name}: {len(rows)} lines ({n_rude} rude, {len(rows) - n_rude} ok)")


if __name__ == "__main__":
    main()
