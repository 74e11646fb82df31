//! Build script of the keepalived-rs binary: links it with packed relative relocations
//! (`DT_RELR`) when the toolchain supports them. Run by cargo before compiling the binary.
//!
//! Why: the binary is position-independent and has ~20,000 relative relocations. As
//! `Elf64_Rela` entries they are 480 KB that the dynamic loader reads at every start of
//! every process (the parent and each child exec the binary), and the pages it touches
//! stay resident; packed, they are 6 KB. Needs binutils 2.38+ and glibc 2.36+ (the linker
//! leaves the option out when libc lacks `GLIBC_ABI_DT_RELR`); a toolchain that refuses
//! the option gets the ordinary relocations.

use std::io::Write;
use std::process::{Command, Stdio};

const FLAG: &str = "-Wl,-z,pack-relative-relocs";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // The probe runs the host's `cc`: only meaningful for a native glibc build.
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    if !target.contains("linux-gnu") || target != host {
        return;
    }
    if linker_accepts(FLAG) {
        println!("cargo:rustc-link-arg-bins={FLAG}");
    }
}

/// Whether `cc` links a trivial program with `flag` (rustc links through `cc` here).
fn linker_accepts(flag: &str) -> bool {
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let exe = std::path::Path::new(&out).join("relr-probe");
    let child = Command::new("cc")
        .args(["-x", "c", "-", "-o"])
        .arg(&exe)
        .arg(flag)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        if stdin.write_all(b"int main(void) { return 0; }\n").is_err() {
            return false;
        }
    }
    child.wait().is_ok_and(|s| s.success())
}
