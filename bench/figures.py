"""A row of bench/summary.py's table: a figure, its bare baseline, its goal, and the table itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    """`limit` on the row's ratio (kind "ratio") or on its own value (kind "ms": a time in ms, or
    what `unit` says)."""

    kind: str
    limit: float
    strict: bool = True  # "<" rather than "≤"
    unit: str = "ms"  # what `limit` is in, for kind "ms" (the row's own unit)

    def met(self, now_ms: float, ratio: float) -> bool:
        value = ratio if self.kind == "ratio" else now_ms
        return value < self.limit if self.strict else value <= self.limit

    def __str__(self) -> str:
        sign = "<" if self.strict else "≤"
        return f"{sign} ×{self.limit:g}" if self.kind == "ratio" else f"{sign} {value_text(self.limit, self.unit)}"


@dataclass(frozen=True)
class Figure:
    name: str
    now_ms: float  # in `unit` ("ms", "MiB" for the memory rows, "GiB" for the store's size)
    baseline_ms: float | None  # None: a row with a goal but no bare twin (the store's size, the push)
    goal: Goal
    unit: str = "ms"

    @property
    def ratio(self) -> float:
        return self.now_ms / self.baseline_ms if self.baseline_ms else float("nan")

    @property
    def met(self) -> bool:
        return self.goal.met(self.now_ms, self.ratio)


def value_text(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return ms_text(value) if unit == "ms" else f"{value:.2f} {unit}" if unit == "GiB" else f"{value:.0f} {unit}"


def ms_text(value: float) -> str:
    return f"{value:.3f} ms" if value < 1 else f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s"


def print_table(figures: list[Figure], not_measured: tuple[tuple[str, str, str], ...] = ()) -> None:
    width = max(len(name) for name in [f.name for f in figures] + [n for n, _, _ in not_measured]) + 2
    print(f"{'name':{width}}{'now':>10}{'baseline':>11}{'ratio':>9}  {'goal':24}met?")
    for f in figures:
        ratio = "—" if f.baseline_ms is None else f"{f.ratio:.2f}×"
        print(f"{f.name:{width}}{value_text(f.now_ms, f.unit):>10}{value_text(f.baseline_ms, f.unit):>11}{ratio:>9}  "
              f"{str(f.goal):24}"
              f"{'yes' if f.met else 'NO'}")
    for name, goal, where in not_measured:
        print(f"{name:{width}}{'—':>10}{'—':>11}{'—':>9}  {goal:24}not measured here ({where})")


