"""The targets of issue #20, checked on the figures of one run and printed at its end."""

from dataclasses import dataclass

FRONT_RATIO = 0.50  # baked pages through the front, of the nginx static limit
GUNICORN_BAKED = 3000  # req/s, gunicorn alone (2 workers), a baked page
DYNAMIC_HOME, DYNAMIC_OTHER = 350, 250  # req/s, a page rendered by Django
P99_MS = 40  # every view, recycling on
QUERIES_PER_VIEW = 10  # warm
FIRST_AFTER_PUBLISH = 5  # queries, Bergerac's home after a publish on Lalinde
BAKE_ONE_S, BAKE_ALL_S = 2.0, 60.0
SHOWN = 3  # misses named in the summary, the worst first


@dataclass
class Target:
    name: str
    met: bool | None  # None: not measured
    figure: str


class Targets:
    def __init__(self):
        self.rows = []

    def add(self, name, met, figure):
        self.rows.append(Target(name, met, figure))

    def at_least(self, name, values, minimum, unit=""):
        """`values`: {label: figure}; met when every figure reaches `minimum`."""
        self._bound(name, values, lambda v: v >= minimum, min, unit)

    def at_most(self, name, values, maximum, unit=""):
        self._bound(name, values, lambda v: v <= maximum, max, unit)

    def _bound(self, name, values, ok, worst, unit):
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            self.add(name, None, "not measured")
            return
        missed = {k: v for k, v in values.items() if not ok(v)}
        ranked = sorted(values, key=values.get, reverse=worst is max)
        if missed:
            shown = [k for k in ranked if k in missed][:SHOWN]
            figure = "; ".join(f"{k} {_fmt(values[k])}{unit}" for k in shown)
            if len(missed) > len(shown):
                figure = f"{len(missed)} of {len(values)}, worst: {figure}"
        else:
            figure = f"worst {ranked[0]} {_fmt(values[ranked[0]])}{unit}"
        self.add(name, not missed, figure)

    def print(self):
        print("\nTargets (issue #20)")
        width = max(len(row.name) for row in self.rows)
        for row in self.rows:
            state = {True: "met   ", False: "MISSED", None: "—     "}[row.met]
            print(f"  {state} {row.name:{width}}  {row.figure}")


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.0f}" if value >= 100 else f"{value:.1f}"
    return str(value)
