"""`trustline score`, `trustline rescore` and (from bot/cli_nlp.py) `trustline model ...`.

Registered on the main Typer app by :func:`register` (one line in bot/cli.py). The NLP area's own
commands win when that module provides them; ours fill in otherwise.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, Optional

import typer

ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional here
    typer.Option("--config", "-c", help="Config file (default: $TRUSTLINE_CONFIG, ./config.toml, ./config.example.toml)."),
]


def register(app: typer.Typer) -> None:
    """Add the scoring commands (and the NLP area's `model` sub-app when it exists) to ``app``."""
    nlp_cli = _nlp_cli()
    nlp_score = getattr(nlp_cli, "score_command", None)
    app.command("score")(_with_settings(nlp_score) if nlp_score is not None else score_command)
    app.command("rescore")(rescore_command)
    model_app = getattr(nlp_cli, "model_app", None)
    if model_app is not None:
        declared = model_app.info.callback  # a DefaultPlaceholder unless typer.Typer(callback=...) was used
        own_callback = model_app.registered_callback is not None or getattr(declared, "value", declared) is not None
        app.add_typer(model_app, name="model", **({} if own_callback else {"callback": _load_settings_callback}))


# bot/cli_nlp.py reads the configuration from ``ctx.obj``, which the main callback sets only for
# an explicit --config. These make its commands see ./config.toml, $TRUSTLINE_CONFIG and the
# TRUSTLINE_* environment exactly like every other command.


def _ensure_settings(ctx: typer.Context) -> None:
    from bot.cli import settings_from

    root = ctx.find_root()
    if root.obj is None:
        root.obj = settings_from(ctx, None)
    ctx.obj = root.obj


def _load_settings_callback(ctx: typer.Context) -> None:
    _ensure_settings(ctx)


def _with_settings(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)  # Typer reads the wrapped signature: same arguments and help
    def wrapper(**kwargs: Any) -> Any:
        _ensure_settings(kwargs["ctx"])
        return command(**kwargs)

    return wrapper


def _nlp_cli() -> ModuleType | None:
    try:
        return importlib.import_module("bot.cli_nlp")
    except ModuleNotFoundError as exc:
        if exc.name != "bot.cli_nlp":
            raise  # the module is there but broken: say so loudly
        return None


def _load(nlp: object):  # type: ignore[no-untyped-def]
    from bot.cli import fail
    from bot.scoring import load_scorer
    from nlp.model import ModelLoadError

    try:
        return load_scorer(nlp, warm_up=False)  # type: ignore[arg-type]
    except ModelLoadError as exc:
        raise fail(str(exc)) from None


def score_command(
    ctx: typer.Context,
    texts: Annotated[list[str], typer.Argument(help="Text(s) to score, e.g. \"The officer was very rude\".")],
    config: ConfigOption = None,
) -> None:
    """Score text with the configured sentiment model (label, score in [-1, 1], probabilities)."""
    from bot.cli import settings_from

    settings = settings_from(ctx, config)
    scorer = _load(settings.nlp)
    typer.echo(f"model {scorer.model_name} (revision {scorer.revision})", err=True)
    for text, result in zip(texts, scorer.score(texts), strict=True):
        probs = " ".join(f"{k}={v:.2f}" for k, v in result.probabilities.items())
        typer.echo(f"{result.label:<8} {result.score:+.3f}  [{probs}]  {text}")


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

    from bot.cli import _db, settings_from
    from bot.scoring import ScoringOptions, score_batch
    from storage import scoring as queue

    settings = settings_from(ctx, config)
    start = parse_since(since, settings.agency.tz)
    db = _db(settings)
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
