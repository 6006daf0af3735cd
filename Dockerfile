# briefbot: the Discord bot, as a container image. See docs/operating.md, "Running in a container".
#   docker build -t briefbot .
#   docker run -d --env-file .env -v briefbot-data:/data -v "$PWD/articles:/articles:ro" briefbot
# Any Debian-based image with python, pip and useradd will do; python:3.12-slim is the one meant.
ARG PYTHON_IMAGE=python:3.12-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first (a layer that changes only with pyproject.toml), then the code.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
RUN pip install --no-compile . \
    && groupadd --system --gid 10001 briefbot \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin briefbot \
    && mkdir -p /data /articles \
    && chown briefbot:briefbot /data
COPY deploy/healthcheck.py ./deploy/healthcheck.py

# The database (read and written) and the articles folder (read only).
ENV BRIEFBOT_DB=/data/briefbot.sqlite3 \
    BRIEFBOT_ARTICLES_DIR=/articles
VOLUME ["/data", "/articles"]

# briefbot (numeric, so that a runtime can check it is not root without reading /etc/passwd)
USER 10001:10001
WORKDIR /data

# Healthy when the bot has its database open (it opens it once Discord accepted the token) at this
# image's schema version; see deploy/healthcheck.py for what it cannot tell.
HEALTHCHECK --interval=60s --timeout=10s --start-period=120s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py"]

# SIGTERM (docker stop) stops the bot within 10 seconds, with status 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["briefbot"]
CMD ["run"]
