# SPDX-License-Identifier: GPL-2.0
# Common settings for the ci/ scripts; sourced, never run.
# The kernel cache lives outside the clone and is keyed by kernel version
# and by the hash of the committed config fragments.

set -euo pipefail

REFGPU_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REFGPU_CACHE=${REFGPU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/refgpu}
REFGPU_JOBS=${REFGPU_JOBS:-$(nproc)}
REFGPU_LOGDIR=${REFGPU_LOGDIR:-$REFGPU_TOP/out/logs}
mkdir -p "$REFGPU_CACHE" "$REFGPU_LOGDIR"

log() { printf '[refgpu %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Version of Debian's linux-source-6.12 package: the cache key for the source.
ksrc_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true
}

ksrc_dir() {
	local v
	v=$(ksrc_version)
	[ -n "$v" ] || die "linux-source-6.12 is not installed (run ci/setup)"
	echo "$REFGPU_CACHE/src/${v//[~:]/_}/linux-source-6.12"
}

# REFGPU_KERNEL picks the UML kernel: "test" (default: every fragment, the
# sanitizers and checkers on) or "bench" (no 20-debug.config: the kernel
# the in-kernel benchmark's figures come from, see ci/bench).
refgpu_kernel() {
	case "${REFGPU_KERNEL:-test}" in
	test | bench) echo "${REFGPU_KERNEL:-test}" ;;
	*) die "REFGPU_KERNEL=$REFGPU_KERNEL: expected test or bench" ;;
	esac
}

# The config fragments of that kernel, in merge order.
kconfig_frags() {
	local f
	for f in "$REFGPU_TOP"/ci/kconfig/*.config; do
		# The benchmark kernel has no sanitizers, tests or coverage.
		[ "$(refgpu_kernel)" = bench ] && case $(basename "$f") in
		20-debug.config | 25-tests.config) continue ;;
		esac
		echo "$f"
	done
}

# Hash of everything that decides the kernel .config.
kconfig_hash() {
	local frags
	mapfile -t frags < <(kconfig_frags)
	cat "${frags[@]}" | sha256sum | cut -c1-12
}

kbuild_dir() {
	local kind=""
	[ "$(refgpu_kernel)" = test ] || kind=$(refgpu_kernel)-
	echo "$REFGPU_CACHE/build/um-$(ksrc_version | tr '~:' '__')-$kind$(kconfig_hash)"
}

# Host tools (reggen, harness) are built here, inside the clone's out/.
tools_build_dir() {
	echo "$REFGPU_TOP/out/tools"
}

# Newest Debian x86_64 6.12 headers package installed, e.g. 6.12.117+deb12-amd64.
debian_headers_release() {
	local d
	d=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null |
		grep -v -- '-cloud-\|-rt-' | sort -V | tail -n 1)
	[ -n "$d" ] && basename "$d" | sed 's/^linux-headers-//'
}

# ctest_results LOG: one "Passed|NAME" or "<status>|NAME" line per test of a
# `ctest` log, any status but Passed being a failure (Failed, Timeout,
# "Subprocess aborted***Exception", "SEGFAULT", ...), then "Missing|<why>"
# if the log reports more tests than it lists (or no total at all), so that
# a test ci/test cannot read counts as failed, never as nothing.
ctest_results() {
	local listed total
	sed -nE 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) \.+ *(\**)([A-Za-z][^*0-9]*[A-Za-z])?.*/\3|\1/p' "$1" |
		sed -E 's/^\|/(no status)|/; s/  [^|]*\|/|/'
	listed=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: ' "$1" || true)
	total=$(sed -nE 's/.* tests? failed out of ([0-9]+)$/\1/p' "$1" | tail -n 1)
	if [ -z "$total" ]; then
		echo "Missing|ctest summary (no \"tests failed out of N\" line)"
	elif [ "$listed" -ne "$total" ]; then
		echo "Missing|ctest listed $listed of $total tests"
	fi
}
