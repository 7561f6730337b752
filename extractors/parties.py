"""Responsible parties: subjects before a modal, 牵头/配合 grammar and trailing (A、B负责) notes."""

from __future__ import annotations

from functools import lru_cache

import regex

from extractors.models import Party, PartyRole
from extractors.rules import Lexicon, lexicon

NAME_RUN = regex.compile(r"[\p{Han}]+(?:\([\p{Han}、]{1,10}\))?(?:[\p{Han}]+)?")
MAX_SUBJECT = 30
# After a one-character suffix (部, 局, 办 …) a name must end here: "研究部署" is a verb, "宣传部要" a name.
NAME_BOUNDARY = frozenset("要必须应务确负牵配在是对将已也还和及与等于按把向")
# "由组织部门牵头、纪检监察等部门参加" / "A牵头,B配合"
LEAD_ASSIST = regex.compile(
    r"(?:由)?(?P<lead>[\p{Han}()、和及]{2,40}?)牵头[,、]?(?:(?P<assist>[\p{Han}()、和及]{2,40}?)(?:配合|参加|参与|协助|按职责分工负责))?")
# "(区卫健局、区疾控中心负责。列第一位者为牵头单位)" / "牵头单位:A;配合单位:B"
TRAILING = regex.compile(r"\((?P<names>[^()]{2,80}?)负责[。.]?(?P<first>列第一位者?为牵头单位)?\)")
LABEL_ROLES: dict[str, PartyRole] = {"牵头单位": "lead", "配合单位": "assist", "协办单位": "assist", "参与单位": "assist"}
LABELLED = regex.compile(r"(?P<label>牵头单位|责任单位|主责单位|配合单位|协办单位|参与单位)[:](?P<names>[^;。)]{2,80})")


def _clean_token(token: str, lex: Lexicon) -> str:
    prev = None
    while prev != token:
        prev = token
        token = lex.trim_lead.sub("", token, count=1).strip()
    return token


@lru_cache(maxsize=8192)
def org_name(token: str) -> str | None:
    """The party name at the front of token, or None: '医疗卫生机构人事变动比较大' -> '医疗卫生机构'."""
    lex = lexicon()
    token = _clean_token(token, lex)
    run = NAME_RUN.match(token)
    if not run:
        return None
    head = run.group(0)
    if "是" in head[1:]:  # a copula ends the subject: "各单位主要负责人是安全生产第一责任人"
        head = head[: head.index("是", 1)]
    if "的" in head:  # "所有开展核酸检测业务的检测机构" -> "检测机构"
        head = head[head.rfind("的") + 1:]
    if any(r.pattern.match(head) for r in lex.imperative_start):
        return None  # "加强市、县…" opens a verb phrase, not a name
    for role in lex.org_roles:
        if head.endswith(role) or head == role:
            return head if len(head) <= 12 else role
    best = 0
    suffixes = lex.org_suffix_set
    for i in range(2, len(head) + 1):
        piece = head[:i]
        suffix = next((piece[-n:] for n in (4, 3, 2, 1) if piece[-n:] in suffixes), None)
        if suffix and (i == len(head) or (head[i] != "(" and (len(suffix) > 1 or head[i] in NAME_BOUNDARY))):
            best = i
        elif piece.endswith(")") and any(piece[: piece.rfind("(")].endswith(s) for s in lex.org_suffixes):
            best = i
    if not best and regex.match(lex.plural_prefix + r"[\p{Han}]{1,3}$", head):
        best = len(head)
    name = head[:best]
    if len(name) < 2 or name in lex.non_party or name.endswith(lex.non_party_endings) or any(
            name.endswith(n) for n in lex.non_party if len(n) > 2):
        return None
    return name


def parse_names(text: str, role: PartyRole, rule: str, lex: Lexicon | None = None) -> list[Party]:
    lex = lex or lexicon()
    out: list[Party] = []
    for token in lex.separators.split(text):
        name = org_name(token.strip())
        if name and all(p.name != name for p in out):
            out.append(Party(name=name, role=role, rule=rule))
    return out


def subject_parties(prefix: str) -> list[Party]:
    """Parties named by the text before a clause's modal ("各镇和相关部门要…")."""
    prefix = prefix.strip(" ,")
    if not prefix or len(prefix) > MAX_SUBJECT:
        return []
    return parse_names(prefix, "owner", "party.subject")


OBJECT_TOPIC = regex.compile(r"^(?:对于?|针对|凡是?)")


def clause_head_parties(clause: str) -> list[Party]:
    """Parties that open a clause with no modal ("各级卫生健康部门、医疗卫生机构人事变动比较大").
    A topic led by 对/针对/凡 names whom the work is about ("对工作不力的单位,"), never who does it."""
    lex = lexicon()
    out: list[Party] = []
    if OBJECT_TOPIC.match(clause):
        return out
    for token in lex.separators.split(clause):
        name = org_name(token.strip())
        if not name:
            break
        out.append(Party(name=name, role="owner", rule="party.inherited"))
        if len(name) < len(_clean_token(token.strip(), lex)):
            break  # the token went on past the name: the subject list has ended
    return out


TOGETHER_WITH = regex.compile(r"(?:会同|协同|联合)(?P<names>[\p{Han}()、和及]{2,30}?)(?=[,,;。]|在|于|共同|一起|开展|做好|$)")


def assisting_parties(text: str) -> list[Party]:
    """"县卫健局要会同县财政局…": the unit named after 会同/协同/联合 assists."""
    out: list[Party] = []
    for m in TOGETHER_WITH.finditer(text) if "同" in text or "联合" in text else ():
        out += parse_names(m.group("names"), "assist", "party.together")
    return out


def explicit_parties(text: str) -> list[Party]:
    """牵头/配合 grammar and 分工方案 notes, which outrank a bare subject."""
    lex = lexicon()
    found: list[Party] = []
    m = TRAILING.search(text) if "负责" in text else None
    if m:
        names = parse_names(m.group("names"), "owner", "party.trailing", lex)
        if names and m.group("first"):
            names = [names[0].model_copy(update={"role": "lead"})] + [
                p.model_copy(update={"role": "assist"}) for p in names[1:]]
        return names
    for m in LABELLED.finditer(text) if "单位:" in text else ():
        role = LABEL_ROLES.get(m.group("label"), "owner")
        found += parse_names(m.group("names"), role, "party.labelled", lex)
    if found:
        return found
    m = LEAD_ASSIST.search(text) if "牵头" in text else None
    if m:
        lead_text = regex.split(r"[,;]", m.group("lead"))[-1]
        found += parse_names(lead_text, "lead", "party.lead", lex)
        if m.group("assist"):
            found += parse_names(m.group("assist"), "assist", "party.assist", lex)
    return found


LEAD_MARK = regex.compile(r"[(]牵头[)]")


def unit_cell_parties(text: str) -> list[Party]:
    """A table's 责任单位 cell: "区卫健局(牵头)、区疾控中心" -> 区卫健局 leads, the others assist; with no
    marked lead, every unit named owns the task."""
    if not LEAD_MARK.search(text):
        return explicit_parties(text) or parse_names(text, "owner", "party.table")
    out: list[Party] = []
    for token in lexicon().separators.split(text):
        lead = bool(LEAD_MARK.search(token))
        name = org_name(LEAD_MARK.sub("", token).strip())
        if name and all(p.name != name for p in out):
            out.append(Party(name=name, role="lead" if lead else "assist", rule="party.table"))
    return out
