# Run by scripts/build-guests.sh after the guests are built: stream.expected is what stream.c
# prints built natively against C zlib (the guest's output must equal it).
set -eu
native=$(mktemp)
cc -O2 -o "$native" stream.c -lz
"$native" all > stream.expected || true
rm -f "$native"
