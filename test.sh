#!/usr/bin/env bash
# Installs what the tests need, runs every test project, and ends with one line:
#   tests: N passed, N failed, N skipped
# Kafka needs nothing installed: the tests use librdkafka's mock cluster, which speaks the Kafka protocol locally.
# PostgreSQL and InfluxDB come from Debian's packages; the tests start and stop their own servers on free local ports.
# Chromium (Debian's package) is the browser the page tests drive with Playwright.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$here/.test-results"
rm -rf "$results"
mkdir -p "$results"

# The alert store's PostgreSQL tests start a real server from Debian's packages (no Docker here).
if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then
  echo "installing postgresql (Debian package) for the store tests..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq > "$results/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >> "$results/apt.log" 2>&1 || { tail -20 "$results/apt.log"; echo "postgresql could not be installed"; }
  # Debian starts a cluster on install; the tests start their own on a free port, so stop the packaged one.
  $sudo_cmd service postgresql stop >> "$results/apt.log" 2>&1 || true
fi

# The metrics tests write to and query a real InfluxDB 1.x from Debian's packages, started on a free port by the tests.
if [ ! -x /usr/bin/influxd ]; then
  echo "installing influxdb (Debian package) for the metrics and dashboard tests..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq > "$results/apt-influx.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq influxdb >> "$results/apt-influx.log" 2>&1 || { tail -20 "$results/apt-influx.log"; echo "influxdb could not be installed"; }
  $sudo_cmd service influxdb stop >> "$results/apt-influx.log" 2>&1 || true
fi

# The README's officer walk-through is run with curl.
if ! command -v curl > /dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq > "$results/apt-curl.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq curl >> "$results/apt-curl.log" 2>&1 || echo "curl could not be installed"
fi

# The audit log's tamper tests edit a SQLite store with the sqlite3 shell (psql comes with postgresql).
if ! command -v sqlite3 > /dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq > "$results/apt-sqlite3.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq sqlite3 >> "$results/apt-sqlite3.log" 2>&1 || echo "sqlite3 could not be installed"
fi

# The reports' printable pages are opened in a real browser: Playwright drives Debian's Chromium (it cannot
# download its own browser here).
# The pages are in Chinese: without a CJK font the screenshots would show empty boxes.
if ! command -v chromium > /dev/null || [ ! -d /usr/share/fonts/opentype/noto ]; then
  echo "installing chromium and fonts-noto-cjk (Debian packages) for the browser tests..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq > "$results/apt-chromium.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium fonts-noto-cjk >> "$results/apt-chromium.log" 2>&1 || { tail -20 "$results/apt-chromium.log"; echo "chromium could not be installed"; }
fi

if ! dotnet build Monitor.sln -c Release --nologo -v quiet > "$results/build.log" 2>&1; then
  cat "$results/build.log"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

status=0
for proj in $(find tests -name '*.Tests.csproj' -o -name '*.IntegrationTests.csproj' | sort); do
  name=$(basename "$proj" .csproj)
  dotnet test "$proj" -c Release --no-build --nologo -v quiet \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
done

passed=0; failed=0; skipped=0
for f in "$results"/*.trx; do
  [ -e "$f" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  get() { echo "$line" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  p=$(get passed); fl=$(get failed); t=$(get total); e=$(get executed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${fl:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
