"""`python -m bench [name] [options]`: run one benchmark, or all of them in turn, each printing its table.

python -m bench                  # all: matching, queue, calls, notifications, load, triage (about 15 minutes)
python -m bench matching --sizes 1000,10000
python -m bench queue --requests 100000
python -m bench calls --tasks 10000
python -m bench triage --detectors
"""

from __future__ import annotations

import importlib
import sys

BENCHES = {
    "matching": "bench.matching",
    "queue": "bench.queue",
    "calls": "bench.calls",
    "notifications": "bench.notifications",
    "load": "bench.load.__main__",
    "triage": "bench.triage",
}


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    if not argv or argv[0] == "all":
        status = 0
        for name in BENCHES:
            print(f"\n=== {name} ===", flush=True)
            status |= int(importlib.import_module(BENCHES[name]).main([]))
        return status
    if argv[0] not in BENCHES:
        print(f"unknown benchmark {argv[0]!r}; choose from: {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    return int(importlib.import_module(BENCHES[argv[0]]).main(argv[1:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
