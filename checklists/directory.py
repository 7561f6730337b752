"""Party directory: party names ("区疾控中心", "各镇", "区委统战部(区民宗局)") -> Slack users or groups.

Matching is fuzzy in the ways offices write names: a bracketed alias, a leading 各/全市/各级, and the
usual abbreviations (卫健委 ≈ 卫生健康委员会)."""

from __future__ import annotations

import regex

# Abbreviations offices use interchangeably; each pair folds to the short form.
ABBREVIATIONS = (
    ("卫生健康委员会", "卫健委"), ("卫生健康局", "卫健局"), ("卫生健康部门", "卫健部门"),
    ("疾病预防控制中心", "疾控中心"), ("人民政府", "政府"), ("办公室", "办"), ("委员会", "委"),
    ("市场监督管理局", "市场监管局"),
)
PREFIX = regex.compile(r"^(?:各级|各类|各|全市|全区|全县|全省|所有|相关|有关)+")
BRACKET = regex.compile(r"\(([^()]{1,20})\)")


def normalise(name: str) -> str:
    name = name.strip().replace("（", "(").replace("）", ")")
    for long, short in ABBREVIATIONS:
        name = name.replace(long, short)
    return name


def keys_for(name: str) -> list[str]:
    """Every key a name may be filed under, most specific first."""
    base = normalise(name)
    keys = [base]
    inner = BRACKET.findall(base)
    outer = BRACKET.sub("", base)
    keys += [outer, *inner]
    stripped = PREFIX.sub("", outer)
    if len(stripped) >= 2 and stripped != outer:
        keys.append(stripped)
    return [k for k in dict.fromkeys(keys) if k]
