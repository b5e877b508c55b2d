# Trustline: the Telegram-facing bot (default command) or a scoring worker (`trustline worker`).
#   docker build -t trustline .
#   docker run --env-file .env -v trustline-data:/var/lib/trustline trustline          # SQLite, one process
# With PostgreSQL and scoring workers use compose.yaml; see docs/operations.md.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /opt/trustline

# 1. torch, CPU-only build from the PyTorch index (PyPI's default wheel brings GBs of CUDA
#    libraries). Its version comes from constraints.txt; its dependencies come from PyPI in step 2.
COPY constraints.txt ./
RUN pip install -c constraints.txt --no-deps --index-url https://download.pytorch.org/whl/cpu torch

# 2. Every other runtime dependency, at the versions CI tested. This layer is rebuilt only when
#    pyproject.toml or constraints.txt change, not on every code change.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > requirements.txt \
    && pip install -c constraints.txt -r requirements.txt \
    && rm requirements.txt

# 3. Trustline itself (see .dockerignore for what is left out), and the example configuration as
#    the default; mount your own at /etc/trustline/config.toml.
COPY . /tmp/src
RUN pip install -c constraints.txt /tmp/src \
    && install -D -m 0644 /tmp/src/config.example.toml /etc/trustline/config.toml \
    && rm -rf /tmp/src

# An unprivileged account; its home (mount a volume there) holds the SQLite file, when used, and
# the model cache.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /var/lib/trustline \
        --shell /usr/sbin/nologin trustline \
    && install -d -o trustline -g trustline -m 0750 /var/lib/trustline/hf

ENV TRUSTLINE_CONFIG=/etc/trustline/config.toml \
    TRUSTLINE_OPS__HOST=0.0.0.0 \
    TRUSTLINE_OPS__PORT=9090 \
    HF_HOME=/var/lib/trustline/hf \
    MPLCONFIGDIR=/tmp/matplotlib

USER 10001:10001
WORKDIR /var/lib/trustline
# 9090: /healthz, /readyz, /metrics ([ops]). 8443: Telegram webhook (telegram.mode = "webhook").
EXPOSE 9090 8443

# The slim image has no curl; Python's urllib fails (exit 1) on anything but a 2xx answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5m --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${TRUSTLINE_OPS__PORT}/healthz', timeout=4)" || exit 1

CMD ["trustline", "run"]
