"""The cue tables of upsell openings (服务营销): per opening type, the expression families
a customer's words raise it with, and the exclusions that say when a cue means something
else. Data only; upsell/cues.py matches them (its docstring says how sound-alikes are
treated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.phonetic import pho, rx

LARGE_INFLOW_MIN = 100_000.0
# A sound-alike character inside a jieba word at least this common is that word, not an
# ASR error (想着 2808, 汇款 98; the misspellings 劳金 / 学飞 / 积金 are in the dictionary at 2-3).
REAL_WORD_FREQ = 50

@dataclass(frozen=True, slots=True)
class Cue:
    pattern: str
    negatable: bool = True  # skip the hit when a negator precedes it (没有闲钱)
    context: str | None = None  # must also occur in the turn (literally: short words collide by sound)
    exclude: str | None = None  # this cue only: its clause must not contain this
    rx: re.Pattern[str] = field(init=False)
    lit: re.Pattern[str] = field(init=False)
    ctx: re.Pattern[str] | None = field(init=False)
    exc: Cue | None = field(init=False)
    sounds: dict[str, str] = field(init=False)  # phonetic code -> the pattern's characters with it

    def __post_init__(self) -> None:
        object.__setattr__(self, "rx", rx(self.pattern))
        object.__setattr__(self, "lit", re.compile(self.pattern))
        object.__setattr__(self, "ctx", re.compile(self.context) if self.context else None)
        object.__setattr__(self, "exc", Cue(self.exclude) if self.exclude else None)
        sounds: dict[str, str] = {}
        for ch in dict.fromkeys(c for c in self.pattern if "\u4e00" <= c <= "\u9fff"):
            sounds[pho(ch)] = sounds.get(pho(ch), "") + ch
        object.__setattr__(self, "sounds", sounds)


MONEY = r"钱|万|[\dw]w|资金|存款|积蓄|余钱|活期|存的|块|卡里|卡上|账上"
NUM = r"[\d一二两三四五六七八九十几]"
# What a customer holds that can mature.
HELD = r"定期|定存|存单|理财|国债|存款|基金|产品|保险|年金|那笔|这笔|信托"
KIDS = (r"孩子|小孩|儿子|女儿|闺女|丫头|小子|娃|宝宝|大宝|二宝|孙子|孙女|外孙|小朋友|老大|老二|二胎|二孩|俩孩|两个孩"
         r"|外甥|侄子|侄女|(?<!小)姑娘(?!你|您)|(?<![一两几])个(?:女|仔|孙)(?![的人士生])")
STAGES = (r"上学|读书|念书|上大学|读大学|考大学|出国|留学|学费|教育|考研|读研|上小学|上初中|上高中|读高中|补课"
           r"|兴趣班|择校|学区|上幼儿园|高考|中考|高三|初三|补习|家教|考上|研究生|本科|硕士|博士|国外(?:读|念|上)")

CUES: dict[str, tuple[Cue, ...]] = {
    "maturity": (
        Cue(r"到期|期满|满期|到日子了|要到日子|期限到了|到点了"),
        # A closed-end product opening up is its maturity.
        Cue(r"封闭(?:期|式)的?.{0,10}?(?:结束|满了|到了|过了|开放|打开|解封)"),
        Cue(rf"(?:{HELD}).{{0,6}}?(?:快|就|要|马上|刚)?满(?:一|两|二|三|五|半)年|(?:{HELD}).{{0,6}}?兑付"
             rf"|(?:{HELD}).{{0,6}}?(?:(?:快|要|就要|马上|眼看要?)(?:结束|到头|到了)|到头了)"
             r"|期限.{0,8}?(?:就|快|要|马上)?(?:满了|到了|到头)"),
        # Something held said to come round on a date, with a bare 到 (我那个定期下个月好像也到了,
        # 存的三年的…是不是这个月到啊): the date makes it the term, not money arriving (到账).
        Cue(rf"(?:{HELD}|存的).{{0,12}}?(?:下个?月|这个?月|月底|月初|下周|下礼拜|下星期|明天|后天|年底|过几天|过两天"
             r"|这几天)(?:初|底)?(?:就|也|好像|快|要|就要)?(?:也|就|要)?到(?:了|啊|咯|喽|哦|吧)?(?![期账卡手款钱网点银行])"),
    ),
    "idle_funds": (
        Cue(r"闲钱|闲置|闲散|闲着|余钱|闲余|用不上的钱|暂时不用的钱|不用的钱|放着没[动用]|放着也是放着|放着也不是"
             r"|一直没动|没怎么动|没动过|放哪都没想好|没地方放|没处放|不知道往哪放|吃活期利息|活期那点利息|只有活期利息"
             r"|放(?:在)?活期|存活期|活期(?:账户)?(?:里|上)(?:有|放|还有|存|躺|趴|那|这|一直|[\d一二两三四五六七八九十几])"
             r"|(?:光|就|只|只能)(?:拿|吃)(?:那点|点)?(?:活期)?利息|纹丝(?:不|没)动|原封(?:不|没)动|一分(?:钱)?(?:都)?没动"
             r"|不(?:着)?急(?:着)?用|一时(?:半会)?(?:也)?用不(?:上|着|到)"
             r"|不知道(?:放哪|放在哪|怎么打理|买什么|干嘛|怎么处理|怎么安排|怎么弄|投什么|放什么)|唔知(?:点|咩|放边|摆边)(?:摆|放|处理|搞)"
             r"|(?:没|未|冇)(?:想|谂)好(?:怎么|买什么|放哪|做咩|点|干嘛|干啥|做什么|咋)|手(?:里|上|头|边)(?:有|还有|攒了|存了|还剩)(?:点|些|笔|一笔|一点|一些)"
             r"|手(?:头|里|上)(?:宽裕|宽松|松快|活泛)"
             # A sum left resting (七八十万放着), what is left of the pay each month (工资每个月都剩点).
             r"|(?:万|块钱)(?:块)?(?:就|都|还|一直|先|暂时)?(?:放|搁|存)着(?![呢吧]?[吗？?])|每个?月(?:都|能|还)?(?:剩|结余|余)(?:点|些|一点)"),
        # Money resting somewhere, or not needed for a while: only next to money, and not the
        # rest of an investment staying put (剩下的继续放着, 理财先不动).
        Cue(r"(?:躺|趴|睡|压|搁|扔|丢|堆|晾|沉)(?:在|着)?.{0,2}?(?:卡(?:里|上|头)|账户|账上|活期|余额|银行)|(?:躺|趴|睡|搁|晾|沉)(?:着|了)"
             r"|(?:卡|账户|账|活期|余额)(?:里|上).{0,2}?(?:躺|趴|睡|压|搁|沉|晾|放)(?:着|了)"
             r"|(?:还)?没(?:安排|打理|规划|处理)|不知道(?:咋弄|咋办|咋整|干啥)"
             r"|干放着|白放着|白白放|就这么放着|一直放着|放着呢|光放着|在(?:卡|账户|账)(?:里|上)放着|空着|怪可惜"
             # Resting money in south-western and Cantonese speech (放起的 / 放咗 = 放着, 冇郁 = 没动).
             r"|(?:一直|就那么|就这么|那么)?放(?:起|咗|住)(?:的|嘅|好耐)?|那么放着|冇(?:郁|动)|放着(?:也)?(?:没用|冇用|没啥用)"
             # 不用 before a verb is "no need to" (也不用处理, 都不用麻烦你), not money left unused.
             r"|(?:也|都|暂时|先|一直|短期内?|最近|近期|半年内?|一年内?)(?:都|也)?"
             r"(?:不用(?!处理|麻烦|管|担心|操心|客气|谢|说|问|查|改|办|去|来|弄|跑|填|签|帮|急|着急|你|您)"
             r"|用不着|用不上|用不到|不动|没动|没花)"
             r"|还没动|没怎么花|没地方花|不晓得怎么|没(?:啥|什么)用处"
             r"|放哪(?:儿|里)?(?:合适|好|比较好|划算)|该放哪|往哪放|放在哪(?:儿|里)?(?:好|合适)",
             context=MONEY,
             exclude=r"剩下|剩余|其余|(?:理财|基金|股票|产品|仓位)(?:先|就|继续|还是)?(?:放着|不动|拿着|留着)"
                     r"|净值|股价|价格|点位|行情|指数"
                     # A person lying ill or hurt (在家躺着, 骨折了躺了两个月), not money resting.
                     r"|在家躺|床上|医院|骨折|住院|出院|生病|病了"),
        # Money put on the card and left there (就放卡里, 都放在卡里), but not the card as where
        # money taken out of a product goes (赎回吧放卡里踏实, 理财卖了钱放到卡上).
        Cue(r"(?:放|摆)(?:在|喺|到)?(?:卡|账户|账|活期)(?:里|上|头|度)", context=MONEY + r"|放|摆",
             exclude=r"赎|取出|取了|卖|拿出|转出|踏实|安全|放心"),
        # Money left a long time where it earns nothing (not 放了大半年 in a product).
        Cue(r"(?:放|搁|丢|扔|躺|趴)了?(?:一年多|好久|很久|大半年|半年|几个月|好几个月|一两年|两年)",
             context=r"卡|活期|账户|账上|余额"),
        # 打理 is any wealth management (退休以后钱怎么打理): idle only for savings said to sit.
        Cue(r"打理", context=r"攒|积蓄|余钱|闲|存着|放着"),
    ),
    "education": (
        # Within one sentence (给女儿留着的，她后年要去英国读研): a pronoun carries the child across a comma.
        Cue(rf"(?:{KIDS})[^。！？!?]{{0,16}}?(?:{STAGES})"),
        Cue(r"教育金|教育基金|教育储蓄|教育年金|学费|学杂费|补课费|辅导班|补习班|培训班|教育的钱|教育开支"
             r"|(?:留学|读书|念书|上学|上大学|读大学|读研|出国)的?(?:钱|费用|开销|花费|开支)|供(?:孩子|他|她)?(?:读书|上学|念书)"
             r"|(?:攒|存|留|储)(?:着|点|些|下|钱)?.{0,4}?(?:上学|读书|念书|上大学|读大学|读研|留学)(?:用|的)"),
        # Children at school, named with the spending it brings (一个初三一个高一，正是花钱的时候).
        Cue(rf"(?:{KIDS}).{{0,16}}?(?:小学|初中|高中|初[一二三]|高[一二三]|[一二三四五六]年级|大学|幼儿园|研究生)",
             context=r"花钱|花销|开销|费用|钱|存|攒|准备|贵"),
    ),
    "retirement": (
        Cue(r"养老|退休|老了以后|以后老了|等我老了|老了的时候|晚年|退了休|退下来|防老|老年生活|老来|养老钱|老本"
             r"|(?:不想|不能|不愿|不指望|不靠)(?:给)?(?:靠|拖累|麻烦|指望)?(?:孩子|儿女|子女|小孩|儿子|女儿)"),
        Cue(r"(?:五十|六十|五六十)(?:多|好几|出头|来)?(?:岁|的人)?了.{0,10}?(?:以后|将来|老了|攒|存点|留点|规划|打算|准备)"),
    ),
    "yield_dissatisfaction": (
        Cue(r"(?:收益|利息|利率|回报|年化|收益率|涨幅|分红|业绩|净值)(?:率)?.{0,5}?(?:太低|很低|低了|偏低|这么低|那么低|好低"
             r"|真低|低(?![点些一])|太少|很少|少了|这么少|那么少|好少|没多少|不高|不太高|不怎么样|一般般|太差|很差|不太满意"
             r"|差(?!不多)|不理想|不行|降了|下降|又降|跌了|越来越少|越来越低|缩水|不满意|不够|才|低得|少得|一点点|没啥"
             r"|没什么|可怜|寒碜|磕碜|太坑|坑人|骗人|不如|还没|调低|下调)", negatable=False,
            exclude=r"多少|几多|多钱|才(?:买|签|信|投|存|去|来|知道|发现|同意|办|开|注意|想起)"),
        # A rate said to be low (才一点八, 到手才两个点), a small gain (就赚了三百块).
        Cue(rf"(?:(?:才|只有|只|就|仅)(?:百分之)?{NUM}+个?多?[点块](?:{NUM}|多)?|{NUM}+个?多?点(?:{NUM})?都不到"
             rf"|不到{NUM}+个点|{NUM}+个?点{NUM}?.{{0,2}}?(?:太少|太低|不高|不够))(?![钟半前后到钱])",
             negatable=False, context=r"收益|利息|利率|年化|回报|基准|理财|存款|定期|存单|基金|产品|别家|拿|赚|到手"),
        Cue(rf"(?:才|就|只|总共才|一共才|一共就)(?:赚|挣|拿|得)了?(?:{NUM}+[十百千]?[多来]?(?:块|元|百)"
             r"|那么点|这么点|一点点?|几个钱|几块钱?|个零头)", negatable=False),
        Cue(r"没(?:多少|啥|什么)(?:利息|收益|回报)|跑不赢|跑不过|(?:赶不上|抵不过|不如|还没|没有?)(?:通胀|通货膨胀|物价)"
             r"|(?:余额宝|别家|别的银行|人家|定期|国债|存款).{0,4}?(?:都|还)?比(?:你们|你家|这|它)(?:这|家|这儿)?(?:强|高|多|好)"
             r"|越(?:存|放|炒|投|买|攒)越(?:少|没意思|不满意|不值钱)|不如去?(?:存|放)(?:银行|定期|余额宝)"
             # Another bank pays more (别的银行利率高一点, 人家给的收益多): the customer is shopping around.
             r"|(?:别的|其他|别家|人家|他行|外面)(?:银行|家|平台|地方)?.{0,3}?(?:利率|利息|收益|年化|回报|给的).{0,3}?(?:高|多)"
             r"|越投越少|等于没赚|相当于没赚|跟没赚一样|(?:挺|很|太|有点|真|好|非常)失望|才赚"
             # A rate said to be no better than a deposit (二点八跟存银行也差不多, 一点四那跟放活期有啥区别).
             rf"|{NUM}+个?点{NUM}*(?:那|的话)?(?:跟|和)(?:存|放)?(?:银行|定期|活期|存款|余额宝)(?:也|都)?"
             r"(?:差不多|差勿多|差不离|有啥区别|有什么区别|没区别|没啥区别)"
             r"|(?:比|不如)(?:别家|人家|别的银行|其他银行|他行|隔壁|余额宝|定期|存款).{0,3}?(?:低|少|差)"
             r"|还不如(?:存|放|买|余额宝|定期|活期|银行|别家|不买|当初|国债)|还没(?:存款|定期|余额宝|活期|国债)(?:高|多)"
             r"|不划算|没赚(?:到)?钱|一分钱没赚|不赚钱|没怎么赚|赚不到|不满意(?:这个)?收益|对收益.{0,3}失望"
             r"|(?:理财|产品|基金|收益|利息).{0,4}?(?:太差|真差|差劲|太坑|真坑|坑人|垃圾|太烂)", negatable=False),
        # The return belittled (这点利息买菜都不够, 这点收益有啥用场), not a question about it
        # (这点利息什么时候到账).
        Cue(r"(?:这|那)(?:么)?点(?:儿|点)?(?:利息|收益|回报|分红)", negatable=False,
            exclude=r"到账|什么时候|啥时候|多久|怎么算|咋算|怎么还没|咋还没|[？?]"),
        # Returns short of what was said (当初说四个点结果才两个点), too little to matter (才这么点
        # 利息), a fund that will not rise (一直不涨): only in a turn about money.
        Cue(r"结果.{0,4}?(?:才|只有|只)|(?:才|就)(?:这么|那么)点|(?:一直|老是|死活|总是)(?:不涨|没涨)|没涨过",
             negatable=False,
             context=r"收益|利息|利率|年化|回报|基准|理财|基金|存款|定期|存单|净值|赚"),
        # A return short of what the seller said (跟当时说的差这么多, 当时说的是四个点左右，现在二点六):
        # the rate said is the context.
        Cue(r"(?:跟|和|比)(?:当时|当初|你们|他|她)?(?:说|讲|宣传|承诺|写)的.{0,3}?(?:差|少|低)"
             r"|(?:当时|当初)[^。！？!?]{0,8}?(?:说|讲|宣传|写)的?是?[^。！？!?]{0,8}?(?:个点|%|点)"
             r"[^。！？!?]{0,6}?(?:现在|结果|实际|最后)", negatable=False),
        # Losses: an opening when the customer states them, not when asking how much, filling in the
        # questionnaire, or using them as proof in a mis-selling complaint (亏了…说保本的, 我要去告); a sum
        # lost whole (年终奖全搭进去了) is a loss too.
        Cue(r"亏(?:了|着|钱|损|本|得|惨|掉|咗|成)|亏到(?:惨|死|怕|好多)|一直亏|还亏|赔了|赔钱|被套|套牢|套住了|绿了|一直绿|割肉|回不了本|跌成这样|一直跌"
             r"|搭进去|打水漂|血本无归|往下(?:掉|跌)|一路(?:跌|掉)|一直在(?:跌|掉)"
             r"|跌(?:了|得)(?:好多|不少|这么多|那么多|一半|很多)|跌惨了",
             negatable=False,
             # Losses as something to avoid or a what-if (不想亏, 亏了咋办, 拿出来就亏了): risk talk.
             exclude=r"亏不起|不能亏|亏不得|不敢亏|能接受|接受|承受|以内|测评|选|不想.{0,2}亏|不要.{0,4}亏|不敢.{0,2}[亏赔]"
                     r"|不让.{0,2}亏|咋办|怎么办|心疼|可能|的话"),
    ),
    "large_inflow": (
        Cue(r"年终奖|年中奖|半年奖|奖金|卖房|(?:房子?|车|股票|股份|铺面|门面)卖(?:掉)?了|(?:店面|门面|铺面|铺子|店|公司|厂子?|股份)转让(?:出去|掉)?了|卖(?:了|掉|咗)(?:一)?(?:套|间|栋|幢)(?:旧|老)?(?:房|楼|屋|铺)|房款|拆迁|动迁|(?:房子?|屋|楼|宅)(?:子)?(?:被)?拆(?:掉|了|咗)|补偿款|赔偿款|遗产|继承|股票卖了|股份卖了|股权转让"
             r"|转让款|工程款|货款|回款|结算款|一大笔钱|一笔大钱|(?:有|进来|到了|到账|下来|收到|拿到|回来)了?一大笔"
             r"|(?:进来|到账|下来|收到|拿到|回来|给了|赔了|补了|分了)了?(?:我|我们)?一笔|(?:公司|年底|股东|生意|合伙|年终)的?分红"
             r"|分红(?:下来|到账|到了|发了|进来|打过来|转过来)"),
        # (Above: an old house torn down, 动迁, a sum given or paid out — 给了一笔钱 — are windfalls.)
        # Proceeds of selling something (卖了一批猪到手二十多万, 卖咗间旧楼, 门面房上个月卖了): only
        # with a sum of at least LARGE_INFLOW_MIN in the turn (see _hit_ok).
        Cue(r"卖(?:了|掉|咗|出去)|(?:卖|流转|转让)(?:出去)?了"),
    ),
    "protection_need": (
        Cue(r"重疾|大病|重病|癌症|防癌|(?:意外|医疗|寿|护理|住院|少儿|健康|疾病|定寿)险|意外保障|出(?:个|了)?意外|发生意外"
             r"|有个意外|百万医疗|惠民保|顶梁柱|社保不够|(?:怕|担心|万一|以后|将来|要是|老了).{0,6}?(?:生病|住院|看病|出事|出(?:点|个|了|啥)事|意外"
             r"|三长两短|倒下|病倒|有个好歹)|身体不好.{0,12}?保险", False),
        # A health event told of oneself or one's family (老伴住院了, 体检查出来个结节, 做手术花了
        #不少钱): the customer meeting the risk cover is for, told without the word 保险.
        Cue(r"住院|住了院|开刀|(?:做|动|要做)(?:了|个|完)?手术|查(?:出|到)(?:来)?(?:了)?.{0,6}?(?:结节|癌|肿瘤|病|不好|问题)"
             r"|放(?:了)?支架|身体不(?:太|大)?好|病倒|摔(?:伤|断)"),
        Cue(r"(?:买|配|配置|需要|想要|想买|想了解|有没有|缺|加|添|推荐|介绍|上|投|办|弄|搞|整).{0,4}?(?:保险|保障)"
             r"|(?:买|配|上|加)(?:份|个|一份|一个|点)?意外"
             r"|(?:保险|保障).{0,4}?(?:不够|太少|没有|没买|冇买|不全|空白)|(?:啥|什么|任何)(?:保险|保障)(?:都|也)?(?:没|冇)|没(?:什么|啥|有)?保障|没(?:得|有)?(?:啥子|什么|啥|任何|一点)(?:保险|保障)|(?:哪种|哪些|哪个)保险"
             # Cover not yet bought, said in passing (保险什么的都还没来得及给他买).
             r"|(?:保险|保障)[^，。？！,?!]{0,6}?(?:还|都)?没(?:有)?(?:来得及|顾上|想起)?(?:给.{0,3}?)?(?:买|配|上)"
             r"|保险.{0,6}?(?:给.{0,3}?买|能买|可以买)|(?:医保|社保|保险|保障).{0,3}?不(?:太|大)?够"
             r"|(?:家庭|家人|孩子|老人|自己|健康|身体|医疗|生活|全家)的?保障", negatable=False),
    ),
}

# Clause-level exclusions, per type: the cue is there but means something else.
# ``EXCLUDE_BEFORE`` is only looked for before and inside the cue (a question or a
# hypothesis opens the clause: 会不会亏), ``EXCLUDE`` anywhere in the clause.
EXCLUDE: dict[str, Cue] = {
    "maturity": Cue(r"到期方式|到期处理方式|设置成|改成自动"),
    "idle_funds": Cue(r"哪有闲|哪来的?闲|不是闲|没什么闲|没啥闲|闲聊|闲着没事|在家闲着|人闲着|不缺钱"
                     r"|剩下的?(?:钱)?(?:继续|先)|(?:手头|手里|手上)(?:有点|有些)?(?:紧|缺)"),
    "education": Cue(r"毕业了|工作了|上班了|交过了|交完了|限额|缴费失败|转不过去|转账|扣款失败|不用(?:操心|考虑|准备)"
                    r"|已经(?:准备|存)好了|学费卡|缴费系统|校园卡|饭卡|食堂|绑(?:定)?学校|生活费(?:打|转)|(?:打|转)生活费"
                    r"|开(?:张|个|一张)?(?:新)?卡|学费的?卡|冻结|被冻|冻了|解冻|挂失|不用(?:你们|你|您)?管|不需要(?:你们|你)"),
    "retirement": Cue(r"养老院|(?:养老金|退休金|退休工资)(?:卡|.{0,4}?(?:到账|没到|发了|到了没|查|怎么领|取|打到|打进"
                     r"|每个月|少了|代发|改到|转到))|退休证|不考虑养老|养老的事不用|还早着呢|不急|退休还早|没到退休"
                     r"|(?:我爸|我妈|父亲|母亲|爸爸|妈妈|老爸|老妈|公公|婆婆|岳父|岳母|爷爷|奶奶)的?(?:退休|养老)"
                     r"|个人养老金.{0,8}?(?:取出|支取|提取|取钱|领取)"
                     # A product called 养老 (我那个养老理财, 你们那个养老年金): asked about, not a plan.
                     r"|(?:那|这)(?:个|份|只)养老(?:理财|年金|保险|产品)"),
    "yield_dissatisfaction": Cue(r"挺满意|很满意|还可以|还行|不错|挺好|没关系|无所谓|不在乎|不看重|也行|也可以|能接受"
                                r"|不是嫌|没嫌|不嫌"
                                # 低 that belongs to the risk, not the return (收益稳定风险低的), and a
                                # condition on a product not yet bought (利率低的话我就不买了).
                                r"|风险(?:也|较|比较|很|相对|都)?(?:低|小|不高)|(?:低|少)(?:了)?的话"),
    "large_inflow": Cue(r"转给|(?<!流)转出|转走|汇给|取出|还款|还贷|贷款|借款|借的|网贷|付给|交给|没发"
                       r"|没有发|还没发|取消|泡汤|没有年终奖|不发|扣了|赎|立减金|红包|积分|抽奖|活动奖|怎么还没|咋还没|为什么还没|基金分红|理财分红"
                       r"|分红方式|购买成功|买好了|下单|落单|多久|还掉|提前还|搭进去|打水漂|亏光|赔光|全亏|亏了|(?:付|交|给)(?:个|了|咗)?(?:货款|房款|工程款)|供应商|发不出|冻|宽限"),
    "protection_need": Cue(r"保险起见|存款保险|保险柜|保险箱|退保|理赔|不需要|不买|不要|不想|不用|够了|买够了|已经买了"
                          r"|买过了|不考虑|本金.{0,3}保障|收益.{0,3}保障|有保障吗|保障本金|到期"
                          r"|最保险|更保险|比较保险|保险(?:点|些|一点)|卖保险|没想买|没打算"
                          r"|(?:你们|公司|银行|平台|券商)出事|倒闭|跑路"),
}
EXCLUDE_BEFORE: dict[str, Cue] = {
    "yield_dissatisfaction": Cue(r"如果|假如|万一|要是|是不是|会不会|有没有|怕|担心|不会亏|没亏|没有亏|不亏|不怕"),
}
# Turn-level, for the loss cue: a loss offered as proof of mis-selling or with a threat is a
# complaint to handle (收益这么差 with a threat is still an opening: that is the returns cue),
# and asking how much was lost, or whether it comes back, is a returns question. Blaming the
# recommendation alone (你们推的东西就没一个好的) is not on the list: the newer writers (wT, wU,
# wV) all mark that loss an opening, and the filter weighs the complaint around it.
LOSS_COMPLAINT = Cue(r"忽悠|骗|说稳健|说保本|替我做|代做|告你们|举报|监管|起诉|律师|投诉|回本|多少"
                       r"|赚是亏|说法|赔偿|讲是|说是存款|行长|管不管|有啥关系|什么关系|呃人|岂不是|这叫")
# Before a loss in its clause: someone else's loss (我同学买基金亏得挺惨, 很多人亏了), a loss only
# supposed (我还以为亏了).
# (Kin outside the household only: a spouse's or parent's fund is often the customer's money.)
LOSS_HEARSAY = Cue(r"同学|同事|朋友|邻居|老友|老乡|哥们|闺蜜|亲戚|别人|人家|很多人|好多人|不少人|听说|新闻"
                   r"|[表堂](?:哥|姐|弟|妹)|(?:我|他|她)(?:哥|姐|弟|妹)|以为")
# Up to a clause or two before a loss: a past spell of investing (股票炒过几年，亏了一点，后来就不弄了).
LOSS_PAST = Cue(r"炒过|玩过|做过|以前|早些年|早几年|那几年|那时候|年轻时")
# Turn-level: the turn is a service act on a pension stream or account, with no planning in
# it (我退休了想把代发改成收退休金, 个人养老金账户的钱能不能提前支取).
PENSION_SERVICE = Cue(r"代发|工资卡|退休金卡|改成收|到账|社保卡|支取|提取|取出来|提前取")
# A policy the customer already holds (我那份重疾险, 买了个保险, 买保险的时候): the turn is about
# that policy (a change, a claim, surrender, a dispute), not a worry that needs cover.
HELD_BEFORE = re.compile(r"(?:(?:我|俺)(?:那|这|的)(?:份|个|张)?"
                          r"|(?:买|交|投|保)(?:了|过|咗)(?:个|份|一份|一个)?(?:啥|什么)?|上次买|当时买|之前买)$")
HELD_BOUGHT = re.compile(r"(?:买|交|投)(?:了|过|咗)")
HELD_AFTER = re.compile(r"(?:的时候|嗰阵|那阵|买咗|买了[一两二三四五六七八九十几]+年)")
PAYING_FEES = Cue(r"(?:交|付|缴)(?:个|了)?(?:学费|学杂费|补课费)")
SAVING = Cue(r"攒|存|准备|规划|储备|以后|将来|留着|留给|留的|到时候|明年|后年|下半年|先放")
PENSION_NOUN = Cue(r"退休金|养老金|退休工资|退休费|养老钱|养老的钱")
LOOKING_AHEAD = Cue(r"以后|将来|到时候|想着|老了|攒|存点|准备|规划|打算|够不够|不够|指着|靠|安排|打理"
                    # 存多点, not the size of a drop (亏了两个多点)
                    r"|(?<![\d一二两三四五六七八九十个])多点"
                    r"|理财|投资|配置|放哪|看好|乱动|不敢动|不能亏|别亏")
PLANNING = Cue(r"养老(?!金)|规划|打理|存点|攒|理财|产品|准备|以后|买|投资|配置")

IRRELEVANT_MATURITY = re.compile(
    r"身份证|证件|银行卡|信用卡|借记卡|社保卡|卡片|会员|合同|驾照|驾驶证|护照|签证|房贷|贷款|借款|租|优惠券|券|积分|密码"
    r"|u盾|手机号|套餐|保修|质保|执照|户口|房本|体检|年卡|网盘|域名|测评|评估|问卷|风险等级|卡|贷")
PRODUCT_OBJ = re.compile(r"理财|存单|定期|基金|国债|存款|产品|保险|年金|那笔|这笔|钱|资金|结构性|封闭期|信托|债券")
MATURITY_NEG = Cue(r"(?:没|未|不)到期|没有到期|还早|离到期"
                   # not due for a long while (还差半年才到期, 后年才到期); 下个月才到期 is near enough
                   r"|(?:半年|一年|两年|[一二两三四五]年|明年|后年|年底)[^，。]{0,3}?才(?:能)?到期")
# After 到期: how the product behaves at its term (到期了肯定保本吧, 到期能拿回多少本, 钱是自动回卡上吗)
# or what it paid, complained of (到期了怎么才给我一个点): a product question or a returns
# complaint about money already paid out, not money about to be free.
MATURITY_AFTER = Cue(r"是不是|肯定|自动|能拿回|拿得回|不亏|是哪天|能到|(?:怎么|咋|咋个|哪能)?(?:才|只有)"
                     r"|比说的少|本金都没|没还|还不上|还款")
MATURITY_WHEN = re.compile(r"(?:什么|啥)时候$")
YES_NO = re.compile(r"是不是|是否|有没有|会不会|能不能|要不要")
AMOUNT_INFLOW = Cue(r"转进来|转入|打进来|进账|到账|打过来|汇过来|汇进来|收到|转过来|发下来|拿到|回笼|入账|进来|给了我"
                    r"|给我(?:打|转|汇)(?:了|的|过来)|分下来|转到你们这|存到你们这|挪过来|拿回来|收回来|还了我|还给我|还我了"
                    # sent home (寄二十万回来, 打三十万回来), landed on the card (这两天刚打到卡上)
                    r"|(?:寄|打|汇|转)[^，。？！]{0,6}?回来|打到卡(?:上|里)"
                    # arrived, with when (昨天到的五十几万, 钱前两天刚到咗)
                    r"|(?:刚|昨天|今天|前天|前两天|这两天|上周|上个月|已经)(?:就|都)?到(?:的|咗|了|账)")
# The proceeds said to have arrived (粮卖了，钱到了): a sale with them is an inflow whatever the sum.
MONEY_ARRIVED = Cue(r"钱(?:都|也|已经|刚|就)?(?:到了|到手了|到账了|下来了|打过来了|回来了)")
# 三四十万 / 二十来万 / 五十多万 / 五十个 (个 = 万 in spoken money talk, ten or more only).
AMOUNT_WORD = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千几]+)[多来几]?\s*(万|w|个)", re.IGNORECASE)
RANGE = re.compile(r"([一二两三四五六七八九])[一二两三四五六七八九](?=[十百千万])")
NEGATORS_BEFORE = re.compile(r"(?:没有|没|不是|并不|不|无|哪有|哪来)(?:什么|啥|一点|多少)?$")
# 被套 / 套牢, not the 套 of a flat (嗰套楼刚卖咗).
LOSS_WORD = re.compile(r"亏|赔|割肉|被套|套牢|套住|蚀")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# Openings that name where money comes from or what it is for.
NAMED_MONEY = frozenset({"maturity", "large_inflow", "education", "retirement"})
# Of those, the ones that say where money comes from.
SOURCED_MONEY = frozenset({"maturity", "large_inflow"})
