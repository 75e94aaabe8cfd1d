//! System information and clocks: `GetSystemInfo`, `GetTickCount`, the performance counter,
//! `GetSystemTimeAsFileTime`, the current process.

use crate::error::WsaError;
use crate::ffi;

/// `SYSTEM_INFO` as Windows x64 lays it out (48 bytes).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SystemInfo {
    pub processor_architecture: u16,
    pub reserved: u16,
    pub page_size: u32,
    pub min_app_address: usize,
    pub max_app_address: usize,
    pub active_processor_mask: usize,
    pub number_of_processors: u32,
    pub processor_type: u32,
    pub allocation_granularity: u32,
    pub processor_level: u16,
    pub processor_revision: u16,
}

const _: () = assert!(std::mem::size_of::<SystemInfo>() == 48);

const PROCESSOR_ARCHITECTURE_AMD64: u16 = 9;
const PROCESSOR_AMD_X8664: u32 = 8664;
/// 100 ns intervals from 1601-01-01 to 1970-01-01.
const EPOCH_1601: u64 = 116_444_736_000_000_000;
/// The performance counter's frequency: 10 MHz, as current Windows reports.
const QPC_FREQUENCY: i64 = 10_000_000;

fn clock_ns(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-parameter for clock_gettime.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// The CPUs this process may run on: (count, mask of the first 64).
fn cpus() -> (u32, usize) {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; sched_getaffinity fills it.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid cpu_set_t of the size passed.
    let r = unsafe { libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) };
    if r != 0 {
        return (1, 1);
    }
    let mut n = 0u32;
    let mut mask = 0usize;
    for i in 0..libc::CPU_SETSIZE as usize {
        // SAFETY: `i` is below CPU_SETSIZE.
        if i < 64 && unsafe { libc::CPU_ISSET(i, &set) } {
            mask |= 1usize << i;
            n += 1;
        }
    }
    // Windows counts the processors of one group (at most 64).
    let n = n.max(1);
    (n, if mask == 0 { 1 } else { mask })
}

/// Windows' processor level (family) and revision (model << 8 | stepping) from CPUID.
fn processor_level_revision() -> (u16, u16) {
    #[cfg(target_arch = "x86_64")]
    {
        // CPUID leaf 1 exists on every x86-64 processor.
        let r = std::arch::x86_64::__cpuid(1);
        let eax = r.eax;
        let stepping = eax & 0xf;
        let base_model = (eax >> 4) & 0xf;
        let base_family = (eax >> 8) & 0xf;
        let ext_model = (eax >> 16) & 0xf;
        let ext_family = (eax >> 20) & 0xff;
        let family = if base_family == 0xf {
            base_family + ext_family
        } else {
            base_family
        };
        let model = if base_family == 0x6 || base_family == 0xf {
            (ext_model << 4) | base_model
        } else {
            base_model
        };
        (family as u16, ((model << 8) | stepping) as u16)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        (0, 0)
    }
}

/// The system's description as Windows x64 gives it.
pub fn system_info() -> SystemInfo {
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let (n, mask) = cpus();
    let (level, revision) = processor_level_revision();
    SystemInfo {
        processor_architecture: PROCESSOR_ARCHITECTURE_AMD64,
        reserved: 0,
        page_size: if page > 0 { page as u32 } else { 4096 },
        min_app_address: 0x10000,
        max_app_address: 0x7fff_fffe_ffff,
        active_processor_mask: mask,
        number_of_processors: n,
        processor_type: PROCESSOR_AMD_X8664,
        allocation_granularity: 65536,
        processor_level: level,
        processor_revision: revision,
    }
}

/// `void GetSystemInfo(LPSYSTEM_INFO)`
#[no_mangle]
pub unsafe extern "C" fn GetSystemInfo(info: *mut SystemInfo) {
    let _t = crate::trace_call!("GetSystemInfo", info);
    ffi::win((), || {
        // SAFETY: caller's pointer, NULL checked by `out`.
        *unsafe { ffi::out(info) }? = system_info();
        Ok(())
    })
}

/// `void GetNativeSystemInfo(LPSYSTEM_INFO)`: the same as `GetSystemInfo` (a 64-bit process
/// on a 64-bit system).
#[no_mangle]
pub unsafe extern "C" fn GetNativeSystemInfo(info: *mut SystemInfo) {
    let _t = crate::trace_call!("GetNativeSystemInfo", info);
    crate::trace::ret(|| {
        // SAFETY: forwarded caller contract.
        unsafe { GetSystemInfo(info) }
    })
}

/// Milliseconds since boot, suspend included (`CLOCK_BOOTTIME`), as Windows' tick count.
fn ticks_ms() -> u64 {
    clock_ns(libc::CLOCK_BOOTTIME) / 1_000_000
}

/// `DWORD GetTickCount(void)`: wraps after 49.7 days.
#[no_mangle]
pub extern "C" fn GetTickCount() -> u32 {
    let _t = crate::trace_call!("GetTickCount");
    ffi::win(0, || Ok(ticks_ms() as u32))
}

/// `ULONGLONG GetTickCount64(void)`
#[no_mangle]
pub extern "C" fn GetTickCount64() -> u64 {
    let _t = crate::trace_call!("GetTickCount64");
    ffi::win(0, || Ok(ticks_ms()))
}

/// `BOOL QueryPerformanceCounter(LARGE_INTEGER *)`: `CLOCK_MONOTONIC` in 100 ns units.
#[no_mangle]
pub unsafe extern "C" fn QueryPerformanceCounter(count: *mut i64) -> i32 {
    let _t = crate::trace_call!("QueryPerformanceCounter", count);
    ffi::win(0, || {
        // SAFETY: caller's pointer, NULL checked by `out`.
        let c = unsafe { ffi::out(count) }.map_err(|_| WsaError::ERROR_NOACCESS)?;
        *c = (clock_ns(libc::CLOCK_MONOTONIC) / 100) as i64;
        Ok(1)
    })
}

/// `BOOL QueryPerformanceFrequency(LARGE_INTEGER *)`: always 10 000 000.
#[no_mangle]
pub unsafe extern "C" fn QueryPerformanceFrequency(freq: *mut i64) -> i32 {
    let _t = crate::trace_call!("QueryPerformanceFrequency", freq);
    ffi::win(0, || {
        // SAFETY: caller's pointer, NULL checked by `out`.
        let f = unsafe { ffi::out(freq) }.map_err(|_| WsaError::ERROR_NOACCESS)?;
        *f = QPC_FREQUENCY;
        Ok(1)
    })
}

/// `FILETIME` as two 32-bit halves.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct FileTime {
    pub low: u32,
    pub high: u32,
}

/// `void GetSystemTimeAsFileTime(LPFILETIME)`: 100 ns units since 1601-01-01 UTC.
#[no_mangle]
pub unsafe extern "C" fn GetSystemTimeAsFileTime(ft: *mut FileTime) {
    let _t = crate::trace_call!("GetSystemTimeAsFileTime", ft);
    ffi::win((), || {
        // SAFETY: caller's pointer, NULL checked by `out`.
        let ft = unsafe { ffi::out(ft) }?;
        let t = clock_ns(libc::CLOCK_REALTIME) / 100 + EPOCH_1601;
        *ft = FileTime {
            low: t as u32,
            high: (t >> 32) as u32,
        };
        Ok(())
    })
}

/// `DWORD GetCurrentProcessId(void)`
#[no_mangle]
pub extern "C" fn GetCurrentProcessId() -> u32 {
    let _t = crate::trace_call!("GetCurrentProcessId");
    // SAFETY: getpid has no preconditions.
    ffi::win(0, || Ok(unsafe { libc::getpid() } as u32))
}

/// `HANDLE GetCurrentProcess(void)`: the pseudo-handle `(HANDLE)-1`, as Windows returns.
#[no_mangle]
pub extern "C" fn GetCurrentProcess() -> usize {
    let _t = crate::trace_call!("GetCurrentProcess");
    ffi::win(usize::MAX, || Ok(usize::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_is_sane() {
        let si = system_info();
        assert_eq!(si.processor_architecture, 9);
        assert!(si.number_of_processors >= 1);
        assert_eq!(
            si.active_processor_mask.count_ones(),
            si.number_of_processors
        );
    }
}
