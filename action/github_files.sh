#!/usr/bin/env bash
# Reading and writing GitHub Actions' command files ($GITHUB_OUTPUT, $GITHUB_ENV): sourced by the
# Action's scripts. Values are written in the delimiter form (`name<<DELIMITER`), which holds any
# value, newlines included; both forms are read.

# github_file_append FILE NAME VALUE: appends NAME=VALUE to FILE with a random delimiter.
github_file_append() {
  local file=$1 name=$2 value=$3 delimiter
  delimiter="beacon_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  if [[ "$value" == *"$delimiter"* ]]; then
    echo "::error::cannot write $name: its value holds the delimiter" >&2
    return 1
  fi
  printf '%s<<%s\n%s\n%s\n' "$name" "$delimiter" "$value" "$delimiter" >>"$file"
}

# github_file_value FILE NAME: prints the last value FILE gives NAME (nothing, exit 1, if none).
github_file_value() {
  local file=$1 name=$2 line delimiter value found=false current
  [[ -f "$file" ]] || return 1
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" == *"<<"* && "${line%%<<*}" != *"="* ]]; then
      current=${line%%<<*}
      delimiter=${line#*<<}
      local collected="" first=true
      while IFS= read -r line || [[ -n "$line" ]]; do
        [[ "$line" == "$delimiter" ]] && break
        if [[ "$first" == true ]]; then collected=$line; first=false; else collected+=$'\n'"$line"; fi
      done
      if [[ "$current" == "$name" ]]; then value=$collected; found=true; fi
    elif [[ "$line" == *"="* ]]; then
      current=${line%%=*}
      if [[ "$current" == "$name" ]]; then value=${line#*=}; found=true; fi
    fi
  done <"$file"
  [[ "$found" == true ]] || return 1
  printf '%s\n' "$value"
}
