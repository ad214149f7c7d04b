# Sourced by the scripts that run one program on every execution tier (cpython.sh, yosys.sh).
#
# tier_setup TIER WASM DIR: sets `flags` (the `wedge run` options for TIER) and `module` (the
# file to run). `aot` compiles WASM with `$WEDGE compile` into DIR, once.
tier_setup() {
    local tier=$1 wasm=$2 dir=$3
    case $tier in
        interpreter) flags=(--run-mode interpreter); module=$wasm ;;
        jit) flags=(--run-mode jit --code-cache off); module=$wasm ;;
        aot)
            module="$dir/$(basename "$wasm" .wasm).aot.wasm"
            if [ ! -f "$module" ]; then
                echo "compiling $(basename "$wasm") ahead of time..." >&2
                "$WEDGE" compile "$wasm" "$module" > /dev/null
            fi
            flags=(--run-mode aot)
            ;;
        *) echo "unknown tier $tier" >&2; return 2 ;;
    esac
}
