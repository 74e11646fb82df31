# The checker VM test's script (run as /test/script by scripts/vm/init, driven by
# crates/check/tests/vm_checker.rs): keepalived-rs --check-only with a NAT and a DR virtual
# server and three busybox-httpd real servers in namespaces; the table follows their
# health, a kill -9 of the checker child leaves it untouched, SIGTERM removes our
# services and -I keeps them. Prints KRS-CHECK and KRS-FIGURE lines.
fail=0
check() { # name, status
    if [ "$2" = 0 ]; then echo "KRS-CHECK $1: ok"; else echo "KRS-CHECK $1: FAIL"; fail=1; fi
}
ip() { /usr/sbin/ip "$@"; }
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.2f", e - s }'; }

# The table in one line per entry: "TCP 192.0.2.10:80 rr" / "-> 198.51.100.2:80 Masq 1".
# UDP services are not ours here: a foreign one must survive everything we do.
table() { ipvsadm -Ln | awk '$1 == "TCP" || $1 == "FWM" { print $1, $2, $3 } $1 == "->" && $2 != "RemoteAddress:Port" { print $1, $2, $3, $4 }'; }
foreign() { ipvsadm -Ln | grep -q "^UDP  198.51.100.200:53 rr"; }
ALL="TCP 192.0.2.10:80 rr
-> 198.51.100.2:80 Masq 1
-> 198.51.100.6:80 Masq 1
TCP 192.0.2.20:80 wlc
-> 198.51.100.10:80 Route 2"
RS1_GONE="TCP 192.0.2.10:80 rr
-> 198.51.100.6:80 Masq 1
TCP 192.0.2.20:80 wlc
-> 198.51.100.10:80 Route 2"
SORRY="TCP 192.0.2.10:80 rr
-> 198.51.100.2:80 Masq 1
-> 198.51.100.6:80 Masq 1
TCP 192.0.2.20:80 wlc
-> 198.51.100.14:80 Route 1"
BOTH_DOWN="TCP 192.0.2.10:80 rr
-> 198.51.100.6:80 Masq 0
TCP 192.0.2.20:80 wlc
-> 198.51.100.10:80 Route 2"
# wait_table WANT SECONDS: polls every 0.1 s; prints how long it took.
wait_table() {
    s=$(now)
    end=$(awk -v s="$s" -v d="$2" 'BEGIN { print s + d }')
    while :; do
        if [ "$(table)" = "$1" ]; then elapsed "$s"; return 0; fi
        if awk -v n="$(now)" -v e="$end" 'BEGIN { exit !(n > e) }'; then
            echo "timeout"; echo "--- table now:" >&2; table >&2; return 1
        fi
        sleep 0.1
    done
}

netsetup() {
    echo 1 > /proc/sys/net/ipv4/ip_forward
    for n in 1 2 3; do
        d=198.51.100.$((n * 4 - 3)) r=198.51.100.$((n * 4 - 2))
        ip netns add rs$n || return 1
        ip link add d-rs$n type veth peer name eth0 netns rs$n || return 1
        ip addr add $d/30 dev d-rs$n && ip link set d-rs$n up || return 1
        ip -n rs$n link set lo up && ip -n rs$n addr add $r/30 dev eth0 && ip -n rs$n link set eth0 up || return 1
        ip -n rs$n route add default via $d || return 1
        mkdir -p /tmp/www$n && echo "served-by-rs$n" > /tmp/www$n/index.html
        start_rs $n || return 1
    done
    ip netns add client || return 1
    ip link add d-cl type veth peer name eth0 netns client || return 1
    # The NAT VIP must be local to the director for IPVS to see the packets.
    ip addr add 192.0.2.1/24 dev d-cl && ip addr add 192.0.2.10/32 dev d-cl && ip link set d-cl up || return 1
    ip -n client link set lo up && ip -n client addr add 192.0.2.2/24 dev eth0 && ip -n client link set eth0 up || return 1
    ip -n client route add default via 192.0.2.1
}
# fetch N: N requests from the client to the NAT VIP; prints how many each server answered.
fetch() {
    i=0; : > /tmp/answers
    while [ $i -lt "$1" ]; do
        printf 'GET / HTTP/1.0\r\n\r\n' | ip netns exec client nc -w 3 192.0.2.10 80 > /tmp/answer 2>&1
        if grep -q served-by /tmp/answer; then cat /tmp/answer >> /tmp/answers; else echo "no-answer" >> /tmp/answers; fi
        i=$((i + 1))
    done
    echo "rs1=$(grep -c served-by-rs1 /tmp/answers) rs2=$(grep -c served-by-rs2 /tmp/answers) none=$(grep -c no-answer /tmp/answers)"
}
# By path, not through the ip() function: a backgrounded function is a subshell, and $!
# would be that subshell rather than httpd.
start_rs() { /usr/sbin/ip netns exec rs$1 httpd -f -p 80 -h /tmp/www$1 & eval "RS$1=$!"; }
stop_rs() { eval "kill \$RS$1"; }

netsetup; check netns-setup $?
printf '#!/bin/sh\necho "$*" >> /tmp/notify.log\n' > /tmp/notify.sh && chmod +x /tmp/notify.sh

ipvsadm -A -u 198.51.100.200:53 -s rr; check foreign-service-added $?
KRS="$TEST_BIN -f /test/checker.conf -C -n -l -D -p /tmp/krs.pid -c /tmp/krs-check.pid -r /tmp/krs-vrrp.pid"
t0=$(now)
$KRS > /tmp/krs.log 2>&1 &
parent=$!
took=$(wait_table "$ALL" 20); check table-matches-config $?
echo "KRS-FIGURE table-up-after-start $took s"
ipvsadm -L --timeout | grep -q "Timeout (tcp tcpfin udp): 901 61 201"; check lvs-timeouts-set $?
# The FIFO's lines written before a reader came are kept in the pipe (we hold it open).
# A reader sees end-of-file while no checker has it open (the kill -9 below): reopen, as
# a real lvs_notify_fifo_script must.
[ -p /tmp/lvs.fifo ]; check lvs-notify-fifo-created $?
(while [ -p /tmp/lvs.fifo ]; do cat /tmp/lvs.fifo; done) >> /tmp/fifo.log &
FIFO_READER=$!
ipvsadm -Ln
ipvsadm -S -n | grep -v 198.51.100.200 | sort > /tmp/ours.save
got=$(fetch 4); echo "KRS-TRAFFIC all up: $got"
[ "$got" = "rs1=2 rs2=2 none=0" ]; check traffic-reaches-rs1-and-rs2 $?

# A NAT real server stops: it leaves the table within delay_loop + retry x delay_before_retry
# (1 + 1 x 1 s) plus the connect attempt's own time.
stop_rs 1
took=$(wait_table "$RS1_GONE" 10); check rs1-leaves-table $?
echo "KRS-FIGURE rs1-removed-after $took s (bound 1 + 1x1 s, plus slack)"
awk -v t="$took" 'BEGIN { exit !(t != "timeout" && t <= 4.5) }'; check rs1-left-within-bound $?
got=$(fetch 4); echo "KRS-TRAFFIC rs1 down: $got"
[ "$got" = "rs1=0 rs2=4 none=0" ]; check traffic-only-rs2 $?

# The inhibited one goes to weight 0 instead.
stop_rs 2
took=$(wait_table "$BOTH_DOWN" 10); check rs2-inhibited-to-weight-0 $?
echo "KRS-FIGURE rs2-weight0-after $took s"
awk -v t="$took" 'BEGIN { exit !(t != "timeout" && t <= 4.5) }'; check rs2-inhibited-within-bound $?

# kill -9 the checker child while two servers are down: the parent restarts it with the
# last health; the table must not change at any instant, and the new checker applies nothing.
old=$(cat /tmp/krs-check.pid)
kill -9 "$old"; check kill-9-checker $?
s=$(now); bad=0; n=0
while awk -v s="$s" -v n="$(now)" 'BEGIN { exit !(n - s < 4) }'; do
    if [ "$(table)" != "$BOTH_DOWN" ]; then bad=$((bad + 1)); table; fi
    n=$((n + 1))
done
echo "KRS-FIGURE table-polled $n times during the checker restart, $bad differed"
[ $bad = 0 ]; check table-untouched-across-kill-9 $?
new=$(cat /tmp/krs-check.pid 2>/dev/null)
[ -n "$new" ] && [ "$new" != "$old" ] && kill -0 "$new"; check checker-restarted $?
grep -q "checker\[$new\].*2 real servers restored\|checker\[$new\].*3 real servers restored" /tmp/krs.log; check restarted-checker-got-health $?
! grep "checker\[$new\]" /tmp/krs.log | grep -q "changes applied"; check restarted-checker-changed-nothing $?
sleep 2
[ "$(table)" = "$BOTH_DOWN" ]; check table-still-same-after-restart $?

# They come back.
start_rs 1; start_rs 2
took=$(wait_table "$ALL" 10); check rs1-rs2-return $?
echo "KRS-FIGURE rs1-rs2-back-after $took s"
grep -q "^down rs1$" /tmp/notify.log; check notify-down-ran $?
grep -q "^up rs1$" /tmp/notify.log; check notify-up-ran $?
grep -q "^RS \[198.51.100.2\]:tcp:80 \[192.0.2.10\]:tcp:80 DOWN$" /tmp/fifo.log; check fifo-rs-down-line $?
grep -q "^RS \[198.51.100.2\]:tcp:80 \[192.0.2.10\]:tcp:80 UP$" /tmp/fifo.log; check fifo-rs-up-line $?

# The DR server is the whole quorum (2 = its weight): without it the sorry server serves.
stop_rs 3
took=$(wait_table "$SORRY" 10); check quorum-lost-sorry-server-in $?
echo "KRS-FIGURE sorry-server-in-after $took s"
start_rs 3
took=$(wait_table "$ALL" 10); check quorum-back-sorry-server-out $?
echo "KRS-FIGURE sorry-server-out-after $took s"
sleep 0.5
grep -q "^VS \[192.0.2.20\]:tcp:80 DOWN$" /tmp/fifo.log && grep -q "^VS \[192.0.2.20\]:tcp:80 UP$" /tmp/fifo.log
check fifo-vs-quorum-lines $?
echo "--- lvs_notify_fifo lines"; cat /tmp/fifo.log
kill "$FIFO_READER" 2>/dev/null

# SIGTERM: our services go.
kill -TERM "$parent"; wait "$parent"; check sigterm-exit-0 $?
[ -z "$(table)" ]; check sigterm-removes-services $?
foreign; check foreign-service-untouched $?

# -I: they stay.
$KRS -I > /tmp/krs-I.log 2>&1 &
parent=$!
wait_table "$ALL" 20 > /dev/null; check table-again-with-I $?
kill -TERM "$parent"; wait "$parent"; check sigterm-I-exit-0 $?
[ "$(table)" = "$ALL" ]; check dont-release-ipvs-keeps-services $?
ipvsadm -C

# lvs_flush: a foreign service goes at start; lvs_flush_on_stop (ALL): everything goes on stop.
sed 's/^    router_id krs-vm$/    router_id krs-vm\n    lvs_flush\n    lvs_flush_on_stop/' /test/checker.conf > /tmp/flush.conf
ipvsadm -A -u 198.51.100.200:53 -s rr
$TEST_BIN -f /tmp/flush.conf -C -n -D -p /tmp/krs.pid -c /tmp/krs-check.pid -r /tmp/krs-vrrp.pid > /tmp/krs-flush.log 2>&1 &
parent=$!
wait_table "$ALL" 20 > /dev/null; check flush-table-up $?
! foreign; check lvs-flush-removed-foreign $?
ipvsadm -A -u 198.51.100.201:53 -s rr
kill -TERM "$parent"; wait "$parent"; check flush-sigterm-exit-0 $?
[ -z "$(ipvsadm -S -n)" ]; check lvs-flush-on-stop-empties-table $?
ipvsadm -C

# omega: at stop, each removed real server's notify_down runs, then quorum_down when the
# live weight reaches 0; the same lines under Debian's keepalived.
sed 's/^    lb_algo rr$/    lb_algo rr\n    omega\n    quorum_down "\/tmp\/notify.sh qdown vs10"/' /test/checker.conf > /tmp/omega.conf
omega_stop() { # out, command...
    out=$1; shift
    : > /tmp/notify.log
    "$@" > /tmp/omega-run.log 2>&1 &
    pid=$!
    wait_table "$ALL" 20 > /dev/null || { cat /tmp/omega-run.log; kill $pid; return 1; }
    kill -TERM $pid; wait $pid
    sleep 1
    # The scripts run concurrently: their lines may come in any order.
    sort /tmp/notify.log > "$out"
    echo "--- notify lines at stop ($out)"; cat "$out"
}
omega_stop /tmp/omega-ours.log $TEST_BIN -f /tmp/omega.conf -C -n -D -p /tmp/krs.pid -c /tmp/krs-check.pid -r /tmp/krs-vrrp.pid
[ "$(cat /tmp/omega-ours.log)" = "down rs1
qdown vs10" ]; check omega-notifies-at-stop $?
ipvsadm -C
if [ -x /usr/sbin/keepalived ]; then
    omega_stop /tmp/omega-ka.log /usr/sbin/keepalived -n -l -C -f /tmp/omega.conf -p /tmp/ka.pid -c /tmp/ka-check.pid
    diff /tmp/omega-ka.log /tmp/omega-ours.log; check omega-same-as-keepalived $?
    ipvsadm -C
fi
rm -f /tmp/ka.pid /tmp/ka-check.pid

# ha_suspend on the DR service, whose VIP is not on the director: its checker waits, so
# rs3 stopping changes nothing; once the VIP is here it is checked and the sorry server
# comes in. The same under Debian's keepalived.
sed 's/^    lb_algo wlc$/    lb_algo wlc\n    ha_suspend/' /test/checker.conf > /tmp/suspend.conf
ha_suspend() { # command...
    "$@" > /tmp/suspend-run.log 2>&1 &
    pid=$!
    wait_table "$ALL" 20 > /dev/null || { cat /tmp/suspend-run.log; kill $pid; return 1; }
    stop_rs 3
    sleep 4
    held=0; [ "$(table)" = "$ALL" ] || { held=1; echo "checked while suspended:"; table; }
    ip addr add 192.0.2.20/32 dev lo
    wait_table "$SORRY" 10 > /dev/null; resumed=$?
    ip addr del 192.0.2.20/32 dev lo
    start_rs 3
    kill -TERM $pid; wait $pid
    ipvsadm -C
    [ $held = 0 ] && [ $resumed = 0 ] || { cat /tmp/suspend-run.log; return 1; }
}
ha_suspend $TEST_BIN -f /tmp/suspend.conf -C -n -D -p /tmp/krs.pid -c /tmp/krs-check.pid -r /tmp/krs-vrrp.pid
check ha-suspend-waits-for-the-vip $?
if [ -x /usr/sbin/keepalived ]; then
    ha_suspend /usr/sbin/keepalived -n -l -C -f /tmp/suspend.conf -p /tmp/ka.pid -c /tmp/ka-check.pid
    check ha-suspend-same-as-keepalived $?
fi
rm -f /tmp/ka.pid /tmp/ka-check.pid

# A reload that drops an alive real server runs its notify_down (no omega needed).
awk '/real_server 198.51.100.2 80/ { skip = 1 } skip && /^    }$/ { skip = 0; next } !skip' /test/checker.conf > /tmp/reload-b.conf
reload_drop() { # out, command (config /tmp/reload.conf)...
    out=$1; shift
    cp /test/checker.conf /tmp/reload.conf
    : > /tmp/notify.log
    "$@" > /tmp/reload-run.log 2>&1 &
    pid=$!
    wait_table "$ALL" 20 > /dev/null || { cat /tmp/reload-run.log; kill $pid; return 1; }
    cp /tmp/reload-b.conf /tmp/reload.conf
    kill -HUP $pid
    wait_table "$RS1_GONE" 10 > /dev/null; gone=$?
    sleep 1
    kill -TERM $pid; wait $pid
    ipvsadm -C
    sort /tmp/notify.log > "$out"
    echo "--- notify lines after the reload ($out)"; cat "$out"
    return $gone
}
reload_drop /tmp/reload-ours.log $TEST_BIN -f /tmp/reload.conf -C -n -D -p /tmp/krs.pid -c /tmp/krs-check.pid -r /tmp/krs-vrrp.pid
[ $? = 0 ] && [ "$(cat /tmp/reload-ours.log)" = "down rs1" ]; check reload-drop-notifies $?
if [ -x /usr/sbin/keepalived ]; then
    reload_drop /tmp/reload-ka.log /usr/sbin/keepalived -n -l -C -f /tmp/reload.conf -p /tmp/ka.pid -c /tmp/ka-check.pid
    diff /tmp/reload-ka.log /tmp/reload-ours.log; check reload-drop-same-as-keepalived $?
fi
rm -f /tmp/ka.pid /tmp/ka-check.pid

# Differential: Debian's keepalived checker on the same config and servers programs the
# same table (ipvsadm -S, sorted) and also removes it on stop.
differential() {
    [ -x /usr/sbin/keepalived ] || { echo "no /usr/sbin/keepalived in the VM (VM_FILES)"; return 1; }
    /usr/sbin/keepalived -n -l -C -f /test/checker.conf -p /tmp/ka.pid -c /tmp/ka-check.pid > /tmp/ka.log 2>&1 &
    ka=$!
    wait_table "$ALL" 20 > /dev/null || { cat /tmp/ka.log; kill $ka; return 1; }
    ipvsadm -S -n | sort > /tmp/keepalived.save
    # keepalived's FIFO line for the same event as ours (rs1 down): the same text.
    (while [ -p /tmp/lvs.fifo ]; do cat /tmp/lvs.fifo; done) > /tmp/ka-fifo.log &
    kafifo=$!
    stop_rs 1
    wait_table "$RS1_GONE" 10 > /dev/null
    sleep 0.5
    echo "--- keepalived's lvs_notify_fifo lines"; cat /tmp/ka-fifo.log
    grep -q "^RS \[198.51.100.2\]:tcp:80 \[192.0.2.10\]:tcp:80 DOWN$" /tmp/ka-fifo.log; check fifo-line-same-as-keepalived $?
    start_rs 1
    wait_table "$ALL" 10 > /dev/null
    kill $kafifo 2>/dev/null
    kill -TERM $ka; wait $ka
    [ -z "$(ipvsadm -S -n)" ] || { echo "keepalived left its services"; return 1; }
    if diff /tmp/keepalived.save /tmp/ours.save; then return 0; fi
    echo "--- keepalived log"; cat /tmp/ka.log
    return 1
}
differential; check same-table-as-keepalived $?

echo "--- keepalived-rs log"
cat /tmp/krs.log
echo "--- keepalived-rs -I log"
tail -n 20 /tmp/krs-I.log
for n in 1 2 3; do eval "kill \$RS$n" 2>/dev/null; done
echo "KRS-VM: checker test took $(elapsed "$t0") s in the VM"
exit $fail
