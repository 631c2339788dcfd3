"""The top layer: composition that reads every app below it.

My home, the demo seeding and development tooling put together what ``programmes``,
``trainers`` and ``sessions`` offer; nothing below imports from here (the import-direction
test in ``tests/architecture`` checks it).
"""
