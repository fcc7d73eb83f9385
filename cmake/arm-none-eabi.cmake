# Toolchain for the bare-metal firmware (runtime/port/mps2-an385):
# arm-none-eabi-gcc (Debian's gcc-arm-none-eabi), Cortex-M3, Thumb-2, soft
# float.
#
#   cmake -S runtime/port/mps2-an385 -B build-fw \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake
#
# C library: picolibc (picolibc-arm-none-eabi), with its integer-only
# printf (PICOLIBC_INTEGER_PRINTF_SCANF). Why, measured on the hello-world
# firmware at -Os (text + rodata of the whole image, module excluded):
#   picolibc, integer printf     58.6 + 7.0 KB   <- this one
#   picolibc, long long printf   63.0 + 7.8 KB
#   newlib-nano (nano.specs)     61.6 + 7.1 KB, and its printf knows neither
#                                %zu nor %llu: the runtime's messages came
#                                out wrong (and misaligned the arguments)
# The runtime prints no 64-bit integers, so the integer-only printf is
# enough. picolibc keeps errno in thread-local storage: the linker script
# and startup.c set up the one block (mps2-an385.ld, .tdata/.tbss).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

find_program(WDB_ARM_GCC arm-none-eabi-gcc REQUIRED)
set(CMAKE_C_COMPILER ${WDB_ARM_GCC})
set(CMAKE_ASM_COMPILER ${WDB_ARM_GCC})
# No hosted executable can be linked before the linker script is known.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(WDB_ARM_CPU_FLAGS "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft")
set(WDB_ARM_LIBC_FLAGS "--specs=picolibc.specs -DPICOLIBC_INTEGER_PRINTF_SCANF")
set(CMAKE_C_FLAGS_INIT "${WDB_ARM_CPU_FLAGS} ${WDB_ARM_LIBC_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${WDB_ARM_CPU_FLAGS}")
# CMake links with the compile flags too: the specs and the -D reach the
# link line that way, where the -D makes picolibc.specs pick the integer
# printf (--defsym=vfprintf=__i_vfprintf). -nostartfiles: startup.c is the
# reset code.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -Wl,--gc-sections")
# Sizes are the point of this target: -Os, with debug information (which
# costs no flash) so the firmware can be debugged with gdb-multiarch.
set(CMAKE_C_FLAGS_MINSIZEREL_INIT "-Os -g")

get_filename_component(WDB_ARM_BIN ${WDB_ARM_GCC} DIRECTORY)
find_program(WDB_ARM_SIZE arm-none-eabi-size HINTS ${WDB_ARM_BIN})

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
