"""Where the team's shared folder is: DESIGN.md, the toolbox seeds and the labelled examples.

It lies beside the checkout (`../shared/`). A checkout made somewhere else (a CI clone in a deeper folder, a
worktree) finds the nearest `shared/` holding DESIGN.md in any folder above it; `BURENHULP_SHARED_DIR` names it
outright.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """The shared folder; `ROOT.parent / "shared"` when none is found, so that messages name the expected place."""
    named = os.environ.get("BURENHULP_SHARED_DIR")
    if named:
        return Path(named)
    for folder in ROOT.parents:
        candidate = folder / "shared"
        if (candidate / "DESIGN.md").is_file():
            return candidate
    return ROOT.parent / "shared"
