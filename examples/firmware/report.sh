#!/usr/bin/env bash
# Builds the firmware for each feature set, runs it under QEMU (MPS2-AN386, Cortex-M4F)
# and prints its .text size and the stack depth of each call. Needs qemu-system-arm.
# Exits non-zero if a build fails or the flow does not complete under QEMU.
set -euo pipefail
cd "$(dirname "$0")"
for features in rsa ecdsa rsa,ecdsa rsa,ecdsa,hmac; do
  cargo build -q --profile firmware --no-default-features --features "$features"
  elf=../../target/thumbv7em-none-eabihf/firmware/implicit-grant-firmware
  text=$(readelf -SW "$elf" | awk '{ for (i = 1; i <= NF; i++) if ($i == ".text") print $(i + 4) }')
  rodata=$(readelf -SW "$elf" | awk '{ for (i = 1; i <= NF; i++) if ($i == ".rodata") print $(i + 4) }')
  echo "firmware [$features]: .text $((16#$text)) bytes, .rodata $((16#$rodata)) bytes"
  timeout 120 qemu-system-arm -cpu cortex-m4 -machine mps2-an386 -nographic \
    -semihosting-config enable=on,target=native -kernel "$elf" | sed 's/^/  /'
done
