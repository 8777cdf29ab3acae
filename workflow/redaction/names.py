"""Person names in Chinese text, by three kinds of evidence:

1. jieba's part-of-speech tagger marks a word `nr` (person name) and it starts with a surname;
2. a context word introduces names (姓名、申请人、参加人员：…), names separated by 、 or ，;
3. a form of address follows a name (先生、女士、同志).

Each candidate must start with a surname from the table below and be two to four characters,
which keeps out most of the tagger's false `nr` words.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator

SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆"
    "乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平"
    "计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公"
    "哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 司徒 夏侯 尉迟 公孙 长孙 宇文 轩辕 端木 独孤 南宫 西门 呼延 "
    "澹台 百里 东郭 闻人 赫连 万俟 申屠 钟离 第五".split()
)
# Words that introduce one or more names.
CONTEXT_WORDS = (
    "姓名|申请人|被申请人|当事人|联系人|经办人|记录人|承办人|主持人|委托代理人|代理人|法定代表人|负责人|"
    "参加人员|出席人员|参会人员|列席人员|出席|列席|参加|执法人员|调查人员|信访人|投诉人|举报人|户主|签收人|"
    "收件人|送达人|受送达人|领款人|驾驶人|证人|审核人|审批人|记录|主持|拟稿人|核稿人|监护人|患者|户名|开户名|"
    "被处罚人|违法行为人|报告人|来访人|求助人|缴款人|持卡人|房主|业主|租户|签字|签名|复核人|核查人|调查人|审核|复核|"
    "妻子|丈夫|儿子|女儿|之子|之女|其子|其女|其父|其母|住户|驾驶员|司机|村民|居民|邻居|员工|职工|网格员|律师|死者|伤者"
)
_HONORIFICS = "先生|女士|同志|小姐|老先生|老太太"
_HAN = r"\u4e00-\u9fa5"
_CONTEXT = re.compile(rf"(?:{CONTEXT_WORDS})(?:[（(][{_HAN}]{{1,6}}[）)])?\s*[：:]?\s*")
_LIST_SEP = re.compile(r"\s*[、，,/；;]\s*|\s{1,4}")
# What follows a name: a form of address, or the sex in a party's particulars (“张三，男，”).
_HONORIFIC = re.compile(rf"(?=(?:{_HONORIFICS})|[，,]\s*[男女][，,）)])")
# A list item that starts with a name: “1. 王秀英，身份证号…”.
_ENUMERATED = re.compile(
    rf"(?:^|\n)\s*(?:\d{{1,3}}|[一二三四五六七八九十]{{1,3}})\s*[.、．)）]\s*([{_HAN}]{{2,4}})(?=[，,：:\s（(])"
)
_TITLES = frozenset(
    "局长 主任 科长 书记 同志 先生 女士 老师 处长 部长 市长 县长 镇长 村长 组长 所长 院长 经理 总监 主席 委员".split()
)
_BREAKS = tuple(_HONORIFICS.split("|")) + tuple(_TITLES)
# Characters after which a two-character name ends rather than runs on to a third.
_STOPS = frozenset("于在的为向因和与及等已是称于于之将被对从自经到就也并均及其同诉等系均曾现及以")
# Words the tagger sometimes marks `nr` that are not names in our documents.
NOT_NAMES = frozenset(
    "申请人 当事人 联系人 负责人 承办人 经办人 记录人 主持人 代理人 信访人 举报人 投诉人 执法人员 工作人员 "
    "公民 居民 同志 先生 女士 文明 高新 金融 安全 常务 明确 万元 于是 于此 华夏 平安 方面 方式 时间 "
    "国家 国务院 宁可 应当 成立 和平 高度 单位 余额 邵阳 黄山 贺州 常州 温州 包头 石家庄 江西 江苏 "
    "史料 严格 严重 伍佰 尚未 关于 向其 何时 左右 曲折 成本 祝贺 强化 文件 程序 范围 季度 易于 路段 "
    "全面 全体 全年 全市 全区 全省 全部 车辆 车牌 车主 原告 原因 原件 原则 连续 金额 党组 党委 林业 "
    "司法 司机 应急 信息 信访 简易 简要 罗列 向阳 高速 高级 高中 任务 任何 任职 师傅 时任 时限 商户 "
    "万达 华为 苏宁 燕京 宁波 安徽 武汉 武昌 汤圆 龙岗 龙华 宝安 梅州 柳州 康复 华南 华北 王府井".split()
)

_COMMON = 300  # dictionary frequency above which a word tagged `nr` needs other evidence
_FUNCTION_FLAGS = frozenset({"d", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "r", "y", "e", "o", "f", "t", "m", "q"})
_lock = threading.Lock()
_tagger: object | None = None


def _posseg() -> object:
    """jieba's tagger, loaded once (its dictionary takes about a second to build)."""
    global _tagger
    with _lock:
        if _tagger is None:
            import jieba
            import jieba.posseg

            jieba.setLogLevel(logging.WARNING)
            _tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())
        return _tagger


# Last characters of institutions, places and things, which the tagger now and then calls names.
_NOT_NAME_ENDINGS = frozenset("卡局部处所院区市县镇乡村路街队组科室会委厅厂司行馆站省州港湾桥楼场店库费款税证号码长")


def has_surname(word: str) -> bool:
    return word[:2] in COMPOUND_SURNAMES or word[:1] in SINGLE_SURNAMES


def plausible(word: str) -> bool:
    """Two to four Chinese characters starting with a surname, and not a known non-name."""
    return (
        2 <= len(word) <= 4
        and re.fullmatch(rf"[{_HAN}]+", word) is not None
        and has_surname(word)
        and (word not in NOT_NAMES and word[-1] not in _NOT_NAME_ENDINGS)
    )


def _bare_surname(word: str) -> bool:
    return word in COMPOUND_SURNAMES or (len(word) == 1 and word in SINGLE_SURNAMES)


def _rare(word: str) -> bool:
    """Not a common word: jieba's dictionary tags some frequent words `nr` (卫星, 查明, 宁可)."""
    return int(_posseg().tokenizer.FREQ.get(word) or 0) < _COMMON  # type: ignore[attr-defined]


def _tokens(text: str) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    pos = 0
    for pair in _posseg().cut(text):  # type: ignore[attr-defined]
        out.append((pos, pair.word, pair.flag))
        pos += len(pair.word)
    return out


def _joined(tokens: list[tuple[int, str, str]], i: int) -> int | None:
    """The end of a name the tagger split after token `i` (王/秀英, 高丽/萍), or None."""
    start, word, _ = tokens[i]
    if i + 1 >= len(tokens):
        return None
    _, after, flag = tokens[i + 1]
    if _bare_surname(word) and flag not in ("x", "m") and after not in _TITLES and plausible(word + after):
        return start + len(word + after)
    if flag == "nr" and len(after) == 1 and plausible(word + after):
        return start + len(word) + 1
    return None


def _tagged(tokens: list[tuple[int, str, str]], text: str) -> Iterator[tuple[int, int]]:
    """Words tagged `nr`. The tagger often splits a name into surname and given name (王/秀英,
    沈/明远): a bare surname tagged `nr` followed by one or two characters is joined to them."""
    skip = -1
    for i, (start, word, flag) in enumerate(tokens):
        if i <= skip or flag != "nr":
            continue
        end = _joined(tokens, i)
        if end is not None:
            yield (start, end)
            skip = i + 1
        elif plausible(word) and _rare(word):
            # “魏陈氏”: a married woman's name, her husband's surname before her own and 氏.
            wide = start > 0 and word.endswith("氏") and text[start - 1] in SINGLE_SURNAMES
            yield (start - 1 if wide else start, start + len(word))


def _starts_no_name(word: str, flag: str) -> bool:
    """曾上门, 由陈, 应当: a function word or a common word starts here, not a surname."""
    return (len(word) == 1 and flag in _FUNCTION_FLAGS) or (len(word) > 1 and flag[0] != "n" and not _rare(word))


def _surname_run(text: str, start: int) -> int | None:
    """Surname plus one or two characters from `start`, ending before a stop character or a title."""
    run = re.match(rf"[{_HAN}]{{2,4}}", text[start:])
    if run is None or not has_surname(run.group()):
        return None
    word = run.group()
    surname = 2 if word[:2] in COMPOUND_SURNAMES else 1
    short = word[surname + 1 :].startswith(_BREAKS)  # 李娜女士, 王强同志: the title is not the name
    long_ok = len(word) >= surname + 2 and word[surname + 1] not in _STOPS and not short
    length = surname + 2 if long_ok else surname + 1
    if len(word) < length or not plausible(word[:length]):
        return None
    return start + length


def _name_at(text: str, start: int, tagged: dict[int, int], words: dict[int, tuple[str, str]]) -> int | None:
    """The end of the name that starts at `start`, or None: the tagger's word when it has one,
    otherwise surname plus one or two characters, ending before a stop character."""
    if start in tagged:
        return tagged[start]
    word, flag = words.get(start, ("", "n"))
    if flag.startswith("nr") and plausible(word):
        return start + len(word)  # a name the tagger knows, common or not (李娜): the context decides
    if _starts_no_name(word, flag):
        return None
    return _surname_run(text, start)


def _after_context(text: str, tagged: dict[int, int], words: dict[int, tuple[str, str]]) -> Iterator[tuple[int, int]]:
    for m in _CONTEXT.finditer(text):
        pos = m.end()
        while pos < len(text):
            end = _name_at(text, pos, tagged, words)
            if end is None:
                break
            yield (pos, end)
            sep = _LIST_SEP.match(text, end)
            if sep is None or sep.end() == end:
                break
            pos = sep.end()


def _before_honorific(text: str, tagged: dict[int, int]) -> Iterator[tuple[int, int]]:
    for m in _HONORIFIC.finditer(text):
        end = m.start()
        for length in (3, 2, 4):
            start = end - length
            if start >= 0 and plausible(text[start:end]) and not any(s < start < e for s, e in tagged.items()):
                yield (start, end)
                break


def find_names(text: str, *, whole: bool = False) -> list[tuple[int, int]]:
    """Spans of person names in `text`. `whole`: the text is a value under a name label (a table
    cell under 姓名, a document's author): all of it is the name when it looks like one."""
    value = text.strip()
    if whole and plausible(value):
        start = text.index(value)
        return [(start, start + len(value))]
    if not re.search(rf"[{_HAN}]", text):
        return []
    tokens = _tokens(text)
    words = {start: (word, flag) for start, word, flag in tokens}
    tagged = dict(_tagged(tokens, text))
    enumerated = {(m.start(1), m.end(1)) for m in _ENUMERATED.finditer(text) if plausible(m.group(1))}
    spans = set(tagged.items()) | set(_after_context(text, tagged, words)) | set(_before_honorific(text, tagged))
    spans |= enumerated
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


NAME_LABEL = re.compile(rf"^\s*(?:{CONTEXT_WORDS}|姓\s*名|名字|作者|创建者|修改者)\s*[：:]?\s*$")
