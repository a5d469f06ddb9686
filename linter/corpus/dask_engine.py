"""``doclint corpus build --engine dask``: extraction on a Dask cluster (the ``dask`` extra).

Nothing here is imported unless that engine is chosen; dask itself is imported inside
:func:`dask_mapper`'s generator only, so the core install never needs it.

Each task is one batch of paths (:func:`linter.corpus.build.extract_batch`): the workers read
the files themselves, so they must see them at the same paths as the client (a shared or
network file system, or the same checkout on every node), and they need doclint installed at
the same version. The configuration is sent to every worker once (``scatter(broadcast=True)``).
Results are fetched in submission order with a bounded number of batches in flight, and the
client writes them to SQLite (one writer).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from linter.config import Config
from linter.corpus.build import BatchMapper, EngineError, Outcome, Task, extract_batch, in_order

INSTALL_HINT = "install it with: pip install 'doclint[dask]'"


def dask_mapper(scheduler: str | None, workers: int, connect_timeout: float) -> BatchMapper:
    """Batches on the cluster at ``scheduler``, or on a local cluster of ``workers`` processes."""

    def mapper(work: list[list[Task]], config: Config) -> Iterator[list[Outcome]]:
        client, cluster = _connect(scheduler, workers, connect_timeout)
        try:
            window = 4 * max(1, _worker_count(client))
            shared = client.scatter(config, broadcast=True)
            yield from in_order(lambda batch: client.submit(extract_batch, batch, shared, pure=False), work, window)
        finally:
            with contextlib.suppress(Exception):
                client.close()
            if cluster is not None:
                with contextlib.suppress(Exception):
                    cluster.close()

    return mapper


def check_installed() -> None:
    try:
        import dask.distributed  # noqa: F401
    except ImportError as error:
        raise EngineError(f"--engine dask needs dask.distributed ({error}); {INSTALL_HINT}") from None


def _connect(scheduler: str | None, workers: int, connect_timeout: float) -> tuple[Any, Any]:
    check_installed()
    from dask.distributed import Client, LocalCluster  # type: ignore[import-untyped,unused-ignore]

    if scheduler is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call,unused-ignore]
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return Client(cluster), cluster  # type: ignore[no-untyped-call,unused-ignore]
    # A refused or unroutable address raises after connect_timeout; keep distributed's own
    # retry messages off the terminal and report one clear line instead.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        return Client(scheduler, timeout=connect_timeout), None  # type: ignore[no-untyped-call,unused-ignore]
    except (OSError, TimeoutError, ValueError) as error:
        raise EngineError(
            f"cannot reach the Dask scheduler at {scheduler} ({_reason(error)}); check the address "
            "(tcp://HOST:PORT, as printed by 'dask scheduler') and that this machine can connect to it, "
            "or leave out --scheduler to start a local cluster"
        ) from None


def _worker_count(client: Any) -> int:
    try:
        return len(client.scheduler_info().get("workers", {})) or 1
    except Exception:
        return 1


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
