"""Trustline configuration: TOML file plus ``TRUSTLINE_<SECTION>__<KEY>`` environment overrides.

Every key is documented in ``config.example.toml``; the defaults here are the embedded ones a fresh
install runs on (SQLite file beside the working directory, English, no staff chats yet).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from nlp.settings import NlpSettings
from nlp.topics import TopicTagger
from trust.settings import TrustSettings

CONFIG_ENV = "TRUSTLINE_CONFIG"
DEFAULT_CONFIG_FILES = ("config.toml", "config.example.toml")
UNIT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
HH_MM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def parse_hhmm(value: str) -> time:
    """``"08:00"`` as a time of day; the one HH:MM parser (config validation and the digest schedule)."""
    match = HH_MM.fullmatch(value)
    if match is None:
        raise ValueError("time must be HH:MM (24-hour)")
    return time(int(match.group(1)), int(match.group(2)))


class ConfigError(Exception):
    """One clear, user-facing message about what is wrong with the configuration."""


class Section(BaseModel):
    """A config section; unknown keys are errors, so a typo never silently falls back to a default."""

    model_config = ConfigDict(extra="forbid")


class TelegramSettings(Section):
    token: SecretStr | None = None
    # Agencies that run their own Bot API server (or tests with the fake one) change both URLs.
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    poll_timeout: int = Field(default=30, ge=0, le=60)
    # Telegram user ids allowed to use staff commands before staff enrolment exists for them.
    admin_ids: list[int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> TelegramSettings:
        if self.mode == "webhook" and not self.webhook_url:
            raise ValueError("telegram.webhook_url is required when telegram.mode = 'webhook'")
        return self


class StorageSettings(Section):
    url: str = "sqlite:///trustline.sqlite3"
    echo_sql: bool = False


class PrivacySettings(Section):
    # Keyed HMAC secret for resident pseudonyms. When unset, one is generated on first start and
    # kept in the database, so pseudonyms stay stable; set it explicitly to share it across hosts.
    pseudonym_secret: SecretStr | None = None
    retention_days: int = Field(default=180, ge=1)


class AgencySettings(Section):
    name: str = "Example Police Department"
    timezone: str = "UTC"
    emergency_number: str = "911"
    complaint_url: str | None = None
    default_language: Literal["en", "es", "fr"] = "en"
    # Staff chat that receives emergency alerts immediately (a Telegram chat id).
    duty_chat_id: int | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name like 'America/Chicago')") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class UnitSettings(Section):
    code: str
    name: str
    district: str

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not UNIT_CODE.match(value):
            raise ValueError("unit code must be 1-40 letters, digits, '.', '_' or '-'")
        return value


class ConversationSettings(Section):
    # More messages than this from one resident in an hour get a polite "slow down" and are not
    # stored, so one person cannot flood the staff queue or the scorer.
    flood_messages_per_hour: int = Field(default=30, ge=1)
    max_messages_per_submission: int = Field(default=20, ge=1)
    # Conversations idle this long are closed (their stored messages are kept and submitted).
    idle_timeout_minutes: int = Field(default=60, ge=1)


class FollowupSettings(Section):
    negative_score_threshold: float = Field(default=-0.4, ge=-1, le=1)
    negative_rating_threshold: int = Field(default=3, ge=0, le=10)
    sensitive_topics: list[str] = Field(default_factory=lambda: ["misconduct_allegation", "use_of_force"])
    trigger_topics: list[str] = Field(default_factory=lambda: ["misconduct_allegation", "use_of_force"])
    positive_score_threshold: float = Field(default=0.5, ge=-1, le=1)
    remind_after_hours: float = Field(default=24, gt=0)
    escalate_after_hours: float = Field(default=72, gt=0)
    kudos_time: str = "17:00"
    enrollment_code_hours: float = Field(default=72, gt=0)


class DigestSettings(Section):
    # day_of_week hour:minute in the agency time zone
    weekly_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    weekly_time: str = "08:00"
    daily_enabled: bool = False
    daily_time: str = "07:30"
    catch_up_weeks: int = Field(default=1, ge=0, le=8)
    # How often the bot checks for digests that are due (catch-up after downtime, new chats).
    check_minutes: int = Field(default=10, ge=1, le=1440)
    # A digest claimed but not finished after this long was interrupted mid-send (a crash): it is
    # marked failed and reported to admins, never resent automatically (no duplicates).
    claim_timeout_minutes: int = Field(default=30, ge=5, le=1440)

    @field_validator("weekly_time", "daily_time")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        parse_hhmm(value)
        return value


class OpsSettings(Section):
    # Health and metrics endpoints (/healthz, /readyz, /metrics). Port 0 starts no server; the
    # default host keeps them off the network unless an operator opens them deliberately.
    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRUSTLINE_",
        env_nested_delimiter="__",
        extra="forbid",
        nested_model_default_partial_update=True,
    )

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    agency: AgencySettings = Field(default_factory=AgencySettings)
    units: list[UnitSettings] = Field(default_factory=list)
    conversation: ConversationSettings = Field(default_factory=ConversationSettings)
    followup: FollowupSettings = Field(default_factory=FollowupSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    trust: TrustSettings = Field(default_factory=TrustSettings)
    ops: OpsSettings = Field(default_factory=OpsSettings)

    @field_validator("units")
    @classmethod
    def _unique_unit_codes(cls, units: list[UnitSettings]) -> list[UnitSettings]:
        codes = [u.code.lower() for u in units]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"duplicate unit codes: {', '.join(dupes)}")
        return units

    @model_validator(mode="after")
    def _known_topics(self) -> Settings:
        # A mistyped topic would silently never trigger a case; topics are the shipped rules' plus
        # any that nlp.topics_extra_keywords adds.
        known = TopicTagger(self.nlp.topics_extra_keywords).topics
        for key in ("sensitive_topics", "trigger_topics"):
            unknown = [topic for topic in getattr(self.followup, key) if topic not in known]
            if unknown:
                raise ValueError(f"followup.{key}: unknown topic {', '.join(map(repr, unknown))}; "
                                 f"known: {', '.join(known)}")
        return self

    # Thresholds taken from nlp.calibration (name -> value), for `trustline model info`.
    _calibrated: dict[str, float] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _apply_calibration(self) -> Settings:
        """Thresholds follow the model: those in nlp.calibration apply unless the config sets them."""
        if not self.nlp.calibration:
            return self
        applied: dict[str, float] = {}
        for name, value in read_calibration(self.nlp.calibration).items():
            section_name, key = name.split(".", 1)
            section = getattr(self, section_name)
            if key in section.model_fields_set:
                continue  # the agency chose this one itself
            try:
                type(section).model_validate({**section.model_dump(), key: value})
            except ValidationError:
                raise ValueError(f"nlp.calibration: {name} = {value:g} in {self.nlp.calibration} is out of range") from None
            object.__setattr__(self, section_name, section.model_copy(update={key: value}))
            applied[name] = value
        self._calibrated = applied
        return self

    @property
    def calibrated(self) -> dict[str, float]:
        """Thresholds in force because nlp.calibration set them (name -> value)."""
        return dict(self._calibrated)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's contents arrive as init data (see load_settings); the environment wins over
        # the file so secrets never need to be written into it.
        return (env_settings, init_settings)

    @property
    def districts(self) -> list[str]:
        return sorted({u.district for u in self.units})


def find_config_file(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The file to read: --config, then $TRUSTLINE_CONFIG, then ./config.toml, ./config.example.toml."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"Config file not found: {path}")
        return path
    env = os.environ.get(CONFIG_ENV)
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"Config file not found: {path} (from ${CONFIG_ENV})")
        return path
    for name in DEFAULT_CONFIG_FILES:
        if Path(name).is_file():
            return Path(name)
    return None


CALIBRATED_THRESHOLDS = ("followup.negative_score_threshold", "nlp.emergency_model_threshold")


def read_calibration(path: str | os.PathLike[str]) -> dict[str, float]:
    """The thresholds in a file from `trustline model calibrate --write` (name -> value)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"nlp.calibration: cannot read {path}: {exc.strerror or exc}") from None
    except ValueError:
        data = None
    thresholds = data.get("thresholds") if isinstance(data, dict) else None
    if not isinstance(thresholds, dict):
        raise ValueError(f"nlp.calibration: {path} is not a file written by `trustline model calibrate --write`")
    found = {name: thresholds[name].get("value") for name in CALIBRATED_THRESHOLDS if isinstance(thresholds.get(name), dict)}
    return {name: float(v) for name, v in found.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def load_settings(path: str | os.PathLike[str] | None = None, **overrides: object) -> Settings:
    """Load and validate settings; any problem becomes one ConfigError naming the key."""
    toml_path = find_config_file(path)
    data: dict[str, Any] = {}
    if toml_path is not None:
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"Could not read config file {toml_path}: {exc}") from None
    for section, values in overrides.items():
        if isinstance(values, dict) and isinstance(data.get(section), dict):
            data[section] = {**data[section], **values}
        else:
            data[section] = values
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, toml_path)) from None


def _describe(exc: ValidationError, toml_path: Path | None) -> str:
    where = f" in {toml_path}" if toml_path else ""
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        env = "TRUSTLINE_" + "__".join(str(p).upper() for p in err["loc"] if not isinstance(p, int))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling against config.example.toml)"
        if not err["loc"]:  # a check across sections names its keys itself
            lines.append(f"  {msg.removeprefix('Value error, ')}")
            continue
        lines.append(f"  {key}: {msg} (file key '{key}', env {env})")
    noun = "problem" if len(lines) == 1 else "problems"
    return f"Invalid configuration{where} - {len(lines)} {noun}:\n" + "\n".join(lines)
