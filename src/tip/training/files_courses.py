"""What kind of file an upload really is, from its content rather than its name.

Course materials are shared with trainers and participants, so an upload is accepted only when
its bytes are one of the kinds below and its name's extension agrees. No Django import: this is
tested on its own, and the service turns the answer into a message for the person.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    code: str
    extensions: tuple[str, ...]
    content_type: str


KINDS: dict[str, FileKind] = {
    k.code: k
    for k in (
        FileKind("pdf", (".pdf",), "application/pdf"),
        FileKind(
            "docx",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileKind(
            "pptx",
            (".pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        FileKind(
            "xlsx", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        FileKind("png", (".png",), "image/png"),
        FileKind("jpeg", (".jpg", ".jpeg"), "image/jpeg"),
        FileKind("gif", (".gif",), "image/gif"),
        FileKind("webp", (".webp",), "image/webp"),
        FileKind("text", (".txt", ".csv", ".md"), "text/plain; charset=utf-8"),
    )
}

ALLOWED_EXTENSIONS = tuple(sorted({e for k in KINDS.values() for e in k.extensions}))

# What a refused file turned out to be, so the message can say what to do about it.
UNKNOWN = "unknown"
LEGACY_OFFICE = "legacy_office"  # .doc, .ppt, .xls: the older binary formats
MACROS = "macros"  # an Office file carrying macros (.docm and the like)
ZIP = "zip"  # a ZIP archive that is not an Office document

_OOXML_PARTS = {
    "word/document.xml": "docx",
    "ppt/presentation.xml": "pptx",
    "xl/workbook.xml": "xlsx",
}


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def sniff(stream: IO[bytes]) -> str:
    """The code of the kind of file ``stream`` holds (a key of ``KINDS``), or why it is none of
    them (``UNKNOWN``, ``LEGACY_OFFICE``, ``MACROS``, ``ZIP``). Reads from the start; leaves the
    stream at the start."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head.startswith((b"GIF87a", b"GIF89a")):
            return "gif"
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "webp"
        if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return LEGACY_OFFICE
        if head.startswith(b"PK\x03\x04"):
            return _office(stream)
        return "text" if _is_text(stream) else UNKNOWN
    finally:
        stream.seek(0)


def _office(stream: IO[bytes]) -> str:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return UNKNOWN
    if "[Content_Types].xml" not in names:
        return ZIP
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return MACROS
    for part, code in _OOXML_PARTS.items():
        if part in names:
            return code
    return ZIP


def _is_text(stream: IO[bytes]) -> bool:
    """UTF-8 text (with or without a byte-order mark) and no control characters but layout."""
    data = stream.read(MAX_BYTES + 1)
    if not data or b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)
