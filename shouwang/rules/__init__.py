"""The law and policy as cited, versioned rules (pure engine in rules.engine)."""
