"""The deployment files agree with each other: compose.yaml, .env.example, Dockerfile, systemd
units, constraints.txt and CI. Static checks only; nothing here builds an image or starts a unit."""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# ${VAR}, ${VAR:-default}, ${VAR:?message}; $${VAR} is escaped (left to the container's shell).
COMPOSE_VAR = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
ENV_LINE = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def documented_env() -> dict[str, tuple[str, bool]]:
    """Variables in .env.example: name -> (value, commented out), each checked to have a comment."""
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    found: dict[str, tuple[str, bool]] = {}
    for i, line in enumerate(lines):
        match = ENV_LINE.match(line)
        if not match:
            continue
        name = match.group(2)
        assert i > 0 and lines[i - 1].startswith("#"), f".env.example: {name} has no comment above it"
        found[name] = (match.group(3), bool(match.group(1)))
    return found


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = text.replace("\\\n", " ").splitlines()  # continuation lines become one instruction
    lines = [line.strip() for line in joined if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def command_text(service: dict[str, Any]) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


# --- compose.yaml -------------------------------------------------------------------------------


def test_compose_has_the_database_the_bot_and_the_workers(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"db", "bot", "worker"}


def test_db_is_official_postgres_on_a_named_volume_with_pg_isready(compose: dict[str, Any]) -> None:
    db = compose["services"]["db"]
    assert db["image"].split(":")[0] == "postgres"
    named = [v.split(":")[0] for v in db["volumes"] if not v.startswith((".", "/"))]
    assert named and all(name in compose["volumes"] for name in named)
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "${POSTGRES_PASSWORD" in db["environment"]["POSTGRES_PASSWORD"]


def test_bot_migrates_then_runs_after_the_database_is_healthy(compose: dict[str, Any]) -> None:
    bot = compose["services"]["bot"]
    command = command_text(bot)
    assert re.search(r"trustline db upgrade\s*&&\s*(exec\s+)?trustline run\b", command), command
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"


def test_worker_only_scores_and_can_be_scaled(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    assert command_text(worker) == "trustline worker"
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    # --scale worker=N needs no fixed container name and no fixed host port.
    assert "container_name" not in worker
    assert "ports" not in worker


@pytest.mark.parametrize("name", ["bot", "worker"])
def test_bot_and_worker_check_healthz_on_the_ops_port(compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]
    test = " ".join(service["healthcheck"]["test"])
    assert test.startswith("CMD-SHELL") and "/healthz" in test
    assert "TRUSTLINE_OPS__PORT" in test
    assert service["env_file"] == ".env"
    assert service.get("restart") in ("unless-stopped", "always", "on-failure")


def test_env_example_documents_every_variable_compose_uses(compose: dict[str, Any]) -> None:
    used = set(COMPOSE_VAR.findall((ROOT / "compose.yaml").read_text(encoding="utf-8")))
    documented = documented_env()
    assert used, "compose.yaml uses no ${VAR}: this check checks nothing"
    assert used <= set(documented), f"not in .env.example: {sorted(used - set(documented))}"


def test_env_example_documents_the_deployment_settings() -> None:
    documented = documented_env()
    for name in ("TRUSTLINE_TELEGRAM__TOKEN", "TRUSTLINE_STORAGE__URL", "TRUSTLINE_PRIVACY__PSEUDONYM_SECRET",
                 "TRUSTLINE_TELEGRAM__WEBHOOK_SECRET", "TRUSTLINE_NLP__MODEL", "HF_HUB_OFFLINE",
                 "TRUSTLINE_OPS__PORT", "POSTGRES_PASSWORD"):
        assert name in documented, name


def test_env_example_ships_no_secret_values() -> None:
    documented = documented_env()
    for name in ("TRUSTLINE_TELEGRAM__TOKEN", "POSTGRES_PASSWORD", "TRUSTLINE_PRIVACY__PSEUDONYM_SECRET",
                 "TRUSTLINE_TELEGRAM__WEBHOOK_SECRET"):
        value, _commented = documented[name]
        assert value == "", f"{name} has a value in .env.example"
    # An empty secret would be used as a key: optional secrets are commented out, not left empty.
    for name in ("TRUSTLINE_PRIVACY__PSEUDONYM_SECRET", "TRUSTLINE_TELEGRAM__WEBHOOK_SECRET"):
        assert documented[name][1], f"{name} must be commented out in .env.example"


# --- Dockerfile ---------------------------------------------------------------------------------


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [arg for instr, arg in dockerfile_instructions() if instr == "USER"]
    assert users, "no USER in the Dockerfile"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_dockerfile_health_check_calls_healthz_on_the_ops_port() -> None:
    checks = [arg for instr, arg in dockerfile_instructions() if instr == "HEALTHCHECK"]
    assert len(checks) == 1
    assert "http://127.0.0.1:${TRUSTLINE_OPS__PORT}/healthz" in checks[0]
    env = " ".join(arg for instr, arg in dockerfile_instructions() if instr == "ENV")
    assert "TRUSTLINE_OPS__HOST=0.0.0.0" in env
    assert re.search(r"TRUSTLINE_OPS__PORT=[1-9]\d*", env)


def test_dockerfile_installs_everything_with_the_constraints_and_cpu_torch() -> None:
    instructions = dockerfile_instructions()
    assert instructions[0][0] == "FROM" and re.match(r"python:3\.12(\.\d+)?-slim", instructions[0][1])
    installs = [arg for instr, arg in instructions if instr == "RUN" and "pip install" in arg]
    assert installs
    for run in installs:
        for command in re.split(r"&&|;", run):
            if "pip install" in command:
                assert "-c constraints.txt" in command, command
    cpu_index = [run for run in installs if "--index-url https://download.pytorch.org/whl/cpu" in run]
    assert len(cpu_index) == 1 and re.search(r"\btorch\b", cpu_index[0])
    assert ("COPY", "constraints.txt ./") in instructions


def test_dockerfile_default_command_runs_the_bot() -> None:
    commands = [arg for instr, arg in dockerfile_instructions() if instr == "CMD"]
    assert commands == ['["trustline", "run"]']


def test_docker_build_context_leaves_out_secrets_and_data() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines())
    assert {".git", ".env", "config.toml", "*.sqlite3"} <= ignored


# --- systemd ------------------------------------------------------------------------------------


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((ROOT / "deploy" / name).read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize(("name", "command"), [("trustline.service", "trustline run"),
                                               ("trustline-worker.service", "trustline worker")])
def test_systemd_units_run_trustline_hardened(name: str, command: str) -> None:
    service = unit(name)["Service"]
    assert service["ExecStart"].endswith(f"/{command}")
    assert service["Restart"] == "on-failure"
    assert service["ProtectSystem"] == "strict"
    assert service.get("DynamicUser") == "yes" or service.get("User") not in (None, "root")
    assert service["NoNewPrivileges"] == "yes"
    assert service["EnvironmentFile"].startswith("/etc/")
    assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


def test_systemd_bot_keeps_its_state_and_migrates_first() -> None:
    service = unit("trustline.service")["Service"]
    assert service["StateDirectory"] == "trustline"
    assert service["ExecStartPre"].endswith("/trustline db upgrade")


# --- constraints and CI -------------------------------------------------------------------------


def pinned() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][A-Za-z0-9.+!-]*)", line)
        assert match, f"constraints.txt: not an exact pin: {line!r}"
        pins[canonical(match.group(1))] = match.group(2)
    return pins


def test_constraints_pin_every_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = pinned()
    for requirement in declared:
        name = canonical(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))  # type: ignore[union-attr]
        assert name in pins, f"{name} is not pinned in constraints.txt"
    assert pins["torch"] == "2.13.0"
    assert "ruff" in pins and "prometheus-client" in pins
    assert "trustline" not in pins


def test_ci_installs_with_the_constraints() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in run.splitlines() if line.startswith("pip install")]
    assert commands and all("-c constraints.txt" in line for line in commands)
    assert "python -m pytest" in run
