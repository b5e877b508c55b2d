"""`trustline corrections ...`: staff corrections of sentiment and topics, as training data.

Staff correct a case's tone or topics with the ✏️ Correct button (docs/staff.md). Each correction
is a label beside a message; its text is the message's stored *redacted* text, read now (never
copied into the corrections table), so messages a resident erased with /forget are simply gone.
`trustline model train --from-corrections` trains on them; `corrections export` writes them for
agencies that train elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from cli.common import ConfigOption, fail, open_db, settings_from, since_date
from services.settings import Settings

corrections_app = typer.Typer(help="Staff corrections of sentiment and topics (training data).", no_args_is_help=True)

# Fewer corrected messages than this teach a model nothing but noise: `model train` refuses.
MIN_CORRECTIONS = 20
SinceOption = Annotated[
    Optional[str],  # noqa: UP045 - typer needs Optional here
    typer.Option("--since", help="Only messages corrected on or after this date (YYYY-MM-DD, agency time)."),
]


def corrected_examples(settings: Settings, since: str | None, field: str | None = None) -> list[Any]:
    """The corrected messages still stored, with their redacted text (storage.cases.TrainingExample)."""
    from storage.cases import training_examples

    start = since_date(since, settings)
    return open_db(settings).call(lambda s: training_examples(s, since=start, field=field))


def corrections_set(settings: Settings, since: str | None) -> Any:
    """The corrected sentiment labels as a labelled set for `model train` (nlp.data.LabelledSet);
    refused in one line below :data:`MIN_CORRECTIONS` examples."""
    from nlp.data import LabelledSet
    from nlp.labels import SENTIMENTS

    examples = [e for e in corrected_examples(settings, since, "sentiment") if e.sentiment in SENTIMENTS]
    if len(examples) < MIN_CORRECTIONS:
        window = f" since {since}" if since else ""
        raise fail(
            f"Only {len(examples)} messages with a staff-corrected sentiment{window}; at least {MIN_CORRECTIONS} "
            "are needed to train on corrections. Correct more cases (✏️ Correct on a case prompt), "
            "or train on a labelled file with --train."
        )
    return LabelledSet(
        path=Path("staff corrections" + (f" since {since}" if since else "")),
        format="corrections",
        texts=[e.text for e in examples],
        labels=[SENTIMENTS.index(e.sentiment) for e in examples],
        binary=False,
    )


@corrections_app.command("export")
def export_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="JSONL file to write.")],
    since: SinceOption = None,
    config: ConfigOption = None,
) -> None:
    """Write corrected messages as JSONL: redacted text, lang, and the corrected label and/or topics."""
    settings = settings_from(ctx, config)
    examples = corrected_examples(settings, since)
    try:
        with out.open("w", encoding="utf-8") as handle:
            for e in examples:
                record: dict[str, Any] = {"text": e.text, "lang": e.language}
                if e.sentiment is not None:  # "sentiment" too: the key `model eval` and `model train-head` read
                    record |= {"label": e.sentiment, "sentiment": e.sentiment}
                if e.topics is not None:
                    record["topics"] = e.topics
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise fail(f"Could not write {out}: {exc}") from None
    labelled = sum(e.sentiment is not None for e in examples)
    typer.echo(f"Wrote {len(examples)} corrected messages to {out} ({labelled} with a sentiment label, "
               f"{len(examples) - labelled} with topics only). Text is the stored redacted text.")
