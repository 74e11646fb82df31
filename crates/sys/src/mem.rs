//! Giving freed heap back to the kernel (glibc `malloc_trim`). Called by the checker child
//! after it installs a configuration: decoding a large config and building the checkers
//! peak far above what stays in use, and glibc keeps that peak resident otherwise.

/// Returns free heap memory to the kernel; true if some was released.
pub fn release_free_heap() -> bool {
    // SAFETY: malloc_trim only walks glibc's own arenas under their locks; it takes no
    // pointers from us and is safe to call at any time from any thread.
    unsafe { libc::malloc_trim(0) == 1 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn trimming_after_a_large_free_does_not_break_the_heap() {
        let big: Vec<Vec<u8>> = (0..1000).map(|_| vec![1u8; 10_000]).collect();
        drop(big);
        let _ = super::release_free_heap();
        let again = vec![2u8; 100_000];
        assert_eq!(again.iter().map(|&b| u64::from(b)).sum::<u64>(), 200_000);
    }
}
