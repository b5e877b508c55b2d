"""Where the repository and the shared data and model beside it are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
REAL_MODEL = SHARED / "models" / "minilm-sentiment-en"
