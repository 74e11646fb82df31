//! Small configurations (valid and broken) through `load_str()` + `validate()`: our exit
//! code must be the one Debian's keepalived 2.2.7 gave for each. The expected codes were
//! recorded by running `keepalived -t -f FILE` in a network namespace that has lo and
//! eth0..eth3 (as the sample table in /work/notes/samples-keepalived-t.txt), for the VRRP /
//! global_defs helper's comparison runs. Cases where we knowingly differ are not listed here
//! (see the helper report): keywords newer than 2.2.7 and script-security verdicts.
//! keepalived 2.2.7 aborts with exit 2 on a missing parameter; our diagnostics class for
//! that is `MissingParameter`, so those cases check for the class rather than the code.

use keepalived_config::{load_str, validate::validate, Diagnostics, Env, ReadOptions};

fn env() -> Env {
    Env::with_interfaces(&["lo", "eth0", "eth1", "eth2", "eth3"])
}

/// (case name, config text, keepalived 2.2.7 `-t` exit code)
const CASES: &[(&str, &str, i32)] = &[
    (
        "c/i001.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i002.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
priority 300
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i003.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
priority 0
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i004.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
advert_int 0.5
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i005.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
advert_int 300
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i006.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
version 3
advert_int 50
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i007.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
version 4
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i008.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
state FOO
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i009.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
state MASTER
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i010.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
state BACKUP
priority 255
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i011.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
nopreempt
priority 255
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i012.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
preempt_delay 5
state MASTER
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i013.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
preempt_delay 2000
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i014.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
down_timer_adverts 0
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i015.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
down_timer_adverts 50
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i016.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_ttl 0
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i017.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
mcast_dst_ip 10.0.0.5
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i018.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
mcast_dst_ip 224.0.0.20
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i019.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
use_vmac
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i020.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
use_vmac vrrp.51
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i021.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
garp_master_delay 10
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i022.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
garp_master_refresh 60
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i023.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
garp_master_repeat 3
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i025.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
lower_prio_no_advert
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i026.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
higher_prio_send_advert on
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i027.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
strict_mode
higher_prio_send_advert
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i028.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
strict_mode
garp_lower_prio_repeat 3
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i029.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
strict_mode
accept
priority 100
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i030.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
accept
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i031.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
no_accept
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i032.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
skip_check_adv_addr
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i033.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
debug 2
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i036.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
smtp_alert
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i037.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
dont_track_primary
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i038.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
track_src_ip
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i039.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_src_ip 10.0.0.5
unicast_peer {
 10.0.0.6 min_ttl 10 max_ttl 5
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i040.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_peer {
 10.0.0.6 foo
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i041.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_peer {
 10.0.0.300
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i042.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
authentication {
 auth_type FOO
 auth_pass x
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i043.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
authentication {
 auth_type PASS
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i044.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
track_interface {
 eth1 weight 300
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i045.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
track_interface {
 eth1 weight
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i046.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
track_interface {
 eth1 foo
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i047.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
virtual_ipaddress_excluded {
 10.0.0.9/24 brd + dev eth1 label eth1:foo
 fe80::9
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i048.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
virtual_routes {
 10.9.0.0/16 dev eth1 table 100 metric 5
 10.8.0.0/16 via 10.0.0.254 dev eth0 onlink
 10.7.0.0/16 nexthop via 10.0.0.1 dev eth1 nexthop via 10.0.0.2 dev eth2
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i049.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
virtual_rules {
 from 10.1.0.0/16 table 1 priority 100
 to 10.2.0.0/16 lookup 2 preference 101
 fwmark 5 table 3 order 102
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i050.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
virtual_routes {
 10.9.0.0/16 dev eth1 foo bar
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i051.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
virtual_rules {
 from 10.1.0.0/16 table 1 priority 100 bogus
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i052.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
kernel_rx_buf_size 100000
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i053.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
promote_secondaries
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i054.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
vrf vrf1
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i055.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
check_unicast_src
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i056.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
old_unicast_checksum never
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i058.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
virtual_router_id 256
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i059.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
virtual_router_id abc
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i060.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
priority abc
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c/i061.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
garp_lower_prio_delay 5
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i062.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
notify_deleted
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c/i064.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_fault_no_peer
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c2/ssgts.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_script {
  x
 }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.1
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52

    virtual_ipaddress {
        10.0.0.2
    }
}
"##,
        0,
    ),
    (
        "c2/sw1.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
 weight 10
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
priority 255
track_script {
 x
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c2/sw2.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
priority 255
track_script {
 x weight 5
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c2/u001.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_src_ip 10.0.0.5
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c2/u002.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_ttl 5
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c2/u004.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
interface eth1
vrf eth0
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c2/u005.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
vrf eth0
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c2/u006.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
track_script {
 x weight 10
}
priority 255
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c3/ownf.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
track_file f {
 file /tmp/ff
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
priority 255
track_file {
 f
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c3/ownf0.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
track_file f {
 file /tmp/ff
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
priority 255
track_file {
 f weight 0
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c3/owni.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
track_file f {
 file /tmp/ff
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
priority 255
track_interface {
 eth1 weight 5
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c3/owni0.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
track_file f {
 file /tmp/ff
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
priority 255
track_interface {
 eth1
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c3/owns0.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
track_file f {
 file /tmp/ff
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
priority 255
track_script {
 x weight 0
}
    virtual_ipaddress {
        10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c3/sgw.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
track_file f {
 file /tmp/ff
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
track_script {
 x weight 5
}
    virtual_ipaddress {
        10.0.0.1
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 2

    virtual_ipaddress {
        10.0.0.2
    }
}
"##,
        5,
    ),
    (
        "c3/sgwf.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
track_file f {
 file /tmp/ff
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
track_file {
 f weight 5
}
    virtual_ipaddress {
        10.0.0.1
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 2

    virtual_ipaddress {
        10.0.0.2
    }
}
"##,
        5,
    ),
    (
        "c3/sgwi.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script x {
 script /bin/true
}
track_file f {
 file /tmp/ff
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
track_interface {
 eth1 weight 5
}
    virtual_ipaddress {
        10.0.0.1
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 2

    virtual_ipaddress {
        10.0.0.2
    }
}
"##,
        5,
    ),
    (
        "c4/g001.conf",
        r##"global_defs {
router_id x
}
"##,
        0,
    ),
    (
        "c4/g002.conf",
        r##"global_defs {
notification_email_from a@b
}
"##,
        0,
    ),
    (
        "c4/g003.conf",
        r##"global_defs {
smtp_server 1.2.3.4 99999
}
"##,
        5,
    ),
    (
        "c4/g005.conf",
        r##"global_defs {
smtp_helo_name x
}
"##,
        0,
    ),
    (
        "c4/g006.conf",
        r##"global_defs {
smtp_alert
}
"##,
        0,
    ),
    (
        "c4/g007.conf",
        r##"global_defs {
smtp_alert_vrrp off
}
"##,
        0,
    ),
    (
        "c4/g008.conf",
        r##"global_defs {
smtp_alert_checker
}
"##,
        0,
    ),
    (
        "c4/g009.conf",
        r##"global_defs {
no_email_faults
}
"##,
        0,
    ),
    (
        "c4/g010.conf",
        r##"global_defs {
checker_log_all_failures
}
"##,
        0,
    ),
    (
        "c4/g011.conf",
        r##"global_defs {
script_user nobody
}
"##,
        0,
    ),
    (
        "c4/g013.conf",
        r##"global_defs {
startup_script_timeout 2000
}
"##,
        5,
    ),
    (
        "c4/g014.conf",
        r##"global_defs {
shutdown_script_timeout 10
}
"##,
        0,
    ),
    (
        "c4/g015.conf",
        r##"global_defs {
notify_fifo /tmp/f
}
"##,
        0,
    ),
    (
        "c4/g016.conf",
        r##"global_defs {
notify_fifo_script /bin/true
}
"##,
        0,
    ),
    (
        "c4/g017.conf",
        r##"global_defs {
vrrp_notify_fifo /tmp/f root
}
"##,
        0,
    ),
    (
        "c4/g018.conf",
        r##"global_defs {
dynamic_interfaces
}
"##,
        0,
    ),
    (
        "c4/g019.conf",
        r##"global_defs {
dynamic_interfaces allow_if_changes
}
"##,
        0,
    ),
    (
        "c4/g020.conf",
        r##"global_defs {
default_interface eth0
}
"##,
        0,
    ),
    (
        "c4/g021.conf",
        r##"global_defs {
default_interface eth9
}
"##,
        0,
    ),
    (
        "c4/g022.conf",
        r##"global_defs {
disable_local_igmp
}
"##,
        0,
    ),
    (
        "c4/g024.conf",
        r##"global_defs {
vrrp_mcast_group6 ff02::13
}
"##,
        0,
    ),
    (
        "c4/g025.conf",
        r##"global_defs {
vrrp_mcast_group6 224.0.0.1
}
"##,
        5,
    ),
    (
        "c4/g026.conf",
        r##"global_defs {
vrrp_garp_master_delay 10
}
"##,
        0,
    ),
    (
        "c4/g027.conf",
        r##"global_defs {
vrrp_garp_master_repeat 0
}
"##,
        5,
    ),
    (
        "c4/g028.conf",
        r##"global_defs {
vrrp_garp_master_refresh 60
}
"##,
        0,
    ),
    (
        "c4/g029.conf",
        r##"global_defs {
vrrp_garp_master_refresh_repeat 2
}
"##,
        0,
    ),
    (
        "c4/g030.conf",
        r##"global_defs {
vrrp_garp_lower_prio_delay 5
}
"##,
        0,
    ),
    (
        "c4/g031.conf",
        r##"global_defs {
vrrp_garp_lower_prio_repeat 5
}
"##,
        0,
    ),
    (
        "c4/g032.conf",
        r##"global_defs {
vrrp_down_timer_adverts 200
}
"##,
        5,
    ),
    (
        "c4/g033.conf",
        r##"global_defs {
vrrp_garp_interval 0.001
}
"##,
        0,
    ),
    (
        "c4/g034.conf",
        r##"global_defs {
vrrp_gna_interval 5000
}
"##,
        5,
    ),
    (
        "c4/g035.conf",
        r##"global_defs {
vrrp_min_garp
}
"##,
        0,
    ),
    (
        "c4/g036.conf",
        r##"global_defs {
vrrp_lower_prio_no_advert
}
"##,
        0,
    ),
    (
        "c4/g037.conf",
        r##"global_defs {
vrrp_higher_prio_send_advert true
}
"##,
        0,
    ),
    (
        "c4/g038.conf",
        r##"global_defs {
vrrp_check_unicast_src
}
"##,
        0,
    ),
    (
        "c4/g039.conf",
        r##"global_defs {
vrrp_skip_check_adv_addr
}
"##,
        0,
    ),
    (
        "c4/g040.conf",
        r##"global_defs {
vrrp_notify_priority_changes
}
"##,
        0,
    ),
    (
        "c4/g041.conf",
        r##"global_defs {
vrrp_startup_delay 5
}
"##,
        0,
    ),
    (
        "c4/g043.conf",
        r##"global_defs {
log_unknown_vrids
}
"##,
        0,
    ),
    (
        "c4/g044.conf",
        r##"global_defs {
lvs_sync_daemon eth0 VI_1 id 300
}
"##,
        5,
    ),
    (
        "c4/g045.conf",
        r##"global_defs {
lvs_sync_daemon eth0
}
"##,
        0,
    ),
    (
        "c4/g046.conf",
        r##"global_defs {
lvs_flush
}
"##,
        0,
    ),
    (
        "c4/g047.conf",
        r##"global_defs {
lvs_flush_on_stop VS
}
"##,
        0,
    ),
    (
        "c4/g048.conf",
        r##"global_defs {
enable_snmp_checker
}
"##,
        0,
    ),
    (
        "c4/g049.conf",
        r##"global_defs {
enable_snmp_rfc
}
"##,
        0,
    ),
    (
        "c4/g050.conf",
        r##"global_defs {
enable_traps
}
"##,
        0,
    ),
    (
        "c4/g051.conf",
        r##"global_defs {
snmp_socket udp:1.2.3.4:705
}
"##,
        0,
    ),
    (
        "c4/g052.conf",
        r##"global_defs {
dbus_service_name x
}
"##,
        0,
    ),
    (
        "c4/g053.conf",
        r##"global_defs {
process_names
}
"##,
        0,
    ),
    (
        "c4/g054.conf",
        r##"global_defs {
vrrp_priority -30
}
"##,
        5,
    ),
    (
        "c4/g055.conf",
        r##"global_defs {
vrrp_rt_priority 50
}
"##,
        0,
    ),
    (
        "c4/g056.conf",
        r##"global_defs {
vrrp_cpu_affinity 0 1
}
"##,
        0,
    ),
    (
        "c4/g057.conf",
        r##"global_defs {
vrrp_rlimit_rttime 10000
}
"##,
        0,
    ),
    (
        "c4/g058.conf",
        r##"global_defs {
vmac_addr_prefix 02:00
}
"##,
        0,
    ),
    (
        "c4/g059.conf",
        r##"global_defs {
vrrp_garp_extra_if 10
}
"##,
        0,
    ),
    (
        "c4/g060.conf",
        r##"global_defs {
vrrp_rx_bufs_multiplier 4
}
"##,
        0,
    ),
    (
        "c4/g061.conf",
        r##"global_defs {
nftables_priority 5
}
"##,
        0,
    ),
    (
        "c4/g062.conf",
        r##"global_defs {
nftables_ifindex
}
"##,
        0,
    ),
    (
        "c4/g063.conf",
        r##"global_defs {
lvs_timeouts tcp 100 udp 50
}
"##,
        0,
    ),
    (
        "c4/g064.conf",
        r##"global_defs {
rs_init_notifies
}
"##,
        0,
    ),
    (
        "c4/g066.conf",
        r##"global_defs {
vrrp_netlink_cmd_rcv_bufs 1000000
}
"##,
        0,
    ),
    (
        "c4/g067.conf",
        r##"global_defs {
reload_check_config
}
"##,
        0,
    ),
    (
        "c4/g068.conf",
        r##"global_defs {
reload_time_file /tmp/t
}
"##,
        0,
    ),
    (
        "c4/g069.conf",
        r##"global_defs {
reload_file /tmp/r
}
"##,
        0,
    ),
    (
        "c4/g070.conf",
        r##"global_defs {
config_save_dir /tmp
}
"##,
        0,
    ),
    (
        "c4/g071.conf",
        r##"global_defs {
tmp_config_directory /tmp
}
"##,
        0,
    ),
    (
        "c4/g072.conf",
        r##"global_defs {
data_use_instance
}
"##,
        0,
    ),
    (
        "c4/g075.conf",
        r##"global_defs {
no_checker_emails
}
"##,
        0,
    ),
    (
        "c4/g076.conf",
        r##"global_defs {
umask 022
}
"##,
        0,
    ),
    (
        "c4/g077.conf",
        r##"global_defs {
max_auto_priority
}
"##,
        0,
    ),
    (
        "c4/g078.conf",
        r##"global_defs {
min_auto_priority_delay 1000
}
"##,
        0,
    ),
    (
        "c4/g079.conf",
        r##"global_defs {
checker_no_swap
}
"##,
        0,
    ),
    (
        "c4/g082.conf",
        r##"global_defs {
process_name foo
}
"##,
        0,
    ),
    (
        "c4/g083.conf",
        r##"global_defs {
vrrp_strict 1
}
"##,
        0,
    ),
    (
        "c4/g084.conf",
        r##"global_defs {
nftables
}
"##,
        0,
    ),
    (
        "c4/g085.conf",
        r##"global_defs {
nftables_counters
}
"##,
        0,
    ),
    (
        "c4/g086.conf",
        r##"global_defs {
enable_snmp_vrrp
}
"##,
        0,
    ),
    (
        "c4/g087.conf",
        r##"global_defs {
smtp_connect_timeout abc
}
"##,
        5,
    ),
    (
        "c4/g088.conf",
        r##"global_defs {
vrrp_version
}
"##,
        2,
    ),
    (
        "c4/g089.conf",
        r##"global_defs {
fifo_write_vrrp_states_on_reload
}
"##,
        0,
    ),
    (
        "c4/g090.conf",
        r##"global_defs {
vrrp_iptables
}
"##,
        5,
    ),
    (
        "c4/g091.conf",
        r##"global_defs {
nftables_ipvs
}
"##,
        0,
    ),
    (
        "c4/g092.conf",
        r##"global_defs {
vmac_prefix x
}
"##,
        0,
    ),
    (
        "c4/g094.conf",
        r##"global_defs {
checker_priority 20
}
"##,
        5,
    ),
    (
        "c5/a.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 priority
 virtual_ipaddress {
 10.0.0.1
 }
}
"##,
        2,
    ),
    (
        "c5/b.conf",
        r##"global_defs {
 router_id
}
"##,
        5,
    ),
    (
        "c5/c.conf",
        r##"global_defs {
 notification_email_from
}
"##,
        5,
    ),
    (
        "c5/d.conf",
        r##"vrrp_instance VI_1 {
 interface
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
}
"##,
        2,
    ),
    (
        "c5/e.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id
 virtual_ipaddress {
 10.0.0.1
 }
}
"##,
        2,
    ),
    (
        "c5/f.conf",
        r##"vrrp_script s {
 interval
}
"##,
        2,
    ),
    (
        "c6/r001.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
static_ipaddress {
 10.1.1.1/24 dev eth0 scope link
 10.1.1.2 dev eth0 track_group G
 10.1.1.3 dev eth0 use_vmac
 10.1.1.300 dev eth0
 10.1.1.4
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r002.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
static_routes {
 10.2.0.0/16 dev eth0 table 5
 default via 10.0.0.1 dev eth0
 10.3.0.0/16 dev eth0 no_track
 10.4.0.0/16 dev eth0 track_group X
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r003.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
static_rules {
 from 10.0.0.0/8 table 5 preference 10
 from 10.0.0.0/8 lookup 5 priority 11 iif eth0
 from 10.0.0.0/8 lookup 5 priority 12 oif eth9
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r004.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_group G {
 group {
  VI_1
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c6/r005.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_group G {
 group {
  VI_9
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c6/r006.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
garp_group {
 garp_interval 0.5
 gna_interval 1
 interface eth0
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c6/r007.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
garp_group {
 garp_interval 0.5
 interface eth9
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r008.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
garp_group {
 interfaces {
  eth1
  eth2
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r009.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
linkbeat_interfaces {
 eth0 MII
 eth1
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c6/r010.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
linkbeat_interfaces {
 eth0 FOO
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r011.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
interface_up_down_delays {
 eth0 1 2
 eth1 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c6/r012.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
interface_up_down_delays {
 eth0 500
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r013.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 interval 0
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r014.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 interval 2.5
 timeout 3
 weight 10 reverse
 rise 2
 fall 0
 user root
 init_fail
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r015.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 weight 254
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r016.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 foo
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r017.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_track_process p {
 process nginx
 weight 10
 quorum 2
 quorum_max 3
 delay 1.5
 terminate_delay 2
 fork_delay 0.5
 param_match partial
 full_command
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c6/r018.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_track_process p {
 weight 10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r019.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_track_process p {
 process nginx
 quorum 0
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r020.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_track_process p {
 process nginx
 quorum 3
 quorum_max 2
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r021.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_track_process p {
 process nginx
 weight 300
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r022.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file f {
 file /tmp/x
 weight 300
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r023.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file f {
 weight 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r024.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file f {
 file /tmp/x
 init_file 5 overwrite
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c6/r025.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file f {
 file /tmp/x
 init_file
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c6/r026.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_sync_group G {
 group {
  VI_1
 }
 notify_master /bin/true
 smtp_alert
 sync_group_tracking_weight
 notify_priority_changes
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r027.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_sync_group G {
 group {
  VI_1
  VI_1
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r028.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_sync_group G {
 group {
  VI_1
 }
 track_interface {
  eth9
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r029.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_sync_group G {
 group {
  VI_1
 }
 track_script {
  nos
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r030.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_sync_group G {
 group {
  VI_1
 }
 foo
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c6/r031.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_sync_group G {
 group {
  VI_1
 }
}
vrrp_sync_group H {
 group {
  VI_1
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c7/v001.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1/24 dev eth1 scope host brd 10.0.0.255 label eth1:vip
    }
}
"##,
        0,
    ),
    (
        "c7/v002.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1/33
    }
}
"##,
        5,
    ),
    (
        "c7/v003.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 scope foo
    }
}
"##,
        5,
    ),
    (
        "c7/v004.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 brd fe80::1
    }
}
"##,
        5,
    ),
    (
        "c7/v005.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 label averyveryverylonglabel
    }
}
"##,
        5,
    ),
    (
        "c7/v006.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 peer 10.0.0.2/32
    }
}
"##,
        5,
    ),
    (
        "c7/v007.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 home
    }
}
"##,
        0,
    ),
    (
        "c7/v008.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
fe80::1/64 -nodad mngtmpaddr noprefixroute
    }
}
"##,
        0,
    ),
    (
        "c7/v009.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 autojoin
    }
}
"##,
        0,
    ),
    (
        "c7/v010.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 preferred_lft 0
    }
}
"##,
        0,
    ),
    (
        "c7/v011.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 preferred_lft forever
    }
}
"##,
        0,
    ),
    (
        "c7/v012.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 preferred_lft abc
    }
}
"##,
        5,
    ),
    (
        "c7/v013.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 use_vmac
    }
}
"##,
        0,
    ),
    (
        "c7/v014.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 no_track
    }
}
"##,
        0,
    ),
    (
        "c7/v015.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 dev
    }
}
"##,
        5,
    ),
    (
        "c7/v016.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1 foo
    }
}
"##,
        5,
    ),
    (
        "c7/v017.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1-5
    }
}
"##,
        5,
    ),
    (
        "c7/v018.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.5-1
    }
}
"##,
        5,
    ),
    (
        "c7/v019.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
10.0.0.1/24
10.0.0.1/24
    }
}
"##,
        0,
    ),
    (
        "c7/v020.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
fe80::1
2001:db8::1
    }
}
"##,
        0,
    ),
    (
        "c7/v021.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
version 2
    virtual_ipaddress {
2001:db8::1
    }
}
"##,
        0,
    ),
    (
        "c7/v022.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
authentication {
 auth_type AH
 auth_pass x
}
    virtual_ipaddress {
fe80::1
    }
}
"##,
        5,
    ),
    (
        "c7/v023.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
strict_mode
    virtual_ipaddress {
fe80::1
    }
}
"##,
        0,
    ),
    (
        "c7/v024.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
strict_mode
priority 255
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v025.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
authentication {
 auth_type PASS
 auth_pass
}
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        2,
    ),
    (
        "c7/v026.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
authentication {
 auth_type PASS
}
strict_mode
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c7/v027.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
mcast_src_ip 10.0.0.5
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v028.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
mcast_src_ip fe80::5
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c7/v029.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_src_ip fe80::5
unicast_peer {
 10.0.0.2
}
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c7/v030.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
use_vmac vrrp51 02:00:00:00:00:01
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v031.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
use_vmac
vmac_xmit_base
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v032.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
use_ipvlan ipv1 10.0.0.3/24 bridge
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v033.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
virtual_ipaddress_excluded {
 fe80::99
 10.0.0.99 dev eth3
}
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v034.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
garp_extra_if 10 all
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v035.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
track_src_ip
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v037.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
priority 254
state MASTER
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v038.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
state BACKUP
priority 255
nopreempt
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c7/v039.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
version 3
advert_int 0.01
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v040.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
version 3
advert_int 40.95
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v041.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
advert_int 255
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        0,
    ),
    (
        "c7/v042.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
advert_int 0
    virtual_ipaddress {
10.0.0.1
    }
}
"##,
        5,
    ),
    (
        "c8/rt001.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 table main
 }
}
"##,
        0,
    ),
    (
        "c8/rt002.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 table foo
 }
}
"##,
        5,
    ),
    (
        "c8/rt003.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 metric abc
 }
}
"##,
        5,
    ),
    (
        "c8/rt004.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 scope bogus
 }
}
"##,
        5,
    ),
    (
        "c8/rt005.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 proto static
 }
}
"##,
        5,
    ),
    (
        "c8/rt006.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 mtu lock 1400
 }
}
"##,
        0,
    ),
    (
        "c8/rt007.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 advmss 1400
 }
}
"##,
        0,
    ),
    (
        "c8/rt008.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  unreachable 10.1.0.0/16
 }
}
"##,
        5,
    ),
    (
        "c8/rt009.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  prohibit 10.1.0.0/16 dev eth0
 }
}
"##,
        0,
    ),
    (
        "c8/rt010.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  throw 10.1.0.0/16
 }
}
"##,
        5,
    ),
    (
        "c8/rt011.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  local 10.1.0.1 dev eth0
 }
}
"##,
        0,
    ),
    (
        "c8/rt012.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 via inet 10.0.0.1 dev eth0
 }
}
"##,
        0,
    ),
    (
        "c8/rt013.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  fe80::/64 dev eth0
 }
}
"##,
        0,
    ),
    (
        "c8/rt014.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  2001:db8::/32 via fe80::1 dev eth0
 }
}
"##,
        0,
    ),
    (
        "c8/rt015.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 onlink
 }
}
"##,
        0,
    ),
    (
        "c8/rt016.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 src 10.0.0.1 dev eth0
 }
}
"##,
        0,
    ),
    (
        "c8/rt017.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 realms 5
 }
}
"##,
        0,
    ),
    (
        "c8/rt018.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 preference 5
 }
}
"##,
        0,
    ),
    (
        "c8/rt019.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 nexthop via 10.0.0.1 dev eth0 weight 2 nexthop via 10.0.0.2 dev eth1
 }
}
"##,
        5,
    ),
    (
        "c8/rt020.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  to 10.1.0.0/16 dev eth0
 }
}
"##,
        0,
    ),
    (
        "c8/rt021.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  default dev eth0
 }
}
"##,
        0,
    ),
    (
        "c8/rt022.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 via 10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c8/rt023.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 expires 5
 }
}
"##,
        5,
    ),
    (
        "c8/rt024.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 tos 5
 }
}
"##,
        0,
    ),
    (
        "c8/rt025.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 pref high
 }
}
"##,
        5,
    ),
    (
        "c8/rt026.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 initcwnd 10
 }
}
"##,
        0,
    ),
    (
        "c8/rt027.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 no_track
 }
}
"##,
        0,
    ),
    (
        "c8/rt028.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 no_track via 10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c8/rt029.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 bogus
 }
}
"##,
        5,
    ),
    (
        "c8/rt030.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 table 300 metric 5 scope link
 }
}
"##,
        0,
    ),
    (
        "c8/rt031.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  blackhole 10.1.0.0/16 no_track
 }
}
"##,
        0,
    ),
    (
        "c8/rt032.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 via 10.0.0.1 dev eth0 ttl-propagate enabled
 }
}
"##,
        0,
    ),
    (
        "c8/rt033.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 quickack 1
 }
}
"##,
        0,
    ),
    (
        "c8/rt034.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 congctl lock cubic
 }
}
"##,
        0,
    ),
    (
        "c8/ru035.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 10
 }
}
"##,
        0,
    ),
    (
        "c8/ru036.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from all table 5 priority 10
 }
}
"##,
        0,
    ),
    (
        "c8/ru037.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  to 10.0.0.0/8 lookup main preference 11
 }
}
"##,
        0,
    ),
    (
        "c8/ru038.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 fwmark 0x10/0xff table 5 priority 12
 }
}
"##,
        0,
    ),
    (
        "c8/ru039.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 tos 0x10 table 5 priority 12
 }
}
"##,
        0,
    ),
    (
        "c8/ru040.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  not from 10.0.0.0/8 table 5 priority 12
 }
}
"##,
        0,
    ),
    (
        "c8/ru041.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 blackhole priority 12
 }
}
"##,
        0,
    ),
    (
        "c8/ru042.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 goto 100 priority 12
 }
}
"##,
        0,
    ),
    (
        "c8/ru043.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 suppress_prefixlength 0
 }
}
"##,
        0,
    ),
    (
        "c8/ru044.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from fe80::/64 table 5 priority 12
 }
}
"##,
        0,
    ),
    (
        "c8/ru045.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 to fe80::/64 table 5 priority 12
 }
}
"##,
        5,
    ),
    (
        "c8/ru046.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  inet6 from 10.0.0.0/8 table 5 priority 12
 }
}
"##,
        5,
    ),
    (
        "c8/ru047.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority abc
 }
}
"##,
        5,
    ),
    (
        "c8/ru048.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 uidrange 1-5
 }
}
"##,
        0,
    ),
    (
        "c8/ru049.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 ipproto tcp
 }
}
"##,
        0,
    ),
    (
        "c8/ru050.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 sport 80
 }
}
"##,
        5,
    ),
    (
        "c8/ru051.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 l3mdev
 }
}
"##,
        5,
    ),
    (
        "c8/ru052.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 no_track
 }
}
"##,
        0,
    ),
    (
        "c8/ru053.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 nat 10.1.1.1 priority 12
 }
}
"##,
        5,
    ),
    (
        "c8/ru054.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 unreachable priority 12
 }
}
"##,
        0,
    ),
    (
        "c8/ru055.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 prohibit priority 12
 }
}
"##,
        0,
    ),
    (
        "c8/ru056.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 realms 5
 }
}
"##,
        0,
    ),
    (
        "c8/ru057.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 protocol static
 }
}
"##,
        5,
    ),
    (
        "c8/ru058.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 dev eth0
 }
}
"##,
        0,
    ),
    (
        "c8/ru059.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 12 iif eth0 oif eth1
 }
}
"##,
        0,
    ),
    (
        "c8/ru060.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  table 5 priority 12
 }
}
"##,
        0,
    ),
    (
        "c8/ru061.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 priority 12
 }
}
"##,
        5,
    ),
    (
        "c9/defif.conf",
        r##"global_defs {
 default_interface eth1
}
vrrp_instance VI_1 {
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        5,
    ),
    (
        "c9/defif9.conf",
        r##"global_defs {
 default_interface eth9
}
vrrp_instance VI_1 {
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        5,
    ),
    (
        "c9/difif.conf",
        r##"vrrp_instance VI_1 {
    interface eth1
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/dupmcast.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
mcast_dst_ip 224.0.0.20
    virtual_ipaddress {
        10.0.0.51
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/dupuni2.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_peer {
 10.0.0.9
}
    virtual_ipaddress {
        10.0.0.51
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 51
unicast_peer {
 10.0.0.8
}
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/dupuni3.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_src_ip 10.0.0.3
unicast_peer {
 10.0.0.9
}
    virtual_ipaddress {
        10.0.0.51
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 51
unicast_src_ip 10.0.0.4
unicast_peer {
 10.0.0.8
}
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/dupvmac2.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
use_vmac
    virtual_ipaddress {
        10.0.0.51
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 51
use_vmac
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        5,
    ),
    (
        "c9/gv3adv.conf",
        r##"global_defs {
 vrrp_version 3
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
advert_int 0.5
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/ifdot.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
interface eth0.5
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        5,
    ),
    (
        "c9/lsdi9.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
lvs_sync_daemon_interface eth9
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        5,
    ),
    (
        "c9/lvseth9.conf",
        r##"global_defs {
 lvs_sync_daemon eth9 VI_1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/lvsnoinst.conf",
        r##"global_defs {
 lvs_sync_daemon eth0
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/lvsok.conf",
        r##"global_defs {
 lvs_sync_daemon eth0 VI_1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/lvsvi9.conf",
        r##"global_defs {
 lvs_sync_daemon eth0 VI_9
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/nobrace.conf",
        r##"vrrp_instance VI_1
 interface eth0
"##,
        5,
    ),
    (
        "c9/noname.conf",
        r##"vrrp_instance {
 interface eth0
 virtual_router_id 5
}
"##,
        5,
    ),
    (
        "c9/nppd.conf",
        r##"vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
nopreempt
preempt_delay 10
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        5,
    ),
    (
        "c9/scrnobrace.conf",
        r##"vrrp_script
"##,
        2,
    ),
    (
        "c9/scrnoname.conf",
        r##"vrrp_script {
 script /bin/true
}
"##,
        2,
    ),
    (
        "c9/sg2groups.conf",
        r##"vrrp_sync_group G {
 group {
  VI_1 VI_2
 }
}
vrrp_sync_group H {
 group {
  VI_1
  VI_3
 }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52

    virtual_ipaddress {
        10.0.0.52
    }
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53

    virtual_ipaddress {
        10.0.0.53
    }
}
"##,
        5,
    ),
    (
        "c9/sgfam.conf",
        r##"vrrp_sync_group G {
 group {
  VI_1 VI_2
 }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52

    virtual_ipaddress {
        fe80::1
    }
}
"##,
        0,
    ),
    (
        "c9/sgowner.conf",
        r##"vrrp_sync_group G {
 group {
  VI_1 VI_2
 }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
priority 255
    virtual_ipaddress {
        10.0.0.51
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52

    virtual_ipaddress {
        10.0.0.52
    }
}
"##,
        0,
    ),
    (
        "c9/strict.conf",
        r##"global_defs {
 vrrp_strict
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51

    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/strictbk255.conf",
        r##"global_defs {
 vrrp_strict
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
state BACKUP
priority 255
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        5,
    ),
    (
        "c9/strictmaster.conf",
        r##"global_defs {
 vrrp_strict
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
state MASTER
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c9/strictpd.conf",
        r##"global_defs {
 vrrp_strict
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
preempt_delay 10
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        5,
    ),
    (
        "c9/strictuni.conf",
        r##"global_defs {
 vrrp_strict
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
unicast_peer {
 10.0.0.9
}
    virtual_ipaddress {
        10.0.0.51
    }
}
"##,
        0,
    ),
    (
        "c10/a.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress 10.0.0.1
}
"##,
        5,
    ),
    (
        "c10/b.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress { 10.0.0.1 }
}
"##,
        0,
    ),
    (
        "c10/c.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 authentication {
  auth_type PASS
  auth_pass x
  foo
 }
}
"##,
        5,
    ),
    (
        "c10/d.conf",
        r##"vrrp_instance VI_1 {
 interface eth0 extra
 virtual_router_id 51 junk
 virtual_ipaddress {
 10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c10/e.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 priority 50
 priority 60
 virtual_ipaddress {
 10.0.0.1
 }
 virtual_ipaddress {
 10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c10/f.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 }
}
"##,
        5,
    ),
    (
        "c10/g.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 nopreempt on
}
"##,
        0,
    ),
    (
        "c10/h.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 strict_mode maybe
}
"##,
        5,
    ),
    (
        "c10/i.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
 10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "c10/j.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 track_script {
 }
 track_interface {
 }
}
"##,
        0,
    ),
    (
        "c10/k.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 version 3
 advert_int 0.001
}
"##,
        5,
    ),
    (
        "c10/l.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 advert_int 1.5
}
"##,
        5,
    ),
    (
        "c10/m.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 garp_master_delay 1.5
}
"##,
        5,
    ),
    (
        "c10/n.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 preempt_delay 1.5
}
"##,
        0,
    ),
    (
        "c10/o.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 debug 9
}
"##,
        5,
    ),
    (
        "c10/p.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 kernel_rx_buf_size abc
}
"##,
        5,
    ),
    (
        "c10/q.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 smtp_alert maybe
}
"##,
        5,
    ),
    (
        "c11/a.conf",
        r##"global_defs {
 vrrp_vmac_garp_intvl 10
}
"##,
        5,
    ),
    (
        "c11/b.conf",
        r##"linkbeat_use_polling
"##,
        0,
    ),
    (
        "c11/c.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 linkbeat_use_polling
}
"##,
        5,
    ),
    (
        "c11/d.conf",
        r##"global_defs {
 vrrp_garp_extra_if 10 all
}
"##,
        0,
    ),
    (
        "c11/e.conf",
        r##"global_defs {
 checker_rlimit_rtime 5000
}
"##,
        0,
    ),
    (
        "c11/f.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 preempt
}
"##,
        0,
    ),
    (
        "c11/g.conf",
        r##"global_defs {
 vrrp_rx_bufs_policy FOO
}
"##,
        5,
    ),
    (
        "c11/h.conf",
        r##"global_defs {
 dynamic_interfaces foo
}
"##,
        5,
    ),
    (
        "c11/i.conf",
        r##"global_defs {
 lvs_flush_on_stop foo
}
"##,
        5,
    ),
    (
        "c11/j.conf",
        r##"global_defs {
 vrrp_cpu_affinity abc
}
"##,
        5,
    ),
    (
        "c11/k.conf",
        r##"global_defs {
 nftables_ipvs_start_fwmark 0
}
"##,
        5,
    ),
    (
        "c11/l.conf",
        r##"global_defs {
 lvs_timeouts tcp abc
}
"##,
        5,
    ),
    (
        "c11/m.conf",
        r##"global_defs {
 reload_check_config /tmp/x y
}
"##,
        0,
    ),
    (
        "c12/real1.conf",
        r##"global_defs {
   router_id node1
   enable_script_security
   script_user root
   vrrp_skip_check_adv_addr
   vrrp_garp_interval 0.001
   vrrp_gna_interval 0.000001
}
vrrp_script chk_haproxy {
    script "/usr/bin/killall -0 haproxy"
    interval 2
    weight -20
    fall 2
    rise 2
    timeout 5
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 101
    advert_int 1
    nopreempt
    unicast_src_ip 192.168.1.10
    unicast_peer {
        192.168.1.11
        192.168.1.12
    }
    authentication {
        auth_type PASS
        auth_pass s3cr3t
    }
    virtual_ipaddress {
        192.168.1.100/24 dev eth0 label eth0:vip
    }
    track_script {
        chk_haproxy
    }
    notify_master "/etc/keepalived/notify.sh MASTER"
    notify_backup "/etc/keepalived/notify.sh BACKUP"
    notify "/etc/keepalived/notify.sh"
}
"##,
        5,
    ),
    (
        "c12/real2.conf",
        r##"global_defs {
  router_id r2
  vrrp_version 3
  vrrp_strict
}
vrrp_sync_group VG {
  group {
    V4
    V6
  }
}
vrrp_instance V4 {
  state BACKUP
  interface eth1
  virtual_router_id 10
  priority 90
  advert_int 0.5
  virtual_ipaddress {
    10.10.0.1/24
  }
  virtual_ipaddress_excluded {
    10.10.1.1/24
    2001:db8:1::1/64
  }
}
vrrp_instance V6 {
  state BACKUP
  interface eth1
  virtual_router_id 10
  priority 90
  virtual_ipaddress {
    fe80::10/64
    2001:db8::10/64
  }
}
"##,
        0,
    ),
    (
        "c12/real3.conf",
        r##"vrrp_track_process nginx {
  process nginx
  weight 5
  quorum 1
  delay 2
}
track_file maint {
  file /var/run/maint
  weight -50
  init_file 0
}
vrrp_instance VI {
  interface eth2
  virtual_router_id 200
  priority 150
  use_vmac vrrp.200
  vmac_xmit_base
  track_process {
    nginx
  }
  track_file {
    maint weight -100
  }
  track_interface {
    eth3 weight -30
  }
  virtual_ipaddress {
    172.16.0.1/16
  }
  virtual_routes {
    10.0.0.0/8 via 172.16.0.254 dev eth2
  }
  virtual_rules {
    from 172.16.0.0/16 table 100 priority 100
  }
  garp_master_delay 2
  garp_master_refresh 30
  garp_master_refresh_repeat 2
}
"##,
        0,
    ),
    (
        "c12/real4.conf",
        r##"vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 255
    advert_int 3
    virtual_ipaddress {
        10.1.1.1
    }
    track_interface {
        eth1
        eth2
    }
    preempt_delay 10
}
"##,
        5,
    ),
    (
        "c13/after.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 track_script {
  chk
 }
 track_file {
  f
 }
}
vrrp_script chk {
 script /bin/true
}
track_file f {
 file /tmp/f
}
"##,
        5,
    ),
    (
        "c13/sgbefore.conf",
        r##"vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
 10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c13/tgafter.conf",
        r##"static_ipaddress {
 10.1.1.1 dev eth0 track_group T
}
track_group T {
 group {
  VI_1
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c14/a.conf",
        r##"track_file f {
 weight 3
}
"##,
        5,
    ),
    (
        "c14/b.conf",
        r##"interface_up_down_delays {
 eth9 1 2
}
"##,
        4,
    ),
    (
        "c14/c.conf",
        r##"interface_up_down_delays {
 eth0
}
"##,
        0,
    ),
    (
        "c14/d.conf",
        r##"interface_up_down_delays {
 eth0 1 2 3
}
"##,
        0,
    ),
    (
        "c14/e.conf",
        r##"linkbeat_interfaces {
 eth9
}
"##,
        4,
    ),
    (
        "c14/f.conf",
        r##"vrrp_track_process p {
 weight 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 track_process {
  p
 }
}
"##,
        5,
    ),
    (
        "c15/a.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 track_bfd {
  b
 }
}
"##,
        5,
    ),
    (
        "c16/cwt.conf",
        r##"child_wait_time abc
"##,
        5,
    ),
    (
        "c16/gd2.conf",
        r##"global_defs {
}
global_defs {
 router_id x
}
"##,
        0,
    ),
    (
        "c16/inst.conf",
        r##"instance averyveryveryveryveryveryverylonginstancenameaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
"##,
        0,
    ),
    (
        "c16/inst0.conf",
        r##"instance
"##,
        5,
    ),
    (
        "c16/nested.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 use_vmac
 vrrp_instance VI_2
 virtual_ipaddress {
 10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c16/ns.conf",
        r##"net_namespace nosuchns
"##,
        0,
    ),
    (
        "c16/ns2.conf",
        r##"net_namespace a
net_namespace b
"##,
        0,
    ),
    (
        "c16/vmac.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 use_vmac averyverylongvmacname
 virtual_ipaddress {
 10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "c17/s1.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 timeout 0
}
"##,
        5,
    ),
    (
        "c17/s10.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 user
}
"##,
        2,
    ),
    (
        "c17/s11.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 init_fail
}
"##,
        0,
    ),
    (
        "c17/s12.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 script
}
"##,
        0,
    ),
    (
        "c17/s13.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 script /bin/true root
}
"##,
        0,
    ),
    (
        "c17/s14.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 interval 5000
}
"##,
        5,
    ),
    (
        "c17/s2.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 rise 0
}
"##,
        5,
    ),
    (
        "c17/s3.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 fall abc
}
"##,
        5,
    ),
    (
        "c17/s4.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 weight 10 foo
}
"##,
        5,
    ),
    (
        "c17/s5.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 weight
}
"##,
        2,
    ),
    (
        "c17/s6.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 interval 1.5
}
"##,
        5,
    ),
    (
        "c17/s7.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 timeout 1.5
}
"##,
        5,
    ),
    (
        "c17/s8.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 user nobody
}
"##,
        0,
    ),
    (
        "c17/s9.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 user nobody nogroup
}
"##,
        0,
    ),
    (
        "c18/f16.conf",
        r##"track_file f {
 file /tmp/x
 file
}
"##,
        5,
    ),
    (
        "c18/f17.conf",
        r##"track_file f {
 file /tmp/x
 weight 255
}
"##,
        5,
    ),
    (
        "c18/f18.conf",
        r##"track_file f {
 file /tmp/x
 weight -254 reverse
}
"##,
        0,
    ),
    (
        "c18/f19.conf",
        r##"track_file f {
 file /tmp/x
 weight 5 foo
}
"##,
        5,
    ),
    (
        "c18/f20.conf",
        r##"track_file f {
 file /tmp/x
 init_file abc
}
"##,
        5,
    ),
    (
        "c18/f21.conf",
        r##"track_file f {
 file /tmp/x
 init_file 300
}
"##,
        5,
    ),
    (
        "c18/f22.conf",
        r##"track_file f {
 file /tmp/x
 init_file 5 foo
}
"##,
        5,
    ),
    (
        "c18/f23.conf",
        r##"track_file f {
 file /tmp/x
 init_file overwrite
}
"##,
        0,
    ),
    (
        "c18/f24.conf",
        r##"track_file f {
 file /tmp/x
 foo
}
"##,
        5,
    ),
    (
        "c18/p1.conf",
        r##"vrrp_track_process p {
 process nginx
 delay 0
}
"##,
        5,
    ),
    (
        "c18/p10.conf",
        r##"vrrp_track_process p {
 process nginx
 weight -254 reverse
}
"##,
        0,
    ),
    (
        "c18/p11.conf",
        r##"vrrp_track_process p {
 process nginx
 weight 10 noreverse
}
"##,
        5,
    ),
    (
        "c18/p12.conf",
        r##"vrrp_track_process p {
 process nginx
 weight 10 foo
}
"##,
        5,
    ),
    (
        "c18/p13.conf",
        r##"vrrp_track_process p {
 process nginx
 process
}
"##,
        2,
    ),
    (
        "c18/p14.conf",
        r##"vrrp_track_process p {
 process nginx
 full_command on
}
"##,
        0,
    ),
    (
        "c18/p15.conf",
        r##"vrrp_track_process p {
 process nginx
 foo
}
"##,
        5,
    ),
    (
        "c18/p2.conf",
        r##"vrrp_track_process p {
 process nginx
 delay 5000
}
"##,
        5,
    ),
    (
        "c18/p3.conf",
        r##"vrrp_track_process p {
 process nginx
 terminate_delay 0.5
}
"##,
        0,
    ),
    (
        "c18/p4.conf",
        r##"vrrp_track_process p {
 process nginx
 fork_delay abc
}
"##,
        5,
    ),
    (
        "c18/p5.conf",
        r##"vrrp_track_process p {
 process nginx
 quorum 70000
}
"##,
        5,
    ),
    (
        "c18/p6.conf",
        r##"vrrp_track_process p {
 process nginx
 quorum_max 70000
}
"##,
        5,
    ),
    (
        "c18/p7.conf",
        r##"vrrp_track_process p {
 process nginx
 param_match foo
}
"##,
        5,
    ),
    (
        "c18/p8.conf",
        r##"vrrp_track_process p {
 process nginx
 param_match initial
}
"##,
        0,
    ),
    (
        "c18/p9.conf",
        r##"vrrp_track_process p {
 process nginx
 weight 255
}
"##,
        5,
    ),
    (
        "c19/f.conf",
        r##"track_file f {
 file /tmp/x
 weight 10 noreverse
}
"##,
        5,
    ),
    (
        "c19/i.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 track_interface {
  eth1 weight 10 noreverse
 }
}
"##,
        5,
    ),
    (
        "c19/s.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
 weight 10 noreverse
}
"##,
        5,
    ),
    (
        "c20/x1.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 accept off
}
"##,
        0,
    ),
    (
        "c20/x10.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 track_src_ip x
}
"##,
        0,
    ),
    (
        "c20/x11.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 notify_priority_changes off
}
"##,
        0,
    ),
    (
        "c20/x12.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 smtp_alert off
}
"##,
        0,
    ),
    (
        "c20/x13.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 check_unicast_src x
}
"##,
        5,
    ),
    (
        "c20/x14.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_fault_no_peer x
}
"##,
        0,
    ),
    (
        "c20/x15.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 version 2
}
"##,
        0,
    ),
    (
        "c20/x16.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 state master
}
"##,
        5,
    ),
    (
        "c20/x17.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 interface eth0 eth1
}
"##,
        0,
    ),
    (
        "c20/x18.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 garp_master_refresh_repeat 0
}
"##,
        5,
    ),
    (
        "c20/x19.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 garp_master_repeat 0
}
"##,
        5,
    ),
    (
        "c20/x2.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 no_accept on
}
"##,
        0,
    ),
    (
        "c20/x20.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 garp_lower_prio_repeat 0
}
"##,
        0,
    ),
    (
        "c20/x21.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 down_timer_adverts 100
}
"##,
        0,
    ),
    (
        "c20/x22.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 mcast_dst_ip ff02::1
}
"##,
        5,
    ),
    (
        "c20/x23.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 mcast_dst_ip abc
}
"##,
        5,
    ),
    (
        "c20/x3.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 dont_track_primary yes
}
"##,
        0,
    ),
    (
        "c20/x4.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 promote_secondaries 1
}
"##,
        0,
    ),
    (
        "c20/x5.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 use_vmac_addr x
}
"##,
        0,
    ),
    (
        "c20/x6.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 skip_check_adv_addr off
}
"##,
        0,
    ),
    (
        "c20/x7.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 skip_check_adv_addr maybe
}
"##,
        5,
    ),
    (
        "c20/x8.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 lower_prio_no_advert off
}
"##,
        0,
    ),
    (
        "c20/x9.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 higher_prio_send_advert maybe
}
"##,
        5,
    ),
    (
        "c21/u1.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_src_ip 10.0.0.9
 unicast_peer {
  10.0.0.9
 }
}
"##,
        0,
    ),
    (
        "c21/u2.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_peer {
  10.0.0.8
  10.0.0.8
 }
}
"##,
        0,
    ),
    (
        "c21/u3.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_peer {
 }
}
"##,
        5,
    ),
    (
        "c21/u4.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_peer {
  10.0.0.8 min_ttl 300
 }
}
"##,
        5,
    ),
    (
        "c21/u5.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_peer {
  10.0.0.8 min_ttl
 }
}
"##,
        5,
    ),
    (
        "c21/u6.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_peer {
  10.0.0.8 max_ttl 5 min_ttl 10
 }
}
"##,
        5,
    ),
    (
        "c21/u7.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_peer {
  10.0.0.8
 }
 unicast_ttl 300
}
"##,
        5,
    ),
    (
        "c21/u8.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_peer {
  10.0.0.8
 }
 unicast_ttl 64
}
"##,
        0,
    ),
    (
        "c21/u9.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_peer {
  10.0.0.8
 }
 version 3
 authentication {
  auth_type AH
  auth_pass x
 }
}
"##,
        5,
    ),
    (
        "c22/g1.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_script {
  s weight 10
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g10.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 notify_stop /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g11.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 notify_deleted /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        5,
    ),
    (
        "c22/g12.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 smtp_alert off
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g13.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 sync_group_tracking_weight
 track_script {
  s weight 10
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g14.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 global_tracking
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        5,
    ),
    (
        "c22/g15.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_bfd {
  b
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        5,
    ),
    (
        "c22/g16.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 notify_priority_changes
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g2.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_script {
  s
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g3.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_file {
  f
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g4.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_file {
  f weight 0
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g5.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_process {
  p
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g6.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_process {
  p weight 5
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g7.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_interface {
  eth1 weight 5
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g8.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_interface {
  eth1
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c22/g9.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script s {
 script /bin/true
}
track_file f {
 file /tmp/f
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 notify /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.2
 }
}
"##,
        0,
    ),
    (
        "c24/auth.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 authentication {
  auth_type
 }
}
"##,
        2,
    ),
    (
        "c24/g10.conf",
        r##"global_defs {
 notify_fifo
}
"##,
        5,
    ),
    (
        "c24/g11.conf",
        r##"global_defs {
 vrrp_mcast_group4
}
"##,
        2,
    ),
    (
        "c24/g12.conf",
        r##"global_defs {
 startup_script
}
"##,
        5,
    ),
    (
        "c24/g13.conf",
        r##"global_defs {
 vrrp_garp_interval
}
"##,
        2,
    ),
    (
        "c24/g14.conf",
        r##"global_defs {
 max_auto_priority
}
"##,
        0,
    ),
    (
        "c24/g15.conf",
        r##"global_defs {
 vmac_prefix
}
"##,
        2,
    ),
    (
        "c24/g16.conf",
        r##"global_defs {
 config_save_dir
}
"##,
        2,
    ),
    (
        "c24/g17.conf",
        r##"global_defs {
 nftables_priority
}
"##,
        2,
    ),
    (
        "c24/g18.conf",
        r##"global_defs {
 smtp_connect_timeout
}
"##,
        2,
    ),
    (
        "c24/g19.conf",
        r##"global_defs {
 vrrp_garp_master_delay
}
"##,
        2,
    ),
    (
        "c24/g20.conf",
        r##"global_defs {
 umask
}
"##,
        2,
    ),
    (
        "c24/g21.conf",
        r##"global_defs {
 random_seed
}
"##,
        2,
    ),
    (
        "c24/g4.conf",
        r##"global_defs {
 smtp_server
}
"##,
        2,
    ),
    (
        "c24/g5.conf",
        r##"global_defs {
 script_user
}
"##,
        5,
    ),
    (
        "c24/g6.conf",
        r##"global_defs {
 default_interface
}
"##,
        5,
    ),
    (
        "c24/g7.conf",
        r##"global_defs {
 snmp_socket
}
"##,
        5,
    ),
    (
        "c24/g8.conf",
        r##"global_defs {
 smtp_helo_name
}
"##,
        0,
    ),
    (
        "c24/g9.conf",
        r##"global_defs {
 lvs_sync_daemon
}
"##,
        5,
    ),
    (
        "c24/gg.conf",
        r##"garp_group {
 interface
 garp_interval 1
}
"##,
        2,
    ),
    (
        "c24/i22.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 vrf
}
"##,
        2,
    ),
    (
        "c24/i23.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 mcast_src_ip
}
"##,
        2,
    ),
    (
        "c24/i24.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_src_ip
}
"##,
        2,
    ),
    (
        "c24/i25.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 state
}
"##,
        2,
    ),
    (
        "c24/i26.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 advert_int
}
"##,
        2,
    ),
    (
        "c24/i27.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 version
}
"##,
        2,
    ),
    (
        "c24/i28.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 notify_master
}
"##,
        2,
    ),
    (
        "c24/i29.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 garp_master_delay
}
"##,
        2,
    ),
    (
        "c24/i30.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 down_timer_adverts
}
"##,
        2,
    ),
    (
        "c24/i31.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 unicast_ttl
}
"##,
        2,
    ),
    (
        "c24/i32.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 debug
}
"##,
        2,
    ),
    (
        "c24/i33.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 preempt_delay
}
"##,
        2,
    ),
    (
        "c24/i34.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 use_ipvlan
}
"##,
        5,
    ),
    (
        "c24/i35.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 garp_extra_if
}
"##,
        5,
    ),
    (
        "c24/i36.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 kernel_rx_buf_size
}
"##,
        5,
    ),
    (
        "c24/i37.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 lvs_sync_daemon_interface
}
"##,
        2,
    ),
    (
        "c24/i38.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 strict_mode
}
"##,
        0,
    ),
    (
        "c24/i39.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
 10.0.0.1
 }
 mcast_dst_ip
}
"##,
        2,
    ),
    (
        "c24/r1.conf",
        r##"net_namespace
"##,
        5,
    ),
    (
        "c24/r2.conf",
        r##"net_namespace_ipvs
"##,
        0,
    ),
    (
        "c24/r3.conf",
        r##"child_wait_time
"##,
        2,
    ),
    (
        "c24/sg.conf",
        r##"vrrp_sync_group G {
 group {
 VI_1
 }
 notify_master
}
"##,
        2,
    ),
    (
        "c24/tf.conf",
        r##"track_file f {
 file
}
"##,
        5,
    ),
    (
        "c24/tp.conf",
        r##"vrrp_track_process p {
 process nginx
 quorum
}
"##,
        2,
    ),
    (
        "c25/ip11.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_ipaddress_excluded {
  10.0.0.2 scope
 }
}
"##,
        5,
    ),
    (
        "c25/ip12.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_ipaddress_excluded {
  10.0.0.2 label
 }
}
"##,
        5,
    ),
    (
        "c25/ip13.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_ipaddress_excluded {
  10.0.0.2 brd
 }
}
"##,
        5,
    ),
    (
        "c25/ip14.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_ipaddress_excluded {
  10.0.0.2 preferred_lft
 }
}
"##,
        5,
    ),
    (
        "c25/rt1.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev
 }
}
"##,
        2,
    ),
    (
        "c25/rt2.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 via
 }
}
"##,
        2,
    ),
    (
        "c25/rt3.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 table
 }
}
"##,
        2,
    ),
    (
        "c25/rt4.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 metric
 }
}
"##,
        2,
    ),
    (
        "c25/rt5.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 dev eth0 mtu
 }
}
"##,
        2,
    ),
    (
        "c25/rt6.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_routes {
  10.1.0.0/16 src
 }
}
"##,
        2,
    ),
    (
        "c25/ru10.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority 5 fwmark
 }
}
"##,
        2,
    ),
    (
        "c25/ru7.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from
 }
}
"##,
        2,
    ),
    (
        "c25/ru8.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table
 }
}
"##,
        2,
    ),
    (
        "c25/ru9.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_rules {
  from 10.0.0.0/8 table 5 priority
 }
}
"##,
        2,
    ),
    (
        "c25/ts.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 track_script {
  s weight
 }
}
"##,
        5,
    ),
    (
        "c26/sgdup.conf",
        r##"vrrp_sync_group G {
 group {
 VI_1
 }
}
vrrp_sync_group G {
 group {
 VI_1
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }

}
"##,
        5,
    ),
    (
        "c26/sggrp2.conf",
        r##"vrrp_sync_group G {
 group {
 VI_1
 }
 group {
 VI_1
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }

}
"##,
        5,
    ),
    (
        "c26/sgnoname.conf",
        r##"vrrp_sync_group {
 group {
 VI_1
 }
}
"##,
        5,
    ),
    (
        "c26/tgdup.conf",
        r##"track_group T {
 group {
 VI_1
 }
}
track_group T {
 group {
 VI_1
 }
}
"##,
        5,
    ),
    (
        "c26/tgempty.conf",
        r##"track_group T {
}
"##,
        0,
    ),
    (
        "c26/tgemptygrp.conf",
        r##"track_group T {
 group {
 }
}
"##,
        5,
    ),
    (
        "c26/tgnoname.conf",
        r##"track_group {
 group {
 VI_1
 }
}
"##,
        5,
    ),
    (
        "c26/vmac2names.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac vm1 vm2
}
"##,
        5,
    ),
    (
        "c26/vmacbad.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac 02:00:00:00:00:zz
}
"##,
        5,
    ),
    (
        "c26/vmacdup.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac vm1
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac vm1
}
"##,
        5,
    ),
    (
        "c26/vmacexists.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac eth0
}
"##,
        5,
    ),
    (
        "c26/vmacmc.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac 01:00:5e:00:00:01
}
"##,
        5,
    ),
    (
        "c26/vmacrfc.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac 00:00:5e:00:01:05
}
"##,
        5,
    ),
    (
        "c26/vmacshort.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac 02:00:00:00:00
}
"##,
        0,
    ),
    (
        "c26/vmacuni.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac
 unicast_peer {
  10.0.0.2
 }
}
"##,
        5,
    ),
    (
        "c27/gei.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  10.0.0.1
 }
 garp_extra_if
}
"##,
        5,
    ),
    (
        "c27/gg2.conf",
        r##"garp_group {
 garp_interval 1
 interface eth0
}
garp_group {
 garp_interval 2
 interface eth0
}
"##,
        5,
    ),
    (
        "c27/ggbad.conf",
        r##"garp_group {
 garp_interval abc
 interface eth0
}
"##,
        5,
    ),
    (
        "c27/gglarge.conf",
        r##"garp_group {
 garp_interval 5000
 interface eth0
}
"##,
        5,
    ),
    (
        "c27/iflong.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 interface averyveryverylongifname
 virtual_ipaddress {
  10.0.0.1
 }

}
"##,
        5,
    ),
    (
        "c27/ipv2.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  10.0.0.1
 }
 use_ipvlan
 use_ipvlan
}
"##,
        5,
    ),
    (
        "c27/ipvfam.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  10.0.0.1
 }
 use_ipvlan ipv1 fe80::1/64
}
"##,
        5,
    ),
    (
        "c27/mdnm.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  10.0.0.1
 }
 mcast_dst_ip 10.0.0.5
}
"##,
        5,
    ),
    (
        "c27/n6after.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  10.0.0.1
 }
 native_ipv6
}
"##,
        5,
    ),
    (
        "c27/ouc.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  10.0.0.1
 }
 old_unicast_checksum foo
 unicast_peer {
  10.0.0.2
 }
}
"##,
        5,
    ),
    (
        "c27/scr2.conf",
        r##"vrrp_script s {
 script /bin/true
 script /bin/false
}
"##,
        0,
    ),
    (
        "c27/srcbad.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  10.0.0.1
 }
 unicast_src_ip 10.0.0.300
}
"##,
        5,
    ),
    (
        "c27/srcfam.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  10.0.0.1
 }
 mcast_src_ip fe80::1
}
"##,
        5,
    ),
    (
        "c27/state2.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 state MASTER
 state BACKUP
 virtual_ipaddress {
  10.0.0.1
 }

}
"##,
        5,
    ),
    (
        "c27/tf2.conf",
        r##"track_file f {
 file /tmp/a
 file /tmp/b
}
"##,
        5,
    ),
    (
        "c27/tp2.conf",
        r##"vrrp_track_process p {
 process a
 process b
}
"##,
        5,
    ),
    (
        "c27/tpw2.conf",
        r##"vrrp_track_process p {
 process a
 weight 5
 weight 6
}
"##,
        5,
    ),
    (
        "c27/v2v6a.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 version 2
 virtual_ipaddress {
  fe80::1
 }

}
"##,
        0,
    ),
    (
        "c27/v2v6b.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  fe80::1
 }
 version 2
}
"##,
        5,
    ),
    (
        "c27/vrflong.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51

 virtual_ipaddress {
  10.0.0.1
 }
 vrf averyveryverylongvrfname
}
"##,
        5,
    ),
    (
        "c28/g001.conf",
        r##"global_defs {
vrrp_garp_master_delay abc
}
"##,
        5,
    ),
    (
        "c28/g002.conf",
        r##"global_defs {
vrrp_garp_master_refresh -1
}
"##,
        5,
    ),
    (
        "c28/g003.conf",
        r##"global_defs {
vrrp_garp_master_refresh abc
}
"##,
        5,
    ),
    (
        "c28/g004.conf",
        r##"global_defs {
vrrp_garp_lower_prio_delay abc
}
"##,
        5,
    ),
    (
        "c28/g005.conf",
        r##"global_defs {
vrrp_garp_lower_prio_repeat abc
}
"##,
        5,
    ),
    (
        "c28/g006.conf",
        r##"global_defs {
vrrp_down_timer_adverts 0
}
"##,
        5,
    ),
    (
        "c28/g007.conf",
        r##"global_defs {
vrrp_startup_delay abc
}
"##,
        5,
    ),
    (
        "c28/g008.conf",
        r##"global_defs {
vrrp_startup_delay 5000
}
"##,
        5,
    ),
    (
        "c28/g009.conf",
        r##"global_defs {
vrrp_startup_delay 0.5
}
"##,
        0,
    ),
    (
        "c28/g011.conf",
        r##"global_defs {
lvs_sync_daemon eth0 VI_1 maxlen 70000
}
"##,
        5,
    ),
    (
        "c28/g012.conf",
        r##"global_defs {
lvs_sync_daemon eth0 VI_1 port 0
}
"##,
        5,
    ),
    (
        "c28/g013.conf",
        r##"global_defs {
lvs_sync_daemon eth0 VI_1 ttl 0
}
"##,
        5,
    ),
    (
        "c28/g014.conf",
        r##"global_defs {
lvs_sync_daemon eth0 VI_1 group 10.0.0.1
}
"##,
        5,
    ),
    (
        "c28/g015.conf",
        r##"global_defs {
lvs_sync_daemon eth0 VI_1 group 239.0.0.1
}
"##,
        0,
    ),
    (
        "c28/g016.conf",
        r##"global_defs {
lvs_sync_daemon eth0 VI_1 foo
}
"##,
        5,
    ),
    (
        "c28/g017.conf",
        r##"global_defs {
lvs_sync_daemon eth9 VI_1
}
"##,
        0,
    ),
    (
        "c28/g018.conf",
        r##"global_defs {
notify_fifo /tmp/f root root
}
"##,
        0,
    ),
    (
        "c28/g019.conf",
        r##"global_defs {
notify_fifo /tmp/f nosuchuser
}
"##,
        0,
    ),
    (
        "c28/g020.conf",
        r##"global_defs {
vrrp_notify_fifo_script
}
"##,
        5,
    ),
    (
        "c28/g021.conf",
        r##"global_defs {
smtp_server 10.0.0.1 abc
}
"##,
        5,
    ),
    (
        "c28/g022.conf",
        r##"global_defs {
smtp_connect_timeout -5
}
"##,
        5,
    ),
    (
        "c28/g023.conf",
        r##"global_defs {
router_id a b
}
"##,
        0,
    ),
    (
        "c28/g024.conf",
        r##"global_defs {
vrrp_mcast_group4 abc
}
"##,
        5,
    ),
    (
        "c28/g025.conf",
        r##"global_defs {
vrrp_mcast_group6 ff02::12 x
}
"##,
        0,
    ),
    (
        "c28/g026.conf",
        r##"global_defs {
checker_log_all_failures maybe
}
"##,
        5,
    ),
    (
        "c28/g027.conf",
        r##"global_defs {
vrrp_skip_check_adv_addr maybe
}
"##,
        0,
    ),
    (
        "c28/g028.conf",
        r##"global_defs {
v3_checksum_as_v2 maybe
}
"##,
        5,
    ),
    (
        "c28/g029.conf",
        r##"global_defs {
vrrp_min_garp maybe
}
"##,
        5,
    ),
    (
        "c28/g030.conf",
        r##"global_defs {
vrrp_notify_priority_changes x
}
"##,
        5,
    ),
    (
        "c28/g031.conf",
        r##"global_defs {
log_unknown_vrids x
}
"##,
        0,
    ),
    (
        "c28/g032.conf",
        r##"global_defs {
enable_traps x
}
"##,
        0,
    ),
    (
        "c28/g033.conf",
        r##"global_defs {
vrrp_rx_bufs_multiplier 0
}
"##,
        5,
    ),
    (
        "c28/g034.conf",
        r##"global_defs {
vrrp_priority 20
}
"##,
        5,
    ),
    (
        "c28/g035.conf",
        r##"global_defs {
vrrp_rt_priority 0
}
"##,
        5,
    ),
    (
        "c28/g036.conf",
        r##"global_defs {
vrrp_rlimit_rttime 0
}
"##,
        5,
    ),
    (
        "c28/g037.conf",
        r##"global_defs {
vrrp_cpu_affinity
}
"##,
        5,
    ),
    (
        "c28/g038.conf",
        r##"global_defs {
umask 0800
}
"##,
        5,
    ),
    (
        "c28/g039.conf",
        r##"global_defs {
umask 07777
}
"##,
        5,
    ),
    (
        "c28/g040.conf",
        r##"global_defs {
process_names x
}
"##,
        0,
    ),
    (
        "c28/g041.conf",
        r##"global_defs {
max_auto_priority -1
}
"##,
        0,
    ),
    (
        "c28/g042.conf",
        r##"global_defs {
min_auto_priority_delay 0
}
"##,
        5,
    ),
    (
        "c28/g043.conf",
        r##"global_defs {
random_seed abc
}
"##,
        5,
    ),
    (
        "c28/g044.conf",
        r##"global_defs {
reload_repeat x
}
"##,
        0,
    ),
    (
        "c28/g045.conf",
        r##"global_defs {
nftables_counters x
}
"##,
        0,
    ),
    (
        "c28/g046.conf",
        r##"global_defs {
vrrp_iptables INPUT OUTPUT
}
"##,
        5,
    ),
    (
        "c29/uva.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 use_vmac_addr
}
"##,
        0,
    ),
    (
        "c29/xbafter.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 vmac_xmit_base
 use_vmac
}
"##,
        0,
    ),
    (
        "c29/xbipv.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 vmac_xmit_base
 use_ipvlan ipv1 10.0.0.9/24
}
"##,
        5,
    ),
    (
        "c30/a.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  2001:db8::1
 }
 strict_mode
}
"##,
        5,
    ),
    (
        "c30/b.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  2001:db8::1
 }
 version 3
}
"##,
        0,
    ),
    (
        "c30/c.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 strict_mode
 down_timer_adverts 3
}
"##,
        0,
    ),
    (
        "c30/d.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  2001:db8::1
  fe80::1
 }

}
"##,
        0,
    ),
    (
        "c30/e.conf",
        r##"vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  2001:db8::1
 }
 unicast_peer {
  2001:db8::2
 }
}
"##,
        0,
    ),
    (
        "c31/peer.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_track_process p {
 process nginx
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 unicast_peer {
  10.0.0.5
  10.0.0.5
 }
}
"##,
        0,
    ),
    (
        "c31/sgts.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_track_process p {
 process nginx
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_script {
  chk
  chk
 }
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }

}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.1
 }

}
"##,
        5,
    ),
    (
        "c31/ti.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_track_process p {
 process nginx
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 track_interface {
  eth1
 }
 track_interface {
  eth1 weight 3
 }
}
"##,
        5,
    ),
    (
        "c31/tp.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_track_process p {
 process nginx
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 track_process {
  p
  p
 }
}
"##,
        5,
    ),
    (
        "c31/ts.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_track_process p {
 process nginx
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 track_script {
  chk
  chk weight 2
 }
}
"##,
        5,
    ),
    (
        "c31/vipdup.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_track_process p {
 process nginx
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        0,
    ),
    (
        "fz3/f0000.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 state MASTER
 lower_prio_no_advert off
 unicast_src_ip 10.0.0.5
 smtp_alert
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 lower_prio_no_advert off
 dont_track_primary
 smtp_alert
 authentication {
  auth_type AH
  auth_pass 12345
 }
 nopreempt
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0001.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 native_ipv6
 virtual_ipaddress {
  10.0.0.1
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0002.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 skip_check_adv_addr
 virtual_rules {
  from 10.0.0.0/8 table 5
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0003.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 authentication {
  auth_type PASS
  auth_pass 12345
 }
 skip_check_adv_addr
 track_script {
  chk weight 5
 }
 dont_track_primary
 virtual_ipaddress {
  2001:db8::1
  10.0.0.2/24 dev eth1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 state BACKUP
 unicast_peer {
  10.0.0.6
 }
 interface eth9
 advert_int 41
 track_file {
  tf weight 3
 }
}
"##,
        5,
    ),
    (
        "fz3/f0004.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 advert_int 2
 priority 50
 virtual_ipaddress {
  2001:db8::1
 }
}
"##,
        0,
    ),
    (
        "fz3/f0005.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress_excluded {
  10.1.1.1 dev eth2
 }
 virtual_routes {
  10.9.0.0/16 dev eth1
 }
 advert_int 2
}
"##,
        5,
    ),
    (
        "fz3/f0006.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.3 dev eth8
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0008.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 nopreempt
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 use_vmac vm1
}
"##,
        5,
    ),
    (
        "fz3/f0009.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 down_timer_adverts 5
 track_interface {
  eth7
 }
 state BACKUP
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  fe80::1
  2001:db8::1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0010.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 state BACKUP
 track_file {
  tf
 }
 unicast_src_ip 10.0.0.5
 nopreempt
 garp_master_delay 3
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0012.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 mcast_dst_ip 224.0.0.30
 priority 254
}
"##,
        5,
    ),
    (
        "fz3/f0013.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 strict_mode
 unicast_peer {
  10.0.0.6
 }
 track_script {
  chk
 }
 priority 254
}
"##,
        5,
    ),
    (
        "fz3/f0015.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 garp_master_delay 3
 native_ipv6
 advert_int 41
 mcast_dst_ip 224.0.0.30
 mcast_src_ip 10.0.0.7
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0016.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 priority 255
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 skip_check_adv_addr
 priority 100
 state MASTER
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0017.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 advert_int 2
 track_script {
  chk
 }
 advert_int 0.5
 unicast_src_ip 10.0.0.5
 virtual_ipaddress {
  2001:db8::1
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 accept
}
"##,
        5,
    ),
    (
        "fz3/f0018.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 nopreempt
 skip_check_adv_addr
 authentication {
  auth_type AH
  auth_pass 12345
 }
}
"##,
        5,
    ),
    (
        "fz3/f0019.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0020.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 track_interface {
  eth7
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 priority 254
 authentication {
  auth_type PASS
  auth_pass 12345
 }
 down_timer_adverts 5
 virtual_ipaddress {
  fe80::1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0021.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 strict_mode
 priority 255
 track_file {
  tf
 }
 garp_master_delay 3
 virtual_ipaddress {
  10.0.0.3 dev eth8
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 priority 100
 track_file {
  tf
 }
 nopreempt
 virtual_ipaddress {
  fe80::1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0022.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0023.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 track_file {
  tf weight 3
 }
 advert_int 2
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 virtual_ipaddress {
  10.0.0.3 dev eth8
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 track_interface {
  eth7
 }
 skip_check_adv_addr
 dont_track_primary
 preempt_delay 5
 down_timer_adverts 5
 virtual_ipaddress {
  10.0.0.1
  2001:db8::1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0024.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  2001:db8::1
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0025.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 mcast_dst_ip 224.0.0.30
 preempt_delay 5
 smtp_alert
 priority 100
 virtual_ipaddress {
  fe80::1
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0026.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 interface eth9
 authentication {
  auth_type AH
  auth_pass 12345
 }
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0027.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 authentication {
  auth_type AH
  auth_pass 12345
 }
 version 3
 version 2
 preempt_delay 5
 higher_prio_send_advert on
 virtual_ipaddress {
  2001:db8::1
  10.0.0.3 dev eth8
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 unicast_peer {
  10.0.0.6
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0028.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
 vrrp_version 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 down_timer_adverts 5
 unicast_peer {
  10.0.0.6
 }
 no_accept
 track_interface {
  eth1 weight 10
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 authentication {
  auth_type PASS
  auth_pass 12345
 }
 accept
 strict_mode
 virtual_ipaddress {
  fe80::1
  10.0.0.2/24 dev eth1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0029.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 priority 254
 smtp_alert
 state BACKUP
 lower_prio_no_advert off
 virtual_ipaddress {
  10.0.0.1
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0030.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
 vrrp_skip_check_adv_addr
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 vmac_xmit_base
 accept
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0032.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 priority 255
 track_script {
  chk weight 5
 }
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0033.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 priority 254
 virtual_ipaddress {
  2001:db8::1
  10.0.0.3 dev eth8
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 track_interface {
  eth7
 }
 advert_int 2
 unicast_peer {
  10.0.0.6
 }
 priority 50
 virtual_ipaddress {
  2001:db8::1
  10.0.0.1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0034.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 advert_int 41
 version 3
 advert_int 0.02
 virtual_ipaddress {
  fe80::1
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 skip_check_adv_addr
 dont_track_primary
 mcast_src_ip 10.0.0.7
 advert_int 2
 advert_int 41
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0035.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
 vrrp_lower_prio_no_advert
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 priority 254
 garp_master_delay 3
}
"##,
        5,
    ),
    (
        "fz3/f0036.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 track_interface {
  eth1 weight 10
 }
 priority 254
 strict_mode
 garp_master_delay 3
 virtual_ipaddress {
  fe80::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 priority 50
 preempt_delay 5
 use_vmac vm1
 strict_mode
 native_ipv6
 virtual_ipaddress {
  10.0.0.3 dev eth8
  2001:db8::1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0037.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress_excluded {
  10.1.1.1 dev eth2
 }
 garp_lower_prio_repeat 2
 track_script {
  chk weight 5
 }
 track_script {
  chk
 }
 authentication {
  auth_type AH
  auth_pass 12345
 }
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 higher_prio_send_advert on
 advert_int 2
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0039.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
 vrrp_version 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 unicast_src_ip 10.0.0.5
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0040.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 smtp_alert
 down_timer_adverts 5
 virtual_ipaddress {
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 lower_prio_no_advert off
 state BACKUP
 interface eth9
 accept
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 virtual_ipaddress {
  10.0.0.1
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0041.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
 vrrp_skip_check_adv_addr
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 priority 254
 virtual_rules {
  from 10.0.0.0/8 table 5
 }
 advert_int 2
 skip_check_adv_addr
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0042.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 use_vmac
 garp_lower_prio_repeat 2
 priority 50
 higher_prio_send_advert on
 virtual_ipaddress {
  10.0.0.1
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0043.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress_excluded {
  10.1.1.1 dev eth2
 }
 priority 255
 use_vmac vm1
 nopreempt
 virtual_ipaddress {
  fe80::1
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0044.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 preempt_delay 5
 priority 255
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0045.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 no_accept
 priority 254
 higher_prio_send_advert on
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 native_ipv6
 track_file {
  tf weight 3
 }
 authentication {
  auth_type AH
  auth_pass 12345
 }
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0046.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 track_file {
  tf
 }
 interface eth9
 authentication {
  auth_type AH
  auth_pass 12345
 }
 use_vmac
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 track_file {
  tf
 }
 version 3
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0047.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0048.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 use_vmac vm1
 priority 100
 vmac_xmit_base
 authentication {
  auth_type AH
  auth_pass 12345
 }
 priority 255
 virtual_ipaddress {
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 vmac_xmit_base
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0049.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 unicast_peer {
  fe80::6
 }
 unicast_peer {
  10.0.0.6
 }
 garp_master_delay 3
 track_interface {
  eth1 weight 10
 }
 higher_prio_send_advert on
}
"##,
        5,
    ),
    (
        "fz3/f0050.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
 vrrp_strict
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.3 dev eth8
  10.0.0.1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0051.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 track_script {
  chk
 }
 lower_prio_no_advert off
 track_script {
  chk weight 5
 }
 virtual_ipaddress {
  10.0.0.1
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 nopreempt
 authentication {
  auth_type AH
  auth_pass 12345
 }
 nopreempt
 unicast_peer {
  fe80::6
 }
}
"##,
        5,
    ),
    (
        "fz3/f0052.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 authentication {
  auth_type PASS
  auth_pass 12345
 }
 smtp_alert
 track_script {
  chk weight 5
 }
 strict_mode
 virtual_ipaddress {
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_rules {
  from 10.0.0.0/8 table 5
 }
 virtual_ipaddress {
  2001:db8::1
  fe80::1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0053.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 native_ipv6
 state BACKUP
 garp_master_delay 3
 nopreempt
 track_file {
  tf weight 3
 }
 virtual_ipaddress {
  10.0.0.1
  fe80::1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0054.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
 vrrp_lower_prio_no_advert
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 preempt_delay 5
 track_script {
  chk
 }
 skip_check_adv_addr
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0055.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
}
"##,
        5,
    ),
    (
        "fz3/f0056.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 strict_mode
 notify_master /bin/true
 nopreempt
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 state BACKUP
 preempt_delay 5
 accept
 unicast_src_ip 10.0.0.5
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0057.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 track_file {
  tf weight 3
 }
 track_script {
  chk weight 5
 }
 authentication {
  auth_type AH
  auth_pass 12345
 }
 interface eth9
 advert_int 41
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0058.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 priority 254
}
"##,
        5,
    ),
    (
        "fz3/f0059.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 priority 50
 interface eth9
 mcast_src_ip 10.0.0.7
 no_accept
 vmac_xmit_base
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0060.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 dont_track_primary
 virtual_routes {
  10.9.0.0/16 dev eth1
 }
 track_file {
  tf
 }
 accept
 notify_master /bin/true
 virtual_ipaddress {
  2001:db8::1
 }
}
"##,
        0,
    ),
    (
        "fz3/f0061.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 preempt_delay 5
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 garp_lower_prio_repeat 2
 mcast_src_ip 10.0.0.7
}
"##,
        5,
    ),
    (
        "fz3/f0062.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 mcast_dst_ip 224.0.0.30
 accept
 unicast_peer {
  fe80::6
 }
}
"##,
        5,
    ),
    (
        "fz3/f0063.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 native_ipv6
 track_file {
  tf weight 3
 }
 unicast_peer {
  fe80::6
 }
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0064.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 unicast_peer {
  fe80::6
 }
 state BACKUP
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        0,
    ),
    (
        "fz3/f0067.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 vmac_xmit_base
 version 3
 advert_int 0.02
 virtual_ipaddress {
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 priority 255
 state BACKUP
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0068.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 advert_int 0.5
 unicast_peer {
  10.0.0.6
 }
 state BACKUP
 version 2
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 priority 254
 priority 100
 garp_master_delay 3
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0070.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 priority 255
 virtual_routes {
  10.9.0.0/16 dev eth1
 }
 higher_prio_send_advert on
 use_vmac
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0071.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 advert_int 41
 priority 50
 track_file {
  tf
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_rules {
  from 10.0.0.0/8 table 5
 }
 accept
 track_interface {
  eth1 weight 10
 }
 track_script {
  chk weight 5
 }
 strict_mode
 virtual_ipaddress {
  2001:db8::1
  10.0.0.3 dev eth8
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0072.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 unicast_peer {
  fe80::6
 }
 priority 255
 advert_int 0.5
 virtual_routes {
  10.9.0.0/16 dev eth1
 }
 virtual_ipaddress {
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 use_vmac
 accept
 mcast_dst_ip 224.0.0.30
}
"##,
        5,
    ),
    (
        "fz3/f0073.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 priority 50
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 unicast_peer {
  10.0.0.6
 }
 lower_prio_no_advert off
 garp_master_delay 3
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0074.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 garp_master_delay 3
 version 3
 advert_int 0.02
 authentication {
  auth_type AH
  auth_pass 12345
 }
 priority 254
 state MASTER
}
"##,
        5,
    ),
    (
        "fz3/f0075.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0076.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
}
"##,
        5,
    ),
    (
        "fz3/f0077.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 version 3
 lower_prio_no_advert off
}
"##,
        5,
    ),
    (
        "fz3/f0078.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  fe80::1
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 dont_track_primary
 track_interface {
  eth1 weight 10
 }
 virtual_rules {
  from 10.0.0.0/8 table 5
 }
}
"##,
        5,
    ),
    (
        "fz3/f0079.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 track_interface {
  eth7
 }
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0080.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 state MASTER
 version 2
 advert_int 2
 authentication {
  auth_type AH
  auth_pass 12345
 }
 virtual_ipaddress {
  fe80::1
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0081.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 garp_lower_prio_repeat 2
 skip_check_adv_addr
 track_file {
  tf
 }
 virtual_ipaddress {
  fe80::1
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0082.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
 vrrp_garp_interval 0.01
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 strict_mode
 advert_int 2
 virtual_ipaddress {
  10.0.0.3 dev eth8
  10.0.0.2/24 dev eth1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 priority 254
 vmac_xmit_base
 unicast_peer {
  fe80::6
 }
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 unicast_peer {
  10.0.0.6
 }
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0084.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 no_accept
 priority 100
 smtp_alert
 higher_prio_send_advert on
}
"##,
        5,
    ),
    (
        "fz3/f0085.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 track_file {
  tf
 }
 garp_lower_prio_repeat 2
 virtual_ipaddress {
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 priority 254
 version 3
 advert_int 0.02
}
"##,
        5,
    ),
    (
        "fz3/f0086.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
}
"##,
        5,
    ),
    (
        "fz3/f0087.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 track_file {
  tf
 }
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 no_accept
 virtual_rules {
  from 10.0.0.0/8 table 5
 }
 track_script {
  chk
 }
 virtual_ipaddress {
  10.0.0.3 dev eth8
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 lower_prio_no_advert off
}
"##,
        5,
    ),
    (
        "fz3/f0088.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  2001:db8::1
 }
}
"##,
        0,
    ),
    (
        "fz3/f0090.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 native_ipv6
 mcast_dst_ip 224.0.0.30
 track_interface {
  eth7
 }
}
"##,
        5,
    ),
    (
        "fz3/f0091.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_routes {
  10.9.0.0/16 dev eth1
 }
 down_timer_adverts 5
 use_vmac
 track_interface {
  eth7
 }
 accept
 virtual_ipaddress {
  2001:db8::1
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0092.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 use_vmac
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0093.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 track_interface {
  eth1 weight 10
 }
 track_script {
  chk
 }
 down_timer_adverts 5
 advert_int 0.5
 virtual_ipaddress {
  10.0.0.3 dev eth8
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0095.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
 vrrp_skip_check_adv_addr
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  2001:db8::1
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0096.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 priority 100
 vmac_xmit_base
 authentication {
  auth_type AH
  auth_pass 12345
 }
 track_file {
  tf
 }
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0097.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 use_vmac
 virtual_ipaddress {
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 version 2
 vmac_xmit_base
 lower_prio_no_advert off
 track_file {
  tf weight 3
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0099.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 version 3
 virtual_ipaddress {
  fe80::1
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0100.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 higher_prio_send_advert on
 priority 255
 virtual_ipaddress {
  fe80::1
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0101.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 mcast_dst_ip 224.0.0.30
 priority 254
 unicast_peer {
  fe80::6
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 smtp_alert
 mcast_dst_ip 224.0.0.30
 native_ipv6
 track_script {
  chk weight 5
 }
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0102.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 version 2
 track_interface {
  eth7
 }
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 higher_prio_send_advert on
}
"##,
        5,
    ),
    (
        "fz3/f0103.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 lower_prio_no_advert off
 track_file {
  tf weight 3
 }
 accept
 version 2
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0104.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 priority 50
 lower_prio_no_advert off
 virtual_ipaddress {
  fe80::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 advert_int 2
 no_accept
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0105.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 unicast_src_ip 10.0.0.5
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0106.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 advert_int 2
 track_interface {
  eth7
 }
}
"##,
        5,
    ),
    (
        "fz3/f0107.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 mcast_dst_ip 224.0.0.30
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 garp_lower_prio_repeat 2
 virtual_ipaddress {
  10.0.0.3 dev eth8
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0108.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
}
"##,
        5,
    ),
    (
        "fz3/f0109.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 priority 255
 nopreempt
 virtual_ipaddress {
  10.0.0.3 dev eth8
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0110.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 mcast_dst_ip 224.0.0.30
 unicast_peer {
  fe80::6
 }
 version 3
}
"##,
        5,
    ),
    (
        "fz3/f0111.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
 vrrp_lower_prio_no_advert
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 advert_int 0.5
 preempt_delay 5
 state MASTER
 track_file {
  tf weight 3
 }
 nopreempt
 virtual_ipaddress {
  10.0.0.3 dev eth8
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0112.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
 vrrp_lower_prio_no_advert
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 state MASTER
 priority 50
 unicast_peer {
  fe80::6
 }
 version 3
 advert_int 0.02
 track_file {
  tf weight 3
 }
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0113.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 use_vmac
 virtual_rules {
  from 10.0.0.0/8 table 5
 }
 vmac_xmit_base
 state MASTER
 track_script {
  chk weight 5
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 virtual_routes {
  10.9.0.0/16 dev eth1
 }
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0114.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
 vrrp_lower_prio_no_advert
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 state BACKUP
 down_timer_adverts 5
 track_script {
  chk
 }
}
"##,
        5,
    ),
    (
        "fz3/f0115.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 down_timer_adverts 5
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 nopreempt
 track_interface {
  eth1 weight 10
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 garp_lower_prio_repeat 2
 mcast_src_ip 10.0.0.7
 preempt_delay 5
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0116.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 mcast_src_ip 10.0.0.7
 unicast_peer {
  fe80::6
 }
}
"##,
        5,
    ),
    (
        "fz3/f0117.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 state MASTER
 priority 100
 use_vmac vm1
 garp_lower_prio_repeat 2
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0118.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 nopreempt
 skip_check_adv_addr
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 priority 255
 advert_int 2
 version 3
 advert_int 0.02
 accept
 vmac_xmit_base
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0119.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  fe80::1
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0120.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 garp_master_delay 3
 track_script {
  chk
 }
 interface eth9
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 lower_prio_no_advert off
 mcast_dst_ip 224.0.0.30
 virtual_ipaddress {
  fe80::1
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0121.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 vmac_xmit_base
 down_timer_adverts 5
 priority 100
 notify_master /bin/true
 authentication {
  auth_type AH
  auth_pass 12345
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0122.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_routes {
  10.9.0.0/16 dev eth1
 }
 skip_check_adv_addr
 track_script {
  chk
 }
 virtual_ipaddress {
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 native_ipv6
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0123.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 preempt_delay 5
 interface eth9
 virtual_ipaddress_excluded {
  10.1.1.1 dev eth2
 }
 authentication {
  auth_type AH
  auth_pass 12345
 }
 lower_prio_no_advert off
 virtual_ipaddress {
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0124.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 skip_check_adv_addr
 virtual_ipaddress {
  10.0.0.1
  10.0.0.2/24 dev eth1
 }
}
"##,
        0,
    ),
    (
        "fz3/f0125.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 advert_int 0.5
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 version 3
 version 2
}
"##,
        5,
    ),
    (
        "fz3/f0126.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 state BACKUP
 down_timer_adverts 5
 track_script {
  chk
 }
 track_interface {
  eth7
 }
 virtual_ipaddress {
  2001:db8::1
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0127.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 use_vmac
 mcast_dst_ip 224.0.0.30
}
"##,
        5,
    ),
    (
        "fz3/f0128.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 priority 254
 track_interface {
  eth1 weight 10
 }
 vmac_xmit_base
 version 3
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 track_script {
  chk weight 5
 }
 no_accept
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0129.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 unicast_src_ip 10.0.0.5
 priority 100
 dont_track_primary
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0130.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress_excluded {
  10.1.1.1 dev eth2
 }
 authentication {
  auth_type AH
  auth_pass 12345
 }
 use_vmac vm1
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0131.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 track_script {
  chk weight 5
 }
 interface eth9
}
"##,
        5,
    ),
    (
        "fz3/f0132.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 smtp_alert
 unicast_peer {
  fe80::6
 }
}
"##,
        5,
    ),
    (
        "fz3/f0133.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
}
"##,
        5,
    ),
    (
        "fz3/f0134.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 lower_prio_no_advert off
 track_file {
  tf
 }
 track_file {
  tf weight 3
 }
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0136.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 dont_track_primary
 state MASTER
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.1
  2001:db8::1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0137.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
 vrrp_skip_check_adv_addr
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 smtp_alert
 mcast_dst_ip 224.0.0.30
 nopreempt
 preempt_delay 5
 native_ipv6
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 preempt_delay 5
 virtual_ipaddress {
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0138.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
  fe80::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 notify_master /bin/true
 track_interface {
  eth1 weight 10
 }
 virtual_ipaddress_excluded {
  10.1.1.1 dev eth2
 }
 track_interface {
  eth7
 }
 track_file {
  tf weight 3
 }
}
"##,
        5,
    ),
    (
        "fz3/f0139.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 mcast_src_ip 10.0.0.7
 virtual_routes {
  10.9.0.0/16 dev eth1
 }
 advert_int 41
 lower_prio_no_advert off
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 unicast_peer {
  fe80::6
 }
 priority 50
 use_vmac
 native_ipv6
 version 2
 virtual_ipaddress {
  fe80::1
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0140.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 unicast_peer {
  fe80::6
 }
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 track_interface {
  eth1 weight 10
 }
 interface eth9
 virtual_ipaddress {
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0141.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
 vrrp_version 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 priority 100
 priority 254
 garp_master_delay 3
 virtual_ipaddress {
  10.0.0.3 dev eth8
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0142.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.1
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0143.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 skip_check_adv_addr
 unicast_src_ip 10.0.0.5
 state MASTER
 strict_mode
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 version 3
 advert_int 0.02
 skip_check_adv_addr
 advert_int 2
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0144.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 enable_script_security
 script_user root
 vrrp_strict
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 strict_mode
 nopreempt
 virtual_ipaddress {
  10.0.0.3 dev eth8
 }
}
"##,
        5,
    ),
    (
        "fz3/f0145.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
 vrrp_garp_interval 0.01
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 dont_track_primary
 priority 50
 virtual_ipaddress {
  10.0.0.1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0146.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 garp_lower_prio_repeat 2
 nopreempt
 dont_track_primary
 priority 100
 state MASTER
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0147.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 garp_master_delay 3
 virtual_ipaddress {
  2001:db8::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 authentication {
  auth_type AH
  auth_pass 12345
 }
 state BACKUP
 priority 254
 virtual_ipaddress {
  10.0.0.3 dev eth8
  10.0.0.1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0148.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_skip_check_adv_addr
}
vrrp_script chk {
 script /bin/true
 weight -10
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 priority 255
 authentication {
  auth_type AH
  auth_pass 12345
 }
 track_file {
  tf weight 3
 }
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 native_ipv6
}
"##,
        5,
    ),
    (
        "fz3/f0150.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_strict
 vrrp_version 3
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 lower_prio_no_advert off
 native_ipv6
 mcast_src_ip 10.0.0.7
 down_timer_adverts 5
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0151.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_garp_interval 0.01
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 authentication {
  auth_type PASS
  auth_pass 12345
 }
 virtual_ipaddress {
  10.0.0.1
  10.0.0.2/24 dev eth1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 unicast_src_ip 10.0.0.5
 track_interface {
  eth1 weight 10
 }
 virtual_ipaddress {
  2001:db8::1
  10.0.0.3 dev eth8
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0152.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_rules {
  to 10.0.0.0/8 table 5 priority 7
 }
 virtual_ipaddress {
  2001:db8::1
  10.0.0.2/24 dev eth1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 use_vmac
 track_file {
  tf
 }
 down_timer_adverts 5
 unicast_src_ip 10.0.0.5
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0153.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 virtual_ipaddress {
  10.0.0.3 dev eth8
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0154.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_lower_prio_no_advert
}
vrrp_script chk {
 script /bin/true
}
track_file tf {
 file /tmp/tf
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 authentication {
  auth_type PASS
  auth_pass 12345
 }
 unicast_src_ip 10.0.0.5
 mcast_src_ip 10.0.0.7
 vmac_xmit_base
 version 2
 virtual_ipaddress {
  10.0.0.3 dev eth8
  2001:db8::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0155.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_routes {
  10.9.0.0/16 dev eth1
 }
 virtual_routes {
  10.9.0.0/16 via 10.0.0.1
 }
 advert_int 2
 notify_master /bin/true
 virtual_ipaddress {
  fe80::1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 52
 track_script {
  chk weight 5
 }
 nopreempt
 virtual_ipaddress {
  2001:db8::1
  10.0.0.1
 }
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
    (
        "fz3/f0156.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
 weight -10
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 52
 priority 50
 vmac_xmit_base
 down_timer_adverts 5
 dont_track_primary
 virtual_ipaddress {
  fe80::1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0157.conf",
        r##"global_defs {
 enable_script_security
 script_user root
 vrrp_version 3
 vrrp_lower_prio_no_advert
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_ipaddress {
  10.0.0.1
  10.0.0.2/24 dev eth1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 use_vmac
 priority 254
 preempt_delay 5
 accept
 virtual_ipaddress {
  10.0.0.2/24 dev eth1
 }
}
"##,
        5,
    ),
    (
        "fz3/f0159.conf",
        r##"global_defs {
 enable_script_security
 script_user root
}
vrrp_script chk {
 script /bin/true
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 51
 virtual_rules {
  from 10.0.0.0/8 table 5
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 51
 track_script {
  chk weight 5
 }
 priority 50
 higher_prio_send_advert on
 garp_lower_prio_repeat 2
 advert_int 41
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
}
"##,
        5,
    ),
];

#[test]
fn small_configs_exit_like_keepalived() {
    let mut bad = Vec::new();
    for (name, text, want) in CASES {
        let opts = ReadOptions {
            config_id: "vm".to_string(),
            all_config: false,
        };
        let mut d = Diagnostics::new();
        let cfg = load_str(name, text, &opts, &mut d);
        validate(&cfg, &env(), &mut d);
        if d.exit_code() != *want {
            let msgs: Vec<String> = d.errors().map(|e| e.to_string()).collect();
            bad.push(format!(
                "{name}: keepalived {want}, we {}: {msgs:?}",
                d.exit_code()
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        CASES.len(),
        bad.join("\n")
    );
}
