//! The IPVS test driver run inside the VM by tests/vm/ipvs.sh (booted by tests/vm.rs
//! through scripts/vm/run): each subcommand programs or reads the kernel's IPVS table
//! through this crate and prints `KRS-CHECK <name>: ok|FAIL ...` lines; `list` prints the
//! table in the normalized form the script compares with `ipvsadm -Ln`.

use std::net::IpAddr;
use std::process::ExitCode;

use keepalived_ipvs::uapi::svc_flags;
use keepalived_ipvs::{
    plan, Dest, Family, Forward, Ipvs, IpvsError, Others, Protocol, Service, ServiceKey, Timeouts,
    TunnelType, VirtualService,
};

fn ip(s: &str) -> IpAddr {
    s.parse().expect("literal address")
}

fn web() -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: ip("192.0.2.10"),
        port: 80,
    }
}

/// The table `setup` creates: the TCP/wlc service with two NAT dests of the brief, plus a
/// persistent UDP service, an SCTP service, a fwmark service with DR, and IPv6 with GUE.
fn desired() -> Vec<VirtualService> {
    let mut dns = Service::new(
        ServiceKey::Addr {
            protocol: Protocol::Udp,
            addr: ip("192.0.2.10"),
            port: 53,
        },
        "rr",
    );
    dns.flags = svc_flags::PERSISTENT;
    dns.timeout = 300;
    dns.netmask = 0xffff_ff00;
    let mut v6 = Service::new(
        ServiceKey::Addr {
            protocol: Protocol::Tcp,
            addr: ip("2001:db8::10"),
            port: 443,
        },
        "sh",
    );
    v6.flags = svc_flags::SCHED1 | svc_flags::SCHED2;
    vec![
        VirtualService {
            service: Service::new(web(), "wlc"),
            dests: vec![
                Dest::new(ip("198.51.100.2"), 80, Forward::Masq, 1),
                Dest::new(ip("198.51.100.3"), 80, Forward::Masq, 2),
            ],
        },
        VirtualService {
            service: dns,
            dests: vec![Dest {
                u_threshold: 100,
                l_threshold: 10,
                ..Dest::new(ip("198.51.100.4"), 53, Forward::DirectRoute, 3)
            }],
        },
        VirtualService {
            service: Service::new(
                ServiceKey::Addr {
                    protocol: Protocol::Sctp,
                    addr: ip("192.0.2.11"),
                    port: 3868,
                },
                "lc",
            ),
            dests: vec![Dest::new(ip("198.51.100.5"), 3868, Forward::Masq, 1)],
        },
        VirtualService {
            service: Service::new(
                ServiceKey::Fwmark {
                    family: Family::V4,
                    mark: 7,
                },
                "wrr",
            ),
            dests: vec![Dest::new(ip("198.51.100.6"), 0, Forward::DirectRoute, 4)],
        },
        VirtualService {
            service: v6,
            dests: vec![Dest::new(
                ip("2001:db8::2"),
                443,
                Forward::Tunnel {
                    kind: TunnelType::Gue,
                    port: 6080,
                    flags: 1,
                },
                1,
            )],
        },
    ]
}

struct Checks {
    failed: u32,
}

impl Checks {
    fn check(&mut self, name: &str, ok: bool, detail: impl std::fmt::Debug) {
        if ok {
            println!("KRS-CHECK {name}: ok");
        } else {
            self.failed += 1;
            println!("KRS-CHECK {name}: FAIL {detail:?}");
        }
    }
}

fn sorted(mut t: Vec<VirtualService>) -> Vec<VirtualService> {
    t.sort_by_key(|v| v.service.key);
    for v in &mut t {
        v.dests.sort_by_key(|d| d.key());
    }
    t
}

fn fmt_addr(addr: &IpAddr, port: u16) -> String {
    match addr {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}

/// One line per service (`PROTO ADDR:PORT SCHED`) and per dest (`-> ADDR:PORT FWD WEIGHT`),
/// the fields ipvsadm -Ln prints first.
fn print_table(t: &[VirtualService]) {
    for v in t {
        let s = &v.service;
        match s.key {
            ServiceKey::Addr {
                protocol,
                addr,
                port,
            } => {
                let p = match protocol {
                    Protocol::Tcp => "TCP",
                    Protocol::Udp => "UDP",
                    Protocol::Sctp => "SCTP",
                };
                println!("KRS-TABLE {p} {} {}", fmt_addr(&addr, port), s.scheduler);
            }
            ServiceKey::Fwmark { mark, .. } => {
                println!("KRS-TABLE FWM {mark} {}", s.scheduler)
            }
        }
        for d in &v.dests {
            let fwd = match d.forward {
                Forward::Masq => "Masq",
                Forward::DirectRoute => "Route",
                Forward::Tunnel { .. } => "Tunnel",
                Forward::LocalNode => "Local",
                Forward::Bypass => "Bypass",
            };
            println!(
                "KRS-TABLE -> {} {fwd} {}",
                fmt_addr(&d.addr, d.port),
                d.weight
            );
        }
    }
}

fn run(cmd: &str) -> Result<u32, IpvsError> {
    let mut c = Checks { failed: 0 };
    if cmd == "noipvs" {
        let r = Ipvs::connect();
        let msg = r.as_ref().err().map(|e| e.to_string()).unwrap_or_default();
        println!("KRS-NOIPVS {msg}");
        c.check(
            "no-ipvs-error",
            matches!(r, Err(IpvsError::NoIpvs))
                && msg == "the kernel has no IPVS (module ip_vs not loaded?)",
            msg,
        );
        return Ok(c.failed);
    }
    let mut ipvs = Ipvs::connect()?;
    match cmd {
        "setup" => {
            let info = ipvs.info()?;
            println!("KRS-INFO version {}", info.version_string());
            c.check("info", info.version >= 0x010200, info);
            ipvs.flush()?;
            c.check("flushed", ipvs.services()?.is_empty(), ());
            let want = desired();
            let ops = plan(&want, &[], Others::Keep);
            for op in &ops {
                ipvs.apply(op)?;
            }
            let got = ipvs.table()?;
            c.check(
                "table-matches-desired",
                sorted(got.clone()) == sorted(want.clone()),
                (&got, &want),
            );
            let again = plan(&want, &got, Others::Delete);
            c.check("reconcile-is-a-no-op", again.is_empty(), again);
            let one = ipvs.service(&web())?;
            c.check(
                "get-one-service",
                one.as_ref() == Some(&want[0].service),
                one,
            );
            let none = ipvs.service(&ServiceKey::Fwmark {
                family: Family::V4,
                mark: 999,
            })?;
            c.check("get-missing-service-is-none", none.is_none(), none);
            ipvs.zero()?;
            let dup = ipvs.add_service(&want[0].service);
            c.check(
                "duplicate-add-is-eexist",
                dup.as_ref().err().and_then(IpvsError::errno) == Some(17),
                dup.map_err(|e| e.to_string()),
            );
            let t = Timeouts {
                tcp: 900,
                tcp_fin: 120,
                udp: 300,
            };
            ipvs.set_timeouts(&t)?;
            let back = ipvs.timeouts()?;
            c.check("timeouts", back == t, back);
        }
        "list" => print_table(&sorted(ipvs.table()?)),
        "edit" => {
            let mut want = desired();
            want[0].dests[1].weight = 5;
            let ops = plan(&want, &ipvs.table()?, Others::Keep);
            c.check("edit-plan-is-one-op", ops.len() == 1, &ops);
            for op in &ops {
                ipvs.apply(op)?;
            }
            let d = ipvs.dests(&web())?;
            let w: Vec<u32> = d.iter().map(|e| e.dest.weight).collect();
            c.check("weight-edited", w.contains(&5) && w.contains(&1), w);
        }
        "delete" => {
            ipvs.del_dest(
                &web(),
                &Dest::new(ip("198.51.100.2"), 80, Forward::Masq, 0).key(),
            )?;
            let d = ipvs.dests(&web())?;
            c.check(
                "dest-deleted",
                d.len() == 1 && d[0].dest.addr == ip("198.51.100.3"),
                d,
            );
            let gone = ipvs.del_dest(
                &web(),
                &Dest::new(ip("198.51.100.2"), 80, Forward::Masq, 0).key(),
            );
            c.check(
                "deleting-again-fails",
                gone.is_err(),
                gone.map_err(|e| e.to_string()),
            );
        }
        "cleanup" => {
            for v in desired().iter().skip(1) {
                ipvs.del_service(&v.service.key)?;
            }
            // Left: the web service and the one ipvsadm added (not ours to delete).
            let left = ipvs.services()?;
            c.check(
                "services-deleted",
                left.len() == 2 && left.iter().any(|s| s.key == web()),
                left,
            );
            ipvs.flush()?;
            c.check("flush-empties", ipvs.services()?.is_empty(), ());
        }
        "fromconfig" => {
            // fromconfig PATH: the table keepalived would set up for PATH (every real
            // server up), through the config conversion and the planner.
            let path = std::env::args().nth(2).unwrap_or_default();
            let mut d = keepalived_config::Diagnostics::default();
            let cfg = keepalived_config::load(
                std::path::Path::new(&path),
                &keepalived_config::ReadOptions::default(),
                &mut d,
            );
            let mut want = Vec::new();
            for vs in &cfg.check.virtual_servers {
                let dests: Vec<Dest> = vs
                    .real_servers
                    .iter()
                    .map(|rs| keepalived_ipvs::config::real_server_dest(vs, rs))
                    .collect();
                match keepalived_ipvs::config::services(&cfg.check, vs) {
                    Ok(services) => {
                        want.extend(services.into_iter().map(|service| VirtualService {
                            service,
                            dests: dests.clone(),
                        }))
                    }
                    Err(e) => c.check("config-converts", false, e.to_string()),
                }
            }
            let ops = plan(&want, &ipvs.table()?, Others::Delete);
            println!("KRS-OPS {}", ops.len());
            for op in &ops {
                ipvs.apply(op)?;
            }
            let got = ipvs.table()?;
            c.check("fromconfig-table", sorted(got.clone()) == sorted(want), got);
        }
        "localnode" => {
            // A NAT dest on one of our own addresses: Linux 6.1 keeps and reports the
            // method we set (older kernels switched it to LocalNode), so reconciling
            // changes nothing.
            let key = ServiceKey::Addr {
                protocol: Protocol::Tcp,
                addr: ip("192.0.2.10"),
                port: 81,
            };
            let want = vec![VirtualService {
                service: Service::new(key, "rr"),
                dests: vec![Dest::new(ip("192.0.2.1"), 81, Forward::Masq, 1)],
            }];
            for op in plan(&want, &[], Others::Keep) {
                ipvs.apply(&op)?;
            }
            let d = ipvs.dests(&key)?;
            println!("KRS-LOCALNODE {d:?}");
            c.check(
                "local-dest-reads-back-as-set",
                d.len() == 1 && d[0].dest.forward == Forward::Masq,
                &d,
            );
            let again = plan(&want, &ipvs.table()?, Others::Keep);
            c.check("local-node-plan-is-no-op", again.is_empty(), again);
            ipvs.del_service(&key)?;
        }
        "many" => {
            // Enough services and dests that the dumps span many datagrams.
            let n: u16 = 300;
            let want: Vec<VirtualService> = (0..n)
                .map(|i| VirtualService {
                    service: Service::new(
                        ServiceKey::Addr {
                            protocol: Protocol::Tcp,
                            addr: ip("192.0.2.20"),
                            port: 10000 + i,
                        },
                        "rr",
                    ),
                    dests: vec![Dest::new(ip("198.51.100.20"), 10000 + i, Forward::Masq, 1)],
                })
                .collect();
            ipvs.flush()?;
            for op in plan(&want, &[], Others::Keep) {
                ipvs.apply(&op)?;
            }
            let got = ipvs.table()?;
            c.check("many-listed", got.len() == usize::from(n), got.len());
            c.check(
                "many-reconcile-is-a-no-op",
                plan(&want, &got, Others::Delete).is_empty(),
                (),
            );
            ipvs.flush()?;
        }
        "nat" => {
            // nat W1 W2 N: the NAT service with real servers .2 and .6 at weights W1/W2
            // ("-" = absent), reached through the minimal plan, which must have N ops.
            let args: Vec<String> = std::env::args().skip(2).collect();
            let weight = |i: usize| args.get(i).and_then(|w| w.parse::<u32>().ok());
            let expected_ops = weight(2);
            let mut dests = Vec::new();
            for (i, a) in ["198.51.100.2", "198.51.100.6"].iter().enumerate() {
                if let Some(w) = weight(i) {
                    dests.push(Dest::new(ip(a), 80, Forward::Masq, w));
                }
            }
            let want = vec![VirtualService {
                service: Service::new(web(), "wlc"),
                dests,
            }];
            let ops = plan(&want, &ipvs.table()?, Others::Delete);
            println!("KRS-OPS {ops:?}");
            c.check(
                "nat-plan-size",
                expected_ops.is_none_or(|n| n as usize == ops.len()),
                (&ops, expected_ops),
            );
            for op in &ops {
                ipvs.apply(op)?;
            }
            let got = ipvs.table()?;
            c.check(
                "nat-table",
                sorted(got.clone()) == sorted(want.clone()),
                got,
            );
        }
        other => {
            eprintln!("ipvs_vm_check: unknown subcommand {other}");
            return Ok(1);
        }
    }
    Ok(c.failed)
}

fn main() -> ExitCode {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    match run(&cmd) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(n) => {
            println!("KRS-CHECK {cmd}: {n} check(s) failed");
            ExitCode::FAILURE
        }
        Err(e) => {
            println!("KRS-CHECK {cmd}: FAIL error: {e}");
            ExitCode::FAILURE
        }
    }
}
