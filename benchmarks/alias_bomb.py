"""
How fast a pack of repeated aliases (a "billion laughs") is refused, next to parsing a real pack.

    .venv/bin/python -m benchmarks.alias_bomb

The loader refuses an alias while composing, at the first one it meets, so the time should
not grow with the number of strings the aliases would expand to (9**levels). Prints the
median of repeated refusals; asserts nothing about time (the test suite checks the refusal).
"""
from __future__ import annotations

import statistics
import sys
import time

from competency_xblock.domain.pack_loader import CONTENT_DIR, PackError, parse_pack


def alias_bomb(levels: int) -> str:
    """Each level is nine aliases of the one before: 9**levels strings if expanded."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def median_seconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refuse(text: str) -> str:
    try:
        parse_pack(text, "bomb.yaml")
    except PackError as error:
        return str(error.issues[0])
    raise AssertionError("an alias bomb was accepted")


def main(repeats: int = 200) -> int:
    print(f"{'levels':>6} {'would expand to':>16} {'text bytes':>10} {'refused in (median)':>20}")
    for levels in (3, 6, 9, 12, 20):
        text = alias_bomb(levels)
        seconds = median_seconds(lambda: refuse(text), repeats)
        print(f"{levels:>6} {9 ** (levels + 1):>16.3g} {len(text.encode()):>10} {seconds * 1e6:>17.0f} µs")
    print(f"message: {refuse(alias_bomb(9))}")
    real = (CONTENT_DIR / "customer_service.yaml").read_text(encoding="utf-8")
    seconds = median_seconds(lambda: parse_pack(real, "customer_service.yaml"), max(repeats // 20, 3))
    print(f"for scale: parsing and checking customer_service.yaml ({len(real.encode())} bytes): "
          f"{seconds * 1e3:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
