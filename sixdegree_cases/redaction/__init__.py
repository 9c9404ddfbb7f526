"""Keep case text out of what operators keep: log lines and background task results."""
