# The IPVS test run inside the VM (as the init's test script, sh = busybox ash) by
# crates/ipvs/tests/vm.rs through scripts/vm/run. $TEST_BIN is examples/ipvs_vm_check.
# Each step programs the table through our crate, then compares what our crate lists with
# what ipvsadm -Ln shows. Prints KRS-CHECK lines; exits non-zero on the first failure.
set -u
fail=0
check() { # name, status
    if [ "$2" = 0 ]; then echo "KRS-CHECK $1: ok"; else echo "KRS-CHECK $1: FAIL"; fail=1; fi
}

# ipvsadm -Ln reduced to the fields our `list` prints: service (proto addr sched) and
# dest (-> addr fwd weight), sorted the same way as ours.
ipvsadm_view() {
    ipvsadm -Ln | awk 'NR > 3 { if ($1 == "->") print "-> " $2 " " $3 " " $4; else print $1 " " $2 " " $3 }'
}
ours_view() {
    "$TEST_BIN" list | sed -n 's/^KRS-TABLE //p'
}
compare() { # step name
    ipvsadm_view | sort > /tmp/ipvsadm.txt
    ours_view | sort > /tmp/ours.txt
    if diff /tmp/ipvsadm.txt /tmp/ours.txt > /tmp/diff.txt; then
        check "$1-same-as-ipvsadm" 0
    else
        echo "--- ipvsadm -Ln"; ipvsadm -Ln; echo "--- diff ipvsadm ours"; cat /tmp/diff.txt
        check "$1-same-as-ipvsadm" 1
    fi
}
expect() { # step name, fixed line that ipvsadm_view must contain
    if ipvsadm_view | grep -qxF -e "$2"; then check "$1" 0; else echo "missing: $2"; ipvsadm -Ln; check "$1" 1; fi
}

start=$(cut -d' ' -f1 /proc/uptime)
"$TEST_BIN" setup; check setup $?
ipvsadm -Ln
expect tcp-wlc-service "TCP 192.0.2.10:80 wlc"
expect nat-dest-1 "-> 198.51.100.2:80 Masq 1"
expect nat-dest-2 "-> 198.51.100.3:80 Masq 2"
expect fwmark-dr "-> 198.51.100.6:0 Route 4"
expect ipv6-gue "-> [2001:db8::2]:443 Tunnel 1"
ipvsadm -Ln | grep -q "UDP  192.0.2.10:53 rr persistent 300 mask 255.255.255.0"; check udp-persistence-by-ipvsadm $?
ipvsadm -L --timeout | grep -q "900 120 300"; check timeouts-by-ipvsadm $?
compare setup

"$TEST_BIN" edit; check edit $?
expect weight-edited "-> 198.51.100.3:80 Masq 5"
compare edit

"$TEST_BIN" delete; check delete $?
if ipvsadm -Ln | grep -q "198.51.100.2:80"; then check dest-gone-by-ipvsadm 1; else check dest-gone-by-ipvsadm 0; fi
compare delete

# Something ipvsadm adds must be read back by us.
ipvsadm -A -u 192.0.2.12:123 -s nq && ipvsadm -a -u 192.0.2.12:123 -r 198.51.100.9:123 -g -w 9
check ipvsadm-add $?
compare foreign

"$TEST_BIN" cleanup; check cleanup $?
[ -z "$(ipvsadm -Ln | awk 'NR > 3')" ]; check table-empty-by-ipvsadm $?

"$TEST_BIN" many; check many $?

# Differential: Debian's keepalived (checker only) and our crate program the same config;
# ipvsadm's save format, one self-contained line per service and dest, must be the same.
differential() {
    [ -x /usr/sbin/keepalived ] || { echo "no /usr/sbin/keepalived in the VM (VM_FILES)"; return 1; }
    ipvsadm -C
    /usr/sbin/keepalived -n -l -C -f /test/differential.conf -p /tmp/ka.pid -c /tmp/ka-check.pid > /tmp/ka.log 2>&1 &
    ka=$!
    i=0
    while [ "$(ipvsadm -S -n | grep -c '^-a')" -lt 10 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    sleep 0.5
    ipvsadm -S -n | sort > /tmp/keepalived.save
    kill -TERM $ka; wait $ka
    i=0
    while [ -n "$(ipvsadm -S -n)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    [ -z "$(ipvsadm -S -n)" ]; check keepalived-stop-removes-its-services $?
    "$TEST_BIN" fromconfig /test/differential.conf || return 1
    ipvsadm -S -n | sort > /tmp/ours.save
    echo "--- keepalived's table"; cat /tmp/keepalived.save
    if diff /tmp/keepalived.save /tmp/ours.save; then return 0; fi
    echo "--- keepalived log"; cat /tmp/ka.log
    return 1
}
differential; check same-table-as-keepalived $?
ipvsadm -C

# Traffic: real servers (busybox httpd) and a client in namespaces, the director in the
# VM's root namespace; the NAT service programmed by our crate must carry the requests.
# busybox ash runs its own applets before PATH, and its ip has no netns: iproute2's by path.
ip() { /usr/sbin/ip "$@"; }
netsetup() {
    echo 1 > /proc/sys/net/ipv4/ip_forward
    for n in 1 2; do
        if [ $n = 1 ]; then d=198.51.100.1 r=198.51.100.2; else d=198.51.100.5 r=198.51.100.6; fi
        ip netns add rs$n || return 1
        ip link add d-rs$n type veth peer name eth0 netns rs$n || return 1
        ip addr add $d/30 dev d-rs$n && ip link set d-rs$n up || return 1
        ip -n rs$n link set lo up && ip -n rs$n addr add $r/30 dev eth0 && ip -n rs$n link set eth0 up || return 1
        ip -n rs$n route add default via $d || return 1
        mkdir -p /tmp/www$n && echo "served-by-rs$n" > /tmp/www$n/index.html
        ip netns exec rs$n httpd -p 80 -h /tmp/www$n || return 1
    done
    ip netns add client || return 1
    ip link add d-cl type veth peer name eth0 netns client || return 1
    ip addr add 192.0.2.1/24 dev d-cl && ip addr add 192.0.2.10/32 dev d-cl && ip link set d-cl up || return 1
    ip -n client link set lo up && ip -n client addr add 192.0.2.2/24 dev eth0 && ip -n client link set eth0 up || return 1
    ip -n client route add default via 192.0.2.1
}
# fetch N: N requests from the client to the VIP; prints how many each server answered.
fetch() {
    i=0; : > /tmp/answers
    while [ $i -lt "$1" ]; do
        # busybox nc, not wget: its static wget has crashed here.
        printf 'GET / HTTP/1.0\r\n\r\n' | ip netns exec client nc -w 5 192.0.2.10 80 > /tmp/answer 2>&1
        if grep -q served-by /tmp/answer; then cat /tmp/answer >> /tmp/answers; else echo "no-answer" >> /tmp/answers; cat /tmp/answer >&2; fi
        i=$((i + 1))
    done
    echo "rs1=$(grep -c served-by-rs1 /tmp/answers) rs2=$(grep -c served-by-rs2 /tmp/answers) none=$(grep -c no-answer /tmp/answers)"
}
netsetup; check netns-setup $?
"$TEST_BIN" localnode; check localnode $?
"$TEST_BIN" nat 1 1 3; check nat-both $?
got=$(fetch 6); echo "KRS-TRAFFIC both up: $got"
case "$got" in "rs1=0 "*|*" rs2=0 "*|*" none="[1-9]*) false ;; esac; check traffic-reaches-both $?
"$TEST_BIN" nat - 1 1; check nat-rs1-removed $?
got=$(fetch 4); echo "KRS-TRAFFIC rs1 removed: $got"
[ "$got" = "rs1=0 rs2=4 none=0" ]; check traffic-only-rs2 $?
"$TEST_BIN" nat 1 0 2; check nat-rs2-inhibited $?
got=$(fetch 4); echo "KRS-TRAFFIC rs2 at weight 0: $got"
[ "$got" = "rs1=4 rs2=0 none=0" ]; check traffic-only-rs1 $?
"$TEST_BIN" nat 1 0 0; check nat-unchanged-is-no-op $?
ipvsadm -C

# Without the module the error must say so.
for m in $(lsmod | awk '$1 ~ /^ip_vs_/ { print $1 }'); do rmmod "$m"; done
rmmod ip_vs; check rmmod-ip_vs $?
"$TEST_BIN" noipvs; check noipvs $?

end=$(cut -d' ' -f1 /proc/uptime)
echo "KRS-VM: test took $(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }') s in the VM"
exit $fail
