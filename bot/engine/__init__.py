"""The dialogue engine: Turn in, Replies out, no Telegram code."""
