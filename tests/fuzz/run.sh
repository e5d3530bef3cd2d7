#!/usr/bin/env bash
# Fuzzes the whole pipeline with AFL++ for a while (default 60 s):
#   tests/fuzz/run.sh [SECONDS]
# Needs cargo-afl (`cargo install cargo-afl && cargo afl config --build`, which
# .ci/run does). Seeds are every .journey file the project ships plus every past
# finding; findings land in target/fuzzing/out/default/{crashes,hangs}/. See
# docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"

if ! cargo afl --version >/dev/null 2>&1; then
  echo "fuzz: cargo-afl is missing: cargo install cargo-afl && cargo afl config --build" >&2
  exit 2
fi

work=target/fuzzing
seeds=$work/seeds
rm -rf "$seeds" "$work/out" && mkdir -p "$seeds"
i=0
while IFS= read -r -d '' file; do
  cp "$file" "$seeds/seed-$i"
  i=$((i + 1))
done < <(find examples tests/cases tests/fixtures tests/fuzz/findings \
  \( -name '*.journey' -o -name '*.bin' \) -size -64k -print0 | sort -z)
echo "fuzz: $i seeds"

# The `fuzz` profile (Cargo.toml) compiles quickly and keeps overflow checks and
# debug assertions, so that they count as findings.
cargo afl build --locked --profile fuzz --features fuzz --bin journey-fuzz

# The fuzzer must not depend on how this machine reports crashes or scales CPUs.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=1
# The dictionaries: long lines and terminal escapes (issue 21).
cargo afl fuzz -i "$seeds" -o "$work/out" -V "$seconds" -t 5000 \
  -x tests/fuzz/dict/long-lines.dict -x tests/fuzz/dict/escapes.dict \
  "${CARGO_TARGET_DIR:-target}/fuzz/journey-fuzz" >"$work/afl.log" 2>&1 || {
  tail -40 "$work/afl.log" >&2
  exit 1
}

stats=$work/out/default/fuzzer_stats
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|bitmap_cvg|saved_crashes|saved_hangs)' "$stats"
crashes=$(grep '^saved_crashes' "$stats" | awk '{print $3}')
hangs=$(grep '^saved_hangs' "$stats" | awk '{print $3}')
if [ "$crashes" != "0" ] || [ "$hangs" != "0" ]; then
  echo "fuzz: $crashes crashes, $hangs hangs in $work/out/default/" >&2
  for f in "$work"/out/default/crashes/id* "$work"/out/default/hangs/id*; do
    [ -e "$f" ] && echo "  $f ($(wc -c <"$f") bytes)" >&2
  done
  exit 1
fi
