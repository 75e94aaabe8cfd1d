# CMake toolchain file: cross-compile for 64-bit Windows with mingw-w64 (Debian package
# gcc-mingw-w64-x86-64). Used by the Wine configuration of c-tests/:
#   cmake -S c-tests -B build/wine -DWS2_WINE=ON \
#         -DCMAKE_TOOLCHAIN_FILE=<repo>/cmake/mingw-w64.cmake
# The programs it builds run on Windows or under Wine; c-tests/CMakeLists.txt sets Wine as the
# CMAKE_CROSSCOMPILING_EMULATOR so ctest runs them.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(WS2_MINGW_TRIPLET x86_64-w64-mingw32 CACHE STRING "mingw-w64 target triplet")

find_program(WS2_MINGW_GCC NAMES ${WS2_MINGW_TRIPLET}-gcc ${WS2_MINGW_TRIPLET}-gcc-posix
                                 ${WS2_MINGW_TRIPLET}-gcc-win32)
if(NOT WS2_MINGW_GCC)
  message(FATAL_ERROR "${WS2_MINGW_TRIPLET}-gcc not found: install the Debian package "
                      "gcc-mingw-w64-x86-64")
endif()
set(CMAKE_C_COMPILER "${WS2_MINGW_GCC}")

# C++ and resources are optional (g++-mingw-w64-x86-64 is a separate package).
find_program(WS2_MINGW_GXX NAMES ${WS2_MINGW_TRIPLET}-g++ ${WS2_MINGW_TRIPLET}-g++-posix
                                 ${WS2_MINGW_TRIPLET}-g++-win32)
if(WS2_MINGW_GXX)
  set(CMAKE_CXX_COMPILER "${WS2_MINGW_GXX}")
endif()
find_program(WS2_MINGW_WINDRES NAMES ${WS2_MINGW_TRIPLET}-windres)
if(WS2_MINGW_WINDRES)
  set(CMAKE_RC_COMPILER "${WS2_MINGW_WINDRES}")
endif()

# Headers and libraries come from the mingw-w64 sysroot only; programs from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${WS2_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
