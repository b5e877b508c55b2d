"""``trustline demo``: the real bot against the built-in fake Telegram, in a browser.

:mod:`demo.seed` creates a small made-up agency, :mod:`demo.session` runs the bot and the fake
Telegram and acts for the three people on screen, :mod:`demo.server` serves the page and its JSON
API, and :mod:`demo.render` turns Telegram's formatting into safe HTML.
"""
