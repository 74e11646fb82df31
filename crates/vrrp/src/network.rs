//! VRRP network (being built; see the crate root).
