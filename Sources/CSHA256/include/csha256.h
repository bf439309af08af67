#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Runs SHA-256's compression function over `blocks` whole 64-byte blocks
/// with the processor's SHA instructions (x86-64 SHA extensions), updating
/// `state` (the eight working words, a..h). Returns 1 when it did; 0, having
/// touched nothing, when this processor has no such instructions, so the
/// caller hashes the blocks itself.
int csha256_compress_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
