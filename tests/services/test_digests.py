"""Digest composition without Telegram: scopes, day counts, rendering and the files it writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.aggregation import UnitRow, seed_trust_messages
from services.access import Scope
from services.digests import (
    in_scope,
    load_day_counts,
    load_report,
    render_digest,
    resolve_scope,
    trust_summary_text,
    write_files,
)
from storage import rollups
from storage.db import Database
from storage.units import remove_unit
from tests.support.demo import demo_messages, demo_org
from tests.support.digests import TZ, demo_settings, seed
from trust.model import GroupKey


def test_a_scope_is_named_by_unit_code_or_district_in_any_case() -> None:
    org = demo_org()
    assert resolve_scope(org) == Scope("agency")
    assert resolve_scope(org, unit="S-TRAFFIC") == Scope("unit", "s-traffic")
    assert resolve_scope(org, district="NORTH") == Scope("district", "north")
    with pytest.raises(ValueError, match=r"Unknown unit 'nope'\. Known: c-investig, "):
        resolve_scope(org, unit="nope")
    with pytest.raises(ValueError, match="Unknown district 'east'"):
        resolve_scope(org, district="east")


def test_a_unit_scope_keeps_its_parents_so_every_number_matches_the_agency_digest() -> None:
    org, unit = demo_org(), Scope("unit", "s-traffic")
    assert in_scope(GroupKey.agency(), unit, org)
    assert in_scope(GroupKey.district("south"), unit, org)
    assert in_scope(GroupKey.unit("s-traffic"), unit, org)
    assert not in_scope(GroupKey.unit("s-patrol"), unit, org), "a sibling unit stays out"
    assert not in_scope(GroupKey.district("north"), unit, org)
    assert in_scope(GroupKey.unit("s-patrol"), Scope("district", "south"), org)


def test_day_counts_narrow_from_agency_to_district_to_unit(database: Database, db_url: str) -> None:
    messages = seed(database, weeks=1)
    day = date(2026, 11, 18)  # the Wednesday of 2026-W47
    on_day = [m for m in messages if m.sent_at.astimezone(TZ).date() == day]
    agency = database.call(load_day_counts, day, TZ, Scope("agency"))
    south = database.call(load_day_counts, day, TZ, Scope("district", "south"))
    traffic = database.call(load_day_counts, day, TZ, Scope("unit", "s-traffic"))
    assert agency.messages == len(on_day) > 0
    assert agency.residents == len({m.resident_key for m in on_day})
    assert agency.messages > south.messages >= traffic.messages > 0
    assert south.messages == sum(1 for m in on_day if m.unit_id in ("s-patrol", "s-traffic", "s-k9"))


def test_a_rendered_digest_is_written_as_text_html_and_charts_named_by_scope(
    tmp_path: Path, database: Database, db_url: str
) -> None:
    seed(database, weeks=3)
    settings = demo_settings(db_url)
    database.call(rollups.ensure_config, rollups.RollupConfig.of(settings.agency.timezone, settings.trust))
    loaded = database.call(load_report, settings, "2026-W47", Scope("unit", "s-traffic"))
    digest = render_digest(loaded, settings, "es")
    assert digest.language == "es" and all(len(m) <= settings.trust.digest_message_limit for m in digest.messages)
    assert [c.filename for c in digest.charts] == ["trust-trend-2026-W47-es.png"], "a unit gets no units chart"
    written = write_files(digest, tmp_path / "out")
    assert [p.name for p in written] == [
        "trust-digest-2026-W47-s-traffic-es.txt",
        "trust-digest-2026-W47-s-traffic-es.html",
        "trust-trend-2026-W47-s-traffic-es.png",
    ]
    assert written[2].read_bytes().startswith(b"\x89PNG")
    summary = trust_summary_text(loaded, settings, "en")
    assert "South Traffic" in summary and "North Patrol" not in summary


def test_without_charts_nothing_is_drawn(database: Database, db_url: str) -> None:
    seed(database, weeks=2)
    settings = demo_settings(db_url)
    loaded = database.call(load_report, settings, "2026-W47", Scope("agency"))
    digest = render_digest(loaded, settings, "en", charts=False, preview=True)
    assert digest.charts == [] and digest.messages[0].count("2026-W47") >= 1


def test_a_removed_unit_is_listed_only_in_a_week_it_had_feedback_and_marked_removed(
    database: Database, db_url: str
) -> None:
    week_47 = date(2026, 11, 16)  # its Monday
    quiet = ("s-k9", "s-traffic")  # no feedback in 2026-W47; s-k9 is removed, s-traffic is not
    messages = [m for m in demo_messages("2026-W47", weeks=3)
                if not (m.unit_id in quiet and m.sent_at.astimezone(TZ).date() >= week_47)]
    units = [UnitRow(u.unit_id, u.name, u.district_id or "") for u in demo_org().units.values()]
    seed_trust_messages(database, units, messages)

    def remove(session: Any) -> None:
        remove_unit(session, "s-k9")
        remove_unit(session, "n-patrol")  # it had feedback in W47, and falls: it needs attention

    database.call(remove)
    settings = demo_settings(db_url)
    database.call(rollups.ensure_config, rollups.RollupConfig.of(settings.agency.timezone, settings.trust))
    loaded = database.call(load_report, settings, "2026-W47", Scope("agency"))
    rows = {f.key.key: f for f in loaded.report.units}
    assert "s-k9" not in rows, "removed, and no feedback this week: no row"
    assert rows["s-traffic"].n_residents == 0 and not rows["s-traffic"].removed, "an active unit keeps its row"
    assert rows["n-patrol"].removed and rows["n-patrol"].n_residents > 0
    assert [i.figure.key.key for i in loaded.report.attention if i.figure.removed] == ["n-patrol"]
    assert all(i.figure.key.key != "s-k9" for i in loaded.report.attention)

    text = "\n".join(render_digest(loaded, settings, "en", charts=False).messages)
    assert "South K-9" not in text
    assert "North Patrol (removed) · north" in text, "the attention item says it was removed"
    (row,) = [line for line in text.splitlines() if line.startswith("North Patrol ")]
    assert row.endswith(" (removed)"), "so does its table row"
    assert "(retirada)" in "\n".join(render_digest(loaded, settings, "es", charts=False).messages)
    assert "South K-9" not in trust_summary_text(loaded, settings, "en")
