"""The resident conversation: consent, where, what happened, reference, ratings, contact.

The database is the source of truth: the conversation state only says which question is on
screen, so a restart (or a lost state) resumes from the resident's open submission.

The steps live in small modules, in the order a resident meets them: ``common`` (states and the
shared helpers), ``start`` (/start, consent, district and unit), ``filing`` (one message stored
and answered for safety), ``story`` (the story, the live "Saved" status, Done), ``finish`` (the
reference, ratings, what happens next, contact, complaint), ``commands`` (/cancel, /help,
/language, /mydata, /forget) and ``outside`` (whatever arrives outside the steps). Which update
reaches which step is in bot/handlers.py, through the names re-exported here.
"""

from bot.resident.commands import (
    cancel,
    forget,
    help_command,
    language_command,
    mydata,
    on_forget,
    on_language,
    render_mydata,
)
from bot.resident.common import CONSENT, DISTRICT, END, FEEDBACK, INCIDENT, RATING, UNIT
from bot.resident.finish import on_complaint, on_contact, on_rating, on_rating_text
from bot.resident.outside import (
    hold_until_answered,
    nothing_in_progress,
    on_edit,
    on_group_command,
    on_not_text,
    on_relay_choice,
    on_stale_button,
    on_stray_text,
    resume_feedback,
)
from bot.resident.start import on_consent, on_district, on_unit, start
from bot.resident.story import on_done, on_feedback_text, on_incident_skip, on_incident_text

__all__ = [
    # the conversation's states
    "CONSENT",
    "DISTRICT",
    "UNIT",
    "INCIDENT",
    "FEEDBACK",
    "RATING",
    "END",
    # start
    "start",
    "on_consent",
    "on_district",
    "on_unit",
    # story
    "on_incident_text",
    "on_incident_skip",
    "on_feedback_text",
    "on_done",
    # finish
    "on_rating",
    "on_rating_text",
    "on_contact",
    "on_complaint",
    # commands
    "cancel",
    "help_command",
    "language_command",
    "on_language",
    "mydata",
    "render_mydata",
    "forget",
    "on_forget",
    # outside the steps
    "resume_feedback",
    "hold_until_answered",
    "nothing_in_progress",
    "on_edit",
    "on_stray_text",
    "on_not_text",
    "on_relay_choice",
    "on_stale_button",
    "on_group_command",
]
