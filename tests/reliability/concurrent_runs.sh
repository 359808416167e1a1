#!/usr/bin/env bash
# concurrent_runs.sh - several writers on one run store at once. Rounds of 2,
# then 4 `tiny_suite run` started together, then 4 `save-baseline --run`:
# every process exits 0, each records exactly one new run, the new runs have
# distinct consecutive numbers (the ones each process reports as
# "Recorded:" or "from"), every file parses (json.load, then perfreg's own reader),
# and the baseline is byte for byte one of the runs the savers recorded.
# Needs: TINY, PERFREG.
set -u
: "${TINY:?}" "${PERFREG:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
quick=(--min-time 0.01 --warmup 0 --samples 10 --keep 1000)
runs=.perfreg/runs/tiny_suite
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
count() { ls "$runs" 2>/dev/null | grep -c '^[0-9]*_.*\.json$'; }

# round N CMD...: N copies of CMD at once, then the checks.
round() {
    local n=$1 i st before after want got
    shift
    before=$(count)
    for i in $(seq 1 "$n"); do
        "$@" "${quick[@]}" >"out.$i" 2>"err.$i" &
    done
    for i in $(seq 1 "$n"); do
        wait -n; st=$?
        [ "$st" = 0 ] || fail "'$*' (one of $n) exited $st: $(cat err.* | head -3)"
    done
    after=$(count)
    [ "$after" = $((before + n)) ] || fail "$n at once: $((after - before)) new runs, expected $n"
    # the numbers each process reports are distinct and follow the old ones
    got=$(cat out.* | sed -E -n 's#^(Recorded:|  from) .*/([0-9]+)_.*#\2#p' | sort -n | tr '\n' ' ')
    want=$(seq -f %04g $((before + 1)) $((before + n)) | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "$n at once: recorded numbers '$got', expected '$want'"
    echo "$n at once ($2): runs $want"
}

for r in 1 2 3; do round 2 "$TINY" run; done
for r in 1 2 3; do round 4 "$TINY" run; done
round 4 "$TINY" save-baseline --run

python3 - "$runs" baselines/tiny_suite.json <<'PY' || fail "a file does not parse or the baseline is no recorded run"
import json, os, sys
runs, baseline = sys.argv[1], sys.argv[2]
texts = []
for n in sorted(os.listdir(runs)):
    if n.endswith(".json"):
        with open(os.path.join(runs, n), "rb") as f:
            texts.append(f.read())
        json.loads(texts[-1])
    elif n != ".lock":
        sys.exit("unexpected file in the store: " + n)
with open(baseline, "rb") as f:
    b = f.read()
json.loads(b)
if b not in texts[-4:]:
    sys.exit("the baseline is none of the runs the four savers recorded")
print("%d runs and the baseline parse" % len(texts))
PY
"$PERFREG" history --suite tiny_suite --last 0 --format json >history.json 2>err ||
    fail "perfreg history refuses the store: $(cat err)"

[ "$fails" = 0 ] || { echo "$fails failures"; exit 1; }
echo "concurrent runs: all passed"
