# shellcheck shell=bash
# Finds a JDK 21 or newer and exports JAVA_HOME and PATH (with $JAVA_HOME/bin first).
#
#   . scripts/find-java.sh || exit 1
#
# Meant to be sourced (by ./dure and .ci/run); returns 1 with a message on stderr when no JDK is
# found. Looks, in this order, at: $JAVA_HOME, `java` on PATH, then the newest JDK >= 21 under
# /usr/lib/jvm (Linux), /Library/Java/JavaVirtualMachines and `/usr/libexec/java_home` (macOS).
# Works with bash 3.2 (macOS) and under `set -eu`; changes no shell options.
# DURE_JAVA_MIN overrides the minimum major version (default 21).

# Prints the major version of the java binary $1 (8 for 1.8.0_x, 21 for 21.0.2, 25 for 25-ea):
# from JAVA_VERSION in the JDK's `release` file when there is one (read with shell builtins: no
# process started), otherwise from `java -version`.
_dure_java_major() {
  local release="${1%/bin/java}/release" line version=""
  if [ -f "$release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_VERSION=*)
          version="${line#JAVA_VERSION=}"
          version="${version//\"/}"
          break
          ;;
      esac
    done <"$release"
  else
    version="$("$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')"
  fi
  version="${version#1.}"
  printf '%s\n' "${version%%[!0-9]*}"
}

# Prints java.home of the java binary $1: the directory above bin/ once the links are followed
# (/usr/bin/java -> /etc/alternatives/java -> .../jdk/bin/java) when that holds a `release` file,
# otherwise as the JVM itself reports it.
_dure_java_home() {
  local bin="$1" link dir n=0
  while [ -L "$bin" ] && [ "$n" -lt 20 ]; do
    dir="$(cd -P "$(dirname "$bin")" && pwd)"
    link="$(readlink "$bin")"
    case "$link" in /*) bin="$link" ;; *) bin="$dir/$link" ;; esac
    n=$((n + 1))
  done
  dir="$(cd -P "$(dirname "$bin")/.." 2>/dev/null && pwd)"
  if [ -n "$dir" ] && [ -f "$dir/release" ] && [ -x "$dir/bin/java" ]; then
    printf '%s\n' "$dir"
    return 0
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/^[[:space:]]*java\.home[[:space:]]*=/ { print $2; exit }'
}

# Succeeds if $1 is a JDK home (java and javac) of at least the minimum version.
_dure_is_jdk() {
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local major
  major="$(_dure_java_major "$1/bin/java")"
  [ -n "$major" ] && [ "$major" -ge "${DURE_JAVA_MIN:-21}" ]
}

_dure_find_java() {
  local candidate home major best best_major

  # 1. JAVA_HOME
  if [ -n "${JAVA_HOME:-}" ]; then
    if _dure_is_jdk "$JAVA_HOME"; then
      printf '%s\n' "$JAVA_HOME"
      return 0
    fi
    echo "note: JAVA_HOME=$JAVA_HOME is not a JDK ${DURE_JAVA_MIN:-21}+; looking elsewhere" >&2
  fi

  # 2. java on PATH
  candidate="$(command -v java 2>/dev/null || true)"
  if [ -n "$candidate" ]; then
    home="$(_dure_java_home "$candidate")"
    if _dure_is_jdk "$home"; then
      printf '%s\n' "$home"
      return 0
    fi
  fi

  # 3. the newest JDK >= minimum in the usual places
  best=""
  best_major=0
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
    "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$home" ] && [ ! -L "$home" ] || continue
    _dure_is_jdk "$home" || continue
    major="$(_dure_java_major "$home/bin/java")"
    if [ "$major" -gt "$best_major" ]; then
      best="$home"
      best_major="$major"
    fi
  done
  if [ -n "$best" ]; then
    printf '%s\n' "$best"
    return 0
  fi

  # 4. macOS helper
  if [ -x /usr/libexec/java_home ]; then
    home="$(/usr/libexec/java_home -v "${DURE_JAVA_MIN:-21}+" 2>/dev/null || true)"
    if _dure_is_jdk "$home"; then
      printf '%s\n' "$home"
      return 0
    fi
  fi
  return 1
}

if _dure_found_java_home="$(_dure_find_java)"; then
  JAVA_HOME="$_dure_found_java_home"
  PATH="$JAVA_HOME/bin:$PATH"
  export JAVA_HOME PATH
  unset _dure_found_java_home
else
  unset _dure_found_java_home
  echo "Dure needs a JDK ${DURE_JAVA_MIN:-21} or newer: none found in JAVA_HOME, on PATH," \
    "under /usr/lib/jvm or /Library/Java/JavaVirtualMachines. Install one (e.g. Temurin 21+)" \
    "and set JAVA_HOME." >&2
  # shellcheck disable=SC2317
  return 1 2>/dev/null || exit 1
fi
