"""The command menus Telegram shows, next to the handlers in bot/handlers.py.

Residents' commands in every private chat; the Trust Index commands in groups; an enrolled staff
member's private chat gets the resident menu plus theirs, set when they enrol. Menus are nice to
have, never a reason to fail: errors are logged and ignored.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from services.i18n import Texts, available_languages, text

log = logging.getLogger(__name__)

RESIDENT_MENU = ("start", "mydata", "forget", "help", "language", "cancel")
STAFF_GROUP_MENU = ("trust", "digest", "attention", "register", "staffhelp")
STAFF_PRIVATE_MENU = ("cases", "case", "mytrust", "audit", "staffhelp")
# What a resident types in a group gets a pointer to the private chat.
RESIDENT_COMMANDS = (*RESIDENT_MENU, "done")

_MENUS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (BotCommandScopeAllPrivateChats(), RESIDENT_MENU),
    (BotCommandScopeAllGroupChats(), STAFF_GROUP_MENU),
)


async def set_command_menus(bot: Bot) -> None:
    """Every language's menus; English is also the default for languages we don't ship."""
    try:
        for scope, names in _MENUS:
            for lang in available_languages():
                commands = [BotCommand(n, text(lang, f"general.commands_{n}")) for n in names]
                if lang == "en":
                    await bot.set_my_commands(commands, scope=scope)
                await bot.set_my_commands(commands, scope=scope, language_code=lang)
    except TelegramError as exc:
        log.warning("could not set the command menu: %s", exc)


async def set_staff_menu(bot: Bot, chat_id: int, tx: Texts) -> None:
    """A staff member's private chat: the resident commands (minus /cancel) plus the staff ones."""
    commands = [BotCommand(n, tx(f"general.commands_{n}")) for n in RESIDENT_MENU if n != "cancel"]
    commands += [BotCommand(n, tx(f"staff.menu_{n}")) for n in STAFF_PRIVATE_MENU]
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        log.info("could not set the staff command menu: %s", exc)
