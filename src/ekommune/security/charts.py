"""Accessible SVG charts (private to the app): a figure with a title and description for screen
readers, always shown beside a table of the same numbers in the template."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # what a screen reader or a tooltip says of it


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    axis_labels: tuple[tuple[float, str], ...]  # (x, text) below the bars
    legend: tuple[tuple[str, str], ...]  # (colour, name)
    maximum: int


def grouped_bars(
    groups: list[tuple[str, list[int]]], series: list[tuple[str, str]], *, width: int = 480, height: int = 220
) -> BarChart:
    """Bars per group (a quarter) and series (a class), scaled to the largest value."""
    top = 20
    bottom = height - 30
    maximum = max([max(values, default=0) for _, values in groups] + [1])
    group_width = width / max(len(groups), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    bars = []
    labels = []
    for index, (group, values) in enumerate(groups):
        left = index * group_width + group_width * 0.1
        labels.append((left + group_width * 0.4, group))
        for position, value in enumerate(values):
            bar_height = (bottom - top) * value / maximum
            colour, name = series[position]
            bars.append(
                Bar(
                    x=round(left + position * bar_width, 1),
                    y=round(bottom - bar_height, 1),
                    width=round(bar_width - 2, 1),
                    height=round(bar_height, 1),
                    colour=colour,
                    label=f"{group}, {name}: {value}",
                )
            )
    return BarChart(width, height, tuple(bars), tuple(labels), tuple(series), maximum)


LEVEL_COLOURS = {"low": "#c6efce", "medium": "#ffe699", "high": "#f4b6b6"}  # dark text on each


@dataclass(frozen=True)
class HeatCell:
    x: int
    y: int
    size: int
    colour: str
    text: str  # the threats in the cell, or empty
    label: str  # what a screen reader or a tooltip says of it


@dataclass(frozen=True)
class HeatMatrix:
    width: int
    height: int
    cells: tuple[HeatCell, ...]
    row_labels: tuple[tuple[int, str], ...]  # (y, likelihood)
    column_labels: tuple[tuple[int, str], ...]  # (x, consequence)
    left: int
    size: int


def heat_matrix(rows: list[list[tuple[int, int, int, str, list[str]]]], *, size: int = 60) -> HeatMatrix:
    """A 5 × 5 grid from rows of (likelihood, consequence, score, level, codes), top row first,
    coloured by level, each cell naming its threats."""
    left, top = 40, 10
    cells = []
    row_labels = []
    for row_index, row in enumerate(rows):
        y = top + row_index * size
        row_labels.append((y + size // 2, str(row[0][0])))
        for column_index, (likelihood, consequence, score, level, codes) in enumerate(row):
            names = ", ".join(codes)
            cells.append(
                HeatCell(
                    x=left + column_index * size,
                    y=y,
                    size=size,
                    colour=LEVEL_COLOURS[level],
                    text=names,
                    label=f"S{likelihood} × K{consequence} = {score}: {names or '–'}",
                )
            )
    columns = tuple(
        (left + index * size + size // 2, str(consequence))
        for index, (_, consequence, *_rest) in enumerate(rows[0])
    )
    return HeatMatrix(
        width=left + 5 * size + 10,
        height=top + 5 * size + 40,
        cells=tuple(cells),
        row_labels=tuple(row_labels),
        column_labels=columns,
        left=left,
        size=size,
    )
