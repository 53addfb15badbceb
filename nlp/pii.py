"""Personal data in what people said: ID cards, mobile and landline numbers, bank
cards, e-mail addresses.

Call-centre speech reads numbers out in every form: Arabic digits from a typed
transcript, Chinese numerals from ASR (幺三八…, 洞 for 0), groups split by the
spaces/commas/fillers ASR puts between words (138 1234 5678, 幺三八，一二三四).
Detection therefore works on the *characters* of the original text: a number is
a list of character positions, and masking replaces the middle ones with ``*``
one for one, so the masked text has exactly the original length and every span,
word slice and timestamp computed on the original stays valid.

Validation keeps ordinary numbers alone (amounts, dates, order numbers): an ID
card needs its ISO 7064 checksum, a bank card its Luhn digit, a mobile the
1[3-9] prefix and 11 digits, a landline its area code (or, for a bare local
number, a word such as 座机 before it). ASR gets a digit wrong often enough that a
number announced as one (身份证号是… / 卡号… / 手机…) is taken on its length alone,
and an 18-digit number shaped like an ID card (plausible birth date) is masked
unless it is labelled as something else (订单号…): a masked order number costs
little, an unmasked ID card is a leak. For the same reason any other run of 10 to 19
digits is masked unless it is labelled as one of ours: the question that announced it
is often the other speaker's previous turn, which a quoted sentence does not carry.

A number split over turns (the customer pauses, ASR starts a new segment) is only
visible across them: ``mask_turns`` masks a list of turns together (up to three pieces
of one speaker, a backchannel of the other between), and reads the turns before a turn
as the label of its first long number (坐席: 资金账号报一下 / 客户: 好的… 66012345);
what labels a number and which kind it is: nlp.pii_labels.

Digits come in every written and spoken form: Arabic, full-width, Chinese and capital
numerals, 幺/两/洞, and ASR's sound-alikes (要 for 幺, 期 for 七, 久 for 九) where they
stand between two digits; groups are split by any white space, commas, dashes, dots,
杠 and hesitation sounds.

Amounts written with thousands separators or decimals (1,000,000.00), dates and clock
times (2024-03-15 14:30:25) and 400/800 service lines are ours or nobody's: their digits
never join a run, so they are not read as one long number.

Later stages quote a turn without its label (a keyword, a clause in a summary), and the
agent reads a number back without one: a 7-digit account number alone looks like
nothing. ``known_numbers`` lists the numbers found in the turns and ``mask_known`` masks
them wherever else they appear; ``mask_turns`` does so in the turns themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.result import PiiRecord
from nlp.pii_email import find_emails
from nlp.pii_labels import CONTEXT_WINDOW, Labels, PiiKind, classify
from nlp.spoken import SPOKEN_DIGITS

__all__ = ["PiiKind", "PiiSpan", "crossing", "find_pii", "known_numbers", "leads", "mask_known", "mask_text",
           "mask_turns", "pieces_positions"]

# 两 is no digit for quantities (nlp.spoken), but people do read 2 as 两 inside a number
# (幺三两…); a quantity (两三百) never makes a run of seven digits, so here it counts.
# The capital numerals of cheques and contracts (壹贰叁…) are digits wherever they stand.
_DIGIT_MAP = {**SPOKEN_DIGITS, "两": "2", **{str(i): str(i) for i in range(10)},
              **{chr(0xFF10 + i): str(i) for i in range(10)},
              **{c: str(i) for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}}
# What ASR writes for a digit it heard (要 for 幺, 期 for 七, 久 for 九…): common words
# elsewhere, so one counts as a digit only between two digits (幺三八要二…).
_SOUND_ALIKE = {**{c: "1" for c in "要妖腰邀医衣依伊"}, **{c: "0" for c in "灵玲铃凌"},
                **{c: "2" for c in "儿尔而"}, **{c: "3" for c in "山衫"}, **{c: "4" for c in "似寺死"},
                **{c: "5" for c in "舞武午吴"}, **{c: "6" for c in "溜留刘"}, **{c: "7" for c in "期妻漆欺"},
                **{c: "8" for c in "吧巴爸"}, **{c: "9" for c in "久酒"}}
_READ_MAP = {**_SOUND_ALIKE, **_DIGIT_MAP}
# The ID card's check character; ASR writes the spoken "X" as 叉, or as 艾克斯 / 爱克斯
# (three characters: the first stands for the X, the other two are skipped).
_X_CHARS = "Xx叉Ｘｘ"
_SPOKEN_X = ("艾克斯", "爱克斯", "埃克斯")
# Between two digit groups: ASR word breaks (any white space, a run of it counting
# once), commas, hyphens and dots of every width, 杠 (a dash read out), hesitation
# sounds and the reader's own 对.
_SEP_CHARS = "-—–‐‑－﹣_,，、.．。·・:：;；/()（）~～杠嗯呃额啊哦噢呢对"
_MAX_SEP = 4
# Digits that belong to an amount (thousands separators, or two decimals), a date or a
# clock time: read as part of a long run they made 15,823,456.78 or 2024-03-15 14:30 a
# "number"; nobody reads an ID or a card that way, so these digits break runs instead.
_NOT_A_NUMBER = re.compile(
    r"(?<![0-9,.])[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?(?![0-9,])"
    r"|(?<![0-9.,])[0-9]+\.[0-9]{1,2}(?![0-9.])"
    r"|(?<![0-9])(?:19|20)[0-9]{2}([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
    r"|(?<![0-9:])(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?![0-9:])"
)
# A number's own label right before it (账号是 660,123,456): digits grouped by threes
# there are an account read out, not an amount (账户里有 1,000,000 stays one).
_LABELLED = re.compile(r"(?:号|号码|账户|帐户)\s*(?:是|为)?\s*[:：]?\s*$")
# A spoken number ending in a unit (一三八…万) is a quantity, not an identifier; 万一
# (in case), 十分 (very), 十点 (ten o'clock), 元旦 and the number's own length (十八位)
# after a number are no unit of it.
_UNITS = "十百千万亿元块"
_NOT_UNITS = re.compile(r"万一|十分|十点|元旦|十[一二三四五六七八九]?位")
# Longer than any personal number: a single breath of more digits is two numbers run
# together (an account and a mobile read without a pause), masked whole.
_MAX_DIGITS = 19
@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One personal number: ``text[start:end]`` holds it (separators included);
    ``digits`` is what was read out, normalised to ASCII (X upper-case)."""

    kind: PiiKind
    start: int
    end: int
    digits: str

    def record(self, segment: int) -> PiiRecord:
        """The result's shape, never the digits themselves."""
        return PiiRecord(self.kind, segment, self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Cand:
    kind: PiiKind
    positions: tuple[int, ...]  # character index of every digit, in order
    digits: str
    keep: tuple[int, int]  # digits left visible at the front and at the back


def _is_digit(text: str, i: int) -> bool:
    """A digit, or a sound-alike of one between two digits (幺三八要二: 要 is 幺)."""
    ch = text[i]
    if ch in _DIGIT_MAP:
        return True
    return (ch in _SOUND_ALIKE and 0 < i < len(text) - 1
            and text[i - 1] in _DIGIT_MAP and text[i + 1] in _DIGIT_MAP)


def _groups(text: str) -> list[list[list[int]]]:
    """Runs of digit groups: each run is a list of groups, each group the
    character positions of consecutive digits; groups in a run are separated by
    at most ``_MAX_SEP`` separator characters."""
    runs: list[list[list[int]]] = []
    run: list[list[int]] = []
    group: list[int] = []
    gap = skip = 0
    blocked = {i for m in _NOT_A_NUMBER.finditer(text) if not _LABELLED.search(text, 0, m.start())
               for i in range(m.start(), m.end())}
    for i, ch in enumerate(text):
        if i in blocked:
            ch = "|"  # breaks the run like any other word
        elif skip:  # the 克斯 of a spoken 艾克斯: part of the check character
            skip -= 1
            continue
        spoken_x = text.startswith(_SPOKEN_X, i)
        # The check character ends an 18-character number, in its own group or the last one.
        is_x = (ch in _X_CHARS or spoken_x) and sum(map(len, run)) + len(group) == 17
        if ch != "|" and (_is_digit(text, i) or is_x):
            if not group and run and gap > _MAX_SEP:
                runs.append(run)
                run = []
            group.append(i)
            gap = 0
            skip = 2 if is_x and spoken_x else 0
            continue
        if group:
            run.append(group)
            group = []
        if (ch in _SEP_CHARS or ch.isspace()) and run:
            if not (ch.isspace() and i and text[i - 1].isspace()):
                gap += 1
            if gap > _MAX_SEP:
                runs.append(run)
                run, gap = [], 0
        elif run:
            runs.append(run)
            run, gap = [], 0
    if group:
        run.append(group)
    if run:
        runs.append(run)
    return runs


def _digits_at(text: str, positions: Sequence[int]) -> str:
    return "".join(_READ_MAP.get(text[p], "X") for p in positions)


def _ends_in_unit(text: str, end: int) -> bool:
    return end < len(text) and text[end] in _UNITS and not _NOT_UNITS.match(text, end)


def _candidates(text: str, lead: str = "") -> list[_Cand]:
    """``lead``: the text before ``text`` that may label its numbers (the turns
    before it); its own numbers are not looked for. The lead labels the turn's first
    long number wherever it stands in the turn (好的，我看一下啊，是六六零…: the answer to
    the question), later ones only when they are within reach of it."""
    context = f"{lead}\n{text}" if lead else text
    shift = len(context) - len(text)
    found: list[_Cand] = []
    answered = False  # the turn's first long number has been read
    for run in _groups(text):
        # Longest stretch of whole groups first, left to right, no overlaps: a
        # card number followed by a phone number in one breath gives two hits.
        used = [False] * len(run)
        spans = sorted(((i, j) for i in range(len(run)) for j in range(i, len(run))),
                       key=lambda ij: (-(sum(len(g) for g in run[ij[0] : ij[1] + 1])), ij[0]))
        for i, j in spans:
            if any(used[i : j + 1]):
                continue
            positions = [p for g in run[i : j + 1] for p in g]
            if len(positions) < 7 or (len(positions) > _MAX_DIGITS and i != j):
                continue
            start = positions[0] + shift
            before = context[max(0, start - CONTEXT_WINDOW) : start]
            if lead and not answered:
                before = f"{lead}\n{text[max(0, positions[0] - CONTEXT_WINDOW) : positions[0]]}"
            labels = Labels(before, text[positions[-1] + 1 :])
            digits = _digits_at(text, positions)
            if len(positions) > _MAX_DIGITS:
                found_kind: tuple[PiiKind, tuple[int, int]] | None = None if labels.ours() else ("account", (0, 4))
            else:
                found_kind = classify(digits, labels)
            if found_kind is None or _ends_in_unit(text, positions[-1] + 1):
                continue
            kind, keep = found_kind
            for k in range(i, j + 1):
                used[k] = True
            found.append(_Cand(kind, tuple(positions), digits, keep))
        answered = answered or sum(map(len, run)) >= 7
    found.extend(_emails(text))
    found.sort(key=lambda c: c.positions[0])
    return found


def _emails(text: str) -> list[_Cand]:
    return [_Cand("email", positions, address, keep) for positions, address, keep in find_emails(text)]


def find_pii(text: str, lead: str = "") -> list[PiiSpan]:
    """ID-card, mobile and bank-card numbers in ``text``, in order of position.

    Spans are on ``text`` as given (no normalisation), from the first digit
    character to the last, separators inside included (an e-mail: the address).
    """
    if not text:
        return []
    return [PiiSpan(c.kind, c.positions[0], c.positions[-1] + 1, c.digits) for c in _candidates(text, lead)]


def mask_text(text: str, lead: str = "") -> str:
    """``text`` with the middle digits of every personal number replaced by ``*``.

    Same length as the input, character for character: separators and all other
    text are untouched, so offsets and word slices still line up.
    """
    cands = _candidates(text, lead) if text else []
    if not cands:
        return text
    chars = list(text)
    for p in _masked_positions(cands):
        chars[p] = "*"
    return "".join(chars)


def _masked_positions(cands: Sequence[_Cand]) -> set[int]:
    """Where ``*`` goes: 138****5678, 110***********123X, 6222 **** **** 1234, 021-******78."""
    out: set[int] = set()
    for c in cands:
        front, back = c.keep
        out.update(c.positions[front : len(c.positions) - back])
    return out


# The shortest piece of a known number masked on its own (a quote cut off mid-number).
_MIN_PIECE = 6
# Another speaker's turn between the two halves may be a backchannel (嗯 / 好的 / 您说), no more.
_BACKCHANNEL_MAX = 8
# A number read out in pieces, each its own segment: at most this many turns of one speaker,
# each ending / starting with a digit within this many characters.
_MAX_PIECES = 3
_EDGE = _MAX_SEP + 2
# How much of the turns before a turn may hold the question that labels its number
# (资金账号报一下 / 稍等我找找 / 好的不急 / 三零二…: three turns back).
_LEAD_TURNS = 3
_LEAD_CHARS = 80


def _per_turn(turns: Sequence[tuple[str | None, str]]) -> list[list[_Cand]]:
    """Each turn's own numbers, read with the turns before it as their label."""
    return [_candidates(text, lead) if text else [] for (_, text), lead in zip(turns, leads(turns), strict=True)]


def mask_turns(turns: Sequence[tuple[str | None, str]]) -> list[str]:
    """Each turn's text masked as by ``mask_text``; also a number whose digits run from
    one turn into the same speaker's next ones (with at most one short turn of someone
    else between each): 我手机是一三八一二 / 三四五六七八; and every number found anywhere
    in the call wherever it is said again without its label (the agent reading it back).
    ``turns`` are (speaker, text) in time order; the result has one text per turn."""
    found = _per_turn(turns)
    chars = [list(text) for _, text in turns]
    for c, cands in zip(chars, found, strict=True):
        for p in _masked_positions(cands):
            c[p] = "*"
    crossed = crossing(turns)
    for pieces, cands in crossed:
        for k, p in pieces_positions(turns, pieces, _masked_positions(cands)):
            chars[k][p] = "*"
    known = _known(found, crossed)
    return [mask_known("".join(c), known) for c in chars]


def pieces_positions(turns: Sequence[tuple[str | None, str]], pieces: Sequence[int],
                      positions: Iterable[int]) -> list[tuple[int, int]]:
    """(turn, position in it) of each position on the pieces' texts joined by spaces."""
    starts, at = [], 0
    for k in pieces:
        starts.append(at)
        at += len(turns[k][1]) + 1
    out = []
    for p in positions:
        n = max(i for i, s in enumerate(starts) if s <= p)
        if p - starts[n] < len(turns[pieces[n]][1]):  # not a joining space
            out.append((pieces[n], p - starts[n]))
    return out


def leads(turns: Sequence[tuple[str | None, str]]) -> list[str]:
    """For each turn, the end of the turns before it (the last three, whoever said them):
    the agent's question (卡号多少? / 资金账号报一下) or the speaker's own announcement
    (我报一下资金账号啊) labels the number said next, even after a 稍等 / 好的 in between."""
    out = []
    for i in range(len(turns)):
        before = "\n".join(text for _, text in turns[max(0, i - _LEAD_TURNS) : i])
        out.append(before[-_LEAD_CHARS:])
    return out


def _next_piece(turns: Sequence[tuple[str | None, str]], i: int) -> int | None:
    """The same speaker's next turn after ``i``, with at most one backchannel between."""
    speaker, j = turns[i][0], i + 1
    if j < len(turns) and turns[j][0] != speaker and len(turns[j][1].strip()) <= _BACKCHANNEL_MAX:
        j += 1
    return j if j < len(turns) and turns[j][0] == speaker and turns[j][1] else None


def _has_digit(text: str) -> bool:
    return any(ch in _DIGIT_MAP for ch in text)


def crossing(turns: Sequence[tuple[str | None, str]]) -> list[tuple[tuple[int, ...], list[_Cand]]]:
    """(pieces, numbers) for each number that runs from turn ``pieces[0]`` on into the
    same speaker's next turns (up to ``_MAX_PIECES``); positions are on the pieces'
    texts joined by spaces (``pieces_positions`` maps them back)."""
    out: list[tuple[tuple[int, ...], list[_Cand]]] = []
    lead = leads(turns)
    for i, (_, text) in enumerate(turns):
        pieces = [i]
        while text and len(pieces) < _MAX_PIECES and (j := _next_piece(turns, pieces[-1])) is not None:
            # A number runs on only where one piece ends and the next starts with digits.
            if not (_has_digit(turns[pieces[-1]][1][-_EDGE:]) and _has_digit(turns[j][1][:_EDGE])):
                break
            pieces.append(j)
            joined = " ".join(turns[k][1] for k in pieces)
            cut = len(" ".join(turns[k][1] for k in pieces[:-1]))  # the last joining space
            first = len(text)
            # Numbers that reach into the last piece and start in the first one: each
            # chain is looked at once per length, so a number is found once.
            found = [c for c in _candidates(joined, lead[i]) if c.positions[0] < first and c.positions[-1] > cut]
            if found:
                out.append((tuple(pieces), found))
    return out


def _known(found: Sequence[Sequence[_Cand]], crossed: Sequence[tuple[tuple[int, ...], list[_Cand]]],
           ) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for cands in [*found, *(c for _, c in crossed)]:
        out.update((c.digits, c.keep) for c in cands if c.kind != "email")
    return out


def known_numbers(turns: Sequence[tuple[str | None, str]]) -> dict[str, tuple[int, int]]:
    """Every personal number found in the turns (labels, previous turns and numbers split
    over turns included): its digits → the digits left visible (front, back)."""
    found = _per_turn(turns)
    return _known(found, crossing(turns))


def mask_known(text: str, known: dict[str, tuple[int, int]]) -> str:
    """``text`` with every occurrence of a known number masked, in whatever spoken or
    written form and whatever surrounds it: a quote that lost the number's label
    (a keyword, a summary's clause) shows it no more than the turn it came from. A piece
    of one (a quote cut off mid-number: 是6217 220…) shows no more of it than its mask."""
    if not known or not text:
        return text
    chars = list(text)
    for run in _groups(text):
        positions = [p for g in run for p in g]
        digits = _digits_at(text, positions)
        for number, (front, back) in known.items():
            at = digits.find(number)
            while at >= 0:
                for p in positions[at + front : at + len(number) - back]:
                    chars[p] = "*"
                at = digits.find(number, at + 1)
            inside = number.find(digits) if _MIN_PIECE <= len(digits) < len(number) else -1
            if inside >= 0:
                for k, p in enumerate(positions):
                    if front <= inside + k < len(number) - back:
                        chars[p] = "*"
    return "".join(chars)
