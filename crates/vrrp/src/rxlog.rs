//! keepalived's optional receive-path log lines (`log_unknown_vrids`), in its words so
//! operators' log filters keep working. Called by the VRRP child's receive path
//! (`daemon/rx.rs` `on_socket`).

/// The line keepalived 2.2.7 logs for each advert whose VRID no instance on the receiving
/// socket has, when `log_unknown_vrids` is set (multicast and unicast sockets alike).
pub fn unknown_vrid(vrid: u8, ifname: &str) -> String {
    format!("Unknown VRID({vrid}) received on interface({ifname}). ignoring...")
}

#[cfg(test)]
mod tests {
    #[test]
    fn keepalived_wording() {
        assert_eq!(
            super::unknown_vrid(52, "eth0"),
            "Unknown VRID(52) received on interface(eth0). ignoring..."
        );
    }
}
