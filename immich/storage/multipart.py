"""Receive a ``multipart/form-data`` body as it streams: fields in memory, files straight to disk.

python-multipart's streaming parser is fed the request chunks; each file part is written to the
path its ``target`` callback chooses (a temporary name in the destination folder) while its
SHA-1 is computed, so memory stays flat whatever the file size and no second copy is made.
A malformed or truncated body, a refused part or a client that goes away removes every file
written so far before the error propagates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from immich.storage.files import HashingWriter, remove_quietly

MAX_FIELD_BYTES = 1 << 20  # all non-file fields together
MAX_PARTS = 64

FileTarget = Callable[[str, str, Mapping[str, str]], Awaitable[Path]]
"""(field name, file name, fields received so far) -> path to write; raise to refuse the part."""


class MultipartError(ValueError):
    """The body is not a complete, well-formed multipart form."""


@attrs.define
class ReceivedFile:
    field: str
    filename: str
    path: Path
    size: int
    sha1: bytes


@attrs.define
class ReceivedForm:
    fields: dict[str, str] = attrs.field(factory=dict)
    files: dict[str, ReceivedFile] = attrs.field(factory=dict)

    def discard(self) -> None:
        """Remove every received file (blocking, small)."""
        for received in self.files.values():
            remove_quietly(received.path)


def boundary_of(content_type: str | None) -> bytes:
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise MultipartError("Expected a multipart/form-data body")
    return boundary


def _decode(value: bytes) -> str:
    try:
        return value.decode()
    except UnicodeDecodeError:
        return value.decode("latin-1")


class _Receiver:
    def __init__(self, target: FileTarget) -> None:
        self.target = target
        self.form = ReceivedForm()
        self.events: list[tuple[str, bytes]] = []
        self.ended = False
        self.parts = 0
        self.field_bytes = 0
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._value = bytearray()
        self._filename: str | None = None
        self._writer: HashingWriter | None = None

    def callbacks(self) -> Any:
        def data(kind: str) -> Callable[[bytes, int, int], None]:
            return lambda buf, start, end: self.events.append((kind, buf[start:end]))

        def mark(kind: str) -> Callable[[], None]:
            return lambda: self.events.append((kind, b""))

        return {
            "on_part_begin": mark("part_begin"),
            "on_part_data": data("part_data"),
            "on_part_end": mark("part_end"),
            "on_header_field": data("header_field"),
            "on_header_value": data("header_value"),
            "on_header_end": mark("header_end"),
            "on_headers_finished": mark("headers_finished"),
            "on_end": mark("end"),
        }

    async def process(self) -> None:
        events, self.events = self.events, []
        for kind, payload in events:
            if kind == "part_data":
                await self._data(payload)
            elif kind == "header_field":
                self._header_field += payload
            elif kind == "header_value":
                self._header_value += payload
            elif kind == "header_end":
                self._headers[self._header_field.lower()] = self._header_value
                self._header_field = self._header_value = b""
            elif kind == "part_begin":
                self._begin()
            elif kind == "headers_finished":
                await self._headers_finished()
            elif kind == "part_end":
                await self._end_part()
            elif kind == "end":
                self.ended = True

    def _begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise MultipartError(f"Too many parts (at most {MAX_PARTS})")
        self._headers = {}
        self._value = bytearray()
        self._filename = None

    async def _headers_finished(self) -> None:
        disposition, options = parse_options_header(self._headers.get(b"content-disposition"))
        if disposition != b"form-data" or b"name" not in options:
            raise MultipartError("Each part needs Content-Disposition: form-data with a name")
        self._name = _decode(options[b"name"])
        if b"filename" not in options:
            return
        self._filename = _decode(options[b"filename"])
        if "\0" in self._filename or "\0" in self._name:
            raise MultipartError("Invalid file name: it contains U+0000")
        if self._name in self.form.files:
            raise MultipartError(f"Unexpected field {self._name}")
        path = await self.target(self._name, self._filename, self.form.fields)
        writer = HashingWriter(path)
        writer.open()
        self._writer = writer

    async def _data(self, payload: bytes) -> None:
        if self._writer is not None:
            await self._writer.write(payload)
            return
        self.field_bytes += len(payload)
        if self.field_bytes > MAX_FIELD_BYTES:
            raise MultipartError("Form fields too large")
        self._value += payload

    async def _end_part(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            await writer.close()
            assert self._filename is not None
            self.form.files[self._name] = ReceivedFile(
                self._name, self._filename, writer.path, writer.size, writer.sha1
            )
        else:
            self.form.fields[self._name] = _decode(bytes(self._value))

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.abort()
            self._writer = None
        self.form.discard()


async def receive(
    chunks: AsyncIterator[bytes], content_type: str | None, target: FileTarget
) -> ReceivedForm:
    """Read the whole form from ``chunks``; files land where ``target`` says."""
    receiver = _Receiver(target)
    parser = MultipartParser(boundary_of(content_type), receiver.callbacks())
    try:
        async for chunk in chunks:
            if not chunk:
                continue
            try:
                parser.write(chunk)
            except MultipartParseError as err:
                raise MultipartError(f"Malformed multipart body: {err}") from None
            await receiver.process()
        parser.finalize()
        await receiver.process()
        if not receiver.ended:
            raise MultipartError("Unexpected end of multipart body")
    except BaseException:
        receiver.abort()
        raise
    return receiver.form
