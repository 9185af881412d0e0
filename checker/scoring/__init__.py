"""Scoring: findings → the review score (复核得分, `review_score`) and the unit table (`units`)."""
