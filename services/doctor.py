"""``trustline doctor``: is this installation ready to serve residents? One line per check, with the fix.

Each check is ✓ (fine), ⚠ (works, but something is missing or was not checked) or ✗ (the bot
would fail, or fail residents: no token, no database, alerts with nowhere to go). The checks run
in the order a new installation gets them right, and a check that depends on an earlier one
(the duty chat needs a working token) says so instead of failing twice.

``trustline run`` reuses the cheap ones (:func:`verify_telegram`) before it loads the model, so a
wrong token costs a second, not a minute of model loading.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from telegram import Bot, User
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from services.settings import ConfigError, Settings
from storage.db import Database, DatabaseNotReady, check_migrated

Status = Literal["ok", "warn", "fail"]
SYMBOLS: dict[Status, str] = {"ok": "✓", "warn": "⚠", "fail": "✗"}

EXAMPLE_CONFIG = Path(__file__).resolve().parents[1] / "config.example.toml"
TOKEN_SHAPE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,200}$")
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Check:
    status: Status
    title: str
    fix: str = ""

    def lines(self) -> list[str]:
        out = [f"{SYMBOLS[self.status]} {self.title}"]
        if self.fix:
            first, *rest = self.fix.splitlines()
            out.append(f"  → {first}")
            out += [f"    {line}" for line in rest]
        return out


def ok(title: str) -> Check:
    return Check("ok", title)


def warn(title: str, fix: str = "") -> Check:
    return Check("warn", title, fix)


def fail(title: str, fix: str) -> Check:
    return Check("fail", title, fix)


# --- Telegram ------------------------------------------------------------------------------------


class TelegramUnavailable(Exception):
    """The token is malformed or rejected, or the Bot API cannot be reached: one line saying which."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem} {fix}")
        self.problem, self.fix = problem, fix


def token_problem(settings: Settings) -> TelegramUnavailable | None:
    token = settings.telegram.token.get_secret_value().strip() if settings.telegram.token else ""
    if not token:
        return TelegramUnavailable(
            "No Telegram bot token configured.",
            "Talk to @BotFather, send /newbot, and put the token in TRUSTLINE_TELEGRAM__TOKEN.",
        )
    if not TOKEN_SHAPE.match(token):
        # Never echo the value: it may be a real token pasted with a typo.
        return TelegramUnavailable(
            "The Telegram token does not look like one from @BotFather (digits, a colon, then letters, "
            "digits, '_' or '-').",
            "Check TRUSTLINE_TELEGRAM__TOKEN.",
        )
    return None


def _bot(settings: Settings, timeout: float) -> Bot:
    tg = settings.telegram
    request = HTTPXRequest(connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout, pool_timeout=timeout)
    return Bot(
        tg.token.get_secret_value().strip(),  # type: ignore[union-attr]
        base_url=tg.base_url,
        base_file_url=tg.base_file_url,
        request=request,
    )


def _unreachable(settings: Settings, exc: NetworkError) -> TelegramUnavailable:
    reason = "timed out" if isinstance(exc, TimedOut) else exc.message.rstrip(".")
    return TelegramUnavailable(
        f"Cannot reach Telegram at {settings.telegram.base_url}: {reason}.", "Check the network or telegram.base_url."
    )


async def get_me(
    settings: Settings, *, timeout: float = DEFAULT_TIMEOUT, duty_chat: bool = False
) -> tuple[User, str | None]:
    """``getMe`` (and, with ``duty_chat``, ``getChat`` on agency.duty_chat_id: its problem or None).

    Raises :class:`TelegramUnavailable` with the line to show; never a message holding the token.
    """
    problem = token_problem(settings)
    if problem is not None:
        raise problem
    try:
        async with _bot(settings, timeout) as bot:  # initialize() is getMe
            me = bot.bot
            chat_problem = None
            if duty_chat and settings.agency.duty_chat_id is not None:
                try:
                    await bot.get_chat(settings.agency.duty_chat_id)
                except TelegramError as exc:
                    chat_problem = exc.message
            return me, chat_problem
    except InvalidToken:
        raise TelegramUnavailable(
            "Telegram rejected the token (getMe: Unauthorized).", "Check TRUSTLINE_TELEGRAM__TOKEN."
        ) from None
    except NetworkError as exc:  # BadRequest included: a base_url that is not a Bot API server
        raise _unreachable(settings, exc) from None


def verify_telegram(settings: Settings, *, timeout: float = DEFAULT_TIMEOUT) -> User:
    """The start-up check of ``trustline run``: token shape, then ``getMe``."""
    me, _ = asyncio.run(get_me(settings, timeout=timeout))
    return me


def _telegram_checks(settings: Settings, timeout: float) -> list[Check]:
    try:
        me, chat_problem = asyncio.run(get_me(settings, timeout=timeout, duty_chat=True))
    except TelegramUnavailable as exc:
        return [fail(exc.problem, exc.fix), _duty_chat_unchecked(settings)]
    checks = [ok(f"Telegram accepts the token: the bot is @{me.username}")]
    duty = settings.agency.duty_chat_id
    if duty is None:
        checks.append(fail(
            "No duty chat: emergency alerts from residents would go nowhere.",
            "Add the bot to the duty team's group and set agency.duty_chat_id (TRUSTLINE_AGENCY__DUTY_CHAT_ID) "
            "to its chat id.",
        ))
    elif chat_problem is not None:
        checks.append(fail(
            f"The duty chat {duty} is not reachable ({chat_problem}): emergency alerts would not arrive.",
            f"Add @{me.username} to the duty team's group, or correct agency.duty_chat_id.",
        ))
    else:
        checks.append(ok(f"Duty chat {duty} is reachable for emergency alerts"))
    return checks


def _duty_chat_unchecked(settings: Settings) -> Check:
    if settings.agency.duty_chat_id is None:
        return fail(
            "No duty chat: emergency alerts from residents would go nowhere.",
            "Add the bot to the duty team's group and set agency.duty_chat_id (TRUSTLINE_AGENCY__DUTY_CHAT_ID).",
        )
    return warn("Duty chat not checked (Telegram is not reachable with this token).", "Fix the token first.")


# --- database, people, chats ---------------------------------------------------------------------


def _shown(codes: list[str]) -> str:
    return ", ".join(codes[:10]) + (f" and {len(codes) - 10} more" if len(codes) > 10 else "")


def _database_checks(settings: Settings) -> list[Check]:
    from storage.cases import routing_gaps, unit_count
    from storage.staff import list_chats

    db = Database(settings.storage.url)
    where = db.engine.url.render_as_string(hide_password=True)
    try:
        try:
            check_migrated(db.engine)
        except DatabaseNotReady as exc:
            migrate = "db upgrade" in str(exc)
            fix = "Run `trustline db upgrade`." if migrate else "Check storage.url and that the server runs."
            return [
                fail(str(exc).split(" Run `")[0], fix),
                warn("Units and staff chats not checked (no database).", "Fix the database first."),
            ]
        except Exception as exc:  # noqa: BLE001 - a driver error (bad host, auth) is one line too
            return [
                fail(
                    f"Cannot open the database at {where}: {type(exc).__name__}.",
                    "Check storage.url (TRUSTLINE_STORAGE__URL).",
                ),
                warn("Units and staff chats not checked (no database).", "Fix the database first."),
            ]
        checks = [ok(f"Database {where} is reachable and at the current schema")]
        codes = [u.code for u in settings.units]
        with db.session() as session:
            # The same definition `trustline run` warns with at start-up (storage.cases.coverage).
            gaps = routing_gaps(session, duty_chat_id=settings.agency.duty_chat_id,
                                admin_ids=list(settings.telegram.admin_ids), config_codes=codes)
            total = unit_count(session, codes)
            chats = list_chats(session)
        if total == 0:
            checks.append(fail(
                "No units: residents would have nothing to choose.",
                "Add [[units]] to the config, or run `trustline units add CODE --name ... --district ...`.",
            ))
        elif gaps.units_without_staff:
            checks.append(fail(
                f"Nobody to route follow-up cases to for {len(gaps.units_without_staff)} of {total} units: "
                f"{_shown(gaps.units_without_staff)}; their cases go to {gaps.fallback()}.",
                "Enrol a supervisor for each (`trustline staff invite --role supervisor --unit CODE --name ...`), "
                "or a commander for its district.",
            ))
        if total and gaps.units_without_supervision:
            checks.append(warn(
                f"Officers only, nobody above them, in {len(gaps.units_without_supervision)} of {total} units: "
                f"{_shown(gaps.units_without_supervision)}. Their colleagues take ordinary cases, but sensitive "
                f"complaints and escalations go to {gaps.fallback()}.",
                "Enrol a supervisor for each (`trustline staff invite --role supervisor --unit CODE --name ...`), "
                "or a commander for its district.",
            ))
        if total and not gaps.units_without_staff and not gaps.units_without_supervision:
            checks.append(ok(f"Every one of the {total} units has a supervisor or commander for follow-up cases"))
        if chats:
            checks.append(ok(f"{len(chats)} staff chat(s) registered for digests"))
        else:
            checks.append(warn(
                "No staff chat registered: weekly Trust Index digests have nowhere to go.",
                "Add the bot to the commanders' group and send /register there, or use `trustline staff chat-add`.",
            ))
        return checks
    finally:
        db.dispose()


# --- secrets ---------------------------------------------------------------------------------


def example_pseudonym_secret() -> str:
    """The placeholder config.example.toml shows for privacy.pseudonym_secret."""
    try:
        text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    except OSError:
        return "..."
    match = re.search(r'^#?\s*pseudonym_secret\s*=\s*"([^"]*)"', text, re.MULTILINE)
    return match.group(1) if match else "..."


def _secret_checks(settings: Settings) -> list[Check]:
    checks = []
    tg = settings.telegram
    if tg.mode == "webhook":
        secret = tg.webhook_secret.get_secret_value().strip() if tg.webhook_secret else ""
        if secret:
            checks.append(ok("Webhook secret is set"))
        else:
            checks.append(fail(
                "Webhook mode without telegram.webhook_secret: anyone who finds the URL could post fake updates.",
                "Set TRUSTLINE_TELEGRAM__WEBHOOK_SECRET to a long random string (openssl rand -hex 32).",
            ))
    configured = settings.privacy.pseudonym_secret
    fix = "Set TRUSTLINE_PRIVACY__PSEUDONYM_SECRET=$(openssl rand -hex 32), or remove the key to have one generated."
    if configured is None:
        checks.append(ok("Pseudonym secret: generated on first start and kept in the database"))
    elif not configured.get_secret_value().strip():
        checks.append(fail("privacy.pseudonym_secret is empty: pseudonyms would be guessable.", fix))
    elif configured.get_secret_value() == example_pseudonym_secret():
        checks.append(fail(
            "privacy.pseudonym_secret is the example value from config.example.toml: pseudonyms would be guessable.",
            fix,
        ))
    else:
        checks.append(ok("Pseudonym secret is set"))
    return checks


# --- model ---------------------------------------------------------------------------------------


def _model_check(settings: Settings) -> Check:
    from nlp.model import ModelLoadError, load_model

    try:
        loaded = load_model(settings.nlp)
    except ModelLoadError as exc:
        message = str(exc)
        return fail(message, "See README: The sentiment model (`trustline model download`, nlp.model).")
    return ok(f"Sentiment model loads: {loaded.name} ({loaded.revision}) on {loaded.device}")


# --- all together --------------------------------------------------------------------------------


def diagnose(
    load: Callable[[], Settings], *, skip_model: bool = False, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[Check]:
    """Every check, in order, as it completes (the model takes a while; the operator sees progress)."""
    try:
        settings = load()
    except ConfigError as exc:
        yield fail("The configuration is not valid.", f"{exc}\nEvery key is documented in config.example.toml.")
        return
    yield ok("Configuration is valid")
    yield from _telegram_checks(settings, timeout)
    yield from _database_checks(settings)
    yield from _secret_checks(settings)
    if skip_model:
        yield warn("Sentiment model not checked (--skip-model).")
    else:
        yield _model_check(settings)
