"""Trained classifiers and their model card; installed as checker.models."""
