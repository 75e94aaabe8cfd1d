#include "windows.h" /* ws2-uring: <Windows.h> is the Windows spelling of <windows.h> */
