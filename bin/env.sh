# Sourced by the bin/ scripts: finds a JDK >= 21 and installs what Tessera needs on Debian.
# shellcheck shell=bash

tessera_java_major() { # prints the major version of the java at $1/bin/java
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

tessera_find_jdk() { # exports JAVA_HOME pointing at a JDK >= 21
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/*; do [ -x "$d/bin/javac" ] && candidates+=("$d"); done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  local best="" best_major=0 m
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/javac" ] || continue
    m=$(tessera_java_major "$d")
    if [ -n "$m" ] && [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best="$d"; best_major=$m; fi
  done
  if [ -z "$best" ]; then
    echo "tessera: no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm). Install one, e.g. Temurin 21+." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

# Debian packages the server and its tests use. postgresql-15 + PostGIS is the one required service;
# gdal-bin (ogr2ogr) loads the sample data and serves the file formats; fonts for Java2D text; chromium
# (headless) checks the map page in the tests.
TESSERA_APT_PACKAGES=(postgresql-15 postgresql-15-postgis-3 gdal-bin maven fontconfig fonts-dejavu-core chromium)

# Peers the benchmarks measure against (bin/bench only; not needed to run or test Tessera). python3-mapnik and
# node-carto: the Mapnik renderer P6 compares PNG tiles with.
TESSERA_BENCH_APT_PACKAGES=(wrk postgresql-contrib curl cgi-mapserver lighttpd python3-mapnik node-carto)

tessera_install_bench_packages() {
  local saved=("${TESSERA_APT_PACKAGES[@]}")
  TESSERA_APT_PACKAGES=("${TESSERA_BENCH_APT_PACKAGES[@]}")
  tessera_install_packages || { TESSERA_APT_PACKAGES=("${saved[@]}"); return 1; }
  TESSERA_APT_PACKAGES=("${saved[@]}")
}

tessera_install_packages() {
  local missing=()
  for p in "${TESSERA_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      echo "tessera: installing ${missing[*]} with sudo apt-get" >&2
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    else
      echo "tessera: missing Debian packages: ${missing[*]}" >&2
      echo "         install them with: sudo apt-get install ${missing[*]}" >&2
      return 1
    fi
  else
    echo "tessera: installing ${missing[*]} with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}
