"""Rule definitions as data (one YAML per rule) and word lists; installed as checker.rules."""
