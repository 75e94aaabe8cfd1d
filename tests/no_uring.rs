//! Without io_uring, `WSAStartup` fails with `WSASYSNOTREADY` and says why in one stderr line,
//! once per process. A forked child (which has not started Winsock) denies itself the
//! io_uring system calls with a seccomp filter, then calls `WSAStartup` twice.

mod common;

use common::*;

const SYS_IO_URING_SETUP: u32 = 425;
const SYS_IO_URING_REGISTER: u32 = 427;
const AUDIT_ARCH_X86_64: u32 = 0xC000_003E;
const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;
const SECCOMP_RET_ERRNO: u32 = 0x0005_0000;
const SECCOMP_MODE_FILTER: libc::c_ulong = 2;

// Classic BPF opcodes.
const BPF_LD_W_ABS: u16 = 0x20;
const BPF_JEQ_K: u16 = 0x15;
const BPF_RET_K: u16 = 0x06;

#[repr(C)]
struct SockFilter {
    code: u16,
    jt: u8,
    jf: u8,
    k: u32,
}

#[repr(C)]
struct SockFprog {
    len: u16,
    filter: *const SockFilter,
}

/// Make system call `nr` fail with ENOSYS in this process (x86_64 only; other
/// architectures' calls pass).
fn deny(nr: u32) -> Result<(), String> {
    let f = |code, jt, jf, k| SockFilter { code, jt, jf, k };
    let prog = [
        f(BPF_LD_W_ABS, 0, 0, 4),              // seccomp_data.arch
        f(BPF_JEQ_K, 0, 3, AUDIT_ARCH_X86_64), // not x86_64: allow
        f(BPF_LD_W_ABS, 0, 0, 0),              // seccomp_data.nr
        f(BPF_JEQ_K, 0, 1, nr),                // not ours: allow
        f(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | libc::ENOSYS as u32),
        f(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ];
    let fprog = SockFprog {
        len: prog.len() as u16,
        filter: prog.as_ptr(),
    };
    // SAFETY: prctl with documented arguments; `fprog` and `prog` are live.
    unsafe {
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            return Err("PR_SET_NO_NEW_PRIVS failed".into());
        }
        if libc::prctl(
            libc::PR_SET_SECCOMP,
            SECCOMP_MODE_FILTER,
            &fprog as *const SockFprog,
        ) != 0
        {
            return Err(format!(
                "PR_SET_SECCOMP failed: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
    Ok(())
}

const CHILD_ENV: &str = "WS2_NO_URING_CHILD";
const TEST_NAME: &str = "without_io_uring_startup_fails_with_wsasysnotready";

/// The child's part, in a fresh image of this test binary (so the test harness does not
/// capture stderr): `WSAStartup` twice, both expected to fail with `WSASYSNOTREADY`.
fn child_role() -> ! {
    let mut d = WSADATA { bytes: [0; 408] };
    // SAFETY: a writable WSADATA.
    let first = unsafe { WSAStartup(0x0202, &mut d) };
    // SAFETY: as above.
    let second = unsafe { WSAStartup(0x0202, &mut d) };
    let code = match (first, second) {
        (WSASYSNOTREADY, WSASYSNOTREADY) => 0,
        (0, _) => 20,
        (_, 0) => 21,
        _ => 22,
    };
    // SAFETY: leave at once, without the harness reporting anything.
    unsafe { libc::_exit(code) }
}

/// Fork a child that sends stderr into a pipe, denies itself system call `nr` and re-runs
/// this test binary in the child role. Returns the child's exit status and its stderr.
fn run_child(nr: u32) -> (i32, String) {
    let exe = std::ffi::CString::new(
        std::env::current_exe()
            .unwrap()
            .into_os_string()
            .into_encoded_bytes(),
    )
    .unwrap();
    let args: Vec<std::ffi::CString> = [TEST_NAME, "--exact", "--nocapture", "--test-threads=1"]
        .iter()
        .map(|a| std::ffi::CString::new(*a).unwrap())
        .collect();
    let mut argv: Vec<*const libc::c_char> = vec![exe.as_ptr()];
    argv.extend(args.iter().map(|a| a.as_ptr()));
    argv.push(std::ptr::null());
    let env = std::ffi::CString::new(format!("{CHILD_ENV}=1")).unwrap();
    let devnull = c"/dev/null";
    let mut p = [0; 2];
    // SAFETY: a live array of two fds.
    assert_eq!(unsafe { libc::pipe(p.as_mut_ptr()) }, 0);
    // SAFETY: the child only juggles fds, installs the filter and execs (everything it needs
    // was prepared above).
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        // SAFETY: fd juggling, the filter and exec in the child.
        unsafe {
            libc::close(p[0]);
            libc::dup2(p[1], 2);
            libc::close(p[1]);
            let null = libc::open(devnull.as_ptr(), libc::O_WRONLY);
            libc::dup2(null, 1);
            libc::putenv(env.as_ptr() as *mut libc::c_char);
            if deny(nr).is_err() {
                libc::_exit(10);
            }
            libc::execv(exe.as_ptr(), argv.as_ptr());
            libc::_exit(11);
        }
    }
    // SAFETY: our copy of the write end.
    unsafe { libc::close(p[1]) };
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        // SAFETY: reads into a live buffer.
        let n = unsafe { libc::read(p[0], buf.as_mut_ptr() as *mut libc::c_void, buf.len()) };
        if n <= 0 {
            break;
        }
        out.extend_from_slice(&buf[..n as usize]);
    }
    // SAFETY: our read end.
    unsafe { libc::close(p[0]) };
    let mut status = 0;
    // SAFETY: our own child.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status), "child died: {status:#x}");
    (
        libc::WEXITSTATUS(status),
        String::from_utf8_lossy(&out).into_owned(),
    )
}

fn check(nr: u32, what: &str) {
    let (code, err) = run_child(nr);
    eprintln!("{what}: child's stderr: {err:?}");
    assert_eq!(
        code, 0,
        "{what}: WSAStartup did not fail twice with WSASYSNOTREADY (child exit {code}; \
         10: filter setup failed, 11: exec failed, 20: first call succeeded, 21: second \
         succeeded, 22: another error); stderr: {err:?}"
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{what}: expected exactly one stderr line, got {err:?}"
    );
    assert!(
        lines[0].contains("io_uring"),
        "{what}: the line does not mention io_uring: {err:?}"
    );
    assert!(
        err.ends_with('\n'),
        "{what}: the line is not terminated: {err:?}"
    );
}

#[test]
fn without_io_uring_startup_fails_with_wsasysnotready() {
    if std::env::var_os(CHILD_ENV).is_some() {
        child_role();
    }
    // io_uring_setup fails: no ring at all.
    check(SYS_IO_URING_SETUP, "io_uring_setup denied");
    // io_uring_register fails: the opcode probe cannot be made.
    check(SYS_IO_URING_REGISTER, "io_uring_register denied");
    // The parent process, untouched, still starts.
    startup();
    cleanup();
}
