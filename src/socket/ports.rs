//! Windows port-sharing rules for the sockets of this process.
//!
//! Windows decides whether a second socket may bind a port already bound by another from
//! `SO_REUSEADDR`, `SO_EXCLUSIVEADDRUSE`, whether either address is a wildcard, and whether
//! an IPv6 socket is dual-stack. Linux's rules differ (it refuses a specific address beside
//! a wildcard one, and knows no exclusive use), so every TCP/UDP socket is bound on Linux
//! with `SO_REUSEADDR | SO_REUSEPORT` and this table gives the Windows verdict among the
//! process's own sockets. Sockets of other processes do not set those options toward us, so
//! Linux still refuses a port another program holds.

use super::Socket;
use crate::abi::sockaddr::SockAddr;
use crate::error::WsaError;
use crate::ffi::WsResult;
use parking_lot::Mutex;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Which address space a binding sits in, as Windows compares them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Space {
    V4(Ipv4Addr),
    V6(Ipv6Addr),
}

#[derive(Clone, Copy, Debug)]
struct Binding {
    owner: usize,
    sock_type: i32,
    port: u16,
    space: Space,
    /// An exclusive dual-stack `[::]` also holds the IPv4 wildcard.
    covers_v4: bool,
    exclusive: bool,
    reuse: bool,
}

impl Binding {
    fn wildcard(&self) -> bool {
        match self.space {
            Space::V4(a) => a.is_unspecified(),
            Space::V6(a) => a.is_unspecified(),
        }
    }

    /// Does this (wildcard) binding cover `other`'s address?
    fn covers(&self, other: &Binding) -> bool {
        if !self.wildcard() {
            return false;
        }
        match (self.space, other.space) {
            (Space::V4(_), Space::V4(_)) | (Space::V6(_), Space::V6(_)) => true,
            (Space::V6(_), Space::V4(_)) => self.covers_v4,
            (Space::V4(_), Space::V6(_)) => false,
        }
    }
}

static BOUND: Mutex<Vec<Binding>> = Mutex::new(Vec::new());

fn owner_id(sock: &Socket) -> usize {
    sock as *const Socket as usize
}

/// Describe the binding `sock` would make at `addr` (None: not an IP address).
fn describe(sock: &Socket, addr: &SockAddr, v6only: bool) -> Option<Binding> {
    let std = addr.to_std()?;
    let space = match std.ip() {
        IpAddr::V4(a) => Space::V4(a),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(m) => Space::V4(m),
            None => Space::V6(a),
        },
    };
    let st = sock.st.lock();
    let dual_any = matches!(space, Space::V6(a) if a.is_unspecified()) && !v6only;
    Some(Binding {
        owner: owner_id(sock),
        sock_type: sock.sock_type,
        port: std.port(),
        space,
        covers_v4: dual_any && st.exclusive_addr,
        exclusive: st.exclusive_addr,
        reuse: st.reuse_addr,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Opt {
    Default,
    Reuse,
    Exclusive,
}

fn opt(b: &Binding) -> Opt {
    if b.exclusive {
        Opt::Exclusive
    } else if b.reuse {
        Opt::Reuse
    } else {
        Opt::Default
    }
}

const OK: WsResult<()> = Ok(());
const INUSE: WsResult<()> = Err(WsaError::WSAEADDRINUSE);
const DENIED: WsResult<()> = Err(WsaError::WSAEACCES);

/// Microsoft's table of the second bind's result by both sockets' options and whether each
/// address is the wildcard ("Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE" / WSK "Sharing
/// Transport Addresses"). The "check" cells (a specific bind beside a wildcard one) succeed
/// here: the specific address itself is checked against the other bindings in the loop.
fn table(old: Opt, old_wild: bool, new: Opt, new_wild: bool) -> WsResult<()> {
    use Opt::*;
    match (new, new_wild) {
        (Exclusive, true) => INUSE,
        (Exclusive, false) => match (old, old_wild) {
            (Exclusive, true) => DENIED,
            (_, true) => OK,
            (_, false) => INUSE,
        },
        (Default, true) => {
            if old_wild {
                INUSE
            } else {
                OK
            }
        }
        (Default, false) => match (old, old_wild) {
            (Default | Reuse, true) => OK,
            (Default | Exclusive, false) => INUSE,
            (Reuse, false) | (Exclusive, true) => DENIED,
        },
        (Reuse, true) => match (old, old_wild) {
            (Default | Exclusive, true) => DENIED,
            _ => OK,
        },
        (Reuse, false) => match (old, old_wild) {
            (Default, true) | (Reuse, _) => OK,
            _ => DENIED,
        },
    }
}

/// The Windows verdict for `new` against one existing binding on the same port.
fn verdict(old: &Binding, new: &Binding) -> WsResult<()> {
    let same_space = matches!(
        (old.space, new.space),
        (Space::V4(_), Space::V4(_)) | (Space::V6(_), Space::V6(_))
    );
    if same_space {
        if !old.wildcard() && !new.wildcard() && old.space != new.space {
            return OK;
        }
        return table(opt(old), old.wildcard(), opt(new), new.wildcard());
    }
    // Across families only an exclusive dual-stack [::] holds the IPv4 addresses too.
    if old.covers(new) {
        return DENIED;
    }
    if new.covers(old) {
        return INUSE;
    }
    OK
}

/// Check a bind of `sock` to `addr` against the process's bound sockets. A port of 0 is
/// chosen by the kernel and cannot clash.
pub fn check(sock: &Socket, addr: &SockAddr, v6only: bool) -> WsResult<()> {
    let Some(new) = describe(sock, addr, v6only) else {
        return Ok(());
    };
    if new.port == 0 {
        return Ok(());
    }
    let table = BOUND.lock();
    for old in table
        .iter()
        .filter(|b| b.port == new.port && b.sock_type == new.sock_type)
    {
        verdict(old, &new)?;
    }
    Ok(())
}

/// Record `sock` as bound at `addr` (the address the kernel gave it).
pub fn record(sock: &Socket, addr: &SockAddr, v6only: bool) {
    if let Some(b) = describe(sock, addr, v6only) {
        let mut table = BOUND.lock();
        table.retain(|o| o.owner != b.owner);
        table.push(b);
    }
}

/// Forget `sock` (it is being destroyed).
pub fn release(sock: &Socket) {
    let id = owner_id(sock);
    let mut table = BOUND.lock();
    if !table.is_empty() {
        table.retain(|o| o.owner != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(space: Space, excl: bool, dual: bool) -> Binding {
        let any6 = matches!(space, Space::V6(a) if a.is_unspecified());
        Binding {
            owner: 0,
            sock_type: 1,
            port: 1,
            space,
            covers_v4: any6 && dual && excl,
            exclusive: excl,
            reuse: false,
        }
    }

    #[test]
    fn windows_sharing_table() {
        let any4 = Space::V4(Ipv4Addr::UNSPECIFIED);
        let loop4 = Space::V4(Ipv4Addr::LOCALHOST);
        let any6 = Space::V6(Ipv6Addr::UNSPECIFIED);
        let loop6 = Space::V6(Ipv6Addr::LOCALHOST);
        let e = |r: WsResult<()>| r.err().map(|e| e.0).unwrap_or(0);
        assert_eq!(
            e(verdict(&b(any4, true, false), &b(loop4, false, false))),
            10013
        );
        assert_eq!(
            e(verdict(&b(any6, true, true), &b(loop4, false, false))),
            10013
        );
        assert_eq!(
            e(verdict(&b(any4, false, false), &b(loop4, true, false))),
            0
        );
        assert_eq!(
            e(verdict(&b(loop4, true, false), &b(any4, false, false))),
            0
        );
        assert_eq!(
            e(verdict(&b(loop4, false, false), &b(any4, true, false))),
            10048
        );
        assert_eq!(
            e(verdict(&b(loop4, false, false), &b(any6, true, true))),
            10048
        );
        assert_eq!(
            e(verdict(&b(loop6, false, false), &b(any4, true, false))),
            0
        );
        assert_eq!(e(verdict(&b(any6, false, true), &b(any4, true, false))), 0);
        assert_eq!(
            e(verdict(&b(any4, false, false), &b(any4, false, false))),
            10048
        );
        assert_eq!(e(verdict(&b(any6, false, true), &b(any4, false, false))), 0);
        assert_eq!(
            e(verdict(&b(loop4, true, false), &b(loop4, false, false))),
            10048
        );
        assert_eq!(
            e(verdict(&b(any6, true, true), &b(any4, false, false))),
            10013
        );
        // A default wildcard bind beside a default specific one succeeds on Windows.
        assert_eq!(
            e(verdict(&b(loop4, false, false), &b(any4, false, false))),
            0
        );
    }
}
