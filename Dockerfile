# The production image: gunicorn for the web; the same image runs migrate, the Celery worker, beat and the backups.
# Every service's command is a script in deploy/bin/ (docker-compose.yml); packages come from the hashed lock file.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# gettext compiles the translations; postgresql-client (15, like the db service) makes and restores the backups.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
# Exactly the locked versions, each file checked against its hash.
RUN pip install --require-hashes --no-deps -r requirements.txt
COPY . .
# Build-time values only, to compile messages and collect static files; the real ones come from the environment.
RUN DJANGO_DEBUG=1 python manage.py compilemessages --ignore=.venv -v0 \
 && DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build SITE_URL=https://build \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 EMAIL_URL=dummymail:// \
    python manage.py collectstatic --noinput -v0 \
 && useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin burenhulp \
 && mkdir -p /app/var/media /backups \
 && chown -R burenhulp /app/var/media /backups
USER burenhulp
EXPOSE 8000
CMD ["deploy/bin/web"]
