//! ws2-uring: Windows Sockets 2 for Linux.
//!
//! Every exported function is a thin `extern "C"` shim that runs safe Rust through
//! [`ffi::ws`] / [`ffi::win`]: a panic boundary, NULL checks that map to `WSAEFAULT`, and
//! `Result<_, WsaError>` turned into the Windows return convention. Names that glibc also
//! defines (`socket`, `send`, `select`, `getaddrinfo`, ...) are exported with a `ws2_`
//! prefix and bound by the headers, so the library never interposes libc.

#![allow(clippy::missing_safety_doc)]

pub mod abi;
pub mod console;
pub mod critsec;
pub mod engine;
pub mod error;
pub mod ext;
pub mod ffi;
pub mod file;
pub mod handle;
pub mod heap;
pub mod iocp;
pub mod message;
pub mod resolve;
pub mod socket;
pub mod startup;
pub mod status;
pub mod sync;
pub mod sysinfo;
pub mod tls;
pub mod trace;
pub mod wait;
pub mod win32;
