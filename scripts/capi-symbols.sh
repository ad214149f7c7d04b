#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Print, sorted and one per line, the name of every function declared in
# include/wasmedge/*.h: the C API that libwasmedge.so must export.
#
#   scripts/capi-symbols.sh            functions marked WASMEDGE_CAPI_EXPORT
#                                      (what libwasmedge provides)
#   scripts/capi-symbols.sh --plugin   functions marked
#                                      WASMEDGE_CAPI_PLUGIN_EXPORT (what a
#                                      plug-in provides, not the library)
#   scripts/capi-symbols.sh --all      both
#
# Works on the text, without a compiler: comments are removed, the headers
# are joined into one line and cut at every ';', and each statement that
# starts with an export macro yields the identifier just before its first
# '(' -- however the declaration is wrapped across lines, with or without
# `extern`. (No API function returns a function pointer, so the first '('
# always follows the function's name.)
#
# Env: WASMEDGE_INCLUDE_DIR overrides the header directory.

set -eu

mode=library
case "${1:-}" in
  "") ;;
  --plugin) mode=plugin ;;
  --all) mode=all ;;
  -h | --help) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--plugin|--all]" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
dir=${WASMEDGE_INCLUDE_DIR:-$here/../include/wasmedge}

set -- "$dir"/*.h
if [ ! -e "$1" ]; then
  echo "$0: no headers in $dir" >&2
  exit 1
fi

case $mode in
  library) macro='WASMEDGE_CAPI_EXPORT' ;;
  plugin) macro='WASMEDGE_CAPI_PLUGIN_EXPORT' ;;
  all) macro='WASMEDGE_CAPI_(PLUGIN_)?EXPORT' ;;
esac

# 1. blank out comments (/* */ and //, outside string literals), keeping
# newlines; 2. drop preprocessor directives with their backslash
# continuations; 3. join lines and split statements at ';', '{' and '}';
# 4. keep statements that begin with the macro and print the identifier
# before the first '('.
cat "$@" |
  awk '
    BEGIN { block = 0 }
    {
      line = $0; out = ""; i = 1; n = length(line); str = ""
      while (i <= n) {
        c = substr(line, i, 1); two = substr(line, i, 2)
        if (block) {
          if (two == "*/") { block = 0; i += 2 } else i++
          continue
        }
        if (str != "") {
          out = out c
          if (c == "\\") { out = out substr(line, i + 1, 1); i += 2; continue }
          if (c == str) str = ""
          i++; continue
        }
        if (two == "/*") { block = 1; out = out " "; i += 2; continue }
        if (two == "//") break
        if (c == "\"" || c == "\047") str = c
        out = out c; i++
      }
      print out
    }
  ' |
  awk '
    cont { cont = /\\[[:space:]]*$/; next }
    /^[[:space:]]*#/ { cont = /\\[[:space:]]*$/; next }
    { print }
  ' |
  tr '\n;{}' ' \n\n\n' |
  sed -E 's/^[[:space:]]+//' |
  grep -E "^${macro}[[:space:]]" |
  sed -E 's/^[^(]*[^A-Za-z0-9_(]([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*\(.*$/\1/' |
  grep -E '^[A-Za-z_][A-Za-z0-9_]*$' |
  LC_ALL=C sort -u
