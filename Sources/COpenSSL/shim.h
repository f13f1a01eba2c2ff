// The only door to OpenSSL's libcrypto: SHA-256, for file digests and the keyed pseudonyms.
// The low-level SHA256_* calls keep their state in a plain struct the caller owns, so a keyed
// digest copies its precomputed state on the stack instead of allocating (EVP contexts are heap
// objects); OpenSSL 3 marks them deprecated but keeps them, and HMAC() serves as the tests' reference.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
