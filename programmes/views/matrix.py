"""matrix pages."""
