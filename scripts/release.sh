#!/usr/bin/env bash
# Builds the release artifacts the Terraform Registry expects, reproducibly, into dist/:
#   terraform-provider-genesyscloud_<version>_<os>_<arch>.zip   (binary terraform-provider-genesyscloud_v<version>)
#   genesys-emulator_<version>_<os>_<arch>.zip                  (binary genesys-emulator, for users' CI)
#   genesys-emulator_<version>_linux_<arch>.oci.tar             (FROM-scratch OCI image of it, Linux only)
#   terraform-provider-genesyscloud_<version>_manifest.json     (protocol versions)
#   terraform-provider-genesyscloud_<version>_SHA256SUMS        (of all the above)
#
# On Linux both binaries are fully static (crt-static: no dynamic loader, no shared libraries;
# names resolve in Rust through /etc/hosts and resolv.conf, not glibc's NSS), so they start on any
# Linux of the same architecture: old glibc (Amazon Linux 2, RHEL 8), musl (Alpine), distroless.
#
# Usage: scripts/release.sh [--binaries-from DIR] [--out DIR] [VERSION]
#        scripts/release.sh --check-reproducible [VERSION]
#   VERSION defaults to the tag on HEAD (v1.2.3 -> 1.2.3), else the version in Cargo.toml; it
#   must equal Cargo.toml's version, which is what the binary reports.
#   --binaries-from DIR (or RELEASE_BINARIES_FROM): package the binaries already in DIR
#     (terraform-provider-genesyscloud, and genesys-emulator when present) instead of building;
#     tests use it to package what the suite built. The image is made only from a static
#     emulator; other binaries are packaged with a warning.
#   --out DIR (or RELEASE_OUT): write there instead of dist/.
#   --check-reproducible: build twice, from two clean checkouts of HEAD in different paths with
#     different target directories, and fail unless both SHA256SUMS are identical (release tags
#     run this; it is two full fat-LTO builds, so the test command does not).
# Reproducible: the same commit gives byte-identical files whatever the checkout path or build
# directory (SOURCE_DATE_EPOCH from the commit, paths remapped, fixed zip and tar timestamps and order).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
name=terraform-provider-genesyscloud

die() {
    echo "release: $*" >&2
    exit 1
}

binaries_from=${RELEASE_BINARIES_FROM:-}
out=${RELEASE_OUT:-}
check_reproducible=
positional=()
while [ $# -gt 0 ]; do
    case "$1" in
    --binaries-from) binaries_from=${2:?--binaries-from needs a directory}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --check-reproducible) check_reproducible=1; shift ;;
    -*) die "unknown option $1" ;;
    *) positional+=("$1"); shift ;;
    esac
done
set -- "${positional[@]}"

if [ -n "$check_reproducible" ]; then
    work=$(mktemp -d)
    trap 'for tree in "$work"/a/src "$work"/b/src; do git -C "$root" worktree remove --force "$tree" 2>/dev/null || true; done; rm -rf "$work"' EXIT
    # One commit for both builds, read once: HEAD may move while the first build runs.
    commit=$(git -C "$root" rev-parse --verify HEAD)
    for run in a b; do
        mkdir -p "$work/$run"
        git -C "$root" worktree add --detach --quiet "$work/$run/src" "$commit"
        echo "release: reproducibility build $run in $work/$run" >&2
        env -u RELEASE_BINARIES_FROM -u RELEASE_OUT CARGO_TARGET_DIR="$work/$run/target" \
            "$work/$run/src/scripts/release.sh" --out "$work/$run/dist" "$@"
    done
    sums=$(cd "$work/a/dist" && ls ./*_SHA256SUMS)
    if cmp "$work/a/dist/$sums" "$work/b/dist/$sums"; then
        echo "release: reproducible: two builds from different paths gave identical artifacts:" >&2
        cat "$work/a/dist/$sums"
    else
        diff "$work/a/dist/$sums" "$work/b/dist/$sums" >&2 || true
        die "not reproducible: the two builds differ"
    fi
    exit 0
fi

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

if [ -n "$binaries_from" ]; then
    binaries_from=$(cd "$binaries_from" && pwd)
    echo "release: packaging the binaries in $binaries_from as $version for ${os}_$arch" >&2
    binary="$binaries_from/$name"
    emulator_binary="$binaries_from/$emulator"
    [ -x "$binary" ] || die "no executable $binary"
    [ -x "$emulator_binary" ] || emulator_binary=
else
    echo "release: building $name and $emulator $version for ${os}_$arch (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)" >&2
    RUSTFLAGS="$rustflags" CFLAGS="$cflags" CARGO_TARGET_DIR="$target_dir" \
        cargo build --release --locked --quiet "${target_args[@]}" \
        --package "$name" --bin "$name" --package "$emulator" --bin "$emulator"
    binary="$out_dir/$name"
    emulator_binary="$out_dir/$emulator"
    for built in "$binary" "$emulator_binary"; do
        [ -x "$built" ] || die "cargo did not produce $built"
    done
fi
# A static executable has no program interpreter and no NEEDED entries.
is_static() {
    ! readelf --program-headers "$1" | grep -q INTERP && ! readelf --dynamic "$1" | grep -q NEEDED
}
static_emulator=
if [ "$os" = linux ]; then
    for built in "$binary" $emulator_binary; do
        if is_static "$built"; then
            [ "$built" != "$emulator_binary" ] || static_emulator=1
        elif [ -n "$binaries_from" ]; then
            echo "release: warning: $built is not static; packaged anyway (--binaries-from)" >&2
        else
            die "$built is not static"
        fi
    done
fi

dist=${out:-$root/dist}
mkdir -p "$dist"
dist=$(cd "$dist" && pwd)
prefix="${name}_${version}"
zip="${prefix}_${os}_${arch}.zip"
emulator_zip="${emulator}_${version}_${os}_${arch}.zip"
image="${emulator}_${version}_${os}_${arch}.oci.tar"
manifest="${prefix}_manifest.json"
sums="${prefix}_SHA256SUMS"
rm -f "$dist/$zip" "$dist/$emulator_zip" "$dist/$image" "$dist/$manifest" "$dist/$sums"

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
artifacts=("$zip")
if [ -n "$emulator_binary" ]; then
    zip_one "$emulator_binary" "$dist/$emulator_zip" "$emulator"
    artifacts+=("$emulator_zip")
    if [ -n "$static_emulator" ] && [ "$arch" = amd64 ]; then
        python3 "$root/scripts/lib/oci-image.py" "$emulator_binary" "$dist/$image" "$version" "$SOURCE_DATE_EPOCH"
        artifacts+=("$image")
    else
        echo "release: no container image: the emulator is not a static linux_amd64 binary" >&2
    fi
else
    echo "release: warning: no $emulator in $binaries_from; its zip and image are left out" >&2
fi
artifacts+=("$manifest")

printf '{"version":1,"metadata":{"protocol_versions":["6.0"]}}\n' >"$dist/$manifest"

python3 - "$dist" "$sums" "${artifacts[@]}" <<'PY'
import hashlib, os, sys

dist, sums, files = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(os.path.join(dist, sums), "w") as out:
    for name in files:
        with open(os.path.join(dist, name), "rb") as f:
            out.write(f"{hashlib.sha256(f.read()).hexdigest()}  {name}\n")
PY

echo "release: wrote $dist" >&2
(cd "$dist" && ls -l "${artifacts[@]}" "$sums" && cat "$sums")
