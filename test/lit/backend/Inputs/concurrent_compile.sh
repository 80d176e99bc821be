#!/usr/bin/env bash
# Starts two compiles of the same graph into one cache at the same moment and waits for both.
set -u
dir=$1
dmc compile "$(dirname "$0")/../../../../samples/mha.json" --test-size --cache-dir "$dir/cache" -o "$dir/a/libmha.so" &
first=$!
dmc compile "$(dirname "$0")/../../../../samples/mha.json" --test-size --cache-dir "$dir/cache" -o "$dir/b/libmha.so" &
second=$!
wait $first || exit 1
wait $second || exit 1
