#include "ws2def.h" /* ws2-uring: <Ws2def.h> is the Windows spelling of <ws2def.h> */
