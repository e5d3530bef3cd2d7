#!/usr/bin/env bash
# Runs the real pre-commit (https://pre-commit.com) with this repository's hooks,
# `.pre-commit-hooks.yaml` as committed at HEAD, on a small sample repository, the
# way a user's repository uses them:
#   tests/pre-commit/run.sh
# pre-commit clones this checkout at HEAD and builds `journey` with `cargo install`
# (`language: rust`), so uncommitted changes are not what is tested. It expects:
#   1. a formatted, error-free workspace passes both hooks;
#   2. a file out of layout fails `journey-fmt`, which rewrites it, and passes then;
#   3. an unresolved reference fails `journey-check`.
# pre-commit is installed with pip into target/pre-commit/venv when it is missing.
# The build is unoptimised (CARGO_PROFILE_RELEASE_*), which changes how long it
# takes, not what is installed, and its target folder is kept in target/pre-commit
# so that a second run only builds `journey` itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
state="$root/target/pre-commit"
mkdir -p "$state"

if command -v pre-commit >/dev/null 2>&1; then
  pre_commit=pre-commit
else
  if [ ! -x "$state/venv/bin/pre-commit" ]; then
    echo "pre-commit: installing pre-commit with pip"
    python3 -m venv "$state/venv"
    "$state/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
  fi
  pre_commit="$state/venv/bin/pre-commit"
fi
echo "pre-commit: $("$pre_commit" --version)"

rev=$(git -C "$root" rev-parse HEAD)
if ! git -C "$root" diff --quiet HEAD -- .pre-commit-hooks.yaml Cargo.toml src; then
  echo "pre-commit: note: testing HEAD ($rev); uncommitted changes are not in it" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
export CARGO_TARGET_DIR="$state/cargo-target"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_TERM_QUIET=true
# The sample repository must not pick up the caller's git settings or hooks.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

repo="$work/sample"
mkdir -p "$repo/maps"
git -C "$repo" init --quiet
cat >"$repo/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: journey-fmt
      - id: journey-check
        args: [maps/]
EOF
clean='// The sample workspace of tests/pre-commit/run.sh.
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
'
printf '%s' "$clean" >"$repo/maps/orders.journey"
git -C "$repo" add .

# Runs every hook on every file; prints pre-commit's output and returns its status.
run() {
  (cd "$repo" && "$pre_commit" run --all-files --color never) >"$work/out" 2>&1 && status=0 || status=$?
  cat "$work/out"
  return "$status"
}

fail() {
  echo "pre-commit: FAILED: $*" >&2
  exit 1
}

echo "--- 1. a clean workspace passes (the first run builds journey)"
started=$(date +%s)
run || fail "the clean workspace did not pass"
echo "pre-commit: the first run took $(($(date +%s) - started)) s"
grep -q '^journey fmt\.*Passed' "$work/out" || fail "journey-fmt did not pass"
grep -q '^journey check\.*Passed' "$work/out" || fail "journey-check did not pass"

echo "--- 2. a file out of layout fails journey-fmt, which rewrites it"
printf '%s' "$clean" | sed 's/^  stage order/      stage   order/' >"$repo/maps/orders.journey"
git -C "$repo" add maps
if run; then fail "a file out of layout passed"; fi
grep -q '^journey fmt\.*Failed' "$work/out" || fail "journey-fmt did not fail"
grep -q 'files were modified by this hook' "$work/out" || fail "journey-fmt did not rewrite"
[ "$(cat "$repo/maps/orders.journey")" = "$(printf '%s' "$clean")" ] \
  || fail "journey-fmt did not restore the layout"
git -C "$repo" add maps
run || fail "the rewritten file did not pass"

echo "--- 3. an unresolved reference fails journey-check"
printf '%s' "$clean" | sed 's/traces to sell.take/traces to sell.tkae/' >"$repo/maps/orders.journey"
git -C "$repo" add maps
if run; then fail "an unresolved reference passed"; fi
grep -q '^journey check\.*Failed' "$work/out" || fail "journey-check did not fail"
grep -q 'journey::unresolved' "$work/out" || fail "journey-check did not name the error"

echo "pre-commit: 3 passed, 0 failed"
