#!/usr/bin/env python3
"""Checks the GitHub Actions workflows with a YAML parser.

usage: [PERFREG=path/to/perfreg] workflows_check.py [REPO_ROOT]

For every .github/workflows/*.yml (or .yaml) under REPO_ROOT (default: the
checkout this script is in):
  - it parses as YAML, without duplicate keys, into the structure GitHub
    requires: `on` (which YAML 1.1 reads as the boolean true: both spellings
    are accepted) with known events, and `jobs`, each with `runs-on` and
    `steps` (or `uses`, a reusable workflow), each step with exactly one of
    `uses` and `run`, and no key GitHub would refuse;
  - every `uses` is pinned to a version tag (v4, v4.1.2) or a full commit;
  - `needs`, `steps.ID` and `inputs.NAME` in expressions name things that
    exist;
  - every bash `run:` script passes `bash -n` (expressions replaced by a
    placeholder word first).
For benchmarks.yml, also what docs/ci.md promises: the pull_request trigger,
the workflow_dispatch input save_baseline, the compare command with
--fail=mean:10% and --format markdown, the job summary, the pull-request
comment found again by its marker, the artifact upload, the exit status
applied only after those ran, the committed baseline, and the packages of
the README's first Quick start line. With PERFREG set, every option the
workflow passes to a perfreg command must be one its --help lists.

Exits 1 listing each problem on its own line.
"""
import os
import re
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    # Debian's python3-yaml is installed for the system's Python; a python3
    # found first on PATH (pyenv, a venv) may not see it.
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and os.access("/usr/bin/python3", os.X_OK):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("workflows_check.py: PyYAML is missing (Debian package python3-yaml)", file=sys.stderr)
    sys.exit(1)

EVENTS = {
    "branch_protection_rule", "check_run", "check_suite", "create", "delete", "deployment",
    "deployment_status", "discussion", "discussion_comment", "fork", "gollum", "issue_comment",
    "issues", "label", "merge_group", "milestone", "page_build", "public", "pull_request",
    "pull_request_review", "pull_request_review_comment", "pull_request_target", "push",
    "registry_package", "release", "repository_dispatch", "schedule", "status", "watch",
    "workflow_call", "workflow_dispatch", "workflow_run",
}
TOP_KEYS = {"name", "run-name", "on", True, "permissions", "env", "defaults", "concurrency", "jobs"}
JOB_KEYS = {
    "name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs",
    "env", "defaults", "steps", "timeout-minutes", "strategy", "continue-on-error", "container",
    "services", "uses", "with", "secrets",
}
STEP_KEYS = {
    "id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error",
    "timeout-minutes", "working-directory",
}
INPUT_TYPES = {"boolean", "choice", "number", "environment", "string"}
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")
EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (GitHub does)."""


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def expressions(value):
    """Every ${{ }} expression anywhere in a parsed YAML value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from expressions(k if isinstance(k, str) else "")
            yield from expressions(v)
    elif isinstance(value, list):
        for v in value:
            yield from expressions(v)
    elif isinstance(value, str):
        yield from EXPR.findall(value)


def job_expressions(job):
    """The expressions of a job: the ${{ }} ones, and its `if`s, which are
    expressions without the braces."""
    yield from expressions(job)
    for holder in [job] + [s for s in job.get("steps") or [] if isinstance(s, dict)]:
        cond = holder.get("if")
        if isinstance(cond, str) and "${{" not in cond:
            yield cond


def triggers(doc):
    """The `on` value as {event: config}, whichever way it was written."""
    on = doc.get(True, doc.get("on"))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {e: None for e in on}
    if isinstance(on, dict):
        return on
    return None


def shell_of(job, step, doc):
    for where in (step, ((job.get("defaults") or {}).get("run") or {}),
                  ((doc.get("defaults") or {}).get("run") or {})):
        if where.get("shell"):
            return str(where["shell"])
    return "bash"


def bash_syntax(script):
    """bash -n on a run script; '' when it is fine, else bash's complaint."""
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as f:
        f.write(EXPR.sub("GHA_EXPR", script))
        path = f.name
    try:
        r = subprocess.run(["bash", "-n", path], capture_output=True, text=True)
        return "" if r.returncode == 0 else r.stderr.replace(path, "run").strip()
    finally:
        os.unlink(path)


def check_workflow(path, doc, problems):
    """The structure every workflow needs. Returns {job id: job}."""
    p = lambda msg: problems.append(f"{path}: {msg}")
    if not isinstance(doc, dict):
        p("not a mapping at the top")
        return {}
    for key in doc:
        if key not in TOP_KEYS:
            p(f"unknown top-level key {key!r}")
    on = triggers(doc)
    if not on:
        p("no 'on' (the events that start the workflow)")
    else:
        for event in on:
            if event not in EVENTS:
                p(f"unknown event {event!r}")
        dispatch = on.get("workflow_dispatch") or {}
        for name, spec in ((dispatch.get("inputs") or {}).items()):
            if not isinstance(spec, dict) or spec.get("type", "string") not in INPUT_TYPES:
                p(f"workflow_dispatch input {name!r}: type must be one of {sorted(INPUT_TYPES)}")
            elif spec.get("type") == "choice" and not spec.get("options"):
                p(f"workflow_dispatch input {name!r}: a choice needs options")
    declared_inputs = set()
    for event in ("workflow_dispatch", "workflow_call"):
        declared_inputs |= set(((on or {}).get(event) or {}).get("inputs") or {})
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        p("no 'jobs'")
        return {}
    for job_id, job in jobs.items():
        where = f"job {job_id}"
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_-]*$", str(job_id)):
            p(f"{where}: a job id is letters, digits, '-' and '_', starting with a letter or '_'")
        if not isinstance(job, dict):
            p(f"{where}: not a mapping")
            continue
        for key in job:
            if key not in JOB_KEYS:
                p(f"{where}: unknown key {key!r}")
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            if need not in jobs:
                p(f"{where}: needs {need!r}, which is not a job")
        if "uses" in job:  # a call of a reusable workflow: no runner, no steps
            if not PINNED.match(str(job["uses"])) and not str(job["uses"]).startswith("./"):
                p(f"{where}: uses {job['uses']!r} is not pinned to a version tag or commit")
            continue
        if not job.get("runs-on"):
            p(f"{where}: no runs-on")
        steps = job.get("steps")
        if not isinstance(steps, list) or not steps:
            p(f"{where}: no steps")
            continue
        ids = [s.get("id") for s in steps if isinstance(s, dict) and s.get("id")]
        if len(ids) != len(set(ids)):
            p(f"{where}: a step id is used twice")
        for n, step in enumerate(steps, 1):
            here = f"{where}, step {n} ({step.get('name', '') if isinstance(step, dict) else ''})"
            if not isinstance(step, dict):
                p(f"{here}: not a mapping")
                continue
            for key in step:
                if key not in STEP_KEYS:
                    p(f"{here}: unknown key {key!r}")
            if ("uses" in step) == ("run" in step):
                p(f"{here}: needs exactly one of 'uses' and 'run'")
            if "uses" in step:
                uses = str(step["uses"])
                if not (uses.startswith("./") or uses.startswith("docker://") or PINNED.match(uses)):
                    p(f"{here}: uses {uses!r} is not pinned to a version tag or commit")
            if "run" in step:
                if not isinstance(step["run"], str) or not step["run"].strip():
                    p(f"{here}: empty run")
                elif shell_of(job, step, doc).split()[0] in ("bash", "sh"):
                    complaint = bash_syntax(step["run"])
                    if complaint:
                        p(f"{here}: bash -n: {complaint}")
        for expr in job_expressions(job):
            for ref in re.findall(r"\bsteps\.([A-Za-z_][A-Za-z0-9_-]*)", expr):
                if ref not in ids:
                    p(f"{where}: expression '{expr.strip()}' names step {ref!r}, which has no such id")
    all_expressions = set(expressions(doc))
    for job in jobs.values():
        if isinstance(job, dict):
            all_expressions |= set(job_expressions(job))
    for expr in sorted(all_expressions):
        for ref in re.findall(r"\binputs\.([A-Za-z_][A-Za-z0-9_-]*)", expr):
            if ref not in declared_inputs:
                p(f"expression '{expr.strip()}' names input {ref!r}, which is not declared")
    return jobs


def joined(script):
    """A run script with backslash-continued lines joined."""
    return re.sub(r"\\\n\s*", " ", script)


def perfreg_calls(script, command):
    """The option words of each `perfreg COMMAND ...` call in a script."""
    calls = []
    for line in joined(script).splitlines():
        m = re.search(r"\bperfreg\s+" + re.escape(command) + r"\b(.*)", line)
        if not m:
            continue
        words = []
        for w in m.group(1).split():
            if w in ("||", "&&", "|", ";") or w.startswith(">") or w.startswith("2>"):
                break
            words.append(w)
        calls.append(words)
    return calls


def readme_packages(readme):
    """The packages of the README's first Quick start command line."""
    text = open(readme, encoding="utf-8").read()
    section = text.partition("\n## Quick start")[2].partition("\n## ")[0]
    m = re.search(r"```sh\n(.*)\n", section)
    if not m:
        return None
    m2 = re.search(r"apt-get install ([^&]*)&&", m.group(1))
    if not m2:
        return None
    return {w for w in m2.group(1).split() if not w.startswith("-")}


def help_options(perfreg, command):
    out = subprocess.run([perfreg, command, "--help"], capture_output=True, text=True).stdout
    return set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", out))


def check_benchmarks(path, doc, jobs, root, problems):
    """What docs/ci.md says the benchmark workflow does."""
    p = lambda msg: problems.append(f"{path}: {msg}")
    on = triggers(doc) or {}
    if "pull_request" not in on:
        p("no pull_request trigger")
    inputs = ((on.get("workflow_dispatch") or {}).get("inputs") or {})
    if (inputs.get("save_baseline") or {}).get("type") != "boolean":
        p("no workflow_dispatch input save_baseline of type boolean")

    steps = [(jid, i, s) for jid, j in jobs.items() for i, s in enumerate(j.get("steps") or [])
             if isinstance(s, dict)]
    runs = [(jid, i, s, s["run"]) for jid, i, s in steps if isinstance(s.get("run"), str)]

    def find(pred):
        return [(jid, i, s) for jid, i, s in steps if pred(s)]

    compare = [(jid, i, s) for jid, i, s, r in runs if perfreg_calls(r, "compare")]
    if not compare:
        p("no step runs 'perfreg compare'")
        return
    cjob, cidx, cstep = compare[0]
    words = perfreg_calls(cstep["run"], "compare")[0]
    if "--fail=mean:10%" not in words:
        p("the compare command has no --fail=mean:10%")
    if "markdown" not in words or words[words.index("markdown") - 1] != "--format":
        p("the compare command has no --format markdown")
    json_file = words[words.index("--json") + 1] if "--json" in words[:-1] else None
    if not json_file:
        p("the compare command writes no results file (--json FILE)")
    if not cstep.get("id"):
        p("the compare step has no id: later steps cannot read its status")

    def after_compare(pred, what):
        found = [(jid, i, s) for jid, i, s in find(pred) if jid == cjob and i > cidx]
        if not found:
            p(f"no {what} after the compare step in job {cjob}")
            return None
        jid, i, s = found[0]
        if not str(s.get("if", "")).lstrip().startswith("always()"):
            p(f"the {what} step does not run when the comparison fails (if: always() ...)")
        return i

    summary = after_compare(lambda s: "GITHUB_STEP_SUMMARY" in str(s.get("run", "")),
                            "job summary ($GITHUB_STEP_SUMMARY)")
    comment = after_compare(lambda s: str(s.get("uses", "")).startswith("actions/github-script@")
                            and "<!-- perfreg-report" in str((s.get("with") or {}).get("script")),
                            "pull-request comment (github-script with <!-- perfreg-report marker)")
    if comment is not None:
        script = str((jobs[cjob]["steps"][comment].get("with") or {}).get("script"))
        for call in ("updateComment", "createComment", "listComments"):
            if call not in script:
                p(f"the comment script does not call {call}: it must update its comment, not repeat it")
    artifact = after_compare(lambda s: str(s.get("uses", "")).startswith("actions/upload-artifact@"),
                             "artifact upload (actions/upload-artifact)")
    if artifact is not None and json_file:
        if json_file not in str((jobs[cjob]["steps"][artifact].get("with") or {}).get("path")):
            p(f"the artifact upload does not include the results file {json_file}")
    gate = after_compare(lambda s: re.search(r"\bexit\s+\"?\$", str(s.get("run", ""))) is not None,
                         "step applying compare's exit status")
    for i, what in ((summary, "job summary"), (comment, "comment"), (artifact, "artifact upload")):
        if gate is not None and i is not None and i > gate:
            p(f"the exit status is applied before the {what} step")
    if "pull-requests" not in (jobs[cjob].get("permissions") or {}):
        p(f"job {cjob} does not ask for pull-requests: write (the comment)")

    saves = [(jid, i, s) for jid, i, s, r in runs if perfreg_calls(r, "save-baseline")]
    if not saves:
        p("no step runs 'perfreg save-baseline'")
    else:
        sjob = saves[0][0]
        if "--run" not in perfreg_calls(saves[0][2]["run"], "save-baseline")[0]:
            p("save-baseline does not --run the suite")
        if "save_baseline" not in str(jobs[sjob].get("if", "")):
            p(f"job {sjob} does not depend on the save_baseline input")
        if (jobs[sjob].get("permissions") or {}).get("contents") != "write":
            p(f"job {sjob} does not ask for contents: write (the baseline commit)")
        if not any(jid == sjob and "git push" in r for jid, _, _, r in runs):
            p(f"job {sjob} does not push the new baseline")

    for jid, job in jobs.items():
        checkout = [s for s in job.get("steps") or []
                    if str(s.get("uses", "")).startswith("actions/checkout@")]
        if not checkout or (checkout[0].get("with") or {}).get("fetch-depth") != 0:
            p(f"job {jid}: no actions/checkout with fetch-depth: 0 (git metadata needs history)")

    want = readme_packages(os.path.join(root, "README.md"))
    if want is None:
        p("README.md: no apt-get install in the first Quick start line")
    else:
        for jid, _, _, r in runs:
            if "apt-get install" in r:
                got = {w for w in joined(r).partition("apt-get install")[2].split()
                       if not w.startswith("-")}
                if got != want:
                    p(f"job {jid} installs {sorted(got)}, the README's first Quick start line "
                      f"{sorted(want)}: make them the same")

    perfreg = os.environ.get("PERFREG")
    if perfreg:
        for command in ("compare", "save-baseline", "run"):
            known = help_options(perfreg, command)
            for jid, _, _, r in runs:
                for words in perfreg_calls(r, command):
                    for w in words:
                        opt = w.split("=", 1)[0]
                        if opt.startswith("-") and opt not in known:
                            p(f"job {jid}: 'perfreg {command}' has no option {opt} "
                              f"(not in 'perfreg {command} --help')")


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    folder = os.path.join(root, ".github", "workflows")
    files = sorted(f for f in os.listdir(folder) if f.endswith((".yml", ".yaml")))
    problems = []
    if "benchmarks.yml" not in files:
        problems.append(f"{folder}: no benchmarks.yml")
    for name in files:
        path = os.path.join(".github", "workflows", name)
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                doc = yaml.load(f, Loader=UniqueKeyLoader)
        except yaml.YAMLError as e:
            problems.append(f"{path}: not valid YAML: {e}".replace("\n", " "))
            continue
        jobs = check_workflow(path, doc, problems)
        if name == "benchmarks.yml" and jobs:
            check_benchmarks(path, doc, jobs, root, problems)
    if problems:
        print("\n".join(problems))
        return 1
    print(f"ok: {len(files)} workflows ({', '.join(files)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
