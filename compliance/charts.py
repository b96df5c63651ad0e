"""
The monthly trend drawn as inline SVG on the server: coordinates only, no database and no
JavaScript, so the chart shows in any browser, prints, and reads out through its labels.
"""

import dataclasses

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 30, 12, 36


@dataclasses.dataclass(frozen=True)
class Dot:
    x: float
    y: float
    percent: int


@dataclasses.dataclass(frozen=True)
class Series:
    key: str  # a CSS class: the two lines differ in dash as well as colour
    dots: list[Dot]

    @property
    def points(self) -> str:
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)


@dataclasses.dataclass(frozen=True)
class Month:
    period: object
    x: float
    compliant: Dot | None
    met: Dot | None


@dataclasses.dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: int
    right_edge: int
    bottom_edge: int
    gridlines: list[tuple[float, int]]  # (y, percent)
    months: list[Month]
    compliant: Series
    met: Series


def _y(share: float) -> float:
    return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM)


def trend_chart(points) -> TrendChart | None:
    """Lay out the compliant-outlet share and requirement share of each month; None if none."""
    if not points:
        return None
    span = WIDTH - LEFT - RIGHT
    step = span / max(len(points) - 1, 1)
    months = []
    for i, point in enumerate(points):
        x = LEFT + (i * step if len(points) > 1 else span / 2)
        months.append(
            Month(
                period=point.period,
                x=x,
                compliant=_dot(x, point.compliant_share),
                met=_dot(x, point.share),
            )
        )
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        bottom_edge=HEIGHT - BOTTOM,
        gridlines=[(_y(p / 100), p) for p in (0, 25, 50, 75, 100)],
        months=months,
        compliant=Series("compliant", [m.compliant for m in months if m.compliant]),
        met=Series("met", [m.met for m in months if m.met]),
    )


def _dot(x: float, share: float | None) -> Dot | None:
    if share is None:
        return None
    return Dot(x=x, y=_y(share), percent=round(share * 100))
