# Debian's gcc-arm-none-eabi with picolibc (its stdio needs no heap) for a Cortex-M3 board
# such as mps2-an385:
#   cmake -DCMAKE_TOOLCHAIN_FILE=path/to/mpstatic/cmake/arm-none-eabi.cmake \
#         -DMPSTATIC_PORT=mps2-an385 ...
# Another Cortex-M: set MPSTATIC_CPU (e.g. "-mcpu=cortex-m4 -mthumb") before this file.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# No OS to link a test program against: CMake's compiler checks build a library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
if(NOT MPSTATIC_CPU)
  set(MPSTATIC_CPU "-mcpu=cortex-m3 -mthumb")
endif()
# Every object of an image, and the link, for one CPU and picolibc (its release build:
# word-wise memcpy); unused sections dropped at link.
set(MPSTATIC_LIBC "--specs=picolibc.specs --picolibc-buildtype=release")
set(CMAKE_C_FLAGS_INIT "${MPSTATIC_CPU} ${MPSTATIC_LIBC} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${MPSTATIC_CPU} ${MPSTATIC_LIBC}")
# (CMake links with the C flags: the CPU and the libc come from there.)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
