"""gaps pages."""
