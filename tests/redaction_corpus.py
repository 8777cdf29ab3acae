"""A labelled test set for de-identification: realistic documents of a local government office
(行政处罚决定书, 信访登记表, 会议纪要, 申请表, 发放名单, 情况说明, 调查报告), written here with every
piece of personal data marked, and built into DOCX, XLSX, PDF and TXT files.

Markup: [[kind:text]] marks personal data of `kind` (name, id_number, phone, bank_card, email,
plate, address). Everything unmarked is not personal data and must not be found: document
numbers, amounts, dates, credit codes, hotline numbers, institutions and places.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

from workflow.redaction.patterns import id_check_digit, luhn_ok

_MARK = re.compile(r"\[\[(\w+):([^\]]+)\]\]")


def rid(first17: str) -> str:
    """A resident ID number with its GB 11643 check character."""
    return first17 + id_check_digit(first17)


def card(prefix: str) -> str:
    """A card number with its Luhn check digit."""
    return prefix + next(d for d in "0123456789" if luhn_ok(prefix + d))


def plain(text: str) -> str:
    return _MARK.sub(lambda m: m.group(2), text)


def labels(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _MARK.finditer(text)]


@dataclass
class Doc:
    name: str
    kind: str  # docx | xlsx | pdf | txt
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    header: str | None = None
    footer: str | None = None
    comment: tuple[str, str] | None = None  # (text, author)
    author: str | None = None

    def truth(self) -> Counter[tuple[str, str]]:
        texts = [*self.paragraphs, *(c for row in self.table for c in row), self.header or "", self.footer or ""]
        if self.comment:
            texts += list(self.comment)
        texts.append(self.author or "")
        return Counter(label for t in texts for label in labels(t))


ID1, ID2, ID3 = rid("11010519850612231"), rid("31011219920304402"), rid("44030619781120153")
ID4, ID5, ID6 = rid("51010720010915288"), rid("32058219670707341"), rid("13010219890228006")
ID7, ID8, ID9 = rid("42010619750101771"), rid("37020219990619452"), rid("61011319830830119")
CARD1, CARD2, CARD3 = card("622202123456789012"), card("621700543210987654"), card("6228480012345678")
CARD4, CARD5 = card("622848998877665544"), card("436742123412341234")

PENALTY = Doc(
    "行政处罚决定书.docx",
    "docx",
    paragraphs=[
        "示例市交通运输局行政处罚决定书",
        "示交罚决字〔2025〕第0412号",
        f"当事人：[[name:黄伟民]]，男，身份证号码：[[id_number:{ID1}]]，"
        "住址：[[address:示例市江北区建设路128号5栋302室]]，联系电话：[[phone:13912345678]]。",
        "2025年4月12日10时许，当事人驾驶号牌为[[plate:粤B7M2K9]]的小型普通客车，在示例市滨江大道从事非法营运，"
        "被我局执法人员[[name:周立新]]、[[name:吴海燕]]当场查获。乘客[[name:林小雨]]女士证实支付车费人民币85元。",
        "上述事实有现场笔录、询问笔录、视频资料等证据证实。当事人的行为违反了《道路运输条例》第十条的规定。",
        "根据《道路运输条例》第六十三条的规定，本机关决定对当事人处以罚款人民币壹万元（10,000.00元）。",
        f"罚款请于收到本决定书之日起十五日内缴至指定银行，户名：示例市财政局，账号：1102 0201 0900 0123 456。"
        f"当事人预留退款账户为[[bank_card:{CARD1}]]（开户行：中国工商银行示例支行）。",
        "如不服本决定，可以在收到本决定书之日起六十日内向示例市人民政府申请行政复议。",
        "统一社会信用代码：11440300MB2C12345X　监督电话：12345",
    ],
    header="示例市交通运输局　经办人：[[name:曹志刚]]",
    footer="执法热线：[[phone:0755-83216688]]",
    comment=("核实当事人[[name:黄伟民]]的驾驶证号", "[[name:梁晓峰]]"),
    author="[[name:曹志刚]]",
)

PETITIONS = Doc(
    "信访登记表.xlsx",
    "xlsx",
    table=[
        ["登记编号", "信访人", "身份证号码", "联系电话", "住址", "反映问题", "承办人"],
        [
            "XF2025-031",
            "[[name:覃秀兰]]",
            f"[[id_number:{ID2}]]",
            "[[phone:15820003456]]",
            "[[address:示例市南山区桃源街道龙珠大道66号]]",
            "反映小区噪声扰民问题",
            "[[name:何俊峰]]",
        ],
        [
            "XF2025-032",
            "[[name:张伟]]",
            f"[[id_number:{ID3}]]",
            "[[phone:13698765432]]",
            "[[address:示例市福田区华强北路1002号赛格广场12楼]]",
            "要求公开征收补偿方案",
            "[[name:何俊峰]]",
        ],
        [
            "XF2025-033",
            "[[name:欧阳晓岚]]",
            f"[[id_number:{ID4}]]",
            "[[phone:020-87654321]]",
            "[[address:示例市白云区新市镇棠溪村3组]]",
            "反映征地补偿款未到位",
            "[[name:罗慧敏]]",
        ],
        [
            "XF2025-034",
            "[[name:邝志恒]]",
            f"[[id_number:{ID5}]]",
            "[[phone:18503332211]]",
            "[[address:示例市宝安区新安街道建安一路99号]]",
            "对停车收费标准有异议（金额120元）",
            "[[name:罗慧敏]]",
        ],
        [
            "XF2025-035",
            "[[name:司马振邦]]",
            f"[[id_number:{ID6}]]",
            "[[phone:17788990011]]",
            "[[address:示例市龙岗区布吉街道吉华路8号]]",
            "申请查阅2024年度财政预算",
            "[[name:何俊峰]]",
        ],
    ],
    author="[[name:罗慧敏]]",
)

MINUTES = Doc(
    "会议纪要.docx",
    "docx",
    paragraphs=[
        "关于推进老旧小区改造工作的会议纪要",
        "2025年5月8日下午，市住房和城乡建设局在三楼会议室召开老旧小区改造专题会议。",
        "主持人：[[name:谭国栋]]",
        "出席：[[name:杨丽华]]、[[name:陈一鸣]]、[[name:诸葛文轩]]、[[name:刘芳]]",
        "列席：市财政局[[name:钱振宇]]，街道办事处[[name:苏婉清]]",
        "记录：[[name:孔令杰]]",
        "会议听取了城建科关于2025年度改造计划的汇报，明确以下事项：",
        "一、改造资金按照市、区两级财政1:1的比例分担，首批资金3,600万元于6月底前拨付。",
        "二、由[[name:陈一鸣]]同志牵头，会同市财政局做好资金监管。",
        "三、居民代表[[name:马桂芬]]反映的加装电梯问题，请城建科于5月20日前答复，"
        "联系人[[name:孔令杰]]，电话[[phone:0755-82345678]]，邮箱[[email:konglj@szzj.example.cn]]。",
        "四、下次会议定于5月22日召开，地点在市民中心B区。",
    ],
    table=[
        ["参会单位", "姓名", "职务", "联系方式"],
        ["市住建局", "[[name:谭国栋]]", "副局长", "[[phone:13500001111]]"],
        ["市财政局", "[[name:钱振宇]]", "科长", "[[phone:13600002222]]"],
        ["园岭街道", "[[name:苏婉清]]", "副主任", "[[email:suwq@yuanling.example.com]]"],
    ],
    footer="第1页　市住房和城乡建设局办公室",
    author="[[name:孔令杰]]",
)

APPLICATION = Doc(
    "政府信息公开申请表.pdf",
    "pdf",
    paragraphs=[
        "政府信息公开申请表",
        "申请人姓名：[[name:韦婷婷]]　证件类型：居民身份证",
        f"证件号码：[[id_number:{ID7}]]",
        "联系电话：[[phone:13266778899]]　电子邮箱：[[email:weitt1990@qq.com]]",
        "通讯地址：[[address:示例市罗湖区东门街道解放路2039号]]　邮政编码：518001",
        "所需信息的内容描述：示例市2024年度城市道路维修工程的招标文件及中标结果",
        "申请日期：2025年3月18日　受理编号：依申〔2025〕第213号",
        "受理人：[[name:田晓东]]　审核：[[name:曾宪梅]]",
    ],
    author="[[name:田晓东]]",
)

PAYMENTS = Doc(
    "临时救助发放名单.txt",
    "txt",
    paragraphs=[
        "示例市民政局2025年第二季度临时救助资金发放名单",
        "依据《示例市临时救助实施办法》（示民规〔2023〕5号），经审核审批，对以下对象发放临时救助金。",
        f"1. [[name:王秀英]]，身份证号[[id_number:{ID8}]]，救助金3,000元，"
        f"发放账户[[bank_card:{CARD2}]]，联系电话[[phone:138 2211 3344]]",
        f"2. [[name:赵德胜]]，身份证号[[id_number:{ID9}]]，救助金2,500元，"
        f"发放账户[[bank_card:{CARD3}]]，联系电话[[phone:+86 139-0000-5678]]",
        f"3. [[name:卢美玲]]，发放账户[[bank_card:{CARD4}]]，救助金1,800元，联系电话[[phone:0769-22334455]]",
        f"4. [[name:谢建华]]，发放账户[[bank_card:{CARD5}]]，救助金4,200元",
        "以上合计11,500元，资金来源：市级财政困难群众救助补助资金。",
        "经办人：[[name:韩冬梅]]　复核人：[[name:姚振华]]　监督电话：12345",
    ],
)

NARRATIVE = Doc(
    "情况说明.txt",
    "txt",
    paragraphs=[
        "关于青石村宅基地纠纷的情况说明",
        "2025年2月，青石村村民[[name:刘德胜]]向镇政府反映，其邻居[[name:张桂兰]]在自家宅基地上扩建房屋，"
        "占用了公共通道。镇国土所工作人员于2月14日到现场核查。",
        "经核实，[[name:张桂兰]]家扩建部分约12平方米，已超出审批范围。村委会主任[[name:李建国]]组织双方调解，"
        "[[name:刘德胜]]同意在[[name:张桂兰]]拆除超出部分后不再追究。",
        "[[name:张桂兰]]之子[[name:王强]]（住[[address:示例市青石镇青石村5组]]）表示理解，并承诺于3月底前完成拆除。",
        "镇政府将持续跟踪，确保调解协议落实。如有问题请联系镇综治办，电话[[phone:0756-3321100]]。",
        "黄山路、王府井商业街、张家港市、常州市等地的类似做法可供借鉴。",
    ],
)

SURVEY = Doc(
    "专项调查报告.pdf",
    "pdf",
    paragraphs=[
        "关于2024年度农村低保对象动态管理情况的专项调查报告",
        "根据市委巡察整改要求，调查组于2025年1月至2月对全市12个镇街的低保对象开展入户核查。",
        "调查组由市民政局副局长[[name:沈明远]]任组长，成员包括[[name:蒋雨桐]]、[[name:董建军]]和[[name:龚雪梅]]。",
        "核查发现，东岭镇低保户[[name:潘金水]]家庭名下登记有小型轿车一辆（号牌[[plate:粤S·D12345]]），"
        "不符合低保条件，已停发低保金并追回已发放资金6,240元。",
        "西坑村[[name:魏春生]]反映其母[[name:魏陈氏]]长期患病，申请纳入特困供养，调查组已转镇街办理。",
        "全市共清退不符合条件对象87户，新纳入符合条件对象112户，低保金发放准确率由96.2%提升至99.1%。",
        "报告人：[[name:沈明远]]　联系电话：[[phone:0755-83001234]]　2025年3月2日",
    ],
    author="[[name:蒋雨桐]]",
)

TUNED = [PENALTY, PETITIONS, MINUTES, APPLICATION, PAYMENTS, NARRATIVE, SURVEY]

# Written after the rules were tuned on the documents above, and not tuned on since: the
# benchmark reports these separately as the held-out figures.
ID10, ID11, ID12 = rid("44031019860513264"), rid("33010619720228113"), rid("36010219951130582")
ID13, ID14 = rid("23010319580808421"), rid("46000419911212037")
CARD6, CARD7, CARD8 = card("621226123400567890"), card("622588776655443322"), card("6214830012345678")

RECONSIDERATION = Doc(
    "行政复议决定书.docx",
    "docx",
    paragraphs=[
        "示例市人民政府行政复议决定书",
        "示府复〔2025〕187号",
        "申请人：[[name:钟丽娟]]，女，1986年5月出生，住[[address:示例市坪山区坑梓街道秀新路33号]]。",
        "被申请人：示例市公安局交通警察支队，住所地示例市福田区笋岗西路3001号。",
        "法定代表人：[[name:邓卫东]]，支队长。",
        "委托代理人：[[name:侯志远]]，广东明理律师事务所律师，联系电话[[phone:13714725836]]。",
        "申请人不服被申请人于2025年6月3日作出的公安交通管理行政处罚决定（编号4403061234567890），"
        "向本机关申请行政复议，本机关依法已予受理。",
        "申请人称：其驾驶的[[plate:粤B·D23456]]号新能源汽车并未闯红灯，处罚所依据的监控照片无法辨认驾驶人。",
        "经审理查明：2025年5月21日8时12分，[[name:钟丽娟]]驾驶车辆途经深南大道与彩田路交叉路口，"
        "电子监控设备记录其在红灯期间越过停止线。",
        "本机关认为，被申请人作出的处罚决定认定事实清楚，证据确凿，适用依据正确，程序合法，内容适当。",
        "根据《中华人民共和国行政复议法》第六十八条的规定，本机关决定：维持被申请人作出的行政处罚决定。",
    ],
    footer="示例市人民政府行政复议办公室　地址：示例市福田区福中三路市民中心C区",
    author="[[name:温子健]]",
)

COMPENSATION = Doc(
    "征收补偿协议汇总表.xlsx",
    "xlsx",
    table=[
        ["序号", "户主姓名", "证件号码", "被征收房屋地址", "补偿金额（元）", "收款账号", "联系电话"],
        [
            "1",
            "[[name:莫振东]]",
            f"[[id_number:{ID10}]]",
            "[[address:示例市光明区公明街道上村社区南环路18号]]",
            "1,286,400.00",
            f"[[bank_card:{CARD6}]]",
            "[[phone:13926354871]]",
        ],
        [
            "2",
            "[[name:柯美华]]",
            f"[[id_number:{ID11}]]",
            "[[address:示例市光明区公明街道上村社区南环路20号]]",
            "986,250.00",
            f"[[bank_card:{CARD7}]]",
            "[[phone:15017283946]]",
        ],
        [
            "3",
            "[[name:俞国平]]",
            f"[[id_number:{ID12}]]",
            "[[address:示例市光明区公明街道上村社区创业路7号]]",
            "1,540,000.00",
            f"[[bank_card:{CARD8}]]",
            "[[phone:0755-27110098]]",
        ],
    ],
)

VISIT = Doc(
    "接访记录.txt",
    "txt",
    paragraphs=[
        "示例市信访局接访记录（2025年7月9日）",
        "来访人[[name:孟凡军]]（电话[[phone:18922334455]]），与其妻子[[name:高丽萍]]一同来访，"
        "反映居住的[[address:示例市龙华区民治街道人民路2188号]]楼上长期漏水，物业公司未予处理。",
        "来访人称，楼上住户[[name:郑大海]]多次拒绝维修，社区网格员曾上门协调未果。",
        f"来访人提供了维修费用垫付凭证，收款人身份证号码为[[id_number:{ID13}]]，金额3,450元。",
        "接待人：[[name:闫秋菊]]　处理意见：转龙华区住房和建设局办理，15个工作日内答复来访人。",
        "附：物业公司值班电话[[phone:0755-29001122]]，投诉邮箱[[email:mz_wy2025@126.com]]。",
    ],
)

COMPLAINT_REPLY = Doc(
    "投诉处理回复.pdf",
    "pdf",
    paragraphs=[
        "关于出租车服务投诉的处理回复",
        "尊敬的[[name:冯雪梅]]女士：",
        "您于2025年8月2日通过12345热线反映，乘坐车牌号为[[plate:浙A·3B5C7]]的出租汽车时，"
        "驾驶员[[name:戴宏伟]]绕路并拒绝出具发票。我局高度重视，立即开展调查。",
        "经调取车载卫星定位记录，该车行驶路线确有绕行，多收费用23元。我局已责令所属公司退还多收费用，"
        f"并对驾驶员作出停运学习处理。退款已转入您提供的账户[[bank_card:{card('622202000011112222')}]]。",
        "如对处理结果有异议，请联系我局客运管理处，电话[[phone:0571-87001234转8021]]，"
        "或发送邮件至[[email:kyc@hzjt.example.gov.cn]]。",
        f"投诉人身份信息：[[id_number:{ID14}]]",
        "示例市交通运输局　2025年8月15日",
    ],
    author="[[name:方若琳]]",
)

HELD_OUT = [RECONSIDERATION, COMPENSATION, VISIT, COMPLAINT_REPLY]

# Written last and measured once, with no rule changed afterwards: the benchmark's fresh figures.
ID15, ID16, ID17 = rid("35020319790315201"), rid("22010419880724318"), rid("65010219660101027")
CARD9 = card("621661280012345678")

ALLOWANCE = Doc(
    "城乡低保审批公示.docx",
    "docx",
    paragraphs=[
        "石桥街道2025年第三季度城乡最低生活保障审批结果公示",
        "根据《社会救助暂行办法》和《示例市最低生活保障办法》，经本人申请、入户调查、民主评议和审核审批，"
        "下列家庭符合最低生活保障条件，现予公示。公示期为2025年9月1日至9月7日。",
        "如有异议，请在公示期内向石桥街道社会事务办反映，联系人：[[name:莫晓彤]]，电话：[[phone:0760-88213456]]。",
    ],
    table=[
        ["序号", "户主", "家庭人口", "月保障金额（元）", "家庭住址"],
        ["1", "[[name:甘德福]]", "3", "1,860", "[[address:示例市石桥街道长岭村7组]]"],
        ["2", "[[name:黎秀珍]]", "1", "920", "[[address:示例市石桥街道新华路45号2栋101室]]"],
        ["3", "[[name:钟国强]]", "4", "2,480", "[[address:示例市石桥街道下围村12号]]"],
    ],
    footer="石桥街道办事处　2025年8月31日",
)

RECORD = Doc(
    "询问笔录.txt",
    "txt",
    paragraphs=[
        "询问笔录",
        "时间：2025年6月18日9时30分至10时45分　地点：示例市应急管理局第二询问室",
        "询问人：[[name:程立伟]]、[[name:邵佳琪]]　记录人：[[name:邵佳琪]]",
        f"被询问人：[[name:蔡文斌]]，男，1979年3月出生，身份证号码[[id_number:{ID15}]]，"
        "住[[address:示例市金湾区红旗镇藤山村2组]]，联系电话[[phone:13680012233]]。",
        "问：请你讲一下6月15日事故发生的经过。",
        "答：当天下午3点左右，我和工友[[name:石磊]]在3号车间清理设备，班长[[name:于海洋]]让我们先停机再作业。"
        "后来[[name:石磊]]说设备已经停了，就把手伸了进去，结果设备突然启动。",
        "问：你们的工资怎么发放？",
        f"答：每月15日发到工资卡上，我的卡号是[[bank_card:{CARD9}]]，公司财务是[[name:翁丽君]]负责。",
        "以上笔录我看过，和我说的一样。被询问人签名：[[name:蔡文斌]]",
    ],
)

HEARING = Doc(
    "听证通知书.pdf",
    "pdf",
    paragraphs=[
        "行政处罚听证通知书",
        "示应急听通〔2025〕9号",
        "[[name:霍振宇]]：",
        "你（单位）申请听证一案，本机关决定于2025年7月10日上午9时在示例市应急管理局三楼听证室举行听证会。",
        "听证主持人：[[name:简思远]]　听证员：[[name:卓雅文]]　书记员：[[name:滕晓光]]",
        "你可以委托一至二人代理参加听证，代理人应当提交授权委托书。"
        f"本机关已收到你委托代理人[[name:房丽娜]]（身份证号码[[id_number:{ID16}]]）提交的委托材料。",
        "如需了解听证事项，请联系[[name:滕晓光]]，电话[[phone:18826543210]]，电子邮箱[[email:tengxg@yjgl.example.gov.cn]]。",
        f"附：申请人身份证号码[[id_number:{ID17}]]，送达地址[[address:示例市香洲区凤凰北路1088号]]。",
        "示例市应急管理局　2025年7月1日",
    ],
    author="[[name:滕晓光]]",
)

FRESH = [ALLOWANCE, RECORD, HEARING]

CORPUS = TUNED + HELD_OUT + FRESH


def build_docx(doc: Doc) -> bytes:
    from docx import Document

    d = Document()
    for p in doc.paragraphs:
        text = plain(p)
        para = d.add_paragraph()
        # Split the text over several runs, as Word does, so redaction must work across runs.
        cut = len(text) // 3
        for piece in (text[:cut], text[cut : 2 * cut], text[2 * cut :]):
            if piece:
                para.add_run(piece)
    if doc.table:
        t = d.add_table(rows=len(doc.table), cols=len(doc.table[0]))
        for r, row in enumerate(doc.table):
            for c, value in enumerate(row):
                t.cell(r, c).text = plain(value)
    if doc.header:
        d.sections[0].header.paragraphs[0].text = plain(doc.header)
    if doc.footer:
        d.sections[0].footer.paragraphs[0].text = plain(doc.footer)
    if doc.comment:
        first = d.paragraphs[0].runs[0]
        d.add_comment(first, text=plain(doc.comment[0]), author=plain(doc.comment[1]), initials="LX")
    if doc.author:
        d.core_properties.author = plain(doc.author)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def build_xlsx(doc: Doc) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "登记表"
    for row in doc.table:
        ws.append([plain(c) for c in row])
    if doc.author:
        wb.properties.creator = plain(doc.author)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build_pdf(doc: Doc) -> bytes:
    import pymupdf

    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    y = 60.0
    for p in doc.paragraphs:
        text = plain(p)
        # Wrap at 38 characters a line; PyMuPDF's built-in CJK font keeps a text layer.
        for start in range(0, len(text), 38):
            page.insert_text((50, y), text[start : start + 38], fontname="china-s", fontsize=11)
            y += 18
        y += 6
    if doc.author:
        pdf.set_metadata({"author": plain(doc.author), "title": doc.name})
    return bytes(pdf.tobytes())


def build_txt(doc: Doc) -> bytes:
    return "\n".join(plain(p) for p in doc.paragraphs).encode("utf-8")


def build(doc: Doc) -> bytes:
    return {"docx": build_docx, "xlsx": build_xlsx, "pdf": build_pdf, "txt": build_txt}[doc.kind](doc)


GROUP = {"mobile": "phone", "landline": "phone"}
KINDS = ("id_number", "phone", "bank_card", "email", "plate", "address", "name")


@dataclass
class Score:
    truth: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    hit: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (document, kind, text)
    extras: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float:
        t = self.truth[kind] if kind else sum(self.truth.values())
        return (self.hit[kind] if kind else sum(self.hit.values())) / t if t else 1.0

    def precision(self, kind: str | None = None) -> float:
        f = self.found[kind] if kind else sum(self.found.values())
        return (self.hit[kind] if kind else sum(self.hit.values())) / f if f else 1.0


def score(docs: list[Doc] | None = None) -> Score:
    """Findings against labels, counted per occurrence: (kind, text) pairs as multisets per document."""
    from workflow.redaction.documents import scan

    result = Score()
    for doc in docs or CORPUS:
        truth = doc.truth()
        findings = [f for f in scan(doc.kind, build(doc)) if f.kind != "image"]
        found = Counter((GROUP.get(f.kind, f.kind), f.text.strip()) for f in findings)
        hit = truth & found
        for counter, source in ((result.truth, truth), (result.found, found), (result.hit, hit)):
            for (kind, _), n in source.items():
                counter[kind] += n
        result.misses += [(doc.name, k, t) for (k, t), n in (truth - found).items() for _ in range(n)]
        result.extras += [(doc.name, k, t) for (k, t), n in (found - truth).items() for _ in range(n)]
    return result
