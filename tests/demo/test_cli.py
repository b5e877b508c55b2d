"""`trustline demo` on the command line: when the model cannot be loaded it stops with the same
one-line explanation `trustline run` gives, before serving anything."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.main import app  # cli.main first: it registers cli.demo
from nlp.model import ModelLoadError


def test_a_model_that_cannot_load_stops_the_demo_with_the_fix(monkeypatch, tmp_path):
    def offline(*args, **kwargs):
        raise ModelLoadError("Could not load the sentiment model from Hub model 'x'. Fix: run `trustline model download x`.")

    monkeypatch.setattr("bot.jobs.load_scorer", offline)
    monkeypatch.setattr("webbrowser.open", lambda url: (_ for _ in ()).throw(AssertionError("no browser without a bot")))
    result = CliRunner().invoke(app, ["demo", "--no-browser", "--port", "0", "--db", f"sqlite:///{tmp_path / 'demo.db'}"])
    assert result.exit_code == 1
    assert "Fix: run `trustline model download x`" in result.output
