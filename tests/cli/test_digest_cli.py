"""`trustline digest` and `trustline export`, as an operator runs them (no Telegram)."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from storage.db import Database
from storage.models import Resident
from tests.support.demo import DEMO_TZ, demo_org
from tests.support.digests import seed

runner = CliRunner()


def write_config(tmp_path: Path, db_url: str) -> Path:
    cfg = tmp_path / "config.toml"
    units = "".join(
        f'[[units]]\ncode = "{u.unit_id}"\nname = "{u.name}"\ndistrict = "{u.district_id}"\n'
        for u in demo_org().units.values()
    )
    cfg.write_text(f'[storage]\nurl = "{db_url}"\n[agency]\nname = "Riverside Police"\ntimezone = "{DEMO_TZ}"\n{units}')
    return cfg


def test_digest_renders_text_html_and_charts_to_files(tmp_path: Path, database: Database, db_url: str) -> None:
    seed(database, weeks=3)
    cfg = write_config(tmp_path, db_url)
    out = tmp_path / "out"
    result = runner.invoke(app, ["digest", "--period", "2026-W47", "--out", str(out), "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    txt = (out / "trust-digest-2026-W47-en.txt").read_text()
    assert txt.startswith("Trust Index — weekly digest") and "Needs attention" in txt and "<b>" not in txt
    assert "<b>" in (out / "trust-digest-2026-W47-en.html").read_text()
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs == ["trust-trend-2026-W47-en.png", "trust-units-2026-W47-en.png"]

    scoped = runner.invoke(app, ["digest", "--period", "2026-W47", "--unit", "S-TRAFFIC", "--lang", "es",
                                 "--out", str(out), "--config", str(cfg)])
    assert scoped.exit_code == 0, scoped.output
    text = (out / "trust-digest-2026-W47-s-traffic-es.txt").read_text()
    assert "Índice de Confianza" in text and "South Traffic" in text and "North Patrol" not in text

    bad = runner.invoke(app, ["digest", "--period", "2026-W99", "--config", str(cfg)])
    assert bad.exit_code == 1 and "2026-W99" in bad.output
    unknown = runner.invoke(app, ["digest", "--unit", "nope", "--out", str(out), "--config", str(cfg)])
    assert unknown.exit_code == 1 and "Unknown unit" in unknown.output


def test_export_is_anonymised_and_redacted_in_csv_and_parquet(tmp_path: Path, database: Database, db_url: str) -> None:
    import pyarrow.parquet as pq

    seed(database, weeks=2)
    cfg = write_config(tmp_path, db_url)
    args = ["export", "--since", "2026-11-09", "--until", "2026-11-22", "--config", str(cfg)]
    result = runner.invoke(app, [*args, "--format", "csv", "--out", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    with (tmp_path / "csv" / "feedback.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert rows and {"record", "resident", "week", "unit", "score", "value", "redacted_text"} <= set(rows[0])
    assert not {"text", "pseudonym", "telegram_message_id", "chat_id", "officer_id", "resident_id"} & set(rows[0])
    assert {r["week"] for r in rows} == {"2026-W46", "2026-W47"}
    pseudonyms = set(database.call(lambda s: list(s.exec(select(Resident.pseudonym)).all())))
    exported = {r["resident"] for r in rows}
    assert not exported & pseudonyms and not any(p[:6] in r for p in pseudonyms for r in exported)
    with (tmp_path / "csv" / "rollups.csv").open() as f:
        voices = list(csv.DictReader(f))
    assert {v["resident"] for v in voices} <= exported, "one key per resident within an export"
    assert (tmp_path / "csv" / "group_stats.csv").read_text().count("\n") > 10

    result = runner.invoke(app, [*args, "--format", "parquet", "--out", str(tmp_path / "pq"), "--no-redacted-text"])
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "pq" / "feedback.parquet")
    assert table.num_rows == len(rows) and "redacted_text" not in table.column_names
    again = set(table.column("resident").to_pylist())
    assert not again & exported, "keys are random per export: two exports cannot be joined"
    assert pq.read_table(tmp_path / "pq" / "rollups.parquet").num_rows == len(voices)


def test_runs_and_release_report_on_the_delivery_ledger(tmp_path: Path, database: Database, db_url: str) -> None:
    from storage import digests as ledger
    from storage.models import StaffChat

    cfg = write_config(tmp_path, db_url)

    def failed_run(session):  # type: ignore[no-untyped-def]
        chat = StaffChat(chat_id=-42, title="HQ")
        session.add(chat)
        session.flush()
        run_id = ledger.claim(session, "weekly", "2026-W47", ledger.ChatTarget(chat.id, -42, "HQ", "agency", None, "en"), "h")
        ledger.finish(session, run_id, error="Forbidden: bot was kicked")

    database.call(failed_run)
    listing = runner.invoke(app, ["digest", "runs", "--config", str(cfg)])
    assert listing.exit_code == 0 and "2026-W47" in listing.output and "failed" in listing.output
    released = runner.invoke(app, ["digest", "release", "--period", "2026-W47", "--chat", "-42", "--config", str(cfg)])
    assert released.exit_code == 0, released.output
    again = runner.invoke(app, ["digest", "release", "--period", "2026-W47", "--chat", "-42", "--config", str(cfg)])
    assert again.exit_code == 1


def test_digest_reports_follow_up_response_and_satisfaction_rates(tmp_path: Path, database: Database, db_url: str) -> None:
    from datetime import UTC, datetime

    from storage.models import Submission
    from storage.models_cases import FollowupCase

    seed(database, weeks=2)
    opened = datetime(2026, 11, 18, 12, tzinfo=UTC)  # inside 2026-W47

    def add_cases(session):  # type: ignore[no-untyped-def]
        subs = session.exec(select(Submission).order_by(Submission.id)).all()[:4]
        for sub, (responded, helpful) in zip(subs, [(True, True), (True, False), (True, None), (False, None)], strict=True):
            sub.contact_requested = True
            session.add(FollowupCase(submission_id=sub.id, reference=sub.reference, unit_id=sub.unit_id,
                                     opened_at=opened, responded_at=opened if responded else None, helpful=helpful))

    database.call(add_cases)
    cfg = write_config(tmp_path, db_url)
    out = tmp_path / "out"
    result = runner.invoke(app, ["digest", "--period", "2026-W47", "--out", str(out), "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    txt = (out / "trust-digest-2026-W47-en.txt").read_text()
    assert "3/4 answered (75%)" in txt and "1/2 satisfied" in txt, txt[:800]
