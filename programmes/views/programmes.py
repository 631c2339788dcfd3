"""programmes pages."""
