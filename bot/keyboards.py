"""Inline keyboards. Callback data is short and carries ids only, never authority."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup

from services.i18n import Texts, available_languages, text

CONSENT_YES, CONSENT_NO = "consent:yes", "consent:no"
DONE = "fb:done"
SKIP = "skip"
SKIP_ALL = "rate:skipall"
FORGET_YES, FORGET_NO = "forget:yes", "forget:no"


def rows(buttons: Sequence[Button], width: int) -> list[list[Button]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def consent(tx: Texts) -> Markup:
    return Markup([[Button(tx("privacy.accept"), callback_data=CONSENT_YES), Button(tx("privacy.decline"), callback_data=CONSENT_NO)]])


def districts(tx: Texts, names: Sequence[str]) -> Markup:
    buttons = [Button(name, callback_data=f"district:{i}") for i, name in enumerate(names)]
    return Markup([*rows(buttons, 2), [Button(tx("start.not_sure"), callback_data="unit:none")]])


def units(tx: Texts, options: Sequence[tuple[int, str]]) -> Markup:
    buttons = [Button(name, callback_data=f"unit:{uid}") for uid, name in options]
    return Markup([*rows(buttons, 2), [Button(tx("start.any_unit"), callback_data="unit:none")]])


def skip(tx: Texts) -> Markup:
    return Markup([[Button(tx("start.skip"), callback_data=SKIP)]])


def done(tx: Texts) -> Markup:
    return Markup([[Button(tx("feedback.done"), callback_data=DONE)]])


def rating(tx: Texts, item: str) -> Markup:
    numbers = [Button(str(v), callback_data=f"rate:{item}:{v}") for v in range(11)]
    return Markup(
        [
            numbers[:6],
            numbers[6:],
            [Button(tx("rating.skip"), callback_data=f"rate:{item}:skip"), Button(tx("rating.skip_all"), callback_data=SKIP_ALL)],
        ]
    )


def contact(tx: Texts, reference: str) -> Markup:
    return Markup(
        [[Button(tx("submit.contact_yes"), callback_data=f"contact:yes:{reference}"),
          Button(tx("submit.contact_no"), callback_data=f"contact:no:{reference}")]]
    )


def final(tx: Texts, reference: str, *, ask_contact: bool, offer_complaint: bool) -> Markup | None:
    """The last message of a report: the contact question and, on negative feedback, one button
    to say it is a complaint about an officer's conduct. None once both are answered."""
    rows_: list[list[Button]] = []
    if ask_contact:
        rows_.append(contact(tx, reference).inline_keyboard[0])  # type: ignore[arg-type]
    if offer_complaint:
        rows_.append([Button(tx("submit.complaint_button"), callback_data=f"complaint:{reference}")])
    return Markup(rows_) if rows_ else None


def relay_cases(tx: Texts, relays: Sequence[tuple[int, str]]) -> Markup:
    return Markup([[Button(tx("relay.case_button", reference=ref), callback_data=f"relay:{case_id}")] for case_id, ref in relays[:8]])


def forget(tx: Texts) -> Markup:
    return Markup([[Button(tx("forget.yes"), callback_data=FORGET_YES), Button(tx("forget.no"), callback_data=FORGET_NO)]])


def languages() -> Markup:
    return Markup([[Button(text(code, "language.name"), callback_data=f"lang:{code}") for code in available_languages()]])
