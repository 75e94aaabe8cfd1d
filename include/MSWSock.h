#include "mswsock.h" /* ws2-uring: <MSWSock.h> is the Windows spelling of <mswsock.h> */
