"""`python -m bench <name> [options]`: the benchmark dispatcher."""

from __future__ import annotations

import sys

BENCHES = {"matching": "bench.matching", "notifications": "bench.notifications"}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in BENCHES:
        print("usage: python -m bench {" + ",".join(BENCHES) + "} [options]   (python -m bench matching --help)")
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    import importlib

    module = importlib.import_module(BENCHES[argv[0]])
    return int(module.main(argv[1:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
