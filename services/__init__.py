"""Work shared by the bot, the CLI and benchmarks: neither Telegram nor SQL nor pure math."""
