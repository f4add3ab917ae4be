"""Tags and chapters in a written guide, so a phone shows its name and jumps to a step.

mutagen writes them (a maintained, pure-Python tagger that knows every format the guide
is written in), into the finished file before it takes its place:

- MP3 and WAV: ID3v2.4 (in WAV, its "id3 " chunk): title, artist, album, and a CHAP
  frame per chapter listed by one top-level CTOC, the chapters players read in MP3s.
- Ogg Vorbis, Opus and FLAC: Vorbis comments, TITLE, ARTIST, ALBUM, and chapters as
  CHAPTER001=00:00:00.000 with CHAPTER001NAME=..., the form players read there.

mutagen rewrites a file whose tags grow by copying it in blocks, so tagging a long
guide costs time, not memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from loosen.core.outing import Chapter

ARTIST = "Loosen"
ALBUM = "Loosen audio guides"
TOC_ID = "toc"
# How a format carries its tags.
TAGS_ID3 = "id3"  # an ID3v2 tag at the start of the file (MP3)
TAGS_RIFF_ID3 = "riff-id3"  # an ID3v2 tag in the file's "id3 " chunk (WAV)
TAGS_VORBIS = "vorbis"  # Vorbis comments (Ogg Vorbis, Opus, FLAC)


def chapter_clock(seconds: float) -> str:
    """A chapter's time as Vorbis comments write it: HH:MM:SS.mmm."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def write_tags(
    path: Path, kind: str, *, title: str, chapters: Sequence[Chapter], duration_s: float
) -> None:
    """Tag the guide at `path`: `kind` is TAGS_ID3 (MP3), TAGS_RIFF_ID3 (WAV) or
    TAGS_VORBIS (Ogg, Opus, FLAC). A failing write (a full disk) is an OSError."""
    from mutagen import MutagenError

    try:
        if kind in (TAGS_ID3, TAGS_RIFF_ID3):
            _write_id3(path, title, chapters, duration_s, in_riff=kind == TAGS_RIFF_ID3)
        elif kind == TAGS_VORBIS:
            _write_vorbis_comments(path, title, chapters)
        else:
            raise ValueError(f"no tags of kind {kind!r}")
    except MutagenError as exc:  # mutagen wraps the OSError it met
        cause = exc.__context__
        raise cause if isinstance(cause, OSError) else OSError(str(exc)) from None


def _write_id3(
    path: Path, title: str, chapters: Sequence[Chapter], duration_s: float, *, in_riff: bool
) -> None:
    from mutagen.id3 import CHAP, CTOC, ID3, TALB, TIT2, TPE1, CTOCFlags
    from mutagen.wave import WAVE

    tags = ID3()
    tags.add(TIT2(encoding=3, text=[title]))
    tags.add(TPE1(encoding=3, text=[ARTIST]))
    tags.add(TALB(encoding=3, text=[ALBUM]))
    ids = [f"chp{number}" for number in range(1, len(chapters) + 1)]
    if chapters:
        tags.add(
            CTOC(
                element_id=TOC_ID,
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=[title])],
            )
        )
    ends = [c.start_s for c in chapters[1:]] + [duration_s] if chapters else []
    for element_id, chapter, end_s in zip(ids, chapters, ends, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=round(chapter.start_s * 1000),
                end_time=round(end_s * 1000),
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    if in_riff:
        wave = WAVE(path)
        wave.add_tags()
        assert wave.tags is not None
        for frame in tags.values():
            wave.tags.add(frame)
        wave.save()
    else:
        tags.save(path)


def _write_vorbis_comments(path: Path, title: str, chapters: Sequence[Chapter]) -> None:
    import mutagen

    audio = mutagen.File(path)  # Ogg Vorbis, Ogg Opus or FLAC, by what the file holds
    if audio is None:
        raise ValueError(f"{path}: not a file mutagen can tag")
    if audio.tags is None:
        audio.add_tags()
    audio["TITLE"] = title
    audio["ARTIST"] = ARTIST
    audio["ALBUM"] = ALBUM
    for number, chapter in enumerate(chapters, start=1):
        audio[f"CHAPTER{number:03d}"] = chapter_clock(chapter.start_s)
        audio[f"CHAPTER{number:03d}NAME"] = chapter.title
    audio.save()
