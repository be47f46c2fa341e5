"""The Telegram front end (python-telegram-bot only): updates in, rendered replies out."""
