/*
 * ws2-uring: <winsock.h>.
 *
 * On Windows this header is the Winsock 1.1 API. Here it provides the Winsock 2 API of
 * <winsock2.h>, a superset with the same values and layouts for everything Winsock 1.1
 * defines (the only behavioural difference, FD_SET refusing duplicates, follows Winsock 2).
 */
#ifndef WS2_URING_WINSOCK_H
#define WS2_URING_WINSOCK_H

#include <winsock2.h>

#endif /* WS2_URING_WINSOCK_H */
