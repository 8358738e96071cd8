"""System administration: organisations, reviewer accounts and their roles, the SMS outbox."""
