#!/usr/bin/env bash
# Builds the release binaries (fully static, stripped) and assembles the installable app:
#   dist/<app id>-<version>.tgz  with one top folder <app id>/
# The app id and version come from default/app.conf. The archive is deterministic: sorted
# entries, owner 0:0, one fixed mtime (SOURCE_DATE_EPOCH, default: the last commit's time).
#
# Environment: VD_PACKAGE_BUILD_DIR (default build-package), VD_DIST_DIR (default dist),
#              JOBS (default 2), SOURCE_DATE_EPOCH.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${VD_PACKAGE_BUILD_DIR:-$ROOT/build-package}
DIST=${VD_DIST_DIR:-$ROOT/dist}
JOBS=${JOBS:-2}
BINARIES=(vishingcorrelate entra_audit)

die() { echo "package.sh: $*" >&2; exit 1; }

# Value of KEY in [STANZA] of a .conf file (first match; spaces around '=' trimmed).
conf_value() {
  awk -v stanza="[$2]" -v key="$3" '
    /^[[:space:]]*#/ { next }
    /^[[:space:]]*\[/ { in_stanza = ($0 ~ "^[[:space:]]*" "\\[" substr(stanza, 2, length(stanza) - 2) "\\][[:space:]]*$"); next }
    in_stanza { split($0, kv, "="); k = kv[1]; gsub(/^[ \t]+|[ \t]+$/, "", k)
                if (k == key) { v = substr($0, index($0, "=") + 1); gsub(/^[ \t]+|[ \t\r]+$/, "", v); print v; exit } }
  ' "$1"
}

APP_ID=$(conf_value "$ROOT/default/app.conf" package id)
VERSION=$(conf_value "$ROOT/default/app.conf" launcher version)
[[ -n "$APP_ID" ]] || die "default/app.conf has no [package] id"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "default/app.conf [launcher] version '$VERSION' is not M.m.r"
for tool in cmake tar gzip strip readelf; do
  command -v "$tool" >/dev/null || die "'$tool' is required"
done

echo "package.sh: building $APP_ID $VERSION in $BUILD" >&2
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVD_STATIC=ON -DVD_BUILD_TESTS=OFF \
  -DVD_BUILD_BENCH=OFF -DVD_BUILD_FUZZERS=OFF -DVD_SANITIZE=OFF >/dev/null \
  || die "cmake configure failed"
for bin in "${BINARIES[@]}"; do
  cmake --build "$BUILD" -j "$JOBS" --target "$bin" >&2 \
    || die "cannot build '$bin' (is its target defined and does it compile?)"
done

# Locate each executable in the build tree (exactly one regular file of that name).
find_binary() {
  local hits
  mapfile -t hits < <(find "$BUILD" -path "$BUILD/stage" -prune -o -type f -name "$1" -perm -u+x -print)
  [[ ${#hits[@]} -eq 1 ]] || die "expected one built '$1' in $BUILD, found ${#hits[@]}: ${hits[*]:-none}"
  echo "${hits[0]}"
}

STAGE_ROOT="$BUILD/stage"
APP="$STAGE_ROOT/$APP_ID"
rm -rf "$STAGE_ROOT"
mkdir -p "$APP/linux_x86_64/bin"

for bin in "${BINARIES[@]}"; do
  src=$(find_binary "$bin")
  # Fully static: no program interpreter and no needed shared libraries, so Splunk's
  # LD_LIBRARY_PATH and the host's glibc cannot break it.
  if readelf -lW "$src" | grep -q 'INTERP' || readelf -dW "$src" | grep -q '(NEEDED)'; then
    die "'$bin' is dynamically linked; the release build must use -DVD_STATIC=ON"
  fi
  strip --strip-all -o "$APP/linux_x86_64/bin/$bin" "$src"
done

cp -R "$ROOT/default" "$APP/default"
for part in metadata README static README.md; do
  [[ -e "$ROOT/splunk_app/$part" ]] || die "splunk_app/$part is missing"
  cp -R "$ROOT/splunk_app/$part" "$APP/$part"
done
# bin/: shipped scripts, if any (its README.md documents the folder and is not shipped).
if find "$ROOT/bin" -mindepth 1 ! -name README.md ! -name '.*' | grep -q .; then
  mkdir -p "$APP/bin"
  find "$ROOT/bin" -mindepth 1 -maxdepth 1 ! -name README.md ! -name '.*' -exec cp -R {} "$APP/bin/" \;
fi

# Nothing hidden, no local settings, no compiled Python; modes exactly as Splunk expects.
find "$APP" \( -name '.*' -o -name local -o -name local.meta -o -name '__pycache__' -o -name '*.py[co]' \) \
  -prune -exec rm -rf {} +
find "$APP" -type d -exec chmod 755 {} +
find "$APP" -type f -exec chmod 644 {} +
chmod 755 "$APP/linux_x86_64/bin/"*
[[ -d "$APP/bin" ]] && find "$APP/bin" -type f \( -name '*.sh' -o -name '*.py' \) -exec chmod 755 {} +

if [[ -z "${SOURCE_DATE_EPOCH:-}" ]]; then
  SOURCE_DATE_EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)
fi
mkdir -p "$DIST"
OUT="$DIST/$APP_ID-$VERSION.tgz"
tar -C "$STAGE_ROOT" --sort=name --owner=0 --group=0 --numeric-owner --format=gnu \
  --mtime="@$SOURCE_DATE_EPOCH" -cf - "$APP_ID" | gzip -n -9 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$OUT"
