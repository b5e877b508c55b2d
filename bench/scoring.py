"""Scoring benchmark: naive per-message pipeline vs Trustline's batched worker, and what residents feel.

    python bench/scoring.py            # full run (~5 min on 2 cores): 5,000 messages
    python bench/scoring.py --quick    # small run (~1 min): 500 messages, short phases

Same model, same torch thread count, same process, one run; figures are meant to be read as
ratios side by side. Phases:

1. throughput, backlog of N real short messages (VADER tweets + UCI sentences, read in place
   from /work/shared/data/sentiment):
   a. naive: one ``transformers.pipeline()`` call per message;
   b. Trustline's worker: messages stored as 'pending' in a database, :class:`ScoringWorker`
      claims, scores and writes them (rollup hook included), exactly as in the bot;
2. latency at a steady 50 messages/s offered load (arrival -> score stored/available), both ways;
3. residents' acknowledgement latency through the fake Bot API (real PTB Application, real
   handlers), residents sending 20 messages/s in total, with no scorer and with the scorer
   saturated (the worker draining a backlog of N messages, faster than 50 messages/s, for the
   whole phase). Not 50 residents' messages/s: the bot's rate limiter (AIORateLimiter, like
   Telegram itself) sends at most 30 messages/s, so acknowledgements beyond that queue
   whatever the scorer does.

Prints a Markdown table (and ``--json PATH`` writes the raw figures).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sqlalchemy import func  # noqa: E402
from sqlmodel import select  # noqa: E402

from nlp.settings import NlpSettings  # noqa: E402
from services.scoring import ScoringOptions, ScoringWorker, bot_nlp_settings, load_scorer  # noqa: E402
from storage.db import Database, upgrade  # noqa: E402
from storage.models import FeedbackMessage, Resident, Submission, utcnow  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data" / "sentiment"
MODEL = SHARED / "models" / "minilm-sentiment-en"
RATE = 50.0  # messages per second, offered load in phase 2


# --- data --------------------------------------------------------------------------------------


def load_messages(n: int, seed: int = 0) -> list[str]:
    """``n`` short real messages: all VADER ground-truth tweets, then UCI sentences; shuffled."""
    texts: list[str] = []
    for line in (DATA / "vader-ground-truth" / "tweets_GroundTruth.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3 and parts[2].strip():
            texts.append(html.unescape(parts[2].strip()))
    for name in ("amazon_cells_labelled.txt", "yelp_labelled.txt", "imdb_labelled.txt"):
        for line in (DATA / "uci-sentences" / name).read_text(encoding="utf-8", errors="replace").splitlines():
            text = line.rsplit("\t", 1)[0].strip()
            if text:
                texts.append(text)
    if len(texts) < n:
        raise SystemExit(f"only {len(texts)} messages available, {n} requested")
    chosen = texts[:n]
    random.Random(seed).shuffle(chosen)
    return chosen


# --- statistics --------------------------------------------------------------------------------


@dataclass
class Figures:
    name: str
    messages: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name, "messages": self.messages, "seconds": round(self.seconds, 2),
            "per_second": round(self.per_second, 1), "p50_ms": round(self.pct(50), 1), "p95_ms": round(self.pct(95), 1),
            "max_ms": round(max(self.latencies_ms), 1) if self.latencies_ms else None,
        }


# --- database helpers --------------------------------------------------------------------------


def fresh_database(workdir: Path, name: str) -> Database:
    """A new, migrated SQLite file per phase (the setup a single-process deployment uses)."""
    url = f"sqlite:///{workdir / (name + '.sqlite3')}"
    upgrade(url)
    return Database(url)


def seed(db: Database, texts: Sequence[str], per_resident: int = 5, tag: str = "b") -> list[int]:
    """Store ``texts`` as pending messages from many residents (as real traffic looks)."""

    def add(session: Any) -> list[int]:
        rows: list[FeedbackMessage] = []
        for start in range(0, len(texts), per_resident):
            resident = Resident(pseudonym=f"{tag}-{start}", consented_at=utcnow())
            session.add(resident)
            session.flush()
            sub = Submission(reference=f"{tag}{start}"[:16], resident_id=resident.id, status="submitted")  # type: ignore[arg-type]
            session.add(sub)
            session.flush()
            for i, text in enumerate(texts[start : start + per_resident]):
                rows.append(
                    FeedbackMessage(
                        submission_id=sub.id, resident_id=resident.id, telegram_message_id=start + i,  # type: ignore[arg-type]
                        text=text, redacted_text=text,
                    )
                )
        session.add_all(rows)
        session.flush()
        return [r.id for r in rows]  # type: ignore[misc]

    return db.call(add)


# --- phase 1 and 2: naive pipeline ----------------------------------------------------------


def naive_pipeline(nlp: NlpSettings) -> Any:
    from transformers import pipeline

    pipe = pipeline("text-classification", model=nlp.model, tokenizer=nlp.model, top_k=None, device="cpu")
    pipe("warm up", truncation=True, max_length=nlp.max_length)
    return pipe


def naive_backlog(pipe: Any, texts: Sequence[str], nlp: NlpSettings) -> Figures:
    latencies = []
    started = time.perf_counter()
    for text in texts:
        t0 = time.perf_counter()
        pipe(text, truncation=True, max_length=nlp.max_length)
        latencies.append((time.perf_counter() - t0) * 1000)
    return Figures("naive: pipeline() per message", len(texts), time.perf_counter() - started, latencies)


def naive_at_rate(pipe: Any, texts: Sequence[str], nlp: NlpSettings, rate: float) -> Figures:
    """One FIFO server fed at ``rate``/s: latency = arrival -> result (includes queueing)."""
    latencies = []
    started = time.perf_counter()
    for i, text in enumerate(texts):
        arrival = started + i / rate
        now = time.perf_counter()
        if now < arrival:
            time.sleep(arrival - now)
        pipe(text, truncation=True, max_length=nlp.max_length)
        latencies.append((time.perf_counter() - arrival) * 1000)
    return Figures(f"naive at {rate:g} msg/s", len(texts), time.perf_counter() - started, latencies)


# --- phase 1 and 2: Trustline's worker -------------------------------------------------------


async def worker_backlog(db: Database, scorer: Any, options: ScoringOptions, texts: Sequence[str]) -> Figures:
    seed(db, texts)
    worker = ScoringWorker(db, scorer, options)
    started = time.perf_counter()
    worker.start()
    while worker.scored_total < len(texts):
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - started
    await worker.stop()
    per_message = elapsed / len(texts) * 1000
    return Figures(f"Trustline worker (batch {options.batch_size})", len(texts), elapsed, [per_message])


async def worker_at_rate(db: Database, scorer: Any, options: ScoringOptions, texts: Sequence[str], rate: float) -> Figures:
    """Messages stored one by one at ``rate``/s (as the handler does), worker woken each time."""
    arrivals: dict[int, float] = {}
    done: dict[int, float] = {}

    async def on_scored(ids: list[int]) -> None:
        now = time.perf_counter()
        for i in ids:
            done[i] = now

    worker = ScoringWorker(db, scorer, options, on_scored=lambda: on_scored)
    worker.start()
    started = time.perf_counter()
    for i, text in enumerate(texts):
        arrival = started + i / rate
        delay = arrival - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        t_arrive = time.perf_counter()
        (mid,) = await db.run(lambda s, t=text, n=i: _store_one(s, t, n))
        arrivals[mid] = t_arrive
        worker.wake()
    while len(done) < len(texts):
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - started
    await worker.stop()
    latencies = [(done[m] - arrivals[m]) * 1000 for m in arrivals]
    return Figures(f"Trustline worker at {rate:g} msg/s", len(texts), elapsed, latencies)


def _store_one(session: Any, text: str, n: int, per_resident: int = 5) -> list[int]:
    """One message as the handler stores it; five per resident, as many residents write at once."""
    reference = f"RATE{n // per_resident}"
    sub = session.exec(select(Submission).where(Submission.reference == reference)).first()
    if sub is None:
        resident = Resident(pseudonym=reference, consented_at=utcnow())
        session.add(resident)
        session.flush()
        sub = Submission(reference=reference, resident_id=resident.id, status="submitted")
        session.add(sub)
        session.flush()
    row = FeedbackMessage(
        submission_id=sub.id, resident_id=sub.resident_id, telegram_message_id=n, text=text, redacted_text=text
    )
    session.add(row)
    session.flush()
    return [row.id]  # type: ignore[list-item]


# --- phase 3: residents through the fake Bot API ---------------------------------------------


async def acknowledgements(
    workdir: Path, name: str, scorer: Any | None, options: ScoringOptions,
    backlog: Sequence[str], texts: Sequence[str], rate: float, residents: int = 10,
) -> tuple[Figures, dict[str, Any]]:
    """Residents send feedback at ``rate``/s in total; latency = send -> the bot's "Saved" reply."""
    from bot.app import build_application
    from bot.jobs import scoring_startup
    from bot.runtime import runtime
    from fakeapi import FakeBotApi
    from services.settings import Settings

    db = fresh_database(workdir, name)
    if backlog:
        seed(db, backlog, tag=name[:4])
    async with FakeBotApi() as api:
        settings = Settings(
            telegram={"token": api.token, "base_url": api.base_url, "base_file_url": api.base_file_url},
            storage={"url": db.url},
            privacy={"pseudonym_secret": "bench"},
            units=[{"code": "D1", "name": "District 1 Patrol", "district": "North"}],
            conversation={"flood_messages_per_hour": 1_000_000, "max_messages_per_submission": 1_000_000},
            nlp={"model": str(MODEL)},
        )
        steps = [scoring_startup(settings, scorer=scorer, options=options)] if scorer is not None else []
        app = build_application(settings, db, extra_startup=steps)
        await app.initialize()
        await app.post_init(app)  # type: ignore[misc]
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)  # type: ignore[union-attr]
        worker = runtime(app).scoring
        try:
            users = [api.user(first_name=f"R{i}") for i in range(residents)]
            await asyncio.gather(*(_reach_feedback(u) for u in users))
            scored_before = worker.scored_total if worker else 0
            latencies: list[float] = []
            per_user = [texts[i::residents] for i in range(residents)]
            started = time.perf_counter()

            async def resident(k: int) -> None:
                for j, text in enumerate(per_user[k]):
                    due = started + (j * residents + k) / rate
                    delay = due - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    t0 = time.perf_counter()
                    await users[k].send(text)
                    reply = await users[k].next_message(timeout=30)
                    while "Saved" not in reply.text:
                        reply = await users[k].next_message(timeout=30)
                    latencies.append((time.perf_counter() - t0) * 1000)

            await asyncio.gather(*(resident(k) for k in range(residents)))
            elapsed = time.perf_counter() - started
            extra = {
                "scored_during": (worker.scored_total - scored_before) if worker else 0,
                "scoring_rate": round(((worker.scored_total - scored_before) / elapsed) if worker else 0.0, 1),
                "backlog_left": db.call(
                    lambda s: s.exec(
                        select(func.count())
                        .select_from(FeedbackMessage)
                        .where(FeedbackMessage.score_status == "pending")
                    ).one()
                ),
            }
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()
            await app.shutdown()
            await app.post_shutdown(app)  # type: ignore[misc]
    db.dispose()
    label = "scorer saturated" if scorer is not None else "no scorer"
    return Figures(f"ack latency, {label}", len(texts), elapsed, latencies), extra


async def _reach_feedback(user: Any) -> None:
    await user.send("/start")
    await user.press((await user.next_message(timeout=30)).buttons[0])
    await user.next_message(timeout=30)  # one district: straight to units
    await user.press("District 1 Patrol")
    await user.next_message(timeout=30)
    await user.press("Skip")
    await user.next_message(timeout=30)


# --- main --------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    n = args.messages or (500 if args.quick else 5000)
    rate_n = args.rate_messages or (150 if args.quick else 1500)
    ack_n = int(args.ack_rate * (8 if args.quick else 30))
    texts = load_messages(max(n, rate_n))
    base = NlpSettings(model=str(args.model), offline=True, **({"torch_threads": args.threads} if args.threads else {}))
    nlp = bot_nlp_settings(base)  # exactly what `trustline run` uses
    scorer = load_scorer(nlp)
    threads = torch.get_num_threads()
    options = ScoringOptions.from_settings(nlp)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python bench/scoring.py" + (" --quick" if args.quick else ""),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch threads {threads}",
        "model": str(args.model),
        "batch_size": options.batch_size,
        "batch_wait_ms": options.batch_wait_ms,
        "messages": n,
        "db": "SQLite (temporary file per phase)",
        "ack_rate": args.ack_rate,
        "claim_batches": options.claim_batches,
    }
    with tempfile.TemporaryDirectory(prefix="trustline-bench-") as tmp:
        work = Path(tmp)
        log(f"phase 1: throughput on {n} messages ({threads} torch threads), {args.rounds} interleaved rounds")
        pipe = naive_pipeline(nlp)
        naive = Figures("naive: pipeline() per message", 0, 0.0)
        batched = Figures(f"Trustline worker (batch {options.batch_size})", 0, 0.0)
        # Alternate the two on equal slices so both see the same background load (shared machine).
        for k in range(args.rounds):
            part = texts[:n][k :: args.rounds]
            a = naive_backlog(pipe, part, nlp)
            b = await worker_backlog(fresh_database(work, f"p1-{k}"), scorer, options, part)
            for total, one in ((naive, a), (batched, b)):
                total.messages += one.messages
                total.seconds += one.seconds
                total.latencies_ms += one.latencies_ms
            log(f"  round {k + 1}: naive {a.per_second:.1f} msg/s, worker {b.per_second:.1f} msg/s")
        log(f"phase 2: latency at {RATE:g} msg/s on {rate_n} messages")
        naive_rate = naive_at_rate(pipe, texts[:rate_n], nlp, RATE)
        del pipe
        worker_rate = await worker_at_rate(fresh_database(work, "p2"), scorer, options, texts[:rate_n], RATE)
        log(f"  naive p95 {naive_rate.pct(95):.0f} ms, worker p95 {worker_rate.pct(95):.0f} ms")
        ack_rate = args.ack_rate
        log(f"phase 3: resident acknowledgements at {ack_rate:g} msg/s ({ack_n} messages)")
        ack_idle, idle_extra = await acknowledgements(work, "ack0", None, options, [], texts[:ack_n], ack_rate)
        backlog = (texts * 4)[: max(n, 2000)]  # enough to keep the worker busy for the whole phase
        ack_busy, busy_extra = await acknowledgements(work, "ack1", scorer, options, backlog, texts[:ack_n], ack_rate)
        log(f"  ack p95 idle {ack_idle.pct(95):.0f} ms, saturated {ack_busy.pct(95):.0f} ms ({busy_extra})")
    results["phases"] = {
        "naive_backlog": naive.summary(),
        "worker_backlog": batched.summary(),
        "naive_at_rate": naive_rate.summary(),
        "worker_at_rate": worker_rate.summary(),
        "ack_no_scorer": ack_idle.summary(),
        "ack_scorer_saturated": {**ack_busy.summary(), **busy_extra},
    }
    results["ratios"] = {
        "throughput_worker_over_naive": round(batched.per_second / naive.per_second, 2),
        "ack_p95_saturated_over_idle": round(ack_busy.pct(95) / ack_idle.pct(95), 2),
    }
    return results


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def markdown(r: dict[str, Any]) -> str:
    p = r["phases"]
    lines = [
        f"Run: `{r['command']}` on {r['date']}; {r['machine']}; model {Path(r['model']).name}; "
        f"batch {r['batch_size']} (claims of {r['batch_size'] * r['claim_batches']}), wait {r['batch_wait_ms']} ms; database {r['db']}.",
        "",
        "| Measurement | Messages | msg/s | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    rows = [
        ("Backlog, naive `pipeline()` per message", p["naive_backlog"]),
        ("Backlog, Trustline worker (claim + score + store)", p["worker_backlog"]),
        (f"{RATE:g} msg/s offered, naive (arrival → result)", p["naive_at_rate"]),
        (f"{RATE:g} msg/s offered, Trustline worker (arrival → stored score)", p["worker_at_rate"]),
        (f"Resident acknowledgement at {r['ack_rate']:g} msg/s, no scorer", p["ack_no_scorer"]),
        (f"Resident acknowledgement at {r['ack_rate']:g} msg/s, scorer saturated", p["ack_scorer_saturated"]),
    ]
    for label, f in rows:
        p50 = "–" if "Backlog, Trustline" in label else f"{f['p50_ms']:.0f}"
        p95 = "–" if "Backlog, Trustline" in label else f"{f['p95_ms']:.0f}"
        lines.append(f"| {label} | {f['messages']} | {f['per_second']:.1f} | {p50} | {p95} |")
    sat = p["ack_scorer_saturated"]
    lines += [
        "",
        f"Throughput ratio worker / naive: **{r['ratios']['throughput_worker_over_naive']:.2f}×**. "
        f"Acknowledgement p95 saturated / idle: **{r['ratios']['ack_p95_saturated_over_idle']:.2f}×** "
        f"(the worker scored {sat['scored_during']} backlog messages, {sat['scoring_rate']} msg/s, during that phase; "
        f"{sat['backlog_left']} still pending at its end).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small run (500 messages, short phases)")
    parser.add_argument("--model", type=Path, default=MODEL, help="model directory (default: the shared MiniLM model)")
    parser.add_argument("--messages", type=int, help="backlog size (default 5000, --quick 500)")
    parser.add_argument("--rate-messages", type=int, help="messages in the 50 msg/s phase (default 1500, --quick 150)")
    parser.add_argument("--threads", type=int, help="torch threads (default: what the bot uses, cores - 1)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved naive/worker rounds in phase 1 (default 5)")
    parser.add_argument(
        "--ack-rate",
        type=float,
        default=20.0,
        help="residents' messages/s in phase 3 (default 20: the bot's rate limiter, like Telegram, sends at most 30 messages/s)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    results = asyncio.run(run(args))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
