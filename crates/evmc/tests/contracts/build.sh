#!/bin/sh
# Rebuilds the committed test contracts (clang and lld for wasm32: apt-get install clang lld).
#   erc20.wasm         the token's runtime code
#   erc20_deploy.wasm  its deployment code, which returns erc20.wasm
set -eu
cd "$(dirname "$0")"
cc() {
  clang --target=wasm32 -O2 -nostdlib -fno-builtin -Wl,--no-entry -Wl,--strip-all \
    -Wl,-z,stack-size=8192 -Wl,--initial-memory=65536 "$@"
}
cc -o erc20.wasm erc20.c
xxd -i -n erc20_wasm erc20.wasm > erc20_runtime.h
cc -DDEPLOY -o erc20_deploy.wasm erc20.c
rm erc20_runtime.h
