"""Time per evaluation of one case, in-process, with full reasons.

Run: python bench/evaluate_bench.py [N]   (after `pip install .`, or with PYTHONPATH=src)
Prints the median over rounds of the mean time per case for each worked example.
"""

from __future__ import annotations

import statistics
import sys
import time

import refstatus
from refstatus.examples import builtin_examples


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    defs = refstatus.load_definitions()
    examples = builtin_examples()
    per_case = []
    for ex in examples:
        refstatus.evaluate(ex.case, defs)  # warm
        rounds = []
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(n):
                refstatus.evaluate(ex.case, defs)
            rounds.append((time.perf_counter() - t0) / n)
        per_case.append(statistics.median(rounds))
        print(f"{ex.id:45} {statistics.median(rounds) * 1e6:8.1f} µs")
    print(f"{'all examples (median)':45} {statistics.median(per_case) * 1e6:8.1f} µs")
    print(f"criteria per case: {len(defs.criteria)}")


if __name__ == "__main__":
    main()
