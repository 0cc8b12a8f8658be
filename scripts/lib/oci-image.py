#!/usr/bin/env python3
"""Writes a FROM-scratch OCI image of the static genesys-emulator as one tar, reproducibly,
without a container daemon or builder: an OCI image layout (oci-layout, index.json, blobs/)
that is also a Docker archive (manifest.json), so `podman load` and `docker load` both read it.

Usage: oci-image.py BINARY OUT.tar VERSION SOURCE_DATE_EPOCH

The single layer holds /genesys-emulator (mode 0755, owner 0:0, mtime SOURCE_DATE_EPOCH) and
is stored uncompressed, so its digest depends on nothing but the binary and the epoch. The
image runs as user 65534 with GENESYS_EMULATOR_LISTEN=0.0.0.0:8080 and exposes 8080/tcp.
"""
import hashlib
import io
import json
import sys
import tarfile
import time

binary, out, version, epoch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
name = f"localhost/genesys-emulator:{version}"
created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def tar_bytes(members):
    """A tar (PAX headers off, fixed owner, times and order) of (TarInfo, data) pairs."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for info, data in members:
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = epoch
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def file_info(path, size, mode=0o644):
    info = tarfile.TarInfo(path)
    info.size, info.mode, info.type = size, mode, tarfile.REGTYPE
    return info


with open(binary, "rb") as f:
    program = f.read()
layer = tar_bytes([(file_info("genesys-emulator", len(program), 0o755), program)])
layer_digest = "sha256:" + hashlib.sha256(layer).hexdigest()

config = canonical({
    "architecture": "amd64",
    "os": "linux",
    "created": created,
    "config": {
        "Entrypoint": ["/genesys-emulator"],
        "Env": ["GENESYS_EMULATOR_LISTEN=0.0.0.0:8080"],
        "ExposedPorts": {"8080/tcp": {}},
        "User": "65534:65534",
        "Labels": {
            "org.opencontainers.image.title": "genesys-emulator",
            "org.opencontainers.image.description":
                "Local emulator of the Genesys Cloud Platform API for testing Terraform modules",
            "org.opencontainers.image.version": version,
            "org.opencontainers.image.created": created,
        },
    },
    "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
    "history": [{"created": created, "created_by": "scripts/release.sh (scripts/lib/oci-image.py)"}],
})
config_digest = "sha256:" + hashlib.sha256(config).hexdigest()

manifest = canonical({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
               "digest": config_digest, "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                "digest": layer_digest, "size": len(layer)}],
})
manifest_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()

index = canonical({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": manifest_digest,
        "size": len(manifest),
        "annotations": {
            "org.opencontainers.image.ref.name": name,
            "io.containerd.image.name": name,
        },
    }],
})


def blob_path(digest):
    return "blobs/sha256/" + digest.split(":", 1)[1]


docker_manifest = canonical([{
    "Config": blob_path(config_digest),
    "RepoTags": [name],
    "Layers": [blob_path(layer_digest)],
}])

members = []
for directory in ("blobs", "blobs/sha256"):
    info = tarfile.TarInfo(directory)
    info.type, info.mode = tarfile.DIRTYPE, 0o755
    members.append((info, None))
for digest, data in sorted([(layer_digest, layer), (config_digest, config),
                            (manifest_digest, manifest)]):
    members.append((file_info(blob_path(digest), len(data)), data))
for path, data in (("oci-layout", canonical({"imageLayoutVersion": "1.0.0"})),
                   ("index.json", index), ("manifest.json", docker_manifest)):
    members.append((file_info(path, len(data)), data))

with open(out, "wb") as f:
    f.write(tar_bytes(members))
print(f"{name} manifest {manifest_digest} config {config_digest}", file=sys.stderr)
