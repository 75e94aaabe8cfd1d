/* ws2-uring: internal header, included by <windows.h>. Not for direct use. */
#ifndef WS2_URING_BASE_H
#define WS2_URING_BASE_H
#endif /* WS2_URING_BASE_H */
