# Debian's gcc-arm-none-eabi (with newlib) for a Cortex-M3 board such as mps2-an385:
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
# Every object of an image, and the link, for one CPU; unused sections dropped at link.
set(CMAKE_C_FLAGS_INIT "${MPSTATIC_CPU} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${MPSTATIC_CPU}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${MPSTATIC_CPU}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
