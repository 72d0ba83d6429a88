#!/usr/bin/env bash
# Runs the built bundle as a user would, headless: prints its size and cold start, fails loudly.
set -euo pipefail
bundle="${1:-build/dist/pcbudget}"
[ -x "$bundle/pcbudget" ] || { echo "no bundle at $bundle: run make package first" >&2; exit 1; }
sample=$(find "$bundle" -name 'llr-2019-24.pcbook' | head -n 1)
[ -n "$sample" ] || { echo "the bundle carries no sample book" >&2; exit 1; }

echo "bundle size: $(du -sh "$bundle" | cut -f1) ($(find "$bundle" -type f | wc -l) files)"

out=$("$bundle/pcbudget-cli" summary "$sample" --format csv)
echo "$out" | grep -q '^all,total,Total,,339189444.00,' || { echo "CLI summary is wrong:"; echo "$out" | tail -3; exit 1; }
echo "pcbudget-cli summary: OK (LLR 2019/20 total 339,189,444)"

home=$(mktemp -d)
start=$(date +%s.%N)
log=$(HOME="$home" XDG_DATA_HOME="$home/share" QT_QPA_PLATFORM=offscreen PCBUDGET_REPORT_STARTUP=1 \
      "$bundle/pcbudget" --sample --quit-after 1500 2>&1) || { echo "the GUI failed:"; echo "$log"; exit 1; }
end=$(date +%s.%N)
usable=$(echo "$log" | sed -n 's/^usable at //p')
[ -n "$usable" ] || { echo "the GUI never became usable:"; echo "$log"; exit 1; }
echo "GUI opened the sample offscreen and closed cleanly"
echo "cold start to a usable window: $(awk "BEGIN{printf \"%.2f\", $usable - $start}") s (target < 2 s)"
echo "launch to exit: $(awk "BEGIN{printf \"%.2f\", $end - $start}") s (it stays open 1.5 s)"
find "$home" -name '*.pcbook' | grep -q . || { echo "the working copy of the sample was not made"; exit 1; }
rm -rf "$home"
echo "package-check: all passed"
