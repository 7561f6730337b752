"""`duban eval`: the project's own scorer, with the same metric as the shared score.py, run in-process."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from extractors.intake import read_document
from extractors.pipeline import extract

MAX_QUOTE = 400
FREQ = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").replace("著", "着")
    return "".join(c for c in s if not c.isspace() and unicodedata.category(c)[0] not in "PS")


def _near(a: str, b: str) -> bool:
    return bool(b) and (a in b or b in a)


def party_ok(gold: dict[str, Any], item: dict[str, Any]) -> bool:
    names = [norm(p["name"]) for p in item.get("responsible") or []]
    if any(_near(norm(bad), n) for bad in gold.get("not_responsible", []) for n in names):
        return False
    if not all(any(_near(norm(w), n) for n in names) for w in gold["responsible"]):
        return False
    if gold.get("lead"):
        leads = [norm(p["name"]) for p in item.get("responsible") or [] if p.get("role") == "lead"]
        return any(_near(norm(gold["lead"]), n) for n in leads)
    return True


def deadline_ok(gold: dict[str, Any], item: dict[str, Any]) -> bool:
    g, d = gold["deadline"], item.get("deadline") or {}
    if d.get("kind") != g["kind"]:
        return False
    if g["kind"] == "within":
        return bool(d.get("unit") == g["unit"] and d.get("amount") == g.get("amount")
                    and bool(d.get("placeholder")) == bool(g.get("placeholder")))
    if g["kind"] == "recurring":
        rule = dict(p.split("=", 1) for p in (d.get("rrule") or "").split(";") if "=" in p)
        freq = FREQ.get(rule.get("FREQ", ""), "")
        if rule.get("FREQ") == "MONTHLY" and rule.get("INTERVAL") == "3":
            freq = "quarterly"
        return freq == g["freq"]
    if g["kind"] == "by":
        if g.get("placeholder"):
            return bool(d.get("placeholder"))
        due = d.get("due") or ""
        if g.get("period") == "year" and not g.get("month"):
            return bool(due[5:] == "12-31" and (not g.get("year") or due[:4] == str(g["year"])))
        parts = due.split("-")
        if len(parts) != 3:
            return False
        return all(not g.get(k) or int(parts[i]) == g[k] for k, i in (("year", 0), ("month", 1), ("day", 2)))
    return True


def score_document(gold: dict[str, Any], items: list[dict[str, Any]], name: str, log: list[str]) -> Counter[str]:
    quotes = [norm(i.get("quote") or "") for i in items]
    used: set[int] = set()
    s: Counter[str] = Counter()
    for g in gold["tasks"]:
        s["tasks"] += 1
        a = norm(g["anchor"])
        hit = next((k for k, q in enumerate(quotes) if k not in used and a in q and len(q) <= MAX_QUOTE), None)
        if hit is None:
            log.append(f"  MISS  {name}: {g['anchor']}")
            continue
        used.add(hit)
        s["matched"] += 1
        if "responsible" in g:
            s["party_n"] += 1
            ok = party_ok(g, items[hit])
            s["party_ok"] += ok
            if not ok:
                log.append(f"  PARTY {name}: {g['anchor']}")
        if "deadline" in g:
            s["dl_n"] += 1
            ok = deadline_ok(g, items[hit])
            s["dl_ok"] += ok
            if not ok:
                log.append(f"  DUE   {name}: {g['anchor']}")
    for neg in gold.get("not_tasks", []):
        s["neg_n"] += 1
        if any(norm(neg) in q for q in quotes):
            s["neg_hit"] += 1
            log.append(f"  FALSE {name}: {neg}")
    for u in gold.get("unique", []):
        s["uniq_n"] += 1
        if sum(norm(u) in q for q in quotes) > 1:
            s["dup"] += 1
            log.append(f"  DUP   {name}: {u}")
    return s


def evaluate_corpus(gold_path: Path, texts: Path, *, verbose: bool = False) -> str:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    total: Counter[str] = Counter()
    log: list[str] = []
    for name, g in gold.items():
        text = read_document((texts / name).read_bytes(), filename=name).text
        items = extract(text).contract()["items"]
        total += score_document(g, items, name, log)  # type: ignore[arg-type]

    def ratio(a: str, b: str) -> float:
        return total[a] / total[b] if total[b] else 1.0

    line = (f"task_recall {ratio('matched', 'tasks'):.3f} ({total['matched']}/{total['tasks']})  "
            f"party_acc {ratio('party_ok', 'party_n'):.3f} ({total['party_ok']}/{total['party_n']})  "
            f"deadline_acc {ratio('dl_ok', 'dl_n'):.3f} ({total['dl_ok']}/{total['dl_n']})  "
            f"false_hits {total['neg_hit']}/{total['neg_n']}  duplicates {total['dup']}/{total['uniq_n']}")
    return "\n".join([*log, line] if verbose else [line])
