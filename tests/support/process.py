"""`trustline run` / `trustline worker` as real subprocesses aimed at the fake Bot API.

Crash tests need a process they can ``kill -9``; everything else should use the in-process bot
(tests/support/app.py), which starts far faster.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.app import TEST_UNITS
from tests.support.paths import ROOT


def write_run_config(
    path: Path, fake_api: Any, db_url: str, model: Path, *, nlp: dict[str, Any] | None = None, **telegram: Any
) -> Path:
    """A config file for a subprocess: the fake API, one database, a tiny model, no limits.
    ``nlp`` adds to the [nlp] section (e.g. a small batch_size), ``telegram`` to [telegram]."""
    tg = {
        "token": fake_api.token,
        "base_url": fake_api.base_url,
        "base_file_url": fake_api.base_file_url,
        "poll_timeout": 1,
        **telegram,
    }
    lines = ["[telegram]"] + [f"{k} = {_toml(v)}" for k, v in tg.items()]
    lines += ["[storage]", f"url = {_toml(db_url)}"]
    lines += ["[privacy]", 'pseudonym_secret = "test-secret"']
    lines += ["[agency]", 'name = "Springfield PD"', 'timezone = "America/Chicago"']
    lines += ["[conversation]", "flood_messages_per_hour = 10000", "max_messages_per_submission = 1000"]
    lines += ["[nlp]", f"model = {_toml(str(model))}", "torch_threads = 1"]
    lines += [f"{k} = {_toml(v)}" for k, v in (nlp or {}).items()]
    for unit in TEST_UNITS:
        lines += ["[[units]]"] + [f"{k} = {_toml(v)}" for k, v in unit.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class TrustlineProcess:
    """One ``python -m cli.main <command>``; its combined output goes to ``log``."""

    config: Path
    log: Path
    command: str = "run"
    args: tuple[str, ...] = ("--no-scoring",)  # no model: starts in seconds, not tens of seconds
    proc: asyncio.subprocess.Process | None = None
    started_at: float = field(default_factory=time.monotonic)

    async def start(self) -> TrustlineProcess:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
        out = self.log.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "cli.main", "--config", str(self.config), self.command, *self.args,
            cwd=ROOT, env=env, stdout=out, stderr=out,
        )
        out.close()
        self.started_at = time.monotonic()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    async def wait_for_output(self, needle: str, timeout: float = 40.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output():
            if self.proc is not None and self.proc.returncode is not None:
                raise AssertionError(f"process exited ({self.proc.returncode}) before {needle!r}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {needle!r} within {timeout} s:\n{self.output()}")
            await asyncio.sleep(0.1)

    def kill(self) -> None:
        """``kill -9``: no shutdown code runs."""
        if self.proc is not None and self.proc.returncode is None:
            os.kill(self.proc.pid, signal.SIGKILL)

    async def stop(self, timeout: float = 15.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except TimeoutError:
                self.kill()
        await self.proc.wait()
        return self.proc.returncode


def terminate_lock_connection(db_url: str, pid: int) -> int:
    """``pg_terminate_backend`` on the Telegram connection lock of `trustline run` ``pid`` (found by
    the application_name storage/leader.py gives it): what a PostgreSQL restart, an idle timeout
    or a network blip does to it. Returns how many sessions were ended."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name LIKE %s AND datname = current_database()",
            (f"trustline run pid={pid} %",),
        ).fetchall()
    return sum(1 for (ok,) in rows if ok)
