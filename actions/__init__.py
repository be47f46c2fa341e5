"""Action handlers and the knowledge they read."""
