# Builds @agoric/xsnap's `xsnap` command-line program for 32-bit ARM with
# software floating point, static, for qemu-arm. Driven by build.ts:
#   make -C <xsnap>/xsnap-native/xsnap/makefiles/lin -f <this file> \
#        MODDABLE=<xsnap>/moddable BUILD_DIR=<cache dir> -j2
# It includes the package's own makefile (xsnap.mk: the source list and the
# release flags of the native build, GOAL=release) and changes only what is
# listed below, so a new @agoric/xsnap version brings its sources along.

GOAL = release
include xsnap.mk

# Cross compiler: Debian's gcc-arm-linux-gnueabi (armel: ARMv5TE, ARM state,
# soft-float EABI, like a microcontroller without a double FPU).
CC = arm-linux-gnueabi-gcc -mfloat-abi=soft

# Device-like engine: drop the host-only instrumentation that a Moddable
# device build does not have. mxMetering counts computrons on every bytecode
# (about +20% instructions on a simple loop); mxProfile calls the profiler
# hook on every function call and return.
C_OPTIONS := $(filter-out -DmxMetering=1 -DmxProfile=1,$(C_OPTIONS))

# Static: qemu-arm then needs no ARM sysroot at run time. 64-bit atomics
# (xsAtomics.c) come from libatomic on ARMv5. No -rdynamic: nothing is
# loaded dynamically.
LINK_OPTIONS = -static
LIBRARIES = -lm -lpthread -latomic -ldl
