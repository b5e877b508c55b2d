"""Tiny, randomly initialised sentiment models built on the fly, for plumbing tests.

A 2-layer BERT with hidden size 32 and a few-dozen-word WordPiece vocabulary: it loads in well
under a second and produces arbitrary (but deterministic) scores, so it exercises loading,
batching and the worker without the real model. Behaviour that needs *meaningful* scores uses the
real model at ``REAL_MODEL`` (mark those tests ``@realmodel``).

Shared by the nlp and scoring tests, so every area uses one builder;
import from here.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache, lru_cache
from pathlib import Path

import pytest

from tests.support.paths import REAL_MODEL

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


WORDS = (
    "the a an and or but not no very was is were are it he she they i me my you we police officer officers "
    "cop good great excellent bad terrible awful slow fast rude kind polite helpful thanks thank help "
    "came late never quick car street night day today response time hour hours wait waited"
).split()
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, "##s", "##ed", "##ing", "##ly", ".", ",", "!", "?"]

LABEL_SETS: dict[str, dict[int, str]] = {
    "two": {0: "NEGATIVE", 1: "POSITIVE"},
    "three": {0: "negative", 1: "neutral", 2: "positive"},
    "three_shuffled": {0: "Positive", 1: "NEG", 2: "neu"},
    "five_stars": {0: "1 star", 1: "2 stars", 2: "3 stars", 3: "4 stars", 4: "5 stars"},
    "generic": {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"},
}

_ROOT = Path(tempfile.mkdtemp(prefix="trustline-tiny-models-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)


def build_tiny_model(out: Path, id2label: dict[int, str], seed: int = 0, with_head: bool = True) -> Path:
    """Write a tiny random BERT (classifier, or bare encoder when ``with_head`` is False) to ``out``."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertModel, BertTokenizer

    out.mkdir(parents=True, exist_ok=True)
    vocab_file = out / "vocab.txt"
    vocab_file.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    tokenizer = BertTokenizer(vocab=str(vocab_file))
    config = BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        num_labels=len(id2label),
        id2label=dict(id2label),
        label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config) if with_head else BertModel(config)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@cache
def tiny_model_dir(kind: str = "three", seed: int = 0) -> Path:
    """A tiny model with one of :data:`LABEL_SETS` (``seed`` gives a different model), built once per session."""
    name = f"{kind}-{seed}"
    if kind == "encoder":
        return build_tiny_model(_ROOT / name, LABEL_SETS["three"], seed=seed, with_head=False)
    return build_tiny_model(_ROOT / name, LABEL_SETS[kind], seed=seed)


@pytest.fixture(scope="session")
def tiny_three_class_model() -> Path:
    """Session-wide tiny negative/neutral/positive model directory."""
    return tiny_model_dir("three")


realmodel_available = REAL_MODEL.is_dir()
realmodel = pytest.mark.skipif(not realmodel_available, reason=f"real model not found at {REAL_MODEL}")
