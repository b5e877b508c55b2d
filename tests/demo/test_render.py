"""Bot messages on the demo page: Telegram's formatting, and nothing else, becomes HTML."""

from __future__ import annotations

from demo.render import safe_href, to_html


def test_text_is_escaped_so_markup_in_it_is_shown_not_run():
    assert to_html('<script>alert("x")</script> & <b>') == '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;'


def test_telegram_entities_become_their_tags():
    text = "bold italic under strike code"
    entities = [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 5, "length": 6},
        {"type": "underline", "offset": 12, "length": 5},
        {"type": "strikethrough", "offset": 18, "length": 6},
        {"type": "code", "offset": 25, "length": 4},
    ]
    assert to_html(text, entities) == "<b>bold</b> <i>italic</i> <u>under</u> <s>strike</s> <code>code</code>"


def test_quotes_spoilers_and_preformatted_text():
    html = to_html("quote secret pre", [
        {"type": "blockquote", "offset": 0, "length": 5},
        {"type": "spoiler", "offset": 6, "length": 6},
        {"type": "pre", "offset": 13, "length": 3},
    ])
    assert html.startswith("<blockquote>quote</blockquote> <span class=\"spoiler\"")
    assert html.endswith("secret</span> <pre>pre</pre>")


def test_offsets_count_utf16_units_like_the_bot_api():
    assert to_html("😀 hi", [{"type": "bold", "offset": 3, "length": 2}]) == "😀 <b>hi</b>"


def test_nested_and_overlapping_entities_give_well_formed_html():
    assert to_html("ab cd", [{"type": "bold", "offset": 0, "length": 4}, {"type": "italic", "offset": 2, "length": 3}]) == (
        "<b>ab<i> c</i></b><i>d</i>"
    )


def test_links_keep_web_addresses_and_drop_script_ones():
    safe = to_html("site", [{"type": "text_link", "offset": 0, "length": 4, "url": "https://example.org/?a=1&b=\"2\""}])
    assert safe == '<a href="https://example.org/?a=1&amp;b=&quot;2&quot;" target="_blank" rel="noopener noreferrer">site</a>'
    assert to_html("click", [{"type": "text_link", "offset": 0, "length": 5, "url": "javascript:alert(1)"}]) == "click"
    assert safe_href("data:text/html,hi") is None
    assert safe_href("tg://user?id=1") == "tg://user?id=1"


def test_mentions_and_commands_stay_plain_text():
    assert to_html("/start @bot", [{"type": "bot_command", "offset": 0, "length": 6}, {"type": "mention", "offset": 7, "length": 4}]) == "/start @bot"
