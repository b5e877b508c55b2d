"""Long texts are split the way Telegram measures them (UTF-16 code units), and every chunk is
valid Telegram HTML on its own: tags open at a cut are closed and opened again."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text_chunks import TELEGRAM_LIMIT, split_message, truncate_utf16, utf16_len
from fakeapi.formatting import parse_html

# --- random nested HTML ----------------------------------------------------------------------

GLYPHS = [*"abcxyzÄé<>&\"'", "👍", "😀", "🇪🇸", "👩\u200d👧", "❤️", "𝄞", "中"]
WORDS = st.lists(st.sampled_from(GLYPHS), min_size=1, max_size=12).map("".join)
SEPARATORS = st.sampled_from([" ", " ", " ", "\n", "\n\n"])
TAGS = ["b", "i", "u", "s", "code", "a", "blockquote"]


@st.composite
def plain_runs(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=1, max_size=30))
    seps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True))


Tree = str | tuple[str, list["Tree"]]
TREES: st.SearchStrategy[Tree] = st.recursive(
    plain_runs(),
    lambda children: st.tuples(st.sampled_from(TAGS), st.lists(children, min_size=1, max_size=4)),
    max_leaves=25,
)


def render(tree: Tree, inside: frozenset[str] = frozenset()) -> str:
    """Escaped HTML; code in code, blockquote in blockquote and a link in a link become plain
    (Telegram refuses them, and the bot never writes them)."""
    if isinstance(tree, str):
        return html.escape(tree, quote=False)
    tag, children = tree
    body = "".join(render(child, inside | {tag}) for child in children)
    if tag in inside and tag in ("code", "blockquote", "a"):
        return body
    opening = '<a href="https://example.org/?q=1&amp;r=😀">' if tag == "a" else f"<{tag}>"
    return f"{opening}{body}</{tag}>"


def plain(text: str) -> str:
    return parse_html(text).text


@settings(max_examples=150, deadline=None)
@given(trees=st.lists(TREES, min_size=1, max_size=6), limit=st.integers(min_value=160, max_value=700))
def test_every_chunk_fits_parses_and_together_they_say_the_same(trees: list[Tree], limit: int) -> None:
    text = "".join(render(t) for t in trees)
    chunks = split_message(text, limit)
    for chunk in chunks:
        assert utf16_len(chunk) <= limit, chunk
        assert plain(chunk).strip(), "no chunk is blank (Telegram refuses empty messages)"
    # Together they say the same, character for character, except whitespace where a cut fell:
    # a chunk never starts or ends with a blank line (Telegram trims message edges anyway), and a
    # word longer than half a chunk may be cut inside.
    assert visible("".join(plain(c) for c in chunks)) == visible(plain(text))


def visible(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=50, deadline=None)
@given(tree=TREES)
def test_a_text_that_fits_is_sent_as_it_is(tree: Tree) -> None:
    text = render(tree)
    if plain(text).strip() and utf16_len(text) <= TELEGRAM_LIMIT:
        assert split_message(text) == [text]


# --- examples --------------------------------------------------------------------------------


def test_lengths_are_counted_in_utf16_code_units() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("👍") == 2
    assert utf16_len("🇪🇸") == 4
    assert utf16_len("é中") == 2


def test_an_emoji_rich_text_of_4000_characters_is_split_under_telegrams_limit() -> None:
    text = "\n".join(["😟😡👮 Tengo miedo 🚓🚨 de volver 😟😡👮 al 🚓🚨"] * 100)
    assert len(text) < TELEGRAM_LIMIT < utf16_len(text)
    chunks = split_message(text)
    assert len(chunks) == 2
    assert all(utf16_len(c) <= TELEGRAM_LIMIT for c in chunks)
    assert "".join(chunks) == text  # cut after a newline, which stays with the first chunk


def test_tags_open_at_a_cut_are_closed_and_reopened() -> None:
    text = '<b>bold <a href="https://x.org/?a=1&amp;b=2">' + "link words " * 30 + "</a> tail</b>"
    first, *rest = split_message(text, 120)
    assert first.startswith('<b>bold <a href="https://x.org/?a=1&amp;b=2">') and first.endswith("</a></b>")
    assert all(c.startswith('<b><a href="https://x.org/?a=1&amp;b=2">') for c in rest[:-1])
    assert rest[-1].endswith("</a> tail</b>")
    for chunk in [first, *rest]:
        parsed = parse_html(chunk)
        assert {e["type"] for e in parsed.entities} >= {"bold"}


def test_a_cut_never_falls_inside_an_entity() -> None:
    text = "&amp;" * 100
    chunks = split_message(text, 42)
    assert all(c.count("&") == c.count("&amp;") for c in chunks)
    assert "".join(plain(c) for c in chunks) == "&" * 100


def test_paragraphs_are_preferred_over_lines_and_lines_over_words() -> None:
    para = "one two three four five six\nseven eight nine ten"
    text = f"{para}\n\n{para}\n\n{para}"
    chunks = split_message(text, 80)
    assert chunks[0] == f"{para}\n\n"
    lines = split_message("word " * 10 + "\n" + "word " * 10, 80)
    assert lines[0].endswith("\n")


def test_callback_answers_are_cut_in_utf16_units() -> None:
    text = "😀" * 150
    cut = truncate_utf16(text, 200)
    assert utf16_len(cut) <= 200 and cut.endswith("…")
    assert truncate_utf16("short", 200) == "short"
