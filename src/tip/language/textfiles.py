"""Reading notes people give the checker: any encoding they are likely to have, never a binary.

No Django here: the command line and the pages both use it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass


class NotText(ValueError):
    """Bytes that are not text (an image, a Word file): the message says so."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str = ""


def decode(data: bytes) -> Decoded:
    """Bytes as text: UTF-8 (with or without a byte-order mark), UTF-16 with one, else
    Windows-1252 (what older Office exports give), saying so. Binary data raises NotText."""
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8")
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return Decoded(data[2:].decode(name, errors="replace"), "utf-16")
    if b"\x00" in data[:8192]:
        raise NotText(
            "this is not a text file (it holds binary data, like an image or a Word document); "
            "save it as plain text (.txt) and check that"
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return Decoded(
        text,
        "cp1252",
        "not UTF-8: read as Windows-1252; if letters look wrong, save the file as UTF-8",
    )
