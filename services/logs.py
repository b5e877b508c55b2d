"""Logging for every ``trustline`` command: our own INFO lines, libraries' chatter off.

At the default level an operator reads Trustline's lines (start-up, digests sent, errors) and
libraries' warnings. What libraries say on every routine step is held back until ``-v``:

* APScheduler: "Running job ..." / "... executed successfully" on every job run, every minute.
* Alembic: "Context impl ...", "Will assume ..." on every command that checks the schema.
* fontTools: ~75 subsetting lines per ``trustline cards``.
* httpx/httpcore: one line per Bot API request (every long poll).
* Hugging Face Hub and transformers: "Retrying in 1s" and checkpoint warnings while a model loads.
  Both set their own level and attach their own handler when first imported (after this runs),
  so they are quieted through their documented variables ``HF_HUB_VERBOSITY`` and
  ``TRANSFORMERS_VERBOSITY`` (an operator's own setting wins), and the Hub's lines no longer also
  propagate to our handler, which printed each of them twice. A model that cannot be loaded is
  reported by ``nlp.model.ModelLoadError`` in one line either way.

``-v`` (``--verbose``) puts every logger at DEBUG. Debug logs contain Telegram updates in full,
residents' words included (see docs/operations.md).
"""

from __future__ import annotations

import logging
import os
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Logger name -> level at the default verbosity.
QUIET: dict[str, int] = {
    "apscheduler": logging.WARNING,
    "alembic": logging.WARNING,
    "fontTools": logging.WARNING,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "urllib3": logging.WARNING,
    "aiohttp.access": logging.WARNING,
}

# Libraries with their own handler and verbosity variable: logger name -> environment variable.
OWN_HANDLERS = {"huggingface_hub": "HF_HUB_VERBOSITY", "transformers": "TRANSFORMERS_VERBOSITY"}


def configure_logging(verbose: bool) -> None:
    """Set up stderr logging once per process; safe to call again (tests, nested commands)."""
    root = logging.getLogger()
    if not root.handlers:  # under pytest the capture handlers are already there; keep them
        logging.basicConfig(format=FORMAT)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name, level in QUIET.items():
        # NOTSET: inherit the root's DEBUG, so -v brings every line back.
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else level)
    for name, variable in OWN_HANDLERS.items():
        wanted = "debug" if verbose else "error"
        os.environ.setdefault(variable, wanted)
        library = logging.getLogger(name)
        library.propagate = False  # its own handler prints it; ours would print it again
        if name in sys.modules:  # already imported: its level was read from the variable before
            library.setLevel(logging.DEBUG if verbose else logging.ERROR)
