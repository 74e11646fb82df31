//! `kernel_rx_buf_size`: the receive buffer of each shared VRRP socket, as keepalived sizes
//! it (`vrrp_create_sockpool`: the sum of the `kernel_rx_buf_size` of the instances that
//! share the socket). Called by the VRRP child (`daemon/load.rs` `load`) once every instance has
//! its socket; sockets without such an instance keep the socket adapter's default.

use std::collections::BTreeMap;
use std::os::fd::AsFd;

use nix::sys::socket::{setsockopt, sockopt};

/// The buffer to ask for per socket index, from each instance's (socket index,
/// `kernel_rx_buf_size`); 0 means unset, as in keepalived.
pub fn socket_sizes(instances: &[(usize, Option<u64>)]) -> BTreeMap<usize, usize> {
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for &(sock, size) in instances {
        if let Some(n) = size.filter(|&n| n > 0) {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            let e = sizes.entry(sock).or_default();
            *e = e.saturating_add(n);
        }
    }
    sizes
}

/// SO_RCVBUF, as keepalived sets it (so capped at `net.core.rmem_max`, unlike the
/// adapter's default which forces past it); the kernel doubles the value for its
/// bookkeeping.
pub fn apply(sock: &impl AsFd, bytes: usize) -> nix::Result<()> {
    setsockopt(sock, sockopt::RcvBuf, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_add_up_per_socket_and_zero_is_unset() {
        let s = socket_sizes(&[
            (0, Some(100_000)),
            (0, Some(50_000)),
            (0, None),
            (1, Some(0)),
            (2, Some(4096)),
        ]);
        assert_eq!(s.into_iter().collect::<Vec<_>>(), [(0, 150_000), (2, 4096)]);
    }

    #[test]
    fn apply_sets_the_buffer_the_kernel_reports() {
        // Below net.core.rmem_max, so SO_RCVBUF works unprivileged too; the kernel
        // reports twice the value asked for.
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        apply(&s, 50_000).unwrap();
        assert_eq!(
            nix::sys::socket::getsockopt(&s, sockopt::RcvBuf).unwrap(),
            100_000
        );
    }
}
