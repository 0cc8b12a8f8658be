#!/usr/bin/env bash
# The layers, checked on the dependency graph the compiler builds: the protocol framework
# depends on nothing of Genesys, reqwest or the emulator; the API client on nothing of
# Terraform, gRPC or protobuf; the provider names neither gRPC, protobuf nor reqwest itself
# (it reaches them only through the framework and the client); and the provider's platform
# seam (src/platform/) names nothing of the framework. Fails, naming the crate and
# the forbidden dependency, when a layer reaches across.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

status=0
# forbid CRATE DEPTH DEPENDENCY...: fails if CRATE's graph, to DEPTH levels (all: 999), holds
# any DEPENDENCY among its normal and build dependencies.
forbid() {
    local crate=$1 depth=$2 kinds=normal,build
    shift 2
    local tree
    tree=$(cargo tree --offline --quiet -p "$crate" -e "$kinds" --depth "$depth" --prefix none --format '{p}' | awk '{print $1}' | sort -u)
    for dep in "$@"; do
        if grep -qx "$dep" <<<"$tree"; then
            echo "layers: $crate depends on $dep (cargo tree -p $crate -e $kinds -i $dep)" >&2
            status=1
        fi
    done
}

forbid tfplugin-framework 999 genesys-client genesys-emulator reqwest
forbid genesys-client 999 tfplugin-framework genesys-emulator tonic prost prost-types tonic-prost
forbid terraform-provider-genesyscloud 1 genesys-emulator tonic prost prost-types reqwest

# The platform seam holds no Terraform type: nothing under src/platform/ names the framework
# crate (the root crate depends on it, so cargo tree cannot tell; the source can).
if grep -rn --include='*.rs' 'tfplugin_framework' src/platform/ >&2; then
    echo "layers: src/platform/ names tfplugin_framework (above); the seam must hold no Terraform type" >&2
    status=1
fi

# The checks above must be able to fail: the provider, through the framework, does hold tonic.
if ! cargo tree --offline --quiet -p terraform-provider-genesyscloud -e normal --prefix none --format '{p}' | grep -q '^tonic '; then
    echo "layers: cargo tree no longer shows tonic below the provider; the checks above prove nothing" >&2
    status=1
fi
[ "$status" = 0 ] && echo "layers: framework without Genesys or reqwest, client without Terraform, tonic or prost, src/platform without tfplugin_framework"
exit "$status"
