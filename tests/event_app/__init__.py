"""A stand-in for the next app (feedback, recognition, the dashboard): it reacts to a lower
app's event by adding a handler in its ready(), and touches nothing below it."""
