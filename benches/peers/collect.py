#!/usr/bin/env python3
"""Gathers one run of the peer benchmarks into the results file that report.py renders.

Inputs, all written by run.sh in the same run:
    --allocations FILE  the allocations bench's JSON: the operations in order, each system
                        with its allocations and bytes per call
    --criterion DIR     criterion's output: <group>/<function>/new/{benchmark,estimates}.json
    --gungraun DIR      gungraun's --save-summary=json output: one summary.json per bench
    --size FILE         size/size.sh's JSON: the wasm32 modules' sizes
Output (stdout): {"machine", "date", "command", "operations": [...], "size": [...]}, the
shape report.py documents.

Run: python3 benches/peers/collect.py --allocations … --criterion … --gungraun … --size …
"""

import argparse
import datetime
import json
import platform
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

COMMAND = "bash benches/peers/run.sh"


def slug(name: str) -> str:
    """A system's gungraun bench id: lower case, every run of other characters one `_`."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def criterion_medians(root: Path) -> dict[tuple[str, str], float]:
    """(group, function) → median time in nanoseconds."""
    medians = {}
    for meta in root.glob("*/*/new/benchmark.json"):
        bench = json.loads(meta.read_text())
        estimates = json.loads((meta.parent / "estimates.json").read_text())
        medians[(bench["group_id"], bench["function_id"])] = estimates["median"]["point_estimate"]
    return medians


def gungraun_instructions(root: Path) -> dict[tuple[str, str], int]:
    """(benchmark function, bench id) → instructions executed (callgrind `Ir`)."""
    counts = {}
    for path in root.rglob("summary.json"):
        summary = json.loads(path.read_text())
        total = summary["profiles"][0]["data"]["total"]["metrics"]["Ir"]["values"]["new"]
        counts[(summary["function_name"], summary["id"])] = int(total)
    return counts


def machine() -> str:
    """CPU model, logical CPUs, kernel and rustc of this machine."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    cpus = len(re.findall(r"^processor", Path("/proc/cpuinfo").read_text(), re.M))
    rustc = subprocess.run(["rustc", "-V"], capture_output=True, text=True, check=True).stdout.strip()
    return f"{cpu}, {cpus} logical CPUs, Linux {platform.release()}, {rustc}"


def collect(args: argparse.Namespace) -> dict[str, Any]:
    medians = criterion_medians(args.criterion)
    instructions = gungraun_instructions(args.gungraun)
    operations = []
    missing = []
    for op in json.loads(args.allocations.read_text()):
        systems = []
        for system in op["systems"]:
            key = (op["id"], system["name"])
            median = medians.get(key)
            count = instructions.get((op["id"], slug(system["name"])))
            if median is None or count is None:
                missing.append(f"{op['id']} / {system['name']}")
            systems.append({**system, "median_ns": median, "instructions": count})
        operations.append({"id": op["id"], "title": op["title"], "systems": systems})
    if missing:
        sys.exit("collect.py: no measurement for " + ", ".join(missing))
    return {
        "machine": machine(),
        "date": datetime.date.today().isoformat(),
        "command": COMMAND,
        "operations": operations,
        "size": json.loads(args.size.read_text()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allocations", type=Path, required=True)
    parser.add_argument("--criterion", type=Path, required=True)
    parser.add_argument("--gungraun", type=Path, required=True)
    parser.add_argument("--size", type=Path, required=True)
    json.dump(collect(parser.parse_args()), sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
