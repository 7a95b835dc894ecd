"""`python -m bench [NAME…] [--json FILE]`: measure the named figures (all by default) and print
one line each, `name value unit  (how measured)`, as soon as it is known."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import bench.app_figures  # noqa: F401  (registers its figures)
import bench.grid_figures  # noqa: F401
import bench.lines_figures  # noqa: F401
import bench.load_figures  # noqa: F401
import bench.log_figures  # noqa: F401
import bench.operator_figures  # noqa: F401
import bench.order_figures  # noqa: F401
import bench.otp_figures  # noqa: F401
import bench.print_figures  # noqa: F401
import bench.register_figures  # noqa: F401
import bench.rss_figures  # noqa: F401
import bench.ssh_figures  # noqa: F401
import bench.switch_figures  # noqa: F401
import bench.transfer_figures  # noqa: F401
from bench.figures import FIGURES, BenchError, Run


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Measure the wxzj bench figures.",
                                     epilog="figures: " + ", ".join(FIGURES))
    parser.add_argument("names", nargs="*", metavar="NAME", help="figures to measure (default: all)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in FIGURES]
    if unknown:
        parser.error(f"unknown figure: {', '.join(unknown)}; known figures: {', '.join(FIGURES)}")
    args.names = list(dict.fromkeys(args.names)) or list(FIGURES)
    return args


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    width = max(map(len, args.names))
    report: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="wxzj-bench-") as workdir:
        run = Run(Path(workdir))
        for name in args.names:
            figure = FIGURES[name]
            try:
                value = run.value(name)
            except BenchError as exc:
                print(f"{name:<{width}} {'failed':>9} {figure.unit:<6}  ({exc})", flush=True)
                report[name] = {"error": str(exc), "unit": figure.unit, "how": figure.how}
            else:
                print(f"{name:<{width}} {_shown(value):>9} {figure.unit:<6}  ({figure.how})", flush=True)
                report[name] = {"value": value, "unit": figure.unit, "how": figure.how}
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if any("error" in entry for entry in report.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
