"""Load a sentiment classifier (tokenizer + AutoModelForSequenceClassification).

Loading is the one place where deployment mistakes surface (wrong path, no internet, missing
weights, unknown labels), so every failure becomes a single :class:`ModelLoadError` whose message
says what was tried, why it failed and how to fix it. We also record *which* model produced each
score (name + revision) so figures stay comparable after the model is changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from nlp.labels import LabelMapping, UnknownLabelsError, mapping_from_id2label
from nlp.settings import NlpSettings

if TYPE_CHECKING:  # torch/transformers are heavy: import them only when a model is really loaded
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

MODEL_INFO_FILE = "trustline-model.json"
"""Written next to a downloaded/trained model: where it came from (Hub id, commit hash)."""

_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")
_HEX40 = re.compile(r"^[0-9a-f]{40}$")
_TRUTHY = {"1", "true", "yes", "on"}


class ModelLoadError(RuntimeError):
    """The configured sentiment model could not be loaded; the message explains what to do."""


@dataclass(frozen=True)
class LoadedModel:
    """A ready-to-use classifier and what we know about it."""

    tokenizer: PreTrainedTokenizerBase
    model: PreTrainedModel
    mapping: LabelMapping
    name: str  # Hub id or resolved local path, as reported with every score
    revision: str  # Hub commit hash when known, else "local-<hash>" of config + weight metadata
    source: Literal["local", "hub"]
    device: torch.device
    max_length: int  # effective truncation length (setting capped by the model's own limit)


def is_offline(settings: NlpSettings) -> bool:
    """True when the Hub must not be contacted (setting, or HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE)."""
    env = (os.environ.get("HF_HUB_OFFLINE", ""), os.environ.get("TRANSFORMERS_OFFLINE", ""))
    return settings.offline or any(v.strip().lower() in _TRUTHY for v in env)


def local_model_dir(model: str) -> Path | None:
    """The local directory ``model`` names, or ``None`` when it should be read as a Hub id.

    Anything that exists on disk is local; so is anything that *looks* like a path (absolute,
    ``./``, ``../``, ``~``) even if missing, so that a typo is reported as a missing directory
    instead of as an unknown Hub repository.
    """
    path = Path(model).expanduser()
    if path.exists():
        return path
    if path.is_absolute() or model.startswith((".", "~")) or model.count("/") > 1 or "\\" in model:
        return path
    return None


def resolve_device(preference: Literal["cpu", "cuda", "auto"]) -> torch.device:
    """CPU unless CUDA is both allowed by the setting and available (falls back with a warning)."""
    import torch

    if preference == "cpu":
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if preference == "cuda":
        log.warning("nlp.device = 'cuda' but no CUDA device is available; using the CPU")
    return torch.device("cpu")


def local_revision(path: Path) -> str:
    """Best revision for a local model directory.

    1. ``trustline-model.json`` written by ``trustline model download`` (Hub commit hash);
    2. huggingface_hub's ``.cache/huggingface/download/config.json.metadata`` (first line = commit);
    3. a directory inside the HF cache named ``snapshots/<commit>``;
    4. ``local-`` + 12 hex chars of SHA-256 over config.json's bytes and the names and sizes of the
       weight files (cheap for multi-GB weights, stable across copies, changes when retrained).
    """
    info = path / MODEL_INFO_FILE
    if info.is_file():
        try:
            revision = json.loads(info.read_text(encoding="utf-8")).get("revision")
            if isinstance(revision, str) and revision:
                return revision
        except (OSError, ValueError):
            log.warning("ignoring unreadable %s", info)
    meta = path / ".cache" / "huggingface" / "download" / "config.json.metadata"
    if meta.is_file():
        first = meta.read_text(encoding="utf-8", errors="replace").splitlines()[:1]
        if first and _HEX40.match(first[0].strip()):
            return first[0].strip()
    if path.parent.name == "snapshots" and _HEX40.match(path.name):
        return path.name
    digest = hashlib.sha256()
    config = path / "config.json"
    if config.is_file():
        digest.update(config.read_bytes())
    for weight in sorted(p for p in path.iterdir() if p.suffix in _WEIGHT_SUFFIXES):
        digest.update(f"\0{weight.name}\0{weight.stat().st_size}".encode())
    return "local-" + digest.hexdigest()[:12]


def _hub_revision(model_id: str, revision: str | None, cache_dir: str | None) -> str:
    """Commit hash of the cached snapshot that transformers just loaded, else the requested revision."""
    try:
        from huggingface_hub import try_to_load_from_cache

        cached = try_to_load_from_cache(model_id, "config.json", revision=revision, cache_dir=cache_dir)
        if isinstance(cached, str):
            snapshot = Path(cached).parent
            if _HEX40.match(snapshot.name):
                return snapshot.name
    except Exception as exc:  # noqa: BLE001 - the revision is informative; never fail loading over it
        log.debug("could not resolve the commit hash of %s: %s", model_id, exc)
    return revision or "unknown"


def _fix_advice(model: str, local: Path | None) -> str:
    if local is not None:
        return (
            "Fix: point nlp.model at a directory holding config.json, the weights (model.safetensors or "
            "pytorch_model.bin) and the tokenizer files, e.g. one written by "
            "`trustline model download <hub-id> --out DIR` or `trustline model train`."
        )
    return (
        f"Fix: on a machine with internet run `trustline model download {model} --out DIR` and set "
        "nlp.model to that DIR (recommended for production), or allow Hub access (unset HF_HUB_OFFLINE "
        "and nlp.offline) so the model is downloaded into the Hugging Face cache on first start."
    )


def _describe(model: str, local: Path | None, settings: NlpSettings, offline: bool) -> str:
    if local is not None:
        return f"local directory '{local}'"
    where = f"Hub model '{model}'" + (f" at revision '{settings.revision}'" if settings.revision else "")
    if offline:
        return where + " (offline: HF_HUB_OFFLINE/nlp.offline set, so only the local Hugging Face cache was searched)"
    return where + " (online: downloading into the Hugging Face cache if needed)"


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 400 else text[:397] + "..."


def load_model(settings: NlpSettings) -> LoadedModel:
    """Load the model that ``settings`` names, on the configured device and thread count.

    Raises :class:`ModelLoadError` (never anything else for load-time problems).
    """
    offline = is_offline(settings)
    local = local_model_dir(settings.model)
    what = _describe(settings.model, local, settings, offline)

    def fail(reason: str, exc: BaseException | None = None) -> ModelLoadError:
        error = ModelLoadError(f"Could not load the sentiment model from {what}: {reason}. {_fix_advice(settings.model, local)}")
        if exc is not None:
            error.__cause__ = exc
        return error

    if local is not None:
        if not local.is_dir():
            raise fail("no such directory" if not local.exists() else "not a directory")
        if not (local / "config.json").is_file():
            raise fail("it has no config.json")
        if not any(p.suffix in _WEIGHT_SUFFIXES for p in local.iterdir()):
            raise fail("it has no weight file (*.safetensors / *.bin)")

    try:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
    except ImportError as exc:  # pragma: no cover - both are hard dependencies
        raise fail(f"torch/transformers are not installed ({exc})", exc) from exc

    if settings.torch_threads:
        torch.set_num_threads(settings.torch_threads)
    device = resolve_device(settings.device)

    source = str(local) if local is not None else settings.model
    kwargs: dict[str, object] = {"local_files_only": offline or local is not None}
    if local is None:
        kwargs["revision"] = settings.revision
        kwargs["cache_dir"] = settings.cache_dir
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # a "Loading weights" bar per start-up is noise in service logs
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
        model = AutoModelForSequenceClassification.from_pretrained(source, **kwargs)
    except Exception as exc:  # noqa: BLE001 - OSError, ValueError, HF errors... all mean "cannot load"
        raise fail(_reason(exc), exc) from exc
    finally:
        if bars:
            hf_logging.enable_progress_bar()

    try:
        mapping = mapping_from_id2label(model.config.id2label, settings.label_polarity)
    except UnknownLabelsError as exc:
        raise fail(str(exc), exc) from exc

    model.eval()
    model.to(device)

    limits = [settings.max_length]
    tok_limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_limit, int) and 0 < tok_limit < 100_000:
        limits.append(tok_limit)
    positions = getattr(model.config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        # RoBERTa-family models offset positions by padding_idx + 1, so two fewer usable slots.
        offset = 2 if "roberta" in str(getattr(model.config, "model_type", "")) or "camembert" in str(getattr(model.config, "model_type", "")) else 0
        limits.append(positions - offset)
    if local is not None:
        name, revision = str(local.resolve()), local_revision(local)
    else:
        name, revision = settings.model, _hub_revision(settings.model, settings.revision, settings.cache_dir)
    log.info("loaded sentiment model %s (revision %s) on %s; labels %s", name, revision, device, mapping.as_dict())
    return LoadedModel(
        tokenizer=tokenizer,
        model=model,
        mapping=mapping,
        name=name,
        revision=revision,
        source="local" if local is not None else "hub",
        device=device,
        max_length=min(limits),
    )
