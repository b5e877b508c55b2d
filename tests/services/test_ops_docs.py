"""docs/operations.md names exactly the metrics Trustline exports."""

from __future__ import annotations

import re

from services.health import Metrics
from tests.support.paths import ROOT


def exported_names() -> set[str]:
    """Names as scraped: counters with ``_total``; histograms by their family name."""
    return {
        family.name + ("_total" if family.type == "counter" else "")
        for family in Metrics(process=False).registry.collect()
    }


def test_every_metric_in_the_monitoring_section_is_exported_and_every_exported_one_is_documented() -> None:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = text.split("## Monitoring", 1)[1].split("\n## ", 1)[0]
    table = section.split("| metric |", 1)[1].split("\n\n", 1)[0]
    # "`trustline_cases_open` / `_overdue`" abbreviates the family: expand the suffixes.
    documented = set()
    for row in table.splitlines():
        names = re.findall(r"`(trustline_\w+|_\w+)", row)
        stem = ""
        for name in names:
            if name.endswith("_"):  # `trustline_process_*`: the process collector's family
                continue
            if name.startswith("trustline_"):
                stem = name.rsplit("_", 1)[0]
                documented.add(name)
            else:
                documented.add(stem + name)
    exported = exported_names()
    assert documented == exported
    # The alert rules use only exported names too.
    for name in set(re.findall(r"\b(trustline_\w+)", section.split("groups:", 1)[1])):
        assert name in exported, f"an alert rule uses {name}, which is not exported"
