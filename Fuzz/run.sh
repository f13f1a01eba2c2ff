#!/usr/bin/env bash
# make fuzz: each libFuzzer target (FUZZ_TARGETS, default all) for FUZZ_SECONDS (default 60), seeded with the sample
# generator's files; a crash is copied into Tests/BulletinValidateTests/Regressions/<target>/,
# which `make test` replays.
# FUZZ_CONFIG=release fuzzes the optimised build the product ships (about eight times the inputs a second);
# the default debug build keeps the exclusivity checks and `assert`s that release drops.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
config=${FUZZ_CONFIG:-debug}
case $config in debug|release) ;; *) echo "FUZZ_CONFIG must be debug or release, not $config" >&2; exit 64 ;; esac
# A file added to the root package can leave this package's cached build plan stale ("cannot find …
# in scope": the twenty-sixth session's first `make fuzz` after two new files in BulletinIngest): plan
# again once before giving up, as Benchmarks/run.sh does.
build() { swift build -c "$config" --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -v "Cannot export" | tail -1; }
build || {
  rm -f "Fuzz/.build/$config.yaml" Fuzz/.build/"$config"/description.json Fuzz/.build/build.db
  build
}
fuzzer=Fuzz/.build/$config/bulletin-fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.build/debug/bulletin-sample --out "$work/sample" --days 2 --people-scale 0.01 --formats csv,xml,xlsx,xls >/dev/null
found=0
for target in ${FUZZ_TARGETS:-csv xml xlsx xls cache xmldiff xlsxdiff}; do
  mkdir -p "$work/corpus-$target" "$work/crashes-$target"
  case $target in
    cache) printf '\000\000\000\000\000\000\000\000\000\000\000' > "$work/corpus-cache/empty" ;;
    xmldiff) find "$work/sample" -name "*.xml" | sed -n 1,40p | while read -r f; do cp "$f" "$work/corpus-xmldiff/$(sha1sum "$f" | cut -c1-12)"; done ;;
    xlsxdiff) find "$work/sample" -name "*.xlsx" | sed -n 1,20p | while read -r f; do
        for part in xl/worksheets/sheet1.xml xl/sharedStrings.xml; do
          unzip -p "$f" "$part" > "$work/corpus-xlsxdiff/part" 2>/dev/null && mv "$work/corpus-xlsxdiff/part" "$work/corpus-xlsxdiff/$(sha1sum "$work/corpus-xlsxdiff/part" | cut -c1-12)"
        done
      done ;;
    *) find "$work/sample" -name "*.$target" | sed -n 1,40p | while read -r f; do cp "$f" "$work/corpus-$target/$(sha1sum "$f" | cut -c1-12)"; done ;;
  esac
  for f in Tests/BulletinValidateTests/Regressions/"$target"/*; do [ -f "$f" ] && cp "$f" "$work/corpus-$target/"; done
  echo "fuzz $target for ${seconds}s"
  # Leaks are not failures here (neither per input nor at exit, where LeakSanitizer would otherwise
  # make libFuzzer write an empty "crash" file): ZIPFoundation keeps the copy of an in-memory archive
  # whose init throws (bounded, once per broken file). Traps, overflows, timeouts and memory growth are.
  ASAN_OPTIONS=detect_leaks=0:suppressions=Fuzz/asan-suppressions.txt FUZZ_TARGET=$target "$fuzzer" "$work/corpus-$target" -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 -detect_leaks=0 \
    -artifact_prefix="$work/crashes-$target/" -print_final_stats=0 >"$work/$target.log" 2>&1 || true
  for crash in "$work/crashes-$target"/*; do
    [ -f "$crash" ] || continue
    mkdir -p "Tests/BulletinValidateTests/Regressions/$target"
    cp "$crash" "Tests/BulletinValidateTests/Regressions/$target/$(basename "$crash")"
    echo "  found: $(basename "$crash") (kept under Tests/BulletinValidateTests/Regressions/$target/)"
    found=1
  done
  grep -E "^#[0-9]+ *DONE|Done [0-9]+ runs" "$work/$target.log" | tail -1 || true
done
exit $found
