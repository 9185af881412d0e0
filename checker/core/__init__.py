"""Shared by every stage: the document model and its layouts, Finding, errors, configuration,
limits, the reviewer's dismissals, text helpers, the version.

Nothing here imports a stage (reading, judging, scoring, publishing); tests/test_import_graph.py
checks it."""
