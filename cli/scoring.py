"""`trustline score "text"` (the NLP area's command in cli/model.py) and `trustline rescore`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

import typer

from cli.common import ConfigOption, fail, open_db, settings_from
from cli.model import score_command

__all__ = ["rescore_command", "score_command"]


def _load(nlp: object):  # type: ignore[no-untyped-def]
    from nlp.model import ModelLoadError
    from services.scoring import load_scorer

    try:
        return load_scorer(nlp, warm_up=False)  # type: ignore[arg-type]
    except ModelLoadError as exc:
        raise fail(str(exc)) from None


def parse_since(value: str, tz: object) -> datetime:
    """YYYY-MM-DD (midnight in the agency's time zone) or an ISO date-time; returned in UTC."""
    value = value.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), time(0), tzinfo=tz)  # type: ignore[arg-type]
        else:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=tz)  # type: ignore[arg-type]
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
    return moment.astimezone(UTC)


def rescore_command(
    ctx: typer.Context,
    since: Annotated[
        str,
        typer.Option("--since", help="Messages received on/after this date (YYYY-MM-DD, agency time zone, or ISO date-time)."),
    ],
    config: ConfigOption = None,
) -> None:
    """Score with the current model every message since DATE that it has not scored yet.

    Use after changing nlp.model: messages scored by the old model (and any that failed) are
    scored again, each exactly once per model revision. Safe beside running bots on PostgreSQL
    (they share the work); on SQLite prefer stopping the bot first.
    """
    from tqdm import tqdm

    from services.scoring import ScoringOptions, score_batch
    from storage import scoring as queue

    settings = settings_from(ctx, config)
    start = parse_since(since, settings.agency.tz)
    db = open_db(settings)
    scorer = _load(settings.nlp)
    options = ScoringOptions.from_settings(settings.nlp)
    requeued = db.call(queue.requeue_failed, start)
    total = db.call(queue.backlog, scorer.revision, since=start, max_attempts=options.max_attempts)
    typer.echo(
        f"Model {scorer.model_name} (revision {scorer.revision}): {total} messages since "
        f"{start:%Y-%m-%d %H:%M} UTC to score" + (f" ({requeued} had failed before)" if requeued else "") + ".",
        err=True,
    )
    scored = failed = 0
    with tqdm(total=total, unit="msg", desc="Scoring", disable=None) as bar:
        while True:
            outcome = score_batch(db, scorer, options, include_stale=True, since=start)
            if outcome.claimed == 0:
                break
            scored += len(outcome.scored)
            failed += len(outcome.given_up)
            bar.update(len(outcome.scored) + len(outcome.given_up))
    left = db.call(queue.backlog, scorer.revision, since=start, max_attempts=options.max_attempts)
    typer.echo(f"Scored {scored} messages; {failed} could not be scored; {left} still to do.")
    if failed:
        raise typer.Exit(1)
