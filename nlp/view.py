"""One call's text, normalised once.

Each analyser reads the segments in its own form: sentiment and intent want the
Simplified text with misheard terms read back by sound (nlp.terms); the complaint
rules and the entity finder want the fixes only, so their spans still index what
was said; the upsell cues want
fillers out and a phonetic string; the compliance rules want a compact form
(NFKC, no spaces). ``SegmentText`` holds every form of one segment, each computed
on first use and kept; ``TextView`` holds them for a whole call. The pipeline
builds one view per call and hands it to every analyser, so no form is computed
twice. The original text stays as given (display, evidence, offsets).

Which steps run in which order is part of each form's contract (fixing homophones
before or after dropping fillers can differ), so the forms are not derived from
one another beyond what is equal by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from core.types import Transcript
from nlp.phonetic import pho
from nlp.terms import TermCorrector
from nlp.text import fix_asr_terms, normalize, spoken_digits_to_arabic, strip_fillers

__all__ = ["SegmentText", "TextView", "as_text", "prepare"]


@dataclass(frozen=True)
class SegmentText:
    """The forms of one segment's text; equal (and hashed) by the text alone.

    ``corrector``: the deployment's vocabulary for the sound-based term correction
    (nlp.terms); None reads with the built-in finance lexicon."""

    text: str
    corrector: TermCorrector | None = field(default=None, compare=False, repr=False)

    def _fix(self, form: str) -> str:
        # The one place the call path fixes ASR homophones. A form that normalising
        # left as it was (the usual ASR line: Simplified, no spaces, no fillers) shares
        # the fixed text instead of fixing it again.
        if form == self.text:
            return self.fixed
        return fix_asr_terms(form, self.corrector)

    @cached_property
    def fixed(self) -> str:
        """Terms misheard by sound read back (李财 → 理财, 营航 → 银行), nothing else: same
        length as ``text``, so a span found here indexes the original."""
        return fix_asr_terms(self.text, self.corrector)

    @cached_property
    def fixed_phonetic(self) -> str:
        """The phonetic string of ``fixed`` (nlp.phonetic.pho), same offsets."""
        return pho(self.fixed)

    @cached_property
    def normalised(self) -> str:
        """Simplified, half-width, lower-case, homophones fixed: what sentiment reads."""
        return self._fix(normalize(self.text))

    @cached_property
    def clean(self) -> str:
        """What the intent classifiers see: ``normalised`` without fillers, spoken digit
        strings as digits, punctuation dropped."""
        t = spoken_digits_to_arabic(strip_fillers(self.normalised))
        return "".join(ch for ch in t if ch.isalnum() or ch == " ")

    @cached_property
    def unfilled(self) -> str:
        """The original text without hesitation fillers (summaries quote it)."""
        return strip_fillers(self.text)

    @cached_property
    def prepared(self) -> str:
        """Fillers dropped, then normalised and fixed: what the upsell cues read."""
        return self._fix(normalize(self.unfilled))

    @cached_property
    def phonetic(self) -> str:
        """The phonetic string of ``prepared``, same offsets."""
        return pho(self.prepared)

    @cached_property
    def compact(self) -> str:
        """NFKC, no spaces, clause-initial fillers out (normalize(compact=True)): what
        the compliance rules read (qa.textfeat encodes it phonetically itself)."""
        return normalize(self.text, compact=True)


def as_text(text: str | SegmentText) -> SegmentText:
    """The forms of ``text``; a single-sentence caller (the live path, a test) passes a str."""
    return text if isinstance(text, SegmentText) else SegmentText(text)


def prepare(text: str | SegmentText) -> tuple[str, str]:
    """(fillers out, normalised and fixed text; its phonetic string)."""
    t = as_text(text)
    return t.prepared, t.phonetic


@dataclass(frozen=True)
class TextView:
    """Every segment's ``SegmentText`` for one call, in segment order."""

    segments: tuple[SegmentText, ...]

    @classmethod
    def of(cls, transcript: Transcript, corrector: TermCorrector | None = None) -> TextView:
        """The view of ``transcript``; ``corrector`` holds the deployment's vocabulary
        (products, institution and branch names), None the built-in lexicon alone."""
        return cls(tuple(SegmentText(s.text, corrector) for s in transcript.segments))

    def __getitem__(self, i: int) -> SegmentText:
        return self.segments[i]

    def __len__(self) -> int:
        return len(self.segments)
