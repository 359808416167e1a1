#!/usr/bin/env python3
"""Feeds every damaged input of make_damaged.py to every reader of perfreg.

usage: PERFREG=path/to/perfreg damaged.py [CASE...]   (default: every case)

Commands, run in a fresh folder per case holding good files around the
damaged one (D):
  1 compare BASE D                 2 compare D BASE
  3 compare --results D            4 compare --results BASE, D as baseline
  5 save-baseline --from D         6 history, D among good recorded runs
  7 history, D as baseline
  ("printed" cases also: 3 with no baseline for their suite,
   8 compare BASE D --format markdown, 9 history --format html,
   10 save-baseline --from D into a new folder, the one place they may write)
A "bad" input must give exit 2, nothing on stdout, exactly one line on
stderr naming the file, no raw control character, no sanitizer report, no
core file and no change on disk. A "printed" input is valid but carries
terminal controls in its text: whatever the verdict (0-3), nothing raw may
be printed and nothing on disk may change. The "unreadable" case runs as
nobody when we are root (root reads every file).

Prints a table of case -> message for the log; exits 1 listing failures.
Written in Python, not shell: a hundred cases times nine commands, each with
a before/after snapshot of the folder, must stay well under 30 s where a
fork costs 10-20 ms.
"""
import concurrent.futures
import hashlib
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import make_damaged  # noqa: E402

# C0 controls but tab and newline, DEL, and C1 controls in UTF-8 (U+0080 to
# U+009F; U+009B is an 8-bit CSI to some terminals).
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
ANY_CONTROL = re.compile(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]")
SANITIZER = (b"AddressSanitizer", b"runtime error:", b"LeakSanitizer", b"UndefinedBehaviorSanitizer")
NOBODY = 65534
BIG = 64 << 20
COMMANDS = {
    1: "compare BASE D", 2: "compare D BASE", 3: "compare --results D",
    4: "compare, D baseline", 5: "save-baseline --from D", 6: "history, D run",
    7: "history, D baseline", 8: "compare --format markdown", 9: "history --format html",
    10: "save-baseline --from D (new folder)",
}
BAD_COMMANDS = [1, 2, 3, 4, 5, 6, 7]
PRINTED_COMMANDS = [1, 2, 3, 4, 6, 7, 8, 9, 10]
# The one place a printed case may write: command 10's baseline folder.
WRITABLE = "newbase"
RUN_NAME = "0001_nogit_20261123T090000Z.json"


def command(k, item):
    """The arguments of command K and the file its message must name."""
    d = "in/" + item
    run = ".perfreg/runs/tiny_suite/0002_" + item
    bad_base = "badbase/tiny_suite.json"
    return {
        1: (["compare", "base.json", d], d),
        2: (["compare", d, "base.json"], d),
        3: (["compare", "--results", d], d),
        4: (["compare", "--results", "base.json", "--baselines", "badbase"], bad_base),
        5: (["save-baseline", "--from", d], d),
        6: (["history", "--suite", "tiny_suite"], run),
        7: (["history", "--suite", "tiny_suite", "--store", "goodstore", "--baselines", "badbase"],
            bad_base),
        8: (["compare", "base.json", d, "--format", "markdown"], d),
        9: (["history", "--suite", "tiny_suite", "--format", "html"], run),
        10: (["save-baseline", "--from", d, "--baselines", WRITABLE], d),
    }[k]


def copy_item(src, dst):
    """Copies a damaged input: folders as empty folders, big files as
    sparse files of the same size (never read), mode kept."""
    st = os.lstat(src)
    if stat.S_ISDIR(st.st_mode):
        os.mkdir(dst)
    elif st.st_size > BIG:
        with open(dst, "wb") as f:
            f.truncate(st.st_size)
    else:
        shutil.copyfile(src, dst)
    os.chmod(dst, stat.S_IMODE(st.st_mode))


def setup(w, good, item_path):
    item = os.path.basename(item_path)
    for d in ("in", "baselines", "badbase", ".perfreg/runs/tiny_suite",
              "goodstore/runs/tiny_suite", WRITABLE):
        os.makedirs(os.path.join(w, d))
    for d, _, _ in os.walk(w):
        os.chmod(d, 0o755)
    for dst in ("base.json", "baselines/tiny_suite.json", ".perfreg/runs/tiny_suite/" + RUN_NAME,
                ".perfreg/runs/tiny_suite/0003" + RUN_NAME[4:],
                "goodstore/runs/tiny_suite/" + RUN_NAME,
                "goodstore/runs/tiny_suite/0002" + RUN_NAME[4:]):
        shutil.copyfile(good, os.path.join(w, dst))
    copy_item(item_path, os.path.join(w, "in", item))
    copy_item(item_path, os.path.join(w, "badbase", "tiny_suite.json"))
    copy_item(item_path, os.path.join(w, ".perfreg/runs/tiny_suite", "0002_" + item))
    return item


def snapshot(w):
    """Every entry under W with its type, size, mode, owner, inode, mtime
    and ctime: a write, a rename or a new file shows."""
    out = {}
    for d, dirs, files in os.walk(w):
        for n in dirs + files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            out[os.path.relpath(p, w)] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mode,
                                          st.st_uid, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
    st = os.lstat(w)
    out["."] = (st.st_mtime_ns, st.st_ctime_ns)
    return out


def contents(w):
    """A checksum of every file under W (big sparse ones by size only)."""
    out = {}
    for d, _, files in os.walk(w):
        for n in files:
            p = os.path.join(d, n)
            rel = os.path.relpath(p, w)
            st = os.lstat(p)
            if st.st_size > BIG:
                out[rel] = st.st_size
                continue
            try:
                with open(p, "rb") as f:
                    out[rel] = hashlib.sha256(f.read()).hexdigest()
            except OSError as e:
                out[rel] = str(e)
    return out


def diff(before, after):
    """What changed, outside the folder a printed case may write to."""
    lines = []
    for k in sorted(set(before) | set(after), key=str):
        if k.split(os.sep)[0] == WRITABLE:
            continue
        if before.get(k) != after.get(k):
            lines.append("%s: %s -> %s" % (shown(os.fsencode(k)), before.get(k, "absent"),
                                           after.get(k, "absent")))
    return lines


def shown(b, width=None):
    """Bytes as printable text, controls escaped, for the log."""
    s = b.decode("utf-8", "backslashreplace")
    s = "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in s)
    return s if width is None or len(s) <= width else s[:width - 3] + "..."


def names_file(msg, name):
    """Whether MSG names the file NAME: as it is, or, when NAME holds control
    characters, with them escaped (each printable stretch then appears, in
    order)."""
    if not ANY_CONTROL.search(name):
        return name in msg
    pos = 0
    for part in ANY_CONTROL.split(name):
        if part:
            pos = msg.find(part, pos)
            if pos < 0:
                return False
            pos += len(part)
    return True


def run_case(top, pr, good, case, kind, what):
    """Runs the commands of one case: (table row, failure or None, commands run)."""
    root = os.getuid() == 0
    env = dict(os.environ, LC_ALL="C.UTF-8")
    n_commands = 0
    failure = None
    folder = os.path.join(top, "in", "cases", case)
    item_path = os.path.join(folder, os.listdir(folder)[0])
    w = os.path.join(top, "w", case)
    item = setup(w, good, item_path)
    prefix, user = [], {}
    if case == "unreadable" and not root:
        for d in ("in/" + item, "badbase/tiny_suite.json",
                  ".perfreg/runs/tiny_suite/0002_" + item):
            os.chmod(os.path.join(w, d), 0)
    elif case == "unreadable":
        if shutil.which("setpriv"):
            prefix = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY,
                      "--clear-groups"]
        else:
            user = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
    problems, statuses, first = [], [], None
    sums = contents(w)
    before = snapshot(w)
    for k in BAD_COMMANDS if kind == "bad" else PRINTED_COMMANDS:
        args, name = command(k, item)
        name = os.fsencode(name)
        t0 = time.monotonic()
        try:
            p = subprocess.run(prefix + [pr] + args, cwd=w, env=env, capture_output=True,
                               timeout=20, **user)
            status, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            status, out, err = "timeout", e.stdout or b"", e.stderr or b""
        ms = (time.monotonic() - t0) * 1000
        n_commands += 1
        statuses.append(str(status) if status in range(10) else "*")
        if first is None:
            first = err
        bad = []
        if status == "timeout" or status < 0 or status > 128:
            bad.append("crashed or hung: status %s" % status)
        if kind == "bad":
            if status != 2:
                bad.append("exit %s, expected 2" % status)
            if not err.endswith(b"\n") or err.count(b"\n") != 1:
                bad.append("stderr has %d lines, expected one" % len(err.splitlines()))
            if not names_file(err, name):
                bad.append("stderr does not name '%s'" % shown(name))
            if out:
                bad.append("stdout is not empty (%d bytes)" % len(out))
            if case == "huge_1g" and ms > 1000:
                bad.append("took %.0f ms: a 1 GiB file is to be refused by its size" % ms)
        else:
            if status not in (0, 1, 2, 3):
                bad.append("exit %s, expected 0 to 3" % status)
            if k == 9 and b"alert(1)</script>" in out:
                bad.append("a name's '</script>' is copied raw into the HTML page")
        for stream, data in (("stdout", out), ("stderr", err)):
            m = CONTROL.search(data)
            if m:
                bad.append("raw control character %r on %s: ...%s..." % (
                    m.group(0), stream,
                    shown(data[max(0, m.start() - 40):m.end() + 40])))
        if any(s in err for s in SANITIZER):
            bad.append("sanitizer report")
        after = snapshot(w)
        changed = diff(before, after)
        if changed:
            bad.append("changed the disk: " + "; ".join(changed))
        before = after
        if bad:
            problems.append("%s: perfreg %s\n      stderr: %s\n      - %s" % (
                COMMANDS[k], shown(os.fsencode(" ".join(args))), shown(err, 300),
                "\n      - ".join(bad)))
    changed = diff(sums, contents(w))
    if changed:
        problems.append("file contents changed: " + "; ".join(changed))
    cores = [os.path.join(d, n) for d, _, files in os.walk(w) for n in files
             if re.fullmatch(r"core(\.\d+)?|vgcore\.\d+", n)]
    if cores:
        problems.append("core files: " + ", ".join(cores))
    message = first.split(b"\n")[0] if kind == "bad" else first.strip().replace(b"\n", b" | ")
    row = "%-27s %-7s %s  %s" % (case, kind, "".join(statuses), shown(message, 120) or "-")
    if problems:
        failure = (case, kind, what, problems)
    shutil.rmtree(w, ignore_errors=True)
    return row, failure, n_commands


def main():
    perfreg = os.environ.get("PERFREG")
    if not perfreg:
        sys.exit("damaged.py: set PERFREG to the perfreg executable")
    only = set(sys.argv[1:])
    started = time.monotonic()
    os.umask(0o022)
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    top = tempfile.mkdtemp(prefix="perfreg-damaged-")
    try:
        os.chmod(top, 0o755)  # nobody must get in
        rows = make_damaged.build(os.path.join(top, "in"))
        os.mkdir(os.path.join(top, "bin"))
        pr = os.path.join(top, "bin", "perfreg")
        shutil.copy(perfreg, pr)  # where nobody may run it
        os.chmod(pr, 0o755)
        good = os.path.join(top, "in", "good.json")
        jobs = [(case, kind, what) for case, kind, what in rows if not only or case in only]
        # Cases are independent (a folder each): run them side by side.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda job: run_case(top, pr, good, *job), jobs))
        table = [r[0] for r in results]
        failures = [r[1] for r in results if r[1]]
        n_commands = sum(r[2] for r in results)
        print("case                        kind    exits    message of command 1")
        print("\n".join(table))
        print("\n%d cases, %d commands in %.1f s" % (len(table), n_commands,
                                                     time.monotonic() - started))
        if failures:
            print()
            for case, kind, what, problems in failures:
                print("FAIL [%s] (%s: %s)" % (case, kind, what))
                for p in problems:
                    print("  " + p)
            print("\n%d of %d cases failed: %s" % (len(failures), len(table),
                                                  " ".join(f[0] for f in failures)))
            return 1
        print("all %d cases passed" % len(table))
        return 0
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
