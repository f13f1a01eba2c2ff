// The only door to OpenSSL's libcrypto: SHA-256 for file digests, AES for the keyed pseudonyms (CMAC).
// The low-level SHA256_* calls keep their state in a plain struct the caller owns (EVP contexts are
// heap objects); OpenSSL 3 marks them and CMAC_* deprecated but keeps them, and CMAC_* serves as the
// tests' reference for the pseudonyms' own CMAC over EVP's AES-256.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <openssl/cmac.h>
#include <openssl/evp.h>
