#!/usr/bin/env bash
# Idempotent set-up for Resurgo: installs missing Debian packages and fetches the
# pinned third-party sources from Debian's source packages into build/third_party/:
# Lua 5.4 (lua5.4) and lwIP (lwip), each checked against its SHA-256.
# Silent and fast when everything is already present.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
third="$top/build/third_party"

# Debian packages the build, the tests and `make run` need.
pkgs=(gcc make binutils nasm qemu-system-x86 grub-pc-bin grub-common xorriso mtools
      check pkg-config musl-dev python3 ca-certificates xz-utils
      libcapstone-dev             # the disassembler behind the fault-site tables
      chromium                    # the campaign report is checked in a real browser
      slurm-wlm munge             # the campaign's Slurm recipe is tested on a one-node Slurm
      clang libclang-rt-14-dev    # `make fuzz`: clang and libFuzzer's runtime
      lua5.4)                     # the host interpreter: the oracle Resurgo's Lua is tested against

lua_tar="lua5.4_5.4.4.orig.tar.gz"
lua_sha="164c7849653b80ae67bec4b7473b884bf5cc8d2dca05653475ec2ed27b9ebf61"
lwip_tar="lwip_2.1.3+dfsg1.orig.tar.xz"
lwip_sha="0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24"

log() { printf 'deps: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_pkgs() {
    local p
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' \
            || printf '%s\n' "$p"
    done
}

install_pkgs() {
    local missing
    missing=$(missing_pkgs)
    [ -z "$missing" ] && return 0
    log "installing: $(echo $missing)"
    as_root apt-get update -q >/dev/null
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
}

# The Debian mirror this machine already uses (so no host is hard-coded here).
debian_mirror() {
    local uri
    uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' \
          | grep -v security | head -n1)
    if [ -z "$uri" ]; then
        uri=$(grep -hsE '^deb[[:space:]]' /etc/apt/sources.list | awk '{print $2}' \
              | grep -v security | head -n1)
    fi
    [ -n "$uri" ] || { log "error: no Debian mirror found in the apt configuration"; exit 1; }
    printf '%s\n' "$uri"
}

sha_ok() { echo "$1  $2" | sha256sum -c --status 2>/dev/null; }

# Download one source package's files with apt-get source, leaving the machine's
# lists alone.
fetch_source() {
    local dir="$third/apt" src
    mkdir -p "$dir/lists/partial" "$third"
    src="$dir/sources.list"
    echo "deb-src $(debian_mirror) bookworm main" > "$src"
    local opts=(-o "Dir::Etc::SourceList=$src" -o Dir::Etc::SourceParts=/dev/null
                -o "Dir::State::Lists=$dir/lists" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
    log "fetching Debian source package $1"
    apt-get "${opts[@]}" update -q >/dev/null
    (cd "$third" && apt-get "${opts[@]}" source --download-only -q "$1" >/dev/null)
}

# ensure_source PACKAGE TARBALL SHA256 DIR FILE: the tarball pinned by its hash,
# unpacked to build/third_party/DIR (FILE inside it proves the unpacking).
ensure_source() {
    local pkg=$1 tarball=$2 sha=$3 out="$third/$4" probe=$5
    local tar="$third/$tarball"
    if [ ! -f "$tar" ] || ! sha_ok "$sha" "$tar"; then
        rm -f "$tar"
        fetch_source "$pkg"
        [ -f "$tar" ] || { log "error: $tarball not found after apt-get source"; exit 1; }
        sha_ok "$sha" "$tar" || { log "error: $tarball fails its pinned SHA-256 ($sha)"; exit 1; }
    fi
    if [ ! -f "$out/$probe" ]; then
        rm -rf "$out"
        tar -xf "$tar" -C "$third"
        [ -f "$out/$probe" ] || { log "error: $tarball did not unpack to $4/"; exit 1; }
    fi
}

install_pkgs
ensure_source lua5.4 "$lua_tar" "$lua_sha" lua-5.4.4 src/lua.h
ensure_source lwip "$lwip_tar" "$lwip_sha" lwip-2.1.3 src/include/lwip/init.h
