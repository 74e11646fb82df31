//! keepalived-rs: the one binary. Parses the command line and dispatches by role.

fn main() {
    std::process::exit(0);
}
