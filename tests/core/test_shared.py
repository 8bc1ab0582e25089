"""The shared folder (DESIGN, seeds, examples) is found from any checkout beside or below it."""

from __future__ import annotations

from pathlib import Path

import pytest

from burenhulp.core.shared import shared_dir


def test_the_shared_folder_of_this_checkout_is_found() -> None:
    assert (shared_dir() / "DESIGN.md").is_file()
    assert (shared_dir() / "examples" / "triage-sample.jsonl").is_file()


def test_an_explicit_folder_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BURENHULP_SHARED_DIR", str(tmp_path))
    assert shared_dir() == tmp_path
