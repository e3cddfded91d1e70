#!/usr/bin/env bash
# Runs the date-sensitive tests with the clock moved, to prove that none of
# them depends on the day it runs (a deadline written as a literal date
# goes wrong by itself as the calendar moves).
#
# The tests are built with -tags tenantkit_clockshift, under which
# internal/clock reads TENANTKIT_TEST_CLOCK_SHIFT (a number of days, or
# the JST day to act on); the binaries they build (tenantctl, with the
# tenant program compiled in) get the same tag and so the same clock.
# Nothing an operator builds honours the variable (internal/clock,
# TestNoOperatorBuildShiftsTheClock).
#
#   scripts/clock-shift.sh                  # the three days below
#   scripts/clock-shift.sh +3d 2030-01-01   # days of your own
set -euo pipefail
cd "$(dirname "$0")/.."
shifts=("$@")
[ ${#shifts[@]} -gt 0 ] || shifts=(+40d +400d 2028-02-29)
# lifecycle, the offboarding commands, WP-10's plan rule and live check and
# the fleet timeline, the program's guard, the engine suite's offboarding,
# the journey's offboarding steps, and the CLI's process tests.
packages=(./internal/clock ./internal/deploy ./internal/lifecycle ./internal/ops ./internal/policy ./internal/plan
  ./internal/stackfile ./internal/verify ./components/tenant ./cmd/tenantctl ./tests/engine ./tests/journey)
failed=()
for s in "${shifts[@]}"; do
  echo "clock-shift: the clock moved by $s" >&2
  TENANTKIT_TEST_CLOCK_SHIFT="$s" go test -tags tenantkit_clockshift -count=1 -timeout 40m "${packages[@]}" || failed+=("$s")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "clock-shift: tests failed with the clock moved by ${failed[*]}" >&2
  exit 1
fi
echo "clock-shift: the date-sensitive tests pass with the clock moved by ${shifts[*]}" >&2
