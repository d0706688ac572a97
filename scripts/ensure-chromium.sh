#!/usr/bin/env bash
# Makes sure Debian's Chromium (and ffmpeg, for video checks) is installed for the browser tests:
# the sandbox tester visits pages in it. Installs from Debian's packages when running as root with apt.
set -euo pipefail

have_chromium() {
  for bin in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome-stable /usr/bin/google-chrome; do
    [[ -x "$bin" ]] && return 0
  done
  return 1
}

if have_chromium && command -v ffprobe >/dev/null 2>&1; then exit 0; fi

if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing chromium and ffmpeg from Debian's packages" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ffmpeg >/dev/null
  exit 0
fi

echo "ensure-chromium: Chromium is not installed and this user cannot install it." >&2
echo "  Install Debian's package (sudo apt-get install chromium ffmpeg); the browser tests need it." >&2
exit 1
