"""How the letters word what the case holds: each withholding ground as a letter states it (the
provision quoted, never the statistics label), the request in indirect speech, and the
handler's per-ground reasons read from the decision.

The quoted provisions are the text of the Regulations as revised in 2019 (Art. 14, 15, 16, 36).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from states import GROUNDS, Ground

# ground -> (what the letter says when the handler gave no facts, the article, the provision quoted)
GROUND_WORDING: dict[str, tuple[str, str, str]] = {
    Ground.STATE_SECRET.value: (
        "该政府信息已依法确定为国家秘密",
        "第十四条",
        "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及国家安全、"
        "公共安全、经济安全、社会稳定的政府信息，不予公开",
    ),
    Ground.FORBIDDEN_BY_LAW.value: (
        "该政府信息属于法律、行政法规禁止公开的政府信息",
        "第十四条",
        "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及国家安全、"
        "公共安全、经济安全、社会稳定的政府信息，不予公开",
    ),
    Ground.SECURITY_STABILITY.value: (
        "该政府信息公开后可能危及国家安全、公共安全、经济安全或者社会稳定",
        "第十四条",
        "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及国家安全、"
        "公共安全、经济安全、社会稳定的政府信息，不予公开",
    ),
    Ground.THIRD_PARTY_RIGHTS.value: (
        "该政府信息涉及第三方的商业秘密、个人隐私等合法权益，公开会对第三方合法权益造成损害",
        "第十五条",
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。但是，"
        "第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响的，予以公开",
    ),
    Ground.INTERNAL_AFFAIRS.value: (
        "该政府信息属于本机关的内部事务信息",
        "第十六条第一款",
        "行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开",
    ),
    Ground.PROCESS_INFORMATION.value: (
        "该政府信息属于本机关在履行行政管理职能过程中形成的过程性信息",
        "第十六条第二款",
        "行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息以及"
        "行政执法案卷信息，可以不予公开。法律、法规、规章规定上述信息应当公开的，从其规定",
    ),
    Ground.ENFORCEMENT_FILES.value: (
        "该政府信息属于行政执法案卷信息",
        "第十六条第二款",
        "行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息以及"
        "行政执法案卷信息，可以不予公开。法律、法规、规章规定上述信息应当公开的，从其规定",
    ),
    Ground.ADMINISTRATIVE_ENQUIRY.value: (
        "该信息属于应当通过行政查询途径获取的信息，有关法律、行政法规对其获取有特别规定",
        "第三十六条第（七）项",
        "所申请公开信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，"
        "告知申请人依照有关法律、行政法规的规定办理",
    ),
}

# Leading verbs an applicant writes ("请公开…"), dropped when the letter restates the request.
_ASKING = re.compile(
    r"^\s*(?:我|本人|本单位|我单位|我公司)?(?:现)?(?:申请|要求|请求|请|希望|想)?"
    r"(?:依法)?(?:公开|提供|获取|查阅|告知|了解)\s*[:：]?\s*"
)


def indirect(request: str) -> str:
    """The request as the letter restates it: without the applicant's "请公开", with inner
    double quotes turned into single ones so the letter's own quotes can enclose it."""
    text = _ASKING.sub("", request.strip(), count=1) or request.strip()
    text = text.replace("“", "‘").replace("”", "’").rstrip("。；;，,.")
    return text


def _json_object(text: str) -> Mapping[str, Any] | None:
    if not text.startswith("{"):
        return None
    try:
        loaded = json.loads(text)
    except ValueError:
        return None
    return loaded if isinstance(loaded, Mapping) else None


def parse_ground_reasons(raw: Any) -> dict[str, str]:
    """The handler's facts per ground: a mapping, a JSON object, or one "code：facts" per line."""
    if not raw:
        return {}
    if isinstance(raw, Mapping):
        return {str(k): str(v).strip() for k, v in raw.items() if str(v).strip()}
    text = str(raw).strip()
    loaded = _json_object(text)
    if loaded is not None:
        return parse_ground_reasons(loaded)
    out: dict[str, str] = {}
    for line in text.splitlines():
        code, sep, facts = re.split(r"([:：])", line, maxsplit=1) if re.search("[:：]", line) else (line, "", "")
        if sep and code.strip() in GROUND_WORDING and facts.strip():
            out[code.strip()] = facts.strip()
    return out


def ground_items(codes: list[str], reasons: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each ground as the letter states it: the case's facts (or the standard wording), the
    article and the provision quoted."""
    items = []
    for code in codes:
        default, article, provision = GROUND_WORDING[code]
        items.append(
            {
                "code": code,
                "label": GROUNDS[Ground(code)][0],
                "article": GROUNDS[Ground(code)][1],
                "facts": reasons.get(code) or default,
                "own_facts": code in reasons,
                "provision_article": article,
                "provision": provision,
            }
        )
    return items
