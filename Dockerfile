# syntax=docker/dockerfile:1
# En Avant · Vooruit as a container: the wheel (texts, reference data and migrations inside)
# installed on a slim Python, run as a non-root user. `enavant run` migrates the database on
# start (replicas starting together take turns: PostgreSQL advisory lock), then serves a
# webhook when WEBHOOK_URL is set, else long-polls. See README, "Deploying".
#
#   docker build -t enavant-vooruit .

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
# What the build reads (setup.py copies content/ and examples/ into the package).
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY bot ./bot
COPY content ./content
COPY examples ./examples
# The bot's wheel and the wheels of all it depends on, for an offline install below.
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels enavant-vooruit
RUN useradd --system --uid 10001 --user-group --home-dir /app --create-home enavant \
    && mkdir /app/data && chown enavant:enavant /app/data
WORKDIR /app
USER enavant
# Without DATABASE_URL: the embedded default, SQLite, in a volume. Health endpoints on 8080 in
# both modes (the webhook's port; HEALTH_PORT is read in polling mode only).
ENV DATABASE_URL=sqlite+aiosqlite:////app/data/enavant.db \
    WEBHOOK_LISTEN_HOST=0.0.0.0 \
    WEBHOOK_LISTEN_PORT=8080 \
    HEALTH_PORT=8080
VOLUME ["/app/data"]
EXPOSE 8080
# slim has no curl: Python's urllib asks /healthz (any answer but 2xx raises: unhealthy).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
# `docker run IMAGE` runs the bot; `docker run IMAGE db backup ...` any other command.
ENTRYPOINT ["enavant"]
CMD ["run"]
