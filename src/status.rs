//! NTSTATUS values as Windows keeps them in `OVERLAPPED.Internal`, and their two readings:
//! the Winsock error (`WSAGetOverlappedResult`, completion routines) and the Win32 error
//! (`GetOverlappedResult`, `GetQueuedCompletionStatus`).
//!
//! The library reports every failure as a [`WsaError`] internally; an operation's final
//! status is that error turned into the NTSTATUS Windows' AFD driver would store, so both
//! readings agree with Windows (`STATUS_CONNECTION_RESET` reads as `WSAECONNRESET` through
//! Winsock and as `ERROR_NETNAME_DELETED` through Win32).

use crate::error::WsaError;

pub const STATUS_SUCCESS: u32 = 0;
pub const STATUS_PENDING: u32 = 0x103;
pub const STATUS_BUFFER_OVERFLOW: u32 = 0x8000_0005;
pub const STATUS_CANCELLED: u32 = 0xC000_0120;
pub const STATUS_BUFFER_TOO_SMALL: u32 = 0xC000_0023;
pub const STATUS_CONNECTION_ABORTED: u32 = 0xC000_0241;

/// Failures not in the table travel as `0xC007xxxx` (the Win32-facility form) and read back
/// as the same code.
const FACILITY_WIN32: u32 = 0xC007_0000;

/// (NTSTATUS, Winsock reading, Win32 reading), first match wins in both directions.
const TABLE: &[(u32, WsaError, WsaError)] = &[
    (
        STATUS_BUFFER_OVERFLOW,
        WsaError::WSAEMSGSIZE,
        WsaError::ERROR_MORE_DATA,
    ),
    (
        STATUS_CANCELLED,
        WsaError::ERROR_OPERATION_ABORTED,
        WsaError::ERROR_OPERATION_ABORTED,
    ),
    (
        0xC000_020D,
        WsaError::WSAECONNRESET,
        WsaError::ERROR_NETNAME_DELETED,
    ), // CONNECTION_RESET
    (
        0xC000_0241,
        WsaError::WSAECONNABORTED,
        WsaError::ERROR_CONNECTION_ABORTED,
    ), // CONNECTION_ABORTED
    (
        0xC000_013B,
        WsaError::WSAECONNABORTED,
        WsaError::ERROR_NETNAME_DELETED,
    ), // LOCAL_DISCONNECT
    (
        0xC000_013C,
        WsaError::WSAECONNRESET,
        WsaError::ERROR_NETNAME_DELETED,
    ), // REMOTE_DISCONNECT
    (
        0xC000_00B0,
        WsaError::WSAESHUTDOWN,
        WsaError::ERROR_PIPE_NOT_CONNECTED,
    ), // PIPE_DISCONNECTED
    (
        0xC000_00B5,
        WsaError::WSAETIMEDOUT,
        WsaError::ERROR_SEM_TIMEOUT,
    ), // IO_TIMEOUT
    (
        0xC000_0140,
        WsaError::WSAENOTCONN,
        WsaError::ERROR_UNEXP_NET_ERR,
    ), // INVALID_CONNECTION
    (
        0xC000_0236,
        WsaError::WSAECONNREFUSED,
        WsaError::ERROR_CONNECTION_REFUSED,
    ), // CONNECTION_REFUSED
    (
        0xC000_023C,
        WsaError::WSAENETUNREACH,
        WsaError::ERROR_NETWORK_UNREACHABLE,
    ), // NETWORK_UNREACHABLE
    (
        0xC000_023D,
        WsaError::WSAEHOSTUNREACH,
        WsaError::ERROR_HOST_UNREACHABLE,
    ), // HOST_UNREACHABLE
    (
        0xC000_023B,
        WsaError::WSAEISCONN,
        WsaError::ERROR_CONNECTION_ACTIVE,
    ), // CONNECTION_ACTIVE
    (
        0xC000_0237,
        WsaError::WSAEDISCON,
        WsaError::ERROR_GRACEFUL_DISCONNECT,
    ), // GRACEFUL_DISCONNECT
    (
        0xC000_0240,
        WsaError::WSAEINTR,
        WsaError::ERROR_REQUEST_ABORTED,
    ), // REQUEST_ABORTED
    (
        0xC000_0350,
        WsaError::WSAEHOSTDOWN,
        WsaError::ERROR_HOST_DOWN,
    ), // HOST_DOWN
    (
        0xC000_00C4,
        WsaError::WSAENETDOWN,
        WsaError::ERROR_UNEXP_NET_ERR,
    ), // UNEXPECTED_NETWORK_ERROR
    (0xC000_0005, WsaError::WSAEFAULT, WsaError::ERROR_NOACCESS), // ACCESS_VIOLATION
    (
        0xC000_0011,
        WsaError::ERROR_HANDLE_EOF,
        WsaError::ERROR_HANDLE_EOF,
    ), // END_OF_FILE (a file read at its end, as GetOverlappedResult reports it)
    (
        STATUS_BUFFER_TOO_SMALL,
        WsaError::WSAEFAULT,
        WsaError::ERROR_INSUFFICIENT_BUFFER,
    ),
    (
        0xC000_0017,
        WsaError::WSAENOBUFS,
        WsaError::ERROR_NOT_ENOUGH_MEMORY,
    ), // NO_MEMORY
    (
        0xC000_000D,
        WsaError::WSAEINVAL,
        WsaError::ERROR_INVALID_PARAMETER,
    ), // INVALID_PARAMETER
    (
        0xC000_00BB,
        WsaError::WSAEOPNOTSUPP,
        WsaError::ERROR_NOT_SUPPORTED,
    ), // NOT_SUPPORTED
    (
        0xC000_0022,
        WsaError::WSAEACCES,
        WsaError::ERROR_ACCESS_DENIED,
    ), // ACCESS_DENIED
    (
        0xC000_0008,
        WsaError::WSAENOTSOCK,
        WsaError::ERROR_INVALID_HANDLE,
    ), // INVALID_HANDLE
    (
        0xC000_00A3,
        WsaError::WSAEWOULDBLOCK,
        WsaError::ERROR_NOT_READY,
    ), // DEVICE_NOT_READY
    (
        0xC000_0141,
        WsaError::WSAEADDRNOTAVAIL,
        WsaError::ERROR_INVALID_NETNAME,
    ), // INVALID_ADDRESS
    (
        0xC000_020A,
        WsaError::WSAEADDRINUSE,
        WsaError::ERROR_DUP_NAME,
    ), // ADDRESS_ALREADY_EXISTS
];

/// The NTSTATUS for a failure reported as `e`.
pub fn from_error(e: WsaError) -> u32 {
    if e == WsaError::WSA_OPERATION_ABORTED {
        return STATUS_CANCELLED;
    }
    if e == WsaError::ERROR_INSUFFICIENT_BUFFER {
        return STATUS_BUFFER_TOO_SMALL;
    }
    TABLE
        .iter()
        .find(|r| r.1 == e)
        .map(|r| r.0)
        .unwrap_or(FACILITY_WIN32 | (e.0 & 0xffff))
}

fn lookup(status: u32) -> Option<&'static (u32, WsaError, WsaError)> {
    TABLE.iter().find(|r| r.0 == status)
}

/// The Winsock reading of a final status (0 for success).
pub fn to_wsa(status: u32) -> WsaError {
    match status {
        STATUS_SUCCESS => WsaError(0),
        STATUS_PENDING => WsaError::WSA_IO_PENDING,
        s if s & 0xffff_0000 == FACILITY_WIN32 => WsaError(s & 0xffff),
        s => lookup(s).map(|r| r.1).unwrap_or(WsaError::WSAEINVAL),
    }
}

/// The Win32 reading of a final status (0 for success).
pub fn to_win32(status: u32) -> WsaError {
    match status {
        STATUS_SUCCESS => WsaError(0),
        STATUS_PENDING => WsaError::ERROR_IO_PENDING,
        s if s & 0xffff_0000 == FACILITY_WIN32 => WsaError(s & 0xffff),
        s => lookup(s)
            .map(|r| r.2)
            .unwrap_or(WsaError::ERROR_INTERNAL_ERROR),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings() {
        let reset = from_error(WsaError::WSAECONNRESET);
        assert_eq!(reset, 0xC000_020D);
        assert_eq!(to_wsa(reset), WsaError::WSAECONNRESET);
        assert_eq!(to_win32(reset), WsaError::ERROR_NETNAME_DELETED);
        assert_eq!(to_wsa(STATUS_CANCELLED), WsaError::WSA_OPERATION_ABORTED);
        assert_eq!(
            to_win32(STATUS_CANCELLED),
            WsaError::ERROR_OPERATION_ABORTED
        );
        assert_eq!(to_wsa(STATUS_BUFFER_OVERFLOW), WsaError::WSAEMSGSIZE);
        assert_eq!(to_win32(STATUS_BUFFER_OVERFLOW), WsaError::ERROR_MORE_DATA);
        assert_eq!(to_win32(0xC000_0011), WsaError::ERROR_HANDLE_EOF);
        // Codes without an NTSTATUS of their own survive the round trip.
        let odd = from_error(WsaError::WSAEPROTOTYPE);
        assert_eq!(to_wsa(odd), WsaError::WSAEPROTOTYPE);
        // Every table row reads back as itself through Winsock.
        for r in TABLE {
            assert_eq!(to_wsa(from_error(r.1)), r.1);
        }
    }
}
