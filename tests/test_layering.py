"""Dependencies flow one way: bot -> checklists -> extractors. extractors has no Slack, no database
and no clock; checklists has no Slack."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
FORBIDDEN = {
    "extractors": ("bot", "checklists", "slack_bolt", "slack_sdk", "sqlalchemy", "apscheduler"),
    "checklists": ("bot", "slack_bolt", "slack_sdk", "apscheduler"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_imports_flow_one_way() -> None:
    bad = []
    for package, forbidden in FORBIDDEN.items():
        for path in (ROOT / package).rglob("*.py"):
            hit = _imports(path) & set(forbidden)
            if hit:
                bad.append(f"{path.relative_to(ROOT)}: {sorted(hit)}")
    assert bad == []


def test_extractors_never_read_the_clock() -> None:
    offenders = [p.name for p in (ROOT / "extractors").rglob("*.py")
                 if any(s in p.read_text(encoding="utf-8") for s in ("date.today(", "datetime.now(", "time.time("))]
    assert offenders == []
