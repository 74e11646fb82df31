//! The IPVS generic-netlink family on neli (being built).
