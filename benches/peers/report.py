#!/usr/bin/env python3
"""Renders the peer benchmark results as a Markdown report and an SVG chart.

The benchmark run leaves one JSON file of results; this script turns it into
    OUT_DIR/BENCHMARKS.md    a heading, the machine/date/command line, a table of the
                             operations (time, instructions, allocations, ratios to ours)
                             and a table of the wasm32 sizes
    OUT_DIR/benchmarks.svg   each peer's median time, and wasm32 size, divided by ours,
                             as bars on a log scale
    stdout                   the machine/date/command line and the tables, to paste
and, with --readme, replaces the lines between `<!-- benchmarks:start -->` and
`<!-- benchmarks:end -->` in that file with the same text plus the chart.

Run from the repository root (Python 3.11+, standard library only):
    python3 benches/peers/report.py RESULTS_JSON benches/peers [--readme README.md]

Input (any measurement may be null: it shows as n/a and is left out of the chart):
    {"machine": str, "date": str, "command": str,
     "operations": [{"id": str (not used here), "title": str,
                     "systems": [{"name": str, "ours": bool (true on exactly one),
                                  "median_ns": number, "instructions": number,
                                  "allocations": number, "alloc_bytes": number}, …]}, …],
     "size": [{"name": str, "ours": bool (true on exactly one),
               "stripped": number, "wasm_opt": number, "note": str (optional)}, …]}
"""

import argparse
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from xml.sax.saxutils import escape

MARKDOWN_NAME = "BENCHMARKS.md"
SVG_NAME = "benchmarks.svg"
START_MARKER = "<!-- benchmarks:start -->"
END_MARKER = "<!-- benchmarks:end -->"

# Chart geometry (px) and colours. The white background keeps it readable in dark mode.
WIDTH = 900
ROW = 22
BAR = 14
PAD = 16
BASELINE_DROP = 4  # from a row's middle to the baseline of 12-13 px text, centring it
RATIO_LABEL_ROOM = 72
MIN_DECADE_FOR_ALL_LABELS = 150  # px; narrower decades label only ×1, ×10, ×100 …
CHART_TOP = 78
CHART_BOTTOM_ROOM = 28
SLOWER_COLOUR = "#4e79a7"
FASTER_COLOUR = "#f28e2b"
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#666666"
GRID_COLOUR = "#dddddd"

T = TypeVar("T")


class InputError(Exception):
    """The results file or the README is not what this script expects."""


@dataclass(frozen=True)
class System:
    """One crate (or combination of crates) measured doing one operation."""

    name: str
    median_ns: float | None
    instructions: float | None
    allocations: float | None
    alloc_bytes: float | None


@dataclass(frozen=True)
class Operation:
    """One operation, as done by ours and by each peer (in input order)."""

    title: str
    ours: System
    peers: list[System]


@dataclass(frozen=True)
class WasmSize:
    """The wasm32 module size of one system, in bytes."""

    name: str
    stripped: float | None
    wasm_opt: float | None
    note: str | None


@dataclass(frozen=True)
class Results:
    """The whole results file, validated."""

    machine: str
    date: str
    command: str
    operations: list[Operation]
    ours_size: WasmSize
    peer_sizes: list[WasmSize]

    @property
    def ours_name(self) -> str:
        return self.operations[0].ours.name


# --- Reading and checking the input ------------------------------------------------------


def _get(obj: Any, key: str, where: str) -> Any:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected an object, got {json.dumps(obj)}")
    if key not in obj:
        raise InputError(f"{where}: missing key {key!r}")
    return obj[key]


def _get_str(obj: Any, key: str, where: str) -> str:
    value = _get(obj, key, where)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}.{key}: expected a non-empty string, got {json.dumps(value)}")
    return value


def _get_list(obj: Any, key: str, where: str) -> list[Any]:
    value = _get(obj, key, where)
    if not isinstance(value, list) or not value:
        raise InputError(f"{where}.{key}: expected a non-empty list")
    return value


def _get_measure(obj: Any, key: str, where: str) -> float | None:
    """A required key whose value is a number >= 0, or null for a missing measurement."""
    value = _get(obj, key, where)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise InputError(f"{where}.{key}: expected a number >= 0 or null, got {json.dumps(value)}")
    return float(value)


def _is_ours(obj: dict[str, Any], where: str) -> bool:
    value = obj.get("ours", False)
    if not isinstance(value, bool):
        raise InputError(f"{where}.ours: expected true or false, got {json.dumps(value)}")
    return value


def _split_ours(flagged: list[tuple[bool, T]], where: str) -> tuple[T, list[T]]:
    """Ours and the others in input order; exactly one entry must be ours."""
    ours = [item for is_ours, item in flagged if is_ours]
    if len(ours) != 1:
        found = len(ours)
        raise InputError(f'{where}: expected exactly one entry with "ours": true, found {found}')
    return ours[0], [item for is_ours, item in flagged if not is_ours]


def _parse_system(obj: Any, where: str) -> tuple[bool, System]:
    system = System(
        name=_get_str(obj, "name", where),
        median_ns=_get_measure(obj, "median_ns", where),
        instructions=_get_measure(obj, "instructions", where),
        allocations=_get_measure(obj, "allocations", where),
        alloc_bytes=_get_measure(obj, "alloc_bytes", where),
    )
    return _is_ours(obj, where), system


def _parse_operation(obj: Any, where: str) -> Operation:
    title = _get_str(obj, "title", where)
    systems = _get_list(obj, "systems", where)
    flagged = [_parse_system(s, f"{where}.systems[{i}]") for i, s in enumerate(systems)]
    ours, peers = _split_ours(flagged, f"{where}.systems")
    return Operation(title=title, ours=ours, peers=peers)


def _parse_size(obj: Any, where: str) -> tuple[bool, WasmSize]:
    size = WasmSize(
        name=_get_str(obj, "name", where),
        stripped=_get_measure(obj, "stripped", where),
        wasm_opt=_get_measure(obj, "wasm_opt", where),
        note=obj.get("note"),
    )
    if size.note is not None and not isinstance(size.note, str):
        raise InputError(f"{where}.note: expected a string, got {json.dumps(size.note)}")
    return _is_ours(obj, where), size


def parse_results(data: Any) -> Results:
    """Checks the decoded JSON and returns it typed; raises InputError naming the bad part."""
    where = "results"
    operations = _get_list(data, "operations", where)
    sizes = _get_list(data, "size", where)
    flagged_sizes = [_parse_size(s, f"{where}.size[{i}]") for i, s in enumerate(sizes)]
    ours_size, peer_sizes = _split_ours(flagged_sizes, f"{where}.size")
    return Results(
        machine=_get_str(data, "machine", where),
        date=_get_str(data, "date", where),
        command=_get_str(data, "command", where),
        operations=[
            _parse_operation(op, f"{where}.operations[{i}]") for i, op in enumerate(operations)
        ],
        ours_size=ours_size,
        peer_sizes=peer_sizes,
    )


def load_results(path: Path) -> Results:
    try:
        with path.open(encoding="utf-8") as file:
            data = json.load(file)
        return parse_results(data)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not valid JSON: {error}") from None
    except InputError as error:
        raise InputError(f"{path}: {error}") from None


# --- Numbers as text -----------------------------------------------------------------------


def ratio(peer: float | None, ours: float | None) -> float | None:
    """peer / ours, or None when either is missing or zero."""
    if peer is None or ours is None or peer <= 0 or ours <= 0:
        return None
    return peer / ours


def _short(value: float) -> str:
    """One decimal below 100 (1.3, 42.1), none from there on (132)."""
    return f"{value:.1f}" if value < 99.95 else f"{value:.0f}"


def format_time(ns: float | None) -> str:
    """310 ns, 1.3 µs, 42.1 µs, 132 µs, 2.5 ms, 1.2 s."""
    if ns is None:
        return "n/a"
    if round(ns) < 1000:
        return f"{ns:.0f} ns"
    for unit, scale in (("µs", 1e3), ("ms", 1e6)):
        if round(ns / scale) < 1000:
            return f"{_short(ns / scale)} {unit}"
    return f"{_short(ns / 1e9)} s"


def format_count(count: float | None) -> str:
    """12,345 below a million, 1.23 M from there on."""
    if count is None:
        return "n/a"
    if round(count) < 1_000_000:
        return f"{count:,.0f}"
    return f"{count / 1e6:,.2f} M"


def format_bytes(size: float | None) -> str:
    return "n/a" if size is None else f"{size:,.0f} B"


def format_allocations(count: float | None, size: float | None) -> str:
    if count is None and size is None:
        return "n/a"
    return f"{format_count(count)} / {format_bytes(size)}"


def format_kb(size: float | None) -> str:
    return "n/a" if size is None else f"{size / 1000:,.1f} KB"


def format_ratio(value: float | None) -> str:
    """×0.5, ×2.9, ×12: one decimal below 10, none from there on (two under 0.1)."""
    if value is None:
        return "n/a"
    if value >= 9.95:
        return f"×{value:,.0f}"
    if value >= 0.095:
        return f"×{value:.1f}"
    return f"×{value:.2f}"


# --- Markdown ------------------------------------------------------------------------------


def _markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _markdown_table(header: list[str], alignment: str, rows: list[list[str]]) -> list[str]:
    """A table; `alignment` has one letter a column, "l" for text and "r" for numbers."""
    rule = ["--:" if letter == "r" else "---" for letter in alignment]
    return [_markdown_row(header), _markdown_row(rule), *map(_markdown_row, rows)]


def _system_cells(system: System, ours: System) -> list[str]:
    is_ours = system is ours
    return [
        f"**{system.name}**" if is_ours else system.name,
        format_time(system.median_ns),
        format_count(system.instructions),
        format_allocations(system.allocations, system.alloc_bytes),
        "—" if is_ours else format_ratio(ratio(system.median_ns, ours.median_ns)),
        "—" if is_ours else format_ratio(ratio(system.instructions, ours.instructions)),
    ]


def operations_table(results: Results) -> list[str]:
    header = [
        "Operation",
        "System",
        "Median time",
        "Instructions",
        "Allocations (count / bytes)",
        "Time vs ours",
        "Instructions vs ours",
    ]
    rows = [
        [op.title if i == 0 else "", *_system_cells(system, op.ours)]
        for op in results.operations
        for i, system in enumerate([op.ours, *op.peers])
    ]
    return _markdown_table(header, "llrrrrr", rows)


def sizes_table(results: Results) -> list[str]:
    """The wasm32 sizes; a Note column only when some entry has a note."""
    ours = results.ours_size
    sizes = [ours, *results.peer_sizes]
    header = ["System", "Stripped", "After wasm-opt -Oz", "vs ours"]
    rows = [
        [
            f"**{size.name}**" if size is ours else size.name,
            format_kb(size.stripped),
            format_kb(size.wasm_opt),
            "—" if size is ours else format_ratio(ratio(size.wasm_opt, ours.wasm_opt)),
        ]
        for size in sizes
    ]
    alignment = "lrrr"
    if any(size.note for size in sizes):
        header.append("Note")
        alignment += "l"
        for row, size in zip(rows, sizes):
            row.append(size.note or "")
    return _markdown_table(header, alignment, rows)


def report_body(results: Results) -> str:
    """The machine/date/command line and both tables: what the README section shows."""
    lines = [
        f"Measured on {results.machine}, {results.date}. "
        f"Reproduce with `{results.command}`. "
        f"Ratios are the peer's figure divided by {results.ours_name}'s.",
        "",
        *operations_table(results),
        "",
        "wasm32 module size (1 KB = 1000 bytes):",
        "",
        *sizes_table(results),
    ]
    return "\n".join(lines) + "\n"


def benchmarks_markdown(results: Results, body: str) -> str:
    return (
        f"<!-- Generated by benches/peers/report.py; edit the results, not this file. -->\n"
        f"# Benchmarks: {results.ours_name} and its peers\n\n{body}"
    )


# --- SVG chart -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    ratio: float


@dataclass(frozen=True)
class Group:
    title: str
    bars: list[Bar]


@dataclass(frozen=True)
class LogScale:
    """Maps a ratio to an x coordinate, log10 between `low` and `high`."""

    low: float
    high: float
    left: float
    right: float

    def x(self, value: float) -> float:
        share = math.log10(value / self.low) / math.log10(self.high / self.low)
        return self.left + share * (self.right - self.left)


def _bars(named_ratios: list[tuple[str, float | None]]) -> list[Bar]:
    return [Bar(name, value) for name, value in named_ratios if value is not None]


def chart_groups(results: Results) -> list[Group]:
    """One group per operation (peer time / our time), then the wasm32 sizes; groups left
    without a bar (every ratio missing) are dropped."""
    groups = [
        Group(op.title, _bars([(p.name, ratio(p.median_ns, op.ours.median_ns)) for p in op.peers]))
        for op in results.operations
    ]
    ours_wasm = results.ours_size.wasm_opt
    groups.append(
        Group(
            "wasm32 size (after wasm-opt)",
            _bars([(s.name, ratio(s.wasm_opt, ours_wasm)) for s in results.peer_sizes]),
        )
    )
    return [group for group in groups if group.bars]


def _tick(index: int) -> float:
    """The 1-2-5 sequence: 0 → 1, 1 → 2, 2 → 5, 3 → 10, -1 → 0.5, -2 → 0.2."""
    return (1, 2, 5)[index % 3] * 10.0 ** (index // 3)


def axis_ticks(smallest: float, largest: float) -> list[float]:
    """1-2-5 ticks from ×1 (or from the tick at or below `smallest`) up to the first tick at
    or above `largest`, and at least to ×2."""
    low = 0
    while _tick(low) > smallest:
        low -= 1
    high = 1
    while _tick(high) < largest:
        high += 1
    return [_tick(i) for i in range(low, high + 1)]


def _tick_label(value: float) -> str:
    return f"×{value:,.0f}" if value >= 1 else f"×{value:g}"


def _svg_text(x: float, y: float, content: str, attributes: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" {attributes}>{escape(content)}</text>'


def _svg_line(x1: float, y1: float, x2: float, y2: float, attributes: str) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {attributes}/>'


def _is_power_of_ten(value: float) -> bool:
    return round(math.log10(value), 9).is_integer()


def _svg_axis(scale: LogScale, ticks: list[float], top: float, bottom: float) -> list[str]:
    """A grid line at each tick, labelled above and below; when the axis spans so many
    decades that ×2 and ×5 labels would collide, only the powers of ten are labelled."""
    decade = (scale.right - scale.left) / math.log10(scale.high / scale.low)
    label_attributes = f'font-size="11" fill="{MUTED_COLOUR}" text-anchor="middle"'
    elements = []
    for tick in ticks:
        x = scale.x(tick)
        elements.append(_svg_line(x, top, x, bottom, f'stroke="{GRID_COLOUR}"'))
        if decade >= MIN_DECADE_FOR_ALL_LABELS or _is_power_of_ten(tick):
            label = _tick_label(tick)
            elements.append(_svg_text(x, top - 6, label, label_attributes))
            elements.append(_svg_text(x, bottom + 16, label, label_attributes))
    return elements


def _svg_bar(bar: Bar, scale: LogScale, row_top: float) -> list[str]:
    """The peer's name left of the plot, the bar from ×1, and the ratio: at the bar's end
    when the peer is slower, just right of ×1 when it is faster (the bar goes left)."""
    one = scale.x(1.0)
    end = scale.x(bar.ratio)
    faster = bar.ratio < 1
    middle = row_top + ROW / 2
    baseline = middle + BASELINE_DROP
    text = f'font-size="12" fill="{TEXT_COLOUR}"'
    colour = FASTER_COLOUR if faster else SLOWER_COLOUR
    return [
        _svg_text(scale.left - 8, baseline, bar.label, f'{text} text-anchor="end"'),
        f'<rect x="{min(one, end):.1f}" y="{middle - BAR / 2:.1f}" width="{abs(end - one):.1f}" '
        f'height="{BAR}" fill="{colour}"/>',
        _svg_text((one if faster else end) + 4, baseline, format_ratio(bar.ratio), text),
    ]


def _svg_groups(groups: list[Group], scale: LogScale, top: float) -> list[str]:
    """Each group's title on a row of its own, then one row per bar."""
    elements = []
    row_top = top
    for group in groups:
        heading = f'font-size="13" font-weight="bold" fill="{TEXT_COLOUR}"'
        elements.append(_svg_text(PAD, row_top + ROW / 2 + BASELINE_DROP, group.title, heading))
        row_top += ROW
        for bar in group.bars:
            elements.extend(_svg_bar(bar, scale, row_top))
            row_top += ROW
    return elements


def _svg_titles(results: Results, any_faster: bool) -> list[str]:
    ours = results.ours_name
    subtitle = f"Each bar: a peer's median time (or wasm size) ÷ {ours}'s, log scale."
    if any_faster:
        subtitle += " Orange, left of ×1: the peer is faster (or smaller)."
    return [
        _svg_text(PAD, 26, f"Time relative to {ours} (longer = {ours} faster)",
                  f'font-size="16" font-weight="bold" fill="{TEXT_COLOUR}"'),
        _svg_text(PAD, 46, subtitle, f'font-size="12" fill="{MUTED_COLOUR}"'),
    ]


def render_svg(results: Results) -> str:
    groups = chart_groups(results)
    ratios = [bar.ratio for group in groups for bar in group.bars]
    ticks = axis_ticks(min(ratios, default=1.0), max(ratios, default=1.0))
    longest_label = max((len(bar.label) for group in groups for bar in group.bars), default=0)
    label_width = min(max(longest_label * 7 + 16, 120), 320)
    scale = LogScale(ticks[0], ticks[-1], PAD + label_width, WIDTH - RATIO_LABEL_ROOM)
    rows = len(groups) + len(ratios)
    chart_bottom = CHART_TOP + rows * ROW
    height = chart_bottom + CHART_BOTTOM_ROOM
    title = f"Time relative to {results.ours_name}"
    one = scale.x(1.0)
    elements = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Helvetica, Arial, sans-serif" role="img">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        *_svg_titles(results, any(value < 1 for value in ratios)),
        *_svg_axis(scale, ticks, CHART_TOP, chart_bottom),
        *_svg_groups(groups, scale, CHART_TOP),
        _svg_line(one, CHART_TOP, one, chart_bottom, f'stroke="{TEXT_COLOUR}" stroke-width="1.5"'),
        "</svg>",
    ]
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(elements) + "\n"


# --- README section ------------------------------------------------------------------------


def _marker_line(lines: list[str], marker: str, readme: Path) -> int:
    found = [i for i, line in enumerate(lines) if line.strip() == marker]
    if len(found) != 1:
        raise InputError(
            f"{readme}: expected the line {marker} exactly once, found it {len(found)} times; "
            f"put {START_MARKER} and {END_MARKER} on lines of their own around the section"
        )
    return found[0]


def repository_url(readme: Path) -> str:
    """The `repository` of the Cargo.toml beside the README."""
    manifest = readme.resolve().parent / "Cargo.toml"
    try:
        text = manifest.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{manifest}: cannot read: {error.strerror}") from None
    for line in text.splitlines():
        name, _, value = line.partition("=")
        if name.strip() == "repository":
            return value.strip().strip('"').rstrip("/")
    raise InputError(f"{manifest}: no repository")


def updated_readme(readme: Path, body: str, svg_path: Path, ours_name: str) -> str:
    """The README's text with the lines between the markers replaced by `body` and the chart."""
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{readme}: cannot read: {error.strerror}") from None
    lines = text.splitlines(keepends=True)
    start = _marker_line(lines, START_MARKER, readme)
    end = _marker_line(lines, END_MARKER, readme)
    if end < start:
        raise InputError(f"{readme}: {END_MARKER} comes before {START_MARKER}")
    image = Path(os.path.relpath(svg_path.resolve(), readme.resolve().parent)).as_posix()
    # The chart is not in the crate's package (its folder is another package's): the
    # README, which the package ships, links it in the repository.
    image = f"{repository_url(readme)}/raw/main/{image}"
    section = f"\n{body}\n![Time relative to {ours_name}]({image})\n\n"
    return "".join(lines[: start + 1]) + section + "".join(lines[end:])


# --- Command line --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write BENCHMARKS.md and benchmarks.svg from the peer benchmark results.",
    )
    parser.add_argument("results", type=Path, metavar="RESULTS_JSON", help="the results file")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="where to write both files")
    parser.add_argument(
        "--readme",
        type=Path,
        metavar="README_PATH",
        help=f"also replace the lines between {START_MARKER} and {END_MARKER} in this file",
    )
    return parser.parse_args(argv)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    svg_path = args.out_dir / SVG_NAME
    try:
        results = load_results(args.results)
        body = report_body(results)
        readme_text = (
            updated_readme(args.readme, body, svg_path, results.ours_name) if args.readme else None
        )
        args.out_dir.mkdir(parents=True, exist_ok=True)
    except (InputError, OSError) as error:
        print(f"report.py: {error}", file=sys.stderr)
        return 1
    _write(args.out_dir / MARKDOWN_NAME, benchmarks_markdown(results, body))
    _write(svg_path, render_svg(results))
    if readme_text is not None:
        _write(args.readme, readme_text)
    sys.stdout.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
