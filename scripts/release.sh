#!/usr/bin/env bash
# Builds the release artifacts the Terraform Registry expects, reproducibly, into dist/:
#   terraform-provider-genesyscloud_<version>_<os>_<arch>.zip   (binary terraform-provider-genesyscloud_v<version>)
#   genesys-emulator_<version>_<os>_<arch>.zip                  (binary genesys-emulator, for users' CI)
#   terraform-provider-genesyscloud_<version>_manifest.json     (protocol versions)
#   terraform-provider-genesyscloud_<version>_SHA256SUMS        (of the three above)
#
# On Linux both binaries are fully static (crt-static: no dynamic loader, no shared libraries;
# names resolve in Rust through /etc/hosts and resolv.conf, not glibc's NSS), so they start on any
# Linux of the same architecture: old glibc (Amazon Linux 2, RHEL 8), musl (Alpine), distroless.
#
# Usage: scripts/release.sh [VERSION]
#   VERSION defaults to the tag on HEAD (v1.2.3 -> 1.2.3), else the version in Cargo.toml; it
#   must equal Cargo.toml's version, which is what the binary reports.
# Reproducible: the same commit gives byte-identical files whatever the checkout path or build
# directory (SOURCE_DATE_EPOCH from the commit, paths remapped, fixed zip timestamps and order).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
name=terraform-provider-genesyscloud

die() {
    echo "release: $*" >&2
    exit 1
}

cargo_version=$(python3 -c 'import tomllib,sys; print(tomllib.load(open("Cargo.toml","rb"))["package"]["version"])')
tag=$(git describe --tags --exact-match --match 'v*' 2>/dev/null || true)
version=${1:-${tag#v}}
version=${version:-$cargo_version}
version=${version#v}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
    die "'$version' is not a semantic version (MAJOR.MINOR.PATCH[-PRE])"
[ "$version" = "$cargo_version" ] ||
    die "version $version differs from Cargo.toml ($cargo_version): bump Cargo.toml first, so the binary reports the version it ships as"
if [ -n "$tag" ] && [ "${tag#v}" != "$version" ]; then
    die "HEAD is tagged $tag but the release version is $version"
fi
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    echo "release: warning: the work tree has uncommitted changes; this build is not reproducible from a commit" >&2
fi

case "$(uname -s)" in
Linux) os=linux ;;
Darwin) os=darwin ;;
FreeBSD) os=freebsd ;;
*) die "unsupported OS $(uname -s)" ;;
esac
case "$(uname -m)" in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
armv7l | armv6l) arch=arm ;;
i386 | i686) arch=386 ;;
*) die "unsupported architecture $(uname -m)" ;;
esac

SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || true)}
[ -n "$SOURCE_DATE_EPOCH" ] || die "set SOURCE_DATE_EPOCH (no git commit to take it from)"
export SOURCE_DATE_EPOCH

target_dir=${CARGO_TARGET_DIR:-$root/target}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
# Paths that would otherwise end up in the binary (panic locations, C __FILE__ strings).
maps=("$root=/build/src" "$target_dir=/build/target" "$cargo_home=/cargo" "$rustup_home=/rustup")
rustflags=${RUSTFLAGS:-}
cflags=${CFLAGS:-}
for map in "${maps[@]}"; do
    rustflags+=" --remap-path-prefix=$map"
    cflags+=" -ffile-prefix-map=$map"
done

emulator=genesys-emulator
# Static on Linux: crt-static with an explicit --target, so the flag reaches the two binaries and
# their dependencies but not build scripts and proc macros (which run on the host).
target_args=()
out_dir="$target_dir/release"
if [ "$os" = linux ]; then
    triple=$(rustc -vV | sed -n 's/^host: //p')
    rustflags+=" -C target-feature=+crt-static"
    # getrandom 0.3+ finds glibc's getrandom() with dlsym, which a static binary cannot do, and
    # would fall back to /dev/urandom (absent in minimal roots: the empty-root test found
    # this). Call the getrandom(2) system call directly (Linux 3.17+).
    rustflags+=' --cfg getrandom_backend="linux_getrandom"'
    target_args=(--target "$triple")
    out_dir="$target_dir/$triple/release"
fi

echo "release: building $name and $emulator $version for ${os}_$arch (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)" >&2
RUSTFLAGS="$rustflags" CFLAGS="$cflags" CARGO_TARGET_DIR="$target_dir" \
    cargo build --release --locked --quiet "${target_args[@]}" \
    --package "$name" --bin "$name" --package "$emulator" --bin "$emulator"
binary="$out_dir/$name"
emulator_binary="$out_dir/$emulator"
for built in "$binary" "$emulator_binary"; do
    [ -x "$built" ] || die "cargo did not produce $built"
done
if [ "$os" = linux ]; then
    for built in "$binary" "$emulator_binary"; do
        # A static executable has no program interpreter and no NEEDED entries.
        if readelf --program-headers "$built" | grep -q INTERP ||
            readelf --dynamic "$built" | grep -q NEEDED; then
            die "$built is not static"
        fi
    done
fi

dist="$root/dist"
mkdir -p "$dist"
prefix="${name}_${version}"
zip="${prefix}_${os}_${arch}.zip"
emulator_zip="${emulator}_${version}_${os}_${arch}.zip"
manifest="${prefix}_manifest.json"
sums="${prefix}_SHA256SUMS"
rm -f "$dist/$zip" "$dist/$emulator_zip" "$dist/$manifest" "$dist/$sums"

# Usage: zip_one BINARY ZIP MEMBER
zip_one() {
    python3 - "$1" "$2" "$3" "$SOURCE_DATE_EPOCH" <<'PY'
import sys, time, zipfile

binary, out, member, epoch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
# Zip timestamps are local-time fields from 1980 on; use the commit time in UTC.
stamp = time.gmtime(max(epoch, 315532800))[:6]
info = zipfile.ZipInfo(member, date_time=stamp)
info.external_attr = (0o100755 << 16)
info.create_system = 3
info.compress_type = zipfile.ZIP_DEFLATED
with open(binary, "rb") as f:
    data = f.read()
with zipfile.ZipFile(out, "w") as z:
    z.writestr(info, data, compresslevel=9)
PY
}
zip_one "$binary" "$dist/$zip" "${name}_v${version}"
zip_one "$emulator_binary" "$dist/$emulator_zip" "$emulator"

printf '{"version":1,"metadata":{"protocol_versions":["6.0"]}}\n' >"$dist/$manifest"

python3 - "$dist" "$sums" "$zip" "$emulator_zip" "$manifest" <<'PY'
import hashlib, os, sys

dist, sums, files = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(os.path.join(dist, sums), "w") as out:
    for name in files:
        with open(os.path.join(dist, name), "rb") as f:
            out.write(f"{hashlib.sha256(f.read()).hexdigest()}  {name}\n")
PY

echo "release: wrote dist/" >&2
(cd "$dist" && ls -l "$zip" "$emulator_zip" "$manifest" "$sums" && cat "$sums")
