#!/usr/bin/env bash
# Fuzzes the whole pipeline with AFL++ for a while (default 60 s):
#   tests/fuzz/run.sh [SECONDS]
# Needs `cargo install cargo-afl` once. Seeds are every .journey file the project
# ships; findings land in target/fuzz/out/default/crashes/. See docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"

seeds=target/fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds"
i=0
while IFS= read -r -d '' file; do
  cp "$file" "$seeds/seed-$i.journey"
  i=$((i + 1))
done < <(find examples tests/cases tests/fixtures -name '*.journey' -size -64k -print0 | sort -z)
echo "fuzz: $i seeds"

cargo afl build --release --features fuzz --bin journey-fuzz

# The fuzzer must not depend on how this machine reports crashes or scales CPUs.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_SKIP_CRASHES=1 AFL_AUTORESUME=1
cargo afl fuzz -i "$seeds" -o target/fuzz/out -V "$seconds" -t 5000 \
  target/release/journey-fuzz >target/fuzz/afl.log 2>&1 || {
  tail -40 target/fuzz/afl.log >&2
  exit 1
}

stats=target/fuzz/out/default/fuzzer_stats
grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|run_time)' "$stats"
crashes=$(grep '^saved_crashes' "$stats" | awk '{print $3}')
hangs=$(grep '^saved_hangs' "$stats" | awk '{print $3}')
if [ "$crashes" != "0" ] || [ "$hangs" != "0" ]; then
  echo "fuzz: $crashes crashes, $hangs hangs in target/fuzz/out/default/" >&2
  exit 1
fi
