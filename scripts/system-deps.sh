#!/usr/bin/env bash
# Debian packages the tests use: Chromium (Airflow UI test). Installed only when missing.
set -eu
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: /usr/bin/chromium missing and cannot apt-get install it (not root)" >&2
  exit 0
fi
echo "system-deps: installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium >/dev/null
