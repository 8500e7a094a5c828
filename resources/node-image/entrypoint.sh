#!/bin/sh
# Wheelhouse node entrypoint: turns a Docker-in-Docker container into a worker node.
# It makes cgroups writable (v1 and v2), picks a working iptables, and runs the node's
# own dockerd with the node's pod CIDR as its bridge, reachable over mutual TLS only.
# POSIX sh: it runs under busybox as well as under the docker:dind image's shell.
#
# Environment:
#   WHEELHOUSE_POD_CIDR   bridge address of the node's pod network, e.g. 10.244.1.1/24
#   WHEELHOUSE_TLS_DIR    folder with ca.pem, server-cert.pem, server-key.pem
#                         (default /etc/wheelhouse/tls)
#   WHEELHOUSE_DNS        DNS server(s) for pods, comma separated (optional)
#   WHEELHOUSE_MTU        MTU of the pod bridge (optional)
# Extra arguments are passed on to dockerd.
set -eu

say() { echo "wheelhouse-node: $*" >&2; }
die() { say "$*"; exit 1; }

tls_dir=${WHEELHOUSE_TLS_DIR:-/etc/wheelhouse/tls}
for f in ca.pem server-cert.pem server-key.pem; do
	[ -s "$tls_dir/$f" ] || die "the TLS file $tls_dir/$f is missing; the engine copies it in when it creates the node"
done

# --- cgroups --------------------------------------------------------------------
# Without --privileged, Docker mounts the cgroup file systems read-only, and the
# node's dockerd must create cgroups for the pods it runs.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	# cgroup v2 (Docker Desktop, newer distributions). With a private cgroup
	# namespace this container's cgroup is the root we see.
	mount -o remount,rw /sys/fs/cgroup 2>/dev/null || say "could not remount /sys/fs/cgroup read-write"
	# A cgroup that hands controllers to children may not hold processes itself,
	# so everything running now moves to a leaf cgroup first.
	mkdir -p /sys/fs/cgroup/wheelhouse-init
	tries=0
	# cgroup files always report size 0, so read them rather than test -s.
	while [ -n "$(cat /sys/fs/cgroup/cgroup.procs)" ] && [ "$tries" -lt 20 ]; do
		for pid in $(cat /sys/fs/cgroup/cgroup.procs); do
			echo "$pid" >/sys/fs/cgroup/wheelhouse-init/cgroup.procs 2>/dev/null || :
		done
		tries=$((tries + 1))
	done
	controllers=""
	for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
		controllers="$controllers +$c"
	done
	if [ -n "$controllers" ]; then
		# Writing them one by one lets the usable ones through if one is refused.
		for c in $controllers; do
			echo "$c" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || say "cgroup controller ${c#+} is not available"
		done
	fi
else
	# cgroup v1 (and hybrid): every hierarchy is its own read-only bind mount.
	for d in /sys/fs/cgroup/*; do
		if [ -L "$d" ] || [ ! -d "$d" ]; then continue; fi
		mount -o remount,bind,rw "$d" 2>/dev/null || say "could not remount $d read-write"
	done
fi

# Volumes of pods may need mount propagation.
mount --make-rshared / 2>/dev/null || :

# --- iptables -------------------------------------------------------------------
# The node's dockerd, and the routes and rules the engine adds later, must agree on
# one iptables flavour. Legacy iptables works on the widest range of kernels; the
# nft flavour is the fallback where the kernel lacks the legacy tables.
shim=/usr/local/wheelhouse/bin
mkdir -p "$shim"
pick_iptables() {
	for flavour in legacy nft; do
		if command -v "iptables-$flavour" >/dev/null 2>&1 && "iptables-$flavour" -t nat -nL >/dev/null 2>&1; then
			for tool in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
				target=$(command -v "$tool-$flavour" 2>/dev/null || :)
				if [ -n "$target" ]; then ln -sf "$target" "$shim/$tool"; fi
			done
			say "using iptables ($flavour)"
			return 0
		fi
	done
	if iptables -t nat -nL >/dev/null 2>&1; then
		return 0
	fi
	return 1
}
pick_iptables || say "iptables does not work inside this node; pods on other nodes will not reach its pods"
PATH="$shim:$PATH"
export PATH

# --- dockerd --------------------------------------------------------------------
# /run is a tmpfs, but remove what a previous run of this container could have left
# behind in case it is not.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid 2>/dev/null || :

set -- dockerd \
	--host=unix:///var/run/docker.sock \
	--host=tcp://0.0.0.0:2376 \
	--tlsverify \
	--tlscacert="$tls_dir/ca.pem" \
	--tlscert="$tls_dir/server-cert.pem" \
	--tlskey="$tls_dir/server-key.pem" \
	--iptables=true \
	--exec-opt=native.cgroupdriver=cgroupfs \
	"$@"
if [ -n "${WHEELHOUSE_POD_CIDR:-}" ]; then
	set -- "$@" --bip="$WHEELHOUSE_POD_CIDR"
fi
if [ -n "${WHEELHOUSE_MTU:-}" ]; then
	set -- "$@" --mtu="$WHEELHOUSE_MTU"
fi
if [ -n "${WHEELHOUSE_DNS:-}" ]; then
	old_ifs=$IFS
	IFS=,
	for server in $WHEELHOUSE_DNS; do
		set -- "$@" --dns="$server"
	done
	IFS=$old_ifs
fi

say "starting dockerd${WHEELHOUSE_POD_CIDR:+ with pod bridge $WHEELHOUSE_POD_CIDR}"
exec "$@"
