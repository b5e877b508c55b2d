"""The receive-time entry point: redaction + topics + emergency, fast and model-free."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from nlp.analysis import Analyser, analyse
from nlp.settings import NlpSettings
from tests.support.paths import ROOT


def test_analyse_combines_redaction_topics_and_emergency() -> None:
    result = analyse("Officer @bob hit me, call me on +34 612 34 56 78", "es")
    assert result.redacted == "Officer [handle] hit me, call me on [phone]"
    assert "use_of_force" in result.topics
    assert result.emergency.kinds == ("misconduct",)
    assert result.language == "es"


def test_plain_feedback_has_no_alert_and_is_not_redacted() -> None:
    result = analyse("Unit 3 came at 10:30 with 2 officers, very polite. Thanks!")
    assert result.redacted == "Unit 3 came at 10:30 with 2 officers, very polite. Thanks!"
    assert set(result.topics) == {"respect", "praise"}
    assert not result.emergency.alert


def test_sentiment_added_later_can_raise_a_borderline_alert() -> None:
    result = analyse("He had a gun")
    assert not result.emergency.alert
    assert result.with_sentiment(-0.9, threshold=-0.5).emergency.kinds == ("emergency",)


def test_settings_extras_are_applied() -> None:
    settings = NlpSettings(topics_extra_keywords={"noise": ["loud music"]})
    assert analyse("loud music again", settings=settings).topics == ("noise",)


def test_analysis_does_not_import_torch_or_transformers() -> None:
    # The bot runs this on the event loop; importing torch there would stall it for seconds.
    code = "import sys, nlp, nlp.analysis; nlp.analysis.analyse('hi'); print(sorted({'torch', 'transformers'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_analysis_takes_well_under_a_few_milliseconds_per_message() -> None:
    analyser = Analyser()
    text = "The officer was rude and it took 3 hours to arrive, call me at 555-123-4567. Gracias. " * 3
    analyser.analyse(text)
    runs = 200
    started = time.perf_counter()
    for _ in range(runs):
        analyser.analyse(text, "en")
    per_message = (time.perf_counter() - started) / runs
    assert per_message < 0.02  # generous for a loaded 2-core CI machine; typically ~1 ms
