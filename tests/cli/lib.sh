# lib.sh - what cli_test.sh and ab_test.sh share, sourced by both after
# setting case_name (the case) and here (their folder): a scratch folder
# made the current one and removed on exit, a failure count, and the
# checks on a command's status and output.

mk() { python3 "$here/make_results.py" "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fails=0
fail() { echo "FAIL [$case_name]: $*"; fails=$((fails + 1)); }
# expect_status WANT CMD...: runs CMD with stdout/stderr in out/err.
expect_status() {
    local want=$1; shift
    "$@" >out 2>err
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "'$*' exited $got, expected $want"; sed 's/^/  stderr: /' err | head -5
    fi
}
expect_in() { grep -qF -- "$2" "$1" || { fail "'$2' not in $1:"; head -20 "$1" | sed 's/^/  /'; }; }
expect_not_in() { ! grep -qF -- "$2" "$1" || fail "'$2' should not be in $1"; }
