"""Printable officer cards: an A4 PDF of cards whose QR code opens the bot with a deep link.

The deep-link token on each card points the resident's feedback at the officer's unit without
identifying the resident; tokens are made and reused by :mod:`storage.tokens`.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

from services.i18n import text


def deep_link(bot_username: str, token: str) -> str:
    """The t.me link that opens the bot with ``/start <token>``."""
    return f"https://t.me/{bot_username}?start={token}"


_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


def render_cards(entries: list[tuple[str, str, str]], bot_username: str, agency: str, emergency: str, language: str) -> bytes:
    """A4 sheet, 2 x 4 cards of 90 x 60 mm with cut marks; a Unicode font when one is installed,
    otherwise the built-in Helvetica (Latin-1 only)."""
    # Imported here: the PDF and QR libraries are only needed when cards are printed.
    import qrcode
    from fpdf import FPDF

    def tx(key: str, **values: Any) -> str:
        plain = re.sub(r"<[^>]+>", "", text(language, key, **values))
        return html.unescape(plain)

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    font = "Helvetica"
    for path in _FONT_CANDIDATES:
        if Path(path).is_file():
            bold = path.replace(".ttf", "-Bold.ttf")
            pdf.add_font("CardFont", "", path)
            pdf.add_font("CardFont", "B", bold if Path(bold).is_file() else path)
            font = "CardFont"
            break

    def safe(value: str) -> str:
        return value if font != "Helvetica" else value.encode("latin-1", "replace").decode("latin-1")

    width, height, cols, rows = 90.0, 60.0, 2, 4
    left, top, gap = (210 - cols * width - 10) / 2, 20.0, 10.0
    for index, (name, unit_name, token) in enumerate(entries):
        slot = index % (cols * rows)
        if slot == 0:
            pdf.add_page()
        x = left + (slot % cols) * (width + gap)
        y = top + (slot // cols) * (height + 7)
        pdf.set_draw_color(170, 170, 170)
        pdf.set_line_width(0.2)
        pdf.rect(x, y, width, height)
        link = deep_link(bot_username, token)
        image = qrcode.make(link, border=1).get_image()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        buffer.seek(0)
        pdf.image(buffer, x=x + width - 40, y=y + 4, w=36, h=36, link=link)
        pdf.set_text_color(20, 20, 20)
        pdf.set_font(font, "", 9)
        pdf.set_xy(x + 4, y + 5)
        pdf.multi_cell(width - 48, 4.5, safe(agency), align="L")
        pdf.set_font(font, "B", 12)
        pdf.set_xy(x + 4, y + 16)
        pdf.multi_cell(width - 48, 5.5, safe(tx("staff.card_call")), align="L")
        pdf.set_font(font, "B", 9)
        pdf.set_xy(x + 4, y + 42)
        pdf.multi_cell(width - 8, 4, safe(tx("staff.card_officer", name=name, unit=unit_name)), align="L")
        pdf.set_font(font, "", 7)
        pdf.set_xy(x + 4, y + 47)
        pdf.multi_cell(width - 8, 3.5, safe(tx("staff.card_link", link=link.removeprefix("https://"))), align="L")
        pdf.set_xy(x + 4, y + 52)
        pdf.multi_cell(width - 8, 3.5, safe(tx("staff.card_small", emergency=emergency)), align="L")
    return bytes(pdf.output())
