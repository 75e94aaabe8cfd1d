#include "strsafe.h" /* ws2-uring: <Strsafe.h> is the Windows spelling of <strsafe.h> */
