"""Pages and actions under /sessions/, one module per thing shown.

``listing`` (the session list), ``detail`` (one session and its booking panel), ``booking``
(book, cancel, claim a seat), ``my_sessions``, ``calendars`` (.ics file and feed),
``attendance`` (the sheet and check-in), ``demand`` ("I want to learn this"), ``manage``
(propose, edit, publish, cancel, complete; series), ``lead_booking`` (a lead books their
team), ``co_teaching`` (invitations to co-teach).

Naming: a view is ``<thing>_<page or action>_view``, in the words of the service or selector
it fronts (``booking_cancel_view`` calls ``booking_cancel``), so a view never shadows its
service. A training session is a ``training_session``, never a bare ``session_`` (that is
Django's). ``tests/architecture/test_names.py`` holds both rules.
"""
