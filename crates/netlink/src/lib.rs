//! rtnetlink on neli: links, addresses, routes, rules, the monitor (being built).
