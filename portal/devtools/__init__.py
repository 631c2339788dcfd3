"""Development tooling: a made-up organisation for benchmarks (``manage.py generate_org``)."""
