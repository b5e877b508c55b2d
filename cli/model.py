"""Command-line tools for Trustline's language processing.

``model_app`` is a Typer sub-app (``trustline model download|train|info``) and
:func:`score_command` is registered by the main CLI as ``trustline score "text"``.

Settings: every command reads the ``[nlp]`` section through the Typer/Click context object
(``ctx.obj``), which Click passes down to sub-commands. The main CLI's callback should set
``ctx.obj`` to the loaded application config (any object with an ``nlp`` attribute holding an
:class:`~nlp.settings.NlpSettings`), to an ``NlpSettings`` itself, or to a zero-argument callable
returning either (to load the config lazily). With no ``ctx.obj`` the defaults are used.

Heavy imports (torch, transformers, huggingface_hub) happen inside the commands so that
``trustline --help`` stays fast.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.common import fail as _fail
from nlp.data import FORMATS
from nlp.settings import NlpSettings

model_app = typer.Typer(
    name="model",
    help="Download, fine-tune and inspect the sentiment model.",
    no_args_is_help=True,
    add_completion=False,
)


def settings_from_context(ctx: typer.Context | None) -> NlpSettings:
    """The ``NlpSettings`` carried by ``ctx.obj`` (see module docstring), else defaults."""
    obj: Any = ctx.obj if ctx is not None else None
    if callable(obj) and not isinstance(obj, NlpSettings):
        obj = obj()
    if isinstance(obj, NlpSettings):
        return obj
    nested = getattr(obj, "nlp", None)
    if nested is None and isinstance(obj, dict):
        nested = obj.get("nlp")
    if isinstance(nested, NlpSettings):
        return nested
    if isinstance(nested, dict):
        return NlpSettings.model_validate(nested)
    return NlpSettings()


def _select_files(names: list[str]) -> list[str]:
    """Files needed to run a PyTorch model: config, tokenizer, one weight format (safetensors first)."""
    top = [n for n in names if "/" not in n]
    weights = [n for n in top if n.endswith(".safetensors") or n == "model.safetensors.index.json"]
    if not any(n.endswith(".safetensors") for n in weights):
        weights = [n for n in top if re.fullmatch(r"pytorch_model.*\.bin(\.index\.json)?", n)]
    support = [
        n
        for n in top
        if n.endswith((".json", ".txt", ".model"))
        and not n.startswith(("tf_", "flax_", "onnx", "openvino"))
        and n not in weights
    ]
    return sorted(set(weights + support))


@model_app.command("download")
def download_command(
    ctx: typer.Context,
    model_id: Annotated[str | None, typer.Argument(help="Hub model id (default: nlp.model).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Directory to write the model to.")] = ...,  # type: ignore[assignment]
    revision: Annotated[str | None, typer.Option(help="Branch, tag or commit (default: nlp.revision or main).")] = None,
) -> None:
    """Download a model from the Hugging Face Hub into DIR, for nlp.model = "DIR"."""
    from nlp.model import MODEL_INFO_FILE, ModelLoadError, is_offline, load_model

    settings = settings_from_context(ctx)
    repo = model_id or settings.model
    rev = revision or settings.revision
    if is_offline(settings):
        raise _fail("Cannot download: offline mode is on (HF_HUB_OFFLINE=1 or nlp.offline = true). Run this on a machine with internet.")
    try:
        from huggingface_hub import HfApi, snapshot_download

        api = HfApi()
        info = api.model_info(repo, revision=rev)
        files = _select_files([s.rfilename for s in info.siblings or []])
        if not any(f.endswith((".safetensors", ".bin")) for f in files):
            raise _fail(f"{repo} has no PyTorch weights (model.safetensors / pytorch_model.bin) to download.")
        typer.echo(f"Downloading {repo} at {info.sha} ({len(files)} files) to {out} ...")
        snapshot_download(repo, revision=info.sha, local_dir=str(out), allow_patterns=files)
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - network/auth/not-found errors: one clear line
        raise _fail(f"Could not download {repo!r}{f' at {rev!r}' if rev else ''}: {' '.join(str(exc).split())[:400]}") from exc
    record = {"name": repo, "revision": info.sha, "downloaded_at": datetime.now(UTC).isoformat(timespec="seconds")}
    (out / MODEL_INFO_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    try:
        loaded = load_model(settings.model_copy(update={"model": str(out), "revision": None, "device": "cpu"}))
    except ModelLoadError as exc:
        raise _fail(f"Downloaded, but the model does not load: {exc}") from exc
    typer.echo(f"OK: labels {loaded.mapping.as_dict()}, revision {loaded.revision}.")
    typer.echo(f'Now set in the config:  [nlp] model = "{out.resolve()}"')


@model_app.command("train")
def train_command(
    ctx: typer.Context,
    base: Annotated[Path, typer.Option("--base", help="Base encoder or classifier directory to fine-tune.")],
    train_file: Annotated[Path, typer.Option("--train", help="Training data (TSV/CSV/VADER/XLM-T, detected).")],
    eval_file: Annotated[Path, typer.Option("--eval", help="Evaluation data (same formats).")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write the fine-tuned model to.")],
    epochs: Annotated[int, typer.Option(min=1)] = 2,
    lr: Annotated[float, typer.Option(help="Peak learning rate (AdamW, linear decay, 6% warm-up).")] = 4e-5,
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    max_length: Annotated[int, typer.Option(min=8)] = 64,
    seed: int = 0,
    limit: Annotated[int | None, typer.Option(help="Train on a seeded random subset of N rows.")] = None,
    threads: Annotated[int | None, typer.Option(help="torch threads (default: nlp.torch_threads).")] = None,
    train_format: Annotated[str, typer.Option(help=f"One of {', '.join(FORMATS)}.")] = "auto",
    eval_format: Annotated[str, typer.Option(help=f"One of {', '.join(FORMATS)}.")] = "auto",
) -> None:
    """Fine-tune BASE into a negative/neutral/positive classifier and print eval accuracy / macro-F1."""
    from nlp.data import DataFormatError
    from nlp.train import train

    for name, value in (("--train-format", train_format), ("--eval-format", eval_format)):
        if value not in FORMATS:
            raise _fail(f"{name} must be one of {', '.join(FORMATS)}")
    settings = settings_from_context(ctx)
    try:
        report = train(
            base, train_file, eval_file, out, epochs=epochs, lr=lr, batch_size=batch_size, max_length=max_length,
            seed=seed, limit=limit, threads=threads or settings.torch_threads,
            train_format=train_format, eval_format=eval_format,  # type: ignore[arg-type]
            echo=typer.echo,
        )
    except (DataFormatError, OSError, ValueError) as exc:
        raise _fail(f"Training failed: {exc}") from exc
    typer.echo(f'Use it with:  [nlp] model = "{Path(report.out_dir).resolve()}"')


@model_app.command("info")
def info_command(
    ctx: typer.Context,
    model: Annotated[str | None, typer.Option("--model", help="Model dir or Hub id (default: nlp.model).")] = None,
) -> None:
    """Load the configured model and show what it is: revision, labels, device, limits."""
    from nlp.model import ModelLoadError, load_model

    settings = settings_from_context(ctx)
    if model:
        settings = settings.model_copy(update={"model": model})
    try:
        loaded = load_model(settings)
    except ModelLoadError as exc:
        raise _fail(str(exc), 2) from exc
    import torch

    params = sum(p.numel() for p in loaded.model.parameters())
    rows = [
        ("model", loaded.name),
        ("source", loaded.source),
        ("revision", loaded.revision),
        ("architecture", type(loaded.model).__name__),
        ("parameters", f"{params / 1e6:.1f} M"),
        ("label scheme", loaded.mapping.scheme),
        ("label polarity", ", ".join(f"{k}={v:+g}" for k, v in loaded.mapping.as_dict().items())),
        ("label strategy", settings.label_strategy),
        ("device", str(loaded.device)),
        ("torch threads", str(torch.get_num_threads())),
        ("max length", f"{loaded.max_length} tokens"),
        ("batch size", str(settings.batch_size)),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key.ljust(width)}  {value}")


def score_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The message to analyse.")],
    model: Annotated[str | None, typer.Option("--model", help="Model dir or Hub id (default: nlp.model).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Analyse one message: sentiment, topics, redacted text and emergency flags."""
    from nlp.analysis import Analyser
    from nlp.model import ModelLoadError
    from nlp.scorer import SentimentScorer

    settings = settings_from_context(ctx)
    if model:
        settings = settings.model_copy(update={"model": model})
    analysis = Analyser(settings).analyse(text)
    sentiment = None
    error = None
    try:
        sentiment = SentimentScorer.from_settings(settings).score_one(text)
        analysis = analysis.with_sentiment(sentiment.score, settings.emergency_model_threshold)
    except ModelLoadError as exc:
        error = str(exc)

    emergency = analysis.emergency
    if as_json:
        payload: dict[str, Any] = {
            "redacted": analysis.redacted,
            "topics": list(analysis.topics),
            "topic_cues": {k: list(v) for k, v in analysis.topic_cues.items()},
            "emergency": {
                "kinds": list(emergency.kinds),
                "scores": dict(emergency.scores),
                "cues": {k: emergency.cue_for(k) for k in emergency.kinds},
            },
            "sentiment": None
            if sentiment is None
            else {
                "score": round(sentiment.score, 4),
                "label": sentiment.label,
                "probabilities": {k: round(v, 4) for k, v in sentiment.probabilities.items()},
                "model": sentiment.model,
                "revision": sentiment.revision,
            },
            "error": error,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"redacted:   {analysis.redacted}")
        cues = "; ".join(f"{t} ({', '.join(c)})" for t, c in analysis.topic_cues.items())
        typer.echo(f"topics:     {', '.join(analysis.topics)}" + (f"  [{cues}]" if cues else ""))
        if emergency.kinds:
            flags = ", ".join(f"{k} (\"{emergency.cue_for(k)}\", score {emergency.scores[k]:g})" for k in emergency.kinds)
            typer.secho(f"ALERT:      {flags}", fg=typer.colors.RED, bold=True)
        else:
            near = ", ".join(f"{k} {emergency.scores[k]:g}" for k in emergency.borderline)
            typer.echo("emergency:  none" + (f" (borderline: {near})" if near else ""))
        if sentiment is not None:
            probs = "  ".join(f"{k} {v:.3f}" for k, v in sentiment.probabilities.items())
            typer.echo(f"sentiment:  {sentiment.score:+.3f} {sentiment.label}" + (f"   [{probs}]" if probs else " (empty text)"))
            typer.echo(f"model:      {sentiment.model} @ {sentiment.revision}")
    if error is not None:
        raise _fail(error, 2)


