"""gunicorn's settings for the web service (deploy/bin/web). Environment:

- PORT (8000): gunicorn listens on 0.0.0.0:PORT. Never publish this port: the reverse proxy is the only way in.
- WEB_CONCURRENCY (3) worker processes with WEB_THREADS (2) threads each.
- BURENHULP_TRUSTED_PROXY_COUNT: the same setting that drives Django's SECURE_PROXY_SSL_HEADER, DRF's NUM_PROXIES
  and the rate-limit keys (burenhulp/core/proxies.py). With a proxy in front, gunicorn believes its
  X-Forwarded-Proto from any address ("*"): inside the compose network only the proxy can reach gunicorn. Without
  one it believes nobody, so a visitor cannot make a plain HTTP request look secure.
- LOG_LEVEL and LOG_FORMAT (plain or json): gunicorn's own lines and its access log go through the same redaction
  filter and formatter as the platform's logs (paths hold signed links).
"""

import os

from burenhulp.core.proxies import parse_proxy_count
from burenhulp.observability import LOG_FORMATS, logging_config

_fmt = os.environ.get("LOG_FORMAT", "plain").lower()
if _fmt not in LOG_FORMATS:
    raise SystemExit(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {_fmt!r}.")

bind = f"0.0.0.0:{int(os.environ.get('PORT', '8000'))}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "2"))
forwarded_allow_ips = "*" if parse_proxy_count(os.environ.get("BURENHULP_TRUSTED_PROXY_COUNT")) else ""
# A request that takes longer than this is killed (and logged); the slowest page answers well within a second.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Each worker is replaced after about 1,000 requests, so a slow leak never grows for long; the jitter keeps the
# workers from restarting together.
max_requests = 1000
max_requests_jitter = 100
# The heartbeat files of the workers live in memory, not on the container's disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 — gunicorn's own advice for containers
control_socket_disable = True
accesslog = "-"
# No client addresses in the access log (personal data); the request line passes the redaction filter.
access_log_format = '"%(r)s" status=%(s)s bytes=%(B)s ms=%(M)s'
logconfig_dict = logging_config(level=os.environ.get("LOG_LEVEL", "INFO").upper(), fmt=_fmt, gunicorn=True)
