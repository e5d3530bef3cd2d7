#!/usr/bin/env python3
"""Times hostile inputs at n and 10n through the real binary (issue 20, "Growth";
docs/reliability.md): how `journey check` grows on inputs built to be awkward, so
that a case slower than linear shows as a ratio well above 10.

    benches/growth.py target/release/journey [n]

Prints a Markdown table: the best of three runs of `journey check` on each case at
n (default 2 000) and 10n, and their ratio (10 is linear; below 10, fixed costs
still weigh).
"""

import os
import subprocess
import sys
import tempfile
import time

JOURNEY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/journey")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 2000

CASES = {
    "repeated declarations (duplicates)": lambda n: "team ops\n" * n,
    "one long label": lambda n: 'persona p "' + "x" * (n * 20) + '"\n',
    "one long unterminated label": lambda n: 'persona p "' + "x" * (n * 20) + "\npersona q\n",
    "opening braces": lambda n: "team t " + "{" * n + "\n",
    "closing braces": lambda n: "}\n" * n,
    "NUL lines": lambda n: "\0\n" * n,
    "broken declarations": lambda n: "team\n" * n,
    "unknown attributes in a block": lambda n: "team t {\n" + "  bogus 1\n" * n + "}\n",
    "unresolved traces": lambda n: "journey j {\n stage s {\n"
    + "".join(f"  touchpoint t{i} {{ traces to nope{i} }}\n" for i in range(n))
    + " }\n}\n",
    "broken touchpoints": lambda n: "journey j {\n stage s {\n"
    + "".join(f"  touchpoint t{i} {{ emotion }}\n" for i in range(n))
    + " }\n}\n",
    "unclosed declarations": lambda n: "".join(f"journey j{i} {{\n stage s {{\n" for i in range(n)),
    "stages on one line": lambda n: "journey j { " + " ".join(f"stage s{i} {{ }}" for i in range(n)) + " }\n",
    "doc comments that document nothing": lambda n: "team t {\n" + "  /// d\n" * n + "}\n",
}


def best(path):
    """The best of three wall times of `journey check path`, in seconds."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([JOURNEY, "check", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    print(f"| case | n = {N} | 10n = {10 * N} | ratio |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "case.journey")
        for name, make in CASES.items():
            row = []
            for n in (N, 10 * N):
                with open(path, "w", encoding="utf-8") as f:
                    f.write(make(n))
                row.append(best(path))
            print(f"| {name} | {row[0] * 1e3:.1f} ms | {row[1] * 1e3:.1f} ms | {row[1] / row[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
