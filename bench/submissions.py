"""Submissions under load (issue 9): Trustline and a naive one-handler bot, side by side, one run.

    python bench/submissions.py --residents 30 --messages 6 --json submissions.json   # ~1-2 min
    python bench/submissions.py --residents 30 --messages 6 --real-model               # the shared MiniLM

N simulated residents start at once and each goes through a whole submission: consent, unit,
M messages, 4 ratings, reference, contact choice; through the fake Bot API (``fakeapi``), one
fresh fake and one fresh SQLite database per bot. The two bots, one after the other in this
process, under identical residents and texts:

- **Trustline**, exactly as ``trustline run`` builds it (``bot.wiring.build_full_application``:
  inbox intake, per-chat concurrent processor, ``AIORateLimiter(max_retries=5)``, background
  scoring worker); only the scorer is the benchmark's.
- **naive**, a tutorial-style PTB bot written below: one MessageHandler and one
  CallbackQueryHandler doing everything, PTB defaults (updates handled one at a time, as with
  ``run_polling``), the sentiment call made inside the handler the way ``transformers.pipeline()``
  is called in tutorials, a ``sqlite3`` insert and commit in the handler, and the same
  ``AIORateLimiter(max_retries=5)``.

Both score with the same scorer object, so the model costs the same: by default a stand-in that
burns CPU like the shared MiniLM does on this machine (8 ms a call + 8 ms a text, i.e. ~16 ms for
one message and ~8 ms a message in batches, the figures of docs/performance.md), in hashlib so it
releases the GIL as torch does; ``--real-model`` uses /work/shared/models/minilm-sentiment-en
(``pipeline()`` per message for the naive bot, Trustline's batched scorer for Trustline).

Rate limits: the fake Bot API enforces none (no 429 unless a test injects one), so what shapes
the timing is the real ``AIORateLimiter`` in both bots: 30 calls/s over every call that carries
a ``chat_id`` and 20/min per group. It has no per-private-chat limit, and neither has the fake:
the report gives the highest per-chat rate each bot reached, to compare with Telegram's ~1
message/s per chat.

Each bot runs in its own thread and event loop (as it would in its own process), so a handler
that blocks its loop delays that bot only, not the fake Bot API or the residents' clocks.

The residents read the bot's messages and press whatever the step offers, found by callback data
(bot/keyboards.py: ``consent:``, ``district:``, ``unit:``, ``skip``, ``rate:``, ``fb:done``,
``contact:``), never by label: a new order of questions or fewer questions still runs. A
resident sends a message once the bot has answered the previous one (a new message or an edit;
``--burst N``: N messages back to back, then waits), ends with the ``fb:done`` button when one is
offered (else ``/done``), answers each rating at once and takes the reference from the first text
showing one after that. Bots may show the reference at a different point (Trustline shows it with
the first rating question, the naive bot after the last), so ``/done`` → last answer taken in
(ratings and contact choice) is reported beside it.

Figures per bot: Bot API calls per submission (those with a ``chat_id``, which Telegram
rate-limits, and all of them, ``getUpdates`` apart); ``/done`` → reference latency p50/p95 (the
resident answers each rating at once, so this is the bot's own time); time until every message
is scored; messages lost (sent vs stored). PASS/FAIL against the issue's targets is printed,
never turned into an exit status. Prints a Markdown table; ``--json PATH`` writes the figures.

Long because the naive bot and the residents' driver live here, beside the measurement, so the
comparison reads in one file.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import platform
import random
import re
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sqlalchemy import func  # noqa: E402
from sqlmodel import select  # noqa: E402
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update  # noqa: E402
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, MessageHandler, filters  # noqa: E402

from bench.scoring import MODEL, fresh_database, naive_pipeline  # noqa: E402
from bot import keyboards as kb  # noqa: E402
from fakeapi import FakeBotApi, start_application, stop_application  # noqa: E402
from fakeapi.models import CallbackQueryRecord, SentMessage  # noqa: E402
from nlp.settings import NlpSettings  # noqa: E402
from storage.models import FeedbackMessage  # noqa: E402
from trust.model import RATING_ITEMS  # noqa: E402

REFERENCE = re.compile(r"\bTL-[23456789A-HJ-NP-Z]{4,6}\b")  # storage.feedback.new_reference
UNITS = [  # two districts, one of them with a single unit
    {"code": "N-Patrol", "name": "North Patrol", "district": "North"},
    {"code": "N-Traffic", "name": "North Traffic", "district": "North"},
    {"code": "S-Patrol", "name": "South Patrol", "district": "South"},
]
TARGET_CALLS = 14  # Bot API calls with a chat_id per submission (issue 9)
TARGET_P95_RATIO = 1 / 3  # Trustline's /done -> reference p95 at most a third of the naive bot's
TEXTS = [
    "The officer who came to our street was calm and explained what would happen next.",
    "We waited almost two hours for anyone to come after the break-in on our car.",
    "Thank you to the patrol for checking on my elderly neighbour last night.",
    "Nobody told us why the road was closed and the officers were short with drivers.",
    "The front desk took my report quickly and gave me a case number.",
    "I reported noise from the bar three times this month and nothing changed.",
    "Officers at the school crossing are friendly and the kids like them.",
    "The response was fast but I never heard back about the stolen bike.",
    "Good job at the market on Saturday, it felt safe with the extra patrols.",
    "The officer listened to both sides before deciding anything, which I appreciated.",
    "Parking enforcement near the clinic is too strict for people dropping off patients.",
    "It took a long time to get through on the non-emergency line.",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the model: one scorer object, the same cost for both bots ------------------------------------


@dataclass(frozen=True)
class Score:
    score: float
    label: str
    probabilities: dict[str, float]


class BurnScorer:
    """Stands in for the sentiment model: ``call_ms`` a forward pass plus ``text_ms`` a text of
    CPU, spent in hashlib (which, like torch, releases the GIL while it computes)."""

    model_name, revision = "bench-burn", "burn-1"

    def __init__(self, call_ms: float = 8.0, text_ms: float = 8.0) -> None:
        self.call_ms, self.text_ms = call_ms, text_ms
        self._chunk = os.urandom(64 * 1024)
        started, rounds = time.perf_counter(), 200
        for _ in range(rounds):
            hashlib.sha256(self._chunk).digest()
        self._chunks_per_ms = rounds / ((time.perf_counter() - started) * 1000)

    def _burn(self, ms: float) -> None:
        h = hashlib.sha256()
        for _ in range(max(1, round(ms * self._chunks_per_ms))):
            h.update(self._chunk)

    def score(self, texts: Sequence[str]) -> list[Score]:
        """Trustline's Scorer protocol (services.scoring.Scorer)."""
        self._burn(self.call_ms + self.text_ms * len(texts))
        return [Score(0.0, "neutral", {"negative": 0.2, "neutral": 0.6, "positive": 0.2}) for _ in texts]

    def __call__(self, text: str, **_: Any) -> list[list[dict[str, Any]]]:
        """The shape of ``transformers.pipeline("text-classification", top_k=None)(text)``."""
        (result,) = self.score([text])
        return [[{"label": k, "score": v} for k, v in result.probabilities.items()]]


@dataclass
class Model:
    name: str
    for_trustline: Any  # services.scoring.Scorer
    for_naive: Callable[..., Any]  # pipeline()-shaped callable


def load_model(real: bool) -> Model:
    if not real:
        burn = BurnScorer()
        return Model(f"stand-in ({burn.call_ms:g} ms a call + {burn.text_ms:g} ms a text of CPU)", burn, burn)
    from services.scoring import bot_nlp_settings, load_scorer

    nlp = bot_nlp_settings(NlpSettings(model=str(MODEL), offline=True))  # what `trustline run` uses
    return Model(f"{MODEL.name} (real)", load_scorer(nlp), naive_pipeline(nlp))


# --- running a bot in its own thread and event loop ---------------------------------------------


class BotThread:
    """A PTB Application polling the fake from its own thread and event loop."""

    def __init__(self, app: Any, allowed_updates: list[str] | None = None) -> None:
        self.app, self.allowed_updates = app, allowed_updates
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="bench-bot", daemon=True)

    def _run(self, coro: Coroutine[Any, Any, Any], timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self) -> None:
        self._thread.start()
        self._run(start_application(self.app, allowed_updates=self.allowed_updates))

    def stop(self) -> None:
        try:
            self._run(stop_application(self.app))
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
            self.loop.close()


# --- the two bots -------------------------------------------------------------------------------


class TrustlineBot:
    """The product, built as `trustline run` builds it, with the benchmark's scorer."""

    name = "Trustline"

    def __init__(self, api: FakeBotApi, workdir: Path, model: Model, messages: int) -> None:
        from bot import jobs, wiring
        from services.settings import Settings

        self.db = fresh_database(workdir, "trustline")
        settings = Settings(
            telegram={"token": api.token, "base_url": api.base_url, "base_file_url": api.base_file_url},
            storage={"url": self.db.url},
            privacy={"pseudonym_secret": "bench"},
            agency={"name": "Bench PD", "emergency_number": "911"},
            units=UNITS,
            conversation={
                "max_messages_per_submission": max(20, messages), "flood_messages_per_hour": max(30, messages),
            },
            nlp={"model": str(MODEL)},
        )
        with mock.patch.object(wiring, "scoring_startup", partial(jobs.scoring_startup, scorer=model.for_trustline)):
            app = wiring.build_full_application(settings, self.db)
        self.thread = BotThread(app, allowed_updates=Update.ALL_TYPES)

    def card_payloads(self) -> list[str]:
        """One deep-link token per unit, as printed on officers' cards and station posters."""
        from storage.units import UnitSpec, create_token, sync_units

        def make(session: Any) -> list[str]:
            units = sync_units(session, [UnitSpec(u["code"], u["name"], u["district"]) for u in UNITS])
            return [create_token(session, unit_id=u.id, label="bench").token for u in units]

        return self.db.call(make)

    def scored(self) -> int:
        from bot.runtime import runtime

        worker = runtime(self.thread.app).scoring
        return worker.scored_total if worker is not None else 0

    def stored(self) -> tuple[int, int]:
        """(messages stored, messages scored), from the database."""

        def count(session: Any) -> tuple[int, int]:
            total = session.exec(select(func.count()).select_from(FeedbackMessage)).one()
            scored = session.exec(
                select(func.count()).select_from(FeedbackMessage).where(FeedbackMessage.score_status == "scored")
            ).one()
            return int(total), int(scored)

        return self.db.call(count)

    def close(self) -> None:
        self.db.dispose()


class NaiveBot:
    """What a tutorial gets you: one handler for text, one for buttons, everything inline."""

    name = "naive"

    def __init__(self, api: FakeBotApi, workdir: Path, model: Model, messages: int) -> None:
        self.path = workdir / "naive.sqlite3"
        self.classifier = model.for_naive
        self.units = [u["name"] for u in UNITS]
        self.scored_count = 0
        db = sqlite3.connect(self.path, check_same_thread=False)
        db.executescript(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY, user_id INTEGER, unit TEXT, text TEXT,"
            " label TEXT, score REAL);"
            "CREATE TABLE submission (reference TEXT PRIMARY KEY, user_id INTEGER, unit TEXT, ratings TEXT,"
            " contact INTEGER);"
        )
        self.db = db
        app = (
            Application.builder().token(api.token).base_url(api.base_url).base_file_url(api.base_file_url)
            .rate_limiter(AIORateLimiter(max_retries=5))
            .build()
        )
        app.add_handler(MessageHandler(filters.TEXT, self.on_message))
        app.add_handler(CallbackQueryHandler(self.on_button))
        self.thread = BotThread(app)

    async def on_message(self, update: Update, context: Any) -> None:
        message, ud = update.message, context.user_data
        if message is None or message.text is None:
            return
        if message.text.startswith("/start"):
            ud.clear()
            buttons = [[InlineKeyboardButton("I agree", callback_data=kb.CONSENT_YES),
                        InlineKeyboardButton("No", callback_data=kb.CONSENT_NO)]]
            await message.reply_text(
                "Hello! This is the police feedback bot. Not for emergencies: call 911. "
                "Do you agree to the privacy notice?",
                reply_markup=InlineKeyboardMarkup(buttons),
            )
        elif message.text.startswith("/done") and ud.get("step") == "feedback":
            ud["step"], ud["ratings"] = "rating", {}
            await self.ask_rating(message.reply_text, 0)
        elif ud.get("step") == "feedback":
            result = self.classifier(message.text, truncation=True)  # pipeline() in the handler
            best = max(result[0] if isinstance(result[0], list) else result, key=lambda r: r["score"])
            self.db.execute(
                "INSERT INTO feedback (user_id, unit, text, label, score) VALUES (?, ?, ?, ?, ?)",
                (message.chat_id, ud.get("unit"), message.text, best["label"], best["score"]),
            )
            self.db.commit()
            self.scored_count += 1
            await message.reply_text("Saved ✓ Send more, or /done when you have finished.")
        else:
            await message.reply_text("Please use the buttons, or /start.")

    async def ask_rating(self, send: Callable[..., Any], index: int) -> None:
        item = RATING_ITEMS[index]
        numbers = [InlineKeyboardButton(str(v), callback_data=f"rate:{item}:{v}") for v in range(11)]
        markup = InlineKeyboardMarkup([numbers[:6], numbers[6:]])
        await send(f"{index + 1}/{len(RATING_ITEMS)} How would you rate: {item}?", reply_markup=markup)

    async def on_button(self, update: Update, context: Any) -> None:
        query, ud = update.callback_query, context.user_data
        assert query is not None and query.data is not None and query.message is not None
        send = query.message.reply_text  # type: ignore[union-attr]
        await query.answer()
        kind, _, rest = query.data.partition(":")
        if query.data == kb.CONSENT_YES:
            await query.edit_message_text("Thank you for agreeing.")
            units = [[InlineKeyboardButton(name, callback_data=f"unit:{i}")] for i, name in enumerate(self.units)]
            await send("Which unit was it?", reply_markup=InlineKeyboardMarkup(units))
        elif kind == "unit":
            ud["unit"], ud["step"] = self.units[int(rest)], "feedback"
            await query.edit_message_text(f"Unit: {ud['unit']}")
            await send("Tell us what happened. Send as many messages as you like, then /done.")
        elif kind == "rate" and ud.get("step") == "rating":
            item, _, value = rest.partition(":")
            ud["ratings"][item] = int(value)
            await query.edit_message_text(f"{item}: {value}/10")
            if len(ud["ratings"]) < len(RATING_ITEMS):
                await self.ask_rating(send, len(ud["ratings"]))
                return
            reference = "TL-" + "".join(random.choices("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", k=6))
            self.db.execute(
                "INSERT INTO submission (reference, user_id, unit, ratings) VALUES (?, ?, ?, ?)",
                (reference, query.message.chat.id, ud.get("unit"), json.dumps(ud["ratings"])),
            )
            self.db.commit()
            ud["step"] = "contact"
            await send(f"Thank you! Your reference is {reference}.")
            yes_no = [[InlineKeyboardButton("Yes", callback_data=f"contact:yes:{reference}"),
                       InlineKeyboardButton("No", callback_data=f"contact:no:{reference}")]]
            await send("May we contact you about it?", reply_markup=InlineKeyboardMarkup(yes_no))
        elif kind == "contact":
            choice, _, reference = rest.partition(":")
            self.db.execute("UPDATE submission SET contact = ? WHERE reference = ?", (choice == "yes", reference))
            self.db.commit()
            ud.clear()
            await query.edit_message_text("Thanks, we will be in touch." if choice == "yes" else "Thanks, noted.")

    def card_payloads(self) -> list[str]:
        return ["card"]  # a tutorial bot has no deep links: /start card still asks for the unit

    def scored(self) -> int:
        return self.scored_count

    def stored(self) -> tuple[int, int]:
        (total,) = self.db.execute("SELECT count(*) FROM feedback").fetchone()
        (scored,) = self.db.execute("SELECT count(*) FROM feedback WHERE label IS NOT NULL").fetchone()
        return int(total), int(scored)

    def close(self) -> None:
        self.db.close()


# --- a resident ---------------------------------------------------------------------------------


STEP_PREFIXES = ("consent:", "district:", "unit:", "rate:", "contact:")  # plus kb.SKIP, exactly


@dataclass
class Resident:
    """Reads the chat and presses what the step offers (by callback data), writes when asked."""

    api: FakeBotApi
    index: int
    texts: list[str]
    timeout: float
    burst: int = 1  # messages sent back to back before waiting for the bot's acknowledgement
    payload: str | None = None  # a card's deep link (/start PAYLOAD)
    settle: float = 0.3
    user: Any = None
    sent: int = 0
    pressed: set[tuple[int, str]] = field(default_factory=set)
    started: float = 0.0
    done_at: float | None = None
    reference_at: float | None = None
    reference: str | None = None
    finished_at: float | None = None
    contact_version: int | None = None
    ack_ms: list[float] = field(default_factory=list)
    unanswered: int = 0  # messages the bot did not answer within the timeout
    problem: str | None = None

    def __post_init__(self) -> None:
        self.user = self.api.user(f"Resident {self.index}")
        self.state = self.api.chat_state(self.user.id)
        self.consented = False
        self.unit_at: int | None = None  # version when the unit was chosen
        self.seen_at_done = (0, 0)

    def version(self) -> int:
        return len(self.state.inbox) + len(self.state.edit_log)

    async def wait_change(self, since: int, timeout: float) -> bool:
        try:
            await self.api.wait_until(lambda: self.version() != since, timeout)
            return True
        except AssertionError:
            return False

    def fresh_step_button(self) -> tuple[SentMessage, str] | None:
        """The newest message offering a step we have not taken yet, and the button to press."""
        for msg in reversed(self.state.inbox):
            if msg.deleted:
                continue
            datas = [b["callback_data"] for row in msg.inline_keyboard for b in row if "callback_data" in b]
            steps = [d for d in datas if d == kb.SKIP or d.startswith(STEP_PREFIXES)]
            if not steps or any((msg.message_id, d) in self.pressed for d in datas):
                continue
            return msg, self.choose(steps)
        return None

    def choose(self, datas: list[str]) -> str:
        i = self.index
        if kb.CONSENT_YES in datas:
            return kb.CONSENT_YES
        units = [d for d in datas if re.fullmatch(r"unit:\d+", d)]
        districts = [d for d in datas if d.startswith("district:")]
        ratings = [d for d in datas if re.fullmatch(r"rate:\w+:\d+", d)]
        contact = [d for d in datas if d.startswith("contact:")]
        if districts:
            return districts[i % len(districts)]
        if units:
            return units[i % len(units)]
        if ratings:
            return ratings[(i * 7 + len(self.pressed) * 3) % len(ratings)]
        if contact:
            wanted = "contact:yes:" if i % 3 == 0 else "contact:no:"
            return next((d for d in contact if d.startswith(wanted)), contact[0])
        return datas[0]  # kb.SKIP, or a step this driver does not know yet

    def done_button(self) -> SentMessage | None:
        for msg in reversed(self.state.inbox):
            if not msg.deleted and any(b.get("callback_data") == kb.DONE for row in msg.inline_keyboard for b in row):
                return msg
        return None

    async def press(self, msg: SentMessage, data: str) -> None:
        """``FakeUser.press`` by callback data instead of by label."""
        self.pressed.add((msg.message_id, data))
        query_id = f"{self.user.id}{self.api.new_id():08d}"
        self.api.register_query(CallbackQueryRecord(query_id, self.user.id, self.state.id, msg.message_id, data))
        self.api.push_update(
            "callback_query",
            {"id": query_id, "from": self.user.to_json(), "message": self.api.message_json(msg),
             "chat_instance": str(self.state.id * 31), "data": data},
        )

    def look_for_reference(self) -> None:
        """The first message sent, or edited, after the resident ended that shows the reference."""
        if self.done_at is None or self.reference_at is not None:
            return
        for msg in [*self.state.inbox[self.seen_at_done[0] :], *self.state.edit_log[self.seen_at_done[1] :]]:
            found = REFERENCE.search(msg.text_or_caption or "")
            data = [b.get("callback_data", "") for row in msg.inline_keyboard for b in row]
            contact = next((d for d in data if d.startswith("contact:")), None)
            if found or contact:
                self.reference = found.group(0) if found else contact.rsplit(":", 1)[-1]  # type: ignore[union-attr]
                self.reference_at = time.perf_counter()
                return

    async def run(self) -> None:
        self.started = time.perf_counter()
        deadline = self.started + self.timeout
        version_at_text: int | None = None
        text_sent_at = 0.0
        await self.user.send("/start" if self.payload is None else f"/start {self.payload}")
        while self.finished_at is None:
            now = time.perf_counter()
            if now > deadline:
                got = "a reference" if self.reference else "no reference"
                self.problem = f"gave up after {self.timeout:g} s ({self.sent} messages sent, {got})"
                return
            seen = self.version()
            self.look_for_reference()
            if self.contact_version is not None:
                if seen > self.contact_version:
                    self.finished_at = time.perf_counter()
                    return
                await self.wait_change(seen, deadline - now)
                continue
            waiting_for_ack = version_at_text is not None and seen == version_at_text
            if waiting_for_ack and now - text_sent_at > min(30.0, self.timeout / 3):
                self.unanswered += 1  # the bot never answered that message: carry on regardless
                waiting_for_ack, version_at_text = False, None
            if waiting_for_ack:
                await self.wait_change(seen, min(deadline, text_sent_at + 30.0) - now)
                continue
            if version_at_text is not None:
                self.ack_ms.append((now - text_sent_at) * 1000)
                version_at_text = None
            step = self.fresh_step_button()
            if step is not None:
                msg, data = step
                self.consented = self.consented or data == kb.CONSENT_YES
                if data == kb.CONSENT_YES and self.payload is not None and self.unit_at is None:
                    self.unit_at = seen  # the card named the unit (a bot that still asks is answered next)
                if data.startswith(("unit:", "district:")):
                    self.unit_at = seen  # the story comes after the unit; the bot's answer moves `seen`
                if data.startswith("contact:"):
                    self.contact_version = seen
                await self.press(msg, data)
            elif self.sent < len(self.texts) and self.unit_at is not None:
                # First message: once the bot answered the unit choice (a new question or the same
                # message edited in place) and then stayed quiet for a moment.
                if self.sent == 0 and (seen == self.unit_at or await self.wait_change(seen, self.settle)):
                    if seen == self.unit_at:
                        await self.wait_change(seen, deadline - now)
                    continue
                text_sent_at, version_at_text = time.perf_counter(), self.version()
                for _ in range(min(self.burst, len(self.texts) - self.sent)):
                    await self.user.send(self.texts[self.sent])
                    self.sent += 1
                continue
            elif self.sent >= len(self.texts) and self.done_at is None:
                self.done_at = time.perf_counter()
                self.seen_at_done = (len(self.state.inbox), len(self.state.edit_log))
                done = self.done_button()
                if done is not None:
                    await self.press(done, kb.DONE)
                else:
                    await self.user.send("/done")
            await self.wait_change(seen if step is None else self.version(), deadline - time.perf_counter())


# --- one bot under load --------------------------------------------------------------------------


def pct(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def peak_in_window(times: Sequence[float], window: float = 1.0) -> int:
    ordered, best, start = sorted(times), 0, 0
    for end, t in enumerate(ordered):
        while t - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run_bot(
    kind: type[TrustlineBot] | type[NaiveBot], model: Model, args: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    texts = [[TEXTS[(i * args.messages + j) % len(TEXTS)] for j in range(args.messages)] for i in range(args.residents)]
    async with FakeBotApi() as api:
        bot = kind(api, workdir, model, args.messages)
        await asyncio.to_thread(bot.thread.start)
        try:
            cards = bot.card_payloads() if args.deep_link else []
            residents = [
                Resident(api, i, texts[i], timeout=args.timeout, burst=args.burst, payload=cards[i % len(cards)] if cards else None)
                for i in range(args.residents)
            ]
            first_call = len(api.calls)
            started = time.perf_counter()
            planned = args.residents * args.messages
            all_scored_at: list[float] = []

            async def watch_scoring() -> None:
                while bot.scored() < planned:
                    await asyncio.sleep(0.02)
                all_scored_at.append(time.perf_counter())

            watcher = asyncio.create_task(watch_scoring())
            await asyncio.gather(*(r.run() for r in residents))
            residents_done = time.perf_counter()
            try:
                await asyncio.wait_for(watcher, timeout=30)
            except TimeoutError:
                pass
            await settled(api)  # the last confirmations and edits land before calls are counted
            calls = [c for c in api.calls[first_call:] if c.method != "getUpdates"]
            polls = sum(1 for c in api.calls[first_call:] if c.method == "getUpdates")
        finally:
            await asyncio.to_thread(bot.thread.stop)
        stored, scored = await asyncio.to_thread(bot.stored)
        bot.close()
    sent = sum(r.sent for r in residents)
    complete = [r for r in residents if r.finished_at is not None]
    latencies = [(r.reference_at - r.done_at) * 1000 for r in residents if r.reference_at and r.done_at]
    # Done to the last answer (ratings and contact choice taken in): the whole tail, whatever the
    # order in which a bot shows the reference and asks its questions.
    tails = [(r.finished_at - r.done_at) * 1000 for r in complete if r.done_at]  # type: ignore[operator]
    durations = [r.finished_at - r.started for r in complete]  # type: ignore[operator]
    with_chat = [c for c in calls if "chat_id" in c.params]
    per_chat: dict[Any, list[float]] = defaultdict(list)
    for c in with_chat:
        per_chat[str(c.params["chat_id"])].append(c.time)
    acks = [ms for r in residents for ms in r.ack_ms]
    return {
        "bot": bot.name,
        "residents": args.residents, "completed": len(complete),
        "problems": [f"resident {r.index}: {r.problem}" for r in residents if r.problem],
        "calls_with_chat_id": len(with_chat), "calls_all": len(calls), "get_updates": polls,
        "calls_with_chat_id_per_submission": round(len(with_chat) / args.residents, 2),
        "calls_all_per_submission": round(len(calls) / args.residents, 2),
        "calls_by_method": dict(Counter(c.method for c in calls).most_common()),
        "failed_calls": len([c for c in calls if not c.ok]),
        "peak_calls_per_s_global": peak_in_window([c.time for c in with_chat]),
        "peak_calls_per_s_one_chat": max((peak_in_window(t) for t in per_chat.values()), default=0),
        "done_to_reference_ms": {"p50": _round(pct(latencies, 50)), "p95": _round(pct(latencies, 95)),
                                 "max": _round(max(latencies, default=None)), "n": len(latencies)},
        "done_to_last_answer_ms": {"p50": _round(pct(tails, 50)), "p95": _round(pct(tails, 95)), "n": len(tails)},
        "message_ack_ms": {"p50": _round(pct(acks, 50)), "p95": _round(pct(acks, 95)), "n": len(acks)},
        "submission_s": {"p50": _round(pct(durations, 50), 2), "p95": _round(pct(durations, 95), 2)},
        "all_residents_done_s": round(residents_done - started, 2),
        "all_scored_s": round(all_scored_at[0] - started, 2) if all_scored_at else None,
        "messages_sent": sent, "messages_stored": stored, "messages_scored": scored,
        "messages_lost": sent - stored, "unanswered_messages": sum(r.unanswered for r in residents),
    }


async def settled(api: FakeBotApi, quiet: float = 0.5, limit: float = 10.0) -> None:
    """Wait until the bot has made no call but ``getUpdates`` for ``quiet`` seconds."""
    until = time.perf_counter() + limit
    count = -1
    while time.perf_counter() < until:
        now = sum(1 for c in api.calls if c.method != "getUpdates")
        if now == count:
            return
        count = now
        await asyncio.sleep(quiet)


def _round(value: float | None, digits: int = 0) -> float | None:
    return None if value is None else round(value, digits)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    model = load_model(args.real_model)
    command = f"python bench/submissions.py --residents {args.residents} --messages {args.messages}"
    command += f" --burst {args.burst}" if args.burst != 1 else ""
    command += " --deep-link" if args.deep_link else ""
    command += " --real-model" if args.real_model else ""
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "command": command,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "model": model.name, "database": "SQLite (a temporary file per bot)",
        "rate_limits": "the fake Bot API enforces none; both bots' AIORateLimiter (30 calls/s with a chat_id, "
                       "20/min per group, no per-private-chat limit) shapes the timing",
        "bots": {},
    }
    order = [NaiveBot, TrustlineBot] if args.naive_first else [TrustlineBot, NaiveBot]
    with tempfile.TemporaryDirectory(prefix="trustline-bench-submissions-") as tmp:
        for kind in order:
            log(f"{kind.name}: {args.residents} residents x {args.messages} messages ...")
            figures = await run_bot(kind, model, args, Path(tmp))
            results["bots"][kind.name] = figures
            p95 = figures["done_to_reference_ms"]["p95"]
            log(f"  done in {figures['all_residents_done_s']} s; p95 /done -> reference {p95} ms")
    results["targets"] = targets(results["bots"]["Trustline"], results["bots"]["naive"])
    return results


def targets(ours: dict[str, Any], naive: dict[str, Any]) -> list[dict[str, Any]]:
    p95, naive_p95 = ours["done_to_reference_ms"]["p95"], naive["done_to_reference_ms"]["p95"]
    ratio = p95 / naive_p95 if p95 is not None and naive_p95 else None
    calls = ours["calls_with_chat_id_per_submission"]
    return [
        {"target": f"Trustline calls with a chat_id per submission <= {TARGET_CALLS}",
         "measured": calls, "pass": calls <= TARGET_CALLS},
        {"target": "Trustline /done -> reference p95 <= 1/3 of the naive bot's (ratio)",
         "measured": None if ratio is None else round(ratio, 2),
         "pass": ratio is not None and ratio <= TARGET_P95_RATIO},
        {"target": "nothing lost (every message sent is stored, every submission completes)",
         "measured": f"{ours['messages_lost']} lost, {ours['completed']}/{ours['residents']} complete",
         "pass": ours["messages_lost"] == 0 and ours["completed"] == ours["residents"]},
    ]


def markdown(r: dict[str, Any]) -> str:
    bots = r["bots"]
    names = list(bots)

    def row(label: str, get: Callable[[dict[str, Any]], Any]) -> str:
        return f"| {label} | " + " | ".join(_fmt(get(bots[n])) for n in names) + " |"

    lines = [
        f"Run: `{r['command']}` on {r['date']}; {r['machine']}; model: {r['model']}; {r['database']}.",
        f"Rate limits: {r['rate_limits']}.",
        "",
        "| per bot | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
        row("Bot API calls with a chat_id, per submission", lambda b: b["calls_with_chat_id_per_submission"]),
        row("Bot API calls in all, per submission (getUpdates apart)", lambda b: b["calls_all_per_submission"]),
        row("`/done` → reference p50 ms", lambda b: b["done_to_reference_ms"]["p50"]),
        row("`/done` → reference p95 ms", lambda b: b["done_to_reference_ms"]["p95"]),
        row("`/done` → last answer taken in (ratings, contact) p95 ms", lambda b: b["done_to_last_answer_ms"]["p95"]),
        row("message → bot's answer p95 ms", lambda b: b["message_ack_ms"]["p95"]),
        row("whole submission p95 s", lambda b: b["submission_s"]["p95"]),
        row("every resident done, s from start", lambda b: b["all_residents_done_s"]),
        row("every message scored, s from start", lambda b: b["all_scored_s"]),
        row("messages sent / stored / lost",
            lambda b: f"{b['messages_sent']} / {b['messages_stored']} / {b['messages_lost']}"),
        row("submissions completed", lambda b: f"{b['completed']}/{b['residents']}"),
        row("peak calls/s, all chats (any 1 s)", lambda b: b["peak_calls_per_s_global"]),
        row("peak calls/s, one chat (any 1 s)", lambda b: b["peak_calls_per_s_one_chat"]),
        row("failed Bot API calls", lambda b: b["failed_calls"]),
        "",
    ]
    for t in r["targets"]:
        lines.append(f"- {'PASS' if t['pass'] else 'FAIL'}: {t['target']} (measured: {t['measured']})")
    for n in names:
        for problem in bots[n]["problems"][:5]:
            lines.append(f"- {n}: {problem}")
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=30, help="residents starting at once (default 30)")
    parser.add_argument("--messages", type=int, default=6, help="messages each resident sends (default 6)")
    parser.add_argument("--burst", type=int, default=1,
                        help="messages a resident sends back to back before waiting for the bot's answer (default 1)")
    parser.add_argument("--deep-link", action="store_true",
                        help="residents arrive by a card's QR code (/start TOKEN): the unit is known (the naive bot still asks)")
    parser.add_argument("--real-model", action="store_true", help=f"score with the real model at {MODEL}")
    parser.add_argument("--naive-first", action="store_true", help="run the naive bot first (default: Trustline first)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a resident may take in all (default 120)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    # "Nobody to handle it": there are no staff here, on purpose. Restored afterwards, because the
    # smoke test calls main() inside the test process.
    quiet = [logging.getLogger(name) for name in ("bot.followups", "bot.case_prompts")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    try:
        results = asyncio.run(run(args))
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(markdown(results))
    return results


if __name__ == "__main__":
    main()
