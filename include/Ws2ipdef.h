#include "ws2ipdef.h" /* ws2-uring: <Ws2ipdef.h> is the Windows spelling of <ws2ipdef.h> */
