"""Tournaments: ``tournament`` and ``merge``, as ``truce tournament`` and ``truce tournament merge``.

A tournament of built-in agents runs in this process, on ``threads`` worker threads. One with agents
written in Python runs its shards in worker processes (``executor="process"``, the default then), so
that an agent that loops can be stopped: each worker's watchdog records the stuck negotiation and
interrupts the agent, and the process, which ends when its shard is done, takes any thread that did
not stop with it. The shard's spec, agent classes included, goes to the worker through cloudpickle,
so agents defined in a notebook (``__main__``) play there too. ``executor="ray"`` runs the shards as
Ray tasks (Ray uses cloudpickle itself). The shards' results are merged;
a complete merge is the one-machine run's result, byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import multiprocessing.connection
import os
import pickle
import time as _time
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union, cast

import cloudpickle

from . import _truce
from ._agents import AgentLike, interrupt, is_python_agent, native_agents
from ._records import Record, wrap
from ._sim import _agent_list

PathLike = Union[str, "os.PathLike[str]"]


def _run_shard(spec: Dict[str, Any]) -> Tuple[str, List[Tuple[int, str]]]:
    """Runs one shard in this process: the results JSON and the kept transcripts. The function every
    executor runs (it is importable, so worker processes and Ray tasks can call it)."""
    agents = native_agents(spec["agents"])
    results = _truce.tournament(
        agents,
        spec["domains"],
        reps=spec["reps"],
        rounds=spec["rounds"],
        seed=spec["seed"],
        shard=spec["shard"],
        protocol=spec["protocol"],
        at=spec["at"],
        threads=spec["threads"],
        call_limit=spec["call_limit"],
        time_limit=spec["time_limit"],
        transcripts=spec["transcripts"],
        seatings=spec["seatings"],
        memory_limit=spec["memory_limit"],
        out=spec.get("out"),
        resume=spec.get("resume", False),
        max_events=spec["max_events"],
    )
    interrupt(results.python_agents())
    return results.to_jsonl(), results.transcripts()


def _worker_main(conn: "multiprocessing.connection.Connection", blob: bytes) -> None:
    """A worker process: runs its shard (``blob``, the spec as cloudpickle wrote it), sends the
    results, and exits at once, so that a thread still stuck in an agent does not hold the process."""
    try:
        spec: Dict[str, Any] = pickle.loads(blob)
        conn.send(("ok", _run_shard(spec)))
    except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
        kind = type(e).__name__
        conn.send(("error", (kind, str(e), getattr(e, "parameter", None))))
    finally:
        conn.close()
        os._exit(0)


def _run_processes(specs: List[Dict[str, Any]], workers: int, timeout: Optional[float]) -> List[Tuple[str, List[Tuple[int, str]]]]:
    ctx = multiprocessing.get_context("spawn")
    pending = list(enumerate(specs))
    running: Dict["multiprocessing.connection.Connection", Tuple[int, Any]] = {}
    done: Dict[int, Tuple[str, List[Tuple[int, str]]]] = {}
    deadline = None if timeout is None else _time.monotonic() + timeout
    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                i, spec = pending.pop(0)
                receive, send = ctx.Pipe(duplex=False)
                # cloudpickle writes a class defined in ``__main__`` (a notebook, a script, ``python
                # -c``) by value, which the worker could not import by name; plain pickle reads it.
                blob = cloudpickle.dumps(spec)
                process = ctx.Process(target=_worker_main, args=(send, blob), daemon=True)
                process.start()
                send.close()
                running[receive] = (i, process)
            wait = None if deadline is None else max(0.0, deadline - _time.monotonic())
            ready = multiprocessing.connection.wait(list(running), timeout=wait)
            if not ready:
                raise _truce.TruceError(
                    f"the tournament's worker processes did not finish within {timeout} s; they were stopped"
                )
            for ready_conn in ready:
                conn = cast("multiprocessing.connection.Connection", ready_conn)
                i, process = running.pop(conn)
                try:
                    message: Tuple[str, Any] = conn.recv()
                    status, payload = message
                except EOFError:
                    process.join()
                    raise _truce.TruceError(
                        f"the worker process of shard {specs[i]['shard']} died (exit code {process.exitcode})"
                    ) from None
                process.join(5)
                if status == "error":
                    kind, message, parameter = payload
                    error = getattr(_truce, kind, None)
                    if isinstance(error, type) and issubclass(error, _truce.TruceError):
                        exc = error(message)
                        exc.parameter = parameter
                        raise exc
                    raise _truce.TruceError(f"shard {specs[i]['shard']}: {kind}: {message}")
                done[i] = payload
    finally:
        for _, process in running.values():
            process.kill()
            process.join()
    return [done[i] for i in range(len(specs))]


def _run_ray(specs: List[Dict[str, Any]], timeout: Optional[float]) -> List[Tuple[str, List[Tuple[int, str]]]]:
    try:
        import ray
    except ImportError as e:
        raise ImportError('executor="ray" needs Ray: pip install ray') from e
    if not ray.is_initialized():
        ray.init()
    task = ray.remote(_run_shard)
    refs = [task.remote(spec) for spec in specs]
    try:
        return list(ray.get(refs, timeout=timeout))
    except ray.exceptions.GetTimeoutError:
        for ref in refs:
            ray.cancel(ref, force=True)
        raise _truce.TruceError(f"the tournament's Ray tasks did not finish within {timeout} s; they were cancelled") from None


def tournament(
    agents: Union[str, Sequence[AgentLike]],
    domains: Union[PathLike, Sequence[PathLike]],
    *,
    reps: int = 1,
    rounds: int = 100,
    seed: int = 0,
    shard: Optional[Tuple[int, int]] = None,
    out: Optional[PathLike] = None,
    protocol: str = "sao",
    at: Optional[str] = None,
    threads: Optional[int] = None,
    executor: Optional[str] = None,
    workers: Optional[int] = None,
    timeout: Optional[float] = None,
    call_limit: float = 5.0,
    time_limit: float = 60.0,
    transcripts: bool = False,
    seatings: str = "rotate",
    memory_limit: int = 2048,
    resume: bool = False,
    max_events: int = 200_000,
) -> "TournamentResults":
    """Runs a tournament (or its shard ``(i, n)``) of ``agents`` on ``domains``, as ``truce
    tournament`` does, and writes ``out`` as ``truce tournament --out`` does (``results.jsonl``,
    written as negotiations finish, ``negotiations.csv``, ``ranking.csv``, ``manifest.json``);
    ``resume=True`` goes on from an interrupted ``out``. ``seatings`` (``all``, ``rotate``,
    ``sample:N``) seats agents in domains of more than two parties. ``max_events`` caps each kept
    transcript (``transcripts=True``; ``--max-events``, default 200,000 events): a negotiation that
    would record more is ``failed`` with a ``transcript_limit`` failure.

    ``executor``: ``None`` runs in this process (in worker processes when a Python agent plays),
    ``"process"`` runs ``workers`` shards in worker processes, ``"ray"`` runs them as Ray tasks;
    the shards are merged. ``timeout`` (seconds) stops workers that do not finish.
    """
    agent_list = _agent_list(agents)
    native_agents(agent_list)  # refuses instances and non-agents before anything runs
    if isinstance(domains, (str, os.PathLike)):
        domains = [domains]
    paths = [os.fspath(d) for d in domains]
    if out is not None and not resume:
        _check_out(out)
    if executor is None:
        executor = "process" if any(is_python_agent(a) for a in agent_list) else "local"
    if executor not in ("local", "process", "ray"):
        raise _truce.ParameterError(f'there is no executor called `{executor}`: use "local", "process" or "ray"')
    spec: Dict[str, Any] = dict(
        agents=agent_list,
        domains=paths,
        reps=reps,
        rounds=rounds,
        seed=seed,
        shard=tuple(shard) if shard is not None else None,
        protocol=protocol,
        at=at,
        threads=threads or (1 if executor != "local" else os.cpu_count() or 1),
        call_limit=call_limit,
        time_limit=time_limit,
        transcripts=transcripts,
        seatings=seatings,
        memory_limit=memory_limit,
        max_events=max_events,
    )
    if executor == "local":
        local = dict(spec, out=os.fspath(out) if out is not None else None, resume=resume)
        part = _run_shard(local)
        return TournamentResults(_truce.merge([("results", part[0])]), part[1])
    else:
        if shard is not None:
            specs = [spec]
        else:
            n = workers or (2 if executor == "ray" else 1)
            specs = [dict(spec, shard=(i, n)) for i in range(n)]
        if executor == "process":
            parts = _run_processes(specs, workers or 1, timeout)
        else:
            parts = _run_ray(specs, timeout)
    if resume:
        raise _truce.ParameterError('resume needs executor="local" (each shard of a cluster run resumes its own out)')
    if len(parts) == 1:
        results = _truce.merge([("results", parts[0][0])])
    else:
        results = _truce.merge([(f"shard {s['shard'][0]}/{s['shard'][1]}", p[0]) for s, p in zip(specs, parts)])
    kept = sorted(t for p in parts for t in p[1])
    result = TournamentResults(results, kept)
    if out is not None:
        result.write(out)
    return result


def merge(*inputs: Union[PathLike, "TournamentResults"], out: Optional[PathLike] = None) -> "TournamentResults":
    """Merges shards' results, as ``truce tournament merge``: result folders (verified against their
    manifests) or results objects; refuses shards of different tournaments."""
    if out is not None:
        _check_out(out)
    if all(not isinstance(item, TournamentResults) for item in inputs):
        native = _truce.merge_folders([os.fspath(item) for item in inputs])  # type: ignore[arg-type]
    else:
        files: List[Tuple[str, str]] = []
        for item in inputs:
            if isinstance(item, TournamentResults):
                files.append(("results", item.to_jsonl()))
                continue
            path = os.fspath(item)
            file = os.path.join(path, "results.jsonl") if os.path.isdir(path) else path
            try:
                with open(file, encoding="utf-8") as f:
                    files.append((file, f.read()))
            except OSError as e:
                raise _truce.InputError(f"{file}: cannot read: {e.strerror}") from None
        native = _truce.merge(files)
    result = TournamentResults(native, [])
    if out is not None:
        result.write(out)
    return result


def _check_out(out: PathLike) -> None:
    if os.path.exists(os.path.join(os.fspath(out), "results.jsonl")):
        raise _truce.OutputError(
            f"{os.fspath(out)} already holds results.jsonl: choose another out, remove it, or resume=True"
        )


class TournamentResults:
    """A tournament's results: every negotiation, the ranking, and what ``out`` holds."""

    def __init__(self, native: "_truce.Results", transcripts: List[Tuple[int, str]]) -> None:
        self._native = native
        self._jsonl = native.to_jsonl()
        self._data: Dict[str, Any] = json.loads(native.to_json())
        self._transcripts = transcripts

    def to_jsonl(self) -> str:
        """``results.jsonl``, byte for byte as ``truce tournament --out`` writes it."""
        return self._jsonl

    def to_json(self) -> str:
        """The whole record as one JSON object."""
        return self._native.to_json()

    @property
    def complete(self) -> bool:
        return bool(self._native.complete)

    @property
    def agents(self) -> List[str]:
        """The competing agents' labels."""
        return [a["label"] if isinstance(a, dict) else a for a in self._data["tournament"]["agents"]]

    @property
    def tournament(self) -> Record:
        """What defines the tournament: agents, scenarios, protocol, deadline, repetitions, seed."""
        return Record(self._data["tournament"])

    @property
    def negotiations(self) -> List[Any]:
        return [wrap(n) for n in self._data["negotiations"]]

    @property
    def ranking(self) -> List[Dict[str, str]]:
        """``ranking.csv``'s rows."""
        return list(csv.DictReader(io.StringIO(self._native.ranking_csv())))

    def ranking_text(self) -> str:
        """The table ``truce tournament`` prints."""
        return self._native.ranking_text()

    @property
    def transcripts(self) -> List[Tuple[int, str]]:
        """``(negotiation number, JSON Lines)`` of each kept transcript."""
        return list(self._transcripts)

    def to_pandas(self) -> Any:
        """``negotiations.csv`` as a DataFrame (needs pandas)."""
        import pandas

        return pandas.read_csv(io.StringIO(self._native.negotiations_csv()))

    def write(self, out: PathLike) -> None:
        """Writes the result folder ``out`` as ``truce tournament merge --out`` does
        (``results.jsonl``, ``negotiations.csv``, ``ranking.csv``, ``manifest.json``), and the kept
        transcripts under ``transcripts/``."""
        folder = os.fspath(out)
        self._native.write(folder)
        if self._transcripts:
            try:
                os.makedirs(os.path.join(folder, "transcripts"), exist_ok=True)
                for index, text in self._transcripts:
                    with open(os.path.join(folder, "transcripts", f"{index:06}.jsonl"), "w", encoding="utf-8") as f:
                        f.write(text)
            except OSError as e:
                raise _truce.OutputError(f"cannot write {folder}: {e.strerror}") from None

    def __repr__(self) -> str:
        t = self._data["tournament"]
        return f"<TournamentResults {len(self._data['negotiations'])} of {t['total']} negotiations, agents {self.agents}>"
