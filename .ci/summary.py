"""Totals of every meson test run under build-ci*/ as one closing line."""
import glob
import json

passed = failed = skipped = 0
for path in sorted(glob.glob("build-ci*/meson-logs/testlog.json")):
    with open(path) as f:
        for line in f:
            result = json.loads(line).get("result")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
raise SystemExit(1 if failed or not passed else 0)
