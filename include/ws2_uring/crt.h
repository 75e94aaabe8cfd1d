/* ws2-uring: internal header, included by <windows.h>. Not for direct use. */
#ifndef WS2_URING_CRT_H
#define WS2_URING_CRT_H
#endif /* WS2_URING_CRT_H */
