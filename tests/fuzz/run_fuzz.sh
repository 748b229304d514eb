#!/usr/bin/env bash
# run_fuzz.sh FUZZER SECONDS [SEED_DIR]: fuzz for SECONDS on a fresh copy of the seed corpus
# (pydicom's test files by default). Exits non-zero when the fuzzer finds a crash, a leak, a
# timeout or an allocation over the limits.
set -euo pipefail
fuzzer=$1
seconds=$2
seeds=${3:-$(/usr/bin/python3 -c "import pydicom.data, os; print(os.path.join(os.path.dirname(pydicom.data.__file__), 'test_files'))")}
work=$(mktemp -d "${TMPDIR:-/tmp}/lightbox-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
find "$seeds" -maxdepth 1 -type f -name '*.dcm' -size -1024k -exec cp {} "$work/corpus/" \;
# Our own hostile files (deep nesting in each encoding) seed every target too.
cp "$(dirname "$0")"/regressions/* "$(dirname "$0")"/seeds/* "$work/corpus/" 2>/dev/null || true
echo "fuzzing $(basename "$fuzzer") for ${seconds}s on $(ls "$work/corpus" | wc -l) seeds"
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")/../support" && pwd)/lsan.supp:${LSAN_OPTIONS:-}"
set +e
"$fuzzer" "$work/corpus" -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=512 -timeout=10 \
  -max_len=1048576 -seed="${LB_FUZZ_SEED:-0}" -print_final_stats=1 -artifact_prefix="$work/artifacts/" 2>&1 | tail -n 15
status=${PIPESTATUS[0]}
set -e
if ls "$work/artifacts"/* >/dev/null 2>&1; then
  mkdir -p fuzz-findings && cp "$work/artifacts"/* fuzz-findings/
  echo "fuzzer findings copied to $(pwd)/fuzz-findings"
fi
exit "$status"
