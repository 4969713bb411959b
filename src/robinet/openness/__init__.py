"""openness."""
