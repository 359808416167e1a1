#!/usr/bin/env python3
"""Checks docs/perfreg.1 against the option tables, through --help.

usage: PERFREG=path/to/perfreg man_page_check.py docs/perfreg.1

Every long option that `perfreg CMD --help` lists must be documented in the
man page (in the command's own section, or, for the run options that
compare and save-baseline share, in the run section), and every long option
the page mentions must be one that some command's --help lists, so that the
page can neither miss an option nor keep a removed one. Exits 1 listing
each problem on its own line.
"""
import os
import re
import subprocess
import sys

COMMANDS = ["run", "list", "compare", "save-baseline", "history", "import", "measure"]
OPTION = re.compile(r"--[a-z][a-z-]*[a-z]")


def plain(roff):
    """The page's text without roff's font changes and escapes."""
    text = re.sub(r"\\f[BIRP]|\\f\(..", "", roff)
    return text.replace("\\-", "-").replace("\\(em", "-").replace("\\&", "")


def sections(text):
    """{command: text of its .SS section under COMMANDS}."""
    out, name = {}, None
    for line in text.splitlines():
        if line.startswith(".SH"):
            name = None
        elif line.startswith(".SS"):
            name = line[3:].strip().strip('"')
            out[name] = ""
        elif name:
            out[name] += line + "\n"
    return out


def main():
    page_path = sys.argv[1]
    perfreg = os.environ["PERFREG"]
    text = plain(open(page_path, encoding="utf-8").read())
    by_command = sections(text)
    problems, known, total = [], set(), 0
    for cmd in COMMANDS:
        help_text = subprocess.run([perfreg, cmd, "--help"], capture_output=True, text=True,
                                   check=True).stdout
        own, _, shared = help_text.partition("\nRun options")
        shared = shared.partition("\n")[2]  # past the heading, "(with --run):"
        documented = by_command.get(cmd, "")
        if cmd not in by_command:
            problems.append(f"{page_path}: {cmd}: no section")
        # -h, --help: the page says once that every command takes it
        for opt in sorted(set(OPTION.findall(own)) - {"--help"}):
            known.add(opt)
            total += 1
            if not re.search(re.escape(opt) + r"(?![a-z-])", documented):
                problems.append(f"{page_path}: {cmd}: {opt} is not documented")
        for opt in sorted(set(OPTION.findall(shared))):
            known.add(opt)
            total += 1
            if not re.search(re.escape(opt) + r"(?![a-z-])", by_command.get("run", "")):
                problems.append(f"{page_path}: {cmd}: run option {opt} is not documented under run")
    for opt in sorted(set(OPTION.findall(text)) - known - {"--help"}):
        problems.append(f"{page_path}: {opt} is documented but no command's --help lists it")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"ok: {total} options of {len(COMMANDS)} commands documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
