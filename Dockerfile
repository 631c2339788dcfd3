# PeerTrain production image: gunicorn serves the web app; the same image runs the Celery
# worker and beat (see docker-compose.yml). Configuration comes from the environment only.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=peertrain.settings.production

RUN groupadd --system --gid 10001 peertrain \
    && useradd --system --uid 10001 --gid peertrain --home-dir /app --no-create-home peertrain

WORKDIR /app

# Dependencies first, so a code change doesn't reinstall them. pyproject installs no
# packages of its own (`packages = []`); the code is copied below. pyproject names
# README.md as the readme, so an empty stand-in lets this layer ignore README edits.
COPY pyproject.toml ./
RUN touch README.md && pip install . && rm -rf README.md build ./*.egg-info

COPY . .

# collectstatic imports the production settings, which refuse to load without a real-looking
# key. This placeholder signs nothing (image history shows it, harmlessly); the running
# container gets SECRET_KEY from its environment.
# hadolint ignore=DL3064
ARG COLLECTSTATIC_SECRET_KEY=collectstatic-only-build-time-value-not-used-at-runtime-0123456789
RUN SECRET_KEY="$COLLECTSTATIC_SECRET_KEY" python manage.py collectstatic --noinput \
    && rm -rf var/celery var/*.sqlite3* \
    && mkdir -p var/media \
    && chown peertrain:peertrain var var/media

USER 10001:10001

EXPOSE 8000

# Answers over plain HTTP inside the container (healthz is exempt from the HTTPS redirect).
# The Host header is one the settings allow, so ALLOWED_HOSTS needs no extra entry for it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["python", "-c", "\
import os, sys, urllib.request as u; \
hosts = [h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',')]; \
host = next((h for h in hosts if h and h != '*'), 'localhost'); \
r = u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=4); \
sys.exit(r.status != 200)"]

# The settings `make run` uses too (peertrain/gunicorn_conf.py): threaded workers, so a
# client that connects and sends nothing can't freeze a worker; WEB_CONCURRENCY worker
# processes (default 2) of WEB_THREADS threads (default 8); access log on stdout; no
# control socket. Production still wants a buffering proxy in front (README, "Production").
CMD ["gunicorn", "--config", "peertrain/gunicorn_conf.py", "--bind", "0.0.0.0:8000"]
