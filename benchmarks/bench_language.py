"""Benchmark: TIP's trauma-informed language checker against alex, and the API's latency.

One command runs the whole thing (`make bench-language`). TIP and alex run on one CPU core
(--core: this process is pinned to it, and so is every process it starts); wall and CPU times
are both recorded, as other work on the machine can share that core.

1. Writes the corpus: synthetic UK case notes (benchmarks/language_corpus.py, a fixed seed),
   1.5 to 6 KB each, 5.5 MB in all by default, into --corpus (one file per note, as alex reads
   them). Words are counted the same way for both tools: Python's str.split on each file.
2. Loads TIP's shipped English rules and times that apart (the module import, the first load,
   and a reload from the file); then checks every note in this process --repeat times, each
   round reading each file and checking it (`tip.language.checker.check`).
3. Runs alex (npm `alex`, with Node, `--text`, on the corpus folder: one process for every
   file) once, timing the whole process; and alex on one tiny file --startup-runs times, whose
   median (Node's start-up and alex's own loading) is taken off the whole run's time for the
   net figure. alex exits 1 when it has warnings: expected here. Its report goes to
   --out/alex-output.txt.
4. Checks a 2,000-word note through the API (POST /api/language/check, a real API token,
   Django's test client in this process with a fresh SQLite database, so no network or web
   server in the way), on every core the process was given, as a server would run it:
   --api-calls calls after --api-warmup untimed ones (the first builds the partnership's rule
   set; its time is shown apart); median and p95, wall and CPU time.
   Without the endpoint, times `tip.language.services.findings_for` (or the checker) on the
   same note and says so.
5. Prints the results, and writes them to --out/results.json.

Targets (issue 7): TIP at least 20 times alex's words per second on one core; a 2,000-word note
through the API in under 50 ms (p95). Exits 1 when a target is missed.

Usage: python benchmarks/bench_language.py [--size-mb 5.5] [--seed 20261127] [--repeat 3]
       [--corpus var/bench-language/corpus] [--out var/bench-language] [--core 0]
       [--startup-runs 3] [--api-calls 60] [--api-warmup 5] [--rules FILE] [--skip-alex]
       [--skip-api]
"""

from __future__ import annotations

import argparse
import atexit
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import language_corpus  # beside this file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ALEX = ROOT / "node_modules" / "alex"
RATIO_TARGET = 20.0
API_TARGET_MS = 50.0
API_PATH = "/api/language/check"


def _machine() -> dict[str, Any]:
    model = ""
    memory_gib = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def _pin(core: int) -> list[int]:
    """Run this process, and every process it starts, on one core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})
        return sorted(os.sched_getaffinity(0))
    return []


def _p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# --- TIP, in this process ------------------------------------------------------------------


def time_rules(path: Path | None) -> tuple[Any, dict[str, Any]]:
    """Load the shipped English rules (or the file at ``path``), timing the import, the first
    load in this process and reloads (which find each word's forms already worked out)."""
    started = time.perf_counter()
    from tip.language import checker

    imported = time.perf_counter() - started
    started = time.perf_counter()
    rules = checker.load_shipped("en") if path is None else checker.load_rules(path)
    first = time.perf_counter() - started
    if path is None:
        path = Path(checker.__file__).resolve().parent.parent / "data" / "rules" / "en.yaml"
    reloads = []
    for _ in range(5):
        started = time.perf_counter()
        checker.load_rules(path)
        reloads.append(time.perf_counter() - started)
    return rules, {
        "file": str(path.relative_to(ROOT / "src") if path.is_relative_to(ROOT / "src") else path),
        "import_s": imported,
        "first_load_s": first,
        "reload_median_s": statistics.median(reloads),
        "rules": len(rules),
    }


def time_tip(files: list[Path], rules: Any, repeat: int) -> dict[str, Any]:
    """Read and check every note, ``repeat`` times; the first note is checked once before."""
    from tip.language.checker import check

    check(files[0].read_text(encoding="utf-8"), rules)
    rounds: list[dict[str, float]] = []
    findings = quoted = 0
    for _ in range(repeat):
        findings = quoted = 0
        cpu = time.process_time()
        started = time.perf_counter()
        for path in files:
            for finding in check(path.read_text(encoding="utf-8"), rules):
                findings += 1
                quoted += bool(finding.quoted)
        rounds.append({"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu})
    started = time.perf_counter()
    for path in files:
        path.read_text(encoding="utf-8")
    reading = time.perf_counter() - started
    return {
        "rounds": rounds,
        "median_s": statistics.median(r["wall_s"] for r in rounds),
        "cpu_median_s": statistics.median(r["cpu_s"] for r in rounds),
        "reading_files_s": reading,
        "findings": findings - quoted,
        "quoted": quoted,
    }


# --- alex, with Node -----------------------------------------------------------------------


def _alex(node: str, target: Path, output: Path) -> dict[str, float | int]:
    cli = ALEX / "cli.js"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with output.open("wb") as sink:
        done = subprocess.run(  # noqa: S603 (fixed arguments)
            [node, str(cli), "--text", str(target)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            check=False,
        )
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"alex failed (exit {done.returncode}); its output is in {output}")
    warnings = 0
    for line in output.read_text(encoding="utf-8", errors="replace").splitlines():
        if " warning " in line or " error " in line:
            warnings += 1
    return {
        "wall_s": took,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "exit": done.returncode,
        "warnings": warnings,
    }


def time_alex(corpus: Path, out: Path, startup_runs: int) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (ALEX / "cli.js").exists():
        sys.exit("alex needs Node and node_modules (npm ci); or run with --skip-alex")
    version = json.loads((ALEX / "package.json").read_text())["version"]
    node_version = subprocess.run(  # noqa: S603
        [node, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="tip-bench-alex-") as tiny:
        note = Path(tiny) / "note.txt"
        note.write_text("Visited at home. Spoke with the family.\n", encoding="utf-8")
        startups = [_alex(node, Path(tiny), out / "alex-tiny.txt") for _ in range(startup_runs)]
    whole = _alex(node, corpus, out / "alex-output.txt")
    startup = statistics.median(float(s["wall_s"]) for s in startups)
    startup_cpu = statistics.median(float(s["cpu_s"]) for s in startups)
    return {
        "alex": version,
        "node": node_version,
        "startup_s": startup,
        "startup_cpu_s": startup_cpu,
        "startup_runs_s": [s["wall_s"] for s in startups],
        "whole": whole,
        "net_s": float(whole["wall_s"]) - startup,
        "net_cpu_s": float(whole["cpu_s"]) - startup_cpu,
    }


# --- The API, through Django's test client -------------------------------------------------


def _setup_django() -> None:
    tmp = tempfile.mkdtemp(prefix="tip-bench-language-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tip.settings.test")
    os.environ["TIP_HOME"] = str(ROOT)

    import django

    # WhiteNoise warns that var/static/ is missing; nothing here serves static files.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _api_caller(text: str) -> tuple[str, Any]:
    """What is timed: the API call if the endpoint exists, otherwise the service or checker."""
    from django.test import Client
    from django.urls import Resolver404, resolve

    from tip.core import services
    from tip.core.models import Membership, MembershipRole, Organisation, Partnership, User

    partnership = Partnership.objects.create(name="Bench VRU", area="Bench", nation="england")
    organisation = Organisation.objects.create(
        partnership=partnership, name="Bench children's services", sector="childrens_services"
    )
    user = User.objects.create_user("writer@bench.example", "x" * 16, full_name="Bench Writer")
    membership = Membership.objects.create(
        partnership=partnership, user=user, organisation=organisation
    )
    MembershipRole.objects.create(membership=membership, role="practitioner")
    try:
        resolve(API_PATH)
    except Resolver404:
        pass
    else:
        _token, key = services.api_token_create(membership=membership, name="bench", by=user)
        client = Client()
        body = json.dumps({"text": text, "language": "en"})
        auth = {"Authorization": f"Bearer {key}"}

        def call_api() -> int:
            response = client.post(API_PATH, body, content_type="application/json", headers=auth)
            if response.status_code != 200:
                sys.exit(f"{API_PATH} answered {response.status_code}: {response.content[:300]!r}")
            return len(response.json()["findings"])

        return f"POST {API_PATH} (API token, Django's test client)", call_api
    try:
        from tip.language import services as language_services
    except ImportError:
        from tip.language.checker import check, load_shipped

        rules = load_shipped("en")
        return "tip.language.checker.check (no API endpoint yet)", lambda: len(check(text, rules))
    return (
        "tip.language.services.findings_for (no API endpoint yet)",
        lambda: len(language_services.findings_for(text, partnership=partnership, language="en")),
    )


def time_api(calls: int, warmup: int) -> dict[str, Any]:
    _setup_django()
    text = language_corpus.long_note(words=2000)
    what, call = _api_caller(text)
    started = time.perf_counter()
    findings = call()
    first = (time.perf_counter() - started) * 1000
    for _ in range(warmup - 1):
        call()
    times = []
    cpu_times = []
    for _ in range(calls):
        cpu = time.process_time()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
    return {
        "what": what,
        "words": len(text.split()),
        "characters": len(text),
        "findings": findings,
        "first_ms": first,
        "calls": calls,
        "median_ms": statistics.median(times),
        "p95_ms": _p95(times),
        "max_ms": max(times),
        "cpu_median_ms": statistics.median(cpu_times),
        "cpu_p95_ms": _p95(cpu_times),
        "times_ms": [round(t, 2) for t in times],
    }


# --- Reporting -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=float, default=5.5, help="corpus size (MB, 10^6 B)")
    parser.add_argument("--seed", type=int, default=language_corpus.SEED)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of TIP over the corpus")
    parser.add_argument("--corpus", type=Path, default=ROOT / "var" / "bench-language" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench-language")
    parser.add_argument("--core", type=int, default=0, help="the CPU core to run on")
    parser.add_argument("--startup-runs", type=int, default=3)
    parser.add_argument("--api-calls", type=int, default=60)
    parser.add_argument("--api-warmup", type=int, default=5)
    parser.add_argument("--rules", type=Path, help="a rule file instead of the shipped en.yaml")
    parser.add_argument("--skip-alex", action="store_true")
    parser.add_argument("--skip-api", action="store_true")
    args = parser.parse_args()

    all_cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": _machine(),
        "cores_used": _pin(args.core),
        "load_before": os.getloadavg(),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    machine = results["machine"]
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB; "
        f"Python {machine['python']}; TIP and alex on core {results['cores_used']}; "
        f"load average {results['load_before'][0]:.2f}"
    )

    started = time.perf_counter()
    corpus = language_corpus.generate(
        args.corpus, size_bytes=round(args.size_mb * 1_000_000), seed=args.seed
    )
    files = sorted(corpus.directory.glob("note-*.txt"))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    assert words == corpus.words
    results["corpus"] = {
        "directory": str(corpus.directory),
        "notes": corpus.files,
        "bytes": corpus.bytes,
        "words": words,
        "seed": args.seed,
        "sha256": corpus.sha256,
        "written_s": time.perf_counter() - started,
    }
    print(
        f"corpus: {corpus.files:,} notes, {corpus.bytes / 1e6:.2f} MB, {words:,} words "
        f"(seed {args.seed}, sha256 {corpus.sha256[:12]}); written in "
        f"{results['corpus']['written_s']:.1f} s"
    )

    rules, loading = time_rules(args.rules)
    results["rules"] = loading
    print(
        f"rules ({loading['file']}): {loading['rules']} rules; "
        f"import {loading['import_s'] * 1000:.0f} ms, "
        f"first load {loading['first_load_s'] * 1000:.0f} ms, reload from the file "
        f"{loading['reload_median_s'] * 1000:.0f} ms (median of 5); not in the timings below"
    )
    tip = time_tip(files, rules, args.repeat)
    tip["words_per_s"] = words / tip["median_s"]
    results["tip"] = tip
    rounds = ", ".join(f"{r['wall_s']:.2f} s" for r in tip["rounds"])
    print(
        f"TIP: {rounds} over the corpus "
        f"(reading the files alone {tip['reading_files_s']:.2f} s); median "
        f"{tip['median_s']:.2f} s (CPU {tip['cpu_median_s']:.2f} s) = "
        f"{tip['words_per_s']:,.0f} words/s; "
        f"{tip['findings']:,} findings and {tip['quoted']:,} in quotations"
    )

    failed = False
    if not args.skip_alex:
        alex = time_alex(corpus.directory, args.out, args.startup_runs)
        whole = alex["whole"]
        alex["words_per_s_whole"] = words / whole["wall_s"]
        alex["words_per_s_net"] = words / alex["net_s"]
        results["alex"] = alex
        ratio = tip["words_per_s"] / alex["words_per_s_net"]
        ratio_whole = tip["words_per_s"] / alex["words_per_s_whole"]
        ratio_cpu = alex["net_cpu_s"] / tip["cpu_median_s"]
        results["ratio"] = {
            "net": ratio,
            "whole": ratio_whole,
            "cpu": ratio_cpu,
            "target": RATIO_TARGET,
        }
        print(
            f"alex {alex['alex']} (Node {alex['node']}): whole run {whole['wall_s']:.1f} s "
            f"(CPU {whole['cpu_s']:.1f} s, exit {whole['exit']}, {whole['warnings']:,} "
            f"warnings) = {alex['words_per_s_whole']:,.0f} words/s; start-up on a tiny file "
            f"{alex['startup_s']:.2f} s (median of {args.startup_runs}); net "
            f"{alex['net_s']:.1f} s = {alex['words_per_s_net']:,.0f} words/s"
        )
        print(
            f"ratio: TIP {ratio:.1f}x alex's words per second without its start-up, "
            f"{ratio_whole:.1f}x with it; {ratio_cpu:.1f}x in CPU time without it "
            f"(target at least {RATIO_TARGET:.0f}x)"
        )
        failed |= ratio < RATIO_TARGET

    if not args.skip_api:
        # The one-core condition is the throughput's; the API is timed as a server runs it.
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, all_cores)
        api = time_api(args.api_calls, args.api_warmup)
        api["cores"] = sorted(all_cores)
        results["api"] = api
        print(
            f"2,000-word note ({api['characters']:,} characters, {api['findings']} findings; "
            f"cores {api['cores']}) "
            f"through {api['what']}: median {api['median_ms']:.1f} ms, p95 "
            f"{api['p95_ms']:.1f} ms, max {api['max_ms']:.1f} ms over {api['calls']} calls "
            f"(target under {API_TARGET_MS:.0f} ms); CPU time median "
            f"{api['cpu_median_ms']:.1f} ms, p95 {api['cpu_p95_ms']:.1f} ms; the first call "
            f"(not counted) {api['first_ms']:.0f} ms"
        )
        failed |= api["p95_ms"] >= API_TARGET_MS

    results["load_after"] = os.getloadavg()
    (args.out / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"load average after {results['load_after'][0]:.2f}; results in {args.out}/results.json")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
