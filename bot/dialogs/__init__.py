"""Dialog tests: conversations written as files, replayed through the real engine, checked turn by turn."""
