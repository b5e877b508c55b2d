"""Work shared by the bot, the CLI and benchmarks: neither Telegram, nor SQL, nor pure math.

Settings, text catalogues, access rules, the scoring worker, digest composition, cards and exports
live here so that `cli/` and `bench/` never import the Telegram adapter in `bot/`.
"""
