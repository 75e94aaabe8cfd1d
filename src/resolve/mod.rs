//! Names and addresses: getaddrinfo and friends, hostent/servent/protoent lookups, and the
//! text forms of addresses.
//!
//! - [`parse`]: Windows' address text grammar and formatting (pure functions).
//! - [`text`]: `inet_addr`, `inet_ntoa`, `inet_pton`, `inet_ntop`, `WSAStringToAddress`,
//!   `WSAAddressToString`.
//! - [`addrinfo`]: `getaddrinfo`, `getnameinfo` and their wide forms, `gai_strerror`.
//! - [`netdb`]: `gethostbyname`, `gethostbyaddr`, `gethostname`, `getservby*`, `getprotoby*`.
//! - [`byteorder`]: `htons` and friends, `WSAHtons` and friends.
//! - [`local`]: this machine's name and addresses; [`blob`]: flat result blocks.

pub mod addrinfo;
pub mod blob;
pub mod byteorder;
pub mod local;
pub mod netdb;
pub mod parse;
pub mod text;
