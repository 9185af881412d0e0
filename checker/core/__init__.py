"""Shared by every stage: the document model, Finding, errors, configuration, limits, text helpers.

Nothing here imports a stage (reading, judging, scoring, publishing)."""
