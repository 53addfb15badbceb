"""A call's recording for the console's player: streamed with HTTP Range support
(Starlette's FileResponse answers Range / If-Range with 206 / 416), scope-checked
like every other call endpoint.

Browsers play Ogg (Opus, Vorbis, FLAC), WAV (PCM), MP3, FLAC and WebM natively; any
other stored format (AMR, WMA, AAC/M4A, which Chromium builds without proprietary
codecs refuse) is decoded once with PyAV into a 16-bit PCM WAV cached under
data_dir/audio-cache and that file is served instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import av
from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.deps import PrincipalDep, SessionDep
from callsight.config import settings
from callsight.errors import NotFound, UnsupportedMedia
from callsight.services.calls import get_call

router = APIRouter(prefix="/v1", tags=["calls"])

# (container, codec) pairs Chromium/Firefox play without help; "*" = any codec.
PLAYABLE: dict[str, tuple[str, set[str]]] = {
    "ogg": ("audio/ogg", {"opus", "vorbis", "flac"}),
    "wav": ("audio/wav", {"pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_u8", "pcm_alaw", "pcm_mulaw"}),
    "mp3": ("audio/mpeg", {"mp3", "mp3float"}),
    "flac": ("audio/flac", {"flac"}),
    "matroska,webm": ("audio/webm", {"opus", "vorbis"}),
}


def probe_format(path: Path) -> tuple[str, str]:
    """(container, codec) of the first audio stream, as PyAV names them."""
    try:
        with av.open(str(path)) as container:
            stream = next(s for s in container.streams if s.type == "audio")
            return container.format.name, stream.codec_context.name
    except (av.error.FFmpegError, StopIteration) as exc:
        raise UnsupportedMedia(f"the stored recording cannot be decoded: {exc}", code="bad_audio") from exc


def browser_type(container: str, codec: str) -> str | None:
    for name, (mime, codecs) in PLAYABLE.items():
        if container == name and codec in codecs:
            return mime
    return None


def transcode_to_wav(src: Path, dest: Path) -> None:
    """Decode ``src`` to 16-bit PCM WAV at its own rate and channel count (atomic write)."""
    tmp = dest.with_suffix(f".{os.getpid()}.part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with av.open(str(src)) as inp, av.open(str(tmp), mode="w", format="wav") as out:
            if not inp.streams.audio:
                raise UnsupportedMedia("the stored recording has no audio stream", code="bad_audio")
            in_stream = inp.streams.audio[0]
            rate = in_stream.codec_context.sample_rate or 8000
            layout = "stereo" if (in_stream.codec_context.channels or 1) >= 2 else "mono"
            out_stream = out.add_stream("pcm_s16le", rate=rate, layout=layout)
            resampler = av.AudioResampler(format="s16", layout=layout, rate=rate)
            for frame in inp.decode(in_stream):
                if not isinstance(frame, av.AudioFrame):
                    continue
                for converted in resampler.resample(frame):
                    for packet in out_stream.encode(converted):
                        out.mux(packet)
            for converted in resampler.resample(None):
                for packet in out_stream.encode(converted):
                    out.mux(packet)
            for packet in out_stream.encode(None):
                out.mux(packet)
        os.replace(tmp, dest)
    except av.error.FFmpegError as exc:
        tmp.unlink(missing_ok=True)
        raise UnsupportedMedia(f"the stored recording cannot be converted for playback: {exc}",
                               code="bad_audio") from exc


def playable_file(call_id: str, path: Path) -> tuple[Path, str]:
    container, codec = probe_format(path)
    mime = browser_type(container, codec)
    if mime is not None:
        return path, mime
    cached = settings.data_dir / "audio-cache" / f"{call_id}.wav"
    if not cached.exists() or cached.stat().st_mtime < path.stat().st_mtime:
        transcode_to_wav(path, cached)
    return cached, "audio/wav"


@router.get(
    "/calls/{call_id}/audio",
    summary="The call's recording, for playback (HTTP Range supported)",
    description="Streams the stored recording; formats browsers cannot play (AMR, WMA, AAC…) are converted "
    "once to WAV. Every role, within its scope (agents: own calls). 404 for transcript-only calls.",
    response_class=FileResponse,
    responses={206: {"description": "the requested byte range"}, 416: {"description": "range not satisfiable"}},
)
def get_audio(session: SessionDep, principal: PrincipalDep, call_id: str) -> FileResponse:
    call = get_call(session, call_id, principal)
    if call.source != "audio" or not call.audio_path:
        raise NotFound(f"call '{call_id}' has no recording (it was ingested as a transcript)", code="no_audio")
    path = Path(call.audio_path)
    session.rollback()  # the rest reads files only: end the transaction before streaming
    if not path.exists():
        raise NotFound(f"the recording of call '{call_id}' is missing from storage", code="audio_missing")
    served, mime = playable_file(call_id, path)
    return FileResponse(served, media_type=mime, filename=f"{call_id}{served.suffix}",
                        content_disposition_type="inline", headers={"Cache-Control": "private, max-age=3600"})

