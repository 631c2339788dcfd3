"""my_skills pages."""
