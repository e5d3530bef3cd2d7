#!/usr/bin/env bash
# shellcheck disable=SC2016
# Backticks in single quotes are Markdown, not command substitutions.
#
# The steps of the `journey` GitHub Action (action.yml), as one script so that they
# can be run and tested outside GitHub (tests/action/run.sh).
#
# Reads the action's inputs from the environment, as action.yml passes them:
#   INPUT_PATHS             files and folders to check, separated by white space ("." if empty)
#   INPUT_FAIL_ON_WARNINGS  "true" makes warnings fail the step (`--deny warnings`)
#   INPUT_BUILD_DIR         when set, `journey build` writes the site there
#   INPUT_BASE_REF          when set, or on a pull request (GITHUB_BASE_REF), the
#                           Markdown report of `journey diff --git` against it
#   JOURNEY                 the `journey` to run (default: the one on PATH)
# and GitHub's: GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_EVENT_NAME,
# GITHUB_BASE_REF, RUNNER_TEMP.
#
# Writes: annotations (`--format github`) on standard output, where the runner reads
# them; a job summary (the counts, the report, the diff); the outputs `errors`,
# `warnings`, `notes`, `site` and `diff-file`. Exits 1 when the check fails (errors,
# or warnings with fail-on-warnings), the build fails or the diff cannot be made;
# 2 on a usage problem (a path that cannot be read).
set -uo pipefail

journey=${JOURNEY:-journey}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
outputs=${GITHUB_OUTPUT:-/dev/null}
temp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
work=$(mktemp -d "$temp/journey-action.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Kept after the step, for the steps after it (the output `diff-file`).
diff_file="$temp/journey-diff.md"

# The paths, split at white space, as a YAML block or a line of words gives them.
read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
[ ${#paths[@]} -gt 0 ] || paths=(.)

lints=()
case "${INPUT_FAIL_ON_WARNINGS:-false}" in
  true | True | TRUE | yes | 1) lints=(--deny warnings) ;;
  false | False | FALSE | no | 0 | "") ;;
  *)
    echo "::error title=journey action::fail-on-warnings must be true or false, not ${INPUT_FAIL_ON_WARNINGS}"
    exit 2
    ;;
esac

# A fence for a code block that no line of `file` can close: one backtick longer
# than the longest run of backticks in it, and at least three.
fence_for() {
  local longest
  longest=$(grep -o '`\+' "$1" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
  [ "$longest" -ge 3 ] || longest=2
  printf '`%.0s' $(seq 0 "$longest")
}

# Appends at most `limit` lines of a file to the summary in a code block.
summary_block() {
  local file=$1 limit=400 lines fence
  lines=$(wc -l <"$file")
  fence=$(fence_for "$file")
  {
    echo "${fence}text"
    head -n "$limit" "$file"
    echo "$fence"
    if [ "$lines" -gt "$limit" ]; then
      echo
      echo "… and $((lines - limit)) more lines: see the step's log."
    fi
  } >>"$summary"
}

# A multi-line output, with a delimiter that the value cannot hold.
output_file() {
  local name=$1 file=$2 delimiter
  delimiter="journey_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  { echo "${name}<<${delimiter}"; cat "$file"; echo "$delimiter"; } >>"$outputs"
}

# ------------------------------------------------------------------ check
echo "::group::journey check ${paths[*]}"
"$journey" check "${paths[@]}" "${lints[@]}" --format github
check=$?
echo "::endgroup::"
# The same check for people: its report goes into the summary.
"$journey" check "${paths[@]}" "${lints[@]}" --color never 2>"$work/report.txt" >/dev/null
counts=$(tail -n 1 "$work/report.txt")
count_of() { grep -o "[0-9]\+ ${1}s\?\b" <<<"$counts" | head -n 1 | cut -d ' ' -f 1; }
errors=$(count_of error)
warnings=$(count_of warning)
notes=$(count_of note)
{
  echo "errors=${errors:-0}"
  echo "warnings=${warnings:-0}"
  echo "notes=${notes:-0}"
} >>"$outputs"

case $check in
  0) verdict="✅ passed" ;;
  1) verdict="❌ failed" ;;
  *) verdict="❌ could not run" ;;
esac
{
  echo "## journey check: $verdict"
  echo
  echo "$counts"
  [ ${#lints[@]} -eq 0 ] || printf '\nWarnings fail this check (`--deny warnings`).\n'
  echo
} >>"$summary"
# The report without its last line, the counts already above.
sed '$d' "$work/report.txt" >"$work/report-body.txt"
if [ -s "$work/report-body.txt" ]; then
  echo "<details><summary>Report</summary>" >>"$summary"
  echo >>"$summary"
  summary_block "$work/report-body.txt"
  printf '\n</details>\n\n' >>"$summary"
fi
status=$check

# ------------------------------------------------------------------ build
if [ -n "${INPUT_BUILD_DIR:-}" ]; then
  if [ "$check" -eq 0 ]; then
    echo "::group::journey build ${paths[*]} -o ${INPUT_BUILD_DIR}"
    # The diagnostics were annotated above; here only whether the site was written.
    if "$journey" build "${paths[@]}" "${lints[@]}" -o "$INPUT_BUILD_DIR" --format json >/dev/null; then
      echo "site=${INPUT_BUILD_DIR}" >>"$outputs"
      printf '## journey build\n\nThe site was written to `%s`.\n\n' "$INPUT_BUILD_DIR" >>"$summary"
    else
      status=1
      printf '## journey build: ❌ failed\n\nSee the step'"'"'s log.\n\n' >>"$summary"
    fi
    echo "::endgroup::"
  else
    printf '## journey build\n\nNot built: the check failed.\n\n' >>"$summary"
  fi
fi

# ------------------------------------------------------------------ diff
base=${INPUT_BASE_REF:-}
case "${GITHUB_EVENT_NAME:-}" in
  pull_request | pull_request_target)
    if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
      base=$GITHUB_BASE_REF
      # actions/checkout fetches the base branch as a remote branch.
      if git rev-parse --verify --quiet "origin/$base^{commit}" >/dev/null; then
        base="origin/$base"
      fi
    fi
    ;;
esac
if [ -n "$base" ]; then
  echo "::group::journey diff --git $base"
  # Compare with where the branch left the base, so that the report shows this
  # change only, not what the base gained since.
  fork=$(git merge-base "$base" HEAD 2>"$work/git.txt")
  if [ -z "$fork" ]; then
    message="cannot find the base \`$base\` or its merge base with HEAD: $(tr '\r\n' '  ' <"$work/git.txt")check out with fetch-depth: 0"
    # A workflow command's message: `%` is its escape character.
    echo "::error title=journey diff::${message//%/%25}"
    printf '## journey diff: ❌ no base\n\nCannot find `%s`: check out the repository with `fetch-depth: 0`.\n\n' "$base" >>"$summary"
    status=$((status > 1 ? status : 1))
  elif "$journey" diff --git "$fork" HEAD --format markdown -- "${paths[@]}" >"$diff_file"; then
    echo "diff-file=${diff_file}" >>"$outputs"
    output_file diff "$diff_file"
    cat "$diff_file" >>"$summary"
  else
    status=$((status > 1 ? status : 1))
    printf '## journey diff: ❌ failed\n\nSee the step'"'"'s log.\n\n' >>"$summary"
  fi
  echo "::endgroup::"
fi

exit "$status"
