//! Windows error codes, the thread-local last-error value, and the errno -> WSA table.
//!
//! `GetLastError` and `WSAGetLastError` read one thread-local value, as on Windows.

use std::cell::Cell;

/// A Windows error code (`WSAE*`, `WSA_*` or `ERROR_*`) carried through `Result`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WsaError(pub u32);

macro_rules! codes {
    ($($name:ident = $val:expr,)*) => {
        $(pub const $name: WsaError = WsaError($val);)*
        /// Name of a known code, for tracing and test messages.
        pub fn name(code: u32) -> Option<&'static str> {
            match code {
                $($val => Some(stringify!($name)),)*
                _ => None,
            }
        }
    };
}

#[allow(dead_code)]
impl WsaError {
    codes! {
        ERROR_SUCCESS = 0,
        ERROR_INVALID_FUNCTION = 1,
        ERROR_FILE_NOT_FOUND = 2,
        ERROR_PATH_NOT_FOUND = 3,
        ERROR_TOO_MANY_OPEN_FILES = 4,
        ERROR_ACCESS_DENIED = 5,
        ERROR_INVALID_HANDLE = 6,
        ERROR_NOT_ENOUGH_MEMORY = 8,
        ERROR_SHARING_VIOLATION = 32,
        ERROR_NOT_READY = 21,
        ERROR_HANDLE_EOF = 38,
        ERROR_GEN_FAILURE = 31,
        ERROR_NOT_SUPPORTED = 50,
        ERROR_DUP_NAME = 52,
        ERROR_UNEXP_NET_ERR = 59,
        ERROR_NETNAME_DELETED = 64,
        ERROR_INVALID_PARAMETER = 87,
        ERROR_FILE_EXISTS = 80,
        ERROR_BROKEN_PIPE = 109,
        ERROR_DISK_FULL = 112,
        ERROR_INVALID_NAME = 123,
        ERROR_NEGATIVE_SEEK = 131,
        ERROR_CALL_NOT_IMPLEMENTED = 120,
        ERROR_SEM_TIMEOUT = 121,
        ERROR_INSUFFICIENT_BUFFER = 122,
        ERROR_SIGNAL_REFUSED = 156,
        ERROR_ALREADY_EXISTS = 183,
        ERROR_TOO_MANY_POSTS = 298,
        ERROR_NO_MORE_ITEMS = 259,
        ERROR_NOT_OWNER = 288,
        ERROR_PIPE_NOT_CONNECTED = 233,
        ERROR_MORE_DATA = 234,
        WAIT_TIMEOUT = 258,
        ERROR_ABANDONED_WAIT_0 = 735,
        ERROR_OPERATION_ABORTED = 995,
        ERROR_IO_INCOMPLETE = 996,
        ERROR_IO_PENDING = 997,
        ERROR_NOACCESS = 998,
        ERROR_NOT_FOUND = 1168,
        ERROR_INVALID_NETNAME = 1214,
        ERROR_CONNECTION_REFUSED = 1225,
        ERROR_GRACEFUL_DISCONNECT = 1226,
        ERROR_CONNECTION_INVALID = 1229,
        ERROR_CONNECTION_ACTIVE = 1230,
        ERROR_NETWORK_UNREACHABLE = 1231,
        ERROR_HOST_UNREACHABLE = 1232,
        ERROR_PROTOCOL_UNREACHABLE = 1233,
        ERROR_PORT_UNREACHABLE = 1234,
        ERROR_REQUEST_ABORTED = 1235,
        ERROR_CONNECTION_ABORTED = 1236,
        ERROR_HOST_DOWN = 1256,
        ERROR_INTERNAL_ERROR = 1359,
        ERROR_NO_SYSTEM_RESOURCES = 1450,
        ERROR_TIMEOUT = 1460,
        ERROR_INVALID_USER_BUFFER = 1784,
        WSAEINTR = 10004,
        WSAEBADF = 10009,
        WSAEACCES = 10013,
        WSAEFAULT = 10014,
        WSAEINVAL = 10022,
        WSAEMFILE = 10024,
        WSAEWOULDBLOCK = 10035,
        WSAEINPROGRESS = 10036,
        WSAEALREADY = 10037,
        WSAENOTSOCK = 10038,
        WSAEDESTADDRREQ = 10039,
        WSAEMSGSIZE = 10040,
        WSAEPROTOTYPE = 10041,
        WSAENOPROTOOPT = 10042,
        WSAEPROTONOSUPPORT = 10043,
        WSAESOCKTNOSUPPORT = 10044,
        WSAEOPNOTSUPP = 10045,
        WSAEPFNOSUPPORT = 10046,
        WSAEAFNOSUPPORT = 10047,
        WSAEADDRINUSE = 10048,
        WSAEADDRNOTAVAIL = 10049,
        WSAENETDOWN = 10050,
        WSAENETUNREACH = 10051,
        WSAENETRESET = 10052,
        WSAECONNABORTED = 10053,
        WSAECONNRESET = 10054,
        WSAENOBUFS = 10055,
        WSAEISCONN = 10056,
        WSAENOTCONN = 10057,
        WSAESHUTDOWN = 10058,
        WSAETOOMANYREFS = 10059,
        WSAETIMEDOUT = 10060,
        WSAECONNREFUSED = 10061,
        WSAELOOP = 10062,
        WSAENAMETOOLONG = 10063,
        WSAEHOSTDOWN = 10064,
        WSAEHOSTUNREACH = 10065,
        WSAENOTEMPTY = 10066,
        WSAEPROCLIM = 10067,
        WSAEUSERS = 10068,
        WSAEDQUOT = 10069,
        WSAESTALE = 10070,
        WSAEREMOTE = 10071,
        WSASYSNOTREADY = 10091,
        WSAVERNOTSUPPORTED = 10092,
        WSANOTINITIALISED = 10093,
        WSAEDISCON = 10101,
        WSAENOMORE = 10102,
        WSAECANCELLED = 10103,
        WSAEINVALIDPROCTABLE = 10104,
        WSAEINVALIDPROVIDER = 10105,
        WSAEPROVIDERFAILEDINIT = 10106,
        WSASYSCALLFAILURE = 10107,
        WSASERVICE_NOT_FOUND = 10108,
        WSATYPE_NOT_FOUND = 10109,
        WSA_E_NO_MORE = 10110,
        WSA_E_CANCELLED = 10111,
        WSAEREFUSED = 10112,
        WSAHOST_NOT_FOUND = 11001,
        WSATRY_AGAIN = 11002,
        WSANO_RECOVERY = 11003,
        WSANO_DATA = 11004,
    }

    /// Winsock aliases of Win32 codes.
    pub const WSA_INVALID_HANDLE: WsaError = WsaError(6);
    pub const WSA_NOT_ENOUGH_MEMORY: WsaError = WsaError(8);
    pub const WSA_INVALID_PARAMETER: WsaError = WsaError(87);
    pub const WSA_OPERATION_ABORTED: WsaError = WsaError(995);
    pub const WSA_IO_INCOMPLETE: WsaError = WsaError(996);
    pub const WSA_IO_PENDING: WsaError = WsaError(997);

    pub fn code(self) -> u32 {
        self.0
    }

    /// The error of the last failed libc call on this thread, as a Winsock code.
    pub fn last_os() -> WsaError {
        from_errno(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }
}

/// Translate a Linux errno from a socket call into the Winsock code Windows reports for
/// the same condition. Every errno the socket calls are documented to return is listed.
pub fn from_errno(errno: i32) -> WsaError {
    use libc::*;
    match errno {
        0 => WsaError::ERROR_SUCCESS,
        EINTR => WsaError::WSAEINTR,
        EBADF | ENOTSOCK => WsaError::WSAENOTSOCK,
        EACCES | EPERM => WsaError::WSAEACCES,
        EFAULT => WsaError::WSAEFAULT,
        EINVAL | ERANGE | EDOM => WsaError::WSAEINVAL,
        EMFILE | ENFILE => WsaError::WSAEMFILE,
        EAGAIN | EINPROGRESS => WsaError::WSAEWOULDBLOCK,
        EALREADY => WsaError::WSAEALREADY,
        EDESTADDRREQ => WsaError::WSAEDESTADDRREQ,
        EMSGSIZE => WsaError::WSAEMSGSIZE,
        EPROTOTYPE => WsaError::WSAEPROTOTYPE,
        ENOPROTOOPT => WsaError::WSAENOPROTOOPT,
        EPROTONOSUPPORT => WsaError::WSAEPROTONOSUPPORT,
        ESOCKTNOSUPPORT => WsaError::WSAESOCKTNOSUPPORT,
        EOPNOTSUPP | ENOSYS => WsaError::WSAEOPNOTSUPP,
        EPFNOSUPPORT => WsaError::WSAEPFNOSUPPORT,
        EAFNOSUPPORT => WsaError::WSAEAFNOSUPPORT,
        EADDRINUSE => WsaError::WSAEADDRINUSE,
        EADDRNOTAVAIL => WsaError::WSAEADDRNOTAVAIL,
        ENETDOWN | ENODEV | ENXIO => WsaError::WSAENETDOWN,
        ENETUNREACH => WsaError::WSAENETUNREACH,
        ENETRESET => WsaError::WSAENETRESET,
        ECONNABORTED | EPROTO => WsaError::WSAECONNABORTED,
        ECONNRESET => WsaError::WSAECONNRESET,
        ENOBUFS | ENOMEM | ENOSR | ENOSPC => WsaError::WSAENOBUFS,
        EISCONN => WsaError::WSAEISCONN,
        ENOTCONN => WsaError::WSAENOTCONN,
        ESHUTDOWN | EPIPE => WsaError::WSAESHUTDOWN,
        ETOOMANYREFS => WsaError::WSAETOOMANYREFS,
        ETIMEDOUT => WsaError::WSAETIMEDOUT,
        ECONNREFUSED => WsaError::WSAECONNREFUSED,
        ELOOP => WsaError::WSAELOOP,
        ENAMETOOLONG => WsaError::WSAENAMETOOLONG,
        EHOSTDOWN => WsaError::WSAEHOSTDOWN,
        EHOSTUNREACH => WsaError::WSAEHOSTUNREACH,
        ENOTEMPTY => WsaError::WSAENOTEMPTY,
        EUSERS => WsaError::WSAEUSERS,
        EDQUOT => WsaError::WSAEDQUOT,
        ESTALE => WsaError::WSAESTALE,
        EREMOTE => WsaError::WSAEREMOTE,
        ECANCELED => WsaError::WSA_OPERATION_ABORTED,
        _ => WsaError::WSASYSCALLFAILURE,
    }
}

thread_local! {
    static LAST_ERROR: Cell<u32> = const { Cell::new(0) };
}

pub fn set_last_error(code: u32) {
    LAST_ERROR.with(|c| c.set(code));
}

pub fn last_error() -> u32 {
    LAST_ERROR.with(|c| c.get())
}

/// `int WSAGetLastError(void)`
#[no_mangle]
pub extern "C" fn WSAGetLastError() -> i32 {
    let _t = crate::trace_call!("WSAGetLastError");
    crate::trace::ret(|| last_error() as i32)
}

/// `void WSASetLastError(int)`
#[no_mangle]
pub extern "C" fn WSASetLastError(code: i32) {
    let _t = crate::trace_call!("WSASetLastError", code);
    crate::trace::ret(|| set_last_error(code as u32))
}

/// `DWORD GetLastError(void)`
#[no_mangle]
pub extern "C" fn GetLastError() -> u32 {
    let _t = crate::trace_call!("GetLastError");
    crate::trace::ret(last_error)
}

/// `void SetLastError(DWORD)`
#[no_mangle]
pub extern "C" fn SetLastError(code: u32) {
    let _t = crate::trace_call!("SetLastError", code);
    crate::trace::ret(|| set_last_error(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_socket_errno_has_a_winsock_code() {
        // The errnos socket(2), bind(2), connect(2), accept(2), send(2), recv(2),
        // getsockopt(2), setsockopt(2), shutdown(2), listen(2), poll(2) and select(2) document.
        let documented = [
            libc::EACCES,
            libc::EPERM,
            libc::EADDRINUSE,
            libc::EADDRNOTAVAIL,
            libc::EAFNOSUPPORT,
            libc::EAGAIN,
            libc::EALREADY,
            libc::EBADF,
            libc::ECONNABORTED,
            libc::ECONNREFUSED,
            libc::ECONNRESET,
            libc::EDESTADDRREQ,
            libc::EFAULT,
            libc::EINPROGRESS,
            libc::EINTR,
            libc::EINVAL,
            libc::EISCONN,
            libc::ELOOP,
            libc::EMFILE,
            libc::EMSGSIZE,
            libc::ENAMETOOLONG,
            libc::ENETUNREACH,
            libc::ENFILE,
            libc::ENOBUFS,
            libc::ENOMEM,
            libc::ENOPROTOOPT,
            libc::ENOTCONN,
            libc::ENOTSOCK,
            libc::EOPNOTSUPP,
            libc::EPIPE,
            libc::EPROTO,
            libc::EPROTONOSUPPORT,
            libc::EPROTOTYPE,
            libc::ETIMEDOUT,
            libc::EHOSTUNREACH,
            libc::ENETDOWN,
            libc::ESOCKTNOSUPPORT,
            libc::EHOSTDOWN,
            libc::ENETRESET,
            libc::ESHUTDOWN,
            libc::ENOSR,
            libc::ENODEV,
        ];
        for e in documented {
            let w = from_errno(e);
            assert_ne!(w, WsaError::WSASYSCALLFAILURE, "errno {e} unmapped");
            assert!(
                WsaError::name(w.0).is_some(),
                "errno {e} maps to unnamed {}",
                w.0
            );
        }
    }

    #[test]
    fn exact_pairs() {
        assert_eq!(from_errno(libc::EWOULDBLOCK), WsaError::WSAEWOULDBLOCK);
        assert_eq!(from_errno(libc::EINPROGRESS), WsaError::WSAEWOULDBLOCK);
        assert_eq!(from_errno(libc::ECONNREFUSED).0, 10061);
        assert_eq!(from_errno(libc::ECONNRESET).0, 10054);
        assert_eq!(from_errno(libc::EADDRINUSE).0, 10048);
        assert_eq!(from_errno(libc::ENOTSOCK).0, 10038);
        assert_eq!(from_errno(libc::ETIMEDOUT).0, 10060);
        assert_eq!(from_errno(libc::EMSGSIZE).0, 10040);
        assert_eq!(from_errno(libc::ENOTCONN).0, 10057);
        assert_eq!(from_errno(libc::ECANCELED).0, 995);
    }

    #[test]
    fn last_error_is_one_thread_local_value() {
        SetLastError(1234);
        assert_eq!(WSAGetLastError(), 1234);
        WSASetLastError(10054);
        assert_eq!(GetLastError(), 10054);
        std::thread::spawn(|| assert_eq!(GetLastError(), 0))
            .join()
            .unwrap();
        assert_eq!(GetLastError(), 10054);
    }
}
