"""Live suggestions during a call: the glue between the WebSocket (api/routes/live.py)
and the pure parts (asr.stream segments audio, upsell.during_call keeps the conversation and
finds openings).

One ``LiveSession`` per connection. Text messages are parsed and checked here; a bad
message gets an ``error`` reply and the connection lives on. Audio frames are split
into channels and cut into utterances on the event loop (cheap numpy); each finished
utterance is transcribed on the process's single ASR thread (one ASR at a time per
process, the engine loaded once, callsight/runtime.py), then opening detection runs
on a worker thread, so the event loop only ever waits on I/O. Protocol: docs/upsell.md.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
from pydantic import ValidationError

from asr.audio import WHISPER_RATE
from asr.stream import EnergySegmenter, Utterance, deinterleave_pcm16, resample
from callsight import runtime
from callsight.config import settings
from callsight.live_messages import (
    Ended,
    Envelope,
    Problem,
    ServerMessage,
    Started,
    StartMessage,
    Suggested,
    Transcribed,
    TurnMessage,
    first_problem,
)
from core.enums import Speaker
from core.jsonio import JsonObject
from upsell.during_call import LiveConversation, LiveEvent
from upsell.scripts import LibraryError, ScriptLibrary

log = logging.getLogger(__name__)

Send = Callable[[ServerMessage], Awaitable[None]]
MAX_FRAME_BYTES = 1 << 20
CUSTOMER_FIRST, AGENT_LATER = 0, 1


class AsrThread:
    """One ASR at a time in this process (Whisper already uses every core it is given; a
    second decode in parallel would only slow both), customer utterances first: they
    are what a suggestion waits for, agent turns only decide 开口."""

    def __init__(self) -> None:
        self._queue: queue.PriorityQueue[tuple[int, int, Callable[[], Any], Future[Any]]] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, priority: int, fn: Callable[[], Any]) -> Future[Any]:
        fut: Future[Any] = Future()
        self._queue.put((priority, next(self._seq), fn, fut))
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="live-asr", daemon=True)
                self._thread.start()
        return fut

    def _run(self) -> None:
        while True:
            _, _, fn, fut = self._queue.get()
            if not fut.set_running_or_notify_cancel():
                continue  # its connection went away
            try:
                fut.set_result(fn())
            except BaseException as exc:  # handed to the awaiting task, which reports it
                fut.set_exception(exc)


_ASR = AsrThread()


@lru_cache(maxsize=1)
def script_library() -> ScriptLibrary | None:
    try:
        return runtime.load_script_library()
    except LibraryError:
        log.exception("script library unusable: live openings are sent without scripts")
        return None


def transcribe_utterance(audio: np.ndarray, rate: int) -> str:
    """Only this utterance, not the call so far: latency stays flat as the call goes on."""
    pieces = runtime.asr_engine().transcribe_array(resample(audio, rate), use_hotwords=settings.asr_use_hotwords,
                                                   beam_size=settings.live_beam_size, word_timestamps=False)
    return "".join(p.text for p in pieces).strip()


@lru_cache(maxsize=1)
def warm_up() -> None:
    """Pay the one-off costs before the first words wait on them: the Whisper model, its
    VAD model and first decode, the text analysers' dictionaries (jieba, pinyin)."""
    engine = runtime.asr_engine()
    t = np.arange(WHISPER_RATE) / WHISPER_RATE
    engine.transcribe_array((0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32))
    LiveConversation(script_library()).add_turn("customer", "我的理财下个月十五号到期了有三十万", 0.0, 2.0)


class MessageError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


M = TypeVar("M", TurnMessage, StartMessage)


def _parse(model: type[M], msg: JsonObject) -> M:
    try:
        return model.model_validate(msg)
    except ValidationError as exc:
        raise MessageError("invalid_message", first_problem(exc)) from exc


class LiveSession:
    def __init__(self, send: Send, *, library: ScriptLibrary | None, meta: JsonObject | None = None) -> None:
        self._send = send
        self.meta: JsonObject = dict(meta or {})  # call meta: free-form JSON from the client
        # The same dict: meta sent later (customer_risk_level, call_id as the A/B seed) applies at once.
        self.conversation = LiveConversation(library, self.meta)
        self._lock = asyncio.Lock()  # the conversation is updated by one task at a time
        self._tasks: set[asyncio.Task[None]] = set()
        self._segmenters: list[EnergySegmenter] = []
        self._roles: list[Speaker | None] = []
        self._rate = 0
        self._arrivals: deque[tuple[float, float]] = deque(maxlen=3000)  # (stream seconds, wall clock)
        self._last_end = 0.0

    # -- text messages ------------------------------------------------------------
    async def on_text(self, raw: str) -> None:
        try:
            msg = json.loads(raw)
        except json.JSONDecodeError as exc:
            await self.error("bad_json", f"message is not valid JSON: {exc.msg} (line {exc.lineno} col {exc.colno})")
            return
        try:
            envelope = Envelope.model_validate(msg)
        except ValidationError:
            await self.error("invalid_message", "a message is a JSON object with a string 'type'")
            return
        try:
            await self._dispatch(envelope, msg)
        except MessageError as exc:
            await self.error(exc.code, str(exc))

    async def _dispatch(self, envelope: Envelope, msg: JsonObject) -> None:
        kind = envelope.type
        if envelope.meta is not None:
            self.meta.update(envelope.meta)  # e.g. customer_risk_level; the conversation reads it live
        if kind == "turn":
            await self._turn(_parse(TurnMessage, msg))
        elif kind == "start":
            if self._segmenters:  # refused before the message itself is looked at
                raise MessageError("already_started", "audio already started; send 'end' first")
            await self._start(_parse(StartMessage, msg))
        elif kind == "end":
            await self._end()
        elif kind in ("meta", "auth"):
            return  # meta merged above; a repeated auth changes nothing
        else:
            raise MessageError("unknown_type", f"unknown message type '{kind}' (turn, start, end, meta)")

    async def _turn(self, msg: TurnMessage) -> None:
        received = time.perf_counter()
        start = self._last_end if msg.start is None else msg.start
        end = start if msg.end is None else msg.end
        if end < start:
            raise MessageError("invalid_message", "'end' is before 'start'")
        self._last_end = max(self._last_end, end)
        await self._add(msg.speaker, msg.text, start, end, received)

    async def _add(self, speaker: Speaker, text: str, start: float, end: float, since: float) -> None:
        async with self._lock:
            events = await asyncio.to_thread(self.conversation.add_turn, speaker, text, start, end)
        for ev in events:
            await self._event(ev, since)

    async def _event(self, ev: LiveEvent, since: float) -> None:
        await self._send(Suggested(ev, round((time.perf_counter() - since) * 1000)))

    async def error(self, code: str, message: str) -> None:
        await self._send(Problem(code=code, message=message))

    # -- audio --------------------------------------------------------------------
    async def _start(self, msg: StartMessage) -> None:
        channels, layout = msg.channels, msg.layout
        roles = [r.strip() for r in layout.split(",")]
        if len(roles) != channels or any(r not in ("agent", "customer", "-") for r in roles):
            raise MessageError("invalid_message", f"'layout' must name agent / customer / - for each of the "
                                                  f"{channels} channel(s), e.g. 'agent,customer'")
        self._rate = msg.sample_rate
        self._roles = [None if r == "-" else ("agent" if r == "agent" else "customer") for r in roles]
        self._segmenters = [EnergySegmenter(i, self._rate, pause_s=settings.live_pause_s,
                                            max_s=settings.live_max_utterance_s) for i in range(channels)]
        # Load the model now (once per process), not when the first words are waiting.
        _ASR.submit(CUSTOMER_FIRST, warm_up)
        await self._send(Started(sample_rate=self._rate, channels=channels, layout=layout))

    async def on_bytes(self, data: bytes) -> None:
        if not self._segmenters:
            await self.error("not_started", "audio before 'start': send {\"type\":\"start\",\"sample_rate\":8000,"
                                            "\"channels\":2,\"layout\":\"agent,customer\"} first")
            return
        if len(data) > MAX_FRAME_BYTES:
            await self.error("frame_too_large", f"an audio frame may hold at most {MAX_FRAME_BYTES} bytes")
            return
        try:
            channels = deinterleave_pcm16(data, len(self._segmenters))
        except ValueError as exc:
            await self.error("bad_audio", str(exc))
            return
        now = time.perf_counter()
        for seg, audio in zip(self._segmenters, channels, strict=True):
            for utt in seg.feed(audio):
                self._spawn(utt)
        self._arrivals.append((self._segmenters[0].position_s, now))

    def _arrived(self, stream_s: float) -> float:
        """Wall clock when the audio up to ``stream_s`` had arrived: the end of the words."""
        return next((wall for pos, wall in self._arrivals if pos >= stream_s), time.perf_counter())

    def _spawn(self, utt: Utterance) -> None:
        if self._roles[utt.channel] is None:
            return
        task = asyncio.create_task(self._utterance(utt, self._arrived(utt.end)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _utterance(self, utt: Utterance, since: float) -> None:
        speaker = self._roles[utt.channel]
        assert speaker is not None
        timing: dict[str, float] = {"queued": time.perf_counter()}

        def run() -> str:
            timing["asr_start"] = time.perf_counter()
            try:
                return transcribe_utterance(utt.audio, self._rate)
            finally:
                timing["asr_end"] = time.perf_counter()

        try:
            text = await asyncio.wrap_future(_ASR.submit(CUSTOMER_FIRST if speaker == "customer" else AGENT_LATER, run))
        except Exception as exc:  # the connection survives a failed decode; the reason goes to the client
            log.exception("live ASR failed")
            await self.error("asr_failed", f"transcription failed: {exc.__class__.__name__}")
            return
        if not text:
            return
        # Where the time went: the pause that ends an utterance, the wait for the ASR thread, the decode.
        ms = {k: round((v - since) * 1000) for k, v in timing.items()}
        await self._send(Transcribed(speaker=speaker, text=text, start=round(utt.start, 2), end=round(utt.end, 2),
                                     latency_ms=round((time.perf_counter() - since) * 1000), timing_ms=ms))
        await self._add(speaker, text, utt.start, utt.end, since)

    async def _end(self) -> None:
        for seg in self._segmenters:
            for utt in seg.flush():
                self._spawn(utt)
        await self.drain()
        self._segmenters = []
        await self._send(Ended(turns=len(self.conversation.turns)))

    async def drain(self) -> None:
        """Wait for utterances still being transcribed."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
