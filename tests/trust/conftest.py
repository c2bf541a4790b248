"""The trust battery prints its own figures at the end of a run (closing note, issue 10)."""

from __future__ import annotations

import sys
from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    lines = []
    matrix = sys.modules.get("tests.trust.test_access_matrix")
    if matrix is not None and matrix.FIGURES.get("cells"):
        f = matrix.FIGURES
        lines.append(
            f"access matrix: {f['routes']} routes × {f['roles']} roles = {f['cells']} cells"
        )
    rejected = sys.modules.get("tests.trust.test_rejected")
    if rejected is not None and rejected.TRIED:
        routes = len(set(rejected.TRIED))
        lines.append(f"rejected requests: {len(rejected.TRIED)} over {routes} write routes")
    fuzz = sys.modules.get("tests.trust.test_fuzz")
    if fuzz is not None and fuzz.FIGURES["cases"]:
        f = fuzz.FIGURES
        lines.append(f"fuzzing: {f['cases']} cases ({f['4xx']} refused, {f['2xx']} accepted)")
    kill = sys.modules.get("tests.trust.test_kill")
    if kill is not None and kill.FIGURES["runs"]:
        f = kill.FIGURES
        lines.append(
            f"kill -9: {f['runs']} runs, {f['acknowledged']} acknowledged, {f['lost']} lost, "
            f"{f['duplicated']} duplicated, {f['resent']} resent"
        )
    tamper = sys.modules.get("tests.trust.test_tamper")
    if tamper is not None and tamper.TRIED:
        lines.append(f"tampering: {len(tamper.CAUGHT)} caught and named of {len(tamper.TRIED)}")
    if lines:
        terminalreporter.section("trust battery")
        for line in lines:
            terminalreporter.write_line(line)
