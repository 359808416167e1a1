#!/usr/bin/env python3
"""Builds a folder of damaged perfreg results files for damaged.py (and
fuzzing seeds).

usage: make_damaged.py OUT [--list]
  OUT/good.json            a valid results file (suite tiny_suite)
  OUT/cases.tsv            one line per case: NAME <TAB> KIND <TAB> WHAT
  OUT/cases/NAME/ITEM      the damaged input, the only entry of its folder;
                           ITEM is NAME.json except where the file name is
                           the damage
KIND is
  bad      every reader must refuse it: exit 2, one line naming the file
  printed  valid, but hostile text in a field that reports print: whatever
           the verdict, no raw control character may reach the terminal
Deterministic: the same OUT gets the same files. Needs no perfreg.
"""
import json
import os
import sys

GIB = 1 << 30


def good_doc(suite="tiny_suite", scale=1.0):
    """A small valid run with two benchmarks of ten samples each."""
    def samples(mean):
        return [round(mean * scale * (1 + (i % 5 - 2) * 0.002), 6) for i in range(10)]
    return {
        "schema_version": 1,
        "suite": suite,
        "context": {
            "date": "2026-11-23T09:00:00Z", "host": "test", "os": "Linux",
            "kernel": "6.1.0", "arch": "x86_64", "cpu_model": "Test CPU",
            "logical_cores": 2, "compiler": "gcc 12.2.0", "build_type": "Release",
            "build_flags": "-O2", "optimized": True,
            "clock": {"name": "CLOCK_MONOTONIC", "cost_ns": 20, "step_ns": 10,
                      "resolution_ns": 1},
            "perfreg_version": "0.1.0",
            "options": {"min_time_s": 0.4, "warmup_s": 0.05, "samples": 10, "iterations": 0},
        },
        "git": {"commit": None, "short_commit": None, "branch": None, "dirty": None,
                "subject": None, "commit_time": None},
        "benchmarks": [
            {"name": "tiny/barrier", "status": "ok", "error": None,
             "iterations_per_sample": 1000, "samples_ns": samples(100.0)},
            {"name": "tiny/memset_256", "status": "ok", "error": None,
             "iterations_per_sample": 1000, "samples_ns": samples(20.0),
             "bytes_per_iteration": 256},
        ],
    }


def dump(doc):
    return (json.dumps(doc, indent=2) + "\n").encode()


def raw_dump(doc, marker, raw):
    """DOC with the string MARKER (quoted) replaced by RAW bytes: for values
    JSON cannot express (NaN) or bytes json.dumps would escape."""
    text = dump(doc)
    quoted = json.dumps(marker).encode()
    assert quoted in text, marker
    return text.replace(quoted, raw, 1)


def mutate(fn):
    doc = good_doc()
    fn(doc)
    return dump(doc)


def set_path(path, value):
    def fn(doc):
        obj = doc
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = value
    return fn


def del_path(path):
    def fn(doc):
        obj = doc
        for key in path[:-1]:
            obj = obj[key]
        del obj[path[-1]]
    return fn


def with_samples_raw(raw):
    """The first benchmark's samples_ns written as RAW bytes."""
    doc = good_doc()
    doc["benchmarks"][0]["samples_ns"] = "@SAMPLES@"
    return raw_dump(doc, "@SAMPLES@", raw)


def with_raw_string(path, raw):
    """The string at PATH written as the raw bytes RAW (between quotes)."""
    doc = good_doc()
    set_path(path, "@RAW@")(doc)
    return raw_dump(doc, "@RAW@", b'"' + raw + b'"')


B0 = ["benchmarks", 0]
GOOD = dump(good_doc())


def cut(fraction=None, at=None):
    if at is None:
        at = int(len(GOOD) * fraction)
    return GOOD[:at]


def bad_cases():
    """(name, what, content) of every input a reader must refuse."""
    nested = 1000  # cJSON's nesting limit
    many = good_doc()
    many["benchmarks"] = [{"name": "many/b%05d" % i, "status": "ok", "error": None,
                           "iterations_per_sample": 1, "samples_ns": [1 + i % 7]}
                          for i in range(20000)]
    many["benchmarks"].append(dict(many["benchmarks"][0]))
    mid_string = GOOD.index(b'"tiny/barrier"') + 6
    mid_number = GOOD.index(b'"samples_ns": [') + len(b'"samples_ns": [') + 3
    return [
        # not JSON at all, or not one complete value
        ("empty", "empty file", b""),
        ("blank", "white space only", b" \n\t\r\n"),
        ("cut_1", "truncated after 1 byte", cut(at=1)),
        ("cut_10pct", "truncated at 10%", cut(0.1)),
        ("cut_50pct", "truncated at 50%", cut(0.5)),
        ("cut_90pct", "truncated at 90%", cut(0.9)),
        ("cut_last", "truncated before the final '}'", GOOD.rstrip()[:-1]),
        ("cut_mid_string", "truncated inside a string", cut(at=mid_string)),
        ("cut_mid_number", "truncated inside a number", cut(at=mid_number)),
        ("trailing_garbage", "a document then garbage", GOOD + b"garbage\n"),
        ("two_documents", "two documents", GOOD + GOOD),
        ("nul_byte", "a NUL byte between members", GOOD.replace(b",\n", b",\0\n", 1)),
        ("control_byte", "the byte 0x01 between members", GOOD.replace(b",\n", b",\x01\n", 1)),
        ("nul_prefix", "512 NUL bytes, then the document", b"\0" * 512 + GOOD),
        ("nul_suffix", "the document, then 512 NUL bytes", GOOD + b"\0" * 512),
        ("zeros", "4096 NUL bytes (a block lost in a crash)", b"\0" * 4096),
        ("binary", "binary noise", bytes(range(256)) * 4),
        ("utf8_outside_string", "invalid UTF-8 outside strings", b"{\xff\xfe}"),
        ("deep_open", "100000 '['", b"[" * 100000),
        ("deep_closed", "100000 nested arrays", b"[" * 100000 + b"]" * 100000),
        ("deep_objects", "100000 nested objects",
         b'{"a":' * 100000 + b"1" + b"}" * 100000),
        ("deep_in_samples", "samples_ns nested 2000 deep",
         with_samples_raw(b"[" * 2000 + b"1" + b"]" * 2000)),
        ("deep_at_limit", "samples_ns nested just under the nesting limit",
         with_samples_raw(b"[" * (nested - 8) + b"1" + b"]" * (nested - 8))),
        ("token_nan", "NaN in samples_ns", with_samples_raw(b"[NaN, 1]")),
        ("token_infinity", "Infinity in samples_ns", with_samples_raw(b"[1, Infinity]")),
        ("token_neg_infinity", "-Infinity in samples_ns", with_samples_raw(b"[-Infinity]")),
        ("overflow_1e999", "1e999 (overflows a double) in samples_ns",
         with_samples_raw(b"[1e999, 1]")),
        ("overflow_neg_1e999", "-1e999 in samples_ns", with_samples_raw(b"[-1e999]")),
        ("hex_number", "0x10 in samples_ns", with_samples_raw(b"[0x10]")),
        # the top level
        ("top_array_empty", "[] at the top", b"[]\n"),
        ("top_array_doc", "the document inside an array", b"[" + GOOD + b"]\n"),
        ("top_string", "a string at the top", b'"tiny_suite"\n'),
        ("top_number", "a number at the top", b"1\n"),
        ("top_null", "null at the top", b"null\n"),
        ("top_true", "true at the top", b"true\n"),
        # schema_version
        ("schema_0", "schema_version 0", mutate(set_path(["schema_version"], 0))),
        ("schema_2", "schema_version 2", mutate(set_path(["schema_version"], 2))),
        ("schema_string", 'schema_version "1"', mutate(set_path(["schema_version"], "1"))),
        ("schema_1_5", "schema_version 1.5", mutate(set_path(["schema_version"], 1.5))),
        ("schema_null", "schema_version null", mutate(set_path(["schema_version"], None))),
        ("schema_negative", "schema_version -1", mutate(set_path(["schema_version"], -1))),
        ("schema_huge", "schema_version 1e300", mutate(set_path(["schema_version"], 1e300))),
        # required fields
        ("missing_schema_version", "no schema_version", mutate(del_path(["schema_version"]))),
        ("missing_suite", "no suite", mutate(del_path(["suite"]))),
        ("missing_context", "no context", mutate(del_path(["context"]))),
        ("missing_git", "no git", mutate(del_path(["git"]))),
        ("missing_benchmarks", "no benchmarks", mutate(del_path(["benchmarks"]))),
        ("missing_name", "no benchmarks[0].name", mutate(del_path(B0 + ["name"]))),
        ("missing_status", "no benchmarks[0].status", mutate(del_path(B0 + ["status"]))),
        ("missing_iterations", "no benchmarks[0].iterations_per_sample",
         mutate(del_path(B0 + ["iterations_per_sample"]))),
        ("missing_samples", "no benchmarks[0].samples_ns", mutate(del_path(B0 + ["samples_ns"]))),
        # mistyped fields
        ("suite_number", "suite 5", mutate(set_path(["suite"], 5))),
        ("suite_empty", 'suite ""', mutate(set_path(["suite"], ""))),
        ("suite_null", "suite null", mutate(set_path(["suite"], None))),
        ("context_array", "context []", mutate(set_path(["context"], []))),
        ("context_string", 'context "x"', mutate(set_path(["context"], "x"))),
        ("git_string", 'git "abc"', mutate(set_path(["git"], "abc"))),
        ("benchmarks_object", "benchmarks {}", mutate(set_path(["benchmarks"], {}))),
        ("benchmarks_string", 'benchmarks "x"', mutate(set_path(["benchmarks"], "x"))),
        ("benchmark_string", 'benchmarks[0] "x"', mutate(set_path(B0, "x"))),
        ("benchmark_null", "benchmarks[0] null", mutate(set_path(B0, None))),
        ("name_number", "name 5", mutate(set_path(B0 + ["name"], 5))),
        ("name_empty", 'name ""', mutate(set_path(B0 + ["name"], ""))),
        ("name_null", "name null", mutate(set_path(B0 + ["name"], None))),
        ("status_upper", 'status "OK"', mutate(set_path(B0 + ["status"], "OK"))),
        ("status_bool", "status true", mutate(set_path(B0 + ["status"], True))),
        ("error_number", "error 5", mutate(set_path(B0 + ["error"], 5))),
        ("iterations_string", 'iterations_per_sample "1000"',
         mutate(set_path(B0 + ["iterations_per_sample"], "1000"))),
        ("iterations_fraction", "iterations_per_sample 1.5",
         mutate(set_path(B0 + ["iterations_per_sample"], 1.5))),
        ("iterations_negative", "iterations_per_sample -1",
         mutate(set_path(B0 + ["iterations_per_sample"], -1))),
        ("iterations_huge", "iterations_per_sample 1e300",
         mutate(set_path(B0 + ["iterations_per_sample"], 1e300))),
        ("iterations_zero_ok", "iterations_per_sample 0 for an ok benchmark",
         mutate(set_path(B0 + ["iterations_per_sample"], 0))),
        ("samples_string", 'samples_ns "1,2"', mutate(set_path(B0 + ["samples_ns"], "1,2"))),
        ("samples_object", "samples_ns {}", mutate(set_path(B0 + ["samples_ns"], {}))),
        ("samples_string_item", 'samples_ns ["1"]', mutate(set_path(B0 + ["samples_ns"], ["1"]))),
        ("samples_null_item", "samples_ns [null]", mutate(set_path(B0 + ["samples_ns"], [None]))),
        ("samples_bool_item", "samples_ns [true]", mutate(set_path(B0 + ["samples_ns"], [True]))),
        ("samples_nested_item", "samples_ns [[1]]", mutate(set_path(B0 + ["samples_ns"], [[1]]))),
        ("logical_cores_string", 'logical_cores "2"',
         mutate(set_path(["context", "logical_cores"], "2"))),
        ("logical_cores_negative", "logical_cores -2",
         mutate(set_path(["context", "logical_cores"], -2))),
        ("logical_cores_huge", "logical_cores 1e12",
         mutate(set_path(["context", "logical_cores"], 1e12))),
        ("optimized_string", 'optimized "yes"', mutate(set_path(["context", "optimized"], "yes"))),
        ("clock_number", "clock 5", mutate(set_path(["context", "clock"], 5))),
        ("cost_string", 'clock.cost_ns "20"',
         mutate(set_path(["context", "clock", "cost_ns"], "20"))),
        ("options_samples_negative", "options.samples -1",
         mutate(set_path(["context", "options", "samples"], -1))),
        ("date_number", "context.date 20261123", mutate(set_path(["context", "date"], 20261123))),
        ("dirty_string", 'git.dirty "no"', mutate(set_path(["git", "dirty"], "no"))),
        ("commit_number", "git.commit 123", mutate(set_path(["git", "commit"], 123))),
        ("bytes_negative", "bytes_per_iteration -256",
         mutate(set_path(["benchmarks", 1, "bytes_per_iteration"], -256))),
        ("bytes_string", 'bytes_per_iteration "256"',
         mutate(set_path(["benchmarks", 1, "bytes_per_iteration"], "256"))),
        ("memory_over_peak", "memory.memory_bytes above peak_rss_bytes",
         mutate(set_path(B0 + ["memory"], {"peak_rss_bytes": 10, "baseline_rss_bytes": 5,
                                            "memory_bytes": 20}))),
        ("memory_string", 'memory.peak_rss_bytes "10"',
         mutate(set_path(B0 + ["memory"], {"peak_rss_bytes": "10", "baseline_rss_bytes": 5,
                                            "memory_bytes": 2}))),
        ("memory_array", "memory []", mutate(set_path(B0 + ["memory"], []))),
        ("allocs_negative", "allocs.per_iteration -1",
         mutate(set_path(B0 + ["allocs"], {"per_iteration": -1, "bytes_per_iteration": 0}))),
        ("allocs_missing", "allocs without bytes_per_iteration",
         mutate(set_path(B0 + ["allocs"], {"per_iteration": 1}))),
        ("total_time_negative", "total_time_s -1", mutate(set_path(B0 + ["total_time_s"], -1))),
        # sample values
        ("sample_negative", "a sample of -1", with_samples_raw(b"[100, -1, 100]")),
        ("sample_negative_tiny", "a sample of -1e-300", with_samples_raw(b"[100, -1e-300]")),
        ("samples_huge_spread", "samples near 1e300 (their variance overflows)",
         with_samples_raw(b"[1e300, 3e300, 1e300, 2e300]")),
        ("samples_huge_equal", "samples all 1e300 ns (1e283 years)",
         with_samples_raw(b"[1e300, 1e300, 1e300, 1e300]")),
        ("samples_dbl_max", "samples at DBL_MAX (their sum overflows)",
         with_samples_raw(b"[1.7976931348623157e308, 1.7976931348623157e308]")),
        ("samples_subnormal", "samples of 5e-324 ns (ops/s overflows)",
         with_samples_raw(b"[5e-324, 5e-324]")),
        ("throughput_overflow", "bytes_per_iteration 1e308 (bytes/s overflows)",
         mutate(set_path(["benchmarks", 1, "bytes_per_iteration"], 1e308))),
        ("zero_samples_ok", "samples_ns [] for an ok benchmark",
         mutate(set_path(B0 + ["samples_ns"], []))),
        # names
        ("duplicate_names", "two benchmarks named tiny/barrier",
         mutate(set_path(["benchmarks", 1, "name"], "tiny/barrier"))),
        ("duplicate_far", "20001 benchmarks, the last repeating the first", dump(many)),
        ("name_esc_clear", 'a name with "\\u001b[2J" (clear screen)',
         mutate(set_path(B0 + ["name"], "tiny/\x1b[2J\x1b[31mred"))),
        ("name_bel", 'a name with "\\u0007"', mutate(set_path(B0 + ["name"], "tiny/\x07bell"))),
        ("name_newline", 'a name with "\\n"', mutate(set_path(B0 + ["name"], "tiny/line\nbreak"))),
        ("name_cr", 'a name with "\\r"', mutate(set_path(B0 + ["name"], "tiny/over\rwrite"))),
        ("name_nul", 'a name with "\\u0000"', mutate(set_path(B0 + ["name"], "tiny/a\x00b"))),
        ("name_del", 'a name with "\\u007f"', mutate(set_path(B0 + ["name"], "tiny/\x7fdel"))),
        ("name_c1_csi", 'a name with "\\u009b2J" (8-bit CSI)',
         mutate(set_path(B0 + ["name"], "tiny/\x9b2J"))),
        ("duplicate_esc_names", 'two benchmarks named "\\u001b[2J\\u0007"',
         mutate(lambda d: [b.__setitem__("name", "\x1b[2J\x07") for b in d["benchmarks"]])),
        # encodings
        ("utf8_bad_byte_name", "name with the byte 0xff",
         with_raw_string(B0 + ["name"], b"tiny/\xff\xfe")),
        ("utf8_overlong_suite", "suite with the overlong NUL 0xc0 0x80",
         with_raw_string(["suite"], b"tiny\xc0\x80suite")),
        ("utf8_surrogate_host", "host with an encoded surrogate 0xed 0xa0 0x80",
         with_raw_string(["context", "host"], b"h\xed\xa0\x80")),
        ("utf8_cut_subject", "subject ending inside a sequence",
         with_raw_string(["git", "subject"], b"abc\xe2\x82")),
        ("utf8_lone_surrogate_escape", 'name "\\ud800"',
         with_raw_string(B0 + ["name"], b"tiny/\\ud800")),
    ]


def printed_cases():
    """(name, what, content): valid files whose text fields carry terminal
    controls; every report that prints them must escape them."""
    esc = "\x1b[2J\x1b[31m\x07"
    failed = good_doc()
    failed["benchmarks"][0].update(status="failed", error="boom" + esc + "\nsecond line",
                                   samples_ns=[])
    return [
        ("printed_suite", "suite with ESC/BEL", mutate(set_path(["suite"], "tiny_suite" + esc))),
        ("printed_subject", "git.subject with ESC/BEL/newline",
         mutate(set_path(["git", "subject"], "fix" + esc + "\nline"))),
        ("printed_branch", "git.branch with ESC", mutate(set_path(["git", "branch"], "b" + esc))),
        ("printed_commit", "git.commit and short_commit with ESC",
         mutate(lambda d: d["git"].update(commit="c0ffee" + esc, short_commit="c0" + esc))),
        ("printed_cpu", "cpu_model with ESC (machine mismatch)",
         mutate(set_path(["context", "cpu_model"], "CPU" + esc))),
        ("printed_host", "host and compiler with ESC",
         mutate(lambda d: d["context"].update(host="h" + esc, compiler="cc" + esc))),
        ("printed_date", "context.date with ESC", mutate(set_path(["context", "date"], esc))),
        ("printed_error", "a failed benchmark's error with ESC and a newline", dump(failed)),
        ("printed_c1", "cpu_model with the 8-bit CSI U+009B",
         mutate(set_path(["context", "cpu_model"], "CPU\x9b2J"))),
        ("printed_html_name", "a name with <script> (history --format html)",
         mutate(set_path(["benchmarks", 1, "name"], "tiny/<script>alert(1)</script>"))),
    ]


def build(out):
    """Writes the folder OUT; returns the rows of cases.tsv."""
    bad, printed = bad_cases(), printed_cases()
    os.makedirs(os.path.join(out, "cases"), exist_ok=True)
    with open(os.path.join(out, "good.json"), "wb") as f:
        f.write(GOOD)
    rows = []

    def folder(name):
        d = os.path.join(out, "cases", name)
        os.makedirs(d, exist_ok=True)
        return d

    for kind, cases in (("bad", bad), ("printed", printed)):
        for name, what, content in cases:
            with open(os.path.join(folder(name), name + ".json"), "wb") as f:
                f.write(content)
            rows.append((name, kind, what))
    # inputs whose damage is not in their bytes
    os.mkdir(os.path.join(folder("directory"), "directory.json"))
    rows.append(("directory", "bad", "a folder where a file is expected"))
    path = os.path.join(folder("unreadable"), "unreadable.json")
    with open(path, "wb") as f:
        f.write(GOOD)
    os.chmod(path, 0o600)  # damaged.py reads it as nobody, or takes the owner's right away
    rows.append(("unreadable", "bad", "a file only its owner may read, read by someone else"))
    path = os.path.join(folder("huge_1g"), "huge_1g.json")
    with open(path, "wb") as f:
        f.truncate(GIB)  # sparse: costs no disk
    rows.append(("huge_1g", "bad", "a 1 GiB file (sparse)"))
    with open(os.path.join(folder("fname_escape"), "esc\x1b[2J\x07\nname.json"), "wb") as f:
        f.write(b"")
    rows.append(("fname_escape", "bad", "an empty file named 'esc\\e[2J\\a\\nname.json'"))
    with open(os.path.join(out, "cases.tsv"), "w") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")
    return rows


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    if "--list" in args:
        for name, what, _ in bad_cases() + printed_cases():
            print("%-28s %s" % (name, what))
        return
    build(args[0])


if __name__ == "__main__":
    main()
