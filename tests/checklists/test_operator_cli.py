"""An operator runs the whole lifecycle without Slack, on the embedded SQLite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.checklists.helpers import SPEECH


def duban(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "DUBAN_DATABASE__URL": f"sqlite:///{tmp / 'ops.db'}", "HOME": str(tmp)}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env,
                          cwd=tmp, timeout=120, check=False)


def test_operator_lifecycle(tmp_path: Path) -> None:
    speech = tmp_path / "speech.txt"
    speech.write_text(SPEECH, encoding="utf-8")
    refused = duban(tmp_path, "checklist", "list")
    assert refused.returncode == 2 and "duban db upgrade" in refused.stderr and "Traceback" not in refused.stderr
    assert duban(tmp_path, "db", "upgrade").returncode == 0
    created = duban(tmp_path, "checklist", "create", str(speech), "--owner", "UOWNER", "--supervisor", "USUP")
    assert created.returncode == 0, created.stderr
    cid = created.stdout.strip().splitlines()[-1]
    assert len(cid) == 32
    assert duban(tmp_path, "directory", "set", "各镇", "UTOWN").returncode == 0
    ack = duban(tmp_path, "item", "set-status", f"{cid[:8]}:4", "acknowledge", "--actor", "UTOWN")
    assert ack.returncode == 0 and "已签收" in ack.stdout, ack.stderr
    refused = duban(tmp_path, "item", "set-status", f"{cid[:8]}:4", "verify", "--actor", "UTOWN")
    assert refused.returncode == 2 and "督办人" in refused.stderr
    done = duban(tmp_path, "item", "set-status", f"{cid[:8]}:4", "complete", "--actor", "UTOWN")
    assert done.returncode == 0
    assert duban(tmp_path, "item", "set-status", f"{cid[:8]}:4", "verify", "--actor", "USUP").returncode == 0
    shown = duban(tmp_path, "checklist", "show", cid[:8])
    assert "[已办结] 各镇要在5月20日前完成摸底排查" in shown.stdout
    out = tmp_path / "ledger.xlsx"
    assert duban(tmp_path, "export", cid[:8], "--format", "xlsx", "-o", str(out)).returncode == 0
    assert out.stat().st_size > 4000
    md = duban(tmp_path, "export", cid[:8], "--format", "markdown")
    assert "| 4 | 各镇要在5月20日前完成摸底排查 |" in md.stdout
