"""Printable officer cards and unit posters: A4 PDFs whose QR code opens the bot with a deep link.

The deep-link token on each card or poster points the resident's feedback at the officer or the
unit without identifying the resident; tokens are made and reused by :mod:`storage.tokens`. Under
the QR code each one prints the link to type for people who cannot scan, with the token in a
monospaced bold face (new tokens avoid 0/O and 1/I/L: :func:`storage.units.new_token`). Texts
come from the catalogues (``staff.card_*``, ``staff.poster_*``); the font is the DejaVu Sans that
matplotlib ships, so names in Greek, Cyrillic, Polish, Turkish... print as written.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from services.i18n import plain_text

# Scripts DejaVu does not cover (Chinese, Japanese, Korean, Arabic...), when the system has them.
_FALLBACK_FONTS = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
)
A4 = (210.0, 297.0)


def deep_link(bot_username: str, token: str) -> str:
    """The t.me link that opens the bot with ``/start <token>``."""
    return f"https://t.me/{bot_username}?start={token}"


def _new_pdf() -> Any:
    """An A4 portrait FPDF with the "Text" (DejaVu Sans, regular and bold) and "Code" (DejaVu Sans
    Mono bold) families, and a system font for other scripts where one is installed."""
    # Imported here: the PDF library and matplotlib are only needed when something is printed.
    import matplotlib
    from fpdf import FPDF

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("Text", "", fonts / "DejaVuSans.ttf")
    pdf.add_font("Text", "B", fonts / "DejaVuSans-Bold.ttf")
    pdf.add_font("Code", "B", fonts / "DejaVuSansMono-Bold.ttf")
    pdf.add_font("Code", "", fonts / "DejaVuSansMono.ttf")
    fallback = next((Path(p) for p in _FALLBACK_FONTS if Path(p).is_file()), None)
    if fallback is not None:
        pdf.add_font("Other", "", fallback)
        pdf.add_font("Other", "B", fallback)
        pdf.set_fallback_fonts(["Other"], exact_match=False)
    pdf.set_text_color(20, 20, 20)
    return pdf


def _qr(pdf: Any, link: str, x: float, y: float, size: float) -> None:
    import qrcode

    image = qrcode.make(link, border=1).get_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    pdf.image(buffer, x=x, y=y, w=size, h=size, link=link)


def _typed_link(pdf: Any, link: str, x: float, y: float, width: float, size: float, *, center: bool = False) -> None:
    """``t.me/bot?start=`` then the token in bold, monospaced, as large as fits ``width`` (up to
    ``size`` points)."""
    prefix, _, token = link.removeprefix("https://").partition("=")
    prefix += "="
    pdf.set_font("Code", "B", size)
    size = min(size, size * width / max(pdf.get_string_width(prefix + token), 1e-6))
    pdf.set_font("Code", "", size)
    prefix_width = pdf.get_string_width(prefix)
    pdf.set_font("Code", "B", size)
    total = prefix_width + pdf.get_string_width(token)
    start = x + (width - total) / 2 if center else x
    height = size * 0.3528 * 1.25  # points to mm, with leading
    pdf.set_text_color(20, 20, 20)
    pdf.set_xy(start, y)
    pdf.set_font("Code", "", size)
    pdf.cell(prefix_width, height, prefix, link=link)
    pdf.set_font("Code", "B", size)
    pdf.cell(total - prefix_width, height, token, link=link)


def render_cards(
    entries: list[tuple[str, str, str]], bot_username: str, agency: str, emergency: str, language: str
) -> bytes:
    """A4 sheet, 2 x 4 cards of 90 x 60 mm with cut lines; ``entries`` are (officer name, unit
    name, token)."""
    pdf = _new_pdf()
    width, height, cols, rows = 90.0, 60.0, 2, 4
    left, top, gap = (A4[0] - cols * width - 10) / 2, 20.0, 10.0
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
        _qr(pdf, link, x + width - 40, y + 3, 36)
        pdf.set_font("Text", "", 9)
        pdf.set_xy(x + 4, y + 5)
        pdf.multi_cell(width - 48, 4.5, agency, align="L")
        pdf.set_font("Text", "B", 12)
        pdf.set_xy(x + 4, y + 16)
        pdf.multi_cell(width - 48, 5.5, plain_text(language, "staff.card_call"), align="L")
        pdf.set_font("Text", "B", 9)
        pdf.set_xy(x + 4, y + 40)
        pdf.multi_cell(width - 8, 4, plain_text(language, "staff.card_officer", name=name, unit=unit_name), align="L")
        pdf.set_font("Text", "", 6.5)
        pdf.set_xy(x + 4, y + 45)
        pdf.multi_cell(width - 8, 3, plain_text(language, "staff.card_type"), align="L")
        _typed_link(pdf, link, x + 4, y + 48.2, width - 8, 10)
        pdf.set_font("Text", "", 6.5)
        pdf.set_xy(x + 4, y + 54.5)
        pdf.multi_cell(width - 8, 3, plain_text(language, "staff.card_small", emergency=emergency), align="L")
    return bytes(pdf.output())


def render_poster(unit_name: str, token: str, bot_username: str, agency: str, emergency: str, language: str) -> bytes:
    """One A4 poster for a unit's counter or notice board: the call to action, a large QR code
    with the unit's deep link, the link to type, "needs the free Telegram app" and the emergency
    number."""
    pdf = _new_pdf()
    pdf.add_page()
    page_width, margin = A4[0], 20.0
    inner = page_width - 2 * margin
    link = deep_link(bot_username, token)

    def line(text: str, y: float, size: float, style: str = "", grey: int = 20) -> float:
        """Centred text from ``y``; returns the y below it."""
        pdf.set_text_color(grey, grey, grey)
        pdf.set_font("Text", style, size)
        pdf.set_xy(margin, y)
        pdf.multi_cell(inner, size * 0.3528 * 1.3, text, align="C")
        return float(pdf.get_y())

    y = line(agency, 18, 14, grey=90)
    y = line(unit_name, y + 1, 18, "B", grey=60)
    y = line(plain_text(language, "staff.poster_title"), y + 10, 38, "B")
    y = line(plain_text(language, "staff.poster_call"), y + 4, 20)
    size = max(60.0, min(105.0, 222.0 - y))  # long names wrap: the code shrinks, the footer stays on the page
    _qr(pdf, link, (page_width - size) / 2, y + 8, size)
    y += 8 + size + 6
    y = line(plain_text(language, "staff.card_type"), y, 12, grey=90)
    _typed_link(pdf, link, margin, y + 1, inner, 20, center=True)
    y += 12
    y = line(plain_text(language, "staff.poster_app"), y + 4, 14, "B")
    line(plain_text(language, "staff.poster_small", emergency=emergency), max(y + 6, 272), 12, grey=90)
    return bytes(pdf.output())
