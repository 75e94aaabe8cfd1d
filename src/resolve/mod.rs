//! Names and addresses: getaddrinfo and friends, hostent/servent/protoent lookups, and the
//! text forms of addresses.
