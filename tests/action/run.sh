#!/usr/bin/env bash
# shellcheck disable=SC2016,SC2015
# Backticks in single quotes are Markdown; `a && b || fail` fails when either fails.
#
# Runs the GitHub Action's steps (action/run.sh) as a pull request's workflow would,
# in a temporary git repository with two commits, with the GITHUB_* variables the
# runner sets, and checks the annotations, the job summary, the outputs and the exit
# statuses:
#   tests/action/run.sh [JOURNEY]
# JOURNEY is the binary to run (default: target/debug/journey, built if missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
journey=${1:-$root/target/debug/journey}
if [ ! -x "$journey" ]; then
  (cd "$root" && cargo build --locked --quiet --bin journey)
fi
journey=$(cd "$(dirname "$journey")" && pwd)/$(basename "$journey")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mkdir -p "$repo/maps" "$work/runner"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.invalid
export GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.invalid
git -C "$repo" init --quiet --initial-branch=main

cat >"$repo/maps/orders.journey" <<'EOF'
team ops "Operations"

value stream sell "Sell" {
  stage order "Order" {
    metric lead "Lead time" { target "< 1 day" }
    activity take "Take the order" { owner ops }
  }
}

journey buy "Buy" {
  stage choose "Choose" {
    maps to sell.order
    touchpoint web "Order on the web" { traces to sell.take }
  }
}
EOF
git -C "$repo" add . && git -C "$repo" commit --quiet -m base
git -C "$repo" switch --quiet -c feature
# The pull request adds a touchpoint that nothing serves: a gap, a warning.
sed -i 's|^    touchpoint web .*|&\n    touchpoint phone "Order by phone" { channel "phone" }|' "$repo/maps/orders.journey"
git -C "$repo" commit --quiet -am "order by phone"

passed=0
fail() {
  echo "action: FAILED: $*" >&2
  exit 1
}
ok() {
  passed=$((passed + 1))
  echo "action: ok: $*"
}

# Runs the action's script in the repository as the runner would, with the inputs
# given as NAME=value arguments; sets `status` and leaves the runner's files.
run_action() {
  rm -rf "$work/runner" && mkdir -p "$work/runner/temp"
  : >"$work/runner/summary.md"
  : >"$work/runner/output.txt"
  status=0
  (
    cd "$repo"
    env -i PATH="$PATH" HOME="$work" GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
      JOURNEY="$journey" \
      GITHUB_ACTIONS=true \
      GITHUB_EVENT_NAME=pull_request \
      GITHUB_BASE_REF=main \
      GITHUB_HEAD_REF=feature \
      GITHUB_STEP_SUMMARY="$work/runner/summary.md" \
      GITHUB_OUTPUT="$work/runner/output.txt" \
      RUNNER_TEMP="$work/runner/temp" \
      INPUT_PATHS=maps INPUT_FAIL_ON_WARNINGS=false INPUT_BUILD_DIR= INPUT_BASE_REF= \
      "$@" bash "$root/action/run.sh"
  ) >"$work/runner/log.txt" 2>&1 || status=$?
}

summary() { cat "$work/runner/summary.md"; }
output() { sed -n "s/^$1=//p" "$work/runner/output.txt"; }

echo "--- a pull request with a new gap: annotations, summary, diff; warnings pass"
run_action
[ "$status" -eq 0 ] || { cat "$work/runner/log.txt"; fail "exit status $status, expected 0"; }
grep -q '^::warning file=maps/orders.journey,line=14,.*title=journey%3A%3Agap::touchpoint `phone` traces to no activity' "$work/runner/log.txt" \
  || { cat "$work/runner/log.txt"; fail "no gap annotation on line 14"; }
ok "the gap is annotated on its line"
summary | grep -q '^## journey check: ✅ passed' || fail "the summary has no passed check"
summary | grep -q '^checked 1 file: 0 errors, 1 warning, 0 notes$' || fail "the summary has no counts"
summary | grep -q 'journey::gap' || fail "the summary has no report"
ok "the summary has the verdict, the counts and the report"
[ "$(output errors)" = 0 ] && [ "$(output warnings)" = 1 ] && [ "$(output notes)" = 0 ] \
  || fail "outputs: $(cat "$work/runner/output.txt")"
ok "the counts are outputs"
summary | grep -q '^## journey diff' || fail "the summary has no diff"
summary | grep -q '1 touchpoint added' || fail "the diff does not report the new touchpoint"
summary | grep -q '1 new gap' || fail "the diff does not report the new gap"
diff_file=$(output diff-file)
[ -f "$diff_file" ] && grep -q '1 new gap' "$diff_file" || fail "no diff-file output"
grep -q '^diff<<journey_[0-9a-f]\{16\}$' "$work/runner/output.txt" || fail "no multi-line diff output"
ok "the pull request's diff is in the summary and the outputs"

echo "--- fail-on-warnings: the gap fails the step"
run_action INPUT_FAIL_ON_WARNINGS=true
[ "$status" -eq 1 ] || fail "exit status $status, expected 1"
grep -q '^::error file=maps/orders.journey,line=14,' "$work/runner/log.txt" || fail "the gap is not an error annotation"
summary | grep -q '^## journey check: ❌ failed' || fail "the summary does not say it failed"
ok "warnings fail when asked"

echo "--- build-dir: the site is written"
run_action INPUT_BUILD_DIR="$work/site"
[ "$status" -eq 0 ] || { cat "$work/runner/log.txt"; fail "exit status $status, expected 0"; }
[ -f "$work/site/index.html" ] && [ -f "$work/site/traceability.json" ] || fail "no site in $work/site"
[ "$(output site)" = "$work/site" ] || fail "no site output"
summary | grep -q '^## journey build' || fail "the summary does not mention the build"
ok "the site is built"

echo "--- not a pull request: no diff; an explicit base-ref: a diff"
run_action GITHUB_EVENT_NAME=push GITHUB_BASE_REF=
[ "$status" -eq 0 ] && ! summary | grep -q 'journey diff' || fail "a push got a diff"
run_action GITHUB_EVENT_NAME=push GITHUB_BASE_REF= INPUT_BASE_REF=main
summary | grep -q '1 new gap' || fail "base-ref gave no diff"
ok "the diff follows the event and base-ref"

echo "--- a base that does not exist fails with a message"
run_action INPUT_BASE_REF=no-such-branch
[ "$status" -eq 1 ] || fail "exit status $status, expected 1"
grep -q '^::error title=journey diff::cannot find the base `no-such-branch`' "$work/runner/log.txt" || fail "no error annotation"
ok "a missing base is reported"

echo "--- an error fails the step, and the site is not built"
sed -i 's/traces to sell.take/traces to sell.tkae/' "$repo/maps/orders.journey"
run_action INPUT_BUILD_DIR="$work/site2"
[ "$status" -eq 1 ] || fail "exit status $status, expected 1"
grep -q '^::error file=maps/orders.journey,line=13,.*title=journey%3A%3Aunresolved::' "$work/runner/log.txt" || fail "no error annotation"
[ ! -e "$work/site2" ] || fail "a site was built from a workspace with errors"
[ "$(output errors)" = 1 ] || fail "errors output: $(output errors)"
summary | grep -q 'Not built: the check failed' || fail "the summary does not say why nothing was built"
ok "errors fail the step"

echo "--- a hostile report cannot close its code block in the summary"
printf '\n// ```` and ``` in a comment\n' >>"$repo/maps/orders.journey"
printf 'team bad "```` <script>x</script>" { description 1 }\n' >>"$repo/maps/orders.journey"
run_action
fence=$(summary | grep -m1 -o '^`\{3,\}text$' | sed 's/text$//')
[ "${#fence}" -ge 5 ] || fail "the fence \`$fence\` is not longer than the text's backticks"
ok "the report's fence is longer than any run of backticks in it"

echo "action: $passed passed, 0 failed"
