//! Handing unused memory back to the kernel: `trim_heap` is called by the supervisor's parent
//! when a startup or reload is complete and by the checker child after it installs a
//! configuration, `discard_pages` by keepalived-ipc after a large
//! message was received into its buffer.

use std::io;

/// Gives the heap's free pages back to the kernel (glibc `malloc_trim(0)`): parsing a large
/// configuration leaves megabytes of freed but still resident heap behind (2 MB for 1,000
/// VRRP instances).
pub fn trim_heap() {
    // SAFETY: malloc_trim takes no pointers and only walks the allocator's own state under
    // its locks; any thread may call it at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Gives the pages lying wholly inside `buf` back to the kernel (`MADV_DONTNEED`): they stay
/// mapped and read as zeros, and cost no memory until written again. For a long-lived
/// buffer that one large message touched (a 1,000-instance configuration is megabytes).
pub fn discard_pages(buf: &mut [u8]) -> io::Result<()> {
    // SAFETY: sysconf has no memory effects.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let page = usize::try_from(page)
        .ok()
        .filter(|p| p.is_power_of_two())
        .unwrap_or(4096);
    let start = buf.as_mut_ptr() as usize;
    let first = start.div_ceil(page) * page;
    let end = (start + buf.len()) / page * page;
    if end <= first {
        return Ok(());
    }
    // SAFETY: [first, end) lies inside `buf`, which we hold mutably, so nothing reads or
    // writes it while the kernel swaps its pages for zero-fill ones; the range stays mapped
    // and valid, and every byte pattern (zeros included) is a valid `u8`.
    let r = unsafe { libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_DONTNEED) };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discarded_pages_read_back_as_zeros_and_the_edges_are_kept() {
        let mut buf = vec![7u8; 64 * 1024];
        discard_pages(&mut buf[1..]).unwrap();
        // Byte 0 is outside the range; the last byte sits in a partial page unless the
        // allocation happens to end on a page boundary, so only whole pages are zeroed.
        assert_eq!(buf[0], 7);
        let zeros = buf.iter().filter(|&&b| b == 0).count();
        assert!(
            zeros >= 64 * 1024 - 2 * 4096,
            "only {zeros} bytes discarded"
        );
        assert!(buf.iter().all(|&b| b == 0 || b == 7));
        trim_heap();
    }
}
