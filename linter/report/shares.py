"""Writing a report's elements (one per finding) in path order, formatted on several cores.

A warm run of a large corpus is mostly its report: 115,000 findings of a 1,000-page corpus
make 302 MB of JSON, and formatting them on one core was two thirds of the run while the
other core idled. With ``--jobs`` above 1 and a large spool, the files with findings are cut
into consecutive shares of about the same spooled size (:meth:`FindingSpool.shares`); a
forked process formats each share but the first into an unnamed temporary file (already
encoded, as UTF-8) while this process formats the first straight onto the stream, then
copies the others' bytes after it, in order. The bytes are the same as with one process:
the elements and separators are made by the same function, in the same order.

A share whose process failed (it says nothing) is formatted again here, so an error, such
as a character the stream cannot encode, surfaces as it would with one process.
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from typing import IO, TextIO

from linter.spool import FileRows, FindingSpool

Elements = Callable[[Iterable[FileRows]], Iterable[str]]

# Elements are written in batches, joined: one write per element cost a fifth of a reporter's
# time, one string of the whole report held hundreds of MB.
BATCH = 200
# Below this many spooled bytes a report takes well under a second and forking (5-20 ms, more
# with the large heap of a cold run) and copying would save little. A warm 1,000-page run
# spools about 90 MB.
PARALLEL_MIN_BYTES = 4 << 20
_COPY_SIZE = 1 << 20


def write_elements(
    findings: FindingSpool,
    stream: TextIO,
    elements: Elements,
    separator: str,
    jobs: int,
) -> int:
    """Write ``elements(files)`` for the spooled files, in path order, with ``separator``
    between two elements (none before the first or after the last). With ``jobs`` above 1, a
    spool of at least :data:`PARALLEL_MIN_BYTES`, ``os.fork`` and a UTF-8 stream with a byte buffer,
    shares of the files are formatted in ``jobs - 1`` forked processes. Returns the number of
    shares whose text another process formatted."""
    count = jobs if jobs > 1 and findings.bytes_written >= PARALLEL_MIN_BYTES and _forkable(stream) else 1
    if count == 1:
        _write(elements(findings.encoded_files()), stream.write, separator, "")
        return 0
    from linter import workers

    first, *others = findings.shares(count)
    started: list[tuple[int, IO[bytes]]] = []  # (process, the file it writes)
    try:
        for share in others:
            output: IO[bytes] = tempfile.TemporaryFile(prefix="doclint-report-")  # noqa: SIM115 - closed below
            child = workers.fork(_formatter(findings, share, elements, separator, stream, output))
            started.append((child, output))
        written = _write(elements(findings.encoded_files(first)), stream.write, separator, "")
        done = 0
        for (child, output), share in zip(started, others, strict=True):
            if workers.succeeded(child):
                done += 1
                written = _copy(output, stream, "" if written else separator) or written
            else:
                leading = separator if written else ""
                written = _write(elements(findings.encoded_files(share)), stream.write, separator, leading) or written
        return done
    finally:
        for child, output in started:
            workers.stop(child)  # (this process failed first: a closed pipe, an interrupt)
            output.close()


def _forkable(stream: TextIO) -> bool:
    """Whether another process can write this stream's bytes: a UTF-8 text stream over a byte
    buffer, without newline translation (POSIX, where ``os.fork`` exists)."""
    encoding = getattr(stream, "encoding", None)
    return (
        hasattr(os, "fork")
        and os.linesep == "\n"
        and hasattr(stream, "buffer")
        and isinstance(encoding, str)
        and codecs.lookup(encoding).name == "utf-8"
    )


def _formatter(
    findings: FindingSpool, share: list[str], elements: Elements, separator: str, stream: TextIO, output: IO[bytes]
) -> Callable[[], None]:
    """The work of a forked process: ``share``'s elements, each after ``separator``, encoded
    as ``stream`` would, onto ``output``."""
    errors = stream.errors or "strict"

    def format_share() -> None:
        def write(text: str) -> None:
            output.write(text.encode("utf-8", errors))

        _write(elements(findings.encoded_files(share)), write, separator, separator)
        output.flush()

    return format_share


def _write(texts: Iterable[str], write: Callable[[str], object], separator: str, leading: str) -> bool:
    """Write ``texts`` joined by ``separator``, after ``leading`` if there is any; whether there was."""
    batch: list[str] = []
    wrote = False
    for text in texts:
        batch.append(text)
        if len(batch) == BATCH:
            write(leading)  # (not prepended: that copied every batch once more)
            write(separator.join(batch))
            leading, batch, wrote = separator, [], True
    if batch:
        write(leading)
        write(separator.join(batch))
        wrote = True
    return wrote


def _copy(output: IO[bytes], stream: TextIO, skipped: str) -> bool:
    """Copy a forked process's bytes after what ``stream`` holds, without their first
    ``skipped`` (its leading separator, when nothing came before); whether there were any."""
    output.seek(0, os.SEEK_END)
    size = output.tell()
    start = len(skipped.encode("utf-8")) if size else 0
    stream.flush()
    stream.buffer.flush()
    done = _send(output.fileno(), stream.buffer, start, size)
    output.seek(done)
    shutil.copyfileobj(output, stream.buffer, _COPY_SIZE)  # what sendfile did not copy
    return size > start


def _send(source: int, target: IO[bytes], start: int, end: int) -> int:
    """Copy bytes ``start:end`` of the file ``source`` onto ``target`` in the kernel where it
    can (os.sendfile: Linux onto any file or pipe); the offset it got to."""
    try:
        descriptor = target.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's buffer)
        return start
    offset = start
    try:
        while offset < end:
            sent = os.sendfile(descriptor, source, offset, end - offset)
            if sent == 0:
                break
            offset += sent
    except (AttributeError, OSError):  # no sendfile here, or not onto this file
        pass
    return offset
