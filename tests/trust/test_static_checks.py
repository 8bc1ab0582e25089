"""Static checks: ruff's security rules (bandit's checks) stay on and pass; no dependency with a known vulnerability.

pip-audit checks every pin of the hashed lock file (requirements.txt), transitive ones included, against PyPI's
advisories (CI has PyPI access). When the index cannot say anything about the pinned versions (a mirror without
per-version pages, no network), the audit is reported as skipped with the reason, never as passed; a known
vulnerability always fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_ruff_security_rules_are_on_and_clean() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert "S" in config["select"]
    assert not {"S", "S1", "S3", "S6"} & set(config.get("ignore", [])), "only S101 (assert) may be ignored"
    result = subprocess.run(
        [
            str(BIN / "ruff"),
            "check",
            "--select",
            "S",
            "--ignore",
            "S101",
            "--output-format",
            "concise",
            "burenhulp",
            "matching",
            "worker",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_pinned_dependency_has_a_known_vulnerability() -> None:
    result = subprocess.run(
        [
            str(BIN / "pip-audit"),
            "--requirement",
            "requirements.txt",
            "--no-deps",
            "--disable-pip",
            "--vulnerability-service",
            "pypi",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.skip(f"pip-audit could not reach the advisory service: {result.stderr.strip()[-500:]}")
    dependencies = report["dependencies"]
    vulnerable = {
        f"{d['name']} {d['version']}": [
            f"{v['id']} (fixed in {', '.join(v['fix_versions']) or 'no release'})" for v in d["vulns"]
        ]
        for d in dependencies
        if d.get("vulns")
    }
    assert vulnerable == {}, "upgrade these in requirements.in and run make lock: " + json.dumps(vulnerable, indent=2)
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in dependencies})
        pytest.skip(f"pip-audit could audit none of {len(dependencies)} pins here: {'; '.join(reasons)}")
