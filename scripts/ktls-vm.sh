#!/usr/bin/env bash
# Kernel TLS needs a kernel with CONFIG_TLS; the machine this project grew on has none.
# This boots Debian's own kernel (linux-image-amd64, tls.ko as a module) under qemu
# (KVM when /dev/kvm is there, else software emulation) with an initramfs holding
# busybox and the release nettool, and inside it — no network but the VM's own
# loopback — serves HTTPS with `serve-http --tls --ktls`, fetches files with
# nettool's TLS client (one per connection, and two requests kept alive on one),
# compares them byte for byte, and prints the server's TLS summary and
# /proc/net/tls_stat. Exit 0 when every file arrived whole through kernel TLS.
# Needs: apt-get (download only, nothing installed), dpkg-deb, cpio, gzip, qemu-system-x86.
# Usage: scripts/ktls-vm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for t in apt-get dpkg-deb cpio gzip qemu-system-x86_64 ldd; do
  command -v "$t" >/dev/null || { echo "scripts/ktls-vm.sh: needs $t" >&2; exit 1; }
done
cargo build --release --quiet
work=$(mktemp -d /tmp/nettool-ktls.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"
kernel=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ { print $2; exit }')
apt-get download -q "$kernel" busybox-static 2>/dev/null
dpkg-deb -x "$kernel"_*.deb k
dpkg-deb -x busybox-static_*.deb bb
version=${kernel#linux-image-}

root="$work/root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,www,lib/modules/$version/kernel,lib64,lib/x86_64-linux-gnu}
cp bb/bin/busybox "$root/bin/"
mods=k/lib/modules/$version
cp -r "$mods/kernel/net" "$mods/kernel/crypto" "$mods/kernel/arch" "$mods/kernel/lib" "$root/lib/modules/$version/kernel/"
cp "$mods"/modules.order "$mods"/modules.builtin* "$root/lib/modules/$version/" 2>/dev/null || true
nettool="$OLDPWD/target/release/nettool"
cp "$nettool" "$root/bin/nettool"
for lib in $(ldd "$nettool" | awk '/=> \// { print $3 } /ld-linux/ { print $1 }'); do
  cp -L "$lib" "$root$lib"
done
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
ip link set lo up
depmod
for m in tls gcm ghash-generic aesni-intel chacha20poly1305; do modprobe $m 2>/dev/null; done
head -c 1024 /dev/urandom >/www/1k.bin
head -c 10485760 /dev/urandom >/www/10m.bin
nettool -v serve-http /www --tls --ktls -l 127.0.0.1:8443 2>/tmp/server.log &
server=$!
for _ in $(seq 50); do grep -q '^listening on' /tmp/server.log && break; sleep 0.1; done
head -1 /tmp/server.log
ok=0; bad=0
check() { # file what: the answer in /tmp/resp ends with the file
  if [ "$(tail -c "$(wc -c </www/$1)" /tmp/resp | sha256sum | cut -d' ' -f1)" = "$(sha256sum /www/$1 | cut -d' ' -f1)" ]; then
    ok=$((ok + 1)); echo "ktls-vm: $1 whole ($2)"
  else
    bad=$((bad + 1)); echo "ktls-vm: $1 DIFFERS ($2, $(wc -c </tmp/resp) bytes)"
  fi
}
client() { nettool tcp-echo connect --tls --insecure -q -w 20 "$@" 127.0.0.1:8443 >/tmp/resp; }
for f in 1k.bin 10m.bin; do
  # The request, then close_notify and FIN at once (often before kernel TLS can start).
  printf "GET /$f HTTP/1.0\r\n\r\n" | client
  check $f "close_notify at once"
  # No half-close: the whole answer goes through kernel TLS.
  printf "GET /$f HTTP/1.0\r\n\r\n" | client --no-shutdown
  check $f "no half-close"
  # close_notify while the answer streams: the kernel reports it as EIO, read as the end.
  (printf "GET /$f HTTP/1.0\r\n\r\n"; sleep 0.2) | client
  check $f "close_notify during the answer"
done
# Two requests on one connection (keep-alive), the second closes it.
printf "GET /1k.bin HTTP/1.1\r\nHost: vm\r\n\r\nGET /1k.bin HTTP/1.1\r\nHost: vm\r\nConnection: close\r\n\r\n" | client --no-shutdown
n=$(grep -ao 'HTTP/1.1 200' /tmp/resp | wc -l)
if [ "$n" = 2 ]; then ok=$((ok + 1)); echo "ktls-vm: keep-alive, 2 answers"; else bad=$((bad + 1)); echo "ktls-vm: keep-alive gave $n answers"; fi
kill -TERM $server; wait $server
grep -E 'TLS|kernel|error' /tmp/server.log | sed 's/^/ktls-vm: server: /' | head -20
cat /proc/net/tls_stat 2>/dev/null | grep -E 'TlsCurr|TlsTx|TlsRx' | tr '\n' ' '; echo
echo "ktls-vm: $ok ok, $bad bad"
[ "$bad" = 0 ] && grep -q 'kernel TLS on [1-9]' /tmp/server.log && echo "ktls-vm: PASS" || echo "ktls-vm: FAIL"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >initrd.gz
boot() {
  timeout 600 qemu-system-x86_64 "$@" -m 1024 -smp 2 -nographic -no-reboot -nic none \
    -kernel k/boot/vmlinuz-"$version" -initrd initrd.gz \
    -append "console=ttyS0 quiet panic=-1" >console.log 2>&1 || true
}
# KVM where it works (nested under another hypervisor it may not), else emulation.
[ -w /dev/kvm ] && boot -accel kvm
grep -q '^ktls-vm:' console.log 2>/dev/null || boot -accel tcg -cpu max
grep -E '^(ktls-vm|listening on|TLS:|TlsCurr)' console.log || tail -20 console.log
grep -q 'ktls-vm: PASS' console.log
