//! The real servers of the checker benchmark (scripts/bench/checkers runs it inside the VM
//! and on the host): one listening socket per real server (address 198.51.100.(1 + i /
//! PORTS), port FIRST_PORT + i % PORTS, as the script's config), accepts and closes every
//! connection, and records when each real server was connected to. After a warm-up
//! it measures a window and prints one `KRS-BENCH` line: how many checks arrived, how
//! evenly they were spread over time and how late each server's check came against its
//! `delay_loop`. Measuring at the listeners makes the figures the same for any checker.
//! It then goes on accepting (unmeasured) until killed.
//!
//! Usage: bench_listener FIRST_PORT PORTS WARM_S WINDOW_S DELAY_LOOP_MS EXPECTED LABEL

use std::collections::HashMap;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::{Duration, Instant};

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};
use socket2::{Domain, Socket, Type};

fn listener(ip: Ipv4Addr, port: u16) -> std::io::Result<TcpListener> {
    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    s.set_reuse_address(true)?;
    s.set_nonblocking(true)?;
    s.bind(&SocketAddr::V4(SocketAddrV4::new(ip, port)).into())?;
    // Bursts of thousands of connects must not overflow the accept queue.
    s.listen(1024)?;
    Ok(TcpListener::from_std(s.into()))
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num = |i: usize| -> u64 {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| {
                eprintln!("usage: bench_listener FIRST_PORT PORTS WARM_S WINDOW_S DELAY_LOOP_MS EXPECTED LABEL");
                std::process::exit(2)
            })
    };
    let (first, ports) = (num(1) as u16, num(2) as u16);
    let (warm, window) = (Duration::from_secs(num(3)), Duration::from_secs(num(4)));
    let delay_loop_ms = num(5) as f64;
    let expected = num(6) as usize;
    let label = args.get(7).cloned().unwrap_or_else(|| "run".into());

    let mut poll = Poll::new().expect("create the poller");
    // One socket per real server: the token names the server, so an arrival costs an
    // accept and a close (no getsockname), which keeps the listener ahead of the checker.
    let mut ls = Vec::new();
    let mut names = Vec::new();
    for i in 0..expected {
        let Ok(host) = u8::try_from(1 + i / usize::from(ports)) else {
            eprintln!(
                "bench_listener: at most {} real servers",
                254 * usize::from(ports)
            );
            std::process::exit(2)
        };
        let ip = Ipv4Addr::new(198, 51, 100, host);
        let port = first + (i % usize::from(ports)) as u16;
        let mut l = listener(ip, port).unwrap_or_else(|e| {
            eprintln!("bench_listener: listen on {ip}:{port}: {e}");
            std::process::exit(1)
        });
        poll.registry()
            .register(&mut l, Token(i), Interest::READABLE)
            .expect("register a listener");
        ls.push(l);
        names.push(SocketAddr::V4(SocketAddrV4::new(ip, port)));
    }
    println!("KRS-BENCH-LISTENING {label} {expected} servers, ports {first}+{ports}");

    let t0 = Instant::now();
    let (w0, w1) = (t0 + warm, t0 + warm + window);
    // Arrival times in ms since the window's start, per server, inside the window.
    let mut seen: HashMap<SocketAddr, Vec<f64>> = HashMap::new();
    let mut total_before = 0u64;
    let mut accept_errors = 0u64;
    let mut events = Events::with_capacity(1024);
    loop {
        let now = Instant::now();
        if now >= w1 {
            break;
        }
        if let Err(e) = poll.poll(&mut events, Some(w1 - now)) {
            if e.kind() != ErrorKind::Interrupted {
                eprintln!("bench_listener: poll: {e}");
                std::process::exit(1);
            }
        }
        for ev in events.iter() {
            let (Some(l), Some(&local)) = (ls.get(ev.token().0), names.get(ev.token().0)) else {
                continue;
            };
            loop {
                match l.accept() {
                    Ok((s, _peer)) => {
                        let at = Instant::now();
                        drop(s);
                        if at < w0 {
                            total_before += 1;
                        } else if at < w1 {
                            let ms = (at - w0).as_secs_f64() * 1000.0;
                            seen.entry(local).or_default().push(ms);
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(_) => {
                        accept_errors += 1;
                        break;
                    }
                }
            }
        }
    }

    let window_ms = window.as_secs_f64() * 1000.0;
    let arrivals: usize = seen.values().map(Vec::len).sum();
    // Lateness: how much later than delay_loop each check came after the previous one of
    // the same server.
    let mut late: Vec<f64> = seen
        .values()
        .flat_map(|v| v.windows(2).map(|w| w[1] - w[0] - delay_loop_ms))
        .collect();
    late.sort_by(f64::total_cmp);
    let mut per_server: Vec<f64> = seen
        .values()
        .map(|v| v.len() as f64 / window.as_secs_f64())
        .collect();
    per_server.sort_by(f64::total_cmp);
    // Evenness: arrivals per 100 ms bucket over the window.
    let nb = (window_ms / 100.0).ceil().max(1.0) as usize;
    let mut buckets = vec![0u64; nb];
    for v in seen.values() {
        for &ms in v {
            if let Some(b) = buckets.get_mut(((ms / 100.0) as usize).min(nb - 1)) {
                *b += 1;
            }
        }
    }
    let mean = arrivals as f64 / nb as f64;
    let var = buckets
        .iter()
        .map(|&b| (b as f64 - mean).powi(2))
        .sum::<f64>()
        / nb as f64;
    let cv = if mean > 0.0 {
        var.sqrt() / mean
    } else {
        f64::NAN
    };
    let bmax = buckets.iter().copied().max().unwrap_or(0);
    let bmin = buckets.iter().copied().min().unwrap_or(0);
    println!(
        "KRS-BENCH {label} arrivals={arrivals} rate={:.1} servers_seen={} expected={expected} \
         per_server_rate_min={:.2} per_server_rate_p50={:.2} \
         late_p50_ms={:.1} late_p99_ms={:.1} late_max_ms={:.1} \
         bucket100_mean={mean:.1} bucket100_min={bmin} bucket100_max={bmax} bucket100_cv={cv:.3} \
         before_window={total_before} accept_errors={accept_errors}",
        arrivals as f64 / window.as_secs_f64(),
        seen.len(),
        pct(&per_server, 0.0),
        pct(&per_server, 0.5),
        pct(&late, 0.5),
        pct(&late, 0.99),
        late.last().copied().unwrap_or(f64::NAN),
    );
    // Keep the servers up (not measured) until killed, so the checker under test sees no
    // failures while it is being stopped.
    loop {
        if poll.poll(&mut events, None).is_err() {
            continue;
        }
        for ev in events.iter() {
            let Some(l) = ls.get(ev.token().0) else {
                continue;
            };
            while let Ok((s, _)) = l.accept() {
                drop(s);
            }
        }
    }
}
