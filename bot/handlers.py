"""Every handler the bot registers, with its group, in reading order (command menus: bot/menus.py).

python-telegram-bot tries handler groups in ascending order and, within a group, stops at the
first handler that matches; one handler per group may run. Trustline uses:

- group ``COUNT`` (-101): every update is counted for ``/metrics``;
- groups ``SENDERLESS`` (-100) and ``FORGED_BUTTONS`` (-99): guards that stop updates with no
  sender and buttons the bot never made before any feature sees them;
- group ``STAFF_CANCEL`` (-2) and ``STAFF_INPUT`` (-1): a staff member who is typing a reply or a
  note to a case must reach the follow-ups before the resident conversation sees the text;
- group ``MAIN`` (0): everything else, most specific first, the catch-alls last.

The callbacks live beside their audience (``bot/resident/``, ``bot/staff.py``,
``bot/case_buttons.py``, ``bot/corrections.py``, ``bot/staff_trust.py``, ``bot/officer_trust.py``); this file only says
which update reaches which callback.
"""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import (
    case_buttons,
    corrections,
    guards,
    keyboards,
    officer_trust,
    ops,
    resident,
    staff,
    staff_trust,
)
from bot.menus import RESIDENT_COMMANDS

AnyApp = Application[Any, Any, Any, Any, Any, Any]

# Guards run before every feature handler, in groups of their own (a group runs only its first
# matching handler): updates with no sender, then buttons the bot never made.
COUNT = -101  # every update is counted for /metrics, whatever happens to it next
SENDERLESS = -100
FORGED_BUTTONS = -99
STAFF_CANCEL = -2
STAFF_INPUT = -1
MAIN = 0

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
PRIVATE_TEXT = PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND

# --- counting, then guards: what no feature should ever see ----------------------------------


def add_counters(app: AnyApp) -> None:
    app.add_handler(TypeHandler(Update, ops.count_update), group=COUNT)


# --- guards -------------------------------------------------


def add_guards(app: AnyApp) -> None:
    app.add_handler(TypeHandler(Update, guards.drop_senderless), group=SENDERLESS)
    unknown = CallbackQueryHandler(guards.refuse_unknown_button, pattern=lambda data: not guards.is_known_button(data))
    app.add_handler(unknown, group=FORGED_BUTTONS)


# --- residents -------------------------------------------------------------------------------


def resident_conversation() -> ConversationHandler[Any]:
    """/start → consent → (district) → unit → their words → Done (reference at once) → optional ratings and
    incident number → what happens next, contact choice."""
    start = CommandHandler("start", resident.start, filters=PRIVATE)
    cancel = CommandHandler("cancel", resident.cancel, filters=PRIVATE)
    forget = CommandHandler("forget", resident.forget, filters=PRIVATE)
    forget_buttons = CallbackQueryHandler(resident.on_forget, pattern=r"^forget:")
    with warnings.catch_warnings():
        # per_message=False is deliberate: one conversation per resident chat, buttons included.
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler(
            entry_points=[start, forget, forget_buttons, MessageHandler(PRIVATE_TEXT, resident.resume_feedback)],
            states={
                resident.CONSENT: [CallbackQueryHandler(resident.on_consent, pattern=r"^consent:")],
                resident.DISTRICT: [
                    CallbackQueryHandler(resident.on_district, pattern=r"^district:"),
                    CallbackQueryHandler(resident.on_unit, pattern=r"^unit:none$"),
                ],
                resident.UNIT: [CallbackQueryHandler(resident.on_unit, pattern=r"^unit:")],
                resident.INCIDENT: [
                    MessageHandler(PRIVATE_TEXT, resident.on_incident_text),
                    CallbackQueryHandler(resident.on_incident_skip, pattern=rf"^{keyboards.SKIP}$"),
                ],
                resident.FEEDBACK: [
                    MessageHandler(PRIVATE_TEXT, resident.on_feedback_text),
                    CallbackQueryHandler(resident.on_done, pattern=rf"^{keyboards.DONE}$"),
                    CommandHandler("done", resident.on_done, filters=PRIVATE),
                ],
                resident.RATING: [
                    CallbackQueryHandler(resident.on_rating, pattern=r"^rate:"),
                    MessageHandler(PRIVATE_TEXT, resident.on_rating_text),
                ],
            },
            fallbacks=[start, cancel, forget, forget_buttons, MessageHandler(PRIVATE_TEXT, resident.hold_until_answered)],
            name="resident",
            persistent=True,
            allow_reentry=False,  # /start re-enters through fallbacks; text must reach the state handlers
            conversation_timeout=None,
        )


def add_resident_handlers(app: AnyApp) -> None:
    app.add_handler(resident_conversation(), group=MAIN)
    app.add_handler(CallbackQueryHandler(resident.on_contact, pattern=r"^contact:"), group=MAIN)
    app.add_handler(CallbackQueryHandler(resident.on_complaint, pattern=r"^complaint:"), group=MAIN)
    app.add_handler(CallbackQueryHandler(resident.on_relay_choice, pattern=r"^relay:"), group=MAIN)
    app.add_handler(CallbackQueryHandler(resident.on_language, pattern=r"^lang:"), group=MAIN)
    app.add_handler(CommandHandler("mydata", resident.mydata, filters=PRIVATE), group=MAIN)
    app.add_handler(CommandHandler("help", resident.help_command, filters=PRIVATE), group=MAIN)
    app.add_handler(CommandHandler("language", resident.language_command, filters=PRIVATE), group=MAIN)
    app.add_handler(CommandHandler(["cancel", "done"], resident.nothing_in_progress, filters=PRIVATE), group=MAIN)
    in_group = filters.Regex(rf"^/({'|'.join(RESIDENT_COMMANDS)})(@\w+)?(\s|$)")
    app.add_handler(MessageHandler(GROUPS & filters.Command(False) & in_group, resident.on_group_command), group=MAIN)


# --- staff: enrolment, staff chats, follow-up cases ------------------------------------------


def add_staff_handlers(app: AnyApp) -> None:
    # A staff member's pending reply or note, and /cancel of it, come before the resident side.
    app.add_handler(CommandHandler("cancel", case_buttons.on_cancel_first, filters=PRIVATE), group=STAFF_CANCEL)
    app.add_handler(MessageHandler(PRIVATE_TEXT, case_buttons.on_private_text_first), group=STAFF_INPUT)

    app.add_handler(CommandHandler("enroll", staff.enroll), group=MAIN)
    app.add_handler(CommandHandler("register", staff.register), group=MAIN)
    app.add_handler(CommandHandler("unregister", staff.unregister), group=MAIN)
    app.add_handler(CommandHandler("audit", staff.audit), group=MAIN)
    app.add_handler(CommandHandler("staffhelp", staff.staff_help), group=MAIN)
    app.add_handler(CallbackQueryHandler(staff.on_register_button, pattern=r"^stf:reg:"), group=MAIN)
    app.add_handler(CallbackQueryHandler(staff.on_forged_staff_button, pattern=r"^stf:"), group=MAIN)
    app.add_handler(ChatMemberHandler(staff.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER), group=MAIN)
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, staff.on_migrate), group=MAIN)

    app.add_handler(CommandHandler("case", case_buttons.case_command), group=MAIN)
    app.add_handler(CommandHandler("cases", case_buttons.cases_command), group=MAIN)
    app.add_handler(CallbackQueryHandler(case_buttons.on_helpful, pattern=r"^fu:hlp:"), group=MAIN)
    corrections_menu = CallbackQueryHandler(corrections.on_correction_button, pattern=r"^fu:(cor|bk|cs|ct|cts):")
    app.add_handler(corrections_menu, group=MAIN)
    app.add_handler(CallbackQueryHandler(case_buttons.on_case_button, pattern=r"^fu:"), group=MAIN)


# --- staff: Trust Index commands in registered staff groups, and an officer's own figures ----


def add_trust_handlers(app: AnyApp) -> None:
    # Groups only: a resident's private chat never reaches these, and channel posts carry no user.
    app.add_handler(CommandHandler("trust", staff_trust.trust_command, filters=GROUPS), group=MAIN)
    app.add_handler(CommandHandler("digest", staff_trust.digest_command, filters=GROUPS), group=MAIN)
    app.add_handler(CommandHandler("attention", staff_trust.attention_command, filters=GROUPS), group=MAIN)


def add_officer_handlers(app: AnyApp) -> None:
    app.add_handler(CommandHandler("mytrust", officer_trust.mytrust_command), group=MAIN)


# --- last: whatever nothing above took --------------------------------------------------------


def add_catch_alls(app: AnyApp) -> None:
    app.add_handler(MessageHandler(PRIVATE & filters.UpdateType.EDITED_MESSAGE, resident.on_edit), group=MAIN)
    app.add_handler(MessageHandler(PRIVATE_TEXT, resident.on_stray_text), group=MAIN)
    not_text = PRIVATE & filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(not_text, resident.on_not_text), group=MAIN)
    app.add_handler(CallbackQueryHandler(resident.on_stale_button), group=MAIN)


# What `trustline run` registers beyond the resident side (bot/wiring.py); tests pick subsets.
STAFF_SIDE = (add_trust_handlers, add_staff_handlers, add_officer_handlers)
