# The VM side of scripts/bench/checkers (run as /test/script by scripts/vm/init): for each
# "IMPL:SIZE" in $RUNS (from /test/bench.env), starts bench_listener on ports
# 8000..8000+PORTS-1 of every address of 198.51.100.0/24 (a local route, so no interface
# per address), then the checker (Debian's keepalived or keepalived-rs, `-C`, config
# /test/bench-SIZE.conf), waits WARM s, and over WINDOW s samples the checker child's
# utime+stime (/proc/PID/stat), its RSS, and how busy the VM's one CPU was. Prints
# KRS-BENCH (from the listener) and KRS-BENCH-PROC lines; the host parses them.
. /test/bench.env
ip() { /usr/sbin/ip "$@"; }
ip route add local 198.51.100.0/24 dev lo || exit 1
echo 1 > /proc/sys/net/ipv4/tcp_tw_reuse
echo "1024 65000" > /proc/sys/net/ipv4/ip_local_port_range
echo 65536 > /proc/sys/net/core/somaxconn
ulimit -n 65536
# ticks: utime + stime of a pid (fields 14 and 15; the comm field has no spaces here).
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# busy: total and idle ticks of the VM's CPU.
cpustat() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6 }' /proc/stat; }
status=0
for run in $RUNS; do
    impl=${run%%:*} n=${run#*:}
    conf=/test/bench-$n.conf
    /test/listener 8000 "$PORTS" "$WARM" "$WINDOW" 1000 "$n" "$impl-$n" > /tmp/listener.out 2>&1 &
    lpid=$!
    sleep 1
    rm -f /tmp/bench-*.pid
    case $impl in
        keepalived) bin=/usr/sbin/keepalived ;;
        *) bin=$TEST_BIN ;;
    esac
    # No -l: the console is the VM's slow serial port; both log to nowhere (no syslog).
    $bin -f "$conf" -C -n -p /tmp/bench-main.pid -c /tmp/bench-check.pid -r /tmp/bench-vrrp.pid > /tmp/daemon.log 2>&1 &
    dpid=$!
    sleep $((WARM - 1))
    cpid=$(cat /tmp/bench-check.pid 2>/dev/null)
    [ -n "$cpid" ] || { echo "KRS-BENCH-ERROR $impl-$n: no checker child pid"; status=1; }
    ipvs=$(ipvsadm -Ln | grep -c -- '->' )
    c0=$(ticks "$cpid"); s0=$(cpustat)
    sleep "$WINDOW"
    c1=$(ticks "$cpid"); s1=$(cpustat)
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$cpid/status" 2>/dev/null)
    hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$cpid/status" 2>/dev/null)
    i=0
    while ! grep -q "^KRS-BENCH $impl-$n " /tmp/listener.out && [ $i -lt 100 ]; do sleep 1; i=$((i + 1)); done
    cat /tmp/listener.out
    echo "$s0 $s1" | awk -v impl="$impl-$n" -v c0="$c0" -v c1="$c1" -v w="$WINDOW" -v rss="$rss" -v hwm="$hwm" -v ipvs="$ipvs" \
        '{ busy = 100 * (1 - ($4 - $2) / ($3 - $1)); printf "KRS-BENCH-PROC %s cpu_pct=%.2f rss_kb=%s hwm_kb=%s vm_busy_pct=%.1f ipvs_dests=%d\n", impl, (c1 - c0) / w, rss, hwm, busy, ipvs - 1 }'
    kill -TERM "$dpid"
    i=0
    while kill -0 "$dpid" 2>/dev/null && [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done
    kill -0 "$dpid" 2>/dev/null && { echo "KRS-BENCH-ERROR $impl-$n: did not stop in 120 s"; kill -9 "$dpid"; status=1; }
    echo "KRS-BENCH-STOPPED $impl-$n after $i s"
    kill "$lpid"; wait "$lpid" 2>/dev/null
    grep -ci "error\|fail" /tmp/daemon.log | sed "s/^/KRS-BENCH-LOG $impl-$n error-or-fail lines: /"
    grep -i "error\|fail" /tmp/daemon.log | head -5
    ipvsadm -C
done
exit $status
