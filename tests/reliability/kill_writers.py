#!/usr/bin/env python3
"""SIGKILLs perfreg's writers at random moments and checks what is on disk.

usage: TINY=path/to/tiny_suite PERFREG=path/to/perfreg kill_writers.py [KILLS]
  KILLS: kills that land per command (default 100), so 2 * KILLS in all

Two writers take turns: `tiny_suite save-baseline --run` (records a run,
then replaces baselines/tiny_suite.json) and `tiny_suite run` (records a
run, then prunes the store to --keep 40). Each is started in its own process
group and the group is SIGKILLed after a random delay between 0 and the
command's typical duration, measured first and lowered to the median of
the last commands that finished before their kill, so that a machine that
gets quieter does not leave the kills landing after the end (half of them in
its last 30%, where the files are written). After every kill:
  - every *.json under baselines/ and .perfreg/runs/ parses (json.load);
  - the baseline is byte for byte the previous one, or a new complete run;
  - every new run file is a complete run, its name NNNN_nogit_DATE.json;
  - the run numbers form one gapless range (pruning removes the oldest);
  - no other *.json appears (a temporary file must not look like a run).
Every 25 kills and at the end, perfreg's own reader checks every file
(`perfreg history` over the store and the baseline), and at the end both
writers must still work. Prints the counts; exits 1 on the first violation.
Python rather than shell: forks cost 10-20 ms here and the checks run 200
times. RELIABILITY_SEED=N repeats a sequence of delays.
"""
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SUITE_NAMES = {"tiny/barrier", "tiny/memset_256", "tiny/skipper"}
RUN_NAME = re.compile(r"(\d{4,})_nogit_\d{8}T\d{6}Z\.json")
QUICK = ["--min-time", "0.01", "--warmup", "0", "--samples", "10", "--keep", "40"]


class Violation(Exception):
    pass


def complete_run(text, what):
    """Raises Violation unless TEXT is a whole results file of tiny_suite."""
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise Violation("%s does not parse: %s (%d bytes)" % (what, e, len(text)))
    if not isinstance(doc, dict) or doc.get("schema_version") != 1 \
            or doc.get("suite") != "tiny_suite":
        raise Violation("%s is not a tiny_suite results file" % what)
    names = {b.get("name") for b in doc.get("benchmarks", [])}
    if names != SUITE_NAMES:
        raise Violation("%s holds benchmarks %s" % (what, sorted(map(str, names))))


class Store:
    """What the checks remember between kills."""

    def __init__(self, work):
        self.work = work
        self.runs_dir = os.path.join(work, ".perfreg", "runs", "tiny_suite")
        self.baseline_path = os.path.join(work, "baselines", "tiny_suite.json")
        self.baseline = None
        self.baseline_changes = 0
        self.seen = {}  # run number -> file name
        self.max_number = 0
        self.temp_left = set()

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()

    def check(self):
        # every *.json parses; nothing but runs and the baseline is a *.json
        for top in ("baselines", ".perfreg"):
            for d, _, files in os.walk(os.path.join(self.work, top)):
                for n in files:
                    p = os.path.join(d, n)
                    rel = os.path.relpath(p, self.work)
                    if n.endswith(".json"):
                        try:
                            json.loads(self.read(p))
                        except ValueError as e:
                            raise Violation("%s does not parse: %s" % (rel, e))
                        if d not in (self.runs_dir, os.path.dirname(self.baseline_path)) or \
                                (d == self.runs_dir and not RUN_NAME.fullmatch(n)) or \
                                (d != self.runs_dir and n != "tiny_suite.json"):
                            raise Violation("unexpected *.json file %s" % rel)
                    elif n != ".lock":
                        self.temp_left.add(rel)
        # the baseline: the old one or a new complete one
        if os.path.exists(self.baseline_path):
            text = self.read(self.baseline_path)
            if text != self.baseline:
                complete_run(text, "the baseline")
                if self.baseline is not None:
                    self.baseline_changes += 1
                self.baseline = text
        elif self.baseline is not None:
            raise Violation("the baseline disappeared")
        # the runs: complete, numbered without gaps or repeats
        numbers = {}
        for n in os.listdir(self.runs_dir) if os.path.isdir(self.runs_dir) else []:
            m = RUN_NAME.fullmatch(n)
            if not m:
                continue
            k = int(m.group(1))
            if k in numbers:
                raise Violation("two runs numbered %d: %s and %s" % (k, numbers[k], n))
            numbers[k] = n
            if k not in self.seen:
                complete_run(self.read(os.path.join(self.runs_dir, n)), "run " + n)
                self.seen[k] = n
            elif self.seen[k] != n:
                raise Violation("run %d was %s, is now %s" % (k, self.seen[k], n))
        if numbers:
            low, high = min(numbers), max(numbers)
            if sorted(numbers) != list(range(low, high + 1)):
                raise Violation("run numbers have gaps: %s" % sorted(numbers))
            if high < self.max_number:
                raise Violation("the newest run %d went away (had %d)" % (high, self.max_number))
            self.max_number = high


def strict_check(perfreg, work):
    """perfreg's own reader over every recorded run and the baseline."""
    p = subprocess.run([perfreg, "history", "--suite", "tiny_suite", "--last", "0",
                        "--format", "json"], cwd=work, capture_output=True, timeout=60)
    if p.returncode != 0:
        raise Violation("perfreg history refuses the store: exit %d: %s"
                        % (p.returncode, p.stderr.decode(errors="replace").strip()))
    if json.loads(p.stdout).get("baseline") is None:
        raise Violation("perfreg history did not read the baseline")


def start(cmd, work):
    return subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def typical_duration(cmd, work, store):
    times = []
    for _ in range(3):
        t0 = time.monotonic()
        p = start(cmd, work)
        _, err = p.communicate(timeout=60)
        if p.returncode != 0:
            raise Violation("%s exited %d: %s" % (" ".join(cmd[1:3]), p.returncode,
                                                  err.decode(errors="replace").strip()))
        times.append(time.monotonic() - t0)
        store.check()
    return sorted(times)[1]


def main():
    tiny, perfreg = os.environ.get("TINY"), os.environ.get("PERFREG")
    if not tiny or not perfreg:
        sys.exit("kill_writers.py: set TINY and PERFREG")
    per_command = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seed = int(os.environ.get("RELIABILITY_SEED", time.time_ns() % 1000000))
    rnd = random.Random(seed)
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="perfreg-kill-")
    store = Store(work)
    writers = {
        "save-baseline --run": [tiny, "save-baseline", "--run"] + QUICK,
        "run": [tiny, "run"] + QUICK,
    }
    landed = {name: 0 for name in writers}
    finished = {name: 0 for name in writers}
    try:
        durations = {name: typical_duration(cmd, work, store) for name, cmd in writers.items()}
        print("seed %d; typical durations: %s" % (seed, ", ".join(
            "%s %.0f ms" % (name, d * 1000) for name, d in durations.items())))
        recent = {name: [] for name in writers}
        attempts = 0
        while min(landed.values()) < per_command:
            attempts += 1
            if attempts > 6 * per_command:
                raise Violation("only %s kills landed in %d attempts" % (landed, attempts))
            name = "run" if landed["run"] < landed["save-baseline --run"] else \
                "save-baseline --run"
            # Half the kills anywhere in the run; half in its last quarter,
            # where the results are written, renamed and pruned.
            delay = durations[name] * (rnd.uniform(0, 1) if attempts % 2 else
                                       rnd.uniform(0.7, 1.0))
            t0 = time.monotonic()
            p = start(writers[name], work)
            try:
                p.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                pass
            elapsed = time.monotonic() - t0
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, err = p.communicate(timeout=60)
            if p.returncode == -signal.SIGKILL:
                landed[name] += 1
            elif p.returncode == 0:
                finished[name] += 1
                # It ran faster than the estimate (the machine got quieter):
                # follow it, so that the kills keep landing inside the run.
                recent[name] = (recent[name] + [elapsed])[-5:]
                durations[name] = min(durations[name], sorted(recent[name])[len(recent[name]) // 2])
            else:
                raise Violation("%s exited %d: %s" % (name, p.returncode,
                                                      err.decode(errors="replace").strip()))
            try:
                store.check()
            except Violation as e:
                raise Violation("after a kill of '%s' at %.1f ms: %s" % (name, delay * 1000, e))
            if attempts % 25 == 0:
                strict_check(perfreg, work)
        strict_check(perfreg, work)
        for name, cmd in writers.items():  # no stale lock, nothing in the way
            p = subprocess.run(cmd, cwd=work, capture_output=True, timeout=60)
            if p.returncode != 0:
                raise Violation("after the kills, %s exited %d: %s" % (
                    name, p.returncode, p.stderr.decode(errors="replace").strip()))
            store.check()
        strict_check(perfreg, work)
    except Violation as e:
        print("FAIL: %s" % e)
        print("seed %d (RELIABILITY_SEED=%d repeats the delays); store kept in %s"
              % (seed, seed, work))
        return 1
    kills = sum(landed.values())
    print("%d SIGKILLs landed (%s), %d commands finished before their kill"
          % (kills, ", ".join("%s %d" % kv for kv in landed.items()), sum(finished.values())))
    kept = sum(1 for n in os.listdir(store.runs_dir) if RUN_NAME.fullmatch(n))
    print("runs recorded: %d (numbered 1-%d without gaps, the newest %d kept by --keep 40); "
          "baseline changed %d times" % (store.max_number, store.max_number, kept,
                                         store.baseline_changes))
    if store.temp_left:
        where = {}
        for rel in store.temp_left:
            where.setdefault(os.path.dirname(rel), []).append(os.path.basename(rel))
        print("note: temporary files left behind by killed writers (not *.json): " + "; ".join(
            "%d in %s/ (%s)" % (len(v), d, ", ".join(sorted(v)[:2]) + (", ..." if len(v) > 2 else ""))
            for d, v in sorted(where.items())))
    print("every file parsed after every kill; %.1f s" % (time.monotonic() - started))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
