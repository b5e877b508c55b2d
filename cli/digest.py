"""`trustline digest ...` and `trustline export`: Trust Index digests and data without Telegram.

* ``trustline digest --period 2026-W47 [--unit X | --district D] [--lang es] --out DIR`` renders
  exactly what the scheduled digest posts (text, Telegram HTML, chart PNGs) to files;
* ``trustline digest rebuild`` recomputes the rollups from stored feedback;
* ``trustline digest runs`` lists the delivery ledger; ``trustline digest release`` allows one
  resend of a failed (e.g. interrupted) digest after an admin checked the chat;
* ``trustline export --since --until --format csv|parquet --out DIR`` writes anonymised,
  redacted records and rollups: no original text, no pseudonyms, no Telegram ids, no officers;
  residents appear under a key that is random per export (links nothing across exports).

Registered on the main app by :func:`register` (cli/main.py).
"""

from __future__ import annotations

import csv
import hashlib
import json
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional here
    typer.Option("--config", "-c", help="Config file (default: $TRUSTLINE_CONFIG, ./config.toml, ./config.example.toml)."),
]


# cli.main imports this module to register it, so its helpers are looked up at call time.
def fail(message: str, code: int = 1) -> typer.Exit:
    from cli.main import fail as cli_fail

    return cli_fail(message, code)


def settings_from(ctx: typer.Context, config: Path | None) -> Any:
    from cli.main import settings_from as cli_settings

    return cli_settings(ctx, config)


def _db(settings: Any) -> Any:
    from cli.main import _db as cli_db

    return cli_db(settings)

digest_app = typer.Typer(help="Trust Index digests: render to files, rebuild rollups, delivery ledger.")


def register(app: typer.Typer) -> None:
    app.add_typer(digest_app, name="digest")
    app.command("export")(export_command)


@digest_app.callback(invoke_without_command=True)
def digest_command(
    ctx: typer.Context,
    period: Annotated[Optional[str], typer.Option(help="ISO week, e.g. 2026-W47 (default: the last complete week).")] = None,  # noqa: UP045
    unit: Annotated[Optional[str], typer.Option(help="Only this unit (code), as its unit chat receives it.")] = None,  # noqa: UP045
    district: Annotated[Optional[str], typer.Option(help="Only this district, as its district chat receives it.")] = None,  # noqa: UP045
    lang: Annotated[Optional[str], typer.Option(help="Language (default: the agency's).")] = None,  # noqa: UP045
    out: Annotated[Path, typer.Option(help="Directory for the files.")] = Path("digest"),
    charts: Annotated[bool, typer.Option(help="Also render the chart PNGs.")] = True,
    config: ConfigOption = None,
) -> None:
    """Render a weekly digest to files (text, Telegram HTML, charts), without Telegram."""
    if ctx.invoked_subcommand is not None:
        return
    from bot.digest_jobs import last_complete_week, load_report, render_digest
    from services.access import Scope
    from storage.rollups import org_chart
    from trust.periods import format_period

    settings = settings_from(ctx, config)
    if unit and district:
        raise fail("Give --unit or --district, not both.")
    try:
        week = format_period(period) if period else last_complete_week(datetime.now(settings.agency.tz), settings.agency.tz)
    except ValueError as exc:
        raise fail(str(exc)) from None
    db = _db(settings)
    _current_rollups(db, settings)
    org = db.call(org_chart, settings.agency.name)
    scope = Scope("agency")
    if unit:
        match = {c.lower(): c for c in org.units}.get(unit.lower())
        if match is None:
            raise fail(f"Unknown unit {unit!r}. Known: {', '.join(sorted(org.units)) or 'none'}")
        scope = Scope("unit", match)
    elif district:
        match = {d.lower(): d for d in org.districts}.get(district.lower())
        if match is None:
            raise fail(f"Unknown district {district!r}. Known: {', '.join(sorted(org.districts)) or 'none'}")
        scope = Scope("district", match)
    loaded = db.call(load_report, settings, week, scope)
    digest = render_digest(loaded, settings, lang or settings.agency.default_language, charts=charts)
    out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{scope.value}" if scope.value else ""
    stem = f"trust-digest-{week}{suffix}-{digest.language}"
    written = [out / f"{stem}.txt", out / f"{stem}.html"]
    written[0].write_text(digest.text, encoding="utf-8")
    written[1].write_text("\n\n<!-- next message -->\n\n".join(digest.messages), encoding="utf-8")
    for chart in digest.charts:
        path = out / chart.filename.replace(f"-{week}-", f"-{week}{suffix}-")
        path.write_bytes(chart.png)
        written.append(path)
    for path in written:
        typer.echo(str(path))


def _current_rollups(db: Any, settings: Any) -> None:
    """Rollups built for this config's time zone and weights (rebuilt once if they are not)."""
    from storage import rollups

    if db.call(rollups.ensure_config, rollups.RollupConfig.of(settings.agency.timezone, settings.trust)):
        typer.echo("Rebuilt the Trust Index rollups for the current configuration.", err=True)


@digest_app.command("rebuild")
def rebuild_command(ctx: typer.Context, config: ConfigOption = None) -> None:
    """Recompute the Trust Index rollups from all stored feedback (after restoring a backup, say)."""
    from storage import rollups

    settings = settings_from(ctx, config)
    db = _db(settings)
    cfg = rollups.RollupConfig.of(settings.agency.timezone, settings.trust)

    def run(session: Any) -> int:
        rollups.ensure_config(session, cfg)
        return rollups.rebuild(session, cfg)

    rows = db.call(run)
    typer.echo(f"Rebuilt the rollups: {rows} rows.")


@digest_app.command("runs")
def runs_command(
    ctx: typer.Context,
    period: Annotated[Optional[str], typer.Option(help="Only this period.")] = None,  # noqa: UP045
    limit: Annotated[int, typer.Option(help="Most recent N runs.")] = 30,
    config: ConfigOption = None,
) -> None:
    """The digest delivery ledger: what was posted where, and what failed."""
    from storage.digests import list_runs

    settings = settings_from(ctx, config)
    runs = _db(settings).call(list_runs, period=period, limit=limit)
    if not runs:
        typer.echo("No digest runs yet.")
    for r in runs:
        when = (r.finished_at or r.claimed_at).strftime("%Y-%m-%d %H:%M")
        typer.echo(f"{r.kind:<7} {r.period:<10} chat {r.chat_id:<16} {r.status:<8} {when} "
                   f"{len(r.message_ids)} msgs {r.error or ''}".rstrip())


@digest_app.command("release")
def release_command(
    ctx: typer.Context,
    period: Annotated[str, typer.Option(help="The period of the failed digest, e.g. 2026-W47.")],
    chat: Annotated[int, typer.Option(help="The Telegram chat id it was for.")],
    kind: Annotated[str, typer.Option(help="weekly or daily.")] = "weekly",
    config: ConfigOption = None,
) -> None:
    """Allow one resend of a FAILED digest (check the chat first: an interrupted one may be partly there)."""
    from storage.digests import release

    settings = settings_from(ctx, config)
    if not _db(settings).call(release, kind, period, chat):
        raise fail(f"No failed {kind} digest {period} for chat {chat}.")
    typer.echo(f"Released: the {kind} digest {period} will be posted to chat {chat} at the next check, "
               f"if it is still within digest.catch_up_weeks.")


# --- export ---------------------------------------------------------------------------------


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"--{name} must be a date like 2026-11-16") from None


class _Anonymiser:
    """Per-export resident keys: HMAC of the internal id under a secret thrown away afterwards."""

    def __init__(self) -> None:
        self._salt = secrets.token_bytes(32)

    def __call__(self, internal: int) -> str:
        return hashlib.blake2b(str(internal).encode(), key=self._salt, digest_size=8).hexdigest()


class _Sink:
    """Writes rows to CSV or Parquet incrementally, with fixed columns and types (lists become
    ';'-joined in CSV)."""

    def __init__(self, path: Path, fmt: str, columns: dict[str, str]) -> None:
        self.path, self.fmt, self.columns, self.count = path, fmt, columns, 0
        self._file: Any = None
        self._csv: Any = None
        self._parquet: Any = None
        if fmt == "csv":
            self._file = path.open("w", newline="", encoding="utf-8")
            self._csv = csv.DictWriter(self._file, fieldnames=list(columns))
            self._csv.writeheader()
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            types = {"str": pa.string(), "float": pa.float64(), "int": pa.int64(), "list": pa.list_(pa.string())}
            self._schema = pa.schema([(name, types[kind]) for name, kind in columns.items()])
            self._parquet = pq.ParquetWriter(path, self._schema)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.count += len(rows)
        if self._csv is not None:
            for row in rows:
                self._csv.writerow({k: _csv_value(row.get(k)) for k in self.columns})
            return
        import pyarrow as pa

        self._parquet.write_table(pa.Table.from_pylist([{k: row.get(k) for k in self.columns} for row in rows],
                                                       schema=self._schema))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        if self._parquet is not None:
            self._parquet.close()


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def export_command(
    ctx: typer.Context,
    since: Annotated[str, typer.Option(help="First day (agency time), e.g. 2026-09-01.")],
    until: Annotated[str, typer.Option(help="Last day, inclusive.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    out: Annotated[Path, typer.Option(help="Directory for the files.")] = Path("export"),
    redacted_text: Annotated[bool, typer.Option(help="Include the redacted message text.")] = True,
    config: ConfigOption = None,
) -> None:
    """Export anonymised, redacted feedback records, rollups and weekly group statistics."""
    from storage import rollups
    from trust.aggregate import message_value
    from trust.model import RATING_ITEMS
    from trust.periods import period_of, period_range

    fmt = fmt.lower()
    if fmt not in ("csv", "parquet"):
        raise fail("--format must be csv or parquet")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise fail("Parquet needs pyarrow: pip install 'trustline[export]'") from None
    settings = settings_from(ctx, config)
    first, last = _day(since, "since"), _day(until, "until")
    if last < first:
        raise fail("--until is before --since")
    tz = settings.agency.tz
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    db = _db(settings)
    _current_rollups(db, settings)
    out.mkdir(parents=True, exist_ok=True)
    anon = _Anonymiser()
    record_ids = _Anonymiser()
    trust = settings.trust

    columns = {
        "record": "str", "resident": "str", "week": "str", "day": "str", "unit": "str", "district": "str",
        "channel": "str", "language": "str", "topics": "list", "flags": "list", "score_status": "str",
        "score": "float", "score_label": "str", "model_revision": "str",
        **{f"rating_{item}": "int" for item in RATING_ITEMS},
        "value": "float",
    }
    if redacted_text:
        columns["redacted_text"] = "str"
    records = _Sink(out / f"feedback.{fmt}", fmt, columns)

    def write_records(session: Any) -> None:
        for chunk in rollups.export_records(session, start, end):
            rows = []
            for r in chunk:
                local = r["received_at"].astimezone(tz)
                ratings = r["ratings"]
                value = message_value(r["score"], ratings, trust)
                row = {
                    "record": record_ids(r["message_id"]),
                    "resident": anon(r["resident_id"]),
                    "week": period_of(local, tz),
                    "day": local.date().isoformat(),
                    "unit": r["unit"],
                    "district": r["district"],
                    "channel": r["channel"],
                    "language": r["language"],
                    "topics": r["topics"],
                    "flags": r["flags"],
                    "score_status": r["score_status"],
                    "score": r["score"],
                    "score_label": r["score_label"],
                    "model_revision": r["model_revision"],
                    **{f"rating_{item}": ratings.get(item) for item in RATING_ITEMS},
                    "value": value,
                }
                if redacted_text:
                    row["redacted_text"] = r["redacted_text"]
                rows.append(row)
            records.write(rows)

    try:
        db.call(write_records)
    finally:
        records.close()

    weeks = period_range(period_of(start, tz), period_of(end - timedelta(microseconds=1), tz))
    voices = _Sink(out / f"rollups.{fmt}", fmt, {
        "week": "str", "resident": "str", "unit": "str", "district": "str", "channel": "str", "language": "str",
        "topic": "str", "value_sum": "float", "n_messages": "int",
    })
    voices.write([
        {"week": v["period"], "resident": anon(v["voter"]), "unit": v["code"], "district": v["district"],
         "channel": v["channel"], "language": v["language"], "topic": v["topic"] or None,
         "value_sum": v["value_sum"], "n_messages": v["n_messages"]}
        for v in db.call(rollups.export_voices, weeks)
    ])
    voices.close()

    def group_rows(session: Any) -> list[dict[str, Any]]:
        org = rollups.org_chart(session, settings.agency.name)
        rows = []
        for week in weeks:
            stats = rollups.period_stats(session, week, org)
            for key in stats.keys():
                st = stats.groups[key]
                rows.append({"week": week, "dimension": key.dimension, "key": key.key, "topic": key.topic,
                             "n_residents": st.n_residents, "value_sum": st.value_sum,
                             "value_sum_sq": st.value_sum_sq, "n_negative": st.n_negative,
                             "n_messages": st.n_messages, "mean": st.mean})
        return rows

    groups = _Sink(out / f"group_stats.{fmt}", fmt, {
        "week": "str", "dimension": "str", "key": "str", "topic": "str", "n_residents": "int", "value_sum": "float",
        "value_sum_sq": "float", "n_negative": "int", "n_messages": "int", "mean": "float",
    })
    groups.write(db.call(group_rows))
    groups.close()
    for sink in (records, voices, groups):
        typer.echo(f"{sink.path} ({sink.count} rows)")
